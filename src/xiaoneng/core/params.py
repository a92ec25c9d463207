"""The bounds of query parameters shared by pages and the API (ADR 0015).

A year or a day outside them names no record of the bureau; refusing it at the boundary keeps
``date(10000, 1, 1)`` and ``OFFSET 10**19`` (OverflowError, a 500) out of the handlers.
"""

from __future__ import annotations

import datetime as dt

MIN_YEAR = 1900
MAX_YEAR = 2100
FIRST_DAY = dt.date(MIN_YEAR, 1, 1)
LAST_DAY = dt.date(MAX_YEAR, 12, 31)


def in_range(day: dt.date | None) -> dt.date | None:
    """``day`` when it lies within the bounds, else None (a page treats it as not given)."""
    return day if day is not None and FIRST_DAY <= day <= LAST_DAY else None
