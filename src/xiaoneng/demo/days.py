"""Days and moments of the demo's past year: working days as arrays, day numbers, local times.

Day numbers count days since 1970 (``planning.patrol.schedule``); moments are aware, in UTC,
made from the local time of Asia/Shanghai.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np

from xiaoneng.core.calendar import CalendarUnknown, WorkingCalendar
from xiaoneng.planning.patrol import schedule

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def month_start(day: dt.date, months_back: int) -> dt.date:
    """The first day of the month ``months_back`` months before ``day``'s (negative: after)."""
    index = day.year * 12 + day.month - 1 - months_back
    return dt.date(index // 12, index % 12 + 1, 1)


def window_of(today: dt.date) -> dt.date:
    """The first day of the demo's past year: the month twelve months back (as the plans)."""
    return month_start(today, 12)


class Days:
    """Working days of a range of dates as arrays (day numbers since 1970).

    A year the calendar does not know falls back to Monday–Friday: the demo only, the services
    refuse such a year.
    """

    def __init__(self, first: dt.date, last: dt.date) -> None:
        calendar = WorkingCalendar.load()
        self.origin = schedule.day_number(first)
        size = (last - first).days + 1
        self.working = np.array(
            [is_working(calendar, first + dt.timedelta(days=n)) for n in range(size)], dtype=bool
        )
        self.before = np.concatenate([[0], np.cumsum(self.working)])  # working days before i
        self.index = np.flatnonzero(self.working)  # offset of the k-th working day
        self.last = self.origin + size - 1

    def _offset(self, days: np.ndarray) -> np.ndarray:
        return np.clip(np.asarray(days, dtype=np.int64) - self.origin, 0, self.working.size - 1)

    def add(self, days: np.ndarray, count: np.ndarray | int) -> np.ndarray:
        """The day ``count`` working days after each of ``days`` (the day itself not counted)."""
        offset = self._offset(days)
        k = self.before[offset + 1] + np.asarray(count, dtype=np.int64) - 1
        return self.index[np.clip(k, 0, self.index.size - 1)] + self.origin

    def forward(self, days: np.ndarray) -> np.ndarray:
        """Each day moved to the first working day on or after it."""
        k = self.before[self._offset(days)]
        return self.index[np.clip(k, 0, self.index.size - 1)] + self.origin

    def is_working(self, days: np.ndarray) -> np.ndarray:
        """Whether each of ``days`` is a working day."""
        return self.working[self._offset(days)]

    def pick(self, rng: np.random.Generator, first: np.ndarray, last: np.ndarray) -> np.ndarray:
        """A random working day in each ``[first, last]`` (−1 where there is none)."""
        low = self.before[self._offset(first)]
        high = self.before[self._offset(last) + 1]
        k = low + np.floor(rng.random(low.size) * np.maximum(high - low, 0)).astype(np.int64)
        found = self.index[np.clip(k, 0, self.index.size - 1)] + self.origin
        return np.where(high > low, found, -1)


def is_working(calendar: WorkingCalendar, day: dt.date) -> bool:
    """Whether ``day`` is a working day; Monday–Friday in a year the calendar does not know."""
    try:
        return calendar.is_working_day(day)
    except CalendarUnknown:
        return day.weekday() < 5


def dates(numbers: np.ndarray | Sequence[int]) -> list[dt.date | None]:
    """Day numbers as dates (None for a negative number)."""
    cache: dict[int, dt.date] = {}
    return [
        None if n < 0 else cache.setdefault(n, schedule.to_date(n))
        for n in np.asarray(numbers, dtype=np.int64).tolist()
    ]


def numbers(days: Sequence[dt.date]) -> np.ndarray:
    """Dates as day numbers."""
    return np.array([schedule.day_number(d) for d in days], dtype=np.int64)


def moments(days: np.ndarray, minutes: np.ndarray) -> list[dt.datetime]:
    """Moments (aware, UTC) at ``minutes`` after local midnight (Asia/Shanghai) of ``days``."""
    seconds = (
        np.asarray(days, dtype=np.int64) * 86400
        + np.round(np.asarray(minutes, dtype=np.float64) * 60).astype(np.int64)
        - 8 * 3600
    )
    return [
        d.replace(tzinfo=dt.UTC) for d in seconds.astype("datetime64[s]").astype(object).tolist()
    ]


def local_moment(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """``hour``:``minute`` of ``day`` in Asia/Shanghai."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SHANGHAI)
