"""The accountability figures against a hand-counted month: by kind, officers concerned,
deductions and their sum, by unit adding up to the totals; revoked and other months left out."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.conftest import County
from tests.timeliness.accountability.factories import decide
from xiaoneng.org.models import Unit
from xiaoneng.timeliness.accountability import services
from xiaoneng.timeliness.accountability.figures import accountability_figures

pytestmark = pytest.mark.django_db

MARCH = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))


@pytest.fixture
def march(county: County) -> None:
    day = dt.date(2026, 3, 10)
    decide(county, decided_on=day)  # east officer, 诫勉谈话
    decide(county, decided_on=day, kind="criticism", deduction="200.00")
    decide(county, decided_on=day, officer=county.east_director, kind="criticism")
    decide(county, decided_on=day, officer=county.west_officer, deduction="500.50")
    revoked = decide(county, decided_on=day, officer=county.west_officer, kind="dismissal")
    services.revoke_action(action=revoked, reason="复核撤销", actor=county.leader)
    decide(county, decided_on=dt.date(2026, 4, 1), kind="suspension")
    decide(county, decided_on=dt.date(2026, 2, 28), kind="suspension")


@pytest.mark.usefixtures("march")
def test_the_months_figures_by_hand(county: County) -> None:
    f = accountability_figures(start=MARCH[0], end=MARCH[1], unit_ids=None)
    assert f.actions == 4
    assert {k: n for k, n in f.by_kind.items() if n} == {"admonition": 2, "criticism": 2}
    assert f.officers == 3
    assert f.deducted == 2
    assert f.deduction == Decimal("700.50")
    assert [(r.unit_code, r.actions, r.deducted, r.deduction) for r in f.by_unit] == [
        ("S-E", 3, 1, Decimal("200.00")),
        ("S-W", 1, 1, Decimal("500.50")),
    ]


@pytest.mark.usefixtures("march")
def test_a_stations_figures_are_its_own(county: County) -> None:
    ids = Unit.objects.subtree_ids(county.east)
    f = accountability_figures(start=MARCH[0], end=MARCH[1], unit_ids=ids)
    assert (f.actions, f.officers, f.deducted, f.deduction) == (3, 2, 1, Decimal("200.00"))


def test_no_action_is_zero(county: County) -> None:
    f = accountability_figures(start=MARCH[0], end=MARCH[1], unit_ids=None)
    assert (f.actions, f.officers, f.deducted, f.deduction, f.by_unit) == (
        0,
        0,
        0,
        Decimal("0.00"),
        [],
    )
