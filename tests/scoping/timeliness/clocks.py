"""The east station's timeliness.clocks records for the generic scoping test."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.conftest import County
from xiaoneng.timeliness.clocks import services
from xiaoneng.timeliness.clocks.models import ClockKind, SubjectType, Warning


def records(county: County, east: dict[str, Any]) -> dict[str, Any]:
    """Records of the east station (names starting with world.EAST), keyed by FILLS' names;
    east holds those built before (entity, inspection, case, and the earlier
    sub-domains': permits and complaints before callbacks, callbacks before accountability)."""
    subject = "城东专属食品经营许可办件"  # world.EAST (imported there: a cycle)
    clock = services.open_clock(
        kind=ClockKind.SERVICE,
        subject_type=SubjectType.SERVICE_CASE,
        subject_id=1,
        subject=subject,
        unit=county.east,
        officer=county.east_officer,
        region_code="330101",
        started_on=dt.date(2026, 10, 9),
        limit_days=10,
        statutory_days=20,
        basis="承诺时限",
        actor=county.east_officer,
    )
    warning = Warning.objects.filter(clock=clock).order_by("-id").first()
    assert warning is not None, "the east clock is overdue: it has a red warning"
    clock.title = warning.title = subject  # type: ignore[attr-defined]  # a secret for the test
    return {"clock": clock, "warning": warning}
