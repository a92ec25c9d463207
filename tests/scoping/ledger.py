"""The resource ledger's records for the generic scoping test: a patrol day of the east
station's officer (the east station's entry) and a quota of the year (the bureau's: shared)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from tests.conftest import County
from xiaoneng.reports.ledger import services

EAST = "城东专属"  # world.EAST (world imports this module)


def records(county: County, east: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(east records, shared records), keyed by FILLS' names."""
    day = dt.date(2026, 3, 2)
    entry = services.record_entry(
        data=services.EntryInput(
            unit=county.east,
            kind="patrol_day",
            officer=county.east_officer,
            title=f"{EAST}日常巡查",
            started_on=day,
            ended_on=day,
            officers=1,
            person_hours=Decimal("6"),
            vehicles=1,
            kilometres=Decimal("35"),
            money=Decimal("40"),
        ),
        actor=county.east_director,
        today=day,
    )
    quota = services.set_quota(
        year=2026,
        kind="patrol_day",
        limits={"money_per_activity": Decimal("100")},
        actor=county.admin,
    )
    return {"ledger_entry": entry}, {"ledger_quota": quota}
