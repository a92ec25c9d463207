"""Drift: how well the stored model has ranked the inspections since its training window.

A version is validated on the latest slice of its window (``RiskModel.validation_auc``). The
inspections signed since (from ``until`` on) were never seen in training; once there are
enough of them, their AUC under the stored model is its recent accuracy. When it falls more than
``TOLERANCE`` below the validated level, the system says so and proposes retraining.

A check reads the whole history, so it runs as a daily job (``risk-drift``, web/jobs.py) and
from ``xiaoneng targeting status``, and is stored (``DriftCheck``); the page shows the latest.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.utils import timezone

from xiaoneng.risk.models import DriftCheck, RiskModel
from xiaoneng.risk.records import read_training
from xiaoneng.risk.services import load
from xiaoneng.risk.threads import single_threaded
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
    checked_at: dt.datetime | None = None

    @property
    def enough(self) -> bool:
        return self.recent_auc is not None

    @property
    def drifted(self) -> bool:
        return self.recent_auc is not None and self.recent_auc < self.validated_auc - TOLERANCE


def latest(record: RiskModel) -> Drift | None:
    """The last stored check of ``record``; None when it was never checked."""
    found = record.drift_checks.order_by("-checked_at", "-id").first()
    if found is None:
        return None
    return Drift(
        record.version,
        record.validation_auc,
        found.inspections,
        found.violations,
        found.recent_auc,
        found.checked_at,
    )


@single_threaded
def check(record: RiskModel) -> Drift:
    """The recent accuracy of ``record`` on what was signed from its ``until`` day on, stored."""
    training = read_training()
    since = training.visits.dates >= np.datetime64(record.until.isoformat(), "D")
    found = training.outcome[since]
    n, hits = int(since.sum()), int(found.sum())
    recent = None
    if n >= MIN_INSPECTIONS and MIN_VIOLATIONS <= hits <= n - MIN_VIOLATIONS:
        loaded = load(record)
        visits = training.visits.take(since)
        recent = auc(loaded.score(visits), found)
    stored = DriftCheck.objects.create(
        model=record, checked_at=timezone.now(), inspections=n, violations=hits, recent_auc=recent
    )
    return Drift(record.version, record.validation_auc, n, hits, recent, stored.checked_at)
