"""Working days under the Chinese holiday calendar.

The calendar is a table (``CalendarYear`` + ``CalendarException``) an administrator extends when
the State Council announces a new year's holidays; it starts filled from ``chinesecalendar``.

A date after the last loaded year is **provisional**: counted on weekdays only, and marked so
wherever it is shown (``is_provisional``). When that year's schedule is loaded, every domain
that stored a provisional date recomputes it (``on_year_loaded``). A date before the first
known year, or any date when the calendar is loaded ``strict``, is an explicit error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
from django.utils.translation import gettext as _

from xiaoneng.core.errors import DomainError
from xiaoneng.core.models import CalendarException, CalendarYear


class CalendarUnknown(DomainError):
    """The date lies in a year whose holidays are not in the calendar."""


PROVISIONAL_TAIL_YEARS = 10  # years after the last known one the index covers (provisional)


class WorkingCalendar:
    """The calendar loaded once for a computation: known years and the exceptional days.

    Unless ``strict``, a year after the last known one is provisional: weekdays only, whatever
    stray exception rows it may hold. Sums and steps run on a cumulative working-day index
    (numpy, one entry per day from the first known year to ``PROVISIONAL_TAIL_YEARS`` after
    the last), so each is O(log n); beyond the index they step day by day, as before.
    """

    def __init__(
        self, years: Iterable[int], exceptions: dict[dt.date, bool], *, strict: bool = False
    ) -> None:
        self.years = frozenset(years)
        self.exceptions = exceptions
        self.strict = strict
        self.last_known_year = max(self.years) if self.years else None
        self._build_index()

    @classmethod
    def load(cls, *, strict: bool = False) -> WorkingCalendar:
        years = CalendarYear.objects.values_list("year", flat=True)
        exceptions = dict(CalendarException.objects.values_list("date", "is_working_day"))
        return cls(years, exceptions, strict=strict)

    def _build_index(self) -> None:
        """``_working[i]``/``_known[i]`` for day ``_base + i``; ``_sum_*[k]``: trues before k."""
        if not self.years or self.last_known_year is None:
            self._base, self._size = dt.date(2000, 1, 1), 0
        else:
            last = self.last_known_year + (0 if self.strict else PROVISIONAL_TAIL_YEARS)
            self._base = dt.date(min(self.years), 1, 1)
            self._size = (dt.date(last, 12, 31) - self._base).days + 1
        ordinals = np.arange(self._size) + self._base.toordinal()
        working = (ordinals - 1) % 7 < 5  # date.fromordinal(1) is a Monday
        known = np.zeros(self._size, dtype=bool)
        for year in range(self._base.year, self._base.year + self._year_count()):
            if self._year_is_counted(year):
                first = (dt.date(year, 1, 1) - self._base).days
                known[first : (dt.date(year, 12, 31) - self._base).days + 1] = True
        for day, is_working in self.exceptions.items():
            index = (day - self._base).days
            if 0 <= index < self._size and day.year in self.years:
                working[index] = is_working
        working &= known
        self._working, self._known = working, known
        self._sum_working = np.concatenate(([0], np.cumsum(working, dtype=np.int64)))
        self._sum_unknown = np.concatenate(([0], np.cumsum(~known, dtype=np.int64)))

    def _year_count(self) -> int:
        if self._size == 0:
            return 0
        return (self._base + dt.timedelta(days=self._size - 1)).year - self._base.year + 1

    def _year_is_counted(self, year: int) -> bool:
        return year in self.years or (not self.strict and self.is_provisional(dt.date(year, 1, 1)))

    def _index(self, day: dt.date) -> int:
        return (day - self._base).days

    def _indexed(self, day: dt.date) -> bool:
        return 0 <= self._index(day) < self._size

    def is_provisional(self, day: dt.date | None) -> bool:
        """Whether ``day`` lies after the last loaded year (its working days are a guess)."""
        return day is not None and (self.last_known_year is None or day.year > self.last_known_year)

    def check(self, day: dt.date) -> None:
        if day.year in self.years:
            return
        if not self.strict and self.is_provisional(day) and self.years:
            return
        known = f"{min(self.years)}–{max(self.years)}" if self.years else _("无")
        raise CalendarUnknown(
            _("工作日历中没有 %(year)d 年的节假日安排（已知年份：%(known)s），请管理员补充。")
            % {"year": day.year, "known": known}
        )

    def is_working_day(self, day: dt.date) -> bool:
        if self._indexed(day):
            index = self._index(day)
            if self._known[index]:
                return bool(self._working[index])
        self.check(day)
        if day.year not in self.years:  # provisional: weekdays only
            return day.weekday() < 5
        if day in self.exceptions:
            return self.exceptions[day]
        return day.weekday() < 5

    def _first_unknown_after(self, start: dt.date, end: dt.date, *, last: bool = False) -> None:
        """Raise for the first (``last``: the last) day in (start, end] the calendar does not
        know, if any: the day the day-by-day walk would have refused on."""
        low = max(self._index(start) + 1, 0)
        high = min(self._index(end) + 1, self._size)
        if self._index(start) + 1 < 0:
            self.check(start + dt.timedelta(days=1))
        if low < high and self._sum_unknown[high] - self._sum_unknown[low] > 0:
            unknown = np.flatnonzero(~self._known[low:high])
            offset = int(unknown[-1] if last else unknown[0])
            self.check(self._base + dt.timedelta(days=low + offset))

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The date ``days`` working days after ``start`` (start itself not counted)."""
        if days <= 0:
            return start
        begin = self._index(start) + 1  # the first day counted
        if begin < 0 or begin >= self._size:
            return self._step_forward(start, days)
        target = self._sum_working[begin] + days
        end = int(np.searchsorted(self._sum_working, target, side="left"))  # count after end-1
        if end > self._size:
            last = self._base + dt.timedelta(days=self._size - 1)
            self._first_unknown_after(start, last)
            left = days - int(self._sum_working[self._size] - self._sum_working[begin])
            return self._step_forward(last, left)
        found = self._base + dt.timedelta(days=end - 1)
        self._first_unknown_after(start, found)
        return found

    def _step_forward(self, start: dt.date, days: int) -> dt.date:
        day, left = start, days
        while left > 0:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                left -= 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 if end ≤ start)."""
        if end <= start:
            return 0
        low, high = self._index(start) + 1, self._index(end) + 1
        if low < 0 or high > self._size:
            return self._step_between(start, end)
        self._first_unknown_after(start, end)
        return int(self._sum_working[high] - self._sum_working[low])

    def _step_between(self, start: dt.date, end: dt.date) -> int:
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            count += self.is_working_day(day)
        return count

    def latest_start_due_before(self, today: dt.date, days: int) -> dt.date:
        """The latest start date whose deadline of ``days`` working days has passed by ``today``.

        A record started on or before the returned date is overdue today; one query can
        then select every overdue record by date.
        """
        yesterday = today - dt.timedelta(days=1)
        if days <= 0:
            return yesterday
        self.add_working_days(yesterday, days)  # refuses as the deadline it compares would
        high = self._index(yesterday) + 1
        if high <= 0 or high > self._size:
            return self._step_latest_start(today, days)
        # The latest d with working days in (d, yesterday] ≥ days: _sum_working[d+1] ≤ bound.
        bound = self._sum_working[high] - days
        k = int(np.searchsorted(self._sum_working, bound, side="right")) - 1
        if k < 0:
            return self._step_latest_start(today, days)
        found = self._base + dt.timedelta(days=k - 1)
        self._first_unknown_after(found, yesterday, last=True)
        return found

    def _positions(self, days: np.ndarray) -> np.ndarray:
        """Index positions of ``days`` (datetime64[D]) in the day arrays; may fall outside."""
        base = np.datetime64(self._base.isoformat(), "D")
        return (days.astype("datetime64[D]") - base).astype(np.int64)

    def working_days_between_many(self, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        """``working_days_between`` of each pair of datetime64[D] arrays, on the arrays.

        Pairs the index cannot answer alone (outside it, or crossing a day it does not know)
        go through the one-by-one method, which answers or refuses as it would.
        """
        low, high = self._positions(starts) + 1, self._positions(ends) + 1
        high = np.maximum(high, low)  # end ≤ start counts nothing
        inside = (low >= 0) & (high <= self._size)
        safe_low, safe_high = np.where(inside, low, 0), np.where(inside, high, 0)
        unknown = self._sum_unknown[safe_high] - self._sum_unknown[safe_low]
        counts = self._sum_working[safe_high] - self._sum_working[safe_low]
        for i in np.flatnonzero(~inside | (unknown > 0)):
            counts[i] = self.working_days_between(_day(starts[i]), _day(ends[i]))
        return counts

    def add_working_days_many(self, starts: np.ndarray, days: np.ndarray) -> np.ndarray:
        """``add_working_days`` of each start (datetime64[D]) and count, on the arrays; a start
        the calendar refuses refuses the whole call, as it would one by one."""
        begin = self._positions(starts) + 1
        days = np.asarray(days, dtype=np.int64)
        inside = (begin >= 0) & (begin < self._size)
        safe_begin = np.where(inside, begin, 0)
        target = self._sum_working[safe_begin] + np.maximum(days, 0)
        end = np.searchsorted(self._sum_working, target, side="left")
        inside &= end <= self._size
        safe_end = np.where(inside, np.maximum(end, 1), 1)
        unknown = self._sum_unknown[safe_end] - self._sum_unknown[safe_begin]
        found = starts.astype("datetime64[D]").copy()
        step = inside & (days > 0)
        found[step] = np.datetime64(self._base.isoformat(), "D") + (safe_end[step] - 1)
        for i in np.flatnonzero((~inside & (days > 0)) | (step & (unknown > 0))):
            found[i] = np.datetime64(self.add_working_days(_day(starts[i]), int(days[i])), "D")
        return found

    def _step_latest_start(self, today: dt.date, days: int) -> dt.date:
        day = today - dt.timedelta(days=1)
        while self.add_working_days(day, days) >= today:
            day -= dt.timedelta(days=1)
        return day


def _day(value: Any) -> dt.date:
    """A numpy datetime64 as a date."""
    return dt.date.fromisoformat(str(np.asarray(value).astype("datetime64[D]")))


# Recomputation of stored provisional dates once a year's schedule is loaded: each domain
# registers one function (from its AppConfig.ready) taking the year and the new calendar and
# returning how many records it changed; it saves through the model so the trace records it.
YearLoaded = Callable[[int, WorkingCalendar], int]
_ON_YEAR_LOADED: dict[str, YearLoaded] = {}


def on_year_loaded(name: str, recompute: YearLoaded) -> None:
    """Register ``recompute`` to run when a year is loaded; ``name`` is what it recomputes, in
    the words the administrator reads after loading (整改期限)."""
    _ON_YEAR_LOADED[name] = recompute


def recompute_year(year: int) -> dict[str, int]:
    """Run every registered recomputation for ``year``; the number changed, by name."""
    calendar = WorkingCalendar.load()
    return {name: recompute(year, calendar) for name, recompute in _ON_YEAR_LOADED.items()}


HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}


def load_from_chinesecalendar(
    year_model: Any = CalendarYear, exception_model: Any = CalendarException
) -> list[int]:
    """Fill the table with every year the installed ``chinesecalendar`` knows; returns the years.

    The models are parameters so that the data migration can pass its historical ones.
    """
    from chinese_calendar import constants

    known = sorted({d.year for d in constants.holidays} | {d.year for d in constants.workdays})
    year_model.objects.bulk_create(
        [year_model(year=y, source="chinesecalendar") for y in known], ignore_conflicts=True
    )
    rows = [
        exception_model(date=d, is_working_day=False, name=HOLIDAY_NAMES.get(name, name))
        for d, name in constants.holidays.items()
        if d.weekday() < 5
    ] + [
        exception_model(date=d, is_working_day=True, name=HOLIDAY_NAMES.get(name, name))
        for d, name in constants.workdays.items()
        if d.weekday() >= 5
    ]
    exception_model.objects.bulk_create(rows, ignore_conflicts=True)
    return known
