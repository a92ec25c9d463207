"""Pages of planning: the supervision policy (and, as they land, plans and draws)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core.errors import DomainError, FieldError
from xiaoneng.core.forms import posted
from xiaoneng.org import access
from xiaoneng.org.requests import OfficerRequest
from xiaoneng.planning.models import Distance, Policy
from xiaoneng.planning.policy import services as policies
from xiaoneng.planning.policy.forms import PolicyForm
from xiaoneng.registry.models import CreditGrade, RiskClass


def _matrix(
    cells: dict[str, Any], errors: list[FieldError] | None = None
) -> list[tuple[Any, list[tuple[Any, str, Any, list[str]]]]]:
    """Rows of (class, [(grade, key, cell, error messages)]) for the 3 × 4 table."""
    by_cell: dict[str, list[str]] = {}
    for error in errors or []:
        by_cell.setdefault(error.field.split(".")[0], []).append(error.message)
    rows = []
    for c in policies.CLASSES:
        keys = [(g, policies.cell_key(c, g)) for g in policies.GRADES]
        rows.append(
            (RiskClass(c), [(CreditGrade(g), k, cells.get(k), by_cell.get(k, [])) for g, k in keys])
        )
    return rows


@login_required
def policy_detail(request: OfficerRequest, version: int | None = None) -> HttpResponse:
    """The policy in force (or one version), with every version and its effective date."""
    current: Policy | None
    if version is None:
        try:
            current = policies.policy_in_force()
        except DomainError as error:
            messages.error(request, error.message)
            current = Policy.objects.order_by("effective_from").first()
    else:
        current = Policy.objects.filter(version=version).first()
    table = policies.PolicyTable(current) if current else None
    context = {
        "policy": current,
        "matrix": _matrix(table.cells if table else {}),
        "versions": Policy.objects.order_by("-effective_from"),
        "today": timezone.localdate(),
        "can_manage": access.can(request.user, access.MANAGE_POLICY),
        "distances": dict(Distance.choices),
    }
    return render(request, "planning/policy.html", context)


@login_required
def policy_create(request: OfficerRequest) -> HttpResponse:
    """A new version of the policy (administrators), starting from the one in force."""
    access.require(request.user, access.MANAGE_POLICY)
    initial = None
    if request.method != "POST":
        tomorrow = timezone.localdate() + dt.timedelta(days=1)
        initial = PolicyForm.initial_for(policies.PolicyTable.in_force(), tomorrow)
    form = PolicyForm(**posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = policies.create_policy(
                effective_from=data["effective_from"],
                cells=form.cells(),
                note=data["note"],
                actor=request.user,
            )
        except DomainError as error:
            form.add_service_errors(error)
            messages.error(request, error.message)
        else:
            messages.success(request, _("已制定监管政策 %(policy)s") % {"policy": created})
            return redirect("planning:policy_version", version=created.version)
    elif form.is_bound:
        messages.error(request, form.for_page)
    context = {
        "matrix": _matrix(form.shown_cells(), form.error_list),
        "errors": form.field_errors,
        "effective_from": form.shown.get("effective_from", ""),
        "note": form.shown.get("note", ""),
        "distances": Distance.choices,
    }
    return render(request, "planning/policy_form.html", context)
