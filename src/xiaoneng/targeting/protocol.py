"""The Chicago evaluation protocol and the ranking metrics (docs/targeting.md).

An *order* is given by scores: higher first. Ties in score are broken by the actual order
(earlier actual date first, then the smaller inspection ID), so an order is deterministic and
a constant score reproduces the actual order exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from xiaoneng.targeting.errors import TargetingError

TOP_SHARES = (0.10, 0.20, 0.50)

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class OrderMetrics:
    """How well one order finds the violations of one period."""

    days_sooner: float  # mean (actual − new) days over the inspections with a violation
    first_half_share: float  # share of the violations found in the first half, new order
    actual_first_half_share: float  # the same share in the order actually used
    auc: float
    top_shares: dict[float, float]  # share of all violations in the top k of the order


def actual_order(dates: npt.NDArray[np.datetime64], ids: IntArray) -> IntArray:
    """Positions sorted by actual date, then inspection ID."""
    return np.lexsort((ids, dates)).astype(np.int64)


def ranked_order(scores: FloatArray, dates: npt.NDArray[np.datetime64], ids: IntArray) -> IntArray:
    """Positions by descending score; ties by actual date, then inspection ID."""
    return np.lexsort((ids, dates, -np.asarray(scores, dtype=np.float64))).astype(np.int64)


def new_dates(
    scores: FloatArray, dates: npt.NDArray[np.datetime64], ids: IntArray
) -> npt.NDArray[np.datetime64]:
    """The date each inspection gets when the period's dates are handed out by score.

    The number of inspections done each day is kept: the sorted actual dates are the slots,
    and the i-th ranked inspection takes the i-th slot.
    """
    slots = np.sort(dates)
    out = np.empty_like(dates)
    out[ranked_order(scores, dates, ids)] = slots
    return out


def new_dates_within(
    scores: FloatArray,
    dates: npt.NDArray[np.datetime64],
    ids: IntArray,
    groups: npt.NDArray[np.str_],
) -> npt.NDArray[np.datetime64]:
    """``new_dates`` inside each group: a group's inspections share out its own dates only."""
    out = np.empty_like(dates)
    for group in np.unique(groups):
        mask = groups == group
        out[mask] = new_dates(scores[mask], dates[mask], ids[mask])
    return out


def mean_gain(
    moved: npt.NDArray[np.datetime64], dates: npt.NDArray[np.datetime64], found: FloatArray
) -> float:
    """Mean (actual − new) days over the inspections that found a violation."""
    hit = np.asarray(found) > 0
    if not hit.any():
        raise TargetingError("the period has no inspection with a critical violation")
    return float((dates[hit] - moved[hit]).astype("timedelta64[D]").astype(np.float64).mean())


def days_sooner(
    scores: FloatArray, dates: npt.NDArray[np.datetime64], ids: IntArray, found: FloatArray
) -> float:
    """Mean (actual date − new date) in days over the inspections that found a violation."""
    return mean_gain(new_dates(scores, dates, ids), dates, found)


def first_half_share(
    assigned: npt.NDArray[np.datetime64],
    found: FloatArray,
    start: np.datetime64,
    end: np.datetime64,
) -> float:
    """Share of the violations whose (assigned) date falls in the first half of the period.

    The first half is the days from ``start`` to ``start + (end − start) // 2`` inclusive.
    """
    hit = np.asarray(found) > 0
    if not hit.any():
        raise TargetingError("the period has no inspection with a critical violation")
    half_days = (end - start).astype("timedelta64[D]").astype(np.int64) // 2
    mid = start + np.timedelta64(int(half_days), "D")
    return float((assigned[hit] <= mid).mean())


def auc(scores: FloatArray, found: FloatArray) -> float:
    """Area under the ROC curve (Mann–Whitney, tied scores count a half)."""
    scores = np.asarray(scores, dtype=np.float64)
    hit = np.asarray(found) > 0
    n_pos, n_neg = int(hit.sum()), int((~hit).sum())
    if n_pos == 0 or n_neg == 0:
        raise TargetingError("AUC needs inspections both with and without a violation")
    order = np.argsort(scores, kind="mergesort")
    ranks = np.empty(len(scores), dtype=np.float64)
    sorted_scores = scores[order]
    # average ranks (1-based) over runs of equal scores
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_scores)) + 1]
    ends = np.r_[starts[1:], len(scores)]
    avg = (starts + ends + 1) / 2.0
    ranks[order] = np.repeat(avg, ends - starts)
    return float((ranks[hit].sum() - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg))


def top_share(
    scores: FloatArray,
    dates: npt.NDArray[np.datetime64],
    ids: IntArray,
    found: FloatArray,
    share: float,
) -> float:
    """Share of all violations among the first ceil(share × n) inspections of the order."""
    if not 0 < share <= 1:
        raise TargetingError(f"top share must be in (0, 1], got {share}")
    hit = np.asarray(found) > 0
    if not hit.any():
        raise TargetingError("the period has no inspection with a critical violation")
    k = int(np.ceil(share * len(scores) - 1e-9))
    top = ranked_order(scores, dates, ids)[:k]
    return float(hit[top].sum() / hit.sum())


def evaluate_order(
    scores: FloatArray,
    dates: npt.NDArray[np.datetime64],
    ids: IntArray,
    found: FloatArray,
    start: np.datetime64,
    end: np.datetime64,
) -> OrderMetrics:
    """All the protocol's figures for one order of one period's inspections."""
    if len(scores) == 0:
        raise TargetingError("the period has no inspections")
    return OrderMetrics(
        days_sooner=days_sooner(scores, dates, ids, found),
        first_half_share=first_half_share(new_dates(scores, dates, ids), found, start, end),
        actual_first_half_share=first_half_share(dates, found, start, end),
        auc=auc(scores, found),
        top_shares={s: top_share(scores, dates, ids, found, s) for s in TOP_SHARES},
    )
