"""The risk model's scores on the register (``RiskScore``), where planning reads them.

The risk app (``xiaoneng.risk``) computes them; the register only stores them, with the model
version and the day, and no trace event per entity: the model version's own record (who
trained it, on what window) and the scoring run's event say where every score came from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import numpy as np
from django.db import connection, transaction

from xiaoneng.registry.models import RiskScore


def set_risk_scores(*, scores: Mapping[int, float], version: int, on: dt.date) -> int:
    """Replace every score by ``scores`` (entity id → probability); the count written.

    In one transaction the table is emptied and refilled. On PostgreSQL it is TRUNCATEd and
    filled by one binary COPY: a DELETE would write a million dead rows to vacuum and log; a
    page reading the scores meanwhile waits for the commit (about a second, once a day). On
    SQLite a DELETE and one ``executemany`` of two bound values a row (readers see the old
    scores until the commit). The version and the day, the same for every row, are written
    once. The table has no foreign-key constraint (``RiskScore.entity``): checking a million
    new keys at the commit was most of the write (docs/benchmarks.md).
    """
    count = len(scores)
    entities = np.fromiter(scores.keys(), dtype=np.int64, count=count)
    values = np.fromiter(scores.values(), dtype=np.float64, count=count)
    table = connection.ops.quote_name(RiskScore._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {table}")
            columns = "(entity_id, score, model_version, scored_on)"
            with cursor.cursor.copy(f"COPY {table} {columns} FROM STDIN (FORMAT BINARY)") as copy:
                copy.write(_binary_copy(entities, values, version, on))
        else:
            cursor.execute(f"DELETE FROM {table}")
            rows = list(zip(entities.tolist(), values.tolist(), strict=True))
            constants = f"{int(version)}, '{on.isoformat()}'"
            cursor.executemany(
                f"INSERT INTO {table} (entity_id, score, model_version, scored_on) "
                f"VALUES (%s, %s, {constants})",
                rows,
            )
    return count


# COPY's binary form: signature, flags, header extension; each row its field count and each
# field its length and value (big-endian; a date as days since 2000-01-01); -1 at the end.
# Exact for every float.
_COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + bytes(8)
_COPY_ROW = np.dtype(
    [
        ("fields", ">i2"),
        ("id_length", ">i4"),
        ("id", ">i8"),
        ("score_length", ">i4"),
        ("score", ">f8"),
        ("version_length", ">i4"),
        ("version", ">i4"),
        ("day_length", ">i4"),
        ("day", ">i4"),
    ]
)
_POSTGRES_EPOCH = dt.date(2000, 1, 1)


def _binary_copy(entities: np.ndarray, values: np.ndarray, version: int, on: dt.date) -> bytes:
    rows = np.empty(len(entities), dtype=_COPY_ROW)
    rows["fields"] = 4
    rows["id_length"], rows["score_length"], rows["version_length"], rows["day_length"] = 8, 8, 4, 4
    rows["id"], rows["score"] = entities, values
    rows["version"], rows["day"] = version, (on - _POSTGRES_EPOCH).days
    return _COPY_HEADER + rows.tobytes() + b"\xff\xff"
