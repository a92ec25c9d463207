"""Assessment periods: a month (2026-11), a quarter (2026Q4) or a year (2026)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from xiaoneng.core.errors import FieldError, InvalidInput

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


@dataclass(frozen=True)
class Period:
    """A period's key (as written on the command line and in URLs), kind and first and last day."""

    key: str
    kind: str  # month | quarter | year
    start: dt.date
    end: dt.date

    @property
    def title(self) -> str:
        """As a bulletin names it: 2026年11月, 2026年第四季度, 2026年."""
        if self.kind == "month":
            return f"{self.start.year}年{self.start.month}月"
        if self.kind == "quarter":
            quarter = "一二三四"[(self.start.month - 1) // 3]
            return f"{self.start.year}年第{quarter}季度"
        return f"{self.start.year}年"

    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of the same kind just before this one."""
        day = self.start - dt.timedelta(days=1)
        if self.kind == "month":
            return parse_period(f"{day.year}-{day.month:02d}")
        if self.kind == "quarter":
            return parse_period(f"{day.year}Q{(day.month - 1) // 3 + 1}")
        return parse_period(str(day.year))


def _month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def parse_period(text: str, field: str = "period") -> Period:
    """``2026-11``, ``2026Q4`` or ``2026``; anything else is refused naming the field."""
    value = (text or "").strip()
    if match := _MONTH.match(value):
        year, month = int(match[1]), int(match[2])
        if 1 <= month <= 12 and 2000 <= year <= 2100:
            return Period(value, "month", dt.date(year, month, 1), _month_end(year, month))
    elif match := _QUARTER.match(value):
        year, quarter = int(match[1]), int(match[2])
        if 2000 <= year <= 2100:
            first = 3 * quarter - 2
            return Period(value, "quarter", dt.date(year, first, 1), _month_end(year, first + 2))
    elif match := _YEAR.match(value):
        year = int(match[1])
        if 2000 <= year <= 2100:
            return Period(value, "year", dt.date(year, 1, 1), dt.date(year, 12, 31))
    message = _("考核期间应为月（2026-11）、季度（2026Q4）或年（2026）：%(value)s") % {
        "value": value
    }
    raise InvalidInput(f"{field}: {message}", errors=[FieldError(field, message)])
