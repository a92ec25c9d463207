"""The risk model's scores on the register (``RiskScore``), where planning reads them.

The risk app (``xiaoneng.risk``) computes them; the register only stores them, with the model
version and the day, and no trace event per entity: the model version's own record (who
trained it, on what window) and the scoring run's event say where every score came from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.db import connection, transaction

from xiaoneng.registry.models import RiskScore

BATCH = 5_000


def set_risk_scores(*, scores: Mapping[int, float], version: int, on: dt.date) -> int:
    """Replace every score by ``scores`` (entity id → probability); the count written.

    The table is emptied and refilled in one transaction (COPY on PostgreSQL, batched INSERTs
    on SQLite): a million rows take seconds, where updating a million entity rows took minutes.
    DELETE rather than TRUNCATE: pages reading the scores meanwhile see the old ones until the
    commit (TRUNCATE would lock them out, and refuses while the transaction has pending
    deferred foreign-key checks).
    """
    table = connection.ops.quote_name(RiskScore._meta.db_table)
    rows = [(int(entity), float(score), version, on) for entity, score in scores.items()]
    columns = "(entity_id, score, model_version, scored_on)"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} {columns} FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            sql = f"INSERT INTO {table} {columns} VALUES (%s, %s, %s, %s)"
            for start in range(0, len(rows), BATCH):
                cursor.executemany(sql, rows[start : start + BATCH])
    return len(rows)
