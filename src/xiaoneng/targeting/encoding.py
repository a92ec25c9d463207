"""The feature matrix of the register's records, and the reasons behind one score.

``RecordEncoder`` is learnt on the training window: the most frequent industries (the rest are
"other"), the inspecting units, and each number's median (used where a value is unknown, and
as the typical value in explanations). Months are one-hot, so the season counts.

``explain`` says which features raise or lower one visit's risk most: each group of features is
set, in turn, to the training window's typical value and the change of the calibrated
probability is that group's part. It works for either model family and is exact about what
the stored model would do.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import repeat

import numpy as np
import numpy.typing as npt
from threadpoolctl import threadpool_limits

from xiaoneng.targeting.errors import TargetingError
from xiaoneng.targeting.records import (
    CATEGORICAL_FEATURES,
    NUMERIC_FEATURES,
    Dates,
    FloatArray,
)

TOP_INDUSTRIES = 12
# Groups explained together (a reason names the group); unit and month are not reasons an
# officer can act on, so they are left out of the explanations but stay in the model.
REASON_GROUPS: dict[str, tuple[str, ...]] = {
    "past_problems": ("past_critical", "past_major", "past_minor", "past_failed"),
    "last_visit": ("last_critical", "last_major"),
    "since_last": ("days_since_last", "first_record", "past_inspections"),
    "nearby": ("nearby_inspections", "nearby_rate"),
    "risk_class": ("risk_class",),
    "credit": ("credit",),
    "age_years": ("age_years",),
    "licences": ("licences",),
    "complaints": ("complaints",),
    "cases": ("cases",),
}


def _one_hot(values: list[str], known: tuple[str, ...]) -> FloatArray:
    """One column per ``known`` value, 1.0 where the row has it (−1: none of them)."""
    index = {k: i for i, k in enumerate(known)}
    # ``map`` calls ``dict.get`` without a Python frame per row: a third of a generator's time.
    column = np.fromiter(map(index.get, values, repeat(-1)), dtype=np.int64, count=len(values))
    out = np.zeros((len(values), len(known)), dtype=np.float64)
    rows = np.flatnonzero(column >= 0)
    out[rows, column[rows]] = 1.0
    return out


@dataclass(frozen=True)
class RecordEncoder:
    industries: tuple[str, ...]
    units: tuple[str, ...]
    medians: tuple[float, ...]  # one per NUMERIC_FEATURES
    industry_mode: str

    @classmethod
    def fit(
        cls, numeric: dict[str, FloatArray], categorical: dict[str, list[str]], *, unit: bool = True
    ) -> RecordEncoder:
        _check(numeric, categorical)
        counts = Counter(categorical["industry"])
        ranked = sorted(counts, key=lambda k: (-counts[k], k))
        medians = []
        for name in NUMERIC_FEATURES:
            column = numeric[name]
            finite = column[np.isfinite(column)]
            medians.append(float(np.median(finite)) if len(finite) else 0.0)
        return cls(
            industries=tuple(ranked[:TOP_INDUSTRIES]),
            units=tuple(sorted(set(categorical["unit"]))) if unit else (),
            medians=tuple(medians),
            industry_mode=ranked[0] if ranked else "",
        )

    @property
    def names(self) -> list[str]:
        return [
            *NUMERIC_FEATURES,
            *(f"industry={i}" for i in self.industries),
            "industry=<other>",
            *(f"unit={u}" for u in self.units),
            *(f"month={m}" for m in range(1, 13)),
        ]

    def columns(self, group: str) -> list[int]:
        """The matrix columns of a reason group."""
        if group == "industry":
            start = len(NUMERIC_FEATURES)
            return list(range(start, start + len(self.industries) + 1))
        return [NUMERIC_FEATURES.index(name) for name in REASON_GROUPS[group]]

    def transform(
        self, numeric: dict[str, FloatArray], categorical: dict[str, list[str]], dates: Dates
    ) -> FloatArray:
        _check(numeric, categorical)
        n = len(dates)
        block = np.column_stack([numeric[c] for c in NUMERIC_FEATURES]).reshape(n, -1)
        block = np.where(np.isfinite(block), block, np.array(self.medians))
        industry = _one_hot(categorical["industry"], self.industries)
        other = 1.0 - industry.sum(axis=1, keepdims=True)
        units = _one_hot(categorical["unit"], self.units)
        months = dates.astype("datetime64[M]").astype(np.int64) % 12
        month_hot = (months[:, None] == np.arange(12)[None, :]).astype(np.float64)
        return np.hstack([block, industry, other, units, month_hot])

    def typical(self, group: str) -> FloatArray:
        """The typical values of a group's columns: medians, or the commonest industry."""
        if group == "industry":
            return self.transform_industry([self.industry_mode])[0]
        return np.array([self.medians[i] for i in self.columns(group)])

    def transform_industry(self, values: list[str]) -> FloatArray:
        hot = _one_hot(values, self.industries)
        return np.hstack([hot, 1.0 - hot.sum(axis=1, keepdims=True)])


# Rows transformed and predicted at a time: a block of this many rows stays in the processor's
# cache while every tree of the model runs over it; the whole register at once (900,000 rows of
# 47 columns, 340 MB) was read from memory once per tree, a third slower (docs/benchmarks.md).
CHUNK = 16_384
# Threads that encode and predict the blocks, at most two: the trees' loop (and most of numpy)
# releases the GIL, so two threads predict the register in little more than half the time on
# two cores (docs/benchmarks.md); one thread on a one-core machine.
THREADS = min(2, os.cpu_count() or 1)


def _one_openmp_thread() -> None:
    """Keep a worker thread's OpenMP to one thread, as ``risk.threads`` keeps its caller's.

    A new thread starts from OpenMP's default (every core), not from its creator's limit: two
    workers of two OpenMP threads each would spin waiting for one another on two cores.
    """
    threadpool_limits(limits=1, user_api="openmp")


def score_in_chunks(
    predict: Callable[[FloatArray], FloatArray],
    encoder: RecordEncoder,
    numeric: dict[str, FloatArray],
    categorical: dict[str, list[str]],
    dates: Dates,
    chunk: int = CHUNK,
    threads: int = THREADS,
) -> FloatArray:
    """``predict`` of the encoded rows, ``chunk`` rows at a time on ``threads`` threads; the
    scores in the rows' order, the same whatever the number of threads (each block is
    encoded and predicted on its own)."""

    def block(start: int) -> FloatArray:
        stop = start + chunk
        matrix = encoder.transform(
            {k: v[start:stop] for k, v in numeric.items()},
            {k: v[start:stop] for k, v in categorical.items()},
            dates[start:stop],
        )
        return predict(matrix)

    starts = range(0, len(dates), chunk)
    if threads <= 1 or len(starts) <= 1:
        parts = [block(start) for start in starts]
    else:
        with ThreadPoolExecutor(threads, initializer=_one_openmp_thread) as pool:
            parts = list(pool.map(block, starts))  # in the order of ``starts``
    return np.concatenate([np.zeros(0), *parts])


def _check(numeric: dict[str, FloatArray], categorical: dict[str, list[str]]) -> None:
    for name in NUMERIC_FEATURES:
        if name not in numeric:
            raise TargetingError(f"feature missing in the data: {name}")
    for name in CATEGORICAL_FEATURES:
        if name not in categorical:
            raise TargetingError(f"feature missing in the data: {name}")


@dataclass(frozen=True)
class Reason:
    group: str
    effect: float  # change of the probability this group makes, against a typical value


def explain(
    predict: object, encoder: RecordEncoder, matrix: FloatArray, *, top: int = 3
) -> list[list[Reason]]:
    """For each row of ``matrix``, the ``top`` groups that move its probability most.

    ``predict`` maps a feature matrix to probabilities (``TrainedModel.predict``).
    """
    assert callable(predict)
    base = np.asarray(predict(matrix), dtype=np.float64)
    effects: dict[str, npt.NDArray[np.float64]] = {}
    for group in (*REASON_GROUPS, "industry"):
        columns = encoder.columns(group)
        typical = encoder.typical(group)
        moved = matrix.copy()
        moved[:, columns] = typical
        effects[group] = base - np.asarray(predict(moved), dtype=np.float64)
    names = list(effects)
    table = np.column_stack([effects[g] for g in names])
    out = []
    for row in table:
        order = np.argsort(-np.abs(row), kind="stable")[:top]
        out.append([Reason(names[k], float(row[k])) for k in order if abs(row[k]) >= 0.005])
    return out
