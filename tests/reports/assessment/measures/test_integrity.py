"""虚假检查 over April 2026, against figures worked out by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.conftest import County
from tests.inspections.factories import make_flag, make_inspection
from tests.reports.assessment.measures.fixtures_b import (
    APRIL,
    D,
    assert_bulk,
    assert_rows_agree,
    copies,
    indicator,
    measure_of,
    score_of,
)
from tests.reports.helpers import east_entity, west_entity
from xiaoneng.inspections.records.models import Inspection, TraceFlag
from xiaoneng.reports.assessment.catalogue import OFFICER, STATION

F = TraceFlag.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def inspections(county: County) -> dict[str, Inspection]:
    first = make_inspection(
        entity=east_entity(county), officers=[county.east_officer], visited_on=D(2026, 4, 1)
    )
    days = [D(2026, 4, 10), D(2026, 4, 20), D(2026, 4, 30)] + [D(2026, 4, 2)] * 76
    days += [D(2026, 5, 1), D(2026, 3, 31)]  # the day after and the day before
    made = copies(first, days)
    false, cleared, still_open, may, march = made[0], made[1], made[2], made[-2], made[-1]
    make_flag(false, "short", status=F.CONFIRMED)
    make_flag(false, "far", status=F.CONFIRMED)  # the same inspection: one false inspection
    make_flag(cleared, "short", status=F.CLEARED)
    make_flag(still_open, "short")
    make_flag(may, "short", status=F.CONFIRMED)
    make_flag(march, "short", status=F.CONFIRMED)
    make_inspection(  # a draft is not counted
        entity=first.entity, officers=[county.east_officer], visited_on=D(2026, 4, 5), signed=False
    )
    amendment = copies(first, [D(2026, 4, 6)])[0]  # an amendment is not counted again
    Inspection.objects.filter(pk=amendment.pk).update(amends=first)
    west = make_inspection(
        entity=west_entity(county), officers=[county.west_officer], visited_on=D(2026, 4, 8)
    )
    copies(west, [D(2026, 4, 9)])
    return {"false": false, "first": first}


def test_false_inspections_by_officer(county: County, inspections: dict[str, Inspection]) -> None:
    ids = [county.east_officer.pk, county.west_officer.pk, county.division_staff.pk]
    got = measure_of("false_inspections", OFFICER, ids)
    east = got[county.east_officer.pk]
    # signed in April: 1 + 3 + 76 = 80; confirmed false: 1 → 1.25 per hundred
    # score (2 - 1.25) × 100 / (2 - 0) = 37.50
    assert (east.value, east.numerator, east.denominator) == (Decimal("1.25"), 1, 80)
    assert score_of("false_inspections", east.value) == Decimal("37.50")
    assert east.detail == "本期检查80户次，经核实属实的虚假检查1户次，每百次1.25次"
    west = got[county.west_officer.pk]
    assert (west.value, west.numerator, west.denominator) == (Decimal("0.00"), 0, 2)
    assert score_of("false_inspections", west.value) == Decimal("100.00")
    nothing = got[county.division_staff.pk]
    assert nothing.value is None and nothing.detail == "本期无已签名的检查记录"


def test_false_inspections_by_station(county: County, inspections: dict[str, Inspection]) -> None:
    ids = [county.east.pk, county.west.pk, county.bureau.pk, county.division.pk]
    got = measure_of("false_inspections", STATION, ids)
    assert got[county.east.pk].value == Decimal("1.25")
    assert got[county.west.pk].value == Decimal("0.00")
    # bureau: 1 / 82 = 1.22 per hundred; score (2 - 1.22) × 50 = 39.00
    bureau = got[county.bureau.pk]
    assert (bureau.value, bureau.numerator, bureau.denominator) == (Decimal("1.22"), 1, 82)
    assert score_of("false_inspections", bureau.value) == Decimal("39.00")
    assert got[county.division.pk].value is None


def test_false_inspections_drill_down(county: County, inspections: dict[str, Inspection]) -> None:
    assert_rows_agree("false_inspections", OFFICER, county.east_officer.pk)
    assert_rows_agree("false_inspections", STATION, county.west.pk)
    rows = indicator("false_inspections").records(OFFICER, county.east_officer.pk, APRIL)
    false = [r for r in rows if r.counts == "numerator"]
    assert [(r.day, r.state) for r in false] == [
        (D(2026, 4, 10), "疑点属实：检查时长过短、签到位置远离主体")
    ]
    assert false[0].url == f"/inspections/{inspections['false'].pk}/"


def test_measures_count_every_subject_in_a_few_queries(
    county: County, inspections: dict[str, Inspection]
) -> None:
    officers = [county.east_officer.pk, county.west_officer.pk, county.division_staff.pk]
    stations = [county.east.pk, county.west.pk, county.bureau.pk, county.division.pk]
    for code in ("false_inspections",):
        if "officer" in indicator(code).subjects:
            assert_bulk(code, OFFICER, officers)
        if "station" in indicator(code).subjects:
            assert_bulk(code, STATION, stations)
