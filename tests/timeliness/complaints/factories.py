"""Complaints and reports for the tests, registered through the service."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.conftest import County
from tests.registry.factories import make_entity
from xiaoneng.registry.models import Entity
from xiaoneng.timeliness.complaints import services
from xiaoneng.timeliness.complaints.models import Complaint

# A Monday in a loaded year, away from holidays: 7 working days later is Wednesday 2026-06-10.
DAY = dt.date(2026, 6, 1)


def east_entity(county: County, name: str = "城东测试餐馆") -> Entity:
    lon, lat = county.east_point()
    return make_entity(name=name, longitude=lon, latitude=lat)


def make_complaint(county: County, **values: Any) -> Complaint:
    """A complaint (or, with kind="report", a report) registered by the east officer."""
    given: dict[str, Any] = {
        "actor": county.east_officer,
        "kind": Complaint.Kind.COMPLAINT,
        "channel": "platform",
        "topic": "food",
        "received_on": DAY,
        "content": "购买的面包已过期",
        "person": "张三",
        "phone": "13900000000",
    }
    given.update(values)
    if "entity" not in given and not given.get("respondent"):
        given["entity"] = east_entity(county)
    return services.register_complaint(**given)
