"""Placing tasks on officers' working days, and writing tasks in bulk (patrols and campaigns).

Each officer's tasks, most overdue first, are spread evenly over the working days left in
the period (water-filling: the day with the fewest tasks gets the next one, earliest days
first), never above the daily capacity counting what is already on the calendar. A joint
visit counts once. What does not fit overflows with its reason (docs/decisions/0008).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.conf import settings
from django.db.models import Count, F
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import audit, bulk
from xiaoneng.core.calendar import WorkingCalendar
from xiaoneng.core.errors import InvalidInput
from xiaoneng.core.models import AuditEvent
from xiaoneng.org.models import Grid, Officer, Role
from xiaoneng.planning.patrol.models import Task
from xiaoneng.registry.models import Entity

DEFAULT_CAPACITY = 6  # visits a grid officer can make in a day beside the station's other work
MAX_CAPACITY = 50
NAME_CHUNK = 10_000
NO_DAY = -1
Overflow = Task.Overflow


def default_capacity() -> int:
    """The daily capacity a plan uses unless told otherwise (setting PATROL_DAILY_CAPACITY)."""
    return int(getattr(settings, "PATROL_DAILY_CAPACITY", DEFAULT_CAPACITY))


def check_capacity(capacity: Any) -> int:
    """The capacity as an int from 1 to MAX_CAPACITY, else a clear error."""
    try:
        value = int(str(capacity).strip())
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_CAPACITY:
        raise InvalidInput.single(
            "capacity",
            _("每人每日上限应为 1 至 %(max)d 之间的整数：%(value)s")
            % {"max": MAX_CAPACITY, "value": capacity},
        )
    return value


def working_days(calendar: WorkingCalendar, first: dt.date, last: dt.date) -> list[dt.date]:
    """The working days from ``first`` to ``last``; a year the calendar lacks is an error."""
    calendar.check(first)
    calendar.check(last)
    days = (last - first).days + 1
    return [
        day
        for day in (first + dt.timedelta(days=n) for n in range(max(0, days)))
        if calendar.is_working_day(day)
    ]


def day_loads(officer_ids: Sequence[int], days: Sequence[dt.date]) -> dict[int, np.ndarray]:
    """Visits already on each officer's calendar on each of ``days`` (a joint visit counts once)."""
    loads = {pk: np.zeros(len(days), dtype=np.int64) for pk in officer_ids}
    if not days or not officer_ids:
        return loads
    index = {day: i for i, day in enumerate(days)}
    rows = (
        Task.objects.filter(
            officer_id__in=list(officer_ids), scheduled_on__range=(days[0], days[-1])
        )
        .filter(status__in=[Task.Status.PLANNED, Task.Status.DONE])
        .annotate(door=Coalesce(F("visit_id") * -1, F("id")))
        .order_by()
        .values("officer_id", "scheduled_on")
        .annotate(visits=Count("door", distinct=True))
        .values_list("officer_id", "scheduled_on", "visits")
    )
    for officer_id, day, visits in rows:
        if day in index:
            loads[officer_id][index[day]] = visits
    return loads


def spread(count: int, load: np.ndarray, capacity: int) -> np.ndarray:
    """How many of ``count`` tasks go on each day: level loading under ``capacity``."""
    free = np.clip(capacity - load, 0, None)
    if count <= 0 or free.sum() == 0:
        return np.zeros_like(load)
    if count >= free.sum():
        return free
    level = int(load.min())
    while np.minimum(np.clip(level + 1 - load, 0, None), free).sum() < count:
        level += 1
    placed = np.minimum(np.clip(level - load, 0, None), free)
    rest = count - int(placed.sum())
    more = np.flatnonzero(np.minimum(np.clip(level + 1 - load, 0, None), free) > placed)[:rest]
    placed[more] += 1
    return placed


@dataclass
class Placement:
    """Each task's day (index into ``days``, or NO_DAY) and overflow reason ("" when placed)."""

    days: list[dt.date]
    day: np.ndarray
    reason: list[str]
    loads: dict[int, np.ndarray] = field(default_factory=dict)


def place(officer: np.ndarray, grid: np.ndarray, days: list[dt.date], capacity: int) -> Placement:
    """Place tasks given in priority order (officer −1: none; grid −1: outside every grid)."""
    n = officer.size
    day = np.full(n, NO_DAY, dtype=np.int64)
    reason = np.full(n, "", dtype=object)
    reason[officer < 0] = Overflow.NO_OFFICER
    reason[grid < 0] = Overflow.OUTSIDE_GRIDS
    staffed = np.flatnonzero(officer >= 0)
    ids = np.unique(officer[staffed]).tolist()
    loads = day_loads(ids, days)
    if not days:
        reason[staffed] = Overflow.NO_WORKING_DAY
        return Placement(days, day, reason.tolist(), loads)
    order = staffed[np.argsort(officer[staffed], kind="stable")]
    bounds = np.flatnonzero(np.diff(officer[order])) + 1
    for group in np.split(order, bounds):
        if group.size == 0:
            continue
        pk = int(officer[group[0]])
        counts = spread(group.size, loads[pk], capacity)
        given = np.repeat(np.arange(len(days)), counts)
        day[group[: given.size]] = given
        reason[group[given.size :]] = Overflow.CAPACITY
        loads[pk] = loads[pk] + counts
    return Placement(days, day, reason.tolist(), loads)


# Who does the task: grids, officers and their posts -----------------------------------------


@dataclass(frozen=True)
class GridInfo:
    code: str
    name: str
    station_id: int
    station: str
    officer_id: int | None


@dataclass(frozen=True)
class OfficerInfo:
    name: str
    unit: str
    post: str


def grid_table() -> dict[int, GridInfo]:
    return {
        pk: GridInfo(code, name, station_id, station, officer_id)
        for pk, code, name, station_id, station, officer_id in Grid.objects.values_list(
            "pk", "code", "name", "station_id", "station__name", "officer_id"
        )
    }


ROLE_ORDER = (
    Role.GRID_OFFICER,
    Role.STATION_DIRECTOR,
    Role.DIVISION_STAFF,
    Role.BUREAU_LEADER,
    Role.ADMINISTRATOR,
)


def officer_table(ids: Sequence[int]) -> dict[int, OfficerInfo]:
    """Name, unit and post (岗位: unit and role) of each officer."""
    roles: dict[int, set[str]] = {}
    through = Officer.roles.through
    for officer_id, role in through.objects.filter(officer_id__in=list(ids)).values_list(
        "officer_id", "role_id"
    ):
        roles.setdefault(officer_id, set()).add(role)
    table = {}
    for pk, name, username, unit in Officer.objects.filter(pk__in=list(ids)).values_list(
        "pk", "name", "username", "unit__name"
    ):
        held = [code for code in ROLE_ORDER if code in roles.get(pk, ())]
        label = str(Role.LABELS[held[0]]) if held else "执法人员"
        table[pk] = OfficerInfo(name or username, unit or "", f"{unit or ''}{label}")
    return table


def officers_of(grid: np.ndarray, grids: dict[int, GridInfo]) -> np.ndarray:
    """Each grid's responsible officer (−1: none, or no grid), by array lookup."""
    size = max(grids, default=0) + 2
    lookup = np.full(size, -1, dtype=np.int64)
    for pk, info in grids.items():
        lookup[pk] = info.officer_id if info.officer_id is not None else -1
    return np.where(grid >= 0, lookup[np.clip(grid, 0, size - 1)], -1)


def entity_names(ids: list[int]) -> dict[int, str]:
    names: dict[int, str] = {}
    for start in range(0, len(ids), NAME_CHUNK):
        chunk = ids[start : start + NAME_CHUNK]
        names.update(Entity.objects.filter(pk__in=chunk).values_list("pk", "name"))
    return names


# Writing ----------------------------------------------------------------------------------


def insert_tasks(
    *, columns: dict[str, list[Any]], names: list[str], actor: Officer | None, reason: str = ""
) -> list[int]:
    """Insert new tasks given as columns, with their trace, in the caller's transaction."""
    count = len(columns["entity_id"])
    if not count:
        return []
    now = timezone.now()
    ids = bulk.insert(Task, columns, count, now=now)
    context = audit.current_context()
    events = audit.event_columns(
        Task,
        object_ids=ids,
        reprs=[f"{name} · {period}" for name, period in zip(names, columns["period"], strict=True)],
        changes=audit.changes_from_columns(Task, columns, count),
        action=AuditEvent.Action.CREATE,
        at=now,
        actor=actor if getattr(actor, "pk", None) else context.resolve_actor(),
        source=context.source,
        reason=reason,
    )
    bulk.insert(AuditEvent, events, count, now=now)
    return ids
