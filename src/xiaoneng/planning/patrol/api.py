"""API of plans: /api/v1/plans, /tasks, /due, /calendar, /campaigns (all scoped to the user)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field

from xiaoneng.core.api_paging import Paging, paged
from xiaoneng.core.scoping import get_scoped, scoped
from xiaoneng.org.models import Officer, Unit
from xiaoneng.planning.campaigns import services as campaigns
from xiaoneng.planning.patrol import queries as plan_queries
from xiaoneng.planning.patrol.models import Campaign, Plan, Task
from xiaoneng.planning.patrol.services import generate_patrol_plan
from xiaoneng.planning.patrol.tasks import cancel_task, complete_task

router = Router(tags=["plans"])


# Plans --------------------------------------------------------------------------------------


class PlanOut(Schema):
    id: int
    kind: str
    period: str
    unit: str
    title: str
    policy_version: int | None
    capacity: int
    created_by: str | None
    created_at: dt.datetime

    @staticmethod
    def resolve_unit(obj: Plan) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_policy_version(obj: Plan) -> int | None:
        return obj.policy.version if obj.policy else None

    @staticmethod
    def resolve_created_by(obj: Plan) -> str | None:
        return obj.created_by.get_username() if obj.created_by else None


class PlanPage(Schema):
    count: int
    count_exact: bool
    page: int
    page_size: int
    items: list[PlanOut]


class OverflowOut(Schema):
    reason: str
    label: str
    count: int


class PlanDetail(PlanOut):
    tasks_by_status: dict[str, int]
    overflow: list[OverflowOut]
    visits_saved: int


class PatrolIn(Schema):
    period: str = Field(description="YYYY-MM")
    unit: str | None = Field(None, description="unit code (default: the whole organisation)")
    capacity: int | str | None = Field(None, description="visits per officer per working day")
    dry_run: bool = False


class OfficerLoadOut(Schema):
    officer_id: int
    name: str
    tasks: int
    busiest_day: int


class PlanReportOut(Schema):
    plan_id: int | None
    dry_run: bool
    period: str
    unit_code: str
    policy_version: int
    capacity: int
    working_days: int
    due: int
    created: int
    placed_again: int
    kept: int
    elsewhere: int
    overflow: dict[str, int]
    overflow_total: int
    visits_saved: int
    officers: list[OfficerLoadOut]


def _plans(request: HttpRequest) -> QuerySet[Plan]:
    return scoped(Plan.objects.select_related("unit", "policy", "created_by"), request.user)


@router.get("/plans", response=PlanPage, summary="Plans of the user's units, newest first")
def list_plans(
    request: HttpRequest, paging: Query[Paging], kind: str = "", period: str = ""
) -> dict[str, Any]:
    plans = _plans(request).order_by("-period", "-id")
    if kind:
        plans = plans.filter(kind=kind)
    if period:
        plans = plans.filter(period=period)
    return paged(plans, paging)


@router.get("/plans/{int:plan_id}", response=PlanDetail, summary="One plan and its summary")
def get_plan(request: HttpRequest, plan_id: int) -> Plan:
    plan: Any = get_scoped(_plans(request), request.user, pk=plan_id)
    summary = plan_queries.summarise(plan)
    plan.tasks_by_status = summary.by_status
    plan.overflow = [{"reason": c, "label": lbl, "count": n} for c, lbl, n in summary.overflow]
    plan.visits_saved = summary.visits_saved
    return plan


@router.post(
    "/plans/patrol",
    response={200: PlanReportOut, 201: PlanReportOut},
    summary="Create or complete a period's patrol plan (dry_run: report only)",
)
def create_patrol_plan(request: HttpRequest, payload: PatrolIn) -> Status[dict[str, Any]]:
    report = generate_patrol_plan(
        period=payload.period,
        unit_code=payload.unit,
        capacity=payload.capacity,
        actor=request.user,
        dry_run=payload.dry_run,
    )
    body = dataclasses.asdict(report) | {"overflow_total": report.overflow_total}
    return Status(200 if report.dry_run else 201, body)


# Tasks ----------------------------------------------------------------------------------------


class TaskOut(Schema):
    id: int
    plan_id: int
    plan: str
    period: str
    uscc: str
    entity: str
    unit: str
    grid: str | None = Field(description="定片区")
    post: str = Field(description="定岗位")
    officer: str | None = Field(description="定人员 (username)")
    description: str = Field(description="定任务")
    standard: str = Field(description="定标准")
    responsibility: str = Field(description="定责任")
    due_on: dt.date | None
    scheduled_on: dt.date | None
    status: str
    overflow_reason: str
    visit_id: int | None
    done_on: dt.date | None
    done_by: str | None
    note: str
    violation_found: bool
    notices_issued: int
    items_confiscated: str
    items_confiscated_quantity: int

    @staticmethod
    def resolve_plan(obj: Task) -> str:
        return obj.plan.title

    @staticmethod
    def resolve_uscc(obj: Task) -> str:
        return obj.entity.uscc

    @staticmethod
    def resolve_entity(obj: Task) -> str:
        return obj.entity.name

    @staticmethod
    def resolve_unit(obj: Task) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_grid(obj: Task) -> str | None:
        return obj.grid.code if obj.grid else None

    @staticmethod
    def resolve_officer(obj: Task) -> str | None:
        return obj.officer.get_username() if obj.officer else None

    @staticmethod
    def resolve_done_by(obj: Task) -> str | None:
        return obj.done_by.get_username() if obj.done_by else None


class TaskPage(Schema):
    count: int
    count_exact: bool
    page: int
    page_size: int
    items: list[TaskOut]


class TaskFilter(Paging):
    officer: str = Field("", description="username")
    station: str = Field("", description="responsible unit code")
    grid: str = ""
    period: str = Field("", description="YYYY-MM")
    status: str = Field("", description="planned / done / cancelled / overflow")
    plan: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def _tasks(request: HttpRequest) -> QuerySet[Task]:
    return plan_queries.tasks_for(request.user).select_related("done_by")


@router.get("/tasks", response=TaskPage, summary="Tasks of the user's units")
def list_tasks(request: HttpRequest, filters: Query[TaskFilter]) -> dict[str, Any]:
    tasks = _tasks(request)
    if filters.officer:
        tasks = tasks.filter(officer__username=filters.officer)
    if filters.station:
        tasks = tasks.filter(unit__code=filters.station)
    if filters.grid:
        tasks = tasks.filter(grid__code=filters.grid)
    if filters.period:
        tasks = tasks.filter(period=filters.period)
    if filters.status:
        tasks = tasks.filter(status=filters.status)
    if filters.plan:
        tasks = tasks.filter(plan_id=filters.plan)
    if filters.date_from:
        tasks = tasks.filter(scheduled_on__gte=filters.date_from)
    if filters.date_to:
        tasks = tasks.filter(scheduled_on__lte=filters.date_to)
    return paged(tasks.order_by("scheduled_on", "id"), filters)


@router.get("/tasks/{int:task_id}", response=TaskOut, summary="One task with its 六定")
def get_task(request: HttpRequest, task_id: int) -> Task:
    return get_scoped(_tasks(request), request.user, pk=task_id)


class CompleteIn(Schema):
    done_on: dt.date | None = Field(None, description="YYYY-MM-DD, not after today")
    note: str = ""
    violation_found: bool = False
    notices_issued: int = 0
    items_confiscated: str = ""
    items_confiscated_quantity: int = 0


@router.post("/tasks/{int:task_id}/complete", response=TaskOut, summary="Record the visit's result")
def complete(request: HttpRequest, task_id: int, payload: CompleteIn) -> Task:
    task = get_scoped(_tasks(request), request.user, pk=task_id)
    return complete_task(task=task, officer=request.user, **payload.dict())


class CancelIn(Schema):
    reason: str


@router.post("/tasks/{int:task_id}/cancel", response=TaskOut, summary="Cancel a task (reason)")
def cancel(request: HttpRequest, task_id: int, payload: CancelIn) -> Task:
    task = get_scoped(_tasks(request), request.user, pk=task_id)
    return cancel_task(task=task, actor=request.user, reason=payload.reason)


# Due dates ------------------------------------------------------------------------------------


class DueOut(Schema):
    uscc: str
    name: str
    risk_class: str
    credit_grade: str
    grid: str | None
    officer: str | None
    last_inspection: dt.date | None
    due_on: dt.date
    overdue_days: int
    interval_days: int


class DuePage(Schema):
    selection: str
    count: int
    page: int
    page_size: int
    items: list[DueOut]


class DueFilter(Paging):
    grid: str = Field("", description="grid code")
    officer: str = Field("", description="username: the officer's grids")
    station: str = Field("", description="unit code")
    overdue_only: bool = True


@router.get("/due", response=DuePage, summary="Due dates, most overdue first (arrays, scoped)")
def list_due(request: HttpRequest, filters: Query[DueFilter]) -> dict[str, Any]:
    selection = plan_queries.due_selection(
        request.user, grid=filters.grid, officer=filters.officer, station=filters.station
    )
    rows = plan_queries.due_list(
        selection, only_overdue=filters.overdue_only, on=timezone.localdate()
    )
    start = (filters.page - 1) * filters.page_size
    items = [
        {
            "uscc": row.entity.uscc,
            "name": row.entity.name,
            "risk_class": row.entity.risk_class,
            "credit_grade": row.entity.credit_grade,
            "grid": row.entity.grid.code if row.entity.grid else None,
            "officer": row.entity.grid.officer.get_username()
            if row.entity.grid and row.entity.grid.officer
            else None,
            "last_inspection": row.last_inspection,
            "due_on": row.due_on,
            "overdue_days": row.overdue_days,
            "interval_days": row.interval_days,
        }
        for row in rows[start : start + filters.page_size]
    ]
    return {
        "selection": selection.label,
        "count": len(rows),
        "page": filters.page,
        "page_size": filters.page_size,
        "items": items,
    }


# Calendars ------------------------------------------------------------------------------------


class DayOut(Schema):
    date: dt.date
    working: bool | None
    tasks: list[TaskOut]


class OfficerCalendarOut(Schema):
    officer: str
    month: str
    today: list[TaskOut]
    days: list[DayOut]


@router.get(
    "/calendar/officer/{username}",
    response=OfficerCalendarOut,
    summary="One officer's tasks by day in a month (today's open tasks first)",
)
def officer_calendar(request: HttpRequest, username: str, month: str = "") -> dict[str, Any]:
    officer = get_scoped(Officer.objects.all(), request.user, username=username)
    data = plan_queries.officer_calendar(request.user, officer, plan_queries.check_month(month))
    days = [d for week in data["weeks"] for d in week if d.in_month]
    return {
        "officer": officer.get_username(),
        "month": data["month"].text,
        "today": data["today_tasks"],
        "days": [{"date": d.date, "working": d.working, "tasks": d.tasks} for d in days],
    }


class OfficerRowOut(Schema):
    username: str
    name: str
    total: int
    by_day: dict[str, list[int]] = Field(description="date → [tasks, done]")


class StationCalendarOut(Schema):
    station: str
    month: str
    working_days: list[dt.date]
    officers: list[OfficerRowOut]
    overflow: int


@router.get(
    "/calendar/station/{code}",
    response=StationCalendarOut,
    summary="A station's officers × days of a month, with its overflow count",
)
def station_calendar(request: HttpRequest, code: str, month: str = "") -> dict[str, Any]:
    station = get_scoped(Unit.objects.all(), request.user, code=code)
    data = plan_queries.station_calendar(request.user, station, plan_queries.check_month(month))
    return {
        "station": station.code,
        "month": data["month"].text,
        "working_days": [d.date for d in data["days"] if d.working],
        "officers": [
            {
                "username": officer.get_username(),
                "name": str(officer),
                "total": total,
                "by_day": {day.date.isoformat(): list(cell) for day, cell in cells if cell},
            }
            for officer, cells, total in data["table"]
        ],
        "overflow": data["overflow"].count(),
    }


# Campaigns ------------------------------------------------------------------------------------


class CampaignOut(Schema):
    id: int
    title: str
    theme: str
    checkpoints: str
    partners: str
    unit: str
    start_on: dt.date
    end_on: dt.date
    population: dict[str, Any]
    plan_id: int
    status: str

    @staticmethod
    def resolve_unit(obj: Campaign) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_status(obj: Campaign) -> str:
        return campaigns.status(obj)


class CampaignPage(Schema):
    count: int
    count_exact: bool
    page: int
    page_size: int
    items: list[CampaignOut]


class StatisticsOut(Schema):
    tasks: int
    checked: int = Field(description="entities checked (tasks done)")
    violations: int
    notices: int
    confiscated: int = Field(description="items confiscated, summed quantities")
    planned: int
    late: int
    overflow: int
    cancelled: int
    progress: int


class CampaignDetail(CampaignOut):
    description: str
    statistics: StatisticsOut


class CampaignIn(Schema):
    title: str
    theme: str = Field(description="industry / area / theme / list")
    checkpoints: str = Field(description="检查要点 (定标准)")
    start_on: dt.date
    end_on: dt.date
    description: str = ""
    partners: str = ""
    unit: str | None = Field(None, description="leading unit code (default: the user's)")
    filters: dict[str, Any] | None = Field(
        None, description="q, grid, industry, risk_class, credit_grade, unit, hot_industry"
    )
    usccs: list[str] | None = None
    capacity: int | str | None = None


def _campaigns(request: HttpRequest) -> QuerySet[Campaign]:
    return scoped(Campaign.objects.select_related("unit"), request.user)


@router.get("/campaigns", response=CampaignPage, summary="Campaigns of the user's units")
def list_campaigns(request: HttpRequest, paging: Query[Paging]) -> dict[str, Any]:
    return paged(_campaigns(request).order_by("-start_on", "-id"), paging)


def _detail(campaign: Any) -> Campaign:
    stats = campaigns.statistics(campaign)
    values = {f.name: getattr(stats, f.name) for f in dataclasses.fields(stats)}
    campaign.statistics = values | {"progress": stats.progress}
    return campaign


@router.get("/campaigns/{int:campaign_id}", response=CampaignDetail, summary="A campaign's figures")
def get_campaign(request: HttpRequest, campaign_id: int) -> Campaign:
    return _detail(get_scoped(_campaigns(request), request.user, pk=campaign_id))


@router.post("/campaigns", response={201: CampaignDetail}, summary="Start a campaign")
def create_campaign(request: HttpRequest, payload: CampaignIn) -> Status[Campaign]:
    data = campaigns.CampaignInput(
        title=payload.title,
        theme=payload.theme,
        checkpoints=payload.checkpoints,
        start_on=payload.start_on,
        end_on=payload.end_on,
        description=payload.description,
        partners=payload.partners,
        unit_code=payload.unit,
        filters=payload.filters,
        usccs=payload.usccs,
        capacity=payload.capacity,
    )
    campaign = campaigns.create_campaign(data=data, actor=request.user)
    return Status(201, _detail(campaign))
