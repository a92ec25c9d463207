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


def set_risk_scores(*, scores: Mapping[int, float], version: int, on: dt.date) -> int:
    """Replace every entity's score by ``scores`` (the others are cleared); the count set."""
    table = connection.ops.quote_name(Entity._meta.db_table)
    rows = [(float(score), version, on, int(entity)) for entity, score in scores.items()]
    with transaction.atomic(), connection.cursor() as cursor:
        Entity.objects.exclude(risk_score=None).update(
            risk_score=None, risk_model_version=None, risk_scored_on=None
        )
        sql = (
            f"UPDATE {table} SET risk_score = %s, risk_model_version = %s, "
            "risk_scored_on = %s WHERE id = %s"
        )
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start : start + BATCH])
    return len(rows)
