"""When things happened to the demo's entities: their founding and entry, office-hour moments,
days of the past year (as numpy ``datetime64`` arrays)."""

from __future__ import annotations

import datetime as dt

import numpy as np

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
RECENT_SHARE, RECENT_DAYS = 0.015, 30  # ≈ 300 of 20 000 entered in the last 30 days


def entry_dates(
    rng: np.random.Generator, n: int, today: np.datetime64
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Established and entry dates, 2000 → today, recent years more common; and who is recent."""
    span = int((today - np.datetime64("2000-01-01")) // np.timedelta64(1, "D"))
    age = RECENT_DAYS + ((span - RECENT_DAYS) * rng.random(n) ** 1.6).astype(np.int64)
    recent = rng.random(n) < RECENT_SHARE
    age[recent] = rng.integers(0, RECENT_DAYS, int(recent.sum()))
    established = today - age.astype("timedelta64[D]")
    # A few entered some days after they were founded, never into the last 30 days.
    late = (~recent) & (rng.random(n) < 0.1)
    delay = np.where(late, np.minimum(rng.integers(1, 15, n), age - RECENT_DAYS), 0)
    return established, established + delay.astype("timedelta64[D]"), recent


def office_time(rng: np.random.Generator, days: np.ndarray, now: dt.datetime) -> np.ndarray:
    """A moment in office hours (09:00–18:30 Beijing time) of each day, never after ``now``."""
    minutes = rng.integers(9 * 60, 18 * 60 + 30, days.size).astype("timedelta64[m]")
    utc = days.astype("datetime64[m]") + minutes - np.timedelta64(8 * 60, "m")
    latest = np.datetime64(now.astimezone(dt.UTC).replace(tzinfo=None), "m")
    return np.minimum(utc, latest)


def aware(moments: np.ndarray) -> list[dt.datetime]:
    """``datetime64`` moments as aware datetimes (UTC)."""
    return [m.replace(tzinfo=dt.UTC) for m in moments.astype("datetime64[s]").tolist()]


def past_year_days(
    rng: np.random.Generator, registered: np.ndarray, today: np.datetime64, pairs: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """One (or two ordered) days in the past year after each entity's entry."""
    start = np.maximum(registered, today - np.timedelta64(365, "D"))
    width = np.maximum((today - start).astype(np.int64), 1)
    a = (rng.random(registered.size) * width).astype(np.int64)
    b = (rng.random(registered.size) * width).astype(np.int64) if pairs else a
    return start + np.minimum(a, b).astype("timedelta64[D]"), start + np.maximum(a, b).astype(
        "timedelta64[D]"
    )
