"""What a recompute must write, decided on arrays (clocks.warnings).

Given each open clock's level today (``compute.evaluate``) and the open warnings, for every clock
at once:

- an open yellow warning of a clock no longer yellow is cleared: ``RAISED`` when it turned red,
  ``SUSPENDED`` when it is suspended, ``RECOMPUTED`` otherwise; an open red warning of a clock
  no longer red is cleared ``RECOMPUTED``; the open warnings of clocks that stopped, ``STOPPED``;
- a clock at a level with no open warning of it gets one, unless its latest warning was of that
  level and cleared by hand;
- an open red warning not handled by its ``handle_by`` goes one level up (to the division at
  most); the clock's escalation mirrors its open red warning's;
- ``watch``: the ``handle_by`` of each clock's open red warning after the run, while it may
  still go up (not handled, below the division): the clock is looked at again the day after.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from xiaoneng.timeliness.clocks import compute
from xiaoneng.timeliness.clocks.models import ClearReason, Escalation
from xiaoneng.timeliness.clocks.reading import NONE_DAY, OpenWarnings


@dataclass(frozen=True)
class Changes:
    new_yellow: np.ndarray  # positions of clocks (in the order read) that get a yellow warning
    new_red: np.ndarray  # … a red one
    cleared: list[tuple[int, str]]  # (warning id, ClearReason)
    escalated: list[tuple[int, int]]  # (warning id, its new escalation)
    escalation: np.ndarray  # each clock's escalation after the run
    watch: np.ndarray  # day numbers (NONE_DAY: nothing to watch), see the module docstring


def decide(
    ids: np.ndarray,
    level: np.ndarray,
    suspended: np.ndarray,
    warnings: OpenWarnings,
    suppressed: dict[str, np.ndarray],
    today: int,
    handle_by: int,
) -> Changes:
    """The changes on day number ``today`` (days since 1970-01-01); a red warning raised or
    escalated today is to be handled by day number ``handle_by``."""
    count = len(ids)
    order = np.argsort(ids, kind="stable")
    found = np.searchsorted(ids[order], warnings.clock_id)
    at = order[np.minimum(found, count - 1)] if count else np.zeros_like(found)
    # A warning whose clock is not among those read belongs to a clock that stopped.
    on_open = (found < count) & (ids[at] == warnings.clock_id) if count else found < 0

    def column(mask: np.ndarray, values: np.ndarray, empty: int = 0) -> np.ndarray:
        out = np.full(count, empty, dtype=np.int64)
        out[at[mask]] = values[mask]
        return out

    is_yellow = on_open & (warnings.level == compute.YELLOW)
    is_red = on_open & (warnings.level == compute.RED)
    yellow = column(is_yellow, warnings.id)
    red = column(is_red, warnings.id)
    red_escalation = column(is_red, warnings.escalation)
    red_handle_by = column(is_red, warnings.handle_by, NONE_DAY)
    red_handled = column(is_red, warnings.handled.astype(np.int64)).astype(bool)

    cleared: list[tuple[int, str]] = []
    drop_yellow = (yellow > 0) & (level != compute.YELLOW)
    reasons = np.where(
        level == compute.RED,
        ClearReason.RAISED.value,
        np.where(suspended, ClearReason.SUSPENDED.value, ClearReason.RECOMPUTED.value),
    )
    cleared += zip(yellow[drop_yellow].tolist(), reasons[drop_yellow].tolist(), strict=True)
    drop_red = (red > 0) & (level != compute.RED)
    cleared += [(pk, ClearReason.RECOMPUTED.value) for pk in red[drop_red].tolist()]
    cleared += [(pk, ClearReason.STOPPED.value) for pk in warnings.id[~on_open].tolist()]

    held = level == compute.RED
    keep_red = held & (red > 0)
    up = (
        keep_red
        & ~red_handled
        & (red_handle_by != NONE_DAY)
        & (red_handle_by < today)
        & (red_escalation < Escalation.DIVISION)
    )
    escalation = np.full(count, int(Escalation.OFFICER), dtype=np.int64)
    escalation[keep_red] = red_escalation[keep_red] + up[keep_red]
    new_red = held & (red == 0) & ~np.isin(ids, suppressed[compute.LEVELS[compute.RED]])
    watched = (
        keep_red & ~red_handled & (red_handle_by != NONE_DAY) & (escalation < Escalation.DIVISION)
    )
    watch = np.full(count, NONE_DAY, dtype=np.int64)
    watch[watched] = np.where(up, handle_by, red_handle_by)[watched]
    watch[new_red] = handle_by
    return Changes(
        new_yellow=np.flatnonzero(
            (level == compute.YELLOW)
            & (yellow == 0)
            & ~np.isin(ids, suppressed[compute.LEVELS[compute.YELLOW]])
        ),
        new_red=np.flatnonzero(new_red),
        cleared=cleared,
        escalated=list(zip(red[up].tolist(), escalation[up].tolist(), strict=True)),
        escalation=escalation,
        watch=watch,
    )
