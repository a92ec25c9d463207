"""What a warnings recompute reads (clocks.warnings): the open clocks and their uncleared
warnings, each in one statement of integer columns.

Which clocks (a ``Selection``): those asked for by id (a clock that changed), those whose
``recheck_on`` is empty or has come (the hourly run: the only clocks whose level can have moved
since their last recompute), or every open clock (a new year's calendar, a new policy).

Dates are read as day numbers since 1970-01-01 (``julianday`` on SQLite, date subtraction on
PostgreSQL) and levels as their codes (``compute.LEVELS``), so a million rows come through the
driver as plain integers and become numpy columns at once — no date object or string is made
per row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import connection
from django.db.models import Max, Q

from xiaoneng.timeliness.clocks import compute
from xiaoneng.timeliness.clocks.models import ClearReason, Clock, Warning

CHUNK = 5000  # ids per IN (...) list: well under SQLite's limit on parameters
NONE_DAY = -1_000_000  # a missing date in an integer column (NaT once read)
EPOCH = dt.date(1970, 1, 1)


def day_number(column: str) -> str:
    """SQL for the day number of a date column (NULL stays NULL)."""
    if connection.vendor == "postgresql":
        return f"({column} - DATE '1970-01-01')"
    return f"CAST(julianday({column}) - 2440587.5 AS INTEGER)"


def _level_code(column: str) -> str:
    cases = " ".join(f"WHEN '{value}' THEN {code}" for code, value in enumerate(compute.LEVELS))
    return f"CASE {column} {cases} ELSE 0 END"


def _dates(numbers: np.ndarray) -> np.ndarray:
    dates = numbers.astype("datetime64[D]")
    dates[numbers == NONE_DAY] = np.datetime64("NaT")
    return dates


def chunks(ids: list[int] | None) -> Iterator[list[int] | None]:
    if ids is None:
        yield None
        return
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


FAR = dt.date(9999, 12, 31)  # recheck_on of a clock that only an event can change


@dataclass(frozen=True)
class Selection:
    """The clocks a recompute reads: ``ids`` when given, else those due for a recheck on
    ``due`` when given, else every open clock."""

    ids: list[int] | None = None
    due: dt.date | None = None

    def recheck(self, alias: str) -> tuple[str, list[Any]]:
        """SQL (and its parameters) for "due for a recheck" on the clock table as ``alias``."""
        if self.due is None:
            return "1 = 1", []
        column = f"{alias}.recheck_on"
        return f"({column} IS NULL OR {column} <= %s)", [
            connection.ops.adapt_datefield_value(self.due)
        ]


@dataclass
class OpenRead:
    """The open clocks read (``ids`` and their columns, in the same order)."""

    ids: np.ndarray
    clocks: compute.OpenClocks
    due_on: np.ndarray
    provisional: np.ndarray
    level: np.ndarray
    escalation: np.ndarray
    recheck_on: np.ndarray  # day numbers, NONE_DAY when empty


def _table(model: type[Any]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def open_clocks(selection: Selection) -> OpenRead:
    """The open clocks of ``selection`` as columns."""
    select = (
        "SELECT c.id, c.limit_days + c.extended_days, c.suspended_days, "
        f"{_level_code('c.level')}, c.escalation, "
        "CASE WHEN c.due_provisional THEN 1 ELSE 0 END, "
        f"{day_number('c.started_on')}, "
        f"COALESCE({day_number('c.suspended_since')}, {NONE_DAY}), "
        f"COALESCE({day_number('c.due_on')}, {NONE_DAY}), "
        f"COALESCE({day_number('c.recheck_on')}, {NONE_DAY}) "
        f"FROM {_table(Clock)} c"
    )
    due, params = selection.recheck("c")
    running = "c.stopped_on IS NULL"
    if selection.due is not None:
        # Not a condition an index can serve, so that the planner reads the few clocks due by
        # clock_recheck_idx, not every open one by clock_open_idx (SQLite has no statistics).
        running = "(CASE WHEN c.stopped_on IS NULL THEN 1 ELSE 0 END) = 1"
    rows = _select(select, f"{running} AND {due}", params, "c.id", selection.ids, 10)
    return OpenRead(
        ids=rows[:, 0],
        clocks=compute.OpenClocks(
            started_on=_dates(rows[:, 6]),
            limit_days=rows[:, 1],
            suspended_days=rows[:, 2],
            suspended_since=_dates(rows[:, 7]),
        ),
        due_on=_dates(rows[:, 8]),
        provisional=rows[:, 5].astype(bool),
        level=rows[:, 3].astype(np.int8),
        escalation=rows[:, 4],
        recheck_on=rows[:, 9],
    )


def _select(
    select: str,
    where: str,
    where_params: list[Any],
    id_column: str,
    ids: list[int] | None,
    columns: int,
) -> np.ndarray:
    """The integer rows of ``select … WHERE where`` (and ``id_column IN ids``, by chunks)."""
    found: list[tuple[int, ...]] = []
    with connection.cursor() as cursor:
        for chunk in chunks(ids):
            sql, params = f"{select} WHERE {where}", [*where_params, *(chunk or ())]
            if chunk is not None:
                sql += f" AND {id_column} IN ({', '.join(['%s'] * len(chunk))})"
            cursor.execute(sql, params)
            found.extend(cursor.fetchall())
    return np.array(found, dtype=np.int64).reshape(-1, columns)


@dataclass(frozen=True)
class OpenWarnings:
    """The open (uncleared) warnings read, as columns: ``handle_by`` in day numbers
    (``NONE_DAY`` when none)."""

    id: np.ndarray
    clock_id: np.ndarray
    level: np.ndarray  # compute.YELLOW or compute.RED
    escalation: np.ndarray
    handle_by: np.ndarray
    handled: np.ndarray  # bool


def open_warnings(selection: Selection) -> OpenWarnings:
    """The uncleared warnings of the clocks of ``selection`` (stopped ones included)."""
    select = (
        f"SELECT w.id, w.clock_id, {_level_code('w.level')}, w.escalation, "
        f"COALESCE({day_number('w.handle_by')}, {NONE_DAY}), "
        "CASE WHEN w.handled_at IS NULL THEN 0 ELSE 1 END "
        f"FROM {_table(Warning)} w"
    )
    where, params = "w.cleared_at IS NULL", list[Any]()
    if selection.due is not None:
        due, params = selection.recheck("c")
        where += f" AND w.clock_id IN (SELECT c.id FROM {_table(Clock)} c WHERE {due})"
    rows = _select(select, where, params, "w.clock_id", selection.ids, 6)
    return OpenWarnings(
        id=rows[:, 0],
        clock_id=rows[:, 1],
        level=rows[:, 2],
        escalation=rows[:, 3],
        handle_by=rows[:, 4],
        handled=rows[:, 5].astype(bool),
    )


def suppressed(selection: Selection) -> dict[str, np.ndarray]:
    """By level, the clocks whose latest warning of that level was cleared by hand: it is not
    raised again while the clock stays at it."""
    manual = Warning.objects.filter(clear_reason=ClearReason.MANUAL).order_by()
    # Those of stopped clocks do no harm: the caller looks up the open clocks it read.
    if selection.ids is not None:
        manual = manual.filter(clock_id__in=selection.ids)
    elif selection.due is not None:
        due = Q(recheck_on__isnull=True) | Q(recheck_on__lte=selection.due)
        manual = manual.filter(clock_id__in=Clock.objects.filter(due).values("pk"))
    else:
        manual = manual.filter(clock__stopped_on__isnull=True)
    cleared = {
        pk: (clock_id, level)
        for pk, clock_id, level in manual.values_list("id", "clock_id", "level")
    }
    found: dict[str, list[int]] = {level: [] for level in compute.LEVELS[1:]}
    if not cleared:
        return {level: np.array(ids, dtype=np.int64) for level, ids in found.items()}
    clocks = sorted({clock_id for clock_id, _level in cleared.values()})
    latest: set[int] = set()
    for chunk in chunks(clocks):
        latest.update(
            Warning.objects.filter(clock_id__in=chunk)
            .order_by()
            .values("clock_id")
            .annotate(top=Max("id"))
            .values_list("top", flat=True)
        )
    for pk, (clock_id, level) in cleared.items():
        if pk in latest:
            found[level].append(clock_id)
    return {level: np.array(ids, dtype=np.int64) for level, ids in found.items()}
