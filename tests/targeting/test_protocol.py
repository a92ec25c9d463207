"""The "days sooner" protocol and the ranking metrics, on hand-computed cases."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from xiaoneng.targeting.errors import TargetingError
from xiaoneng.targeting.protocol import (
    auc,
    days_sooner,
    evaluate_order,
    first_half_share,
    mean_gain,
    new_dates,
    new_dates_within,
    top_share,
)

# Four inspections: two on Jan 1, one on Jan 2, one on Jan 5 (slots Jan1, Jan1, Jan2, Jan5).
DATES = np.array(["2014-01-01", "2014-01-01", "2014-01-02", "2014-01-05"], dtype="datetime64[D]")
IDS = np.array([1, 2, 3, 4], dtype=np.int64)
START, END = np.datetime64("2014-01-01"), np.datetime64("2014-01-05")


def scores(*values: float) -> np.ndarray:
    return np.array(values, dtype=np.float64)


def test_the_highest_score_takes_the_first_slot() -> None:
    found = scores(0, 0, 0, 1)
    moved = new_dates(scores(0.1, 0.2, 0.3, 0.9), DATES, IDS)
    assert [str(d) for d in moved] == ["2014-01-05", "2014-01-02", "2014-01-01", "2014-01-01"]
    assert days_sooner(scores(0.1, 0.2, 0.3, 0.9), DATES, IDS, found) == 4.0


def test_the_number_done_each_day_is_kept() -> None:
    moved = new_dates(scores(0.4, 0.3, 0.2, 0.1)[::-1], DATES, IDS)
    assert sorted(moved.tolist()) == sorted(DATES.tolist())


def test_equal_scores_keep_the_actual_order_so_nothing_moves() -> None:
    assert days_sooner(scores(0, 0, 0, 0), DATES, IDS, scores(1, 0, 1, 1)) == 0.0


def test_ties_are_broken_by_actual_date_then_id() -> None:
    # ids 3 and 4 tie: id 3 (Jan 2) ranks first; both take a Jan 1 slot.
    moved = new_dates(scores(0, 0, 1, 1), DATES, IDS)
    assert [str(d) for d in moved] == ["2014-01-02", "2014-01-05", "2014-01-01", "2014-01-01"]
    # id 2 (moved Jan 1 → Jan 5: −4) and id 4 (Jan 5 → Jan 1: +4) average to 0
    assert days_sooner(scores(0, 0, 1, 1), DATES, IDS, scores(0, 1, 0, 1)) == 0.0
    # same day, same score: the smaller id first
    assert [str(d) for d in new_dates(scores(1, 1, 0, 0), DATES, IDS)][:2] == [
        "2014-01-01",
        "2014-01-01",
    ]
    swapped = new_dates(scores(1, 1, 0, 0), DATES, np.array([2, 1, 3, 4]))
    assert [str(d) for d in swapped] == ["2014-01-01", "2014-01-01", "2014-01-02", "2014-01-05"]


def test_first_half_is_start_to_midpoint_inclusive() -> None:
    found = scores(0, 0, 1, 1)  # Jan 2 (first half: Jan 1 … Jan 3) and Jan 5
    assert first_half_share(DATES, found, START, END) == 0.5
    moved = new_dates(scores(0, 0, 1, 1), DATES, IDS)
    assert first_half_share(moved, found, START, END) == 1.0


def test_top_share_counts_violations_in_the_first_ceil_k() -> None:
    found = scores(0, 1, 0, 1)
    ranked = scores(0.9, 0.1, 0.2, 0.8)  # order: 1, 4, 3, 2
    assert top_share(ranked, DATES, IDS, found, 0.5) == 0.5  # top 2: ids 1, 4
    assert top_share(ranked, DATES, IDS, found, 0.25) == 0.0  # top 1: id 1
    assert top_share(ranked, DATES, IDS, found, 0.3) == 0.5  # ceil(1.2) = 2
    assert top_share(ranked, DATES, IDS, found, 1.0) == 1.0
    with pytest.raises(TargetingError, match="top share"):
        top_share(ranked, DATES, IDS, found, 0)


def test_auc_matches_sklearn_with_ties() -> None:
    rng = np.random.default_rng(3)
    for _ in range(20):
        s = rng.integers(0, 5, size=60).astype(np.float64)  # many ties
        y = (rng.random(60) < 0.3).astype(np.float64)
        y[:2] = [0, 1]
        assert auc(s, y) == pytest.approx(roc_auc_score(y, s))


def test_evaluate_order_gathers_the_figures() -> None:
    m = evaluate_order(scores(0.1, 0.2, 0.3, 0.9), DATES, IDS, scores(0, 0, 0, 1), START, END)
    assert m.days_sooner == 4.0
    assert (m.first_half_share, m.actual_first_half_share) == (1.0, 0.0)
    assert m.auc == 1.0
    assert m.top_shares == {0.1: 1.0, 0.2: 1.0, 0.5: 1.0}


def test_no_violation_or_no_inspection_is_a_clear_error() -> None:
    with pytest.raises(TargetingError, match="no inspection with a critical violation"):
        days_sooner(scores(1, 2, 3, 4), DATES, IDS, scores(0, 0, 0, 0))
    with pytest.raises(TargetingError, match="both with and without"):
        auc(scores(1, 2), scores(1, 1))
    empty = np.array([], dtype="datetime64[D]")
    with pytest.raises(TargetingError, match="no inspections"):
        evaluate_order(scores(), empty, np.array([], dtype=np.int64), scores(), START, END)


def test_within_groups_each_group_shares_out_its_own_dates() -> None:
    groups = np.array(["a", "b", "a", "b"])
    moved = new_dates_within(scores(0, 0, 1, 1), DATES, IDS, groups)
    # a: ids 1, 3 (Jan 1, Jan 2) → id 3 first; b: ids 2, 4 (Jan 1, Jan 5) → id 4 first
    assert [str(d) for d in moved] == ["2014-01-02", "2014-01-05", "2014-01-01", "2014-01-01"]
    assert mean_gain(moved, DATES, scores(0, 0, 0, 1)) == 4.0
    assert mean_gain(moved, DATES, scores(1, 0, 1, 0)) == 0.0  # −1 and +1
