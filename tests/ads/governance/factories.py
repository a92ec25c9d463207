"""Builders of the ladder and joint-meeting tests: an outlet and a party of the east station,
a reviewer, events and meetings recorded through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.conftest import County
from tests.registry.factories import make_entity
from xiaoneng.ads.governance import meetings, services
from xiaoneng.ads.governance.models import AdReviewer, JointMeeting, LadderEvent
from xiaoneng.registry.models import Entity

FOUNDED = dt.date(2020, 1, 1)


def east_entity(county: County, name: str = "城东日报社") -> Entity:
    lon, lat = county.east_point()
    return make_entity(name=name, longitude=lon, latitude=lat, established=FOUNDED)


def make_reviewer(county: County, *, number: str = "GS-2026-001", **values: Any) -> AdReviewer:
    outlet = values.pop("outlet", None) or east_entity(county)
    return services.register_reviewer(
        name=values.pop("name", "李审查"),
        outlet=outlet,
        certificate_no=number,
        actor=values.pop("actor", county.east_officer),
    )


def record(
    county: County, subject: services.Subject, kind: str, day: str, **values: Any
) -> LadderEvent:
    return services.record_event(
        subject=subject,
        kind=kind,
        occurred_on=dt.date.fromisoformat(day),
        facts=values.pop("facts", "所编审广告含绝对化用语"),
        source_document=values.pop("source_document", f"城市监广〔{day}〕号"),
        actor=values.pop("actor", county.east_officer),
    )


def make_meeting(county: County, day: str = "2026-03-20", **values: Any) -> JointMeeting:
    follow_ups = values.pop(
        "follow_ups",
        [meetings.FollowUpDraft("清理户外违法医疗广告", "health", dt.date(2026, 4, 30))],
    )
    return meetings.record_meeting(
        held_on=dt.date.fromisoformat(day),
        title=values.pop("title", "虚假违法广告专项整治联席会议"),
        convening_department=values.pop("convening_department", "market"),
        member_departments=values.pop("member_departments", ["propaganda", "health", "drugs"]),
        attendees=values.pop("attendees", "各成员单位分管领导"),
        topics=values.pop("topics", "通报一季度广告监测情况"),
        decisions=values.pop("decisions", "开展医疗广告专项整治"),
        actor=values.pop("actor", county.division_staff),
        follow_ups=follow_ups,
    )
