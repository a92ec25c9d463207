"""The training records for the generic scoping test: the east station's own session (所内培训)
with its director's record of who attended (the east station's)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.conftest import County
from xiaoneng.org.training import services

EAST = "城东专属"  # world.EAST (world imports this module)


def records(county: County) -> dict[str, Any]:
    """The east station's records, keyed by FILLS' names."""
    session = services.create_session(
        actor=county.east_director,
        draft=services.SessionDraft(
            title=f"{EAST}岗位练兵培训",
            topic="business",
            organiser=county.east,
            held_on=dt.date(2026, 3, 2),
            hours="2",
            audience=[county.east],
        ),
    )
    services.record_attendance(
        session=session,
        actor=county.east_director,
        entries=[(county.east_officer, "attended")],
        today=dt.date(2026, 3, 3),
    )
    return {"training_session": session}
