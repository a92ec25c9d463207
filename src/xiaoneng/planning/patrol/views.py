"""Pages of plans: plan list and generation, calendars, due lists, tasks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xiaoneng.core.errors import DomainError
from xiaoneng.core.forms import ReasonForm, posted
from xiaoneng.core.pages import Choice, known_filters, paginate, query_string
from xiaoneng.core.scoping import get_scoped, in_scope, scoped
from xiaoneng.org import access
from xiaoneng.org.models import Officer, Role, Unit
from xiaoneng.org.requests import OfficerRequest
from xiaoneng.planning.patrol import assign
from xiaoneng.planning.patrol import queries as plan_queries
from xiaoneng.planning.patrol.forms import CompleteForm, PlanForm
from xiaoneng.planning.patrol.models import CONFISCATION_MEASURES, Campaign, Plan, Task
from xiaoneng.planning.patrol.services import generate_patrol_plan, period_of
from xiaoneng.planning.patrol.tasks import (
    cancel_task,
    complete_task,
    has_visit_record,
    may_record,
    team,
)

# Plans ------------------------------------------------------------------------------------


def _plannable_units(request: OfficerRequest) -> Any:
    return scoped(Unit.objects.exclude(kind=Unit.Kind.DIVISION), request.user).order_by("path")


@login_required
def plan_list(request: OfficerRequest) -> HttpResponse:
    """Plans of the user's scope, newest period first, with their progress."""
    plans = scoped(Plan.objects.select_related("unit", "policy"), request.user).order_by(
        "-period", "unit__path", "-id"
    )
    params = known_filters(request, kind=Choice(_("计划类型"), Plan.Kind.values))
    kind = params.get("kind", "")
    if kind:
        plans = plans.filter(kind=kind)
    page = paginate(request, plans)
    plan_queries.count_tasks(list(page))
    context = {
        "page": page,
        "query": query_string(params, "kind"),
        "kind": kind,
        "kinds": Plan.Kind.choices,
        "can_plan": access.can(request.user, access.PLAN_PATROL),
        "stations": scoped(Unit.objects.filter(kind=Unit.Kind.STATION), request.user),
    }
    return render(request, "planning/plan_list.html", context)


@login_required
def plan_generate(request: OfficerRequest) -> HttpResponse:
    """The form of ``generate_patrol_plan``: a dry run shows the report, a run writes the plan."""
    access.require(request.user, access.PLAN_PATROL)
    unit = getattr(request.user, "unit", None)
    initial = {
        "period": period_of(timezone.localdate()),
        "unit": unit.code if unit else "",
        "capacity": str(assign.default_capacity()),
        "dry_run": False,
    }
    form = PlanForm(**posted(request), initial=initial)
    report = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = generate_patrol_plan(
                period=data["period"],
                unit_code=data["unit"] or None,
                capacity=data["capacity"],
                actor=request.user,
                dry_run=data["dry_run"],
            )
        except DomainError as error:
            form.add_service_errors(error)
            messages.error(request, error.for_page)
        else:
            if not report.dry_run:
                messages.success(
                    request,
                    _("已制定 %(period)s 巡查计划：新排 %(n)d 项，未排入 %(o)d 项")
                    % {"period": report.period, "n": report.created, "o": report.overflow_total},
                )
                return redirect("planning:plan_detail", pk=report.plan_id)
    context = {
        "values": form.shown,
        "errors": form.field_errors,
        "report": report,
        "units": _plannable_units(request),
    }
    return render(request, "planning/plan_generate.html", context)


@login_required
def plan_detail(request: OfficerRequest, pk: int) -> HttpResponse:
    plan = get_scoped(
        Plan.objects.select_related("unit", "policy", "created_by"), request.user, pk=pk
    )
    tasks = plan_queries.tasks_for(request.user).filter(plan=plan)
    params = known_filters(request, status=Choice(_("任务状态"), Task.Status.values))
    status = params.get("status", "")
    if status:
        tasks = tasks.filter(status=status)
    context = {
        "plan": plan,
        "summary": plan_queries.summarise(plan),
        "campaign": Campaign.objects.filter(plan=plan).first(),
        "page": paginate(request, tasks.order_by("scheduled_on", "id")),
        "query": query_string(params, "status"),
        "status": status,
        "statuses": Task.Status.choices,
        "today": timezone.localdate(),
    }
    return render(request, "planning/plan_detail.html", context)


# Calendars ----------------------------------------------------------------------------------


def _month(request: OfficerRequest) -> Any:
    try:
        return plan_queries.check_month(request.GET.get("month", ""))
    except DomainError as error:
        messages.error(request, error.for_page)
        return plan_queries.month_or_current("")


WEEKDAYS = [
    gettext_lazy("周一"),
    gettext_lazy("周二"),
    gettext_lazy("周三"),
    gettext_lazy("周四"),
    gettext_lazy("周五"),
    gettext_lazy("周六"),
    gettext_lazy("周日"),
]


def _neighbours(month: Any) -> dict[str, str]:
    before = month.first - dt.timedelta(days=1)
    after = month.last + dt.timedelta(days=1)
    return {"previous": period_of(before), "next": period_of(after)}


@login_required
def my_calendar(request: OfficerRequest) -> HttpResponse:
    """The user's own calendar (a station's for a director without grids)."""
    user = request.user
    if user.unit is not None and user.has_role(Role.STATION_DIRECTOR) and not user.grids.exists():
        return redirect("planning:station_calendar", code=user.unit.code)
    return redirect("planning:officer_calendar", username=user.get_username())


@login_required
def officer_calendar(request: OfficerRequest, username: str) -> HttpResponse:
    officer = get_scoped(Officer.objects.select_related("unit"), request.user, username=username)
    month = _month(request)
    context = plan_queries.officer_calendar(request.user, officer, month)
    context.update(_neighbours(month))
    context["statuses"] = dict(Task.Status.choices)
    context["weekdays"] = WEEKDAYS
    return render(request, "planning/plan_officer_calendar.html", context)


@login_required
def station_calendar(request: OfficerRequest, code: str) -> HttpResponse:
    station = get_scoped(Unit.objects.all(), request.user, code=code)
    month = _month(request)
    context = plan_queries.station_calendar(request.user, station, month)
    context.update(_neighbours(month))
    context["page"] = paginate(request, context.pop("overflow"))
    context["query"] = f"month={month.text}"
    return render(request, "planning/plan_station_calendar.html", context)


# Due lists -----------------------------------------------------------------------------------


@login_required
def due_list(request: OfficerRequest) -> HttpResponse:
    """Overdue (or all) entities of a grid, an officer's grids or a station, most overdue first."""
    known = known_filters(
        request,
        overdue=Choice(_("只看逾期"), ("1", "0")),
        all=Choice(_("辖区全部"), ("1", "0")),
    )
    params = {k: known.get(k, "").strip() for k in ("grid", "officer", "station")}
    if not any(params.values()) and known.get("all") != "1":
        params.update(plan_queries.default_due_selection(request.user))
    selection = plan_queries.due_selection(request.user, **params)
    only_overdue = known.get("overdue", "1") == "1"
    today = timezone.localdate()
    rows = plan_queries.due_list(selection, only_overdue=only_overdue, on=today)
    context = {
        "selection": selection,
        "page": paginate(request, rows, exact=True),
        "query": "&".join(
            [f"{k}={v}" for k, v in params.items() if v]
            + [f"overdue={'1' if only_overdue else '0'}"]
            + (["all=1"] if known.get("all") == "1" else [])
        ),
        "params": params,
        "only_overdue": only_overdue,
        "today": today,
        "stations": scoped(Unit.objects.filter(kind=Unit.Kind.STATION), request.user),
    }
    return render(request, "planning/plan_due.html", context)


# Tasks ------------------------------------------------------------------------------------------


@login_required
def task_detail(request: OfficerRequest, pk: int) -> HttpResponse:
    task = get_scoped(plan_queries.tasks_for(request.user), request.user, pk=pk)
    form = CompleteForm(**posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            complete_task(
                task=task,
                officer=request.user,
                done_on=data["done_on"],
                note=data["note"],
                violation_found=data["violation_found"],
                notices_issued=data["notices_issued"],
                items_confiscated=data["items_confiscated"],
                items_confiscated_quantity=data["items_confiscated_quantity"],
                items_confiscated_measure=data["items_confiscated_measure"],
            )
        except DomainError as error:
            form.add_service_errors(error)
            messages.error(request, error.for_page)
            task.refresh_from_db()
        else:
            messages.success(request, _("已登记检查结果：%(name)s") % {"name": task.entity.name})
            return redirect("planning:task_detail", pk=task.pk)
    elif form.is_bound:
        messages.error(request, form.for_page)
    siblings = (
        plan_queries.tasks_for(request.user).filter(visit=task.visit).exclude(pk=task.pk)
        if task.visit_id
        else Task.objects.none()
    )
    open_status = task.status in (Task.Status.PLANNED, Task.Status.OVERFLOW)
    context = {
        "task": task,
        # A division's campaign plan is not a station officer's to open: name it, no link.
        "plan_visible": in_scope(request.user, task.plan.unit_id),
        "siblings": siblings,
        "team": team(task.visit) if task.visit else [],
        # The plain result form; a later domain's record of the visit (the inspection record,
        # shown by its own panel) takes its place once there is one.
        "may_complete": open_status
        and may_record(request.user, task)
        and not has_visit_record(task),
        "may_cancel": open_status
        and (
            access.can(request.user, access.PLAN_PATROL)
            or access.can(request.user, access.MANAGE_CAMPAIGNS)
        ),
        "errors": form.field_errors,
        "form": form.shown,
        "today": timezone.localdate(),
        "measures": CONFISCATION_MEASURES,
    }
    return render(request, "planning/plan_task.html", context)


@login_required
@require_POST
def task_cancel(request: OfficerRequest, pk: int) -> HttpResponse:
    task = get_scoped(plan_queries.tasks_for(request.user), request.user, pk=pk)
    form = ReasonForm(**posted(request))
    if form.is_valid():
        try:
            cancel_task(task=task, actor=request.user, reason=form.cleaned_data["reason"])
        except DomainError as error:
            messages.error(request, error.for_page)
        else:
            messages.success(request, _("已取消任务"))
    return redirect(reverse("planning:task_detail", kwargs={"pk": task.pk}))
