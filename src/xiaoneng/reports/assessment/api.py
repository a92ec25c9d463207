"""API of 效能考核, under /assessment: the indicator catalogue, the schemes, a period's results
(scoped to the user's units), one result with its indicators, the records behind one
indicator, and computing a period (docs/assessment.md)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from xiaoneng.core.errors import Missing
from xiaoneng.org.requests import OfficerRequest
from xiaoneng.reports.assessment import catalogue, queries, services
from xiaoneng.reports.assessment.models import Result, Scheme
from xiaoneng.reports.assessment.periods import parse_period

router = Router(tags=["assessment"])
Kind = Literal["officer", "station"]
SchemeRole = Literal["", "grid_officer", "station_director"]


class AssessmentIndicatorOut(Schema):
    code: str
    label: str
    unit: str
    direction: str = Field(description="higher or lower: which way is better")
    subjects: list[str]
    target: Decimal = Field(description="default value scoring 100")
    floor: Decimal = Field(description="default value scoring 0")
    definition: str


@router.get(
    "/assessment/indicators",
    response=list[AssessmentIndicatorOut],
    summary="The indicator catalogue (指标体系)",
)
def list_indicators(request: OfficerRequest) -> list[dict[str, Any]]:
    return [
        {
            "code": i.code,
            "label": str(i.label),
            "unit": i.unit,
            "direction": i.direction,
            "subjects": list(i.subjects),
            "target": i.target,
            "floor": i.floor,
            "definition": str(i.definition),
        }
        for i in catalogue.load().values()
    ]


class AssessmentWeightIn(Schema):
    indicator: str
    weight: Decimal = Field(description="more than 0, at most 1; a scheme's weights sum to 1")
    target: Decimal = Field(description="the value scoring 100")
    floor: Decimal = Field(description="the value scoring 0")


class AssessmentWeightOut(AssessmentWeightIn):
    pass


class AssessmentSchemeIn(Schema):
    kind: Kind
    role: SchemeRole = Field(
        "", description="officers of this role only (officer schemes); empty: every subject"
    )
    year: int = Field(description="the first year it applies to")
    name: str
    note: str = ""
    items: list[AssessmentWeightIn]


class AssessmentSchemeOut(Schema):
    id: int
    kind: str
    role: str = Field(description="officers of this role only; empty: every subject of the kind")
    year: int
    version: int
    name: str
    note: str
    items: list[AssessmentWeightOut]


def _scheme_out(scheme: Scheme) -> dict[str, Any]:
    return {
        "id": scheme.pk,
        "kind": scheme.subject_kind,
        "role": scheme.role,
        "year": scheme.year,
        "version": scheme.version,
        "name": scheme.name,
        "note": scheme.note,
        "items": [
            {"indicator": i.indicator, "weight": i.weight, "target": i.target, "floor": i.floor}
            for i in scheme.items.all()
        ],
    }


@router.get("/assessment/schemes", response=list[AssessmentSchemeOut], summary="Weighting schemes")
def list_schemes(request: OfficerRequest) -> list[dict[str, Any]]:
    return [_scheme_out(s) for s in Scheme.objects.prefetch_related("items")]


@router.post(
    "/assessment/schemes",
    response={201: AssessmentSchemeOut},
    summary="A new weighting scheme (the year's next version)",
)
def create_scheme(request: OfficerRequest, payload: AssessmentSchemeIn) -> Any:
    scheme = services.save_scheme(
        kind=payload.kind,
        year=payload.year,
        name=payload.name,
        note=payload.note,
        role=payload.role,
        items=[services.Item(i.indicator, i.weight, i.target, i.floor) for i in payload.items],
        actor=request.user,
    )
    return Status(201, _scheme_out(scheme))


class AssessmentItemOut(Schema):
    indicator: str
    label: str
    weight: Decimal
    value: Decimal | None = Field(description="null: no data")
    numerator: Decimal | None
    denominator: Decimal | None
    score: Decimal | None = Field(description="0–100; null: no data")
    detail: str


class AssessmentResultOut(Schema):
    id: int
    scheme: int | None = Field(description="the scheme the subject was scored with")
    rank: int | None
    total: Decimal | None = Field(description="null: no indicator had data")
    weight_with_data: Decimal
    officer: str | None = Field(description="the officer's user name (officer assessments)")
    name: str
    unit: str = Field(description="unit code")
    items: list[AssessmentItemOut]


class AssessmentOut(Schema):
    id: int
    kind: str
    period: str
    start: dt.date
    end: dt.date
    scheme: int
    computed_at: dt.datetime
    ranked: int = Field(description="subjects with a rank, bureau-wide")
    results: list[AssessmentResultOut] = Field(description="those of the user's units")


def _result_out(result: Result) -> dict[str, Any]:
    known = catalogue.load()
    return {
        "id": result.pk,
        "scheme": result.scheme_id,
        "rank": result.rank,
        "total": result.total,
        "weight_with_data": result.weight_with_data,
        "officer": result.officer.username if result.officer else None,
        "name": queries.subject_name(result),
        "unit": result.unit.code,
        "items": [
            {
                "indicator": i.indicator,
                "label": str(known[i.indicator].label) if i.indicator in known else i.indicator,
                "weight": i.weight,
                "value": i.value,
                "numerator": i.numerator,
                "denominator": i.denominator,
                "score": i.score,
                "detail": i.detail,
            }
            for i in result.items.all()
        ],
    }


class AssessmentQuery(Schema):
    period: str = Field("", description="2026-11, 2026Q4 or 2026 (default: the last whole month)")
    kind: Kind = "officer"


@router.get(
    "/assessment/results",
    response=AssessmentOut,
    summary="A period's latest assessment: the results of the user's units",
)
def get_results(request: OfficerRequest, query: Query[AssessmentQuery]) -> dict[str, Any]:
    if query.period:
        period = parse_period(query.period)
    else:
        period = queries.default_period(timezone.localdate())
    assessment = services.latest(query.kind, period)
    if assessment is None:
        raise Missing(_("%(title)s的效能考核尚未计算") % {"title": period.title})
    results = queries.visible_results(assessment, request.user).prefetch_related("items")
    return {
        "id": assessment.pk,
        "kind": assessment.subject_kind,
        "period": assessment.period,
        "start": assessment.start,
        "end": assessment.end,
        "scheme": assessment.scheme_id,
        "computed_at": assessment.computed_at,
        "ranked": assessment.results.exclude(rank__isnull=True).count(),
        "results": [_result_out(r) for r in results],
    }


@router.get(
    "/assessment/results/{int:result_id}",
    response=AssessmentResultOut,
    summary="One result with each indicator's measure and score",
)
def get_result(request: OfficerRequest, result_id: int) -> dict[str, Any]:
    return _result_out(queries.result_for(request.user, result_id))


class AssessmentRecordOut(Schema):
    day: dt.date | None
    kind: str
    title: str
    state: str
    url: str
    counts: str = Field(description="numerator, denominator or empty")


@router.get(
    "/assessment/results/{int:result_id}/{code}/records",
    response=list[AssessmentRecordOut],
    summary="The records behind one indicator of a result (as they are now)",
)
def get_records(request: OfficerRequest, result_id: int, code: str) -> list[Any]:
    result = queries.result_for(request.user, result_id)
    indicator = services.indicator(code)
    if indicator is None or not result.items.filter(indicator=code).exists():
        raise Http404
    assessment = result.assessment
    subject = result.officer_id if result.officer_id is not None else result.unit_id
    rows = indicator.records(assessment.subject_kind, subject, parse_period(assessment.period))
    return [row.__dict__ for row in rows]


class AssessmentComputeIn(Schema):
    period: str = Field(description="2026-11, 2026Q4 or 2026")
    kind: Kind


class AssessmentComputedOut(Schema):
    id: int
    period: str
    kind: str
    subjects: int
    ranked: int


@router.post(
    "/assessment/compute",
    response={201: AssessmentComputedOut},
    summary="Compute a period's assessment from the records (stored as a new assessment)",
)
def compute(request: OfficerRequest, payload: AssessmentComputeIn) -> Any:
    period = parse_period(payload.period)
    assessment = services.compute(kind=payload.kind, period=period, actor=request.user)
    return Status(
        201,
        {
            "id": assessment.pk,
            "period": assessment.period,
            "kind": assessment.subject_kind,
            "subjects": assessment.results.filter(whole=False).count(),
            "ranked": assessment.results.exclude(rank__isnull=True).count(),
        },
    )
