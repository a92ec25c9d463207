"""The troubles the leader's view counts: one of each kind and some that are not, on a fixed day
(``troubles``) or dated from the real today for the list pages (``live``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from tests.conftest import County
from tests.inspections.factories import at, make_checklist, make_inspection
from tests.oversight.leader.helpers import D
from tests.reports.helpers import collect, east_entity, make_case, rectification, west_entity
from xiaoneng.cases.models import Case
from xiaoneng.inspections.models import (
    Finding,
    Inspection,
    Rectification,
    Sample,
    SampleFollowUp,
    SamplingPlan,
    TraceFlag,
)
from xiaoneng.org.models import Unit
from xiaoneng.oversight.reviews import services as director_reviews
from xiaoneng.oversight.reviews.models import DirectorReview, ReviewRound
from xiaoneng.oversight.supervision.models import SupervisionItem


def inspection_of(county: County, unit: Unit) -> Inspection:
    if unit == county.east:
        entity, team = east_entity(county), [county.east_officer, county.east_director]
    else:
        entity, team = west_entity(county), [county.west_officer, county.west_director]
    return make_inspection(entity=entity, officers=team, visited_on=D(2026, 6, 1))


def flag(inspection: Inspection, kind: str, status: str = "open") -> TraceFlag:
    return TraceFlag.objects.create(
        inspection=inspection,
        unit=inspection.unit,
        kind=kind,
        detail="签到距主体 2.3 公里",
        status=status,
        raised_at=at(D(2026, 6, 2), 9),
    )


def supervision(county: County, unit: Unit, deadline: D, status: str = "open") -> SupervisionItem:
    return SupervisionItem.objects.create(
        title=f"督办事项 {unit.code} {deadline}",
        description="限期办结",
        issued_by_unit=county.division,
        issued_by=county.division_staff,
        unit=unit,
        issued_on=D(2026, 6, 1),
        deadline=deadline,
        status=status,
    )


def review(unit: Unit, inspection: Inspection, month: str) -> DirectorReview:
    rounds, _new = ReviewRound.objects.get_or_create(
        unit=unit,
        month=month,
        defaults={
            "rate": Decimal("0.05"),
            "seed": "s",
            "population": 10,
            "drawn_at": at(D(2026, 7, 1), 8),
        },
    )
    return DirectorReview.objects.create(round=rounds, inspection=inspection, unit=unit)


def finding(inspection: Inspection, found_on: D, status: str = "escalated") -> Finding:
    checklist = make_checklist()
    item = checklist.items.first()
    assert item is not None
    return Finding.objects.create(
        inspection=inspection,
        item=item,
        entity=inspection.entity,
        unit=inspection.unit,
        severity="major",
        description="逾期未整改",
        found_on=found_on,
        status=status,
    )


def follow_up(county: County, unit: Unit, status: str, deadline: D | None = None) -> Any:
    plan, _new = SamplingPlan.objects.get_or_create(
        year=2026,
        title="化肥监督抽查",
        defaults={
            "category": "化肥",
            "region_code": "654002",
            "unit": county.division,
            "planned_batches": 10,
        },
    )
    sample = Sample.objects.create(
        plan=plan,
        firm_name=f"农资店{SampleFollowUp.objects.count()}",
        product="复合肥",
        batch_number="B1",
        sampled_on=D(2026, 5, 6),
        region_code="654002",
        unit=unit,
        result="fail",
    )
    return SampleFollowUp.objects.create(sample=sample, unit=unit, status=status, deadline=deadline)


@pytest.fixture
def troubles(county: County) -> County:
    """East: one of each trouble and some that are not; west: one overdue order."""
    east = inspection_of(county, county.east)
    west = inspection_of(county, county.west)
    R = Rectification.Status
    rectification(east, deadline=D(2026, 7, 1))  # overdue, not yet warned
    rectification(east, deadline=D(2026, 7, 15))  # due today: in time
    rectification(east, deadline=D(2026, 7, 1), status=R.RECTIFIED)
    rectification(west, deadline=D(2026, 6, 20), status=R.WARNED, warned_on=D(2026, 6, 22))
    flag(east, "far")
    flag(east, "short")
    flag(east, "uniform", status="cleared")
    flag(west, "far")
    supervision(county, county.east, D(2026, 7, 10))
    supervision(county, county.east, D(2026, 7, 10), status="returned")
    supervision(county, county.east, D(2026, 7, 10), status="answered")
    supervision(county, county.east, D(2026, 7, 31))
    review(county.east, east, "2026-06")
    review(county.east, inspection_of(county, county.east), "2026-07")  # this month: not yet due
    finding(east, D(2026, 6, 1))
    finding(inspection_of(county, county.east), D(2026, 3, 1))  # escalated long ago
    follow_up(county, county.east, "open", D(2026, 7, 1))
    follow_up(county, county.east, "closed")
    return county


@pytest.fixture
def live(county: County) -> County:
    """One record of each trouble and some that are not, dated from the real today: the list
    pages a card links to filter on the real today."""
    today = timezone.localdate()

    def ago(days: int) -> dt.date:
        return today - dt.timedelta(days=days)

    east = inspection_of(county, county.east)
    west = inspection_of(county, county.west)
    R = Rectification.Status
    rectification(east, deadline=ago(14))  # overdue, not yet warned
    rectification(east, deadline=ago(-3))  # in time
    rectification(east, deadline=ago(14), status=R.RECTIFIED)
    rectification(west, deadline=ago(25), status=R.WARNED, warned_on=ago(23))
    flag(east, "far")
    flag(east, "uniform", status="cleared")
    flag(west, "short")
    supervision(county, county.east, ago(5))
    supervision(county, county.east, ago(5), status="returned")
    supervision(county, county.west, ago(5), status="answered")
    supervision(county, county.west, ago(5), status="closed")
    supervision(county, county.east, ago(-10))
    last = director_reviews.last_month(today)
    before = director_reviews.last_month(dt.date.fromisoformat(f"{last}-01"))
    review(county.east, east, last)
    review(county.west, west, last)
    done = review(county.east, inspection_of(county, county.east), last)
    DirectorReview.objects.filter(pk=done.pk).update(status=DirectorReview.Status.CONFIRMED)
    review(county.east, inspection_of(county, county.east), before)  # named in a note
    review(county.west, inspection_of(county, county.west), f"{today:%Y-%m}")  # not yet due
    finding(east, ago(10))
    finding(inspection_of(county, county.east), ago(200))  # escalated long ago
    finding(west, ago(3), status="open")
    follow_up(county, county.east, "open", ago(5))
    follow_up(county, county.west, "rectifying", ago(-5))
    follow_up(county, county.east, "closed")
    paid = make_case(
        county.east,
        county.east_officer,
        status=Case.Status.DECIDED,
        filed_on=ago(60),
        decided_on=ago(30),
        fine_decided=Decimal("1000"),
    )
    collect(paid, "1000", ago(25))
    make_case(county.west, county.west_officer, filed_on=ago(100))
    return county
