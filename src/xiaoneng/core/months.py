"""A calendar month named ``YYYY-MM``: the unit of the monthly draws (所长抽查, 回访)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core.errors import InvalidInput
from xiaoneng.core.params import MAX_YEAR, MIN_YEAR

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class Month:
    """A calendar month: its text (YYYY-MM) and its first and last days."""

    text: str
    first: dt.date
    last: dt.date

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """The month as a half-open span of local time (Asia/Shanghai)."""
        zone = timezone.get_default_timezone()
        start = dt.datetime.combine(self.first, dt.time(), tzinfo=zone)
        end = dt.datetime.combine(self.last + dt.timedelta(days=1), dt.time(), tzinfo=zone)
        return start, end


def parse_month(text: str) -> Month:
    """``YYYY-MM`` (a year from 1900 to 2100) as a Month; refused naming the field otherwise."""
    found = MONTH.match((text or "").strip())
    if not found or not MIN_YEAR <= int(found.group(1)) <= MAX_YEAR:
        raise InvalidInput.single("month", _("月份应为 YYYY-MM：“%(value)s”") % {"value": text})
    year, number = int(found.group(1)), int(found.group(2))
    last = calendar.monthrange(year, number)[1]
    return Month(found.group(0), dt.date(year, number, 1), dt.date(year, number, last))
