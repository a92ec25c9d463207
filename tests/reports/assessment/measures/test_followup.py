"""整改到位率 and 平均整改用时 over April 2026, against figures worked out by hand."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.conftest import County
from tests.inspections.factories import make_inspection
from tests.reports.assessment.measures.fixtures_b import (
    APRIL,
    D,
    assert_bulk,
    assert_rows_agree,
    indicator,
    measure_of,
    score_of,
)
from tests.reports.helpers import east_entity, rectification, west_entity
from xiaoneng.inspections.followup.models import Rectification
from xiaoneng.reports.assessment.catalogue import OFFICER, STATION

R = Rectification.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def orders(county: County) -> dict[str, Any]:
    """East officer: deadlines in April o1…o4, o6, o7 (o5 is due on 1 May); west officer: o8."""
    east = make_inspection(
        entity=east_entity(county), officers=[county.east_officer], visited_on=D(2026, 3, 20)
    )
    west = make_inspection(
        entity=west_entity(county), officers=[county.west_officer], visited_on=D(2026, 4, 1)
    )

    def order(inspection: Any, deadline: Any, status: str = R.OPEN, **values: Any) -> Any:
        return rectification(inspection, deadline=deadline, status=status, **values)

    made = {
        # rectified in 10 days
        "o1": order(
            east, D(2026, 4, 15), R.RECTIFIED, issued_on=D(2026, 4, 1), closed_on=D(2026, 4, 11)
        ),
        "o2": order(east, D(2026, 4, 20), R.ESCALATED),
        "o3": order(east, D(2026, 4, 10), R.WARNED),
        "o4": order(east, D(2026, 4, 30)),  # the period's last day: counted, still open
        "o5": order(east, D(2026, 5, 1)),  # the day after: not counted
        # rectified in 14 days
        "o6": order(
            east, D(2026, 4, 5), R.RECTIFIED, issued_on=D(2026, 3, 20), closed_on=D(2026, 4, 3)
        ),
        # rectified in 6 days
        "o7": order(
            east, D(2026, 4, 25), R.RECTIFIED, issued_on=D(2026, 4, 10), closed_on=D(2026, 4, 16)
        ),
        # west: rectified in 29 days
        "o8": order(
            west, D(2026, 4, 8), R.RECTIFIED, issued_on=D(2026, 4, 1), closed_on=D(2026, 4, 30)
        ),
        # rectified on 1 May and on 31 March: outside April's rectified orders
        "o9": order(
            east, D(2026, 5, 10), R.RECTIFIED, issued_on=D(2026, 4, 20), closed_on=D(2026, 5, 1)
        ),
        "o10": order(
            east, D(2026, 3, 20), R.RECTIFIED, issued_on=D(2026, 3, 1), closed_on=D(2026, 3, 31)
        ),
    }
    return made


def test_closure_by_officer(county: County, orders: dict[str, Any]) -> None:
    ids = [county.east_officer.pk, county.west_officer.pk, county.division_staff.pk]
    got = measure_of("rectification_closure", OFFICER, ids)
    east = got[county.east_officer.pk]
    # due in April: o1 o2 o3 o4 o6 o7 = 6; closed: o1 o6 o7 rectified + o2 escalated = 4
    # 4 / 6 = 66.67 %; score (66.67 - 60) × 100 / (95 - 60) = 19.06
    assert (east.value, east.numerator, east.denominator) == (Decimal("66.67"), 4, 6)
    assert score_of("rectification_closure", east.value) == Decimal("19.06")
    assert east.detail == (
        "整改期限在本期的责令整改通知书6份，已整改到位3份，转立案查处1份，未整改2份"
    )
    west = got[county.west_officer.pk]
    assert (west.value, west.numerator, west.denominator) == (Decimal("100.00"), 1, 1)
    assert score_of("rectification_closure", west.value) == Decimal("100.00")
    nothing = got[county.division_staff.pk]
    assert nothing.value is None and nothing.denominator == 0
    assert nothing.detail == "本期无到期的责令整改通知书"
    assert score_of("rectification_closure", nothing.value) is None


def test_closure_by_station_adds_up_the_subtree(county: County, orders: dict[str, Any]) -> None:
    ids = [county.east.pk, county.west.pk, county.bureau.pk, county.division.pk]
    got = measure_of("rectification_closure", STATION, ids)
    assert got[county.east.pk].value == Decimal("66.67")
    assert got[county.west.pk].value == Decimal("100.00")  # east's orders not counted
    # bureau: 7 due, 5 closed → 71.43 %
    bureau = got[county.bureau.pk]
    assert (bureau.value, bureau.numerator, bureau.denominator) == (Decimal("71.43"), 5, 7)
    assert got[county.division.pk].value is None


def test_closure_counts_an_order_escalated_or_rectified_after_the_period(
    county: County, orders: dict[str, Any]
) -> None:
    # the score of a past period rises as its orders are closed (o4 rectified on 3 May)
    Rectification.objects.filter(pk=orders["o4"].pk).update(
        status=R.RECTIFIED, closed_on=D(2026, 5, 3)
    )
    got = measure_of("rectification_closure", OFFICER, [county.east_officer.pk])
    assert got[county.east_officer.pk].numerator == 5


def test_closure_drill_down(county: County, orders: dict[str, Any]) -> None:
    assert_rows_agree("rectification_closure", OFFICER, county.east_officer.pk)
    assert_rows_agree("rectification_closure", STATION, county.bureau.pk)
    rows = indicator("rectification_closure").records(OFFICER, county.east_officer.pk, APRIL)
    measure_rows = [(r.day, r.state, r.counts) for r in rows]
    assert measure_rows == [
        (D(2026, 4, 30), "整改中", "denominator"),
        (D(2026, 4, 25), "已整改", "numerator"),
        (D(2026, 4, 20), "已转立案", "numerator"),
        (D(2026, 4, 15), "已整改", "numerator"),
        (D(2026, 4, 10), "逾期已警示", "denominator"),
        (D(2026, 4, 5), "已整改", "numerator"),
    ]
    assert rows[0].url == f"/rectifications/{orders['o4'].pk}/"


def test_days_by_officer_and_station(county: County, orders: dict[str, Any]) -> None:
    got = measure_of(
        "rectification_days",
        OFFICER,
        [county.east_officer.pk, county.west_officer.pk, county.division_staff.pk],
    )
    east = got[county.east_officer.pk]
    # rectified in April: o6 (14 days), o1 (10), o7 (6): 30 / 3 = 10.00 days → score 100
    assert (east.value, east.numerator, east.denominator) == (Decimal("10.00"), 30, 3)
    assert score_of("rectification_days", east.value) == Decimal("100.00")
    assert east.detail == "本期整改到位的责令整改通知书3份，共用时30天，平均10.00天"
    west = got[county.west_officer.pk]
    # o8 29 days, closed on 30 April (the last day): score (30 - 29) × 100 / (30 - 10) = 5.00
    assert west.value == Decimal("29.00")
    assert score_of("rectification_days", west.value) == Decimal("5.00")
    assert got[county.division_staff.pk].value is None
    assert got[county.division_staff.pk].detail == "本期无整改到位的责令整改通知书"
    stations = measure_of("rectification_days", STATION, [county.bureau.pk, county.west.pk])
    # bureau: (30 + 29) / 4 = 14.75 days → score (30 - 14.75) × 100 / 20 = 76.25
    assert stations[county.bureau.pk].value == Decimal("14.75")
    assert score_of("rectification_days", Decimal("14.75")) == Decimal("76.25")
    assert stations[county.west.pk].value == Decimal("29.00")


def test_days_drill_down(county: County, orders: dict[str, Any]) -> None:
    assert_rows_agree("rectification_days", OFFICER, county.east_officer.pk, rows_are="mean")
    assert_rows_agree("rectification_days", STATION, county.bureau.pk, rows_are="mean")
    rows = indicator("rectification_days").records(OFFICER, county.west_officer.pk, APRIL)
    assert [r.state for r in rows] == ["2026-04-01下达，2026-04-30整改到位，用时29天"]


def test_measures_count_every_subject_in_a_few_queries(
    county: County, orders: dict[str, Any]
) -> None:
    officers = [county.east_officer.pk, county.west_officer.pk, county.division_staff.pk]
    stations = [county.east.pk, county.west.pk, county.bureau.pk, county.division.pk]
    for code in ("rectification_closure", "rectification_days"):
        if "officer" in indicator(code).subjects:
            assert_bulk(code, OFFICER, officers)
        if "station" in indicator(code).subjects:
            assert_bulk(code, STATION, stations)
