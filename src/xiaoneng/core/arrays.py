"""Read a query's rows straight into numpy arrays: one statement, a plain cursor, no converters.

Reading a million rows through ``values_list`` costs most of its time in the ORM's per-value
converters (a date parsed from text, a decimal built, a row tuple rebuilt); the planning's due
dates and the risk model's features need only numbers. Here dates come out of SQL as day
numbers (days since 1970-01-01), codes as small integers (``index_sql``), and the rows are
handed to numpy as fetched (docs/decisions/0008).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from typing import Any, TypeVar

import numpy as np
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Func, IntegerField, Model, QuerySet

M = TypeVar("M", bound=Model)
EPOCH = dt.date(1970, 1, 1)


def days_sql(column: str) -> str:
    """SQL for a date column's day number (NULL stays NULL)."""
    if connection.vendor == "postgresql":
        return f"({column} - DATE '1970-01-01')"
    return f"CAST(julianday({column}) - 2440587.5 AS INTEGER)"


def index_sql(column: str, values: Sequence[str]) -> str:
    """SQL for the position of a column's value in ``values`` (NULL for any other value)."""
    cases = " ".join(f"WHEN '{value}' THEN {i}" for i, value in enumerate(values))
    return f"CASE {column} {cases} END"


def _fetch(queryset: QuerySet[Any]) -> list[tuple[Any, ...]]:
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # a filter that can match nothing, such as ``id__in=[]``
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def int_rows(queryset: QuerySet[Any], width: int) -> np.ndarray:
    """A ``values_list`` queryset's rows as an int64 matrix (no column may be NULL)."""
    rows = _fetch(queryset)
    flat = np.fromiter(itertools.chain.from_iterable(rows), dtype=np.int64, count=len(rows) * width)
    return flat.reshape(len(rows), width)


def float_rows(queryset: QuerySet[Any], width: int) -> np.ndarray:
    """A ``values_list`` queryset's rows as a float64 matrix, NULL as NaN.

    Integers up to 2**53 (ids, day numbers) are exact in a float64.
    """
    return float_and_text_rows(queryset, width, 0)[0]


def float_and_text_rows(
    queryset: QuerySet[Any], width: int, texts: int
) -> tuple[np.ndarray, list[list[Any]]]:
    """As ``float_rows`` for the first ``width`` columns; the last ``texts`` columns (text
    codes, say) come back as they are, one list per column."""
    rows = _fetch(queryset)
    text = [[row[width + k] for row in rows] for k in range(texts)]
    if not rows:
        return np.zeros((0, width), dtype=np.float64), text
    numbers = [row[:width] for row in rows] if texts else rows
    return np.array(numbers, dtype=np.float64).reshape(len(rows), width), text


def day_number(day: dt.date) -> int:
    """Days since 1970-01-01."""
    return (day - EPOCH).days


class DayNumber(Func):
    """A date column's day number as an ORM expression (it follows the table's alias in a
    sub-query, where ``days_sql`` with the table's name would not)."""

    output_field = IntegerField()
    template = "CAST(julianday(%(expressions)s) - 2440587.5 AS INTEGER)"

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler, connection, template="(%(expressions)s - DATE '1970-01-01')", **extra
        )


def between_days(queryset: QuerySet[M], field: str, start: dt.date, end: dt.date) -> QuerySet[M]:
    """``queryset`` with the date column ``field`` from ``start`` to ``end`` (both included).

    Compared as day numbers, so that the database reads the table straight through rather than
    walking the date index and fetching each row by its ID: for a year of a million inspections
    SQLite took a sixth of the time (docs/benchmarks.md). Meant for long periods over big
    tables; a day or a month of a big table is better served by the index.
    """
    alias = f"_{field}_day"
    return queryset.alias(**{alias: DayNumber(field)}).filter(
        **{f"{alias}__gte": day_number(start), f"{alias}__lte": day_number(end)}
    )
