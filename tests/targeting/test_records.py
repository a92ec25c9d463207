"""Features from a register's records: counted from strictly earlier history, nothing later."""

from __future__ import annotations

import numpy as np
import pytest

from xiaoneng.targeting.encoding import RecordEncoder, explain
from xiaoneng.targeting.errors import TargetingError
from xiaoneng.targeting.model import train
from xiaoneng.targeting.records import (
    ENTITY_FEATURES,
    HISTORY_FEATURES,
    History,
    Visits,
    as_of,
    count_before,
    history_features,
)


def _dates(*days: str) -> np.ndarray:
    return np.array(days, dtype="datetime64[D]")


def _history(entity, days, critical, major=None, lat=None) -> History:
    n = len(entity)
    return History(
        entity=np.array(entity, dtype=np.int64),
        dates=_dates(*days),
        latitude=np.array(lat if lat is not None else [31.0] * n, dtype=np.float64),
        longitude=np.full(n, 121.0),
        critical=np.array(critical, dtype=np.float64),
        major=np.array(major if major is not None else [0] * n, dtype=np.float64),
        minor=np.zeros(n),
    )


def _visits(entity, days, lat=None) -> Visits:
    n = len(entity)
    return Visits(
        ids=np.arange(n, dtype=np.int64),
        entity=np.array(entity, dtype=np.int64),
        dates=_dates(*days),
        latitude=np.array(lat if lat is not None else [31.0] * n, dtype=np.float64),
        longitude=np.full(n, 121.0),
        numeric={name: np.zeros(n) for name in ENTITY_FEATURES},
        categorical={"industry": ["5211"] * n, "unit": ["1"] * n},
    )


def test_history_counts_only_earlier_days() -> None:
    history = _history(
        [1, 1, 1, 2],
        ["2024-01-10", "2024-03-01", "2024-03-01", "2024-02-01"],
        [2, 1, 0, 5],
        major=[1, 0, 0, 0],
    )
    visits = _visits([1, 1, 1, 3], ["2024-01-10", "2024-03-01", "2024-03-02", "2024-05-01"])
    f = history_features(visits, history)
    # the visit of 2024-01-10 does not see its own day; 03-01 sees only 01-10
    assert f["past_inspections"].tolist() == [0, 1, 3, 0]
    assert f["past_critical"].tolist() == [0, 2, 3, 0]
    assert f["past_major"].tolist() == [0, 1, 1, 0]
    assert f["past_failed"].tolist() == [0, 1, 2, 0]
    assert f["first_record"].tolist() == [1, 0, 0, 1]
    assert f["days_since_last"][1:3].tolist() == [51, 1]
    assert np.isnan(f["days_since_last"][0]) and np.isnan(f["last_critical"][3])
    assert f["last_critical"][2] in (0.0, 1.0)  # one of the two of 03-01: both are "last"


def test_nearby_rate_looks_back_one_year_in_the_cell() -> None:
    history = _history(
        [1, 2, 3, 4],
        ["2023-01-01", "2023-06-01", "2023-12-01", "2023-12-01"],
        [1, 1, 0, 1],
        lat=[31.0, 31.0, 31.0, 35.0],  # the last one is far away
    )
    visits = _visits([9, 9], ["2023-12-01", "2024-05-01"], lat=[31.001, np.nan])
    f = history_features(visits, history)
    assert f["nearby_inspections"][0] == 2  # 2023-01-01 … 06-01 (12-01 is the same day)
    assert f["nearby_rate"][0] == pytest.approx(1.0)
    assert np.isnan(f["nearby_inspections"][1]) and np.isnan(f["nearby_rate"][1])


def test_rewriting_the_future_moves_no_feature() -> None:
    rng = np.random.default_rng(3)
    n = 400
    days = np.datetime64("2022-01-01") + rng.integers(0, 700, n).astype("timedelta64[D]")
    entity = rng.integers(1, 40, n)
    history = History(
        entity=entity.astype(np.int64),
        dates=days,
        latitude=31 + rng.random(n) * 0.05,
        longitude=121 + rng.random(n) * 0.05,
        critical=rng.integers(0, 3, n).astype(float),
        major=rng.integers(0, 3, n).astype(float),
        minor=rng.integers(0, 3, n).astype(float),
    )
    visits = Visits(
        ids=np.arange(n, dtype=np.int64),
        entity=history.entity,
        dates=history.dates,
        latitude=history.latitude,
        longitude=history.longitude,
        numeric={name: np.zeros(n) for name in ENTITY_FEATURES},
        categorical={"industry": ["x"] * n, "unit": ["1"] * n},
    )
    cut = np.datetime64("2023-01-01")
    before = history_features(visits, history)
    future = history.dates >= cut
    rewritten = History(
        entity=history.entity,
        dates=history.dates,
        latitude=history.latitude,
        longitude=history.longitude,
        critical=np.where(future, 9.0, history.critical),
        major=np.where(future, 9.0, history.major),
        minor=np.where(future, 9.0, history.minor),
    )
    after = history_features(visits, rewritten)
    dropped = history_features(visits, history.take(~future))
    early = visits.dates <= cut  # a visit on the cut day sees nothing of that day either
    for name in HISTORY_FEATURES:
        np.testing.assert_array_equal(before[name][early], after[name][early], err_msg=name)
        np.testing.assert_array_equal(before[name][early], dropped[name][early], err_msg=name)
    # … and the later visits do see it (the test can fail)
    assert not np.array_equal(before["past_critical"], after["past_critical"])


def test_class_and_grade_are_rolled_back_to_the_visit_day() -> None:
    values = as_of(
        entity=np.array([1, 1, 1, 2], dtype=np.int64),
        dates=_dates("2024-01-01", "2024-03-01", "2024-06-01", "2024-01-01"),
        current=np.array([4.0, 4.0, 4.0, 2.0]),
        change_entity=np.array([1, 1], dtype=np.int64),
        change_dates=_dates("2024-03-01", "2024-05-01"),
        change_old=np.array([1.0, 3.0]),
    )
    # before the first change: A (1); on its day the change counts as after the visit
    assert values.tolist() == [1.0, 1.0, 4.0, 2.0]


def test_count_before_with_and_without_a_window() -> None:
    args = (
        np.array([1, 1, 2], dtype=np.int64),
        _dates("2024-06-01", "2025-06-01", "2024-06-01"),
        np.array([1, 1, 1, 2], dtype=np.int64),
        _dates("2024-01-01", "2024-06-01", "2024-12-01", "2020-01-01"),
    )
    assert count_before(*args, None).tolist() == [1, 3, 1]
    # the window is [day − 365, day): 2024-06-01 is exactly 365 days before 2025-06-01
    assert count_before(*args, 365).tolist() == [1, 2, 0]
    assert count_before(*args, 364).tolist() == [1, 1, 0]


def test_a_missing_feature_is_named() -> None:
    with pytest.raises(TargetingError, match="feature missing in the data: complaints"):
        Visits(
            ids=np.arange(1, dtype=np.int64),
            entity=np.arange(1, dtype=np.int64),
            dates=_dates("2024-01-01"),
            latitude=np.zeros(1),
            longitude=np.zeros(1),
            numeric={n: np.zeros(1) for n in ENTITY_FEATURES if n != "complaints"},
            categorical={"industry": ["x"], "unit": ["1"]},
        )


def test_explanations_name_what_moves_the_score() -> None:
    rng = np.random.default_rng(0)
    n = 3000
    numeric = {name: rng.random(n) for name in (*HISTORY_FEATURES, *ENTITY_FEATURES)}
    numeric["past_critical"] = rng.integers(0, 4, n).astype(float)
    outcome = (rng.random(n) < 0.05 + 0.2 * numeric["past_critical"]).astype(float)
    categorical = {"industry": ["a", "b"] * (n // 2), "unit": ["1"] * n}
    dates = np.datetime64("2022-01-01") + (np.arange(n) // 5).astype("timedelta64[D]")
    encoder = RecordEncoder.fit(numeric, categorical)
    matrix = encoder.transform(numeric, categorical, dates)
    model = train(matrix, outcome, dates, encoder.names)
    reasons = explain(model.predict, encoder, matrix[:50], top=2)
    high = int(np.argmax(numeric["past_critical"][:50]))
    low = int(np.argmin(numeric["past_critical"][:50]))
    assert reasons[high][0].group == "past_problems" and reasons[high][0].effect > 0
    assert reasons[low][0].group == "past_problems" and reasons[low][0].effect < 0
