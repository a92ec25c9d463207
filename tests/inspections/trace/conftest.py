"""Fixtures of the trace check tests: the thresholds (``limits``, asked for by the modules that
judge records), a placed entity of the east station and a checklist."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import County
from tests.inspections.factories import make_checklist
from tests.inspections.trace.helpers import LIMITS
from tests.registry.factories import make_entity
from xiaoneng.inspections.models import Checklist
from xiaoneng.registry.models import Entity


@pytest.fixture
def limits(settings: Any) -> dict[str, Any]:
    settings.TRACE_CHECKS = dict(LIMITS)
    return settings.TRACE_CHECKS


@pytest.fixture
def place(county: County) -> Entity:
    lon, lat = county.east_point()
    return make_entity(name="城东放心超市", longitude=lon, latitude=lat)


@pytest.fixture
def checklist(db: Any) -> Checklist:
    return make_checklist(items=3)
