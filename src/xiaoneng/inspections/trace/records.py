"""Signed inspections as arrays for the trace checks (``inspections.trace``).

The records are read in bulk — one statement, numbers only, converted to numpy arrays (no
model per row); the registered position of each record's entity is read apart and filled in.
Times are seconds since 1970 (UTC), days are day numbers, a missing value is NaN.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from xiaoneng.inspections.checklists.models import InspectionKind
from xiaoneng.inspections.records.models import Inspection
from xiaoneng.registry.models import Entity

CHUNK = 10_000  # ids per IN (...) list (SQLite's limit on parameters)
FETCH = 50_000  # rows converted to an array at a time
EPOCH = dt.date(1970, 1, 1)

NAMES = (
    "id",
    "unit_id",
    "lead_officer_id",
    "_onsite",
    "_day",
    "_started",
    "_finished",
    "_signed",
    "checkin_longitude",
    "checkin_latitude",
    "entity_id",
    "uniform",
    "amends_id",
)
# Above this many records every placed entity is read at once, rather than by id.
PLACE_ALL = 100_000


@dataclass
class Records:
    """Signed inspections as parallel arrays, sorted by id; times in seconds since 1970 (UTC),
    days as day numbers, NaN where a value is missing."""

    id: np.ndarray
    unit: np.ndarray
    officer: np.ndarray
    onsite: np.ndarray
    day: np.ndarray
    started: np.ndarray
    finished: np.ndarray
    signed: np.ndarray
    checkin_lon: np.ndarray
    checkin_lat: np.ndarray
    entity: np.ndarray
    entity_lon: np.ndarray  # the entity's registered position
    entity_lat: np.ndarray
    uniform: np.ndarray
    amends: np.ndarray  # the id of the corrected record; -1 for an original

    @classmethod
    def from_matrix(cls, matrix: np.ndarray) -> Records:
        def whole(i: int) -> np.ndarray:
            return matrix[:, i].astype(np.int64)

        amends = matrix[:, 12]
        unplaced = np.full(matrix.shape[0], np.nan)
        return cls(
            id=whole(0),
            unit=whole(1),
            officer=whole(2),
            onsite=matrix[:, 3] == 1,
            day=whole(4),
            # SQLite's julianday is exact to about 50 µs: times are kept to the millisecond.
            started=np.round(matrix[:, 5], 3),
            finished=np.round(matrix[:, 6], 3),
            signed=np.round(matrix[:, 7], 3),
            checkin_lon=matrix[:, 8].copy(),
            checkin_lat=matrix[:, 9].copy(),
            entity=whole(10),
            entity_lon=unplaced,
            entity_lat=unplaced.copy(),
            uniform=matrix[:, 11] == 1,
            amends=np.where(np.isnan(amends), -1, np.nan_to_num(amends)).astype(np.int64),
        )

    def __len__(self) -> int:
        return int(self.id.size)

    def take(self, rows: np.ndarray) -> Records:
        return Records(*(getattr(self, name)[rows] for name in self.__dataclass_fields__))

    @property
    def amendment(self) -> np.ndarray:
        return self.amends >= 0

    def index_of(self, ids: np.ndarray) -> np.ndarray:
        """Rows of ``ids`` (every one of which is loaded)."""
        return np.searchsorted(self.id, ids)


def officer_day_keys(officer: np.ndarray, day: np.ndarray) -> np.ndarray:
    """One integer per (officer, day): day numbers stay below 2²⁰ until the year 4840."""
    return officer * (1 << 20) + day


def day_of(number: int) -> dt.date:
    """The date of a day number."""
    return EPOCH + dt.timedelta(days=int(number))


def signed() -> QuerySet[Inspection]:
    """The records the checks read: signed ones."""
    return Inspection.objects.filter(status=Inspection.Status.SIGNED)


def _seconds_sql(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST(EXTRACT(EPOCH FROM {column}) AS DOUBLE PRECISION)"
    return f"((julianday({column}) - 2440587.5) * 86400.0)"


def _day_sql(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"({column} - DATE '1970-01-01')"
    return f"CAST(julianday({column}) - 2440587.5 AS INTEGER)"


def load(queryset: QuerySet[Inspection]) -> Records:
    """The records of ``queryset`` as arrays, read with a plain cursor (no model per row)."""
    table = connection.ops.quote_name(Inspection._meta.db_table)

    def column(name: str) -> str:
        return f"{table}.{connection.ops.quote_name(name)}"

    values = (
        queryset.order_by()
        .annotate(
            _onsite=RawSQL(
                f"CASE WHEN {column('kind')} = %s THEN 1 ELSE 0 END", (InspectionKind.ONSITE,)
            ),
            _day=RawSQL(_day_sql(column("visited_on")), ()),
            _started=RawSQL(_seconds_sql(column("started_at")), ()),
            _finished=RawSQL(_seconds_sql(column("finished_at")), ()),
            _signed=RawSQL(_seconds_sql(column("signed_at")), ()),
        )
        .values_list(*NAMES)
    )
    matrix = _fetch_numbers(values, len(NAMES))
    records = Records.from_matrix(matrix[np.argsort(matrix[:, 0], kind="stable")])
    _place(records)
    return records


def _fetch_numbers(queryset: QuerySet[Any], width: int) -> np.ndarray:
    """The rows of a ``values_list`` of numbers as a float matrix, None as NaN (ids and times
    in seconds fit a double exactly)."""
    sql, params = queryset.query.sql_with_params()
    parts = [np.empty((0, width))]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(FETCH):
            parts.append(np.array(rows, dtype=np.float64).reshape(len(rows), width))
    return np.concatenate(parts)


def _place(records: Records) -> None:
    """Fill in the registered position of each record's entity.

    The entities are read apart from the records: joining them in the same statement costs
    SQLite three times as much as reading both.
    """
    if not len(records):
        return
    placed = Entity.objects.filter(longitude__isnull=False, latitude__isnull=False).order_by()
    columns = ("id", "longitude", "latitude")
    wanted = np.unique(records.entity)
    if wanted.size > PLACE_ALL:
        positions = _fetch_numbers(placed.values_list(*columns), 3)
    else:
        positions = np.concatenate(
            [np.empty((0, 3))]
            + [
                _fetch_numbers(placed.filter(pk__in=chunk).values_list(*columns), 3)
                for chunk in chunks(wanted.tolist())
            ]
        )
    positions = positions[np.argsort(positions[:, 0])]
    ids = positions[:, 0].astype(np.int64)
    at = np.clip(np.searchsorted(ids, records.entity), 0, max(ids.size - 1, 0))
    found = ids[at] == records.entity if ids.size else np.zeros(len(records), dtype=bool)
    records.entity_lon[found] = positions[at[found], 1]
    records.entity_lat[found] = positions[at[found], 2]


def chunks(ids: Sequence[int]) -> Iterator[list[int]]:
    """``ids`` in lists short enough for one IN (...) each."""
    items = list(ids)
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def load_ids(ids: Sequence[int]) -> Records:
    """The signed records among ``ids``."""
    parts = [load(signed().filter(pk__in=chunk)) for chunk in chunks(ids)]
    return merge(parts)


def merge(parts: Sequence[Records]) -> Records:
    """The records of ``parts`` once each, sorted by id."""
    parts = [p for p in parts if len(p)]
    if not parts:
        return Records.from_matrix(np.empty((0, len(NAMES))))
    if len(parts) == 1:
        return parts[0]
    names = list(Records.__dataclass_fields__)
    joined = Records(*(np.concatenate([getattr(p, n) for p in parts]) for n in names))
    _unique, first = np.unique(joined.id, return_index=True)
    return joined.take(first)
