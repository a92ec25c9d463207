"""The steps a user may take on a service case now, from the same checks its services refuse
with (one rule, one function): the page offers these only."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from xiaoneng.core.errors import Conflict
from xiaoneng.org.models import Officer
from xiaoneng.timeliness.clocks.models import Clock
from xiaoneng.timeliness.permits.checks import may_handle
from xiaoneng.timeliness.permits.handover import check_open
from xiaoneng.timeliness.permits.models import ServiceCase
from xiaoneng.timeliness.permits.suspensions import awaited_correction, running_clock, suspended
from xiaoneng.timeliness.permits.transitions import check_stage

S = ServiceCase.Status

STAGE_STEPS = {
    "accept": S.ACCEPTED,
    "reject": S.REJECTED,
    "review": S.REVIEWING,
    "approve": S.APPROVING,
    "complete": S.COMPLETED,
    "withdraw": S.WITHDRAWN,
}


def _passes(check: Callable[[], object]) -> bool:
    try:
        check()
    except Conflict:
        return False
    return True


def next_actions(case: ServiceCase, actor: Officer) -> list[str]:
    """The steps ``actor`` may take on the case now: those the state checks of their services
    let through (the page offers these only)."""
    if not may_handle(actor, case):
        return []
    found = [
        step
        for step, to in STAGE_STEPS.items()
        if _passes(partial(check_stage, case, to, actor=actor))
    ]
    if _passes(partial(check_open, case)):
        found.append("hand_on")
    try:
        clock: Clock | None = running_clock(case)
    except Conflict:
        clock = None
    if clock is not None and clock.suspended_since is None:  # clocks.suspend: one at a time
        found += ["notice", "suspend"]
    if _passes(partial(awaited_correction, case)):
        found.append("materials")
    if _passes(partial(suspended, case)):
        found.append("resume")
    return found
