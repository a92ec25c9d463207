"""The warning level of every open clock at once, on numpy arrays (issue 10, item 5).

The calendar's cumulative working-day index answers each clock in O(log n)
(``WorkingCalendar.working_days_between_many``, ``add_working_days_many``), so a million open
clocks take well under a second, where stepping day by day takes minutes. The counting rules
are those of ``clocks.services`` (its docstring), evaluated on day ``today``:

    used  = working days in (started_on, today] − suspended (ended, and the open one to today)
    due   = add_working_days(started_on, limit + extended + suspended)
    red    when today > due (overdue: the day after the last day of the limit)
    yellow when used ≥ ceil(yellow_share × (limit + extended)) and not red
    none   otherwise

A suspended clock does not turn yellow (its open yellow warning is cleared, ``SUSPENDED``);
one that was already overdue when suspended stays red, since its due date moves on with the
suspension only as fast as the days pass (docs/timeliness/clocks.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from xiaoneng.core.calendar import WorkingCalendar

# Level codes on the arrays, in the order of severity; LEVELS gives the stored value.
NONE, YELLOW, RED = 0, 1, 2
LEVELS = ("", "yellow", "red")
CODES = {value: code for code, value in enumerate(LEVELS)}


@dataclass(frozen=True)
class OpenClocks:
    """Columns of open clocks, one entry per clock (datetime64[D] dates, NaT when none)."""

    started_on: np.ndarray
    limit_days: np.ndarray  # limit + approved extension
    suspended_days: np.ndarray  # working days of ended suspensions
    suspended_since: np.ndarray  # start of the open suspension, NaT when running

    def __len__(self) -> int:
        return len(self.started_on)


@dataclass(frozen=True)
class Evaluation:
    """What ``evaluate`` found for each clock, in the order given."""

    used: np.ndarray  # working days used
    due_on: np.ndarray  # datetime64[D]
    level: np.ndarray  # NONE, YELLOW or RED
    suspended: np.ndarray  # bool: an open suspension


def yellow_threshold(limit_days: np.ndarray, share: Decimal) -> np.ndarray:
    """``ceil(share × limit)`` exactly, on integers (share in hundredths)."""
    hundredths = int((share * 100).to_integral_value())
    return (np.asarray(limit_days, dtype=np.int64) * hundredths + 99) // 100


def evaluate(
    clocks: OpenClocks, today: dt.date, calendar: WorkingCalendar, share: Decimal
) -> Evaluation:
    """Used days, due date and level of every clock on ``today``."""
    count = len(clocks)
    day = np.datetime64(today.isoformat(), "D")
    todays = np.full(count, day, dtype="datetime64[D]")
    suspended = ~np.isnat(clocks.suspended_since)
    since = np.where(suspended, clocks.suspended_since, todays)
    open_part = calendar.working_days_between_many(since, todays)
    standing = np.asarray(clocks.suspended_days, dtype=np.int64) + open_part
    counted = calendar.working_days_between_many(clocks.started_on, todays)
    used = counted - standing
    limit = np.asarray(clocks.limit_days, dtype=np.int64)
    due = calendar.add_working_days_many(clocks.started_on, limit + standing)
    red = todays > due
    yellow = ~red & ~suspended & (used >= yellow_threshold(limit, share))
    level = np.where(red, RED, np.where(yellow, YELLOW, NONE)).astype(np.int8)
    return Evaluation(used=used, due_on=due, level=level, suspended=suspended)


def recheck(
    clocks: OpenClocks,
    evaluation: Evaluation,
    today: dt.date,
    calendar: WorkingCalendar,
    share: Decimal,
) -> np.ndarray:
    """The first day after ``today`` on which each clock's level changes by the passing of
    days alone (NaT: none does): a running clock at no level turns yellow on the day its used
    days reach the threshold, or red the day after its due date, whichever comes first; a
    yellow one turns red then. A suspended clock stands still and a red one stays red: only an
    event (resumed, extended, stopped) moves them, and the event recomputes the clock."""
    running = ~evaluation.suspended
    limit = np.asarray(clocks.limit_days, dtype=np.int64)
    standing = np.asarray(clocks.suspended_days, dtype=np.int64)
    # used(d) = working days in (started_on, d] − standing: it reaches the threshold on the
    # (threshold + standing)-th working day after the start.
    turns_yellow = calendar.add_working_days_many(
        clocks.started_on, yellow_threshold(limit, share) + standing
    )
    turns_red = evaluation.due_on + np.timedelta64(1, "D")
    found = np.full(len(clocks), np.datetime64("NaT"), dtype="datetime64[D]")
    quiet = running & (evaluation.level == NONE)
    found[quiet] = np.minimum(turns_yellow, turns_red)[quiet]
    yellow = running & (evaluation.level == YELLOW)
    found[yellow] = turns_red[yellow]
    tomorrow = np.datetime64(today.isoformat(), "D") + np.timedelta64(1, "D")
    known = ~np.isnat(found)
    found[known] = np.maximum(found[known], tomorrow)
    return found


def provisional(due_on: np.ndarray, calendar: WorkingCalendar) -> np.ndarray:
    """Whether each due date lies after the calendar's last loaded year."""
    if calendar.last_known_year is None:
        return np.ones(len(due_on), dtype=bool)
    first_unknown = np.datetime64(f"{calendar.last_known_year + 1:04d}-01-01", "D")
    return due_on >= first_unknown


def day_of(value: np.datetime64) -> dt.date:
    return dt.date.fromisoformat(str(value.astype("datetime64[D]")))
