"""回访满意率 and 时限预警 over April 2026, against figures worked out by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.conftest import County
from tests.reports.assessment.measures.fixtures_b import (
    APRIL,
    D,
    assert_bulk,
    assert_rows_agree,
    indicator,
    make_callback,
    make_clock,
    measure_of,
    score_of,
    warn,
)
from xiaoneng.reports.assessment.catalogue import OFFICER, STATION
from xiaoneng.timeliness.callbacks.models import Answer, Callback
from xiaoneng.timeliness.clocks.models import Clock, Level

pytestmark = pytest.mark.django_db
S, B, U = Answer.SATISFIED, Answer.BASIC, Answer.UNSATISFIED


@pytest.fixture
def callbacks(county: County) -> None:
    east, officer = county.east, county.east_officer
    for day in range(1, 8):
        make_callback(east, officer, D(2026, 4, day), S)
    make_callback(east, officer, D(2026, 4, 30), S)  # the last day counts
    make_callback(east, officer, D(2026, 4, 9), B)
    make_callback(east, officer, D(2026, 4, 9), U)
    make_callback(east, officer, D(2026, 5, 1), U)  # the day after: not counted
    make_callback(east, officer, D(2026, 3, 31), U)  # the day before: not counted
    make_callback(east, officer, D(2026, 4, 9))  # no overall answer: not answered
    make_callback(east, officer, D(2026, 4, 9), status=Callback.Status.UNREACHABLE)
    make_callback(east, None, D(2026, 4, 12), S)  # no officer recorded: the station's only
    make_callback(county.west, county.west_officer, D(2026, 4, 12), U)
    make_callback(county.division, county.division_staff, D(2026, 4, 12), status="unreachable")


def test_satisfaction_by_officer(county: County, callbacks: None) -> None:
    ids = [county.east_officer.pk, county.west_officer.pk, county.division_staff.pk]
    got = measure_of("callback_satisfaction", OFFICER, ids)
    east = got[county.east_officer.pk]
    # answered 10 (8 满意, 1 基本满意, 1 不满意): 9 / 10 = 90.0 %
    # score (90 - 80) × 100 / (98 - 80) = 55.56
    assert (east.value, east.numerator, east.denominator) == (Decimal("90.0"), 9, 10)
    assert score_of("callback_satisfaction", east.value) == Decimal("55.56")
    assert east.detail == (
        "本期回访11人次，作出总体评价10人次，其中满意8人次、基本满意1人次、不满意1人次"
    )
    west = got[county.west_officer.pk]
    assert (west.value, west.numerator, west.denominator) == (Decimal("0.0"), 0, 1)
    assert score_of("callback_satisfaction", west.value) == Decimal("0.00")
    nothing = got[county.division_staff.pk]  # unreachable only: nothing answered
    assert nothing.value is None and nothing.detail == "本期无作出总体评价的回访"


def test_satisfaction_by_station(county: County, callbacks: None) -> None:
    ids = [county.east.pk, county.west.pk, county.bureau.pk, county.division.pk]
    got = measure_of("callback_satisfaction", STATION, ids)
    # east: the officer's 10 + 1 without an officer = 11 answered, 10 pleased → 90.9 %
    # score (90.9 - 80) × 100 / 18 = 60.56
    east = got[county.east.pk]
    assert (east.value, east.numerator, east.denominator) == (Decimal("90.9"), 10, 11)
    assert score_of("callback_satisfaction", east.value) == Decimal("60.56")
    assert got[county.west.pk].value == Decimal("0.0")
    # bureau: 12 answered, 10 pleased → 83.3 %; score 3.3 × 100 / 18 = 18.33
    bureau = got[county.bureau.pk]
    assert (bureau.value, bureau.numerator, bureau.denominator) == (Decimal("83.3"), 10, 12)
    assert score_of("callback_satisfaction", bureau.value) == Decimal("18.33")
    assert got[county.division.pk].value is None


def test_satisfaction_drill_down(county: County, callbacks: None) -> None:
    assert_rows_agree("callback_satisfaction", OFFICER, county.east_officer.pk)
    assert_rows_agree("callback_satisfaction", STATION, county.bureau.pk)
    rows = indicator("callback_satisfaction").records(OFFICER, county.east_officer.pk, APRIL)
    assert (rows[0].day, rows[0].state, rows[0].counts) == (D(2026, 4, 30), "满意", "numerator")
    assert [r.state for r in rows if r.counts == "denominator"] == ["不满意"]


@pytest.fixture
def clocks(county: County) -> dict[str, Clock]:
    east, officer = county.east, county.east_officer
    made = {
        "c1": make_clock(east, officer, D(2026, 3, 20), stopped_on=D(2026, 4, 5)),
        "c2": make_clock(east, officer, D(2026, 4, 10)),
        "c3": make_clock(east, officer, D(2026, 4, 30)),  # started on the last day
        "c4": make_clock(east, officer, D(2026, 5, 1)),  # started the day after: not counted
        "c5": make_clock(east, officer, D(2026, 3, 1), stopped_on=D(2026, 3, 31)),  # ditto
        "c6": make_clock(east, officer, D(2026, 3, 10), stopped_on=D(2026, 4, 1)),
        "c7": make_clock(east, officer, D(2026, 4, 1)),
        "west": make_clock(county.west, county.west_officer, D(2026, 4, 3)),
    }
    for n in range(20):
        make_clock(east, officer, D(2026, 4, 2), subject=f"个体工商户登记{n}")
    warn(made["c1"], Level.YELLOW, D(2026, 4, 2))
    warn(made["c2"], Level.YELLOW, D(2026, 4, 20))
    warn(made["c2"], Level.RED, D(2026, 4, 28))
    warn(made["c6"], Level.RED, D(2026, 3, 30))  # raised before April
    warn(made["c7"], Level.YELLOW, D(2026, 5, 1))  # raised after April
    return made


def test_warnings_by_officer_and_station(county: County, clocks: dict[str, Clock]) -> None:
    ids = [county.east_officer.pk, county.west_officer.pk, county.division_staff.pk]
    got = measure_of("time_warnings", OFFICER, ids)
    east = got[county.east_officer.pk]
    # running in April: c1 c2 c3 c6 c7 + 20 = 25; warned in April: c1 (yellow), c2 (red) = 2
    # 2 / 25 × 100 = 8.00 per hundred; score (40 − 8) × 100 / (40 − 5) = 91.428… → 91.43
    assert (east.value, east.numerator, east.denominator) == (Decimal("8.00"), 2, 25)
    assert score_of("time_warnings", east.value) == Decimal("91.43")
    assert east.detail == (
        "本期承办限时事项25件，发生预警2件（黄色预警1件、红色预警1件），每百件8.00件"
    )
    west = got[county.west_officer.pk]
    assert (west.value, west.numerator, west.denominator) == (Decimal("0.00"), 0, 1)
    assert score_of("time_warnings", west.value) == Decimal("100.00")
    assert got[county.division_staff.pk].value is None
    assert got[county.division_staff.pk].detail == "本期无承办的限时事项"
    stations = measure_of("time_warnings", STATION, [county.bureau.pk, county.west.pk])
    # bureau: 2 / 26 = 7.69 per hundred; score (40 − 7.69) × 100 / 35 = 92.314… → 92.31
    assert stations[county.bureau.pk].value == Decimal("7.69")
    assert score_of("time_warnings", Decimal("7.69")) == Decimal("92.31")
    assert stations[county.west.pk].value == Decimal("0.00")


def test_warnings_drill_down(county: County, clocks: dict[str, Clock]) -> None:
    assert_rows_agree("time_warnings", OFFICER, county.east_officer.pk)
    assert_rows_agree("time_warnings", STATION, county.bureau.pk)
    rows = indicator("time_warnings").records(OFFICER, county.east_officer.pk, APRIL)
    marked = {r.day: r.state for r in rows if r.counts == "numerator"}
    assert marked == {D(2026, 4, 10): "红色预警", D(2026, 3, 20): "黄色预警"}
    assert rows[0].url == f"/services/cases/{clocks['c3'].subject_id}/"  # the service case


def test_measures_count_every_subject_in_a_few_queries(
    county: County, callbacks: None, clocks: dict[str, Clock]
) -> None:
    officers = [county.east_officer.pk, county.west_officer.pk, county.division_staff.pk]
    stations = [county.east.pk, county.west.pk, county.bureau.pk, county.division.pk]
    for code in ("callback_satisfaction", "time_warnings"):
        if "officer" in indicator(code).subjects:
            assert_bulk(code, OFFICER, officers)
        if "station" in indicator(code).subjects:
            assert_bulk(code, STATION, stations)
