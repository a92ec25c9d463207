"""Patrol plans place the overdue first, then the month's due entities by risk score."""

from __future__ import annotations

import numpy as np
import pytest

from xiaoneng.planning.patrol import risk_order as module
from xiaoneng.planning.patrol.risk_order import risk_order


def _order(monkeypatch: pytest.MonkeyPatch, scores: list[float], due: list[int]) -> list[int]:
    ids = np.arange(1, len(scores) + 1, dtype=np.int64)
    monkeypatch.setattr(module, "risk_scores", lambda _ids: np.array(scores, dtype=np.float64))
    return (ids[risk_order(ids, np.array(due, dtype=np.int64), 100)]).tolist()


def test_overdue_first_then_by_risk_then_unscored(monkeypatch: pytest.MonkeyPatch) -> None:
    nan = float("nan")
    got = _order(
        monkeypatch,
        scores=[0.9, 0.1, 0.5, nan, 0.7, nan, 0.2],
        due=[120, 90, 110, 105, 95, 101, 130],
    )
    # overdue (due < 100): 2 (90) then 5 (95), whatever their scores; then 1 (0.9), 3 (0.5),
    # 7 (0.2) by score; then the unscored by due date: 6 (101), 4 (105)
    assert got == [2, 5, 1, 3, 7, 6, 4]


def test_without_scores_the_order_is_the_due_dates(monkeypatch: pytest.MonkeyPatch) -> None:
    nan = float("nan")
    assert _order(monkeypatch, [nan] * 4, [130, 90, 110, 110]) == [2, 3, 4, 1]
