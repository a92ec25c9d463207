"""Train on the past, validate on its latest slice, keep the better model, calibrate.

- The split is by time only: ``time_split`` puts every inspection before the period's first
  day in training, the period in the test, and drops whatever follows the period.
- Inside the training window, the latest ``VALIDATION_SHARE`` of the inspections (cut at a day
  boundary, so no day is in both) is the validation slice; both candidates are fitted on the
  earlier part and the one with the higher validation AUC is kept. With a long history, only
  the latest ``MAX_FIT_ROWS`` inspections of that earlier part (whole days) are fitted: the
  recent years say more about the next visits than the old ones, and it keeps training on a
  million inspections within two minutes (docs/benchmarks.md).
- Its probabilities are calibrated on the validation slice with a sigmoid (Platt): monotone,
  so it never changes the order, and, unlike isotonic steps, it makes no ties.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from xiaoneng.targeting.errors import TargetingError, TooLittleHistory
from xiaoneng.targeting.protocol import auc

SEED = 0
VALIDATION_SHARE = 0.2
MIN_ROWS = 100  # in each of the fitting part and the validation slice
MIN_VIOLATIONS = 20  # the same, for inspections with a critical violation
MAX_FIT_ROWS = 250_000  # the latest inspections of the fitting part, whole days

FloatArray = npt.NDArray[np.float64]
Dates = npt.NDArray[np.datetime64]


def time_split(
    dates: Dates, start: np.datetime64, end: np.datetime64
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """(training mask, period mask): before ``start``; ``start`` … ``end`` inclusive."""
    if end < start:
        raise TargetingError(f"the period ends ({end}) before it starts ({start})")
    return dates < start, (dates >= start) & (dates <= end)


def validation_cut(dates: Dates, share: float = VALIDATION_SHARE) -> np.datetime64:
    """The first day of the validation slice: the day where the latest ``share`` begins."""
    ordered = np.sort(dates)
    return ordered[int(len(ordered) * (1 - share))]


def candidates() -> dict[str, Any]:
    """The two model families, with fixed parameters and seeds."""
    return {
        "logistic_regression": make_pipeline(
            StandardScaler(), LogisticRegression(C=0.1, max_iter=2000, random_state=SEED)
        ),
        # 100 trees at a learning rate of 0.1 validate as 200 at 0.05 did (Chicago: 0.722
        # against 0.719; the benchmark's million: 0.6746 against 0.6749) and predict in half
        # the time, which is most of scoring a million entities (docs/benchmarks.md).
        "gradient_boosting": HistGradientBoostingClassifier(
            learning_rate=0.1,
            max_iter=100,
            max_leaf_nodes=15,
            min_samples_leaf=40,
            l2_regularization=1.0,
            early_stopping=False,
            random_state=SEED,
        ),
    }


def _check_history(name: str, y: FloatArray) -> None:
    if len(y) < MIN_ROWS or y.sum() < MIN_VIOLATIONS or (len(y) - y.sum()) < MIN_VIOLATIONS:
        raise TooLittleHistory(
            f"too little history to train: the {name} has {len(y)} inspections and "
            f"{int(y.sum())} with a critical violation (at least {MIN_ROWS} and "
            f"{MIN_VIOLATIONS} needed); fall back to class order"
        )


def _params(estimator: Any) -> dict[str, Any]:
    last = estimator.steps[-1][1] if isinstance(estimator, Pipeline) else estimator
    keep = {
        "C",
        "learning_rate",
        "max_iter",
        "max_leaf_nodes",
        "min_samples_leaf",
        "l2_regularization",
    }
    return {k: v for k, v in last.get_params().items() if k in keep}


@dataclass
class TrainedModel:
    """The chosen, calibrated model and how it was chosen."""

    name: str
    params: dict[str, Any]
    feature_names: list[str]
    training_window: tuple[str, str]
    validation_from: str
    validation_auc: dict[str, float]  # per candidate
    estimator: Any = field(repr=False)
    calibrator: LogisticRegression = field(repr=False)

    def raw_score(self, features: FloatArray) -> FloatArray:
        return np.asarray(self.estimator.predict_proba(features)[:, 1], dtype=np.float64)

    def predict(self, features: FloatArray) -> FloatArray:
        """Calibrated probability of a critical violation, one per row."""
        if features.shape[1] != len(self.feature_names):
            raise TargetingError(
                f"expected {len(self.feature_names)} features, got {features.shape[1]}"
            )
        logit = _logit(self.raw_score(features))
        return np.asarray(self.calibrator.predict_proba(logit[:, None])[:, 1], dtype=np.float64)


def _logit(p: FloatArray) -> FloatArray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.asarray(np.log(p / (1 - p)), dtype=np.float64)


def fitting_from(dates: Dates, limit: int = MAX_FIT_ROWS) -> np.datetime64:
    """The first day of the latest ``limit`` of ``dates`` (the whole of that day included)."""
    ordered = np.sort(dates)
    return ordered[max(0, len(ordered) - limit)]


def train(
    features: FloatArray,
    outcome: FloatArray,
    dates: Dates,
    feature_names: list[str],
    *,
    max_fit_rows: int = MAX_FIT_ROWS,
) -> TrainedModel:
    """Fit both candidates on the earlier training part (its latest ``max_fit_rows``), keep
    the better, calibrate it."""
    if len(dates) == 0:
        raise TooLittleHistory("too little history to train: no inspections before the period")
    cut = validation_cut(dates)
    fit, val = dates < cut, dates >= cut
    if fit.sum() > max_fit_rows:
        fit &= dates >= fitting_from(dates[fit], max_fit_rows)
    _check_history("fitting part of the training window", outcome[fit])
    _check_history("validation slice", outcome[val])
    scores: dict[str, float] = {}
    fitted: dict[str, Any] = {}
    for name, estimator in candidates().items():
        estimator.fit(features[fit], outcome[fit])
        fitted[name] = estimator
        scores[name] = auc(estimator.predict_proba(features[val])[:, 1], outcome[val])
    best = max(sorted(scores), key=lambda n: scores[n])
    raw_val = np.asarray(fitted[best].predict_proba(features[val])[:, 1], dtype=np.float64)
    calibrator = LogisticRegression(C=1e6, max_iter=1000)
    calibrator.fit(_logit(raw_val)[:, None], outcome[val])
    return TrainedModel(
        name=best,
        params=_params(fitted[best]),
        feature_names=list(feature_names),
        training_window=(str(dates.min()), str(dates.max())),
        validation_from=str(cut),
        validation_auc=scores,
        estimator=fitted[best],
        calibrator=calibrator,
    )
