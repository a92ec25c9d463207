"""The east station's timeliness.complaints records for the generic scoping test."""

from __future__ import annotations

from typing import Any

from tests.conftest import County


def records(county: County, east: dict[str, Any]) -> dict[str, Any]:
    """Records of the east station (names starting with world.EAST), keyed by FILLS' names;
    east holds those built before (entity, inspection, case, and the earlier
    sub-domains': permits and complaints before callbacks, callbacks before accountability)."""
    return {}
