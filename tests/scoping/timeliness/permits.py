"""The east station's timeliness.permits records for the generic scoping test."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.conftest import County
from xiaoneng.timeliness.permits import items, suspensions
from xiaoneng.timeliness.permits import services as permits

DAY = dt.date(2026, 3, 2)


def records(county: County, east: dict[str, Any]) -> dict[str, Any]:
    """Records of the east station (names starting with world.EAST), keyed by FILLS' names;
    east holds those built before (entity, inspection, case, and the earlier
    sub-domains': permits and complaints before callbacks, callbacks before accountability).

    ``service_case``: an accepted case of the east station's entity, told once to bring a
    missing material (its clock suspended for 补正); its item is a record of no station."""
    from tests.scoping.world import EAST

    item = items.save_item(
        actor=None,
        code="SCOPE-XK",
        name="食品经营许可（新办）",
        category="licence",
        statutory_days=10,
        committed_days=5,
        basis="《食品经营许可和备案管理办法》",
        materials="食品经营许可申请书",
    )
    officer = county.east_officer
    case = permits.receive_case(
        actor=officer,
        item=item,
        applicant=f"{EAST}申请人",
        entity=east["entity"],
        received_on=DAY,
    )
    permits.accept_case(case=case, actor=officer, on=DAY)
    suspensions.issue_notice(case=case, actor=officer, materials=["营业执照复印件"], on=DAY)
    return {"service_case": case}
