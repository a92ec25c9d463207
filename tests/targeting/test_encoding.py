"""Scoring in blocks: the same scores, in the same order, on one thread or two."""

from __future__ import annotations

import threading

import numpy as np
from threadpoolctl import threadpool_info

from xiaoneng.targeting.encoding import RecordEncoder, score_in_chunks
from xiaoneng.targeting.model import candidates
from xiaoneng.targeting.records import ENTITY_FEATURES, HISTORY_FEATURES


def _data(n: int, seed: int = 0) -> tuple[dict, dict, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    numeric = {name: rng.random(n) for name in (*HISTORY_FEATURES, *ENTITY_FEATURES)}
    numeric["past_critical"] = rng.integers(0, 4, n).astype(float)
    numeric["age_years"][::7] = np.nan  # unknown values take the median
    outcome = (rng.random(n) < 0.05 + 0.2 * numeric["past_critical"]).astype(float)
    categorical = {
        "industry": [f"i{k}" for k in rng.integers(0, 20, n)],
        "unit": [str(k) for k in rng.integers(1, 4, n)],
    }
    dates = np.datetime64("2024-01-01") + rng.integers(0, 700, n).astype("timedelta64[D]")
    return numeric, categorical, dates, outcome


def test_two_threads_score_exactly_as_one_in_the_rows_order() -> None:
    numeric, categorical, dates, outcome = _data(3000)
    encoder = RecordEncoder.fit(numeric, categorical)
    model = candidates()["gradient_boosting"].set_params(max_iter=20)
    model.fit(encoder.transform(numeric, categorical, dates), outcome)
    openmp: dict[str, set[int]] = {}

    def predict(matrix: np.ndarray) -> np.ndarray:
        name = threading.current_thread().name
        threads = {i["num_threads"] for i in threadpool_info() if i["user_api"] == "openmp"}
        openmp.setdefault(name, set()).update(threads)
        return np.asarray(model.predict_proba(matrix)[:, 1], dtype=np.float64)

    whole = predict(encoder.transform(numeric, categorical, dates))
    # 3000 rows in blocks of 128: 24 blocks, the last one short.
    serial = score_in_chunks(predict, encoder, numeric, categorical, dates, chunk=128, threads=1)
    threaded = score_in_chunks(predict, encoder, numeric, categorical, dates, chunk=128, threads=2)
    assert np.array_equal(serial, whole)
    assert np.array_equal(threaded, serial)
    workers = {name: found for name, found in openmp.items() if name != "MainThread"}
    assert workers  # the blocks went to worker threads
    assert all(found == {1} for found in workers.values())  # each on one OpenMP thread


def test_no_rows_score_to_an_empty_array() -> None:
    numeric, categorical, dates, _outcome = _data(50)
    encoder = RecordEncoder.fit(numeric, categorical)
    empty = (
        {k: v[:0] for k, v in numeric.items()},
        {k: v[:0] for k, v in categorical.items()},
        dates[:0],
    )
    for threads in (1, 2):
        scores = score_in_chunks(lambda m: m[:, 0], encoder, *empty, threads=threads)
        assert scores.shape == (0,) and scores.dtype == np.float64
