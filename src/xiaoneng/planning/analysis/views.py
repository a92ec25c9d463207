"""Pages of the analyses: coverage and overlap (篇3), the responsibility table, staffing (篇5)."""

from __future__ import annotations

from typing import Any

import numpy as np
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiaoneng.core import audit
from xiaoneng.core.errors import DomainError
from xiaoneng.core.forms import ReasonForm, posted
from xiaoneng.core.history import readable
from xiaoneng.core.routing import stale_reads
from xiaoneng.core.scoping import get_scoped, scoped
from xiaoneng.org import access
from xiaoneng.org.models import Officer, Unit
from xiaoneng.org.requests import OfficerRequest
from xiaoneng.planning.analysis import coverage as coverages
from xiaoneng.planning.analysis import responsibility
from xiaoneng.planning.analysis import staffing as staffings
from xiaoneng.planning.analysis.forms import DepartmentForm, RuleForm
from xiaoneng.planning.analysis.models import Department, Matter, Measure, ResponsibilityRule

PAGE_SIZE = 50


def _matters(user: Officer) -> list[tuple[str, str, int]]:
    rules = scoped(ResponsibilityRule.objects.all(), user)
    counts = dict(rules.values_list("matter").annotate(n=Count("id")))
    return [(value, str(label), counts.get(value, 0)) for value, label in Matter.choices]


@login_required
@stale_reads
def coverage(request: OfficerRequest) -> HttpResponse:
    """Duplicates and blanks of one matter over the entities the user may see."""
    matter = coverages.matter_of(request.GET.get("matter"))
    computed = coverages.compute(matter=matter, user=request.user)
    context = {
        "matter": matter,
        "matter_label": Matter(matter).label,
        "matters": _matters(request.user),
        "summary": coverages.summarise(computed),
        "departments": computed.departments,
        "can_edit": access.can(request.user, access.EDIT_RESPONSIBILITY),
    }
    return render(request, "planning/coverage.html", context)


@login_required
def coverage_entities(request: OfficerRequest) -> HttpResponse:
    """The entities behind one figure of the report (drill-down), a page at a time."""
    matter = coverages.matter_of(request.GET.get("matter"))
    drill = coverages.Drill.from_params(request.GET)
    computed = coverages.compute(matter=matter, user=request.user)
    positions = coverages.drill_positions(computed, drill)
    page = Paginator(positions.tolist(), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(coverages.rows(computed, np.array(page.object_list, dtype=np.int64)))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "matter": matter,
        "matter_label": Matter(matter).label,
        "drill": drill,
        "page": page,
        "rows": rows,
        "count": positions.size,
        "query": query.urlencode(),
        "can_edit": access.can(request.user, access.EDIT_RESPONSIBILITY),
    }
    return render(request, "planning/coverage_entities.html", context)


@login_required
@stale_reads
def coverage_export(request: OfficerRequest) -> HttpResponse:
    """The drill-down's entities as CSV or XLSX."""
    matter = coverages.matter_of(request.GET.get("matter"))
    drill = coverages.Drill.from_params(request.GET)
    computed = coverages.compute(matter=matter, user=request.user)
    exported = coverages.export(
        coverage=computed, drill=drill, fmt=request.GET.get("format", "csv")
    )
    return exported.response()


def _table_context(request: OfficerRequest) -> dict[str, Any]:
    return {
        "rules": scoped(
            ResponsibilityRule.objects.select_related("department__unit"), request.user
        ),
        "departments": scoped(Department.objects.select_related("unit"), request.user),
        "matters": Matter.choices,
        "measures": Measure.choices,
        "units": Unit.objects.exclude(kind=Unit.Kind.BUREAU).order_by("path"),
        "can_edit": access.can(request.user, access.EDIT_RESPONSIBILITY),
        "values": {"measure": Measure.FLOOR_AREA},
        "errors": {},
        "department_values": {},
        "department_errors": {},
    }


@login_required
def responsibility_table(request: OfficerRequest) -> HttpResponse:
    """The responsibility table; administrators and division staff add rows and departments."""
    context = _table_context(request)
    if request.method == "POST":
        access.require(request.user, access.EDIT_RESPONSIBILITY)
        department = DepartmentForm(**posted(request))
        if department.is_posted():
            return _add_department(request, department, context)
        return _add_rule(request, RuleForm(**posted(request)), context)
    return render(request, "planning/coverage_rules.html", context)


def _add_department(
    request: OfficerRequest, form: DepartmentForm, context: dict[str, Any]
) -> HttpResponse:
    data = form.cleaned_data
    try:
        department = responsibility.create_department(
            code=data["code"], name=data["name"], unit_code=data["unit"], actor=request.user
        )
    except DomainError as error:
        messages.error(request, error.for_page)
        form.add_service_errors(error)
        context["department_values"] = form.shown
        context["department_errors"] = form.field_errors
        return render(request, "planning/coverage_rules.html", context, status=400)
    messages.success(request, _("已登记监管部门：%(name)s") % {"name": department})
    return redirect("planning:responsibility")


def _add_rule(request: OfficerRequest, form: RuleForm, context: dict[str, Any]) -> HttpResponse:
    if form.is_valid():
        try:
            rule = responsibility.create_rule(values=form.rule_values(), actor=request.user)
        except DomainError as error:
            messages.error(request, error.for_page)
            form.add_service_errors(error)
        else:
            messages.success(request, _("已新增职责规则 #%(id)d") % {"id": rule.pk})
            return redirect("planning:responsibility")
    else:
        messages.error(request, form.for_page)
    context["values"] = form.shown
    context["errors"] = form.field_errors
    return render(request, "planning/coverage_rules.html", context, status=400)


@login_required
def rule_edit(request: OfficerRequest, pk: int) -> HttpResponse:
    """Change or delete one row; the page shows the row's trace."""
    rule = get_scoped(ResponsibilityRule.objects.select_related("department"), request.user, pk=pk)
    access.require(request.user, access.EDIT_RESPONSIBILITY)
    initial: dict[str, Any] = {
        name: getattr(rule, name) for name in responsibility.RULE_FIELDS if name != "department"
    }
    initial["department"] = rule.department.code
    form = RuleForm(**posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            responsibility.update_rule(rule=rule, values=form.rule_values(), actor=request.user)
        except DomainError as error:
            messages.error(request, error.for_page)
            form.add_service_errors(error)
        else:
            messages.success(request, _("已修改职责规则 #%(id)d") % {"id": rule.pk})
            return redirect("planning:responsibility")
    elif form.is_bound:
        messages.error(request, form.for_page)
    context = {
        "rule": rule,
        "values": form.shown,
        "errors": form.field_errors,
        "departments": scoped(Department.objects.all(), request.user),
        "matters": Matter.choices,
        "measures": Measure.choices,
        "history": readable(audit.history(rule)[:50], ResponsibilityRule),
    }
    return render(
        request, "planning/coverage_rule_form.html", context, status=400 if form.errors else 200
    )


@login_required
@require_POST
def rule_delete(request: OfficerRequest, pk: int) -> HttpResponse:
    rule = get_scoped(ResponsibilityRule.objects.all(), request.user, pk=pk)
    access.require(request.user, access.EDIT_RESPONSIBILITY)
    form = ReasonForm(**posted(request))
    if form.is_valid():
        try:
            responsibility.delete_rule(
                rule=rule, reason=form.cleaned_data["reason"], actor=request.user
            )
        except DomainError as error:
            messages.error(request, error.for_page)
        else:
            messages.success(request, _("已删除职责规则 #%(id)d") % {"id": pk})
            return redirect("planning:responsibility")
    return redirect("planning:rule_edit", pk=pk)


def staffing_chart(result: staffings.Staffing) -> dict[str, Any]:
    """What the page's ECharts draw: hours per officer by station, hours by grid."""
    moved = result.reallocation is not None and bool(result.reallocation.moves)
    return {
        "stations": [s.station.name for s in result.stations],
        "per_officer": [
            round(s.per_officer or 0, 1) if s.officers else None for s in result.stations
        ],
        "after": [round(s.per_officer_after or 0, 1) for s in result.stations] if moved else [],
        "average": round(result.average, 1) if result.average else None,
        "tolerance": result.settings.tolerance,
        "capacity": result.settings.capacity,
        "grids": [g.grid.code for g in result.grids],
        "grid_hours": [round(g.hours, 1) for g in result.grids],
        "grid_station": [g.grid.station.name for g in result.grids],
        "labels": {
            "before": _("现有每人工时"),
            "after": _("调配后每人工时"),
            "average": _("平均"),
            "capacity": _("每人年度检查工时"),
            "hours": _("年度检查工时"),
        },
    }


@login_required
@stale_reads
def staffing(request: OfficerRequest) -> HttpResponse:
    """Workload against officers by station and grid, the 70 % rule, suggested moves."""
    values = staffings.Settings().as_params() | {k: v for k, v in request.GET.items() if v}
    context: dict[str, Any] = {"values": values, "errors": {}}
    try:
        settings = staffings.read_settings(request.GET)
    except DomainError as error:
        context["errors"] = error.by_field
        messages.error(request, error.for_page)
        return render(request, "planning/staffing.html", context, status=400)
    result = staffings.compute(user=request.user, settings=settings)
    context.update(
        {
            "result": result,
            "settings": settings,
            "chart": staffing_chart(result),
            "required_share": staffings.GRASSROOTS_SHARE,
        }
    )
    return render(request, "planning/staffing.html", context)
