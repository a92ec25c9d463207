"""API of the supervision spot checks (监督抽查, 篇4) under /api/v1/sampling: plans, samples and
pass rates, scoped to the user; the follow-ups of failed batches in ``sampling.followup_api``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field

from xiaoneng.core.api_paging import Id, OneOf, Paging, Year, paged
from xiaoneng.core.scoping import get_scoped
from xiaoneng.inspections.sampling import rates as sampling_rates
from xiaoneng.inspections.sampling import services as sampling
from xiaoneng.inspections.sampling.models import Sample, SampleFollowUp, SamplingPlan
from xiaoneng.org.requests import OfficerRequest

router = Router(tags=["sampling"])


# Plans ---------------------------------------------------------------------------------------


class SamplingPlanOut(Schema):
    id: int
    year: int
    title: str
    category: str
    region_code: str
    unit: str
    planned_batches: int
    standard: str
    laboratory: str
    sampled: int = Field(description="batches sampled that the user sees")
    pending: int = Field(description="of which the verdict is not yet in")
    failed: int

    @staticmethod
    def resolve_unit(obj: SamplingPlan) -> str:
        return obj.unit.code


class SamplingPlanPage(Schema):
    count: int
    count_exact: bool
    page: int
    page_size: int
    items: list[SamplingPlanOut]


class PlanIn(Schema):
    year: int
    title: str
    category: str = Field(description="product category, e.g. 化肥")
    region_code: str = Field(description="6-digit administrative division code")
    unit: str | None = Field(None, description="organising unit code (default: the user's)")
    planned_batches: int
    standard: str = ""
    laboratory: str = ""


class PlanFilter(Paging):
    year: Year | None = None
    category: str = ""


def _plans(request: OfficerRequest) -> QuerySet[SamplingPlan]:
    plans = sampling.visible_plans(request.user).select_related("unit")
    return sampling.with_counts(plans, request.user)


def _plan(request: OfficerRequest, plan_id: int) -> SamplingPlan:
    found = _plans(request).filter(pk=plan_id).first()
    if found is None:
        raise Http404
    return found


@router.get("/sampling/plans", response=SamplingPlanPage, summary="Sampling plans the user sees")
def list_plans(request: OfficerRequest, filters: Query[PlanFilter]) -> dict[str, Any]:
    plans = _plans(request)
    if filters.year:
        plans = plans.filter(year=filters.year)
    if filters.category:
        plans = plans.filter(category=filters.category)
    return paged(plans.order_by("-year", "category", "id"), filters)


@router.get("/sampling/plans/{int:plan_id}", response=SamplingPlanOut, summary="One sampling plan")
def get_plan(request: OfficerRequest, plan_id: int) -> SamplingPlan:
    return _plan(request, plan_id)


@router.post("/sampling/plans", response={201: SamplingPlanOut}, summary="Create a sampling plan")
def create_plan(request: OfficerRequest, payload: PlanIn) -> Status[SamplingPlan]:
    home = request.user.unit
    unit = payload.unit or (home.code if home is not None else "")
    plan = sampling.create_plan(
        actor=request.user,
        year=payload.year,
        title=payload.title,
        category=payload.category,
        region_code=payload.region_code,
        unit=unit,
        planned_batches=payload.planned_batches,
        standard=payload.standard,
        laboratory=payload.laboratory,
    )
    return Status(201, _plan(request, plan.pk))


# Samples -------------------------------------------------------------------------------------


class SampleOut(Schema):
    id: int
    plan_id: int
    uscc: str | None
    firm_name: str
    producer: str
    product: str
    specification: str
    batch_number: str
    sampled_on: dt.date
    region_code: str
    unit: str
    result: str = Field(description="pending / pass / fail")
    failed_items: str
    reported_on: dt.date | None
    follow_up_id: int | None

    @staticmethod
    def resolve_uscc(obj: Sample) -> str | None:
        return obj.entity.uscc if obj.entity else None

    @staticmethod
    def resolve_unit(obj: Sample) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_follow_up_id(obj: Sample) -> int | None:
        follow_up = SampleFollowUp.objects.filter(sample=obj).values_list("pk", flat=True)
        return follow_up.first()


class SamplePage(Schema):
    count: int
    count_exact: bool
    page: int
    page_size: int
    items: list[SampleOut]


class SampleIn(Schema):
    firm_name: str = Field("", description="may be empty when uscc names a registered entity")
    uscc: str | None = None
    product: str
    batch_number: str
    sampled_on: dt.date | None = Field(None, description="YYYY-MM-DD, in the plan's year")
    producer: str = ""
    specification: str = ""


class SampleFilter(Paging):
    plan: Id | None = None
    result: Annotated[str, OneOf(Sample.Result.values)] = ""
    year: Year | None = None


class SampleResultIn(Schema):
    result: str = Field(description="pass / fail")
    failed_items: str = Field("", description="required for fail, e.g. 总养分、标识")
    reported_on: dt.date | None = None


def _samples(request: OfficerRequest) -> QuerySet[Sample]:
    return sampling.visible_samples(request.user).select_related("entity", "unit")


@router.get("/sampling/samples", response=SamplePage, summary="Batches sampled (user's units)")
def list_samples(request: OfficerRequest, filters: Query[SampleFilter]) -> dict[str, Any]:
    samples = _samples(request)
    if filters.plan:
        samples = samples.filter(plan_id=filters.plan)
    if filters.result:
        samples = samples.filter(result=filters.result)
    if filters.year:
        samples = samples.filter(plan__year=filters.year)
    return paged(samples.order_by("-sampled_on", "-id"), filters)


@router.get("/sampling/samples/{int:sample_id}", response=SampleOut, summary="One batch")
def get_sample(request: OfficerRequest, sample_id: int) -> Sample:
    return get_scoped(_samples(request), request.user, pk=sample_id)


@router.post(
    "/sampling/plans/{int:plan_id}/samples",
    response={201: SampleOut},
    summary="Record a batch sampled under a plan",
)
def create_sample(request: OfficerRequest, plan_id: int, payload: SampleIn) -> Status[Sample]:
    plan = _plan(request, plan_id)
    sample = sampling.record_sample(actor=request.user, plan=plan, **payload.dict())
    return Status(201, sample)


@router.post(
    "/sampling/samples/{int:sample_id}/result",
    response=SampleOut,
    summary="Record the laboratory's verdict (a fail opens the follow-up)",
)
def record_result(request: OfficerRequest, sample_id: int, payload: SampleResultIn) -> Sample:
    sample = get_scoped(_samples(request), request.user, pk=sample_id)
    return sampling.record_result(sample=sample, actor=request.user, **payload.dict())


# Pass rates ----------------------------------------------------------------------------------


class RateOut(Schema):
    key: str
    label: str
    firms: int
    batches: int = Field(description="batches with a verdict")
    passed: int
    failed: int
    pending: int
    pass_rate: Decimal | None = Field(description="per cent, one decimal place")
    previous_batches: int
    previous_rate: Decimal | None
    change: Decimal | None = Field(description="percentage points against the previous year")
    change_text: str
    sentence: str


class FollowUpFiguresOut(Schema):
    failed: int
    closed: int
    escalated: int
    in_progress: int
    overdue: int


class RatesOut(Schema):
    year: int
    by: str
    overall: RateOut
    rows: list[RateOut]
    follow_up: FollowUpFiguresOut
    follow_up_sentence: str


RATE_FIELDS = (
    "key",
    "label",
    "firms",
    "batches",
    "passed",
    "failed",
    "pending",
    "pass_rate",
    "previous_batches",
    "previous_rate",
    "change",
    "change_text",
)


def _rate(rate: sampling_rates.Rate, year: int) -> dict[str, Any]:
    values = {name: getattr(rate, name) for name in RATE_FIELDS}
    return values | {"sentence": sampling_rates.summary_sentence(rate, year=year)}


@router.get(
    "/sampling/rates",
    response=RatesOut,
    summary="Pass rates of a year by category, region or unit, with the change against last year",
)
def pass_rates(
    request: OfficerRequest,
    year: Year | None = None,
    by: Literal["category", "region", "unit"] = "category",
) -> dict[str, Any]:
    today = timezone.localdate()
    year = year or today.year
    samples = sampling.visible_samples(request.user)
    rows = sampling_rates.pass_rates(queryset_or_user=samples, year=year, by=by)
    overall = sampling_rates.overall_rate(queryset_or_user=samples, year=year)
    figures = sampling_rates.follow_up_figures(queryset_or_user=samples, year=year, today=today)
    return {
        "year": year,
        "by": by,
        "overall": _rate(overall, year),
        "rows": [_rate(row, year) for row in rows],
        "follow_up": vars(figures),
        "follow_up_sentence": sampling_rates.follow_up_sentence(figures),
    }
