"""API of plans: /api/v1/plans, the patrol plan's generation, /due (all scoped to the user);
tasks and calendars in ``patrol.task_api``."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Annotated, Any

from django.db.models import QuerySet
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field

from xiaoneng.core.api_paging import Month, OneOf, Paging, paged
from xiaoneng.core.scoping import get_scoped, scoped
from xiaoneng.org.requests import OfficerRequest
from xiaoneng.planning.patrol import queries as plan_queries
from xiaoneng.planning.patrol.models import Plan
from xiaoneng.planning.patrol.services import generate_patrol_plan

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


def _plans(request: OfficerRequest) -> QuerySet[Plan]:
    return scoped(Plan.objects.select_related("unit", "policy", "created_by"), request.user)


@router.get("/plans", response=PlanPage, summary="Plans of the user's units, newest first")
def list_plans(
    request: OfficerRequest,
    paging: Query[Paging],
    kind: Annotated[str, OneOf(Plan.Kind.values)] = "",
    period: Month = "",
) -> dict[str, Any]:
    plans = _plans(request).order_by("-period", "-id")
    if kind:
        plans = plans.filter(kind=kind)
    if period:
        plans = plans.filter(period=period)
    return paged(plans, paging)


@router.get("/plans/{int:plan_id}", response=PlanDetail, summary="One plan and its summary")
def get_plan(request: OfficerRequest, plan_id: int) -> Plan:
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
def create_patrol_plan(request: OfficerRequest, payload: PatrolIn) -> Status[dict[str, Any]]:
    report = generate_patrol_plan(
        period=payload.period,
        unit_code=payload.unit,
        capacity=payload.capacity,
        actor=request.user,
        dry_run=payload.dry_run,
    )
    body = dataclasses.asdict(report) | {"overflow_total": report.overflow_total}
    return Status(200 if report.dry_run else 201, body)


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
def list_due(request: OfficerRequest, filters: Query[DueFilter]) -> dict[str, Any]:
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
