"""Due dates: each entity's last inspection, next due date and overdue days, on arrays.

next due = (last inspection, or the date the entity entered the register) + the patrol
interval of its risk class × credit grade under the policy in force on the computation date.
Entities are read in bulk — one statement, integer columns, no model instances — and the
dates computed with numpy (docs/decisions/0008); a per-entity ORM loop is 30× slower and
more (benchmarks/bench_plan.py).

``due_in_period`` is the one definition of "due": the plan, the due list (page and API) call it.

The last inspection is the later of the register's ``Entity.last_inspected_on`` (the day of
the latest signed record of any origin — patrol, draw, complaint, joint, ad hoc — kept by the
signing service through ``registry.services.note_inspection``) and the latest *done task*
(``Task.done_on``: a task completed by hand counts too). Planning sits below inspections and
never reads their records: the register carries the day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import overload

import numpy as np
from django.db.models import IntegerField, Max, QuerySet
from django.db.models.expressions import RawSQL

from xiaoneng.core.arrays import days_sql, index_sql, int_rows
from xiaoneng.org.models import Unit
from xiaoneng.planning.models import Policy
from xiaoneng.planning.patrol.models import Task
from xiaoneng.planning.policy.services import CLASSES, GRADES, PolicyTable
from xiaoneng.registry.models import Entity, EntityQuerySet

EPOCH = dt.date(1970, 1, 1)
NEVER = np.iinfo(np.int64).min  # "no inspection yet" in an array of day numbers
# "No day" as SQL reads it (a small integer both databases keep as one): became NEVER.
NO_DAY_SQL = -(10**6)
# Below this many entities the done tasks are read for them alone (a sub-query); above it,
# reading every done task and matching in numpy is faster (measured at a million: 0.18 s
# against 0.64 s for 90,000 entities, 1.15 s against 0.65 s for 900,000).
RESTRICT_BELOW = 300_000
# Below this many, looking each entity up by id is faster still (3,650 entities: 17 ms, where
# the sub-query scans every done task in 0.27 s); ids go CHUNK at a time (SQLite's limit).
SEEK_BELOW = 20_000
CHUNK = 10_000


def day_number(day: dt.date) -> int:
    """Days since 1970-01-01: dates as integers in the arrays."""
    return (day - EPOCH).days


def to_date(number: int) -> dt.date:
    return EPOCH + dt.timedelta(days=int(number))


@dataclass
class Register:
    """Entities as parallel arrays sorted by id; grid -1 for an entity outside every grid;
    ``inspected`` the day number of the latest signed inspection (``NEVER`` if none)."""

    entity_id: np.ndarray
    grid_id: np.ndarray
    unit_id: np.ndarray
    class_index: np.ndarray
    grade_index: np.ndarray
    registered: np.ndarray
    inspected: np.ndarray

    def __len__(self) -> int:
        return int(self.entity_id.size)

    def take(self, selection: np.ndarray) -> Register:
        return Register(*(getattr(self, name)[selection] for name in self.__dataclass_fields__))


def load_register(queryset: QuerySet[Entity]) -> Register:
    """The entities of ``queryset`` (already filtered and scoped) as arrays, in one statement."""
    table = Entity._meta.db_table
    inspected = f'"{table}"."last_inspected_on"'
    columns = queryset.order_by("id").annotate(
        _grid=RawSQL(f'COALESCE("{table}"."grid_id", -1)', ()),
        _class=RawSQL(index_sql(f'"{table}"."risk_class"', CLASSES), ()),
        _grade=RawSQL(index_sql(f'"{table}"."credit_grade"', GRADES), ()),
        _registered=RawSQL(days_sql(f'"{table}"."registered_on"'), ()),
        _inspected=RawSQL(f"COALESCE({days_sql(inspected)}, {NO_DAY_SQL})", ()),
    )
    names = ("id", "_grid", "unit_id", "_class", "_grade", "_registered", "_inspected")
    matrix = int_rows(columns.values_list(*names), len(names))
    arrays = [matrix[:, i].copy() for i in range(len(names))]
    arrays[-1][arrays[-1] == NO_DAY_SQL] = NEVER
    return Register(*arrays)


def last_inspections(register: Register, queryset: QuerySet[Entity] | None = None) -> np.ndarray:
    """Day number of each entity's last inspection (``NEVER`` if none), aligned to
    ``register``: the later of its latest signed record (``register.inspected``, any origin)
    and its latest done task (one completed by hand has no record).

    For the done tasks, a few entities (a grid, an officer's grids) are looked up by id on the
    index; more (a station) through ``queryset`` (the register's own) as a sub-query; most of
    the register, by reading every done task.
    """
    done = Task.objects.filter(status=Task.Status.DONE, done_on__isnull=False)
    if len(register) < SEEK_BELOW:
        ids = register.entity_id.tolist()
        parts = [
            _latest(done.filter(entity_id__in=ids[i : i + CHUNK]))
            for i in range(0, len(ids), CHUNK)
        ]
        pairs = np.concatenate(parts) if parts else np.zeros((0, 2), dtype=np.int64)
    elif queryset is not None and len(register) < RESTRICT_BELOW:
        pairs = _latest(done.filter(entity_id__in=queryset.values("id")))
    else:
        pairs = _latest(done)
    last = register.inspected.copy()
    if pairs.size:
        position = np.searchsorted(register.entity_id, pairs[:, 0])
        inside = position < len(register)
        position, pairs = position[inside], pairs[inside]
        known = register.entity_id[position] == pairs[:, 0]
        at = position[known]
        last[at] = np.maximum(last[at], pairs[known, 1])
    return last


def _latest(done: QuerySet[Task]) -> np.ndarray:
    """(entity id, day number of the latest done_on) of the done tasks given."""
    done_on = days_sql(f'"{Task._meta.db_table}"."done_on"')
    latest = (
        done.order_by()
        .values("entity_id")
        .annotate(_last=Max(RawSQL(done_on, (), output_field=IntegerField())))
        .values_list("entity_id", "_last")
    )
    return int_rows(latest, 2)


@dataclass
class DueDates:
    """Each entity's last inspection, next due date and overdue days on ``on``."""

    register: Register
    on: dt.date
    policy: Policy
    interval: np.ndarray
    last: np.ndarray
    due: np.ndarray

    @property
    def overdue_days(self) -> np.ndarray:
        return np.maximum(0, day_number(self.on) - self.due)

    def order(self, selection: np.ndarray | None = None) -> np.ndarray:
        """Positions (of ``selection``, or of all) most overdue first, ties by entity id."""
        positions = np.arange(len(self.register)) if selection is None else selection
        keys = np.lexsort((self.register.entity_id[positions], self.due[positions]))
        return positions[keys]


def compute_due_dates(
    register: Register, last: np.ndarray, *, on: dt.date, table: PolicyTable | None = None
) -> DueDates:
    """Due dates from arrays: (last inspection or entry) + interval[class, grade]."""
    table = table or PolicyTable.in_force(on)
    interval = table.interval_days[register.class_index, register.grade_index]
    base = np.where(last == NEVER, register.registered, last)
    return DueDates(register, on, table.policy, interval, last, base + interval)


def due_dates(
    queryset: QuerySet[Entity], *, on: dt.date, table: PolicyTable | None = None
) -> DueDates:
    """Load the entities of ``queryset`` and their last inspections, and compute due dates."""
    register = load_register(queryset)
    return compute_due_dates(register, last_inspections(register, queryset), on=on, table=table)


@dataclass
class Due:
    """The entities due in a period: the due dates of those considered, and the positions
    (in ``dates``' arrays) of those due, most overdue first, ties by entity id."""

    dates: DueDates
    positions: np.ndarray

    def __len__(self) -> int:
        return int(self.positions.size)


def due_in_period(
    *,
    unit: Unit | None,
    start: dt.date,
    end: dt.date,
    entities: EntityQuerySet | None = None,
    table: PolicyTable | None = None,
) -> Due:
    """Which entities are due for patrol in the period ``start``–``end``: the one rule.

    An entity is due when it is operating and in the register (``Entity.objects.operating()``),
    in ``unit``'s subtree (None: every unit) and among ``entities`` if given (a grid, an
    officer's grids, already scoped to the user), and its due date is on or before ``end``.
    The due date is its last inspection (``last_inspections``), or the day it entered the
    register, plus the patrol interval of its risk class × credit grade under the policy in
    force on ``start`` (or ``table``). Entities overdue before ``start`` are due too.

    The month's plan asks for its first and last day; the overdue list asks for today and
    yesterday (overdue today = due by yesterday); the list of every due date, for ``end``
    ``dt.date.max``. Overdue days are counted on ``start``.
    """
    queryset = (Entity.objects.all() if entities is None else entities).operating()
    units = None if unit is None else Unit.objects.subtree_ids(unit)
    if units is not None:
        queryset = queryset.filter(unit_id__in=units)
    dates = due_dates(queryset, on=start, table=table)
    return Due(dates, dates.order(np.flatnonzero(dates.due <= day_number(end))))


@dataclass
class DueRow:
    """One line of an overdue list."""

    entity: Entity
    last_inspection: dt.date | None
    due_on: dt.date
    overdue_days: int
    interval_days: int


class DueList(Sequence[DueRow]):
    """Rows of a due list in order, read from the database only for the page shown.

    The count is the array's length, exact and free, so Django's paginator pages it.
    """

    def __init__(self, due: Due) -> None:
        self.dates = due.dates
        self.positions = due.positions

    def __len__(self) -> int:
        return int(self.positions.size)

    @overload
    def __getitem__(self, index: int) -> DueRow: ...
    @overload
    def __getitem__(self, index: slice) -> list[DueRow]: ...
    def __getitem__(self, index: int | slice) -> DueRow | list[DueRow]:
        if isinstance(index, slice):
            return self._rows(self.positions[index])
        return self._rows(self.positions[index : index + 1 or None])[0]

    def __iter__(self) -> Iterator[DueRow]:
        return iter(self[:])

    def _rows(self, positions: np.ndarray) -> list[DueRow]:
        dates = self.dates
        ids = dates.register.entity_id[positions].tolist()
        entities = Entity.objects.select_related("grid__officer", "unit").in_bulk(ids)
        overdue = dates.overdue_days
        return [
            DueRow(
                entity=entities[entity_id],
                last_inspection=None if dates.last[p] == NEVER else to_date(dates.last[p]),
                due_on=to_date(dates.due[p]),
                overdue_days=int(overdue[p]),
                interval_days=int(dates.interval[p]),
            )
            for entity_id, p in zip(ids, positions.tolist(), strict=True)
            if entity_id in entities
        ]
