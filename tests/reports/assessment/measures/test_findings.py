"""发现问题标化比 computed by hand: two officers with very different raw findings per inspection
but the same risk-adjusted ratio, a third whose ratio differs, the class × grade rolled back to
the visit, corrections, the period's edges, no data and the drill-down.

March 2026, four-item checklists. Strata: easy = class Ⅲ × grade A (east), hard = class Ⅰ ×
grade D (west).

    officer          easy visits (findings)   hard visits (findings)
    east_officer     4 (1, 0, 1, 0) = 2        —
    west_officer     —                         2 (2*, 2) = 4   (*1 + 1 added by a correction)
    east_director    4 (1, 1, 1, 0) = 3        2 (3, 3) = 6

    bureau means: easy 5 ÷ 8 = 0.625, hard 10 ÷ 4 = 2.5 findings per inspection
    east_officer:  2 ÷ (4 × 0.625) = 2 ÷ 2.5 = 0.80   (raw 0.5 per inspection)
    west_officer:  4 ÷ (2 × 2.5)   = 4 ÷ 5   = 0.80   (raw 2.0 per inspection)
    east_director: 9 ÷ (4 × 0.625 + 2 × 2.5) = 9 ÷ 7.5 = 1.20
    score (target 1.2, floor 0.5): 0.80 → (0.80 − 0.50) × 100 ÷ 0.70 = 42.857 → 42.86; 1.20 → 100
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from tests.conftest import County
from tests.inspections.factories import SHANGHAI, make_checklist, make_inspection
from tests.reports.assessment.measures.fixtures_a import MARCH, D, east_entity, scored, west_entity
from xiaoneng.inspections.followup.consequences import record_findings
from xiaoneng.inspections.models import Checklist, Inspection
from xiaoneng.org.models import Officer
from xiaoneng.registry.models import ClassificationChange, Entity
from xiaoneng.reports.assessment.catalogue import OFFICER, STATION
from xiaoneng.reports.assessment.measures.findings import FINDINGS_ADJUSTED
from xiaoneng.reports.assessment.periods import parse_period

pytestmark = pytest.mark.django_db
EASY = {"risk_class": "III", "credit_grade": "A"}
HARD = {"risk_class": "I", "credit_grade": "D"}


def visit(
    entity: Entity,
    officer: Officer,
    day: dt.date,
    fails: int,
    checklist: Checklist,
    **values: Any,
) -> Inspection:
    """A signed inspection failing its first ``fails`` items, with their findings."""
    results = ["fail"] * fails + ["pass"] * (4 - fails)
    record = make_inspection(
        entity=entity, officers=[officer], checklist=checklist, results=results, visited_on=day,
        **values,
    )  # fmt: skip
    if record.status == Inspection.Status.SIGNED:
        record_findings(inspection=record)
    return record


@pytest.fixture
def visits(county: County) -> County:
    c, items = county, make_checklist(items=4)
    a, b, lead = c.east_officer, c.west_officer, c.east_director
    easy = [east_entity(c, f"低风险{i}", **EASY) for i in range(8)]
    hard = [west_entity(c, f"高风险{i}", **HARD) for i in range(4)]
    for entity, day, fails in zip(easy[:4], (2, 10, 20, 31), (1, 0, 1, 0), strict=True):
        visit(entity, a, D(2026, 3, day), fails, items)
    # 低风险1 was graded D after the visit: on 10 March it was an A, an easy entity.
    Entity.objects.filter(pk=easy[1].pk).update(credit_grade="D")
    ClassificationChange.objects.create(
        entity=easy[1], field="credit_grade", old_value="A", new_value="D", reason="失信",
        changed_at=dt.datetime(2026, 3, 25, 10, tzinfo=SHANGHAI),
    )  # fmt: skip
    visit(easy[0], a, D(2026, 4, 1), 3, items)  # the day after: not counted
    visit(easy[2], a, D(2026, 3, 15), 4, items, signed=False)  # a draft: not counted
    first = visit(hard[0], b, D(2026, 3, 5), 1, items)
    visit(hard[0], b, D(2026, 3, 5), 2, items, amends=first)  # adds the second item's finding
    visit(hard[1], b, D(2026, 3, 6), 2, items)
    for entity, fails in zip(easy[4:], (1, 1, 1, 0), strict=True):
        visit(entity, lead, D(2026, 3, 12), fails, items)
    for entity in hard[2:]:
        visit(entity, lead, D(2026, 3, 13), 3, items)
    return c


def test_same_ratio_for_easy_and_hard_grids(visits: County) -> None:
    c = visits
    ids = [c.east_officer.pk, c.west_officer.pk, c.east_director.pk]
    found = FINDINGS_ADJUSTED.measure(OFFICER, ids, MARCH)
    easy, hard, lead = (found[pk] for pk in ids)
    assert (easy.value, easy.numerator, easy.denominator) == (Decimal("0.80"), 2, Decimal("2.50"))
    assert easy.detail == "检查记录4份，发现问题2个，按同类主体平均应发现2.50个"
    assert (hard.value, hard.numerator, hard.denominator) == (Decimal("0.80"), 4, Decimal("5.00"))
    assert (lead.value, lead.numerator, lead.denominator) == (Decimal("1.20"), 9, Decimal("7.50"))
    assert scored(FINDINGS_ADJUSTED, easy.value) == Decimal("42.86")
    assert scored(FINDINGS_ADJUSTED, hard.value) == Decimal("42.86")
    assert scored(FINDINGS_ADJUSTED, lead.value) == Decimal("100.00")


def test_stations_by_inspecting_unit(visits: County) -> None:
    c = visits
    found = FINDINGS_ADJUSTED.measure(STATION, [c.east.pk, c.west.pk, c.bureau.pk], MARCH)
    # east: the 8 easy visits, 5 found of 8 × 0.625 = 5 expected; west: 10 of 4 × 2.5 = 10
    assert (found[c.east.pk].value, found[c.east.pk].numerator) == (Decimal("1.00"), 5)
    assert (found[c.west.pk].value, found[c.west.pk].numerator) == (Decimal("1.00"), 10)
    assert (found[c.bureau.pk].value, found[c.bureau.pk].numerator) == (Decimal("1.00"), 15)
    # (1.00 − 0.50) × 100 ÷ 0.70 = 71.428… → 71.43
    assert scored(FINDINGS_ADJUSTED, found[c.east.pk].value) == Decimal("71.43")


def test_no_inspections_and_nothing_expected_are_no_data(visits: County) -> None:
    c = visits
    nobody = FINDINGS_ADJUSTED.measure(OFFICER, [c.division_staff.pk], MARCH)[c.division_staff.pk]
    assert (nobody.value, nobody.detail) == (None, "期间内无主查的已签名检查记录")
    assert scored(FINDINGS_ADJUSTED, nobody.value) is None
    may = parse_period("2026-05")
    quiet = east_entity(c, "无问题", **EASY)
    visit(quiet, c.east_officer, D(2026, 5, 8), 0, make_checklist(items=4))
    found = FINDINGS_ADJUSTED.measure(OFFICER, [c.east_officer.pk], may)[c.east_officer.pk]
    assert found.value is None
    assert found.detail == (
        "检查记录1份，发现问题0个；同风险类别、信用等级的检查全局均未发现问题，无从比较"
    )


def test_drill_down_lists_each_visit(visits: County) -> None:
    c = visits
    rows = FINDINGS_ADJUSTED.records(OFFICER, c.east_officer.pk, MARCH)
    assert [(r.day, r.state) for r in rows] == [
        (D(2026, 3, 31), "发现问题0个，同类平均0.63个"),
        (D(2026, 3, 20), "发现问题1个，同类平均0.63个"),
        (D(2026, 3, 10), "发现问题0个，同类平均0.63个"),
        (D(2026, 3, 2), "发现问题1个，同类平均0.63个"),
    ]
    assert all(r.url.startswith("/inspections/") for r in rows)
    west = FINDINGS_ADJUSTED.records(OFFICER, c.west_officer.pk, MARCH)
    assert [r.state for r in west] == ["发现问题2个，同类平均2.50个"] * 2  # the correction: once
    assert len(FINDINGS_ADJUSTED.records(STATION, c.bureau.pk, MARCH)) == 4 + 2 + 4 + 2
