"""What the demo register marks on its entities: archived when deregistered (篇7: 退出),
hot-industry (篇7: 重热点行业), and claimed by the grid's officer."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from xiaoneng.demo.registry.dates import SHANGHAI, aware, office_time
from xiaoneng.demo.trades import TRADES

HOT_SHARE = 0.05


def plan_archive(
    rng: np.random.Generator, status: np.ndarray, registered: np.ndarray, now: dt.datetime
) -> dict[str, list[Any]]:
    """Most deregistered entities have left the register (篇7: 退出), with the reason."""
    n = status.size
    archived = (status == 2) & (rng.random(n) < 0.8)
    today = np.datetime64(now.astimezone(SHANGHAI).date(), "D")
    days = registered + (rng.random(n) * (today - registered).astype(np.int64)).astype(
        "timedelta64[D]"
    )
    moments = aware(office_time(rng, days, now))
    return {
        "archived_at": [m if a else None for m, a in zip(moments, archived.tolist(), strict=True)],
        "archive_reason": [
            "已办理注销登记，退出经济户口管理" if a else "" for a in archived.tolist()
        ],
    }


def plan_hot(rng: np.random.Generator, trades: np.ndarray) -> dict[str, list[Any]]:
    """About 5 % marked as hot-industry entities (篇7: 重热点行业), with the reason."""
    notes = np.array([t.hot_note for t in TRADES], dtype=object)[trades]
    eligible = notes != ""
    share = min(0.6, HOT_SHARE * trades.size / max(int(eligible.sum()), 1))
    hot = eligible & (rng.random(trades.size) < share)
    return {"hot_industry": hot.tolist(), "hot_industry_note": np.where(hot, notes, "").tolist()}


def plan_claims(
    rng: np.random.Generator,
    officers: list[int | None],
    registered: np.ndarray,
    recent: np.ndarray,
    now: dt.datetime,
) -> dict[str, list[Any]]:
    """Claimed by the grid's officer within days; some new ones still waiting, some overdue."""
    n = registered.size
    today = np.datetime64(now.astimezone(SHANGHAI).date(), "D")
    age = (today - registered).astype(np.int64)
    waiting = np.select([age <= 1, age <= 6], [0.7, 0.25], 0.08)
    unclaimed = recent & (rng.random(n) < waiting)
    delay = np.minimum(rng.choice(3, n, p=[0.3, 0.5, 0.2]), age).astype("timedelta64[D]")
    moments = office_time(rng, registered + delay, now)
    at = aware(moments)
    claimed_by, claimed_at = [], []
    for officer, skip, when in zip(officers, unclaimed.tolist(), at, strict=True):
        keep = officer is not None and not skip
        claimed_by.append(officer if keep else None)
        claimed_at.append(when if keep else None)
    return {"claimed_by_id": claimed_by, "claimed_at": claimed_at}
