"""The hourly recompute reads only the clocks due for a recheck (``Clock.recheck_on``), and
ends where a recompute of every open clock would: a month of days with random events, each
day's run checked against a full one; the recheck day of each kind of clock; a run for an
earlier day reads every clock; a change inside ``deferred()`` is picked up by the next run."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from tests.conftest import County
from tests.timeliness.clocks.factories import make_clock, set_today
from xiaoneng.core.calendar import WorkingCalendar
from xiaoneng.timeliness.clocks import services
from xiaoneng.timeliness.clocks.models import (
    ClearReason,
    Clock,
    Level,
    Suspension,
    SuspensionReason,
    Warning,
)
from xiaoneng.timeliness.clocks.reading import FAR
from xiaoneng.timeliness.clocks.warnings import deferred, recompute

pytestmark = pytest.mark.django_db
D = dt.date
NOTHING = {"changed": 0, "yellow": 0, "red": 0, "escalated": 0, "cleared": 0}


@pytest.fixture
def on(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    return set_today(monkeypatch)


def unchanged(counts: dict[str, int]) -> dict[str, int]:
    return {name: counts[name] for name in NOTHING}


def state() -> list[tuple[object, ...]]:
    clocks = Clock.objects.order_by("pk").values_list("pk", "level", "escalation", "recheck_on")
    warnings = Warning.objects.order_by("pk").values_list(
        "pk", "level", "escalation", "handle_by", "cleared_at", "clear_reason"
    )
    return [*clocks, *warnings]


def test_a_month_of_hourly_runs_ends_where_a_full_recompute_would(county: County, on) -> None:
    rng = np.random.default_rng(11)
    calendar = WorkingCalendar.load()
    day = D(2026, 9, 1)
    on(day)
    clocks = [
        make_clock(
            county,
            started_on=day - dt.timedelta(days=int(rng.integers(0, 20))),
            limit_days=int(rng.choice([3, 5, 7, 10, 15])),
        )
        for _n in range(24)
    ]
    looked_at = []
    for _step in range(45):
        day += dt.timedelta(days=1)
        on(day)
        for clock in clocks:
            clock.refresh_from_db()
            if clock.stopped_on is not None or rng.random() > 0.12:
                continue
            _random_event(county, clock, day, rng, calendar)
        hourly = recompute(today=day)
        looked_at.append(hourly.clocks)
        before = state()
        full = recompute(today=day, everything=True)
        assert unchanged(full.counts()) == NOTHING, (day, full.counts())
        assert state() == before, day
        assert recompute(today=day).clocks == 0
    # The hourly runs read a few clocks a day, not all of the open ones.
    assert sum(looked_at) < 45 * len(clocks) / 4
    assert Warning.objects.filter(level=Level.RED, escalation__gt=0).exists()


def _random_event(
    county: County, clock: Clock, day: D, rng: np.random.Generator, calendar: WorkingCalendar
) -> None:
    actor = county.east_officer
    open_suspension = Suspension.objects.filter(clock=clock, ended_on__isnull=True).first()
    choice = rng.integers(0, 5)
    if open_suspension is not None:
        services.resume(suspension=open_suspension, on=day, actor=actor)
    elif choice == 0:
        services.suspend(
            clock=clock, reason=SuspensionReason.CORRECTION, note="补正材料", on=day, actor=actor
        )
    elif choice == 1:
        services.extend(clock=clock, days=int(rng.integers(1, 6)), actor=actor)
    elif choice == 2:
        services.stop(clock=clock, on=day, actor=actor)
    else:
        warning = Warning.objects.filter(clock=clock, cleared_at__isnull=True).first()
        if warning is None:
            return
        if choice == 3 and warning.level == Level.RED and warning.handled_at is None:
            holder = (county.east_officer, county.east_director, county.division_staff)
            services.handle_warning(
                warning=warning, note="已督办", actor=holder[warning.escalation]
            )
        elif choice == 4:
            services.clear_warning(
                warning=warning, reason_note="已核实", actor=county.east_director
            )


def test_each_clock_is_looked_at_again_on_the_day_it_can_change(county: County, on) -> None:
    on(D(2026, 11, 2))  # a Monday; 10 working days → yellow on the 12th, due on the 16th
    clock = make_clock(county, started_on=D(2026, 11, 2), limit_days=10)
    clock.refresh_from_db()
    assert clock.recheck_on == D(2026, 11, 12)
    assert recompute(today=D(2026, 11, 11)).clocks == 0
    turned = recompute(today=D(2026, 11, 12))
    assert (turned.clocks, turned.yellow) == (1, 1)
    clock.refresh_from_db()
    assert (clock.level, clock.recheck_on) == (Level.YELLOW, D(2026, 11, 17))
    assert recompute(today=D(2026, 11, 16)).clocks == 0
    assert recompute(today=D(2026, 11, 17)).red == 1
    red = Warning.objects.get(clock=clock, level=Level.RED)
    clock.refresh_from_db()
    # A red warning may go up the day after its deadline (handle_by 19th).
    assert clock.recheck_on == red.handle_by + dt.timedelta(days=1) == D(2026, 11, 20)
    services.handle_warning(warning=red, note="已电话督办", actor=county.east_officer)
    assert recompute(today=D(2026, 11, 20)).escalated == 0
    clock.refresh_from_db()
    assert clock.recheck_on == FAR  # handled, still red: only an event changes it now


def test_a_suspended_clock_waits_for_its_resumption(county: County, on) -> None:
    on(D(2026, 11, 2))
    clock = make_clock(county, started_on=D(2026, 11, 2), limit_days=10)
    on(D(2026, 11, 4))
    suspension = services.suspend(
        clock=clock, reason=SuspensionReason.TESTING, note="送检", on=D(2026, 11, 4), actor=None
    )
    clock.refresh_from_db()
    assert clock.recheck_on == FAR
    assert recompute(today=D(2026, 11, 30)).clocks == 0
    on(D(2026, 11, 30))
    services.resume(suspension=suspension, on=D(2026, 11, 30), actor=None)
    clock.refresh_from_db()
    assert D(2026, 11, 30) < clock.recheck_on < FAR


def test_a_run_for_an_earlier_day_reads_every_open_clock(county: County, on) -> None:
    on(D(2026, 11, 2))
    for limit in (5, 10, 15):
        make_clock(county, started_on=D(2026, 11, 2), limit_days=limit)
    recompute(today=D(2026, 11, 20))
    assert recompute(today=D(2026, 11, 20)).clocks == 0
    back = recompute(today=D(2026, 11, 5))
    assert back.clocks == 3 and back.cleared > 0  # on the 5th none warned yet
    assert set(Clock.objects.values_list("level", flat=True)) == {Level.NONE}


def test_a_change_inside_deferred_is_picked_up_by_the_next_run(county: County, on) -> None:
    on(D(2026, 11, 2))
    clock = make_clock(county, started_on=D(2026, 11, 2), limit_days=5)
    recompute(today=D(2026, 11, 10))
    assert Warning.objects.filter(clock=clock, cleared_at__isnull=True).count() == 1
    on(D(2026, 11, 11))
    with deferred():
        services.stop(clock=clock, on=D(2026, 11, 11), actor=None)
    clock.refresh_from_db()
    assert clock.recheck_on is None
    assert Warning.objects.filter(clock=clock, cleared_at__isnull=True).count() == 1
    recompute(today=D(2026, 11, 11))
    red = Warning.objects.get(clock=clock, level=Level.RED)
    assert red.clear_reason == ClearReason.STOPPED
    clock.refresh_from_db()
    assert clock.recheck_on == FAR
    assert recompute(today=D(2026, 11, 12)).clocks == 0
