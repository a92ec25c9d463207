"""API of the training records (篇8), under /training: the sessions that concern the user's
units (paged, filtered), one session with the attendance the user may read, recording a
session and its attendance through the services, and the period's figures (docs/training.md).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from xiaoneng.core.api_paging import Day, OneOf, Paging, paged
from xiaoneng.core.errors import InvalidInput, NotPermitted
from xiaoneng.core.scoping import get_scoped, scoped
from xiaoneng.org import access
from xiaoneng.org.models import Officer, Unit
from xiaoneng.org.requests import OfficerRequest
from xiaoneng.org.training import queries, services
from xiaoneng.org.training.models import Attendance, Topic, TrainingSession

router = Router(tags=["training"])


class TrainingSessionOut(Schema):
    id: int
    title: str
    topic: str
    topic_label: str
    organiser: str = Field(description="the organising unit's code")
    organiser_name: str
    held_on: dt.date
    hours: Decimal
    place: str
    lecturer: str
    audience: list[str] = Field(description="codes of the units invited")
    note: str

    @staticmethod
    def resolve_topic_label(obj: TrainingSession) -> str:
        return str(obj.get_topic_display())

    @staticmethod
    def resolve_organiser(obj: TrainingSession) -> str:
        return obj.organiser.code

    @staticmethod
    def resolve_organiser_name(obj: TrainingSession) -> str:
        return obj.organiser.name

    @staticmethod
    def resolve_audience(obj: TrainingSession) -> list[str]:
        return [unit.code for unit in obj.audience.all()]


class TrainingAttendanceOut(Schema):
    officer: str = Field(description="the officer's user name")
    officer_name: str
    unit: str = Field(description="the officer's unit code")
    status: str
    status_label: str


class TrainingSessionDetailOut(TrainingSessionOut):
    attendances: list[TrainingAttendanceOut] = Field(
        description="the rows the user may read: all for the organiser's scope, else their own"
    )

    @staticmethod
    def resolve_attendances(obj: TrainingSession) -> list[dict[str, Any]]:
        return list(getattr(obj, "shown_rows", []))


class TrainingSessionPage(Schema):
    count: int
    count_exact: bool
    page: int
    page_size: int
    items: list[TrainingSessionOut]


class TrainingSessionFilter(Paging):
    date_from: Day | None = Field(None, alias="from", description="held on or after")
    date_to: Day | None = Field(None, alias="to", description="held on or before")
    topic: Annotated[str, OneOf(Topic.values)] = ""
    organiser: str = Field("", max_length=32, description="the organising unit's code")
    mine: bool = Field(False, description="only the sessions the user attended")


def _attendance_rows(request: OfficerRequest, session: TrainingSession) -> list[dict[str, Any]]:
    return [
        {
            "officer": a.officer.username,
            "officer_name": str(a.officer),
            "unit": a.officer.unit.code if a.officer.unit else "",
            "status": a.status,
            "status_label": str(a.get_status_display()),
        }
        for a in queries.attendances_shown(request.user, session)
    ]


@router.get("/training/sessions", response=TrainingSessionPage, summary="Training sessions (培训)")
def list_sessions(request: OfficerRequest, filters: Query[TrainingSessionFilter]) -> dict[str, Any]:
    organiser = None
    if filters.organiser:
        organiser = Unit.objects.filter(code=filters.organiser.strip()).first()
        if organiser is None:
            raise InvalidInput.single(
                "organiser", _("未找到该单位：%(v)s") % {"v": filters.organiser}
            )
    rows = queries.filtered(
        request.user,
        start=filters.date_from,
        end=filters.date_to,
        topic=filters.topic,
        organiser=organiser,
        attended_by=request.user.pk if filters.mine else None,
    )
    return paged(rows.prefetch_related("audience"), filters)


@router.get(
    "/training/sessions/{int:session_id}",
    response=TrainingSessionDetailOut,
    summary="One training session with its attendance",
)
def get_session(request: OfficerRequest, session_id: int) -> TrainingSession:
    session = queries.session_for(request.user, session_id)
    return _as_detail(request, session)


def _as_detail(request: OfficerRequest, session: TrainingSession) -> TrainingSession:
    """``session`` with the attendance rows ``request.user`` may read, for the answer."""
    session.shown_rows = _attendance_rows(request, session)  # type: ignore[attr-defined]
    return session


class TrainingSessionIn(Schema):
    title: str = Field(description="the subject (专题), at most 100 characters")
    topic: str = Field(description="one of: " + ", ".join(Topic.values))
    organiser: str = Field(description="code of the organising unit, in the user's scope")
    held_on: dt.date | None = Field(None, description="the day it is held")
    hours: str = Field(description="more than 0, at most 24, one decimal at most")
    audience: list[str] = Field(description="codes of the units invited, in the user's scope")
    place: str = ""
    lecturer: str = ""
    note: str = ""


def _units_named(
    request: OfficerRequest, payload: TrainingSessionIn
) -> tuple[Unit | None, list[Unit]]:
    """The payload's units among those of the user's scope; an unknown code names its field."""
    units = scoped(Unit.objects.all(), request.user)
    organiser = None
    code = payload.organiser.strip()
    if code:
        organiser = units.filter(code=code).first()
        if organiser is None:
            raise InvalidInput.single("organiser", _("未找到该单位：%(v)s") % {"v": code[:40]})
    codes = [c.strip() for c in payload.audience]
    found = {u.code: u for u in units.filter(code__in=codes)}
    missing = [c for c in codes if c not in found]
    if missing:
        message = _("未找到该单位：%(v)s") % {"v": "、".join(missing)[:40]}
        raise InvalidInput.single("audience", message)
    return organiser, [found[c] for c in codes]


@router.post(
    "/training/sessions",
    response={201: TrainingSessionDetailOut},
    summary="Record a training session",
)
def create_session(request: OfficerRequest, payload: TrainingSessionIn) -> Status[Any]:
    access.require(request.user, access.MANAGE_TRAINING)
    organiser, audience = _units_named(request, payload)
    draft = services.SessionDraft(
        title=payload.title,
        topic=payload.topic,
        organiser=organiser,
        held_on=payload.held_on,
        hours=payload.hours,
        audience=audience,
        place=payload.place,
        lecturer=payload.lecturer,
        note=payload.note,
    )
    session = services.create_session(actor=request.user, draft=draft)
    return Status(201, _as_detail(request, session))


class TrainingAttendanceIn(Schema):
    officer: str = Field(description="the officer's user name, in the user's scope")
    status: str = Field(description="one of: " + ", ".join(Attendance.Status.values))


class TrainingAttendanceListIn(Schema):
    entries: list[TrainingAttendanceIn]


@router.post(
    "/training/sessions/{int:session_id}/attendance",
    response=TrainingSessionDetailOut,
    summary="Record who attended a training session (出席, 缺席, 请假)",
)
def record_attendance(
    request: OfficerRequest, session_id: int, payload: TrainingAttendanceListIn
) -> TrainingSession:
    session = queries.session_for(request.user, session_id)
    if not services.may_record_attendance(request.user, session):
        access.require(request.user, access.MANAGE_TRAINING)
        raise NotPermitted(services.OUT_OF_SCOPE)
    names = [e.officer.strip() for e in payload.entries]
    officers = {
        o.username: o
        for o in scoped(Officer.objects.all(), request.user).filter(username__in=names)
    }
    missing = [n for n in dict.fromkeys(names) if n not in officers]
    if missing:
        message = _("未找到该人员：%(v)s") % {"v": "、".join(missing)[:60]}
        raise InvalidInput.single("entries", message)
    entries = [(officers[n], e.status.strip()) for n, e in zip(names, payload.entries, strict=True)]
    services.record_attendance(session=session, actor=request.user, entries=entries)
    return _as_detail(request, session)


class TrainingFiguresQuery(Schema):
    date_from: Day | None = Field(None, alias="from", description="first day (default 1 Jan)")
    date_to: Day | None = Field(None, alias="to", description="last day (default today)")
    unit: str = Field("", max_length=32, description="unit code (default: the user's scope)")


class TrainingFiguresRow(Schema):
    sessions: int = Field(description="场次: sessions held")
    person_times: int = Field(description="人次: attendances with status attended")
    hours: Decimal = Field(description="the sessions' hours")
    person_hours: Decimal = Field(description="each person-time times its session's hours")


class TrainingTopicFigures(TrainingFiguresRow):
    topic: str
    label: str


class TrainingOrganiserFigures(TrainingFiguresRow):
    code: str
    name: str


class TrainingFiguresOut(Schema):
    unit: str = Field(description="the unit code whose subtree is counted ('' for all)")
    date_from: dt.date
    date_to: dt.date
    total: TrainingFiguresRow
    by_topic: list[TrainingTopicFigures]
    by_organiser: list[TrainingOrganiserFigures]


@router.get(
    "/training/figures",
    response=TrainingFiguresOut,
    summary="The period's training figures of a unit's subtree: 场次, 人次, hours",
)
def training_figures(request: OfficerRequest, query: Query[TrainingFiguresQuery]) -> dict[str, Any]:
    today = timezone.localdate()
    start, end = query.date_from or dt.date(today.year, 1, 1), query.date_to or today
    if end < start:
        raise InvalidInput.single("to", _("结束日期不能早于开始日期"))
    if query.unit.strip():
        unit: Unit | None = get_scoped(Unit.objects.all(), request.user, code=query.unit.strip())
    else:
        unit = access.scope_root(request.user)
    found = queries.rows_of(queries.figures(unit, start, end))
    code = unit.code if unit is not None else ""
    return {"unit": code, "date_from": start, "date_to": end, **found}
