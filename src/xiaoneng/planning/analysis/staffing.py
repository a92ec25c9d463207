"""Staffing balance (篇5): workload by grid and station against the officers assigned.

篇5 asks that each station's staff be set by its workload (按照市场主体的数量……以及监管工作量大小
确定各分局人员的编制) and that grassroots stations hold at least 70 % of a county bureau's staff.
The workload of an entity is what the policy in force asks of it: 365 / its patrol interval
inspections a year, each taking the hours set for its risk class. Entities are counted by
grid, station, class and grade in one GROUP BY; the hours are then weighed on arrays. The
suggested reallocation, which moves whole officers, is in ``analysis.reallocation``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core.errors import FieldError, InvalidInput
from xiaoneng.core.scoping import scoped
from xiaoneng.org.models import Grid, Officer, Unit
from xiaoneng.planning.analysis.coverage import active_entities
from xiaoneng.planning.analysis.reallocation import (
    EPSILON,
    Reallocation,
    StationLoad,
    reallocate,
)
from xiaoneng.planning.policy.services import CLASSES, GRADES, PolicyTable

DAYS_PER_YEAR = 365
# Hours one inspection takes, by risk class; see docs/guide.md (人员配置).
DEFAULT_HOURS = {"I": 2.0, "II": 1.5, "III": 1.0}
DEFAULT_CAPACITY = 1200.0  # field hours an officer gives to inspections in a year
DEFAULT_TOLERANCE = 0.15  # ± share of the average hours per officer
GRASSROOTS_SHARE = 0.70  # 篇5: 基层分局人员占县市局人员的比例不低于70%


@dataclass(frozen=True)
class Settings:
    """The figures the computation takes; pages and the API accept them as parameters."""

    hours: tuple[float, float, float] = (
        DEFAULT_HOURS["I"],
        DEFAULT_HOURS["II"],
        DEFAULT_HOURS["III"],
    )
    capacity: float = DEFAULT_CAPACITY
    tolerance: float = DEFAULT_TOLERANCE

    def as_params(self) -> dict[str, float]:
        params = {f"hours_{c}": h for c, h in zip(CLASSES, self.hours, strict=True)}
        return params | {"capacity": self.capacity, "tolerance": self.tolerance}


def _number(
    raw: Mapping[str, Any], name: str, default: float, low: float, high: float, message: str
) -> tuple[float, FieldError | None]:
    """The parameter ``name`` as a number in (low, high]; its default when absent."""
    value = raw.get(name)
    text = "" if value is None else str(value).strip()
    if not text:
        return default, None
    try:
        number = float(text)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        return default, FieldError(name, _("不是有效的数字：%(value)s") % {"value": text})
    if not low < number <= high:
        return default, FieldError(name, message % {"value": text})
    return number, None


def read_settings(raw: Mapping[str, Any]) -> Settings:
    """Settings from query parameters; each bad one named, all at once."""
    checked = [
        _number(
            raw,
            f"hours_{risk_class}",
            DEFAULT_HOURS[risk_class],
            0,
            24,
            _("每次检查用时应大于 0、不超过 24 小时：%(value)s"),
        )
        for risk_class in CLASSES
    ]
    checked.append(
        _number(
            raw,
            "capacity",
            DEFAULT_CAPACITY,
            0,
            8760,
            _("每人年度检查工时应大于 0、不超过 8760 小时：%(value)s"),
        )
    )
    checked.append(
        _number(
            raw,
            "tolerance",
            DEFAULT_TOLERANCE,
            0,
            1 - EPSILON,
            _("容差应大于 0、小于 1：%(value)s"),
        )
    )
    errors = [error for _value, error in checked if error is not None]
    if errors:
        raise InvalidInput(f"{errors[0].field}: {errors[0].message}", errors=errors)
    values = [value for value, _error in checked]
    return Settings((values[0], values[1], values[2]), values[3], values[4])


def hours_per_entity(table: PolicyTable, settings: Settings) -> np.ndarray:
    """Hours a year one entity of class × grade asks for: 365 / interval × hours per visit."""
    visits = DAYS_PER_YEAR / table.interval_days.astype(np.float64)
    return visits * np.asarray(settings.hours, dtype=np.float64)[:, None]


@dataclass
class GridLoad:
    grid: Grid
    entities: int
    hours: float
    officer_hours: float = 0.0  # the responsible officer's hours over all their grids

    def utilisation(self, capacity: float) -> float | None:
        return self.officer_hours / capacity if self.grid.officer_id else None


@dataclass
class Grassroots:
    """篇5's 70 % rule for one bureau: officers at its stations against all its officers."""

    bureau: Unit
    station_officers: int
    officers: int

    @property
    def share(self) -> float | None:
        return self.station_officers / self.officers if self.officers else None

    @property
    def passed(self) -> bool:
        return self.share is not None and self.share >= GRASSROOTS_SHARE - EPSILON


@dataclass
class Staffing:
    settings: Settings
    policy_version: int
    on: dt.date
    grids: list[GridLoad]
    stations: list[StationLoad]
    outside_entities: int  # entities of the scope in no grid (the bureau's, to be placed)
    outside_hours: float
    grassroots: list[Grassroots]
    reallocation: Reallocation | None
    average: float | None = None  # hours per officer over the stations
    ratio: float | None = None  # most / least loaded station, hours per officer
    variation: float | None = None  # coefficient of variation of hours per officer
    unstaffed: list[StationLoad] = field(default_factory=list)


def _sums(keys: np.ndarray, values: np.ndarray) -> dict[int, float]:
    """``{key: sum of values}`` over equal keys."""
    if keys.size == 0:
        return {}
    found, inverse = np.unique(keys, return_inverse=True)
    return dict(zip(found.tolist(), np.bincount(inverse, weights=values).tolist(), strict=True))


@dataclass
class Counts:
    """Active entities counted by grid, unit, class and grade, and the hours they ask for."""

    grid_ids: np.ndarray  # -1 for no grid
    unit_ids: np.ndarray
    entities: np.ndarray
    hours: np.ndarray


def count_workload(user: Officer, weights: np.ndarray) -> Counts:
    """One GROUP BY over the entities ``user`` may see; the hours weighed on arrays."""
    rows = list(
        active_entities(user)
        .order_by()
        .values_list("grid_id", "unit_id", "risk_class", "credit_grade")
        .annotate(n=Count("id"))
    )
    grid_ids = np.array([-1 if r[0] is None else r[0] for r in rows], dtype=np.int64)
    unit_ids = np.array([r[1] for r in rows], dtype=np.int64)
    entities = np.array([r[4] for r in rows], dtype=np.float64)
    cls = np.array([CLASSES.index(r[2]) for r in rows], dtype=np.int64)
    grade = np.array([GRADES.index(r[3]) for r in rows], dtype=np.int64)
    return Counts(grid_ids, unit_ids, entities, entities * weights[cls, grade])


def _grid_loads(user: Officer, counts: Counts) -> list[GridLoad]:
    entities, hours = _sums(counts.grid_ids, counts.entities), _sums(counts.grid_ids, counts.hours)
    grids = scoped(Grid.objects.select_related("station", "officer"), user)
    loads = [
        GridLoad(g, int(entities.get(g.pk, 0)), hours.get(g.pk, 0.0))
        for g in grids.order_by("station__path", "code")
    ]
    by_officer: dict[int, float] = {}
    for load in loads:
        if load.grid.officer_id:
            by_officer[load.grid.officer_id] = by_officer.get(load.grid.officer_id, 0) + load.hours
    for load in loads:
        load.officer_hours = by_officer.get(load.grid.officer_id or 0, 0.0)
    return loads


def _station_loads(user: Officer, counts: Counts) -> list[StationLoad]:
    entities, hours = _sums(counts.unit_ids, counts.entities), _sums(counts.unit_ids, counts.hours)
    stations = list(scoped(Unit.objects.filter(kind=Unit.Kind.STATION), user).order_by("path"))
    staff = dict(
        Officer.objects.filter(unit__in=stations, is_active=True)
        .values_list("unit")
        .annotate(n=Count("id"))
    )
    return [
        StationLoad(s, int(entities.get(s.pk, 0)), hours.get(s.pk, 0.0), staff.get(s.pk, 0))
        for s in stations
    ]


def compute(*, user: Officer, settings: Settings, on: dt.date | None = None) -> Staffing:
    """Workload, officers, imbalance, the 70 % rule and a reallocation, for ``user``'s units."""
    on = on or timezone.localdate()
    table = PolicyTable.in_force(on)
    counts = count_workload(user, hours_per_entity(table, settings))
    stations = _station_loads(user, counts)
    outside = counts.grid_ids < 0
    result = Staffing(
        settings=settings,
        policy_version=table.policy.version,
        on=on,
        grids=_grid_loads(user, counts),
        stations=stations,
        outside_entities=int(counts.entities[outside].sum()),
        outside_hours=float(counts.hours[outside].sum()),
        grassroots=grassroots(user),
        reallocation=reallocate(stations, settings.tolerance) if len(stations) >= 2 else None,
    )
    _imbalance(result)
    return result


def _imbalance(result: Staffing) -> None:
    staffed = [s for s in result.stations if s.officers]
    result.unstaffed = [s for s in result.stations if not s.officers and s.hours > 0]
    if not staffed:
        return
    total_officers = sum(s.officers for s in staffed)
    result.average = sum(s.hours for s in staffed) / total_officers
    loads = np.array([s.per_officer for s in staffed], dtype=np.float64)
    if loads.min() > 0:
        result.ratio = float(loads.max() / loads.min())
    if loads.mean() > 0:
        result.variation = float(loads.std() / loads.mean())


def grassroots(user: Officer) -> list[Grassroots]:
    """The 70 % rule for each bureau whose whole subtree ``user`` sees (station users: none)."""
    visible = user.visible_unit_ids()
    found = []
    for bureau in Unit.objects.filter(kind=Unit.Kind.BUREAU).order_by("path"):
        subtree = Unit.objects.subtree(bureau)
        if visible is not None and subtree.exclude(pk__in=visible).exists():
            continue
        officers = Officer.objects.filter(unit__in=subtree, is_active=True).aggregate(
            all=Count("id"), stations=Count("id", filter=Q(unit__kind=Unit.Kind.STATION))
        )
        found.append(Grassroots(bureau, officers["stations"], officers["all"]))
    return found
