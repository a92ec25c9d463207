"""Working days of the plans' range of dates as arrays (the patrol history and campaigns)."""

from __future__ import annotations

import datetime as dt

import numpy as np

from xiaoneng.core.calendar import WorkingCalendar
from xiaoneng.demo.days import is_working
from xiaoneng.planning.patrol import schedule


class Workdays:
    """Working days on a range of dates as arrays; a year the calendar lacks falls back to
    Monday–Friday (the demo only: the services refuse such a year)."""

    def __init__(self, first: dt.date, last: dt.date) -> None:
        calendar = WorkingCalendar.load()
        self.origin = schedule.day_number(first)
        days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
        self.working = np.array([is_working(calendar, d) for d in days], dtype=bool)
        # For each day, the index of the first working day on or after it (−1: none).
        following = np.full(len(days) + 1, -1, dtype=np.int64)
        for i in range(len(days) - 1, -1, -1):
            following[i] = i if self.working[i] else following[i + 1]
        self.following = following[:-1]

    def forward(self, numbers: np.ndarray) -> np.ndarray:
        """Day numbers moved to the next working day (−1 beyond the range)."""
        index = np.clip(numbers - self.origin, 0, len(self.following) - 1)
        found = self.following[index]
        return np.where(found < 0, -1, found + self.origin)

    def between(self, first: dt.date, last: dt.date) -> list[dt.date]:
        """The working days from ``first`` to ``last``."""
        start, stop = (
            schedule.day_number(first) - self.origin,
            schedule.day_number(last) - self.origin,
        )
        return [
            schedule.to_date(self.origin + i) for i in range(start, stop + 1) if self.working[i]
        ]
