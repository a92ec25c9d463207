"""API of patrol tasks (六定): /api/v1/tasks, a task's completion and cancellation, and the
calendars that lay tasks out by day: /calendar/officer, /calendar/station (scoped to the user)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.db.models import QuerySet
from ninja import Query, Router, Schema
from pydantic import Field

from xiaoneng.core.api_paging import Day, Id, Month, OneOf, Paging, paged
from xiaoneng.core.scoping import get_scoped
from xiaoneng.org.models import Officer, Unit
from xiaoneng.org.requests import OfficerRequest
from xiaoneng.planning.patrol import queries as plan_queries
from xiaoneng.planning.patrol.models import Task
from xiaoneng.planning.patrol.tasks import cancel_task, complete_task

router = Router(tags=["plans"])


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
    items_confiscated_measure: str = Field(description="计量单位 of the quantity (件, 份, 千克…)")

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
    period: Month = ""
    status: Annotated[str, OneOf(Task.Status.values)] = ""
    plan: Id | None = None
    date_from: Day | None = None
    date_to: Day | None = None


def _tasks(request: OfficerRequest) -> QuerySet[Task]:
    return plan_queries.tasks_for(request.user).select_related("done_by")


@router.get("/tasks", response=TaskPage, summary="Tasks of the user's units")
def list_tasks(request: OfficerRequest, filters: Query[TaskFilter]) -> dict[str, Any]:
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
def get_task(request: OfficerRequest, task_id: int) -> Task:
    return get_scoped(_tasks(request), request.user, pk=task_id)


class CompleteIn(Schema):
    done_on: dt.date | None = Field(None, description="YYYY-MM-DD, not after today")
    note: str = ""
    violation_found: bool = False
    notices_issued: int = 0
    items_confiscated: str = ""
    items_confiscated_quantity: int = 0
    items_confiscated_measure: str = Field(
        "", description="required with a quantity: 件, 份, 千克…"
    )


@router.post("/tasks/{int:task_id}/complete", response=TaskOut, summary="Record the visit's result")
def complete(request: OfficerRequest, task_id: int, payload: CompleteIn) -> Task:
    task = get_scoped(_tasks(request), request.user, pk=task_id)
    return complete_task(task=task, officer=request.user, **payload.dict())


class CancelIn(Schema):
    reason: str


@router.post("/tasks/{int:task_id}/cancel", response=TaskOut, summary="Cancel a task (reason)")
def cancel(request: OfficerRequest, task_id: int, payload: CancelIn) -> Task:
    task = get_scoped(_tasks(request), request.user, pk=task_id)
    return cancel_task(task=task, actor=request.user, reason=payload.reason)


# Calendars ------------------------------------------------------------------------------------


class DayOut(Schema):
    date: dt.date
    working: bool | None
    working_provisional: bool = Field(
        description="the year's holidays are not loaded yet: working counts weekdays only"
    )
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
def officer_calendar(request: OfficerRequest, username: str, month: Month = "") -> dict[str, Any]:
    officer = get_scoped(Officer.objects.all(), request.user, username=username)
    data = plan_queries.officer_calendar(request.user, officer, plan_queries.check_month(month))
    days = [d for week in data["weeks"] for d in week if d.in_month]
    return {
        "officer": officer.get_username(),
        "month": data["month"].text,
        "today": data["today_tasks"],
        "days": [
            {
                "date": d.date,
                "working": d.working,
                "working_provisional": d.provisional,
                "tasks": d.tasks,
            }
            for d in days
        ],
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
    working_days_provisional: bool = Field(
        description="the month's year has no holidays loaded yet: weekdays only"
    )
    officers: list[OfficerRowOut]
    overflow: int


@router.get(
    "/calendar/station/{code}",
    response=StationCalendarOut,
    summary="A station's officers × days of a month, with its overflow count",
)
def station_calendar(request: OfficerRequest, code: str, month: Month = "") -> dict[str, Any]:
    station = get_scoped(Unit.objects.all(), request.user, code=code)
    data = plan_queries.station_calendar(request.user, station, plan_queries.check_month(month))
    return {
        "station": station.code,
        "month": data["month"].text,
        "working_days": [d.date for d in data["days"] if d.working],
        "working_days_provisional": any(d.provisional for d in data["days"]),
        "officers": [
            {
                "username": officer.get_username(),
                "name": str(officer),
                "total": total,
                "by_day": {day.date.isoformat(): list(cell) for day, cell in cells if cell},
            }
            for officer, cells, total, _linked in data["table"]
        ],
        "overflow": data["overflow"].count(),
    }
