"""Overspend against the year's quotas (定额) and the 运动式执法 rule, by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.conftest import County
from tests.reports.ledger.factories import dataset
from xiaoneng.org.models import Unit
from xiaoneng.reports.ledger import services
from xiaoneng.reports.ledger.flags import campaign_style, nearest_rank, overspends
from xiaoneng.reports.ledger.models import LedgerEntry
from xiaoneng.reports.ledger.outputs import Outputs, outputs

D = Decimal


@pytest.mark.django_db
def test_entries_over_their_kinds_quota_are_flagged_with_how_much(county: County) -> None:
    data = dataset(county)
    services.set_quota(
        year=2026,
        kind="campaign",
        limits={"money_per_inspection": D("500"), "hours_per_inspection": D("20")},
        actor=county.division_staff,
    )
    services.set_quota(
        year=2026,
        kind="patrol_day",
        limits={"money_per_activity": D("100"), "kilometres_per_inspection": D("10")},
        actor=county.admin,
    )
    services.set_quota(  # another year's quota applies to nothing here
        year=2025, kind="patrol_day", limits={"money_per_activity": D("1")}, actor=county.admin
    )
    entries = [data.patrol, data.campaign_east, data.campaign_division]
    flagged = {
        (f.entry.pk, f.limit_name): (f.actual, f.over_percent)
        for f in overspends(entries, outputs(entries))
    }
    assert flagged == {
        (data.campaign_east.pk, "money_per_inspection"): (D("1200.00"), 140),
        (data.campaign_east.pk, "hours_per_inspection"): (D("60.00"), 200),
        (data.campaign_division.pk, "money_per_inspection"): (D("800.00"), 60),
        (data.campaign_division.pk, "hours_per_inspection"): (D("32.00"), 60),
        (data.patrol.pk, "kilometres_per_inspection"): (D("20.00"), 100),
    }


@pytest.mark.django_db
def test_a_unit_kinds_own_quota_wins_and_no_inspection_is_over(county: County) -> None:
    data = dataset(county)
    services.set_quota(
        year=2026, kind="campaign", limits={"money_per_activity": D("5000")}, actor=county.admin
    )
    services.set_quota(
        year=2026,
        kind="campaign",
        unit_kind=Unit.Kind.DIVISION,
        limits={"money_per_activity": D("600")},
        actor=county.admin,
    )
    entries = [data.campaign_east, data.campaign_division]
    flagged = overspends(entries, {e.pk: Outputs() for e in entries})
    assert [(f.entry.pk, f.limit_name, f.over_percent) for f in flagged] == [
        (data.campaign_division.pk, "money_per_activity", 33)  # 800 over 600
    ]
    services.set_quota(
        year=2026, kind="campaign", limits={"money_per_inspection": D("5")}, actor=county.admin
    )
    none = overspends([data.campaign_east], {data.campaign_east.pk: Outputs()})
    assert [(f.limit_name, f.actual, f.over_percent) for f in none] == [
        ("money_per_inspection", None, None)
    ]


def _entry(pk: int, kind: str, hours: str) -> LedgerEntry:
    return LedgerEntry(pk=pk, kind=kind, person_hours=D(hours), started_on=dt.date(2026, 3, 2))


def test_nearest_rank_quartiles() -> None:
    values = [D(10), D(20), D(30), D(100)]
    assert nearest_rank(values, 0.75) == D(30)  # ceil(3.0) = 3rd
    assert nearest_rank(values, 0.25) == D(10)
    assert nearest_rank([D(1), D(2), D(3), D(4), D(5)], 0.75) == D(4)  # ceil(3.75) = 4th


def test_campaign_style_is_top_quarter_inputs_and_bottom_quarter_output() -> None:
    entries = [_entry(i + 1, "campaign", h) for i, h in enumerate(["10", "20", "30", "100"])]
    found = {1: Outputs(inspections=5), 2: Outputs(inspections=8), 3: Outputs(inspections=9)}
    found[4] = Outputs(inspections=1)
    # per person-hour: 0.50, 0.40, 0.30, 0.01 → Q3 of hours 30, Q1 of output 0.01
    listed = campaign_style(entries, found)
    assert [(c.entry.pk, c.hours_upper, c.per_hour, c.per_hour_lower) for c in listed] == [
        (4, D(30), D("0.01"), D("0.01"))
    ]
    assert listed[0].reason == (
        "投入工时 100，不低于同类第三四分位数 30；每工时检查 0.01 户次，不高于同类第一四分位数 0.01"
    )


def test_campaign_style_needs_four_entries_of_a_kind_and_spares_patrol_days() -> None:
    few = [_entry(i + 1, "campaign", h) for i, h in enumerate(["10", "20", "100"])]
    assert campaign_style(few, {}) == []
    patrols = [_entry(i + 1, "patrol_day", h) for i, h in enumerate(["4", "5", "6", "8"])]
    assert campaign_style(patrols, {}) == []
