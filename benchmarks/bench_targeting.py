"""Training the targeting model on 1,000,000 inspections and scoring 1,000,000 entities (issue 12).

Figures (wall seconds; CPU seconds of this process printed beside them — the machine is
shared and HistGradientBoosting uses every core):

- training: the path ``python -m xiaoneng.targeting`` takes (``evaluate.evaluate``):
  ``FeatureEncoder.fit`` and ``transform`` of the training table, then ``model.train``: both
  candidates (logistic regression, gradient boosting) fitted on the earlier 80 %, the better
  kept by validation AUC, sigmoid-calibrated on the latest 20 %. Target ≤ 120 s.
- scoring: ``transform`` of 1,000,000 entities and the kept model's calibrated probabilities
  (``TrainedModel.predict``). Target ≤ 10 s.

Data, generated deterministically in the shape of the Chicago adapter's table
(``chicago.Inspections``: the columns of ``features.NUMERIC`` and ``features.CATEGORICAL``):
counts of past results (Poisson), days since the last visit, licence flags, heat and weather
as the CSV has them, 3 risk classes, 15 facility types, 7 inspector groups; a few cells
missing. The outcome follows a latent risk (past criticals and fails, risk class, facility,
inspector group, heat, a season) plus noise, so the model has something to find; about 14 %
of the inspections find a critical violation.

Baselines, same process:
- training: a plain unregularised logistic regression (lbfgs, no scaling, no selection, no
  calibration) fitted on a 100,000-row sample of the fitting part, **scaled linearly**;
- scoring: a per-row Python loop computing that logistic score (dot product, sigmoid) on
  20,000 rows, **scaled linearly**.

    python benchmarks/bench_targeting.py [--quick]
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable
from typing import Any

import numpy as np

import common
from common import Figure, say

NAME = "targeting"
TRAIN_LIMIT = 120.0
SCORE_LIMIT = 10.0
BASELINE_ROWS = 100_000
LOOP_ROWS = 20_000
FACILITIES = (
    "Restaurant",
    "Grocery_Store",
    "School",
    "Bakery",
    "Children's_Services_Facility",
    "Daycare_(2_-_6_Years)",
    "Long_Term_Care",
    "Catering",
    "Liquor",
    "Mobile_Food_Dispenser",
    "Golden_Diner",
    "Hospital",
    "Wholesale",
    "Shared_Kitchen",
    "Tavern",
)
GROUPS = ("blue", "brown", "green", "orange", "purple", "yellow", "red")
RISKS = ("Risk 1 (High)", "Risk 2 (Medium)", "Risk 3 (Low)")


def clocked(work: Callable[[], Any]) -> tuple[float, float, Any]:
    """Wall seconds, CPU seconds of this process (all threads), and the result."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def inspections(n: int, first: str, days: int, *, seed: int) -> Any:
    """``n`` synthetic inspections spread over ``days`` days from ``first``, with outcomes."""
    from xiaoneng.targeting.chicago import Inspections
    from xiaoneng.targeting.features import LICENCES, NUMERIC

    rng = np.random.default_rng(seed)
    dates = np.datetime64(first, "D") + np.sort(rng.integers(0, days, n)).astype("timedelta64[D]")
    frailty = rng.gamma(2.0, 0.5, n)  # a business's latent sloppiness
    numeric: dict[str, np.ndarray] = {
        "pastFail": rng.poisson(0.3 * frailty).astype(np.float64),
        "pastCritical": rng.poisson(0.4 * frailty).astype(np.float64),
        "pastSerious": rng.poisson(0.6 * frailty).astype(np.float64),
        "pastMinor": rng.poisson(2.0 * frailty).astype(np.float64),
        "timeSinceLast": np.minimum(rng.exponential(0.9, n), 2.0),
        "ageAtInspection": rng.integers(0, 15, n).astype(np.float64),
    }
    numeric["firstRecord"] = (rng.random(n) < 0.12).astype(np.float64)
    for number, name in enumerate(LICENCES):
        numeric[name] = (rng.random(n) < 0.02 + 0.3 / (number + 2)).astype(np.float64)
    for name in ("heat_burglary", "heat_garbage", "heat_sanitation"):
        numeric[name] = rng.gamma(2.0, 15.0, n)
    numeric["precipIntensity"] = rng.exponential(0.004, n)
    season = np.sin(2 * np.pi * (dates.astype(np.int64) % 365) / 365)
    numeric["temperatureMax"] = 60 + 25 * season + rng.normal(0, 8, n)
    numeric["windSpeed"] = rng.gamma(4.0, 2.5, n)
    numeric["humidity"] = rng.uniform(0.4, 0.95, n)
    for name in ("timeSinceLast", "ageAtInspection", "heat_garbage"):  # a few missing cells
        numeric[name][rng.random(n) < 0.01] = np.nan
    assert set(numeric) == set(NUMERIC)
    risk = rng.choice(3, n, p=[0.6, 0.3, 0.1])
    facility = np.minimum(rng.geometric(0.35, n) - 1, len(FACILITIES) - 1)
    group = rng.integers(0, len(GROUPS), n)
    logit = (
        -2.6
        + 0.45 * np.log1p(numeric["pastCritical"])
        + 0.35 * numeric["pastFail"].clip(0, 3)
        + 0.4 * (frailty - 1)
        - 0.25 * risk
        + 0.15 * (facility % 4 == 0)
        + np.array([0.5, -0.3, 0.0, 0.2, -0.2, 0.1, 0.3])[group]
        + 0.008 * np.nan_to_num(numeric["heat_sanitation"], nan=30.0)
        + 0.2 * season
        + 0.25 * numeric["firstRecord"]
    )
    outcome = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(np.float64)
    return Inspections(
        ids=np.arange(seed * 10_000_000, seed * 10_000_000 + n, dtype=np.int64),
        dates=dates,
        zips=[""] * n,
        numeric=numeric,
        categorical={
            "Risk": [RISKS[i] for i in risk],
            "Facility_Type": [FACILITIES[i] for i in facility],
            "Inspector_Assigned": [GROUPS[i] for i in group],
        },
        outcome=outcome,
    )


def loop_score(rows: np.ndarray, coef: list[float], intercept: float) -> list[float]:
    out = []
    for row in rows.tolist():
        z = intercept
        for x, w in zip(row, coef, strict=True):
            z += x * w
        out.append(1.0 / (1.0 + math.exp(-z)))
    return out


def main() -> None:
    options = common.arguments(__doc__.splitlines()[0], database=False).parse_args()
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from xiaoneng.targeting.features import FeatureEncoder
    from xiaoneng.targeting.model import train, validation_cut
    from xiaoneng.targeting.protocol import auc

    n = 100_000 if options.quick else 1_000_000
    started = time.perf_counter()
    history = inspections(n, "2011-01-01", 973, seed=1)  # … 2013-08-31
    entities = inspections(n, "2013-09-01", 228, seed=2)  # the period to order
    say(
        f"generated {n:,} training inspections ({history.outcome.mean():.1%} with a critical "
        f"violation) and {n:,} entities in {time.perf_counter() - started:.0f} s; "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}"
    )

    encoding: list[float] = []

    def fit_path() -> tuple[Any, Any, Any]:
        started = time.perf_counter()
        encoder = FeatureEncoder.fit(history)
        features = encoder.transform(history)
        encoding.append(time.perf_counter() - started)
        return encoder, features, train(features, history.outcome, history.dates, encoder.names)

    train_wall, train_cpu, (encoder, features, model) = clocked(fit_path)
    say(
        f"training: {train_wall:.1f} s wall, {train_cpu:.1f} s CPU (encoding alone "
        f"{encoding[0]:.1f} s); {features.shape[1]} features; validation AUC "
        + ", ".join(f"{k} {v:.3f}" for k, v in sorted(model.validation_auc.items()))
        + f"; kept {model.name}"
    )

    encode_wall, _, matrix = clocked(lambda: encoder.transform(entities))
    predict_wall, predict_cpu, probabilities = clocked(lambda: model.predict(matrix))
    score_wall = encode_wall + predict_wall
    say(
        f"scoring: encoding {encode_wall:.2f} s + calibrated probabilities {predict_wall:.2f} s "
        f"wall ({predict_cpu:.2f} s CPU); AUC on the entities' outcomes "
        f"{auc(probabilities, entities.outcome):.3f}; mean probability "
        f"{probabilities.mean():.3f} vs {entities.outcome.mean():.3f} found"
    )

    fit = history.dates < validation_cut(history.dates)
    fit_rows = int(fit.sum())
    sample = np.random.default_rng(3).choice(np.flatnonzero(fit), min(BASELINE_ROWS, fit_rows))
    plain = make_pipeline(StandardScaler(), LogisticRegression(C=np.inf, max_iter=1000))
    base_wall, _, _ = clocked(lambda: plain.fit(features[sample], history.outcome[sample]))
    train_baseline = base_wall * fit_rows / len(sample)
    say(
        f"baseline: plain logistic regression on {len(sample):,} rows {base_wall:.2f} s, "
        f"scaled to the {fit_rows:,}-row fitting part: {train_baseline:.1f} s"
    )
    rows = matrix[:LOOP_ROWS]
    scaler, logistic = plain[0], plain[1]
    coef = (logistic.coef_[0] / scaler.scale_).tolist()
    intercept = float(
        logistic.intercept_[0] - (logistic.coef_[0] * scaler.mean_ / scaler.scale_).sum()
    )
    loop_wall, _, _ = clocked(lambda: loop_score(rows, coef, intercept))
    score_baseline = loop_wall * n / len(rows)
    say(f"baseline: per-row Python loop on {len(rows):,} rows, scaled: {score_baseline:.1f} s")

    common.report(
        [
            Figure(
                benchmark=NAME,
                case=f"train on {n:,} inspections (encode, select, calibrate)",
                value=train_wall,
                unit="s",
                limit=TRAIN_LIMIT,
                baseline=train_baseline,
                baseline_label="one plain logistic regression, 100,000-row sample, scaled",
                note=f"{train_cpu:.0f} s CPU; kept {model.name}",
            ),
            Figure(
                benchmark=NAME,
                case=f"score {n:,} entities (encode + calibrated probability)",
                value=score_wall,
                unit="s",
                limit=SCORE_LIMIT,
                note=f"encoding {encode_wall:.2f} s, probabilities {predict_wall:.2f} s",
            ),
            Figure(
                benchmark=NAME,
                case=f"calibrated probabilities of {n:,} encoded rows",
                value=predict_wall,
                unit="s",
                baseline=score_baseline,
                baseline_label="per-row Python logistic score, 20,000-row sample, scaled",
                ratio_target=10.0,
                note=f"{predict_cpu:.2f} s CPU; kept {model.name}",
            ),
        ]
    )


if __name__ == "__main__":
    main()
