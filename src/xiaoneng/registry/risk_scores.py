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

from xiaoneng.core import arrays, bulk
from xiaoneng.registry.models import RiskScore


def set_risk_scores(*, scores: Mapping[int, float], version: int, on: dt.date) -> int:
    """Replace every score by ``scores`` (entity id → probability); the count written.

    In one transaction, each entity's row is updated in place (inserted when new) and the rows
    of entities no longer scored are deleted; pages reading the scores meanwhile see the old
    ones until the commit. In place rather than emptied and refilled: an inserted row's
    foreign key is checked against the entity table, on PostgreSQL by locking each of a
    million entity rows at the commit (4–9 s), an updated row's unchanged key is not checked.
    The rows go in as one COPY on PostgreSQL (into a temporary table, then one upsert), as
    one ``executemany`` of two values a row on SQLite (docs/benchmarks.md).
    """
    count = len(scores)
    entities = np.fromiter(scores.keys(), dtype=np.int64, count=count)
    values = np.fromiter(scores.values(), dtype=np.float64, count=count)
    table = connection.ops.quote_name(RiskScore._meta.db_table)
    # The version and the day are the same for every row: written once into the statement.
    upsert = (
        f"INSERT INTO {table} (entity_id, score, model_version, scored_on) {{rows}} "
        "ON CONFLICT (entity_id) DO UPDATE SET score = excluded.score, "
        "model_version = excluded.model_version, scored_on = excluded.scored_on"
    )
    constants = f"{int(version)}, '{on.isoformat()}'"
    with transaction.atomic(), connection.cursor() as cursor:
        # Scored again with the same version on the same day: the rows left over are found by
        # their IDs. Otherwise they are the rows of another version or day, once the upsert
        # has written every scored entity's (a scan, where reading the IDs took 0.3 s).
        again = RiskScore.objects.filter(model_version=version, scored_on=on).exists()
        if again:
            held = arrays.int_rows(RiskScore.objects.order_by().values_list("entity_id"), 1)
            stale = held[~np.isin(held[:, 0], entities), 0].tolist()  # setdiff1d took 1.6 s
            for start in range(0, len(stale), bulk.FEW_IDS):
                part = stale[start : start + bulk.FEW_IDS]
                marks = ", ".join(["%s"] * len(part))
                cursor.execute(f"DELETE FROM {table} WHERE entity_id IN ({marks})", part)
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP TABLE IF EXISTS {_NEW}")
            cursor.execute(f"CREATE TABLE {_NEW} (entity_id bigint, score float8)")
            with cursor.cursor.copy(f"COPY {_NEW} FROM STDIN (FORMAT BINARY)") as copy:
                copy.write(_binary_copy(entities, values))
            cursor.execute(upsert.format(rows=f"SELECT entity_id, score, {constants} FROM {_NEW}"))
            cursor.execute(f"DROP TABLE {_NEW}")
        else:
            rows = list(zip(entities.tolist(), values.tolist(), strict=True))
            cursor.executemany(upsert.format(rows=f"VALUES (%s, %s, {constants})"), rows)
        if not again:
            cursor.execute(
                f"DELETE FROM {table} WHERE NOT (model_version = %s AND scored_on = %s)",
                [version, on],
            )
    return count


# PostgreSQL's temporary table of the scores to write (named in its schema: a plain name could
# also match a table of the database's own).
_NEW = "pg_temp.new_risk_scores"
# COPY's binary form: signature, flags, header extension; each row its field count and each
# field its length and value (big-endian); -1 at the end. Exact for every float.
_COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + bytes(8)
_COPY_ROW = np.dtype(
    [("fields", ">i2"), ("id_length", ">i4"), ("id", ">i8"), ("length", ">i4"), ("score", ">f8")]
)


def _binary_copy(entities: np.ndarray, values: np.ndarray) -> bytes:
    rows = np.empty(len(entities), dtype=_COPY_ROW)
    rows["fields"], rows["id_length"], rows["length"] = 2, 8, 8
    rows["id"], rows["score"] = entities, values
    return _COPY_HEADER + rows.tobytes() + b"\xff\xff"
