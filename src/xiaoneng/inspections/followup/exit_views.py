"""Pages of exit supervision (退出督查) and unlicensed operators (无照经营), 篇7. Each reads
through the scoping helpers and acts through a service (``exits``, ``unlicensed``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xiaoneng.core.forms import PageForm, posted
from xiaoneng.core.pages import (
    Choice,
    Refusal,
    act,
    history_rows,
    known_filters,
    paginate,
    query_string,
)
from xiaoneng.core.scoping import get_scoped, scoped
from xiaoneng.inspections.followup import exits, unlicensed
from xiaoneng.inspections.followup import services as followup
from xiaoneng.inspections.followup.forms import (
    ExitForm,
    LicensedForm,
    NoteForm,
    OutcomeForm,
    UnlicensedForm,
)
from xiaoneng.inspections.followup.models import ExitCheck, UnlicensedOperator
from xiaoneng.org import access
from xiaoneng.org.requests import OfficerRequest
from xiaoneng.registry.models import Entity

# Exit supervision ---------------------------------------------------------------------------


def _checks(request: OfficerRequest) -> QuerySet[ExitCheck]:
    return scoped(ExitCheck.objects.select_related("entity", "found_by"), request.user)


@login_required
def exit_list(request: OfficerRequest) -> HttpResponse:
    """Exit checks (退出督查), the open ones first."""
    checks = _checks(request)
    params = known_filters(request, status=Choice(_("状态"), ExitCheck.Status.values))
    status = params.get("status", "")
    if status:
        checks = checks.filter(status=status)
    context = {
        "page": paginate(request, exits.checks_open_first(checks)),
        "query": query_string(params, "status"),
        "status": status,
        "statuses": ExitCheck.Status.choices,
        "can_act": access.can(request.user, access.INSPECT),
    }
    return render(request, "inspections/exit_list.html", context)


@login_required
def exit_entities(request: OfficerRequest) -> HttpResponse:
    """Deregistered or revoked entities with open tasks or found operating."""
    context = {"page": paginate(request, exits.exited_entities(request.user)), "query": ""}
    return render(request, "inspections/exit_entities.html", context)


@login_required
def exit_create(request: OfficerRequest) -> HttpResponse:
    """Report a deregistered or revoked entity found operating without an inspection."""
    access.require(request.user, access.INSPECT)
    initial = {"uscc": request.GET.get("uscc", ""), "found_on": timezone.localdate().isoformat()}
    form = ExitForm(
        **posted(request), initial=initial, entities=scoped(Entity.objects.all(), request.user)
    )
    if form.is_valid():
        entity = form.cleaned_data["uscc"]
        try:
            check = exits.report_exit_operating(
                entity=entity,
                actor=request.user,
                circumstances=form.cleaned_data["circumstances"],
                found_on=form.cleaned_data["found_on"],
            )
        except Refusal as error:
            form.add_service_errors(error)
            messages.error(request, error.for_page)
        else:
            messages.success(request, _("已登记退出督查：%(name)s") % {"name": entity.name})
            return redirect("inspections:exit_detail", pk=check.pk)
    elif form.is_bound:
        messages.error(request, form.for_page)
    context = {"form": form.shown, "errors": form.field_errors}
    return render(request, "inspections/exit_form.html", context)


@login_required
def exit_detail(request: OfficerRequest, pk: int) -> HttpResponse:
    check = get_scoped(_checks(request), request.user, pk=pk)
    is_open = check.status == ExitCheck.Status.OPEN
    context = {
        "check": check,
        "inspection_url": followup.inspection_url(check.inspection_id)
        if check.inspection_id
        else "",
        "may_close": is_open and access.can(request.user, access.INSPECT),
        "history": history_rows(check),
    }
    return render(request, "inspections/exit_detail.html", context)


@login_required
@require_POST
def exit_close(request: OfficerRequest, pk: int) -> HttpResponse:
    check = get_scoped(_checks(request), request.user, pk=pk)
    back = redirect("inspections:exit_detail", pk=check.pk)
    form = OutcomeForm(**posted(request))
    if not form.is_valid():
        messages.error(request, form.for_page)
        return back
    return act(
        request,
        lambda: exits.close_exit_check(
            exit_check=check, actor=request.user, outcome=form.cleaned_data["outcome"]
        ),
        _("已办结退出督查：%(name)s") % {"name": check.entity.name},
        back,
    )


# Unlicensed operators -----------------------------------------------------------------------


def _records(request: OfficerRequest) -> QuerySet[UnlicensedOperator]:
    return scoped(
        UnlicensedOperator.objects.select_related("unit", "found_by", "entity"), request.user
    )


@login_required
def unlicensed_list(request: OfficerRequest) -> HttpResponse:
    """Operators found without a licence (无照经营) and how each was dealt with."""
    records = _records(request)
    params = known_filters(request, status=Choice(_("状态"), UnlicensedOperator.Status.values))
    status = params.get("status", "")
    if status:
        records = records.filter(status=status)
    context = {
        "page": paginate(request, records.order_by("-found_on", "-id")),
        "query": query_string(params, "status"),
        "status": status,
        "statuses": UnlicensedOperator.Status.choices,
        "can_act": access.can(request.user, access.INSPECT),
    }
    return render(request, "inspections/unlicensed_list.html", context)


UNLICENSED_FIELDS = [
    ("name", gettext_lazy("经营者（字号）")),
    ("operator", gettext_lazy("经营者姓名")),
    ("address", gettext_lazy("经营场所")),
    ("business", gettext_lazy("经营项目")),
    ("found_on", gettext_lazy("发现日期")),
    ("longitude", gettext_lazy("经度")),
    ("latitude", gettext_lazy("纬度")),
]


@login_required
def unlicensed_create(request: OfficerRequest) -> HttpResponse:
    access.require(request.user, access.INSPECT)
    form = UnlicensedForm(**posted(request), initial={"found_on": timezone.localdate().isoformat()})
    if form.is_valid():
        data = form.cleaned_data
        try:
            found = unlicensed.record_unlicensed(
                actor=request.user,
                name=data["name"],
                address=data["address"],
                business=data["business"],
                found_on=data["found_on"],
                longitude=data["longitude"],
                latitude=data["latitude"],
                operator=data["operator"],
            )
        except Refusal as error:
            form.add_service_errors(error)
            messages.error(request, error.for_page)
        else:
            messages.success(request, _("已登记无照经营：%(name)s") % {"name": found.name})
            return redirect("inspections:unlicensed_detail", pk=found.pk)
    elif form.is_bound:
        messages.error(request, form.for_page)
    shown, errors = form.shown, form.field_errors
    fields = [
        {"name": name, "label": label, "value": shown.get(name, ""), "error": errors.get(name, "")}
        for name, label in UNLICENSED_FIELDS
    ]
    return render(request, "inspections/unlicensed_form.html", {"fields": fields})


@login_required
def unlicensed_detail(request: OfficerRequest, pk: int) -> HttpResponse:
    found = get_scoped(_records(request), request.user, pk=pk)
    can_act = access.can(request.user, access.INSPECT)
    U = UnlicensedOperator.Status
    context = {
        "record": found,
        "may_guide": can_act and found.status == U.FOUND,
        "may_license": can_act and found.status == U.GUIDED,
        "may_cease": can_act and found.status in (U.FOUND, U.GUIDED),
        "history": history_rows(found),
    }
    return render(request, "inspections/unlicensed_detail.html", context)


@login_required
@require_POST
def unlicensed_action(request: OfficerRequest, pk: int, action: str) -> HttpResponse:
    """guide / licensed / ceased: the three ways a record moves on."""
    found = get_scoped(_records(request), request.user, pk=pk)
    back = redirect("inspections:unlicensed_detail", pk=found.pk)
    form: PageForm
    if action == "guide":
        form = NoteForm(**posted(request))
    elif action == "licensed":
        form = LicensedForm(**posted(request), entities=scoped(Entity.objects.all(), request.user))
    else:
        form = OutcomeForm(**posted(request))
    if not form.is_valid():
        messages.error(request, form.for_page)
        return back
    data = form.cleaned_data

    def run() -> Any:
        if action == "guide":
            return unlicensed.guide_unlicensed(record=found, actor=request.user, note=data["note"])
        if action == "licensed":
            return unlicensed.mark_licensed(record=found, entity=data["uscc"], actor=request.user)
        return unlicensed.mark_ceased(record=found, actor=request.user, outcome=data["outcome"])

    return act(request, run, _("已更新：%(name)s") % {"name": found.name}, back)
