"""The risk model's scores on the register (``Entity.risk_score``), where planning reads them.

The risk app (``xiaoneng.risk``) computes them; the register only stores them, with the model
version and the day, and no trace event per entity: the model version's own record (who
trained it, on what window) and the scoring run's event say where every score came from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.db import connection, transaction

from xiaoneng.registry.models import Entity

BATCH = 5_000
NEW = "registry_risk_score_new"  # a temporary table of the new scores, dropped after use


def set_risk_scores(*, scores: Mapping[int, float], version: int, on: dt.date) -> int:
    """Replace every entity's score by ``scores`` (the others are cleared); the count set.

    The scores go to a temporary table first and two statements apply them: a million
    single-row UPDATEs took twice as long on SQLite and far longer on PostgreSQL.
    """
    table = connection.ops.quote_name(Entity._meta.db_table)
    rows = [(int(entity), float(score)) for entity, score in scores.items()]
    postgres = connection.vendor == "postgresql"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {NEW}")
        key = "bigint" if postgres else "integer"
        cursor.execute(
            f"CREATE TEMPORARY TABLE {NEW} (id {key} PRIMARY KEY, score double precision)"
        )
        if postgres:
            with cursor.cursor.copy(f"COPY {NEW} (id, score) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            for start in range(0, len(rows), BATCH):
                cursor.executemany(
                    f"INSERT INTO {NEW} (id, score) VALUES (%s, %s)", rows[start : start + BATCH]
                )
        cursor.execute(
            f"UPDATE {table} SET risk_score = NULL, risk_model_version = NULL, "
            "risk_scored_on = NULL "
            f"WHERE risk_score IS NOT NULL AND NOT EXISTS "
            f"(SELECT 1 FROM {NEW} AS n WHERE n.id = {table}.id)"
        )
        if postgres:
            cursor.execute(
                f"UPDATE {table} SET risk_score = n.score, risk_model_version = %s, "
                f"risk_scored_on = %s FROM {NEW} AS n WHERE {table}.id = n.id",
                [version, on],
            )
        else:  # UPDATE … FROM needs SQLite 3.33; a lookup by primary key is as fast
            cursor.execute(
                f"UPDATE {table} SET risk_score = (SELECT score FROM {NEW} AS n "
                f"WHERE n.id = {table}.id), risk_model_version = %s, risk_scored_on = %s "
                f"WHERE id IN (SELECT id FROM {NEW})",
                [version, on],
            )
        cursor.execute(f"DROP TABLE {NEW}")
    return len(rows)
