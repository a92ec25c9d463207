"""Records for the period report tests, written directly: cases, collections, the half year of
篇2, rectification orders; and the report of a period (the first half of 2026 unless told)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from tests.conftest import County
from tests.registry.factories import make_entity
from xiaoneng.cases.models import Case, CaseKind, Collection
from xiaoneng.inspections.models import Inspection, Rectification
from xiaoneng.org.models import Officer, Unit
from xiaoneng.registry.models import Entity
from xiaoneng.reports.period import PeriodReport, period_report

D = dt.date
FIRST_HALF = (D(2026, 1, 1), D(2026, 6, 30))
TODAY = D(2026, 7, 15)
_numbers = itertools.count(1)


def make_case(
    unit: Unit,
    handler: Officer,
    *,
    kind: str = CaseKind.OTHER,
    filed_on: dt.date | None = dt.date(2026, 3, 2),
    major: bool = False,
    value: str | Decimal = "0",
    status: str = Case.Status.FILED,
    save: bool = True,
    **values: Any,
) -> Case:
    """A case of ``unit`` filed on ``filed_on`` (saved unless ``save`` is False)."""
    received = (filed_on or D(2026, 3, 2)) - dt.timedelta(days=5)
    case = Case(
        number=f"示市监案〔2026〕{next(_numbers):05d}号",
        title="销售不合格商品案",
        kind=kind,
        party="测试经营部",
        unit=unit,
        region_code="654002",
        handler=handler,
        status=status,
        major=major,
        case_value=Decimal(value),
        received_on=values.pop("received_on", received),
        filed_on=filed_on,
        stage_started_on=values.pop("stage_started_on", filed_on or received),
        **values,
    )
    if save:
        case.save()
    return case


def collect(case: Case, amount: str | Decimal, on: dt.date = dt.date(2026, 4, 1)) -> Collection:
    """Money paid in on ``case`` on ``on``."""
    return Collection.objects.create(
        case=case,
        kind=Collection.Kind.FINE,
        amount=Decimal(amount),
        collected_on=on,
        unit=case.unit,
    )


def seed_cases(county: County) -> list[Case]:
    """篇2's half year: 124 cases, 48 major, 案值 10,091,100.00, 入库 1,542,200.00."""
    kinds = [CaseKind.COMMERCIAL_BRIBERY] * 3 + [CaseKind.THREE_FALSE_ONE_FLIGHT] * 5
    kinds += [CaseKind.OTHER] * (124 - len(kinds))
    cases = [
        make_case(
            county.east if n % 2 else county.west,
            county.east_officer if n % 2 else county.west_officer,
            kind=kind,
            major=n < 48,
            value="128100.00" if n == 0 else "81000.00",
            filed_on=D(2026, 1, 5) + dt.timedelta(days=n),
            save=False,
        )
        for n, kind in enumerate(kinds)
    ]
    saved = Case.objects.bulk_create(cases)
    Collection.objects.bulk_create(
        Collection(
            case=case,
            kind=Collection.Kind.FINE,
            amount=Decimal("42200.00") if n == 0 else Decimal("25000.00"),
            collected_on=D(2026, 5, 4),
            unit=case.unit,
        )
        for n, case in enumerate(saved[:61])
    )
    return saved


def report(county: County, **options: Any) -> PeriodReport:
    options.setdefault("start", FIRST_HALF[0])
    options.setdefault("end", FIRST_HALF[1])
    options.setdefault("unit", None)
    options.setdefault("user", None)
    options.setdefault("today", TODAY)
    return period_report(**options)


def east_entity(county: County, **values: Any) -> Entity:
    lon, lat = county.east_point()
    return make_entity(longitude=lon, latitude=lat, **values)


def west_entity(county: County, **values: Any) -> Entity:
    lon, lat = county.west_point()
    return make_entity(longitude=lon, latitude=lat, **values)


HEADLINE = (
    "立案查处各类案件124起，其中大要案48起，案值达1009.11万元，罚没款入库154.22万元，"
    "完成全年目标的128%。"
)


def rectification(
    inspection: Inspection, *, deadline: D, status: str = Rectification.Status.OPEN, **values: Any
) -> Rectification:
    return Rectification.objects.create(
        number=f"示市监责改〔2026〕{next(_numbers)}号",
        entity=inspection.entity,
        unit=inspection.unit,
        inspection=inspection,
        requirements="限期整改",
        issued_on=values.pop("issued_on", inspection.visited_on),
        working_days=10,
        deadline=deadline,
        issued_by=inspection.lead_officer,
        status=status,
        **values,
    )
