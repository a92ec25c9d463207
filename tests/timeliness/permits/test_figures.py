"""The period's figures of service cases, against hand-counted cases."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.timeliness.permits.factories import approved, day, make_case, make_item
from xiaoneng.timeliness.permits import figures, suspensions
from xiaoneng.timeliness.permits import services as permits
from xiaoneng.timeliness.permits.models import ServiceCase

pytestmark = pytest.mark.django_db
MARCH = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))


def _done(case, county, on):
    approved(case, county.east_officer, county.east_director, on)
    permits.complete_case(case=case, actor=county.east_director, on=on, outcome="granted")


def test_figures_of_a_month_by_hand(county):
    make_item()  # committed 5, statutory 10
    # 1: Tue 3 → Wed 4 March: 1 working day, within both
    quick = make_case(county.east_officer, accepted=day(1))
    _done(quick, county, day(2))
    # 2: Tue 3 → Wed 11 March: 6 working days: late on the commitment, within the law
    slow = make_case(county.east_officer, accepted=day(1))
    _done(slow, county, day(9))
    # 3: suspended 3 working days for 补正, twice told (a breach): Tue 3 → Fri 13 March is
    #    8 working days, less 3 suspended = 5: within the commitment
    told = make_case(county.east_officer, accepted=day(1))
    suspensions.issue_notice(case=told, actor=county.east_officer, materials="申请书", on=day(2))
    suspensions.materials_received(case=told, actor=county.east_officer, on=day(7))
    suspensions.issue_notice(case=told, actor=county.east_officer, materials="章程", on=day(8))
    suspensions.materials_received(case=told, actor=county.east_officer, on=day(8))
    _done(told, county, day(11))
    # 4: open since Tue 3 March: overdue by the end of the month
    make_case(county.west_officer, accepted=day(1))
    # 5: received only
    make_case(county.west_officer)
    found = figures.figures(ServiceCase.objects.all(), *MARCH)
    assert (found.received, found.accepted, found.completed) == (5, 4, 3)
    assert (found.within_committed, found.late_committed) == (2, 1)
    assert (found.within_statutory, found.late_statutory) == (3, 0)
    assert found.used_days_total == 1 + 6 + 5
    assert found.average_days == Decimal("4.0")
    assert found.committed_rate == Decimal("66.7")
    assert found.breaches == 1
    assert found.suspensions == {"correction": [2, 3]}
    assert found.open_overdue == 1


def test_figures_by_unit_and_outside_the_period(county):
    make_item()
    east = make_case(county.east_officer, accepted=day(1))
    _done(east, county, day(2))
    make_case(county.west_officer, accepted=day(1))
    by_unit = figures.grouped(ServiceCase.objects.all(), *MARCH, by="unit")
    assert by_unit[county.east.pk].completed == 1
    assert by_unit[county.west.pk].completed == 0 and by_unit[county.west.pk].accepted == 1
    april = figures.figures(ServiceCase.objects.all(), dt.date(2026, 4, 1), dt.date(2026, 4, 30))
    assert (april.received, april.completed, april.average_days) == (0, 0, None)
    assert april.open_overdue == 1
