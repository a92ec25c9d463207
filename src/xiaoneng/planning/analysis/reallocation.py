"""Reallocation of officers between stations (篇5): the fewest whole-officer moves that bring
every station's hours per officer within a tolerance of the average.

The average hours per officer over the stations, H / N, does not change when officers move, so
each station's acceptable staff is a fixed range [⌈Hₛ / (avg·(1+t))⌉, ⌊Hₛ / (avg·(1−t))⌋] (a
station keeps at least one officer). The fewest moves that bring every station into its range is
the larger of the total shortfall and the total surplus; donors give from the least loaded,
receivers take the most loaded first.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.translation import gettext as _

from xiaoneng.org.models import Unit

EPSILON = 1e-9


@dataclass
class StationLoad:
    """A station's yearly workload hours and officers, and its officers after the moves."""

    station: Unit
    entities: int
    hours: float
    officers: int
    suggested: int = 0  # officers after the suggested moves

    @property
    def per_officer(self) -> float | None:
        return self.hours / self.officers if self.officers else None

    @property
    def change(self) -> int:
        return self.suggested - self.officers

    @property
    def per_officer_after(self) -> float | None:
        return self.hours / self.suggested if self.suggested else None


@dataclass
class Move:
    """Move ``count`` officers from one station to another."""

    source: StationLoad
    target: StationLoad
    count: int


@dataclass
class Reallocation:
    """The suggested moves, or why no whole-officer moves can meet the tolerance."""

    moves: list[Move]
    feasible: bool
    reason: str = ""

    @property
    def officers_moved(self) -> int:
        return sum(m.count for m in self.moves)


def reallocate(stations: list[StationLoad], tolerance: float) -> Reallocation:
    """The fewest whole-officer moves that bring each station within ± tolerance of the average."""
    for s in stations:
        s.suggested = s.officers
    total_hours = sum(s.hours for s in stations)
    total_officers = sum(s.officers for s in stations)
    if total_hours <= 0 or total_officers == 0:
        return Reallocation([], False, _("没有工作量或没有人员，无法测算调配"))
    average = total_hours / total_officers
    low, high = {}, {}
    for s in stations:
        need = s.hours / average
        keep = 1 if s.officers or s.hours else 0  # a station keeps at least one officer
        low[s.station.pk] = max(keep, math.ceil(need / (1 + tolerance) - EPSILON))
        high[s.station.pk] = max(keep, math.floor(need / (1 - tolerance) + EPSILON))
        if low[s.station.pk] > high[s.station.pk]:
            return Reallocation(
                [],
                False,
                _(
                    "以整人调配无法使%(station)s在 ±%(tolerance)s 以内"
                    "（需 %(low).2f–%(high).2f 人）：请放宽容差"
                )
                % {
                    "station": s.station.name,
                    "tolerance": f"{tolerance:.0%}",
                    "low": need / (1 + tolerance),
                    "high": need / (1 - tolerance),
                },
            )
    if not sum(low.values()) <= total_officers <= sum(high.values()):
        return Reallocation([], False, _("现有人员总数无法使各所都在容差以内：请放宽容差"))
    target = {
        s.station.pk: min(max(s.officers, low[s.station.pk]), high[s.station.pk]) for s in stations
    }
    _settle(stations, target, low, high, total_officers)
    for s in stations:
        s.suggested = target[s.station.pk]
    return Reallocation(_pair(stations), True)


def _load(hours: float, officers: int) -> float:
    return hours / officers if officers else math.inf


def _settle(
    stations: list[StationLoad],
    target: dict[int, int],
    low: dict[int, int],
    high: dict[int, int],
    total: int,
) -> None:
    """Make the targets add up to the officers there are, one officer at a time."""
    while sum(target.values()) > total:  # more shortfall than surplus: more donors needed
        donors = [s for s in stations if target[s.station.pk] > low[s.station.pk]]
        least = min(donors, key=lambda s: _load(s.hours, target[s.station.pk]))
        target[least.station.pk] -= 1
    while sum(target.values()) < total:  # more surplus than shortfall: more receivers
        receivers = [s for s in stations if target[s.station.pk] < high[s.station.pk]]
        most = max(receivers, key=lambda s: _load(s.hours, target[s.station.pk]))
        target[most.station.pk] += 1


def _pair(stations: list[StationLoad]) -> list[Move]:
    """Moves from the least loaded donors to the most loaded receivers."""

    def load(s: StationLoad) -> float:
        return _load(s.hours, s.officers)

    give = sorted((s for s in stations if s.suggested < s.officers), key=load)
    take = sorted((s for s in stations if s.suggested > s.officers), key=load, reverse=True)
    left = {s.station.pk: abs(s.officers - s.suggested) for s in [*give, *take]}
    moves: list[Move] = []
    donors, receivers = iter(give), iter(take)
    donor, receiver = next(donors, None), next(receivers, None)
    while donor is not None and receiver is not None:
        count = min(left[donor.station.pk], left[receiver.station.pk])
        moves.append(Move(donor, receiver, count))
        left[donor.station.pk] -= count
        left[receiver.station.pk] -= count
        if not left[donor.station.pk]:
            donor = next(donors, None)
        if not left[receiver.station.pk]:
            receiver = next(receivers, None)
    return moves
