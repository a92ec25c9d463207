"""Working days under the Chinese holiday calendar.

The calendar is a table (``CalendarYear`` + ``CalendarException``) an administrator extends when
the State Council announces a new year's holidays; it starts filled from ``chinesecalendar``.
A date in a year the table does not know is an explicit error, never a guess.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from xiaoneng.core.errors import DomainError
from xiaoneng.core.models import CalendarException, CalendarYear


class CalendarUnknown(DomainError):
    """The date lies in a year whose holidays are not in the calendar."""


class WorkingCalendar:
    """The calendar loaded once for a computation: known years and the exceptional days."""

    def __init__(self, years: Iterable[int], exceptions: dict[dt.date, bool]) -> None:
        self.years = frozenset(years)
        self.exceptions = exceptions

    @classmethod
    def load(cls) -> WorkingCalendar:
        years = CalendarYear.objects.values_list("year", flat=True)
        exceptions = dict(CalendarException.objects.values_list("date", "is_working_day"))
        return cls(years, exceptions)

    def check(self, day: dt.date) -> None:
        if day.year not in self.years:
            known = f"{min(self.years)}–{max(self.years)}" if self.years else _("无")
            raise CalendarUnknown(
                _("工作日历中没有 %(year)d 年的节假日安排（已知年份：%(known)s），请管理员补充。")
                % {"year": day.year, "known": known}
            )

    def is_working_day(self, day: dt.date) -> bool:
        self.check(day)
        if day in self.exceptions:
            return self.exceptions[day]
        return day.weekday() < 5

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The date ``days`` working days after ``start`` (start itself not counted)."""
        day, left = start, days
        while left > 0:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                left -= 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 if end ≤ start)."""
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
        day = today - dt.timedelta(days=1)
        while self.add_working_days(day, days) >= today:
            day -= dt.timedelta(days=1)
        return day


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
