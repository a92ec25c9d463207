"""Crafted records for the trace check tests: signed visits of the east officer, a day of them,
a run of uniform ones, photos, and the flags raised."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.conftest import County
from tests.inspections.factories import make_inspection
from xiaoneng.inspections.models import Attachment, Checklist, Inspection, TraceFlag
from xiaoneng.registry.models import Entity

D = dt.date
MONDAY = D(2026, 3, 2)
LIMITS = {
    "max_distance_m": 500.0,
    "min_minutes": 5.0,
    "max_visits_per_day": 12,
    "max_delay_hours": 72.0,
    "uniform_run": 8,
}
# One degree of latitude is about 111,195 m on the mean-radius sphere.
METRES_PER_DEGREE = 111_195.0


def flags(**lookup: Any) -> list[tuple[int, str, str]]:
    return list(
        TraceFlag.objects.filter(**lookup)
        .order_by("inspection_id", "kind")
        .values_list("inspection_id", "kind", "detail")
    )


def visit(county: County, place: Entity, checklist: Checklist, **values: Any) -> Inspection:
    """A signed on-site visit by the east officer (a pass and a fail: not uniform)."""
    values.setdefault("results", ["pass", "fail", "pass"])
    return make_inspection(
        entity=place,
        officers=[county.east_officer, county.east_director],
        checklist=checklist,
        **values,
    )


def north_of(place: Entity, metres: float) -> tuple[float, float]:
    assert place.longitude is not None and place.latitude is not None
    return place.longitude, place.latitude + metres / METRES_PER_DEGREE


def day_of_visits(
    county: County, place: Entity, checklist: Checklist, count: int, day: dt.date = MONDAY
) -> list[Inspection]:
    return [
        visit(county, place, checklist, visited_on=day, start_hour=8, minutes=20 + n)
        for n in range(count)
    ]


def photo(inspection: Inspection, digest: str, kind: str = "photo") -> Attachment:
    return Attachment.objects.create(
        inspection=inspection,
        kind=kind,
        file=f"inspections/{digest[:2]}/{digest}.jpg",
        original_name="现场.jpg",
        content_type="image/jpeg",
        size=1000,
        sha256=digest,
    )


def run_of(
    county: County, place: Entity, checklist: Checklist, marks: list[bool], first_day: int = 2
) -> list[Inspection]:
    """One record a day by the east officer: True marks every item alike with no note."""
    return [
        visit(
            county,
            place,
            checklist,
            visited_on=D(2026, 3, first_day + n),
            results=["pass"] * 3 if alike else ["pass", "na", "pass"],
        )
        for n, alike in enumerate(marks)
    ]
