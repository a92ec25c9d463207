"""The east station's advertising records for the generic scoping test: an ad operator with
its annual check, a filing, a monitored ad, a notice and a confiscation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from tests.conftest import County
from xiaoneng.ads.filings import services as filings
from xiaoneng.ads.monitoring import services as monitoring
from xiaoneng.ads.notices import services as notices
from xiaoneng.ads.operators import services as operators

EAST = "城东专属"  # world.EAST (world imports this module)
DAY = dt.date(2026, 3, 2)


def records(county: County, east: dict[str, Any]) -> dict[str, Any]:
    """Records of the east station keyed by FILLS' names; ``east["entity"]`` is the party."""
    actor, entity = county.east_officer, east["entity"]
    operator = operators.register_operator(
        actor=actor, entity=entity, role="operator", since=entity.registered_on
    )
    check = operators.start_check(operator=operator, actor=actor, year=2026, checked_on=DAY)
    filing = filings.submit_filing(
        actor=actor,
        advertiser=entity,
        kind="health_food",
        title=f"{EAST}保健食品广告",
        text=f"{EAST}蛋白粉，本品不能代替药物。",
        medium="tv",
        submitted_on=DAY,
        approval_number="新食健广审（视）第260101-00012号",
        approval_expires_on=dt.date(2027, 1, 1),
    )
    ad = monitoring.record_ad(
        actor=actor,
        ad=monitoring.AdInput(
            medium="outdoor",
            outlet=f"{EAST}广告牌",
            advertiser=entity,
            advertiser_name="",
            kind="general",
            text=f"{EAST}全场八折",
            captured_at=timezone.make_aware(dt.datetime(2026, 3, 2, 10, 0)),
        ),
    )
    notice = notices.issue_notice(
        actor=actor,
        kind="warning",
        issued_on=DAY,
        deadline=DAY + dt.timedelta(days=10),
        content=f"{EAST}违法广告警示",
        ad=ad,
    )
    seized = notices.record_confiscation(
        actor=actor, seized_on=DAY, description=f"{EAST}传单", quantity=10, notice=notice
    )
    return {
        "ad_operator": operator,
        "ad_check": check,
        "ad_filing": filing,
        "monitored_ad": ad,
        "ad_notice": notice,
        "ad_confiscation": seized,
    }
