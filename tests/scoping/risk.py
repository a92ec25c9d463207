"""The risk model's records for the generic scoping test: an evaluation covers the whole
register, so it belongs to no station (``World.shared``); only MANAGE_RISK_MODEL opens it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.conftest import County
from xiaoneng.risk.models import Evaluation


def records(county: County) -> dict[str, Any]:
    """A stored evaluation, keyed by FILLS' name."""
    evaluation = Evaluation.objects.create(
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 3, 31),
        report={"orders": {}, "breakdowns": {}, "within_unit": None},
        code_version="test",
        created_at=dt.datetime(2026, 4, 1, tzinfo=dt.UTC),
        created_by=county.division_staff,
    )
    return {"risk_evaluation": evaluation}
