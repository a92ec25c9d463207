"""Pages of annual targets (目标任务): completion per unit and metric, and the form to set one."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.cases.models import Target, TargetMetric
from xiaoneng.cases.targets import services as targets
from xiaoneng.cases.targets.forms import TargetForm
from xiaoneng.core.errors import DomainError
from xiaoneng.core.forms import posted
from xiaoneng.core.pages import Choice, is_year, known_filters
from xiaoneng.core.scoping import scoped
from xiaoneng.org import access
from xiaoneng.org.models import Unit
from xiaoneng.org.requests import OfficerRequest


def _is_target_year(text: str) -> bool:
    return is_year(text) and targets.FIRST_YEAR <= int(text) <= targets.LAST_YEAR


def _year(value: Any, default: int) -> int:
    text = str(value or "").strip()
    return int(text) if _is_target_year(text) else default


@login_required
def target_list(request: OfficerRequest) -> HttpResponse:
    """Each unit's targets of a year: target, achieved, rate and a progress bar."""
    today = timezone.localdate()
    params = known_filters(request, year=Choice(_("年度"), _is_target_year))
    year = int(params.get("year") or today.year)
    unit_ids = (
        scoped(Target.objects.filter(year=year), request.user)
        .values_list("unit_id", flat=True)
        .distinct()
    )
    units = Unit.objects.filter(pk__in=list(unit_ids)).order_by("path")
    rows = [(unit, targets.completion(unit=unit, year=year, today=today)) for unit in units]
    context = {
        "year": year,
        "years": range(today.year + 1, today.year - 5, -1),
        "rows": rows,
        "elapsed": targets.elapsed_share(year, today),
        "can_manage": access.can(request.user, access.MANAGE_TARGETS),
    }
    return render(request, "cases/target_list.html", context)


@login_required
def target_set(request: OfficerRequest) -> HttpResponse:
    """Set (or change) a unit's annual target; the trace keeps the old value."""
    access.require(request.user, access.MANAGE_TARGETS)
    units = scoped(Unit.objects.all(), request.user).order_by("path")
    initial = _target_initial(request)
    form = TargetForm(**posted(request), units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            target = targets.set_target(
                actor=request.user,
                unit=data["unit"],
                year=data["year"],
                metric=data["metric"],
                value=data["value"],
                note=data["note"],
            )
        except DomainError as error:
            if error.status_code == 403:
                raise
            form.add_service_errors(error)
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("已设定 %(unit)s %(year)d 年%(metric)s目标")
                % {
                    "unit": data["unit"],
                    "year": target.year,
                    "metric": target.get_metric_display(),
                },
            )
            return redirect(reverse("cases:target_list") + f"?year={target.year}")
    elif form.is_bound:
        messages.error(request, form.for_page)
    context = {
        "form": form.shown,
        "errors": form.field_errors,
        "units": units,
        "metrics": TargetMetric.choices,
    }
    return render(request, "cases/target_form.html", context)


def _target_initial(request: OfficerRequest) -> dict[str, Any]:
    """The form's first values: those the link gives (``?unit=…&year=…``), this year's fines
    collected by default, and the value of a target already set."""
    today_year = str(timezone.localdate().year)
    if request.method == "POST":
        return {"year": today_year, "metric": TargetMetric.FINES_COLLECTED}
    initial: dict[str, Any] = {
        "unit": request.GET.get("unit", ""),
        "year": request.GET.get("year", today_year),
        "metric": request.GET.get("metric", TargetMetric.FINES_COLLECTED),
        "value": request.GET.get("value", ""),
        "note": request.GET.get("note", ""),
    }
    if initial["unit"] and initial["metric"] and not initial["value"]:
        existing = (
            scoped(Target.objects.all(), request.user)
            .filter(unit__code=initial["unit"], year=_year(initial["year"], 0))
            .filter(metric=initial["metric"])
            .first()
        )
        if existing is not None:
            initial["value"] = f"{existing.value:.2f}"
            initial["note"] = existing.note
    return initial
