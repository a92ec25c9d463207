"""An assessment for the generic scoping test: the east station's officer's result of March
2026, with one indicator (the east station's), under a bureau scheme (shared)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from tests.conftest import County
from xiaoneng.reports.assessment.models import (
    Assessment,
    Result,
    ResultItem,
    Scheme,
    SchemeIndicator,
)

EAST = "城东专属"  # world.EAST (world imports this module)


def records(county: County) -> tuple[dict[str, Any], dict[str, Any]]:
    """(east records, shared records), keyed by FILLS' names."""
    scheme = Scheme.objects.create(subject_kind="officer", year=2026, name="执法人员考核方案")
    SchemeIndicator.objects.create(
        scheme=scheme,
        indicator="plan_completion",
        weight=Decimal(1),
        target=Decimal(100),
        floor=Decimal(60),
    )
    assessment = Assessment.objects.create(
        subject_kind="officer",
        period="2026-03",
        period_kind="month",
        start=dt.date(2026, 3, 1),
        end=dt.date(2026, 3, 31),
        scheme=scheme,
        computed_at=timezone.now(),
    )
    result = Result.objects.create(
        assessment=assessment,
        officer=county.east_officer,
        unit=county.east,
        total=Decimal(75),
        weight_with_data=Decimal(1),
        rank=1,
    )
    ResultItem.objects.create(
        result=result,
        indicator="plan_completion",
        weight=Decimal(1),
        value=Decimal(90),
        numerator=Decimal(9),
        denominator=Decimal(10),
        score=Decimal(75),
        detail=f"{EAST}巡查任务10项，完成9项",
    )
    return {"assessment_result": result}, {"assessment_scheme": scheme}
