"""API of director spot checks: /reviews and /reviews/rounds, scoped to the user's units."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.db.models import Count, Q, QuerySet
from ninja import Query, Router, Schema, Status
from pydantic import Field

from xiaoneng.core.actors import username_of
from xiaoneng.core.api_paging import Month, OneOf, Paging, paged
from xiaoneng.core.scoping import get_scoped, scoped
from xiaoneng.org.models import Unit
from xiaoneng.org.requests import OfficerRequest
from xiaoneng.oversight.reviews import services as director_reviews
from xiaoneng.oversight.reviews.models import DirectorReview, ReviewRound

router = Router(tags=["oversight"])


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
        return username_of(obj.reviewer)


class ReviewPage(Schema):
    count: int
    count_exact: bool
    page: int
    page_size: int
    items: list[ReviewOut]


class ReviewFilter(Paging):
    month: Month = ""
    unit: str = Field("", description="station code")
    status: Annotated[str, OneOf(DirectorReview.Status.values)] = ""
    officer: str = Field("", description="lead officer's username")


def _reviews(request: OfficerRequest) -> QuerySet[DirectorReview]:
    return scoped(
        DirectorReview.objects.select_related(
            "round", "unit", "inspection__entity", "inspection__lead_officer", "reviewer"
        ),
        request.user,
    )


@router.get("/reviews", response=ReviewPage, summary="Director spot checks of the user's units")
def list_reviews(request: OfficerRequest, filters: Query[ReviewFilter]) -> dict[str, Any]:
    reviews = _reviews(request)
    if filters.month:
        reviews = reviews.filter(round__month=director_reviews.parse_month(filters.month).text)
    if filters.unit:
        reviews = reviews.filter(unit__code=filters.unit)
    if filters.status:
        reviews = reviews.filter(status=filters.status)
    if filters.officer:
        reviews = reviews.filter(inspection__lead_officer__username=filters.officer)
    return paged(reviews.order_by("-round__month", "unit__path", "inspection_id"), filters)


@router.get("/reviews/{int:review_id}", response=ReviewOut, summary="One sampled record's review")
def get_review(request: OfficerRequest, review_id: int) -> DirectorReview:
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
def conclude(request: OfficerRequest, review_id: int, payload: ReviewIn) -> DirectorReview:
    review = get_scoped(_reviews(request), request.user, pk=review_id)
    return director_reviews.review_inspection(review=review, actor=request.user, **payload.dict())


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
        return username_of(obj.drawn_by)


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


def _rounds(request: OfficerRequest) -> QuerySet[ReviewRound]:
    pending = Q(reviews__status=DirectorReview.Status.PENDING)
    return scoped(
        ReviewRound.objects.select_related("unit", "drawn_by").annotate(
            sampled=Count("reviews"), pending=Count("reviews", filter=pending)
        ),
        request.user,
    )


@router.get("/reviews/rounds", response=RoundPage, summary="Spot-check rounds drawn")
def list_rounds(
    request: OfficerRequest, paging: Query[Paging], month: Month = "", unit: str = ""
) -> dict[str, Any]:
    rounds = _rounds(request)
    if month:
        rounds = rounds.filter(month=director_reviews.parse_month(month).text)
    if unit:
        rounds = rounds.filter(unit__code=unit)
    return paged(rounds.order_by("-month", "unit__path"), paging)


def _round_detail(request: OfficerRequest, drawn: ReviewRound) -> ReviewRound:
    outcome = director_reviews.check_round(drawn)
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
def get_round(request: OfficerRequest, round_id: int) -> ReviewRound:
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
def draw(request: OfficerRequest, payload: ReviewDrawIn) -> Status[ReviewRound]:
    station = get_scoped(Unit.objects.all(), request.user, code=payload.unit)
    existed = ReviewRound.objects.filter(unit=station, month=payload.month.strip()).exists()
    drawn = director_reviews.draw_reviews(unit=station, month=payload.month, actor=request.user)
    fresh = get_scoped(_rounds(request), request.user, pk=drawn.pk)
    return Status(200 if existed else 201, _round_detail(request, fresh))
