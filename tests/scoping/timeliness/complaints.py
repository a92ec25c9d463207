"""The east station's timeliness.complaints records for the generic scoping test."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.conftest import County
from xiaoneng.timeliness.complaints import services

EAST = "城东专属"  # world.EAST (world imports this module)


def records(county: County, east: dict[str, Any]) -> dict[str, Any]:
    """Records of the east station (names starting with world.EAST), keyed by FILLS' names;
    east holds those built before (entity, inspection, case, and the earlier
    sub-domains': permits and complaints before callbacks, callbacks before accountability)."""
    complaint = services.register_complaint(
        actor=county.east_officer,
        kind="complaint",
        channel="platform",
        topic="food",
        received_on=dt.date(2026, 3, 2),
        content=f"{EAST}餐馆饭菜变质",
        person=f"{EAST}投诉人",
        phone="13900000001",
        entity=east["entity"],
        respondent=f"{EAST}餐馆",
    )
    return {"complaint": complaint}
