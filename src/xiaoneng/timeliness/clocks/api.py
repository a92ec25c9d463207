"""API of timeliness.clocks: warnings (list, one, handle, clear) and clocks, scoped to the
user's units."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Query, Router, Schema
from pydantic import Field

from xiaoneng.core.api_paging import OneOf, Paging, paged
from xiaoneng.core.scoping import get_scoped, scoped
from xiaoneng.org.requests import OfficerRequest
from xiaoneng.timeliness.clocks import queries, services
from xiaoneng.timeliness.clocks.models import Clock, Escalation, Level, Suspension, Warning

router = Router(tags=["timeliness"])


class ClockWarningOut(Schema):
    id: int
    clock_id: int
    subject: str
    level: str
    unit: str
    officer: str | None = Field(description="username")
    raised_on: dt.date
    due_on: dt.date
    used_days: int
    limit_days: int
    handle_by: dt.date | None
    escalation: int = Field(description="0 承办人, 1 所（科）负责人, 2 区局科室")
    escalated_at: dt.datetime | None
    handled_at: dt.datetime | None
    handling: str
    cleared_at: dt.datetime | None
    clear_reason: str
    clear_note: str

    @staticmethod
    def resolve_subject(obj: Warning) -> str:
        return obj.clock.subject

    @staticmethod
    def resolve_unit(obj: Warning) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_officer(obj: Warning) -> str | None:
        return obj.officer.get_username() if obj.officer else None


class WarningPage(Schema):
    count: int
    count_exact: bool
    page: int
    page_size: int
    items: list[ClockWarningOut]


class WarningFilter(Paging):
    level: Annotated[str, OneOf(Level.values[1:])] = ""
    escalation: Annotated[str, OneOf([str(v) for v in Escalation.values])] = ""
    state: Annotated[str, OneOf(list(queries.STATES))] = ""
    unit: str = Field("", description="unit code")
    mine: bool = Field(False, description="waiting for me")


@router.get("/warnings", response=WarningPage, summary="Time-limit warnings (时限预警), red first")
def list_warnings(request: OfficerRequest, filters: Query[WarningFilter]) -> dict[str, Any]:
    found = queries.filter_warnings(
        queries.warnings_for(request.user),
        request.user,
        level=filters.level,
        escalation=filters.escalation,
        state=filters.state,
        unit=filters.unit,
        mine=filters.mine,
    )
    return paged(found, filters)


@router.get("/warnings/{int:warning_id}", response=ClockWarningOut, summary="One warning")
def get_warning(request: OfficerRequest, warning_id: int) -> Warning:
    return get_scoped(queries.warnings_for(request.user), request.user, pk=warning_id)


class HandleIn(Schema):
    note: str


@router.post(
    "/warnings/{int:warning_id}/handle",
    response=ClockWarningOut,
    summary="Record how a warning was handled (a red one escalates no further)",
)
def handle(request: OfficerRequest, warning_id: int, payload: HandleIn) -> Warning:
    warning = get_scoped(queries.warnings_for(request.user), request.user, pk=warning_id)
    services.handle_warning(warning=warning, note=payload.note, actor=request.user)
    return get_scoped(queries.warnings_for(request.user), request.user, pk=warning_id)


class ClearIn(Schema):
    reason_note: str


@router.post(
    "/warnings/{int:warning_id}/clear",
    response=ClockWarningOut,
    summary="Clear a warning by hand, with the reason (director or division)",
)
def clear(request: OfficerRequest, warning_id: int, payload: ClearIn) -> Warning:
    warning = get_scoped(queries.warnings_for(request.user), request.user, pk=warning_id)
    services.clear_warning(warning=warning, reason_note=payload.reason_note, actor=request.user)
    return get_scoped(queries.warnings_for(request.user), request.user, pk=warning_id)


class SuspensionOut(Schema):
    reason: str
    note: str
    started_on: dt.date
    ended_on: dt.date | None
    working_days: int


class ClockOut(Schema):
    id: int
    kind: str
    subject_type: str
    subject_id: int
    subject: str
    unit: str
    officer: str | None
    started_on: dt.date
    limit_days: int
    statutory_days: int
    extended_days: int
    basis: str
    suspended_days: int
    suspended_since: dt.date | None
    due_on: dt.date
    due_provisional: bool
    stopped_on: dt.date | None
    level: str
    escalation: int
    suspensions: list[SuspensionOut]

    @staticmethod
    def resolve_unit(obj: Clock) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_officer(obj: Clock) -> str | None:
        return obj.officer.get_username() if obj.officer else None

    @staticmethod
    def resolve_suspensions(obj: Clock) -> list[Suspension]:
        return list(obj.suspensions.all())


@router.get("/clocks/{int:clock_id}", response=ClockOut, summary="One clock with its suspensions")
def get_clock(request: OfficerRequest, clock_id: int) -> Clock:
    clocks = scoped(Clock.objects.select_related("unit", "officer"), request.user)
    return get_scoped(clocks, request.user, pk=clock_id)
