"""Which of the demo's failed records got a rectification order, with what deadline, and how
each order ended; how each exit check ended.

The rules are those of ``inspections.followup``: an order's deadline counts working days from
the day of issue, its re-inspection is planned for the first working day after the deadline,
and an order still open after that day is warned (警示) the day after. Most orders are found
rectified at the re-inspection, a few on documentary proof before it, some are warned, and of
those the older ones are escalated to a case (the case itself is the cases demo's).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from xiaoneng.demo.days import dates
from xiaoneng.demo.inspections.context import Context
from xiaoneng.demo.inspections.visits import Visits
from xiaoneng.inspections.followup.numbers import number_prefix
from xiaoneng.inspections.models import Severity

ORDER_SHARE = 0.85  # failed records that get an order; the rest are put right on the spot
WORKING_DAYS = (5, 7, 10, 15)
WORKING_DAY_WEIGHTS = (0.3, 0.3, 0.3, 0.1)
PROOF, PASSED, WARNED, ESCALATED, OPEN = "proof", "passed", "warned", "escalated", "open"
SPOT = "spot"
ESCALATE_AFTER = 25  # days after the warning before an order may have gone to a case


@dataclass
class Orders:
    """The rectification orders of the year, one per failed record that got one."""

    row: np.ndarray  # the visit row of the inspection that found the problems
    issued: np.ndarray  # day numbers
    working_days: np.ndarray
    deadline: np.ndarray
    reinspect: np.ndarray  # first working day after the deadline
    fate: np.ndarray  # proof, passed, warned, escalated, open
    closed: np.ndarray  # −1: not closed
    warned: np.ndarray  # −1: not warned
    number: list[str]
    loose: dict[int, str]  # failed records without an order: spot, escalated, open
    exits: dict[int, str]  # exit visits: ceased, escalated, open
    task: np.ndarray | None = None
    reinspection: np.ndarray | None = None  # row of the re-inspection visit (−1: none)

    @property
    def count(self) -> int:
        """How many orders."""
        return int(self.row.size)


def plan_orders(ctx: Context, visits: Visits) -> Orders:
    """Which failed records got an order, with what deadline, and how each ended."""
    rng, today = ctx.rng, ctx.today_number
    failing = np.flatnonzero((visits.failures > 0) & ~visits.exit)
    ordered = rng.random(failing.size) < ORDER_SHARE
    severity = ctx.checklists.severities
    loose: dict[int, str] = {}
    for row in failing[~ordered].tolist():
        serious = any(severity[i] != Severity.MINOR for i, _n in visits.failed[row])
        day = int(visits.day[row])
        if day >= today - 3:
            loose[row] = OPEN
        elif serious and day <= today - 10 and rng.random() < 0.15:
            loose[row] = ESCALATED
        else:
            loose[row] = SPOT
    rows = failing[ordered]
    n = rows.size
    issued = visits.day[rows]
    working_days = rng.choice(WORKING_DAYS, n, p=WORKING_DAY_WEIGHTS)
    deadline = ctx.days.add(issued, working_days)
    reinspect = ctx.days.add(deadline, 1)
    draw = rng.random(n)
    due = reinspect < today
    fate = np.where(
        ~due, OPEN, np.where(draw < 0.08, PROOF, np.where(draw < 0.9, PASSED, WARNED))
    ).astype(object)
    warned = np.where(fate == WARNED, reinspect + 1, -1)
    escalate = (fate == WARNED) & (warned + ESCALATE_AFTER < today) & (rng.random(n) < 0.45)
    fate[escalate] = ESCALATED
    proof_day = ctx.days.pick(rng, issued + 1, np.minimum(deadline, today - 1))
    closed = np.where(fate == PASSED, reinspect, np.where(fate == PROOF, proof_day, -1))
    fate[(fate == PROOF) & (closed < 0)] = PASSED
    closed = np.where(fate == PASSED, reinspect, closed)
    return Orders(
        row=rows,
        issued=issued,
        working_days=working_days,
        deadline=deadline,
        reinspect=reinspect,
        fate=fate,
        closed=closed,
        warned=warned,
        number=_numbers(issued),
        loose=loose,
        exits=_exit_fates(ctx, visits),
    )


def _numbers(issued: np.ndarray) -> list[str]:
    """伊市监责改〔2026〕0001号: the bureau's sequence of each year, in order of issue."""
    head = number_prefix()
    order = np.argsort(issued, kind="stable")
    sequence: dict[int, int] = {}
    found = [""] * issued.size
    for i, day in zip(order.tolist(), dates(issued[order]), strict=True):
        assert day is not None
        sequence[day.year] = sequence.get(day.year, 0) + 1
        found[i] = f"{head}责改〔{day.year}〕{sequence[day.year]:04d}号"
    return found


def _exit_fates(ctx: Context, visits: Visits) -> dict[int, str]:
    """How each exit check ended: ceased, escalated (to a case) or still open."""
    fates: dict[int, str] = {}
    for row in np.flatnonzero(visits.exit).tolist():
        day = int(visits.day[row])
        draw = ctx.rng.random()
        if day >= ctx.today_number - 7:
            fates[row] = "open"
        elif draw < 0.65:
            fates[row] = "ceased"
        elif day + ESCALATE_AFTER < ctx.today_number:
            fates[row] = "escalated"
        else:
            fates[row] = "open"
    return fates
