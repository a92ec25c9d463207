"""Read a query's rows straight into numpy arrays: one statement, a plain cursor, no converters.

Reading a million rows through ``values_list`` costs most of its time in the ORM's per-value
converters (a date parsed from text, a decimal built, a row tuple rebuilt); the planning's due
dates and the risk model's features need only numbers. Here dates come out of SQL as day
numbers (days since 1970-01-01), codes as small integers (``index_sql``), and the rows are
handed to numpy as fetched (docs/decisions/0008).

On PostgreSQL an unordered query of integer and double columns is not fetched row by row at
all: each column comes back as one array in PostgreSQL's binary form, which numpy reads as it
is (``_aggregated``). Building a million row tuples and taking them apart again cost more than
the query; the values are the same, bit for bit.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import numpy as np
from django.core.exceptions import EmptyResultSet
from django.db import connection, connections
from django.db.models import Func, IntegerField, Model, QuerySet

M = TypeVar("M", bound=Model)
T = TypeVar("T")
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


# PostgreSQL's type OIDs read as binary arrays: int8, int2, int4 (exact as int64 and, up to
# 2**53, as float64) and float8. Any other type (float4, numeric, boolean…) takes the rows.
_PG_INTEGERS = frozenset({20, 21, 23})
_PG_FLOAT8 = 701
# An element of a one-dimensional array in PostgreSQL's binary form: its length, its value.
_ELEMENTS = {
    "i": np.dtype([("length", ">i4"), ("value", ">i8")]),
    "f": np.dtype([("length", ">i4"), ("value", ">f8")]),
}
_DTYPES = {"i": np.dtype(np.int64), "f": np.dtype(np.float64)}
_ARRAY_HEADER = 20  # dimensions, has-NULL flag, element type; one dimension's size and base


def _aggregated(
    queryset: QuerySet[Any], width: int, texts: int, kind: str
) -> tuple[np.ndarray, list[list[Any]]] | None:
    """PostgreSQL: the query's columns as arrays, one per column (``array_agg``), the numbers
    sent in binary (``array_send``): an int64 (``kind`` "i") or float64 ("f", NULL as NaN)
    matrix, and the ``texts`` last columns as lists.

    None where this does not apply: another database, an ordered query (one aggregate over an
    ordered sub-query keeps the order only by PostgreSQL's habit, not by the standard), or a
    numeric column of another type. All the columns are aggregated over the same rows in
    the same pass, so their arrays stay aligned row by row.
    """
    if connection.vendor != "postgresql" or queryset.ordered or width < 1:
        return None
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:
        return _no_rows(width, texts, kind)
    names = ", ".join(f"c{k}" for k in range(width + texts))
    source = f"({sql}) AS q ({names})"
    allowed = _PG_INTEGERS if kind == "i" else _PG_INTEGERS | {_PG_FLOAT8}
    numbers = [
        f"array_send(array_agg(q.c{k}::int8))"
        if kind == "i"
        else f"array_send(array_agg(COALESCE(q.c{k}::float8, 'NaN')))"
        for k in range(width)
    ]
    words = [f"array_agg(q.c{k})" for k in range(width, width + texts)]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {source} LIMIT 0", params)
        types = [column.type_code for column in cursor.description]
        if len(types) != width + texts or not set(types[:width]) <= allowed:
            return None
        cursor.execute(f"SELECT {', '.join(numbers + words)} FROM {source}", params)
        row = cursor.fetchone()
    if row[0] is None:  # no rows: every aggregate is NULL
        return _no_rows(width, texts, kind)
    columns = [_binary_array(bytes(blob), kind) for blob in row[:width]]
    return np.column_stack(columns), [list(column) for column in row[width:]]


def _no_rows(width: int, texts: int, kind: str) -> tuple[np.ndarray, list[list[Any]]]:
    return np.zeros((0, width), dtype=_DTYPES[kind]), [[] for _k in range(texts)]


def _binary_array(blob: bytes, kind: str) -> np.ndarray:
    """A one-dimensional array of int8 or float8 in PostgreSQL's binary form, as numbers."""
    dimensions, has_null, _type = np.frombuffer(blob, dtype=">i4", count=3).tolist()
    if dimensions != 1:
        raise ValueError(f"expected a one-dimensional array, not {dimensions}")
    if has_null:  # int_rows' columns may not be NULL (floats' NULLs came back as NaN)
        raise TypeError("a NULL in a column read as integers")
    size = int(np.frombuffer(blob, dtype=">i4", count=1, offset=12)[0])
    elements = np.frombuffer(blob, dtype=_ELEMENTS[kind], count=size, offset=_ARRAY_HEADER)
    return elements["value"].astype(_DTYPES[kind])


def int_rows(queryset: QuerySet[Any], width: int) -> np.ndarray:
    """A ``values_list`` queryset's rows as an int64 matrix (no column may be NULL)."""
    fast = _aggregated(queryset, width, 0, "i")
    if fast is not None:
        return fast[0]
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
    fast = _aggregated(queryset, width, texts, "f")
    if fast is not None:
        return fast
    rows = _fetch(queryset)
    if not rows:
        return np.zeros((0, width), dtype=np.float64), [[] for _k in range(texts)]
    if not texts:
        return np.array(rows, dtype=np.float64).reshape(len(rows), width), []
    # One object matrix, then its number columns converted at once (None becomes NaN): three
    # quarters of the time of slicing each row apart from its texts, a quarter of ``zip``'s.
    table = np.array(rows, dtype=object).reshape(len(rows), width + texts)
    return table[:, :width].astype(np.float64), [column.tolist() for column in table[:, width:].T]


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


def beside(read: Callable[[], T]) -> Callable[[], T]:
    """On PostgreSQL, start ``read`` on a thread with a database connection of its own; returns
    the function that waits for its value (or raises its error).

    Two large reads then overlap: on PostgreSQL each query's time is mostly the server's, on
    the other core, and the client's wait releases the GIL (scoring 1,000,000 entities: the
    register's read 6.1 s → 4.0–4.7 s). Elsewhere ``read`` runs here and now: SQLite's reads
    are this process's own work, mostly under the GIL, and two threads only slowed each other
    (5.8–6.9 s → 8.7–9.8 s). So does a read inside a transaction, whose uncommitted rows
    another connection would not see (the test suite's case). The two connections' reads are
    not one snapshot: a record written between them may be in one only, as between any two
    queries outside a transaction.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        try:
            value = read()
        except Exception as error:  # raised by the wait, as from the thread
            failed = error

            def fail() -> T:
                raise failed

            return fail
        return lambda: value

    def run() -> T:
        try:
            return read()
        finally:
            connections.close_all()  # this thread's own connections only

    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="xiaoneng-read")
    future = executor.submit(run)
    executor.shutdown(wait=False)
    return future.result
