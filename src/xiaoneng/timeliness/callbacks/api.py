"""API of timeliness.callbacks (回访): /callbacks, their answers and problems, and the
satisfaction figures; scoped to the user's units."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from xiaoneng.core.api_paging import Day, OneOf, Paging, paged
from xiaoneng.core.errors import InvalidInput
from xiaoneng.core.months import parse_month
from xiaoneng.core.scoping import get_scoped, scoped
from xiaoneng.org.models import Officer, Unit
from xiaoneng.org.requests import OfficerRequest
from xiaoneng.timeliness.callbacks import figures, problems
from xiaoneng.timeliness.callbacks import services as callbacks
from xiaoneng.timeliness.callbacks.models import (
    QUESTIONS,
    Callback,
    CallbackProblem,
    Channel,
    SubjectKind,
)
from xiaoneng.timeliness.callbacks.queries import pending_first

router = Router(tags=["timeliness"])


class ProblemOut(Schema):
    id: int
    callback_id: int
    description: str
    unit: str
    owner: str
    deadline: dt.date
    status: str
    overdue: bool
    rectified_on: dt.date | None
    outcome: str
    fed_back_on: dt.date | None
    feedback_channel: str

    @staticmethod
    def resolve_unit(obj: CallbackProblem) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_owner(obj: CallbackProblem) -> str:
        return obj.owner.get_username()

    @staticmethod
    def resolve_overdue(obj: CallbackProblem) -> bool:
        return problems.is_overdue(obj)


class CallbackOut(Schema):
    id: int
    round_id: int | None
    month: str | None = Field(description="the round's month, YYYY-MM")
    subject_kind: str
    subject_id: int | None = Field(description="id of the record asked about")
    subject: str
    unit: str
    officer: str | None = Field(description="username of the officer whose work is asked about")
    party: str
    phone: str
    channel: str
    status: str
    caller: str | None
    called_on: dt.date | None
    answers: dict[str, str] = Field(description="question → satisfied / basic / unsatisfied / ''")
    remarks: str

    @staticmethod
    def resolve_month(obj: Callback) -> str | None:
        return obj.round.month if obj.round else None

    @staticmethod
    def resolve_subject_id(obj: Callback) -> int | None:
        return getattr(obj, f"{obj.subject_kind}_id", None)

    @staticmethod
    def resolve_unit(obj: Callback) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_officer(obj: Callback) -> str | None:
        return obj.officer.get_username() if obj.officer else None

    @staticmethod
    def resolve_caller(obj: Callback) -> str | None:
        return obj.caller.get_username() if obj.caller else None

    @staticmethod
    def resolve_answers(obj: Callback) -> dict[str, str]:
        return {name: getattr(obj, name) for name, _label in QUESTIONS}


class CallbackDetail(CallbackOut):
    problems: list[ProblemOut]

    @staticmethod
    def resolve_problems(obj: Callback) -> list[CallbackProblem]:
        return list(obj.problems.select_related("unit", "owner").order_by("id"))


class CallbackPage(Schema):
    count: int
    count_exact: bool
    page: int
    page_size: int
    items: list[CallbackOut]


class ProblemPage(Schema):
    count: int
    count_exact: bool
    page: int
    page_size: int
    items: list[ProblemOut]


class CallbackFilter(Paging):
    status: Annotated[str, OneOf(Callback.Status.values)] = ""
    channel: Annotated[str, OneOf(Channel.values)] = ""
    kind: Annotated[str, OneOf(SubjectKind.values)] = ""
    month: str = Field("", description="the round's month, YYYY-MM")
    unit: str = Field("", description="unit code: its subtree")


class ProblemFilter(Paging):
    status: Annotated[str, OneOf([*CallbackProblem.Status.values, "overdue"])] = ""
    unit: str = Field("", description="unit code: its subtree")


def _callbacks(request: OfficerRequest) -> QuerySet[Callback]:
    return scoped(
        Callback.objects.select_related("unit", "officer", "caller", "round"), request.user
    )


def _problems(request: OfficerRequest) -> QuerySet[CallbackProblem]:
    return scoped(CallbackProblem.objects.select_related("callback", "unit", "owner"), request.user)


def _in_unit(request: OfficerRequest, rows: QuerySet[Any], code: str) -> QuerySet[Any]:
    """The rows of the unit ``code``'s subtree if it is in the user's scope, else none."""
    unit = scoped(Unit.objects.all(), request.user).filter(code=code).first()
    if unit is None:
        return rows.none()
    ids = Unit.objects.subtree_ids(unit)
    return rows if ids is None else rows.filter(unit_id__in=ids)


@router.get("/callbacks", response=CallbackPage, summary="Callbacks (回访), pending first")
def list_callbacks(request: OfficerRequest, filters: Query[CallbackFilter]) -> dict[str, Any]:
    rows = _callbacks(request)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.channel:
        rows = rows.filter(channel=filters.channel)
    if filters.kind:
        rows = rows.filter(subject_kind=filters.kind)
    if filters.month:
        rows = rows.filter(round__month=parse_month(filters.month).text)
    if filters.unit:
        rows = _in_unit(request, rows, filters.unit)
    return paged(pending_first(rows), filters)


class SatisfactionPeriodQuery(Schema):
    start: Day | None = Field(None, alias="from", description="first day (default 1 Jan)")
    end: Day | None = Field(None, alias="to", description="last day (default today)")


class TallyOut(Schema):
    key: str = ""
    label: str = ""
    made: int = Field(description="callbacks done (the party reached): 回访人次")
    phone: int
    on_site: int
    unreachable: int
    answered: int = Field(description="done with an overall answer")
    satisfied: int
    basic: int
    unsatisfied: int
    satisfaction: Decimal | None = Field(description="percent: (满意 + 基本满意) / answered")


class ProblemTallyOut(Schema):
    raised: int
    rectified: int
    fed_back: int
    overdue: int


class SatisfactionOut(Schema):
    start: dt.date
    end: dt.date
    sentence: str
    total: TallyOut
    by_unit: list[TallyOut]
    by_officer: list[TallyOut]
    by_channel: list[TallyOut]
    by_month: list[TallyOut]
    by_subject_kind: list[TallyOut]
    problems: ProblemTallyOut


def _tally(t: figures.Tally, key: str = "", label: str = "") -> dict[str, Any]:
    return {
        "key": key,
        "label": label,
        "made": t.made,
        "phone": t.phone,
        "on_site": t.on_site,
        "unreachable": t.unreachable,
        "answered": t.answered,
        "satisfied": t.satisfied,
        "basic": t.basic,
        "unsatisfied": t.unsatisfied,
        "satisfaction": t.satisfaction,
    }


@router.get(
    "/callbacks/satisfaction",
    response=SatisfactionOut,
    summary="Callback figures and satisfaction over a period (by called_on)",
)
def satisfaction(request: OfficerRequest, query: Query[SatisfactionPeriodQuery]) -> dict[str, Any]:
    today = timezone.localdate()
    start, end = query.start or dt.date(today.year, 1, 1), query.end or today
    if end < start:
        raise InvalidInput.single("to", _("结束日期不能早于开始日期：%(v)s") % {"v": end})
    rows = _callbacks(request)
    total = figures.tally(rows, start, end)
    result: dict[str, Any] = {
        "start": start,
        "end": end,
        "sentence": figures.sentence(total),
        "total": _tally(total),
        "problems": figures.problems(_problems(request), start, end, today).__dict__,
    }
    for name, (_label, grouping) in figures.GROUPINGS.items():
        result[f"by_{name}"] = [_tally(r.tally, r.key, r.label) for r in grouping(rows, start, end)]
    return result


@router.get(
    "/callbacks/{int:callback_id}",
    response=CallbackDetail,
    summary="One callback with its problems",
)
def get_callback(request: OfficerRequest, callback_id: int) -> Callback:
    return get_scoped(_callbacks(request), request.user, pk=callback_id)


class ProblemIn(Schema):
    description: str
    owner: str = Field(description="username of an officer of the callback's unit")
    deadline: dt.date | None = Field(None, description="not before the callback")


class CallbackAnswerIn(Schema):
    channel: str = Field(description="phone or on_site")
    called_on: dt.date | None = None
    answers: dict[str, Any] = Field(
        description="question (attitude, quality, one_time_notice, time_limit, integrity, "
        "overall) → satisfied / basic / unsatisfied (or 满意 / 基本满意 / 不满意), '' when not "
        "asked; overall required"
    )
    remarks: str = ""
    problem: ProblemIn | None = Field(None, description="raised with an overall unsatisfied")
    no_problem_reason: str = Field("", description="why none is raised (overall unsatisfied)")


def _owner(callback: Callback, username: str) -> Officer:
    found = problems.owners(callback).filter(username=username).first()
    if found is None:
        raise InvalidInput.single("owner", _("整改责任人不在本单位：%(v)s") % {"v": username})
    return found


@router.post(
    "/callbacks/{int:callback_id}/answer",
    response=CallbackDetail,
    summary="Record a callback reached: channel, day, answers",
)
def answer(request: OfficerRequest, callback_id: int, payload: CallbackAnswerIn) -> Callback:
    callback = get_scoped(_callbacks(request), request.user, pk=callback_id)
    problem = None
    if payload.problem is not None:
        problem = {
            "description": payload.problem.description,
            "owner": _owner(callback, payload.problem.owner),
            "deadline": payload.problem.deadline,
        }
    return callbacks.record_callback(
        callback=callback,
        channel=payload.channel,
        called_on=payload.called_on,
        answers=payload.answers,
        remarks=payload.remarks,
        problem=problem,
        no_problem_reason=payload.no_problem_reason,
        actor=request.user,
    )


@router.post(
    "/callbacks/{int:callback_id}/problems",
    response={201: ProblemOut},
    summary="Raise a problem on a callback: owner and deadline",
)
def raise_problem(
    request: OfficerRequest, callback_id: int, payload: ProblemIn
) -> Status[CallbackProblem]:
    callback = get_scoped(_callbacks(request), request.user, pk=callback_id)
    problem = callbacks.raise_problem(
        callback=callback,
        description=payload.description,
        owner=_owner(callback, payload.owner),
        deadline=payload.deadline,
        actor=request.user,
    )
    return Status(201, problem)


@router.get("/callback-problems", response=ProblemPage, summary="Problems raised on callbacks")
def list_problems(request: OfficerRequest, filters: Query[ProblemFilter]) -> dict[str, Any]:
    rows = _problems(request)
    if filters.status == "overdue":
        rows = rows.filter(status=CallbackProblem.Status.OPEN, deadline__lt=timezone.localdate())
    elif filters.status:
        rows = rows.filter(status=filters.status)
    if filters.unit:
        rows = _in_unit(request, rows, filters.unit)
    return paged(rows.order_by("deadline", "id"), filters)


class CallbackRectifyIn(Schema):
    outcome: str
    on: dt.date | None = Field(None, description="day rectified")


class FeedbackIn(Schema):
    channel: str = Field(description="phone, on_site, sms or letter")
    on: dt.date | None = Field(None, description="day the party was told")


@router.post(
    "/callback-problems/{int:problem_id}/rectify",
    response=ProblemOut,
    summary="The problem was rectified",
)
def rectify(
    request: OfficerRequest, problem_id: int, payload: CallbackRectifyIn
) -> CallbackProblem:
    problem = get_scoped(_problems(request), request.user, pk=problem_id)
    return problems.rectify(
        problem=problem, outcome=payload.outcome, on=payload.on, actor=request.user
    )


@router.post(
    "/callback-problems/{int:problem_id}/feedback",
    response=ProblemOut,
    summary="The outcome was fed back to the party",
)
def feedback(request: OfficerRequest, problem_id: int, payload: FeedbackIn) -> CallbackProblem:
    problem = get_scoped(_problems(request), request.user, pk=problem_id)
    return problems.feed_back(
        problem=problem, on=payload.on, channel=payload.channel, actor=request.user
    )
