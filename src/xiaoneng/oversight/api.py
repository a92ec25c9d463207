"""API of oversight: /reviews (director spot checks) and /supervision-items (督办),
every list and record scoped to the user's units; actions call the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from xiaoneng.core.api_paging import Paging, paged
from xiaoneng.core.errors import InvalidInput
from xiaoneng.core.scoping import get_scoped, scoped
from xiaoneng.inspections.models import Inspection
from xiaoneng.org.models import Unit
from xiaoneng.oversight import services as oversight
from xiaoneng.oversight.models import DirectorReview, ReviewRound, SupervisionItem
from xiaoneng.registry.models import Entity

router = Router(tags=["oversight"])


def _username(officer: Any) -> str | None:
    return officer.get_username() if officer is not None else None


# Director spot checks ---------------------------------------------------------------------------


class ReviewOut(Schema):
    id: int
    round_id: int
    month: str
    unit: str
    inspection_id: int
    entity: str
    visited_on: dt.date
    lead_officer: str
    status: str
    method: str
    note: str
    reviewer: str | None
    reviewed_at: dt.datetime | None

    @staticmethod
    def resolve_month(obj: DirectorReview) -> str:
        return obj.round.month

    @staticmethod
    def resolve_unit(obj: DirectorReview) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_entity(obj: DirectorReview) -> str:
        return obj.inspection.entity.name

    @staticmethod
    def resolve_visited_on(obj: DirectorReview) -> dt.date:
        return obj.inspection.visited_on

    @staticmethod
    def resolve_lead_officer(obj: DirectorReview) -> str:
        return obj.inspection.lead_officer.get_username()

    @staticmethod
    def resolve_reviewer(obj: DirectorReview) -> str | None:
        return _username(obj.reviewer)


class ReviewPage(Schema):
    count: int
    count_exact: bool
    page: int
    page_size: int
    items: list[ReviewOut]


class ReviewFilter(Paging):
    month: str = Field("", description="YYYY-MM")
    unit: str = Field("", description="station code")
    status: str = Field("", description="pending / confirmed / problem")
    officer: str = Field("", description="lead officer's username")


def _reviews(request: HttpRequest) -> QuerySet[DirectorReview]:
    return scoped(
        DirectorReview.objects.select_related(
            "round", "unit", "inspection__entity", "inspection__lead_officer", "reviewer"
        ),
        request.user,
    )


@router.get("/reviews", response=ReviewPage, summary="Director spot checks of the user's units")
def list_reviews(request: HttpRequest, filters: Query[ReviewFilter]) -> dict[str, Any]:
    reviews = _reviews(request)
    if filters.month:
        reviews = reviews.filter(round__month=oversight.parse_month(filters.month).text)
    if filters.unit:
        reviews = reviews.filter(unit__code=filters.unit)
    if filters.status:
        reviews = reviews.filter(status=filters.status)
    if filters.officer:
        reviews = reviews.filter(inspection__lead_officer__username=filters.officer)
    return paged(reviews.order_by("-round__month", "unit__path", "inspection_id"), filters)


@router.get("/reviews/{int:review_id}", response=ReviewOut, summary="One sampled record's review")
def get_review(request: HttpRequest, review_id: int) -> DirectorReview:
    return get_scoped(_reviews(request), request.user, pk=review_id)


class ReviewIn(Schema):
    confirmed: bool = Field(description="true: 属实规范; false: 存在问题 (note required)")
    method: str = Field(description="how it was checked: a call, a visit, the photos…")
    note: str = ""


@router.post(
    "/reviews/{int:review_id}/conclude",
    response=ReviewOut,
    summary="Record the director's conclusion on a sampled record",
)
def conclude(request: HttpRequest, review_id: int, payload: ReviewIn) -> DirectorReview:
    review = get_scoped(_reviews(request), request.user, pk=review_id)
    return oversight.review_inspection(review=review, actor=request.user, **payload.dict())


class RoundOut(Schema):
    id: int
    unit: str
    month: str
    rate: Decimal
    seed: str
    population: int
    sampled: int
    pending: int
    drawn_at: dt.datetime
    drawn_by: str | None

    @staticmethod
    def resolve_unit(obj: ReviewRound) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_drawn_by(obj: ReviewRound) -> str | None:
        return _username(obj.drawn_by)


class OfficerSampleOut(Schema):
    officer: str
    sampled: int
    confirmed: int
    problem: int
    pending: int


class RoundDetail(RoundOut):
    verified: bool
    problems: list[str]
    officers: list[OfficerSampleOut]


class RoundPage(Schema):
    count: int
    count_exact: bool
    page: int
    page_size: int
    items: list[RoundOut]


def _rounds(request: HttpRequest) -> QuerySet[ReviewRound]:
    pending = Q(reviews__status=DirectorReview.Status.PENDING)
    return scoped(
        ReviewRound.objects.select_related("unit", "drawn_by").annotate(
            sampled=Count("reviews"), pending=Count("reviews", filter=pending)
        ),
        request.user,
    )


@router.get("/reviews/rounds", response=RoundPage, summary="Spot-check rounds drawn")
def list_rounds(
    request: HttpRequest, paging: Query[Paging], month: str = "", unit: str = ""
) -> dict[str, Any]:
    rounds = _rounds(request)
    if month:
        rounds = rounds.filter(month=oversight.parse_month(month).text)
    if unit:
        rounds = rounds.filter(unit__code=unit)
    return paged(rounds.order_by("-month", "unit__path"), paging)


def _round_detail(request: HttpRequest, drawn: ReviewRound) -> ReviewRound:
    outcome = oversight.check_round(drawn)
    officers: dict[str, dict[str, Any]] = {}
    for review in _reviews(request).filter(round=drawn).order_by("inspection__lead_officer_id"):
        name = review.inspection.lead_officer.get_username()
        row = officers.setdefault(
            name, {"officer": name, "sampled": 0, "confirmed": 0, "problem": 0, "pending": 0}
        )
        row["sampled"] += 1
        row[review.status] += 1
    detail: Any = drawn
    detail.verified, detail.problems = outcome.verified, outcome.problems
    detail.officers = list(officers.values())
    return detail


@router.get("/reviews/rounds/{int:round_id}", response=RoundDetail, summary="One round, verified")
def get_round(request: HttpRequest, round_id: int) -> ReviewRound:
    drawn = get_scoped(_rounds(request), request.user, pk=round_id)
    return _round_detail(request, drawn)


class ReviewDrawIn(Schema):
    unit: str = Field(description="station code")
    month: str = Field(description="a finished month, YYYY-MM")


@router.post(
    "/reviews/rounds",
    response={200: RoundDetail, 201: RoundDetail},
    summary="Draw a station's sample of a finished month (200: the round already drawn)",
)
def draw(request: HttpRequest, payload: ReviewDrawIn) -> Status[ReviewRound]:
    station = get_scoped(Unit.objects.all(), request.user, code=payload.unit)
    existed = ReviewRound.objects.filter(unit=station, month=payload.month.strip()).exists()
    drawn = oversight.draw_reviews(unit=station, month=payload.month, actor=request.user)
    fresh = get_scoped(_rounds(request), request.user, pk=drawn.pk)
    return Status(200 if existed else 201, _round_detail(request, fresh))


# Supervision (督办) ------------------------------------------------------------------------------


class StepOut(Schema):
    at: dt.datetime
    actor: str
    action: str
    text: str


class SupervisionOut(Schema):
    id: int
    title: str
    description: str
    issued_by_unit: str
    issued_by: str
    unit: str
    entity: str | None = Field(description="USCC")
    inspection_id: int | None
    issued_on: dt.date
    deadline: dt.date
    status: str
    overdue: bool
    response: str
    responded_at: dt.datetime | None
    closed_on: dt.date | None

    @staticmethod
    def resolve_issued_by_unit(obj: SupervisionItem) -> str:
        return obj.issued_by_unit.code

    @staticmethod
    def resolve_issued_by(obj: SupervisionItem) -> str:
        return obj.issued_by.get_username()

    @staticmethod
    def resolve_unit(obj: SupervisionItem) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_entity(obj: SupervisionItem) -> str | None:
        return obj.entity.uscc if obj.entity else None

    @staticmethod
    def resolve_overdue(obj: SupervisionItem) -> bool:
        return oversight.is_overdue(obj)


class SupervisionDetail(SupervisionOut):
    exchange: list[StepOut]

    @staticmethod
    def resolve_exchange(obj: SupervisionItem) -> list[oversight.Step]:
        return oversight.exchange(obj)


class SupervisionPage(Schema):
    count: int
    count_exact: bool
    page: int
    page_size: int
    items: list[SupervisionOut]


class SupervisionFilter(Paging):
    status: str = Field("", description="open / answered / returned / closed / overdue")
    unit: str = Field("", description="station code")


def _items(request: HttpRequest) -> QuerySet[SupervisionItem]:
    return scoped(
        SupervisionItem.objects.select_related("unit", "issued_by_unit", "issued_by", "entity"),
        request.user,
    )


@router.get("/supervision-items", response=SupervisionPage, summary="Supervision items (督办)")
def list_items(request: HttpRequest, filters: Query[SupervisionFilter]) -> dict[str, Any]:
    items = _items(request)
    if filters.unit:
        items = items.filter(unit__code=filters.unit)
    if filters.status == "overdue":
        items = oversight.overdue(items, timezone.localdate())
    elif filters.status:
        items = items.filter(status=filters.status)
    return paged(items.order_by("deadline", "id"), filters)


class SupervisionIssueIn(Schema):
    unit: str = Field(description="station code")
    title: str
    description: str
    deadline: dt.date | None = Field(None, description="after today")
    entity: str | None = Field(None, description="USCC of the entity concerned")
    inspection: int | None = Field(None, description="id of the inspection concerned")


@router.post(
    "/supervision-items",
    response={201: SupervisionDetail},
    summary="Put a matter to a station with a deadline",
)
def issue(request: HttpRequest, payload: SupervisionIssueIn) -> Status[SupervisionItem]:
    station = get_scoped(Unit.objects.all(), request.user, code=payload.unit)
    entity = inspection = None
    if payload.entity:
        entity = scoped(Entity.objects.all(), request.user).filter(uscc=payload.entity).first()
        if entity is None:
            raise InvalidInput.single(
                "entity", _("未找到该统一社会信用代码的主体：%(v)s") % {"v": payload.entity}
            )
    if payload.inspection is not None:
        inspection = (
            scoped(Inspection.objects.all(), request.user).filter(pk=payload.inspection).first()
        )
        if inspection is None:
            raise InvalidInput.single(
                "inspection", _("未找到该检查记录：%(v)s") % {"v": payload.inspection}
            )
    item = oversight.issue_supervision(
        actor=request.user,
        unit=station,
        title=payload.title,
        description=payload.description,
        deadline=payload.deadline,
        entity=entity,
        inspection=inspection,
    )
    return Status(201, item)


@router.get(
    "/supervision-items/{int:item_id}",
    response=SupervisionDetail,
    summary="One item with its exchange",
)
def get_item(request: HttpRequest, item_id: int) -> SupervisionItem:
    return get_scoped(_items(request), request.user, pk=item_id)


class AnswerIn(Schema):
    response: str


@router.post(
    "/supervision-items/{int:item_id}/answer",
    response=SupervisionDetail,
    summary="The station director's answer",
)
def answer(request: HttpRequest, item_id: int, payload: AnswerIn) -> SupervisionItem:
    item = get_scoped(_items(request), request.user, pk=item_id)
    return oversight.answer_supervision(item=item, actor=request.user, response=payload.response)


class SupervisionCloseIn(Schema):
    accepted: bool = Field(description="true: closed; false: returned to be done again")
    note: str = ""


@router.post(
    "/supervision-items/{int:item_id}/close",
    response=SupervisionDetail,
    summary="The issuer closes the item or returns it (note required)",
)
def close(request: HttpRequest, item_id: int, payload: SupervisionCloseIn) -> SupervisionItem:
    item = get_scoped(_items(request), request.user, pk=item_id)
    return oversight.close_supervision(
        item=item, actor=request.user, accepted=payload.accepted, note=payload.note
    )
