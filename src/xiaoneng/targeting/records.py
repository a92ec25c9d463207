"""Features from a register's own records: history, neighbourhood, what the entity was.

The Django side (``xiaoneng.risk.records``) reads the database into a ``Visits`` table (the
inspections to learn from, or the visits to score) and a ``History`` table (the signed
inspections and what they found). Every history feature of a visit on day *d* counts only
history strictly before *d*: two inspections of the same day never see each other, and nothing
on or after *d* can move a feature (tests/targeting/test_records.py rewrites the future and
checks). The outcome columns of ``History`` are what earlier visits found, so they are history
for later visits and never a feature of their own visit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from xiaoneng.targeting.errors import TargetingError

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
Dates = npt.NDArray[np.datetime64]

NEARBY_DAYS = 365  # the neighbourhood's violation rate looks back one year
COMPLAINT_DAYS = 365
CELL_DEGREES = 0.02  # the neighbourhood: a cell of about 2 km
MAX_DAYS_SINCE = 730  # longer gaps count as two years (as the Chicago model's timeSinceLast)
_DAY_BITS = 21  # days since 1970 fit in 21 bits until the year 7700

HISTORY_FEATURES = (
    "past_inspections",
    "past_critical",
    "past_major",
    "past_minor",
    "past_failed",
    "last_critical",
    "last_major",
    "days_since_last",
    "first_record",
    "nearby_inspections",
    "nearby_rate",
)
ENTITY_FEATURES = ("risk_class", "credit", "age_years", "licences", "complaints", "cases")
NUMERIC_FEATURES = (*HISTORY_FEATURES, *ENTITY_FEATURES)
CATEGORICAL_FEATURES = ("industry", "unit")


@dataclass
class History:
    """Signed inspections: entity, day, where, and how many problems of each severity."""

    entity: IntArray
    dates: Dates
    latitude: FloatArray
    longitude: FloatArray
    critical: FloatArray
    major: FloatArray
    minor: FloatArray

    def __post_init__(self) -> None:
        _same_length(
            self, ("entity", "dates", "latitude", "longitude", "critical", "major", "minor")
        )

    def __len__(self) -> int:
        return len(self.entity)

    @property
    def failed(self) -> FloatArray:
        """1.0 where the inspection found a critical (严重) problem: the outcome learnt."""
        return (self.critical > 0).astype(np.float64)

    def take(self, mask: npt.NDArray[np.bool_]) -> History:
        return History(
            self.entity[mask],
            self.dates[mask],
            self.latitude[mask],
            self.longitude[mask],
            self.critical[mask],
            self.major[mask],
            self.minor[mask],
        )


@dataclass
class Visits:
    """Visits to describe (past inspections to learn from, or coming ones to score).

    ``ids`` break ties in an order (the inspection's ID, or the entity's when scoring the
    register); ``numeric`` holds ``ENTITY_FEATURES`` as they were on the visit's day (the
    Django side reconstructs class and credit grade as of that day); ``categorical`` holds
    ``CATEGORICAL_FEATURES``.
    """

    ids: IntArray
    entity: IntArray
    dates: Dates
    latitude: FloatArray
    longitude: FloatArray
    numeric: dict[str, FloatArray]
    categorical: dict[str, list[str]]

    def __post_init__(self) -> None:
        _same_length(self, ("ids", "entity", "dates", "latitude", "longitude"))
        for name in ENTITY_FEATURES:
            if name not in self.numeric:
                raise TargetingError(f"feature missing in the data: {name}")
            if len(self.numeric[name]) != len(self.ids):
                raise TargetingError(f"feature {name}: {len(self.numeric[name])} values")
        for name in CATEGORICAL_FEATURES:
            if name not in self.categorical:
                raise TargetingError(f"feature missing in the data: {name}")
            if len(self.categorical[name]) != len(self.ids):
                raise TargetingError(f"feature {name}: {len(self.categorical[name])} values")

    def __len__(self) -> int:
        return len(self.ids)

    def take(self, mask: npt.NDArray[np.bool_]) -> Visits:
        idx = np.flatnonzero(mask)
        picked = idx.tolist()  # a list indexes a list faster than numpy's integers do
        return Visits(
            self.ids[idx],
            self.entity[idx],
            self.dates[idx],
            self.latitude[idx],
            self.longitude[idx],
            {k: v[idx] for k, v in self.numeric.items()},
            {k: [v[i] for i in picked] for k, v in self.categorical.items()},
        )


def _same_length(table: object, names: tuple[str, ...]) -> None:
    lengths = {len(getattr(table, n)) for n in names}
    if len(lengths) > 1:
        raise TargetingError(f"{type(table).__name__}: columns of different lengths")


def _days(dates: Dates) -> IntArray:
    return dates.astype("datetime64[D]").astype(np.int64)


def _keys(group: IntArray, dates: Dates) -> IntArray:
    """One sortable key per (group, day): history before a day of a group is a prefix."""
    return (group.astype(np.int64) << _DAY_BITS) + _days(dates) + (1 << (_DAY_BITS - 1))


def _cells(latitude: FloatArray, longitude: FloatArray) -> IntArray:
    """The neighbourhood cell of each place; −1 where the place is unknown."""
    known = np.isfinite(latitude) & np.isfinite(longitude)
    row = np.floor(np.where(known, latitude, 0.0) / CELL_DEGREES).astype(np.int64) + 5000
    col = np.floor(np.where(known, longitude, 0.0) / CELL_DEGREES).astype(np.int64) + 10000
    return np.where(known, row * 20000 + col, -1)


def history_features(visits: Visits, history: History) -> dict[str, FloatArray]:
    """``HISTORY_FEATURES`` of each visit, from the history strictly before its day."""
    order = np.lexsort((_days(history.dates), history.entity))
    keys = _keys(history.entity, history.dates)[order]
    cum = {
        name: np.concatenate([[0.0], np.cumsum(values[order])])
        for name, values in (
            ("critical", history.critical),
            ("major", history.major),
            ("minor", history.minor),
            ("failed", history.failed),
        )
    }
    upto = np.searchsorted(keys, _keys(visits.entity, visits.dates), side="left")
    first = np.searchsorted(keys, visits.entity.astype(np.int64) << _DAY_BITS, side="left")
    count = (upto - first).astype(np.float64)
    seen = count > 0
    last = np.where(seen, upto - 1, 0)
    # one padding row so that ``last`` indexes an array even when the history is empty
    sorted_days = np.concatenate([_days(history.dates)[order], [0]])
    sorted_critical = np.concatenate([history.critical[order], [0.0]])
    sorted_major = np.concatenate([history.major[order], [0.0]])
    out = {
        "past_inspections": count,
        "past_critical": cum["critical"][upto] - cum["critical"][first],
        "past_major": cum["major"][upto] - cum["major"][first],
        "past_minor": cum["minor"][upto] - cum["minor"][first],
        "past_failed": cum["failed"][upto] - cum["failed"][first],
        "last_critical": np.where(seen, sorted_critical[last], np.nan),
        "last_major": np.where(seen, sorted_major[last], np.nan),
        "days_since_last": np.where(
            seen, np.minimum(_days(visits.dates) - sorted_days[last], MAX_DAYS_SINCE), np.nan
        ),
        "first_record": (~seen).astype(np.float64),
    }
    out.update(_nearby(visits, history))
    return out


def _nearby(visits: Visits, history: History) -> dict[str, FloatArray]:
    """Inspections in the visit's cell in the year before its day, and the share that failed."""
    cells = _cells(history.latitude, history.longitude)
    known = cells >= 0
    order = np.lexsort((_days(history.dates)[known], cells[known]))
    keys = _keys(cells[known], history.dates[known])[order]
    failed = np.concatenate([[0.0], np.cumsum(history.failed[known][order])])
    visit_cells = _cells(visits.latitude, visits.longitude)
    day_before = visits.dates.astype("datetime64[D]")
    start: Dates = (day_before - np.timedelta64(NEARBY_DAYS, "D")).astype("datetime64[D]")
    hi = np.searchsorted(keys, _keys(np.maximum(visit_cells, 0), day_before), side="left")
    lo = np.searchsorted(keys, _keys(np.maximum(visit_cells, 0), start), side="left")
    count = (hi - lo).astype(np.float64)
    rate = np.divide(
        failed[hi] - failed[lo], count, out=np.full(len(visits), np.nan), where=count > 0
    )
    unknown = visit_cells < 0
    return {
        "nearby_inspections": np.where(unknown, np.nan, count),
        "nearby_rate": np.where(unknown, np.nan, rate),
    }


def count_before(
    entity: IntArray, dates: Dates, event_entity: IntArray, event_dates: Dates, days: int | None
) -> FloatArray:
    """For each (entity, day): its events strictly before the day (within ``days`` if given)."""
    order = np.lexsort((_days(event_dates), event_entity))
    keys = _keys(event_entity, event_dates)[order]
    hi = np.searchsorted(keys, _keys(entity, dates), side="left")
    if days is None:
        lo = np.searchsorted(keys, (entity.astype(np.int64) << _DAY_BITS), side="left")
    else:
        lo = np.searchsorted(keys, _keys(entity, dates - np.timedelta64(days, "D")), side="left")
    return (hi - lo).astype(np.float64)


def as_of(
    entity: IntArray,
    dates: Dates,
    current: FloatArray,
    change_entity: IntArray,
    change_dates: Dates,
    change_old: FloatArray,
) -> FloatArray:
    """Each (entity, day)'s value as it was that day, from today's value and its changes.

    The value on day *d* is the old value of the entity's first change on or after *d* (a
    change of the same day counts as after the visit: it is usually the visit's consequence),
    or today's value when nothing changed since.
    """
    order = np.lexsort((_days(change_dates), change_entity))
    keys = _keys(change_entity, change_dates)[order]
    owner = change_entity[order]
    old = change_old[order]
    idx = np.searchsorted(keys, _keys(entity, dates), side="left")
    inside = idx < len(keys)
    safe = np.where(inside, idx, 0)
    changed_later = inside & (np.concatenate([owner, [-1]])[safe] == entity)
    return np.where(changed_later, np.concatenate([old, [np.nan]])[safe], current)
