"""参训学时 computed by hand over March 2026: sessions on the period's edges, an absent officer
(0 hours is data), hours per officer of a station, a station without staff, the drill-down.

    3-02 food  3.0 h: east_officer, east_director attended; west_director absent
    3-15 law   1.0 h: west_officer
    3-31 ads   1.5 h: east_officer                 (the last day: counts)
    4-01 law   2.0 h: east_officer                 (the day after: not counted)
    2-28 food  2.0 h: east_director                (the day before: not counted)
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.conftest import County
from tests.org.factories import OfficerFactory, UnitFactory
from tests.org.training.factories import attend, make_session
from tests.reports.assessment.measures.fixtures_a import MARCH, D, scored
from xiaoneng.org.models import Officer, Unit
from xiaoneng.reports.assessment.catalogue import OFFICER, STATION
from xiaoneng.reports.assessment.measures.training import (
    TRAINING_HOURS,
    required_hours,
)
from xiaoneng.reports.assessment.periods import parse_period

pytestmark = pytest.mark.django_db
A, ABSENT = "attended", "absent"


@pytest.fixture
def sessions(county: County) -> County:
    c, staff = county, county.division_staff
    food = make_session(c, held_on=D(2026, 3, 2), hours="3")
    attend(food, staff, [(c.east_officer, A), (c.east_director, A), (c.west_director, ABSENT)])
    law = make_session(c, title="行政处罚程序", topic="law", held_on=D(2026, 3, 15), hours="1")
    attend(law, staff, [(c.west_officer, A)])
    ads = make_session(c, title="网络交易监管", topic="ads", held_on=D(2026, 3, 31), hours="1.5")
    attend(ads, staff, [(c.east_officer, A)])
    after = make_session(c, title="四月培训", topic="law", held_on=D(2026, 4, 1), hours="2")
    attend(after, staff, [(c.east_officer, A)])
    before = make_session(c, title="二月培训", held_on=D(2026, 2, 28), hours="2")
    attend(before, staff, [(c.east_director, A)])
    OfficerFactory(username="retired", unit=c.east)
    Officer.objects.filter(username="retired").update(is_active=False)  # no longer on the staff
    return c


def test_requirement_prorated_by_months() -> None:
    assert required_hours(MARCH) == Decimal("2.00")
    assert required_hours(parse_period("2026Q1")) == Decimal("6.00")
    assert required_hours(parse_period("2026")) == Decimal("24.00")


def test_officers_hours_and_absence_as_zero(sessions: County) -> None:
    c = sessions
    ids = [c.east_officer.pk, c.west_officer.pk, c.west_director.pk]
    found = TRAINING_HOURS.measure(OFFICER, ids, MARCH)
    east, west, absent = (found[pk] for pk in ids)
    # 3 + 1.5 = 4.5 hours in March; as a yearly rate 4.5 × 24 ÷ 2 = 54
    assert (east.value, east.numerator) == (Decimal("54.00"), Decimal("4.50"))
    assert east.detail == "参加培训2次，计4.5学时，折合全年54.00学时"
    assert west.value == Decimal("12.00")  # 1 × 24 ÷ 2
    # absent from the only session he was asked to: 0 hours is a value, not "no data"
    assert (absent.value, absent.detail) == (
        Decimal("0.00"),
        "参加培训0次，计0学时，折合全年0.00学时",
    )
    assert scored(TRAINING_HOURS, absent.value) == Decimal("0.00")
    # against the yearly target of 24: 54 → 100; 12 → 12 × 100 ÷ 24 = 50 (March's 2 hours
    # met by half)
    assert scored(TRAINING_HOURS, east.value) == Decimal("100.00")
    assert scored(TRAINING_HOURS, west.value) == Decimal("50.00")
    # a year: 4.5 + 2 (April) + 2 (east_director's February does not count for him) …
    year = TRAINING_HOURS.measure(OFFICER, [c.east_officer.pk], parse_period("2026"))
    assert year[c.east_officer.pk].value == Decimal("6.50")  # 3 + 1.5 + 2, a year is a year


def test_stations_hours_per_officer(sessions: County) -> None:
    c = sessions
    UnitFactory(code="S-N", name="新设所", parent=c.bureau)
    empty = Unit.objects.get(code="S-N")
    ids = [c.east.pk, c.west.pk, c.bureau.pk, empty.pk]
    found = TRAINING_HOURS.measure(STATION, ids, MARCH)
    # east: (4.5 + 3) ÷ 2 active officers = 3.75, × 12 = 45 a year; west: (0 + 1) ÷ 2 = 0.5 → 6
    assert (found[c.east.pk].value, found[c.east.pk].denominator) == (Decimal("45.00"), 2)
    assert found[c.east.pk].detail == "在岗人员2人，参训共7.5学时，人均折合全年45.00学时"
    assert found[c.west.pk].value == Decimal("6.00")
    # the bureau's 7 active officers: 8.5 ÷ 7 = 1.21 (two decimals) → × 12 = 14.52
    assert (found[c.bureau.pk].value, found[c.bureau.pk].denominator) == (Decimal("14.52"), 7)
    assert (found[empty.pk].value, found[empty.pk].detail) == (None, "本单位无在岗人员")


def test_drill_down_lists_the_sessions_attended(sessions: County) -> None:
    c = sessions
    rows = TRAINING_HOURS.records(OFFICER, c.east_officer.pk, MARCH)
    assert [(r.day, r.title, r.state) for r in rows] == [
        (D(2026, 3, 31), "网络交易监管", "出席，1.5学时"),
        (D(2026, 3, 2), "《食品安全法》及实施条例专题培训", "出席，3.0学时"),
    ]
    assert rows[0].url.startswith("/training/")
    assert TRAINING_HOURS.records(OFFICER, c.west_director.pk, MARCH) == []
    station = TRAINING_HOURS.records(STATION, c.east.pk, MARCH)
    assert len(station) == 3  # east_officer twice, east_director once
    total = TRAINING_HOURS.measure(STATION, [c.east.pk], MARCH)[c.east.pk].numerator
    assert total == Decimal("7.50")
