"""立案目标完成率, 罚没款入库目标完成率 and 办案数 over 2026Q2, against figures worked out by hand.

2026Q2 is 1 April – 30 June: 91 of 2026's 365 days.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.cases.factories import make_target
from tests.conftest import County
from tests.reports.assessment.measures.fixtures_b import (
    D,
    assert_bulk,
    assert_rows_agree,
    indicator,
    measure_of,
    score_of,
)
from tests.reports.helpers import collect, make_case
from xiaoneng.cases.models import Case, TargetMetric
from xiaoneng.reports.assessment.catalogue import OFFICER, STATION
from xiaoneng.reports.assessment.periods import parse_period

Q2 = parse_period("2026Q2")
pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(county: County) -> dict[str, Any]:
    east, west = county.east, county.west
    officer, director = county.east_officer, county.east_director
    filed = [D(2026, 4, 1), D(2026, 4, 20), D(2026, 5, 10), D(2026, 5, 11), D(2026, 6, 1)]
    filed += [D(2026, 6, 30)]  # the last day counts
    made = {f"east{n}": make_case(east, officer, filed_on=day) for n, day in enumerate(filed)}
    made["director1"] = make_case(east, director, filed_on=D(2026, 4, 2))
    made["director2"] = make_case(east, director, filed_on=D(2026, 4, 3))
    # not counted: filed the day after, the day before, withdrawn
    made["july"] = make_case(east, officer, filed_on=D(2026, 7, 1))
    made["march"] = make_case(east, officer, filed_on=D(2026, 3, 31))
    made["withdrawn"] = make_case(
        east, officer, filed_on=D(2026, 5, 5), status=Case.Status.WITHDRAWN
    )
    made["west"] = make_case(west, county.west_officer, filed_on=D(2026, 5, 5))
    collect(made["east0"], "100000.00", D(2026, 4, 1))
    collect(made["east1"], "50000.00", D(2026, 6, 30))
    collect(made["east2"], "30000.00", D(2026, 7, 1))  # the day after
    collect(made["march"], "20000.00", D(2026, 3, 31))  # the day before
    collect(made["west"], "40000.00", D(2026, 5, 5))
    make_target(east, TargetMetric.CASES, 40)
    make_target(east, TargetMetric.FINES_COLLECTED, "1000000")
    make_target(county.bureau, TargetMetric.FINES_COLLECTED, "2000000")
    make_target(west, TargetMetric.CASES, 10, year=2025)  # another year's: no target for 2026
    return made


def test_cases_target_of_stations(county: County, cases: dict[str, Any]) -> None:
    ids = [county.east.pk, county.west.pk, county.bureau.pk]
    got = measure_of("cases_target", STATION, ids, Q2)
    east = got[county.east.pk]
    # 8 filed (6 by the officer, 2 by the director); target 40 × 91 / 365 = 9.97
    # 8 / 9.97 = 80.24 %; score (80.24 - 50) × 100 / (100 - 50) = 60.48
    assert (east.value, east.numerator, east.denominator) == (
        Decimal("80.24"),
        8,
        Decimal("9.97"),
    )
    assert score_of("cases_target", east.value) == Decimal("60.48")
    assert east.detail == "立案数8起，全年目标按本期折算为9.97起"
    # west filed one case but has no 2026 target; the bureau has none for cases
    for unit in (county.west, county.bureau):
        assert got[unit.pk].value is None
        assert got[unit.pk].detail == "本单位未设定本年度立案数目标"
    assert_rows_agree("cases_target", STATION, county.east.pk, Q2, rows_are="count")


def test_fines_target_of_stations(county: County, cases: dict[str, Any]) -> None:
    ids = [county.east.pk, county.west.pk, county.bureau.pk]
    got = measure_of("fines_target", STATION, ids, Q2)
    east = got[county.east.pk]
    # 100,000 + 50,000 = 150,000; target 1,000,000 × 91 / 365 = 249,315.07
    # 150,000 / 249,315.07 = 60.16 %; score (60.16 - 50) × 2 = 20.32
    assert (east.value, east.numerator, east.denominator) == (
        Decimal("60.16"),
        Decimal("150000.00"),
        Decimal("249315.07"),
    )
    assert score_of("fines_target", east.value) == Decimal("20.32")
    assert east.detail == "罚没款入库15.00万元，全年目标按本期折算为24.93万元"
    assert got[county.west.pk].value is None
    # bureau: 190,000 / (2,000,000 × 91 / 365 = 498,630.14) = 38.10 % → score 0
    bureau = got[county.bureau.pk]
    assert (bureau.value, bureau.numerator) == (Decimal("38.10"), Decimal("190000.00"))
    assert score_of("fines_target", bureau.value) == Decimal("0.00")
    rows = indicator("fines_target").records(STATION, county.east.pk, Q2)
    assert [(r.day, r.state) for r in rows] == [
        (D(2026, 6, 30), "罚款50000.00元"),
        (D(2026, 4, 1), "罚款100000.00元"),
    ]
    assert sum(Decimal(r.state[2:-1]) for r in rows) == east.numerator


def test_cases_handled_by_officers(county: County, cases: dict[str, Any]) -> None:
    ids = [
        county.east_officer.pk,
        county.east_director.pk,
        county.west_officer.pk,
        county.division_staff.pk,
    ]
    got = measure_of("cases_handled", OFFICER, ids, Q2)
    officer = got[county.east_officer.pk]
    # 6 in 91 days → 6 × 365 / 91 = 24.07 a year → score 100
    assert (officer.value, officer.numerator, officer.denominator) == (Decimal("24.07"), 6, None)
    assert officer.detail == "本期承办立案案件6起，折合全年24.07起"
    assert score_of("cases_handled", officer.value) == Decimal("100.00")
    # west: 1 → 365 / 91 = 4.01 a year; score 4.01 × 100 / 6 = 66.83
    west = got[county.west_officer.pk]
    assert west.value == Decimal("4.01")
    assert score_of("cases_handled", west.value) == Decimal("66.83")
    assert got[county.east_director.pk].value == Decimal("8.02")
    # an officer who handled no case handled none: 0, not "no data"
    assert got[county.division_staff.pk].value == Decimal("0.00")
    assert score_of("cases_handled", Decimal("0.00")) == Decimal("0.00")
    assert_rows_agree("cases_handled", OFFICER, county.east_officer.pk, Q2, rows_are="count")


def test_a_year_needs_the_whole_target(county: County, cases: dict[str, Any]) -> None:
    year = parse_period("2026")
    east = measure_of("cases_target", STATION, [county.east.pk], year)[county.east.pk]
    # 2026: 8 in Q2 + the one of 31 March + the one of 1 July = 10; 10 / 40 = 25 %
    assert (east.value, east.numerator, east.denominator) == (
        Decimal("25.00"),
        10,
        Decimal("40.00"),
    )


def test_measures_count_every_subject_in_a_few_queries(
    county: County, cases: dict[str, Any]
) -> None:
    officers = [county.east_officer.pk, county.west_officer.pk, county.division_staff.pk]
    stations = [county.east.pk, county.west.pk, county.bureau.pk, county.division.pk]
    for code in ("cases_target", "fines_target", "cases_handled"):
        if "officer" in indicator(code).subjects:
            assert_bulk(code, OFFICER, officers, Q2)
        if "station" in indicator(code).subjects:
            assert_bulk(code, STATION, stations, Q2)
