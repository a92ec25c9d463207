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
from xiaoneng.core.errors import DomainError, FieldError
from xiaoneng.core.scoping import scoped
from xiaoneng.org import access
from xiaoneng.org.models import Unit
from xiaoneng.org.requests import OfficerRequest


def _year(value: Any, default: int) -> int:
    text = str(value or "").strip()
    return int(text) if text.isdigit() and targets.FIRST_YEAR <= int(text) <= 2100 else default


@login_required
def target_list(request: OfficerRequest) -> HttpResponse:
    """Each unit's targets of a year: target, achieved, rate and a progress bar."""
    today = timezone.localdate()
    year = _year(request.GET.get("year"), today.year)
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
    errors: dict[str, str] = {}
    source = request.POST if request.method == "POST" else request.GET
    form: dict[str, Any] = {
        "unit": source.get("unit", ""),
        "year": source.get("year", str(timezone.localdate().year)),
        "metric": source.get("metric", TargetMetric.FINES_COLLECTED),
        "value": source.get("value", ""),
        "note": source.get("note", ""),
    }
    if request.method == "POST":
        unit = units.filter(code=form["unit"]).first()
        try:
            if unit is None:
                message = _("请选择单位")
                raise DomainError(message, errors=[FieldError("unit", message)])
            target = targets.set_target(
                actor=request.user,
                unit=unit,
                year=form["year"],
                metric=form["metric"],
                value=form["value"],
                note=form["note"],
            )
        except DomainError as error:
            if error.status_code == 403:
                raise
            errors = {e.field: e.message for e in error.errors or [FieldError("", error.message)]}
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("已设定 %(unit)s %(year)d 年%(metric)s目标")
                % {"unit": unit, "year": target.year, "metric": target.get_metric_display()},
            )
            return redirect(reverse("cases:target_list") + f"?year={target.year}")
    elif form["unit"] and form["metric"]:
        existing = (
            scoped(Target.objects.all(), request.user)
            .filter(unit__code=form["unit"], year=_year(form["year"], 0), metric=form["metric"])
            .first()
        )
        if existing is not None and not form["value"]:
            form["value"] = f"{existing.value:.2f}"
            form["note"] = existing.note
    context = {
        "form": form,
        "errors": errors,
        "units": units,
        "metrics": TargetMetric.choices,
    }
    return render(request, "cases/target_form.html", context)
