"""The ad ladders' and joint meetings' records for the generic scoping test: a reviewer of an
east-station outlet with a pending proposal, a party-ladder history of the east entity (both
the east station's), and a bureau meeting with a follow-up (the bureau's: shared)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.conftest import County
from xiaoneng.ads.governance import meetings, services

EAST = "城东专属"  # world.EAST (world imports this module)


def records(county: County, east: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(east records, shared records), keyed by FILLS' names; ``east["entity"]`` is the east
    station's entity: it is the outlet and the party."""
    entity = east["entity"]
    entity.established = dt.date(2020, 1, 1)
    entity.save(update_fields=["established"])
    reviewer = services.register_reviewer(
        name=f"{EAST}审查员",
        outlet=entity,
        certificate_no="GS-SCOPE-1",
        actor=county.east_officer,
    )
    services.record_event(
        subject=services.Subject(reviewer=reviewer),
        kind="criticism_notice",
        occurred_on=dt.date(2026, 3, 1),
        facts=f"{EAST}通报批评",
        source_document="通报〔2026〕1号",
        actor=county.east_officer,
    )
    services.record_event(
        subject=services.Subject(party=entity),
        kind="illegal_ad",
        occurred_on=dt.date(2026, 3, 2),
        facts=f"{EAST}违法广告",
        source_document="监测〔2026〕1号",
        actor=county.east_officer,
    )
    meeting = meetings.record_meeting(
        held_on=dt.date(2026, 3, 20),
        title="一季度广告联席会议",
        convening_department="market",
        member_departments=["health", "drugs"],
        attendees="各成员单位",
        topics="通报广告监测情况",
        decisions="开展专项整治",
        actor=county.division_staff,
        follow_ups=[meetings.FollowUpDraft("清理违法广告", "health", dt.date(2026, 4, 30))],
    )
    shared = {"ad_meeting": meeting, "ad_follow_up": meeting.follow_ups.get()}
    return {"ad_reviewer": reviewer}, shared
