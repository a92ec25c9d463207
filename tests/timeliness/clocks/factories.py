"""Clocks for the tests of timeliness.clocks, opened through the services on a fixed day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from tests.conftest import County
from xiaoneng.org.models import Officer, Unit
from xiaoneng.timeliness.clocks import services
from xiaoneng.timeliness.clocks.models import Clock, ClockKind, SubjectType

Today = Callable[[dt.date], None]

_next_subject = iter(range(1, 10**9))


def set_today(monkeypatch: pytest.MonkeyPatch) -> Today:
    """A setter of the services' today (what writes and the recompute count up to)."""

    def put(day: dt.date) -> None:
        monkeypatch.setattr(services, "today", lambda: day)

    return put


def make_clock(
    county: County,
    *,
    started_on: dt.date,
    limit_days: int = 20,
    statutory_days: int | None = None,
    unit: Unit | None = None,
    officer: Officer | None = None,
    subject: str = "食品经营许可",
    kind: str = ClockKind.SERVICE,
    subject_type: str = SubjectType.SERVICE_CASE,
    subject_id: int | None = None,
) -> Clock:
    return services.open_clock(
        kind=kind,
        subject_type=subject_type,
        subject_id=subject_id if subject_id is not None else next(_next_subject),
        subject=subject,
        unit=unit or county.east,
        officer=officer if officer is not None else county.east_officer,
        region_code="330101",
        started_on=started_on,
        limit_days=limit_days,
        statutory_days=statutory_days or max(limit_days, 20),
        basis="《市场监督管理投诉举报处理暂行办法》第十四条",
        actor=county.east_officer,
    )
