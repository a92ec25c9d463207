"""The east station's timeliness.callbacks records for the generic scoping test."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.conftest import County
from xiaoneng.timeliness.callbacks import rounds, rules
from xiaoneng.timeliness.callbacks import services as callbacks


def records(county: County, east: dict[str, Any]) -> dict[str, Any]:
    """Records of the east station (names starting with world.EAST), keyed by FILLS' names;
    east holds those built before (entity, inspection, case, and the earlier
    sub-domains': permits and complaints before callbacks, callbacks before accountability).

    ``callback_round``: March's round of the east station's signed inspections (all of them);
    ``callback``: its callback about the world's inspection, reached, 不满意, with
    ``callback_problem`` raised on it (open)."""
    from tests.scoping.world import EAST

    rules.save_rule(actor=None, unit=county.east, subject_kind="inspection", mode="all")
    drawn = rounds.draw_round(
        unit=county.east, month="2026-03", subject_kind="inspection", actor=None
    )
    callback = drawn.callbacks.get(inspection=east["inspection"])
    callbacks.record_callback(
        callback=callback,
        channel="phone",
        called_on=dt.date(2026, 4, 2),
        answers={"overall": "unsatisfied"},
        remarks=f"{EAST}回访记录",
        problem={
            "description": f"{EAST}反映检查时态度生硬",
            "owner": county.east_director,
            "deadline": dt.date(2026, 4, 30),
        },
        actor=county.east_director,
    )
    return {
        "callback_round": drawn,
        "callback": callback,
        "callback_problem": callback.problems.get(),
    }
