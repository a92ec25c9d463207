"""The order in which a patrol plan places an officer's tasks: the overdue first, then by risk.

Entities already overdue when the period starts come first, most overdue first: the
inspection interval is the policy's rule and they have passed it. The rest of the month's due
entities follow by their risk score (``RiskScore.score``, the probability the risk model
gives that the next inspection finds a serious problem), highest first, so that the likely
violations are found early in the month (issue 12; docs/targeting.md). Entities without a score
(no model trained yet, or entered since the last scoring) follow the scored ones; among them,
and between equal scores, the earlier due date and then the smaller entity id go first. With no
scores at all the order is the due dates', as before the risk model.
"""

from __future__ import annotations

import numpy as np

from xiaoneng.core import bulk
from xiaoneng.registry.models import RiskScore


def risk_scores(entity_ids: np.ndarray) -> np.ndarray:
    """Each entity's risk score, NaN where it has none."""
    rows = bulk.of_ids(RiskScore.objects.all(), "entity_id", entity_ids.tolist())
    pairs = np.array(list(rows.values_list("entity_id", "score")), dtype=np.float64).reshape(-1, 2)
    out = np.full(entity_ids.size, np.nan)
    if pairs.size:
        order = np.argsort(pairs[:, 0])
        ids, scores = pairs[order, 0].astype(np.int64), pairs[order, 1]
        at = np.clip(np.searchsorted(ids, entity_ids), 0, len(ids) - 1)
        found = ids[at] == entity_ids
        out[found] = scores[at[found]]
    return out


def risk_order(entity_ids: np.ndarray, due: np.ndarray, first_day: int) -> np.ndarray:
    """Positions of ``entity_ids`` (with their due day numbers) in the order tasks are placed."""
    scores = risk_scores(entity_ids)
    overdue = due < first_day
    unscored = np.isnan(scores)
    bucket = np.where(overdue, 0, np.where(unscored, 2, 1))
    within = np.where(overdue | unscored, due.astype(np.float64), -np.nan_to_num(scores))
    return np.lexsort((entity_ids, due, within, bucket))  # the last key is the primary one
