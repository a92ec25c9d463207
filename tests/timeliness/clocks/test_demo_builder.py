"""The demo's warnings builder on a few clocks: the year's warnings on their own days."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from django.utils import timezone

from tests.conftest import County
from tests.timeliness.clocks.factories import make_clock, set_today
from xiaoneng.demo.timeliness.clocks import build_clocks
from xiaoneng.timeliness.clocks import services
from xiaoneng.timeliness.clocks.models import ClearReason, Level, Warning
from xiaoneng.timeliness.clocks.warnings import deferred

pytestmark = pytest.mark.django_db
D = dt.date


def test_history_of_a_late_and_an_in_time_clock(county: County, monkeypatch) -> None:
    set_today(monkeypatch)(D(2026, 11, 30))
    with deferred():
        late = make_clock(county, started_on=D(2026, 9, 1), limit_days=5)
        services.stop(clock=late, on=D(2026, 9, 15), actor=county.east_officer)
        ok = make_clock(county, started_on=D(2026, 9, 1), limit_days=10)
        services.stop(clock=ok, on=D(2026, 9, 14), actor=county.east_officer)
        make_clock(county, started_on=D(2026, 11, 2), limit_days=30)  # still open, in time
    assert not Warning.objects.exists()
    now = timezone.make_aware(dt.datetime(2026, 11, 30, 12))
    build_clocks(np.random.default_rng(1), None, now=now, progress=lambda _s: None)  # type: ignore[arg-type]
    yellow, red = Warning.objects.filter(clock=late).order_by("id")
    # 5 working days from 1 September: due 8 September, red on the 9th, yellow on the 7th.
    assert (yellow.level, yellow.raised_on) == (Level.YELLOW, D(2026, 9, 7))
    assert yellow.clear_reason == ClearReason.RAISED
    assert (red.level, red.raised_on, red.due_on) == (Level.RED, D(2026, 9, 9), D(2026, 9, 8))
    assert red.clear_reason == ClearReason.STOPPED
    assert red.cleared_at is not None and red.cleared_at.date() == D(2026, 9, 15)
    in_time = Warning.objects.get(clock=ok)
    assert (in_time.level, in_time.clear_reason) == (Level.YELLOW, ClearReason.STOPPED)
    late.refresh_from_db()
    assert late.level == Level.RED
