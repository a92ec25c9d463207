"""API of annual targets: /api/v1/targets, each unit's targets with their completion (scoped)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone
from ninja import Router, Schema
from pydantic import Field

from xiaoneng.cases.api import Amount
from xiaoneng.cases.models import Target
from xiaoneng.cases.targets import services as targets
from xiaoneng.core.api_paging import Year
from xiaoneng.core.scoping import get_scoped, scoped
from xiaoneng.org.models import Unit
from xiaoneng.org.requests import OfficerRequest

router = Router(tags=["cases"])


class ProgressOut(Schema):
    metric: str
    label: str
    target: Decimal
    achieved: Decimal
    rate: Decimal = Field(description="achieved / target, percent, one decimal place")
    elapsed: Decimal = Field(description="share of the year passed, percent")
    sentence: str


class UnitTargetsOut(Schema):
    unit: str
    name: str
    year: int
    targets: list[ProgressOut]


def _progress(unit: Unit, year: int, today: dt.date) -> dict[str, Any]:
    return {
        "unit": unit.code,
        "name": unit.name,
        "year": year,
        "targets": [
            {
                "metric": p.metric,
                "label": p.label,
                "target": p.value,
                "achieved": p.achieved,
                "rate": p.rate,
                "elapsed": p.elapsed,
                "sentence": p.sentence,
            }
            for p in targets.completion(unit=unit, year=year, today=today)
        ],
    }


@router.get(
    "/targets",
    response=list[UnitTargetsOut],
    summary="Each unit's targets of a year with their completion",
)
def list_targets(
    request: OfficerRequest, year: Year | None = None, unit: str = ""
) -> list[dict[str, Any]]:
    today = timezone.localdate()
    year = year or today.year
    rows = scoped(Target.objects.filter(year=year), request.user)
    if unit:
        rows = rows.filter(unit__code=unit)
    ids = set(rows.values_list("unit_id", flat=True))
    units = Unit.objects.filter(pk__in=ids).order_by("path")
    return [_progress(u, year, today) for u in units]


class TargetIn(Schema):
    unit: str = Field(description="unit code")
    year: int
    metric: str
    value: Amount = None
    note: str = ""


@router.post(
    "/targets",
    response={200: UnitTargetsOut},
    summary="Set (or change) a unit's annual target; the trace keeps the old value",
)
def set_target(request: OfficerRequest, payload: TargetIn) -> Any:
    unit = get_scoped(Unit.objects.all(), request.user, code=payload.unit)
    targets.set_target(
        actor=request.user,
        unit=unit,
        year=payload.year,
        metric=payload.metric,
        value=payload.value,
        note=payload.note,
    )
    return _progress(unit, payload.year, timezone.localdate())
