"""Training sessions of the test county, recorded through the services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from tests.conftest import County
from xiaoneng.org.models import Officer, Unit
from xiaoneng.org.training import services
from xiaoneng.org.training.models import Attendance, TrainingSession

DAY = dt.date(2026, 3, 2)
TODAY = dt.date(2026, 6, 30)


def draft(county: County, **changes: Any) -> services.SessionDraft:
    """A division's food-safety session for both stations, with ``changes``."""
    values: dict[str, Any] = {
        "title": "《食品安全法》及实施条例专题培训",
        "topic": "food",
        "organiser": county.division,
        "held_on": DAY,
        "hours": "3",
        "audience": [county.east, county.west],
        "place": "局三楼会议室",
        "lecturer": "王科长",
    }
    return services.SessionDraft(**(values | changes))


def make_session(
    county: County, *, actor: Officer | None = None, **changes: Any
) -> TrainingSession:
    return services.create_session(
        actor=actor or county.division_staff, draft=draft(county, **changes)
    )


def attend(
    session: TrainingSession,
    actor: Officer,
    entries: Sequence[tuple[Officer, str]],
    today: dt.date = TODAY,
) -> list[Attendance]:
    return services.record_attendance(session=session, actor=actor, entries=entries, today=today)


def units(*found: Unit) -> list[Unit]:
    return list(found)
