"""Plain multi-row INSERTs for large writes (imports, the trace, the demo county), and reads
of rows by many ids (``of_ids``).

``bulk_create`` builds a model instance per row and compiles every value through the ORM:
about 100 µs a row with the trace. ``insert`` writes the same rows — every concrete field,
the model's default for those not given, values adapted by their field — from columns of
plain values with one ``executemany``. Ids are reserved first, so that licences, history and
trace rows can point at a new entity without reading it back.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection, models
from django.db.models import Max, QuerySet
from django.utils import timezone

# Field types whose Python values the database drivers take as they are.
PLAIN = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "CharField",
        "TextField",
        "IntegerField",
        "BigIntegerField",
        "SmallIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "PositiveBigIntegerField",
        "FloatField",
        "BooleanField",
        "ForeignKey",
        "OneToOneField",
    }
)
BATCH = 5000
FEW_IDS = 5_000  # up to this many ids go into one IN (…); more, and every row is read


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a bulk job builds millions of small objects.

    Those objects hold no cycles; a collection pass every few thousand allocations would only
    walk them again and again (it cost a third of an import's time).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` new primary keys for ``model``, safe against concurrent writers.

    PostgreSQL hands them out from the table's sequence. SQLite has one writer at a time
    (transactions begin IMMEDIATE, see settings), so the next ids after the largest are free
    until this transaction ends.
    """
    if count <= 0:
        return []
    if connection.vendor == "postgresql":
        table = model._meta.db_table
        column = model._meta.pk.column
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, column, count],
            )
            return [row[0] for row in cursor.fetchall()]
    top = model._default_manager.aggregate(top=Max("pk"))["top"] or 0
    return list(range(top + 1, top + 1 + count))


def insert(
    model: type[models.Model],
    columns: Mapping[str, Sequence[Any]],
    count: int,
    *,
    ids: Sequence[int] | None = None,
    now: dt.datetime | None = None,
) -> list[int]:
    """Insert ``count`` rows given as ``{attname: values}``; returns their ids."""
    if count == 0:
        return []
    unknown = set(columns) - {f.attname for f in model._meta.concrete_fields}
    if unknown:
        raise ValueError(f"{model.__name__} has no fields {sorted(unknown)}")
    ids = list(ids) if ids is not None else reserve_ids(model, count)
    now = now or timezone.now()
    names, values = [], []
    for field in model._meta.concrete_fields:
        column: Sequence[Any]
        if field.primary_key:
            column = ids
        elif field.attname in columns:
            column = columns[field.attname]
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            column = [now] * count
        elif field.db_default is not models.NOT_PROVIDED and not field.has_default():
            continue
        else:
            column = [field.get_default()] * count
        if len(column) != count:
            raise ValueError(f"{model.__name__}.{field.attname}: {len(column)} values, not {count}")
        if field.get_internal_type() not in PLAIN:
            column = adapted(field, column)
        names.append(connection.ops.quote_name(field.column))
        values.append(column)
    table = connection.ops.quote_name(model._meta.db_table)
    rows = zip(*values, strict=True)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY is PostgreSQL's bulk path: several times faster than many INSERTs.
            statement = f"COPY {table} ({', '.join(names)}) FROM STDIN"
            with cursor.cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(names))
            sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({placeholders})"
            batch = list(rows)
            for start in range(0, count, BATCH):
                cursor.executemany(sql, batch[start : start + BATCH])
    return ids


def adapted(field: models.Field, column: Sequence[Any]) -> list[Any]:
    """The column's values as the database takes them; repeated values adapted once."""
    if isinstance(field, models.JSONField):
        # What JSONField.get_db_prep_save does, without its layers for every row.
        adapt, encoder = connection.ops.adapt_json_value, field.encoder
        return [None if value is None else adapt(value, encoder) for value in column]
    prepare = field.get_db_prep_save
    done: dict[Any, Any] = {}
    result = []
    for value in column:
        if isinstance(value, dict | list):
            result.append(prepare(value, connection))
        elif value in done:
            result.append(done[value])
        else:
            result.append(done.setdefault(value, prepare(value, connection)))
    return result


def of_ids(rows: QuerySet[Any], field: str, ids: Sequence[int] | set[int]) -> QuerySet[Any]:
    """``rows`` whose ``field`` is among ``ids`` when they are few, all of ``rows`` when they
    are many: SQLite caps a query's parameters, and a long IN list costs more than reading
    every row. The caller looks its rows up by id, so the extra rows do no harm."""
    return rows.filter(**{f"{field}__in": ids}) if len(ids) <= FEW_IDS else rows
