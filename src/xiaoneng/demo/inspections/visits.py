"""The demo's visits as columns (``Visits``), and what completes each visit: its checklist,
its failed items (matched to the violation noted), its team and whether it is a plain record."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from xiaoneng.demo.inspections.checklists import ChecklistItemRow, best_item
from xiaoneng.demo.inspections.context import Context
from xiaoneng.demo.planning.propensity import critical_chance, propensity
from xiaoneng.inspections.models import Inspection, Severity

MATCHED = 3  # character pairs a violation shares with the item it is about
PLAIN_SHARE = 0.12  # records marked all "符合" without a note
UNIFORM_OFFICERS = 2  # officers who tick every item alike, record after record…
UNIFORM_RUNS = (12, 24)  # … for a run of this many records
GENERIC_FAILURES = (
    "现场检查不符合要求，已责令改正。",
    "经营者未能提供相关材料，已责令限期补齐。",
    "现场发现问题，已拍照固定证据并责令改正。",
)


@dataclass
class Visits:
    """Inspections to write, one row each, as parallel columns."""

    entity: np.ndarray
    unit: np.ndarray
    day: np.ndarray  # day number of the visit
    origin: np.ndarray  # str
    task: np.ndarray  # 0: none
    lead: np.ndarray
    partner: np.ndarray  # 0: alone
    enforcement: np.ndarray
    documentary: np.ndarray
    exit: np.ndarray  # a deregistered entity found operating
    checklist: np.ndarray
    plain: np.ndarray  # every item marked "符合" with no note, unless one failed
    photos: np.ndarray  # how many photos
    failures: np.ndarray  # how many items fail
    summary: list[str]
    violation: list[str]  # what was found, to match the failed item
    failed: list[list[tuple[int, str]]]  # (item id, note) of each failed item

    def __len__(self) -> int:
        return int(self.entity.size)

    @classmethod
    def make(cls, n: int, **columns: Any) -> Visits:
        """Visits with the given columns and the defaults for the others."""
        defaults: dict[str, Any] = {
            "task": np.zeros(n, dtype=np.int64),
            "partner": np.zeros(n, dtype=np.int64),
            "enforcement": np.zeros(n, dtype=bool),
            "documentary": np.zeros(n, dtype=bool),
            "exit": np.zeros(n, dtype=bool),
            "checklist": np.zeros(n, dtype=np.int64),
            "plain": np.zeros(n, dtype=bool),
            "photos": np.zeros(n, dtype=np.int64),
            "failures": np.zeros(n, dtype=np.int64),
            "violation": [""] * n,
            "failed": [[] for _ in range(n)],
        }
        values = defaults | columns
        if isinstance(values.get("origin"), str):
            values["origin"] = np.full(n, values["origin"], dtype=object)
        return cls(**values)

    @classmethod
    def concat(cls, parts: list[Visits]) -> Visits:
        """The visits of ``parts`` one after the other."""
        joined: dict[str, Any] = {}
        for f in fields(cls):
            values = [getattr(p, f.name) for p in parts]
            if isinstance(values[0], list):
                joined[f.name] = [v for part in values for v in part]
            else:
                joined[f.name] = np.concatenate(values)
        return cls(**joined)

    def take(self, rows: np.ndarray) -> Visits:
        """The visits at ``rows``, in that order."""
        picked: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            picked[f.name] = (
                [value[i] for i in rows.tolist()] if isinstance(value, list) else value[rows]
            )
        return type(self)(**picked)


def _choose_checklists(ctx: Context, visits: Visits) -> None:
    industry = ctx.population.industry[ctx.population.rows(visits.entity)]
    onsite = ctx.checklists.for_industries(industry)
    documentary = ctx.checklists.documentary or 0
    visits.checklist = np.where(visits.documentary, documentary, onsite)


def _choose_failed_items(ctx: Context, visits: Visits) -> None:
    """The items each failed visit found: the one its violation note is about first, then
    others; a visit of a prone entity is more likely to find a serious (严重) one."""
    rng = ctx.rng
    rows = np.flatnonzero(visits.failures > 0)
    serious = rng.random(rows.size) < critical_chance(propensity(visits.entity[rows]))
    serious &= ~visits.exit[rows]  # the exit check's one finding is what it is about
    for row, grave in zip(rows.tolist(), serious.tolist(), strict=True):
        items = ctx.checklists.items[int(visits.checklist[row])]
        count = min(int(visits.failures[row]), len(items))
        taken: set[int] = set()
        chosen: list[tuple[int, str]] = []
        text = visits.violation[row]
        for k in range(count):
            if k == 0 and text:
                item, score = best_item(rng, text, items, taken)
                note = text if text.endswith("。") else f"{text}。"
                if score < MATCHED:  # the note was not about this trade's checklist
                    note = f"{item.title}：{GENERIC_FAILURES[int(rng.integers(3))]}"
                    visits.summary[row] = f"检查发现问题：{note}"
            else:
                wanted = grave and not _critical(chosen, items)
                item = _other_item(rng, items, taken, critical=wanted)
                note = f"{item.title}：{GENERIC_FAILURES[int(rng.integers(3))]}"
            taken.add(item.id)
            chosen.append((item.id, note[:500]))
        if grave and not _critical(chosen, items) and len(chosen) < len(items):
            item = _other_item(rng, items, taken, critical=True)
            chosen.append((item.id, f"{item.title}：{GENERIC_FAILURES[int(rng.integers(3))]}"))
        visits.failed[row] = chosen
        visits.failures[row] = len(chosen)


def _critical(chosen: list[tuple[int, str]], items: list[ChecklistItemRow]) -> bool:
    """Whether one of the ``chosen`` items is serious (严重)."""
    ids = {i for i, _note in chosen}
    return any(i.id in ids and i.severity == Severity.CRITICAL for i in items)


def _other_item(
    rng: np.random.Generator, items: list[ChecklistItemRow], taken: set[int], *, critical: bool
) -> ChecklistItemRow:
    """A further failed item: a serious one when ``critical`` (if the checklist has one left),
    else one of the others, minor ones the likeliest."""
    free = [i for i in items if i.id not in taken]
    wanted = [i for i in free if (i.severity == Severity.CRITICAL) == critical]
    pool = wanted or free
    weights = np.array(
        [3.0 if i.severity == Severity.MINOR else 1.0 for i in pool], dtype=np.float64
    )
    return pool[int(rng.choice(len(pool), p=weights / weights.sum()))]


def _choose_teams(ctx: Context, visits: Visits) -> None:
    """Two officers for an enforcement check (行政处罚法 第42条), and now and then otherwise."""
    second = visits.enforcement | visits.exit | (ctx.rng.random(len(visits)) < 0.08)
    needed = second & (visits.partner == 0)
    rows = np.flatnonzero(needed)
    visits.partner[rows] = ctx.people.partners(ctx.rng, visits.lead[rows], visits.unit[rows])
    visits.partner = np.where(visits.partner == visits.lead, 0, visits.partner)


def _choose_plain(ctx: Context, visits: Visits) -> None:
    """Records ticked "符合" throughout with no note: some of everyone's, and a run of records
    of two officers (what the trace checks catch: 篇7 虚假检查)."""
    rng = ctx.rng
    visits.plain = rng.random(len(visits)) < PLAIN_SHARE
    patrol = np.flatnonzero((visits.origin == Inspection.Origin.PATROL) & (visits.failures == 0))
    leads, counts = np.unique(visits.lead[patrol], return_counts=True)
    busy = leads[counts >= 3 * UNIFORM_RUNS[1]]
    if not busy.size:
        return
    for officer in rng.choice(busy, min(UNIFORM_OFFICERS, busy.size), replace=False).tolist():
        mine = np.flatnonzero(visits.lead == officer)  # in order of the visit day
        length = int(rng.integers(UNIFORM_RUNS[0], UNIFORM_RUNS[1] + 1))
        start = int(rng.integers(0, max(mine.size - length, 1)))
        run = mine[start : start + length]
        visits.plain[run[visits.failures[run] == 0]] = True


def complete(ctx: Context, visits: Visits) -> None:
    """Each visit's checklist, failed items, team and whether it is a plain record, in place."""
    _choose_checklists(ctx, visits)
    _choose_failed_items(ctx, visits)
    _choose_teams(ctx, visits)
    _choose_plain(ctx, visits)
