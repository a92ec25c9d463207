"""Drift: how well the stored model has ranked the inspections since its training window.

A version is validated on the latest slice of its window (``RiskModel.validation_auc``). The
inspections signed since (from ``until`` on) were never seen in training; once there are
enough of them, their AUC under the stored model is its recent accuracy. When it falls more than
``TOLERANCE`` below the validated level, the system says so and proposes retraining.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from xiaoneng.risk.models import RiskModel
from xiaoneng.risk.records import read_training
from xiaoneng.risk.services import load
from xiaoneng.targeting.protocol import auc

TOLERANCE = 0.05
MIN_INSPECTIONS = 100
MIN_VIOLATIONS = 10


@dataclass(frozen=True)
class Drift:
    version: int
    validated_auc: float
    inspections: int  # signed since the training window
    violations: int
    recent_auc: float | None  # None until there are enough inspections and violations

    @property
    def enough(self) -> bool:
        return self.recent_auc is not None

    @property
    def drifted(self) -> bool:
        return self.recent_auc is not None and self.recent_auc < self.validated_auc - TOLERANCE


def check(record: RiskModel) -> Drift:
    """The recent accuracy of ``record`` on what was signed from its ``until`` day on."""
    training = read_training()
    since = training.visits.dates >= np.datetime64(record.until.isoformat(), "D")
    found = training.outcome[since]
    n, hits = int(since.sum()), int(found.sum())
    recent = None
    if n >= MIN_INSPECTIONS and MIN_VIOLATIONS <= hits <= n - MIN_VIOLATIONS:
        loaded = load(record)
        visits = training.visits.take(since)
        matrix = loaded.encoder.transform(visits.numeric, visits.categorical, visits.dates)
        recent = auc(loaded.predict(matrix), found)
    return Drift(record.version, record.validation_auc, n, hits, recent)
