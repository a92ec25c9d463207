"""The risk model's scores on the register (``RiskScore``), where planning reads them.

The risk app (``xiaoneng.risk``) computes them; the register only stores them, with the model
version and the day, and no trace event per entity: the model version's own record (who
trained it, on what window) and the scoring run's event say where every score came from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.db import connection, transaction

from xiaoneng.core import bulk
from xiaoneng.registry.models import RiskScore


def set_risk_scores(*, scores: Mapping[int, float], version: int, on: dt.date) -> int:
    """Replace every score by ``scores`` (entity id → probability); the count written.

    The table is emptied and refilled in one transaction (``core.bulk.insert``: COPY on
    PostgreSQL, batched INSERTs on SQLite): a million rows take seconds, where updating a
    million entity rows took minutes. DELETE rather than TRUNCATE: pages reading the scores
    meanwhile see the old ones until the commit (TRUNCATE would lock them out, and refuses
    while the transaction has pending deferred foreign-key checks).
    """
    entities = [int(entity) for entity in scores]
    count = len(entities)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(RiskScore._meta.db_table)}")
        bulk.insert(
            RiskScore,
            {
                "score": [float(score) for score in scores.values()],
                "model_version": [version] * count,
                "scored_on": [on] * count,
            },
            count,
            ids=entities,
        )
    return count
