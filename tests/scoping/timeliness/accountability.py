"""The east station's timeliness.accountability records for the generic scoping test."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from tests.conftest import County
from xiaoneng.timeliness.accountability.models import AccountabilityAction, ActionKind

EAST = "城东专属"  # world.EAST (world imports this module)


def records(county: County, east: dict[str, Any]) -> dict[str, Any]:
    """Records of the east station (names starting with world.EAST), keyed by FILLS' names;
    east holds those built before (entity, inspection, case, and the earlier
    sub-domains': permits and complaints before callbacks, callbacks before accountability)."""
    action = AccountabilityAction.objects.create(
        officer=county.east_officer,
        unit=county.east,
        kind=ActionKind.CRITICISM,
        facts=f"{EAST}检查记录经核实属虚假检查",
        rule="《行政问责办法》第五条",
        deduction=Decimal("200.00"),
        decided_on=dt.date(2026, 3, 10),
        decided_by=county.division_staff,
        trace_flag=east["flag"],
    )
    return {"accountability": action}
