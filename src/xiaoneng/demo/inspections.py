"""The demo county's inspections of the past year, and what followed from them.

The records are those of the done tasks of the year (planning.demo_plans), of the published
double-random draws, and of complaints, ad hoc checks and exit supervision; then their
findings, rectification orders with re-inspections, and unlicensed operators found in the
grids; last, the real trace checks (``inspections.trace.check``) run over them. Everything is
generated on arrays and written in bulk (``core.bulk``) with its trace, dated when it happened.

The helpers here (working days as arrays, local moments, the trace of bulk rows, the register
and staff as arrays, the checklists) serve the other demo builders of inspections and cases.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
from django.core.management.base import CommandError
from django.db import models, transaction
from django.utils import timezone

from xiaoneng.core import audit, bulk
from xiaoneng.core.calendar import CalendarUnknown, WorkingCalendar
from xiaoneng.core.models import AuditEvent
from xiaoneng.demo.org import REASON, Organisation
from xiaoneng.inspections.models import Checklist, ChecklistItem, InspectionKind
from xiaoneng.org.models import Grid, Officer, Role, Unit
from xiaoneng.planning.patrol import schedule
from xiaoneng.registry.models import Entity

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
GENERAL_CHECKLIST = "general-trade"
DOCUMENTARY_CHECKLIST = "documentary"


def month_start(day: dt.date, months_back: int) -> dt.date:
    """The first day of the month ``months_back`` months before ``day``'s (negative: after)."""
    index = day.year * 12 + day.month - 1 - months_back
    return dt.date(index // 12, index % 12 + 1, 1)


def window_of(today: dt.date) -> dt.date:
    """The first day of the demo's past year: the month twelve months back (as the plans)."""
    return month_start(today, 12)


# Days and moments ------------------------------------------------------------------------------


class Days:
    """Working days of a range of dates as arrays (day numbers since 1970).

    A year the calendar does not know falls back to Monday–Friday: the demo only, the services
    refuse such a year.
    """

    def __init__(self, first: dt.date, last: dt.date) -> None:
        calendar = WorkingCalendar.load()
        self.origin = schedule.day_number(first)
        size = (last - first).days + 1
        self.working = np.array(
            [_is_working(calendar, first + dt.timedelta(days=n)) for n in range(size)], dtype=bool
        )
        self.before = np.concatenate([[0], np.cumsum(self.working)])  # working days before i
        self.index = np.flatnonzero(self.working)  # offset of the k-th working day
        self.last = self.origin + size - 1

    def _offset(self, days: np.ndarray) -> np.ndarray:
        return np.clip(np.asarray(days, dtype=np.int64) - self.origin, 0, self.working.size - 1)

    def add(self, days: np.ndarray, count: np.ndarray | int) -> np.ndarray:
        """The day ``count`` working days after each of ``days`` (the day itself not counted)."""
        offset = self._offset(days)
        k = self.before[offset + 1] + np.asarray(count, dtype=np.int64) - 1
        return self.index[np.clip(k, 0, self.index.size - 1)] + self.origin

    def forward(self, days: np.ndarray) -> np.ndarray:
        """Each day moved to the first working day on or after it."""
        k = self.before[self._offset(days)]
        return self.index[np.clip(k, 0, self.index.size - 1)] + self.origin

    def is_working(self, days: np.ndarray) -> np.ndarray:
        """Whether each of ``days`` is a working day."""
        return self.working[self._offset(days)]

    def pick(self, rng: np.random.Generator, first: np.ndarray, last: np.ndarray) -> np.ndarray:
        """A random working day in each ``[first, last]`` (−1 where there is none)."""
        low = self.before[self._offset(first)]
        high = self.before[self._offset(last) + 1]
        k = low + np.floor(rng.random(low.size) * np.maximum(high - low, 0)).astype(np.int64)
        found = self.index[np.clip(k, 0, self.index.size - 1)] + self.origin
        return np.where(high > low, found, -1)


def _is_working(calendar: WorkingCalendar, day: dt.date) -> bool:
    try:
        return calendar.is_working_day(day)
    except CalendarUnknown:
        return day.weekday() < 5


def dates(numbers: np.ndarray | Sequence[int]) -> list[dt.date | None]:
    """Day numbers as dates (None for a negative number)."""
    cache: dict[int, dt.date] = {}
    return [
        None if n < 0 else cache.setdefault(n, schedule.to_date(n))
        for n in np.asarray(numbers, dtype=np.int64).tolist()
    ]


def numbers(days: Sequence[dt.date]) -> np.ndarray:
    """Dates as day numbers."""
    return np.array([schedule.day_number(d) for d in days], dtype=np.int64)


def moments(days: np.ndarray, minutes: np.ndarray) -> list[dt.datetime]:
    """Moments (aware, UTC) at ``minutes`` after local midnight (Asia/Shanghai) of ``days``."""
    seconds = (
        np.asarray(days, dtype=np.int64) * 86400
        + np.round(np.asarray(minutes, dtype=np.float64) * 60).astype(np.int64)
        - 8 * 3600
    )
    return [
        d.replace(tzinfo=dt.UTC) for d in seconds.astype("datetime64[s]").astype(object).tolist()
    ]


def local_moment(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """``hour``:``minute`` of ``day`` in Asia/Shanghai."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SHANGHAI)


# The trace of bulk rows ------------------------------------------------------------------------


def trace_created(
    model: type[models.Model],
    ids: Sequence[int],
    reprs: Sequence[str],
    columns: Mapping[str, Sequence[Any]],
    *,
    at: dt.datetime | Sequence[dt.datetime],
) -> None:
    """Trace events for new rows written in bulk: created by the system, as demo data."""
    n = len(ids)
    if not n:
        return
    events = audit.event_columns(
        model,
        object_ids=list(ids),
        reprs=list(reprs),
        changes=audit.changes_from_columns(model, columns, n),
        action=AuditEvent.Action.CREATE,
        at=list(at) if isinstance(at, list | tuple) else at,
        actor=None,
        source=AuditEvent.Source.SYSTEM,
        reason=REASON,
    )
    bulk.insert(AuditEvent, events, n)


def insert_traced(
    model: type[models.Model],
    columns: Mapping[str, Sequence[Any]],
    reprs: Sequence[str],
    *,
    at: dt.datetime | Sequence[dt.datetime],
) -> list[int]:
    """Insert rows given as columns and their trace; their ids."""
    count = len(reprs)
    ids = bulk.insert(model, columns, count)
    if audit.is_traced(model):
        trace_created(model, ids, reprs, columns, at=at)
    return ids


class Rows:
    """Rows gathered one at a time, written as columns (``core.bulk``), each with its moment."""

    def __init__(self, names: str) -> None:
        """Rows of the columns ``names`` (separated by spaces)."""
        self.columns: dict[str, list[Any]] = {name: [] for name in names.split()}
        self.at: list[dt.datetime] = []

    def add(self, at: dt.datetime, **values: Any) -> None:
        """One row: the value of each column (None where not given), created ``at``."""
        unknown = set(values) - set(self.columns)
        assert not unknown, unknown
        for name, column in self.columns.items():
            column.append(values.get(name))
        self.at.append(at)

    def __len__(self) -> int:
        return len(self.at)

    def write(self, model: type[models.Model], reprs: Sequence[str]) -> list[int]:
        """Insert the rows and their trace; their ids."""
        return insert_traced(model, self.columns, reprs, at=self.at)


# The register and the staff --------------------------------------------------------------------


@dataclass
class Population:
    """Every entity as arrays sorted by id, with what the demo needs of each."""

    id: np.ndarray
    unit: np.ndarray
    grid: np.ndarray  # −1 outside every grid
    longitude: np.ndarray  # NaN when unknown
    latitude: np.ndarray
    registered: np.ndarray  # day number
    industry: np.ndarray  # GB/T 4754 codes (str)
    status: np.ndarray  # str
    risk: np.ndarray  # str
    kind: np.ndarray  # str
    region: list[str]
    name: list[str]
    address: list[str]

    @classmethod
    def load(cls) -> Population:
        """The whole register, in one statement."""
        rows = list(
            Entity.objects.order_by("id").values_list(
                "id",
                "unit_id",
                "grid_id",
                "longitude",
                "latitude",
                "registered_on",
                "industry_id",
                "status",
                "risk_class",
                "kind",
                "region_code",
                "name",
                "address",
            )
        )
        columns = list(zip(*rows, strict=True)) if rows else [()] * 13

        def floats(values: Sequence[Any]) -> np.ndarray:
            return np.array([np.nan if v is None else v for v in values], dtype=np.float64)

        return cls(
            id=np.array(columns[0], dtype=np.int64),
            unit=np.array(columns[1], dtype=np.int64),
            grid=np.array([-1 if g is None else g for g in columns[2]], dtype=np.int64),
            longitude=floats(columns[3]),
            latitude=floats(columns[4]),
            registered=numbers(columns[5]),
            industry=np.array(columns[6], dtype=str),
            status=np.array(columns[7], dtype=str),
            risk=np.array(columns[8], dtype=str),
            kind=np.array(columns[9], dtype=str),
            region=list(columns[10]),
            name=list(columns[11]),
            address=list(columns[12]),
        )

    def __len__(self) -> int:
        return int(self.id.size)

    def rows(self, ids: np.ndarray | Sequence[int]) -> np.ndarray:
        """Positions of entity ``ids`` (each of which exists)."""
        return np.searchsorted(self.id, np.asarray(ids, dtype=np.int64))

    def industry_in(self, prefixes: Sequence[str]) -> np.ndarray:
        """Whether each entity's industry code starts with one of ``prefixes``."""
        hit = np.zeros(len(self), dtype=bool)
        for prefix in prefixes:
            hit |= np.char.startswith(self.industry, prefix)
        return hit


@dataclass
class People:
    """The officers the demo acts through: who holds which grid, who works at which station."""

    unit: dict[int, int]  # officer → unit
    name: dict[int, str]
    grid_officer: dict[int, int]  # grid → officer
    directors: dict[int, int]  # station → director
    station_staff: dict[int, list[int]]  # station → its grid officers and director
    division_staff: dict[str, list[int]]  # division code suffix (K01…) → staff
    credit_staff: list[int]
    stations: list[Unit]
    bureau: Unit

    @classmethod
    def load(cls, organisation: Organisation) -> People:
        """The active officers, their roles and grids."""
        officers = list(
            Officer.objects.filter(is_active=True, unit__isnull=False)
            .order_by("id")
            .values_list("id", "unit_id", "name", "username")
        )
        roles: dict[int, set[str]] = {}
        through = Officer.roles.through
        for officer_id, role in through.objects.values_list("officer_id", "role_id"):
            roles.setdefault(officer_id, set()).add(role)
        station_ids = {s.pk for s in organisation.stations}
        staff: dict[int, list[int]] = {pk: [] for pk in station_ids}
        divisions: dict[str, list[int]] = {}
        codes = dict(Unit.objects.values_list("pk", "code"))
        for pk, unit, _name, _username in officers:
            held = roles.get(pk, set())
            if unit in station_ids and held & {Role.GRID_OFFICER, Role.STATION_DIRECTOR}:
                staff[unit].append(pk)
            elif Role.DIVISION_STAFF in held:
                divisions.setdefault(codes.get(unit, "")[-3:], []).append(pk)
        return cls(
            unit={pk: unit for pk, unit, _n, _u in officers},
            name={pk: name or username for pk, _unit, name, username in officers},
            grid_officer={
                g: o
                for g, o in Grid.objects.filter(officer__isnull=False).values_list(
                    "pk", "officer_id"
                )
            },
            directors=dict(organisation.directors),
            station_staff=staff,
            division_staff=divisions,
            credit_staff=list(organisation.credit_staff),
            stations=list(organisation.stations),
            bureau=organisation.bureau,
        )

    def responsible(self, grid: np.ndarray, unit: np.ndarray) -> np.ndarray:
        """The grid's officer of each entity, else its station's director (0: nobody)."""
        found = [
            self.grid_officer.get(g) or self.directors.get(u, 0)
            for g, u in zip(grid.tolist(), unit.tolist(), strict=True)
        ]
        return np.array(found, dtype=np.int64)

    def partners(self, rng: np.random.Generator, lead: np.ndarray, unit: np.ndarray) -> np.ndarray:
        """A second officer for each lead: one of the same station (the record's, else the
        lead's own), never the lead; 0 where nobody else is there."""
        chosen = np.zeros(lead.size, dtype=np.int64)
        draws = rng.random(lead.size).tolist()
        for i, (officer, station, r) in enumerate(
            zip(lead.tolist(), unit.tolist(), draws, strict=True)
        ):
            pool = self.station_staff.get(station) or self.station_staff.get(
                self.unit.get(officer, 0), []
            )
            others = [o for o in pool if o != officer]
            if others:
                chosen[i] = others[int(r * len(others))]
        return chosen


# Checklists --------------------------------------------------------------------------------


@dataclass
class ChecklistItemRow:
    """What the demo needs of a checklist item."""

    id: int
    number: str
    title: str
    severity: str
    words: frozenset[str]


@dataclass
class Checklists:
    """The checklists in force (latest version of each code) and their items."""

    onsite: list[tuple[str, int]]  # (industry prefix, checklist id), longest prefix first
    general: int
    documentary: int | None
    items: dict[int, list[ChecklistItemRow]] = field(default_factory=dict)

    @cached_property
    def titles(self) -> dict[int, str]:
        """Each item's title by id."""
        return {i.id: i.title for items in self.items.values() for i in items}

    @classmethod
    def load(cls) -> Checklists:
        """The migrated checklists; refuses (the demo cannot record inspections) when none."""
        latest: dict[str, Checklist] = {}
        for checklist in Checklist.objects.filter(retired_on__isnull=True).order_by(
            "code", "-version"
        ):
            latest.setdefault(checklist.code, checklist)
        onsite = [c for c in latest.values() if c.kind == InspectionKind.ONSITE]
        if not onsite:
            raise CommandError(
                "没有在用的现场检查清单，无法生成检查记录：请先运行 xiaoneng manage migrate"
                "（载入标准检查清单）。 No onsite checklist in force: run migrations first.",
                returncode=2,
            )
        general = latest.get(GENERAL_CHECKLIST) or next(
            (c for c in onsite if not c.industry_prefixes.strip()), onsite[0]
        )
        documentary = latest.get(DOCUMENTARY_CHECKLIST) or next(
            (
                c
                for c in latest.values()
                if c.kind == InspectionKind.DOCUMENTARY and not c.industry_prefixes.strip()
            ),
            None,
        )
        prefixes = sorted(
            (
                (prefix, c.pk)
                for c in onsite
                for prefix in re.split(r"[\s,，;；]+", c.industry_prefixes.strip())
                if prefix
            ),
            key=lambda p: (-len(p[0]), p[0]),
        )
        table = cls(
            onsite=prefixes,
            general=general.pk,
            documentary=documentary.pk if documentary else None,
        )
        used = (
            {pk for _p, pk in prefixes}
            | {general.pk}
            | ({documentary.pk} if documentary else set())
        )
        for checklist_id, pk, number, title, method, severity in (
            ChecklistItem.objects.filter(checklist_id__in=used)
            .order_by("checklist_id", "position")
            .values_list("checklist_id", "pk", "number", "title", "method", "severity")
        ):
            table.items.setdefault(checklist_id, []).append(
                ChecklistItemRow(pk, number, title, severity, bigrams(title + title + method))
            )
        if not table.items.get(general.pk):
            raise CommandError(
                f"检查清单 {general.code} 没有检查事项，无法生成检查记录。", returncode=2
            )
        return table

    def for_industries(self, industries: np.ndarray) -> np.ndarray:
        """The onsite checklist of each industry code: the longest matching prefix, else the
        general one."""
        chosen: dict[str, int] = {}
        for code in np.unique(industries).tolist():
            chosen[code] = next(
                (
                    pk
                    for prefix, pk in self.onsite
                    if code.startswith(prefix) and self.items.get(pk)
                ),
                self.general,
            )
        return np.array([chosen[c] for c in industries.tolist()], dtype=np.int64)


def bigrams(text: str) -> frozenset[str]:
    """The pairs of neighbouring characters of ``text`` (to match a violation to an item)."""
    cleaned = re.sub(r"[\s，。、；：（）“”《》,.;:()]", "", text)
    return frozenset(cleaned[i : i + 2] for i in range(len(cleaned) - 1))


def best_item(
    rng: np.random.Generator, text: str, items: list[ChecklistItemRow], taken: set[int]
) -> tuple[ChecklistItemRow, int]:
    """The item of ``items`` that ``text`` most likely describes (random among equals), and
    how many character pairs they share."""
    words = bigrams(text)
    free = [item for item in items if item.id not in taken] or items
    scores = np.array([len(words & item.words) for item in free], dtype=np.int64)
    best = np.flatnonzero(scores == scores.max())
    chosen = int(best[int(rng.integers(best.size))])
    return free[chosen], int(scores[chosen])


# The builder ---------------------------------------------------------------------------------


@dataclass
class Context:
    """What every step of the inspections demo reads: the day, the register, staff, lists."""

    rng: np.random.Generator
    today: dt.date
    now: dt.datetime
    window: dt.date
    days: Days
    population: Population
    people: People
    checklists: Checklists
    progress: Callable[[str], None]

    @property
    def today_number(self) -> int:
        """Today as a day number."""
        return schedule.day_number(self.today)

    @property
    def window_number(self) -> int:
        """The first day of the past year as a day number."""
        return schedule.day_number(self.window)


def context(
    rng: np.random.Generator,
    organisation: Organisation,
    *,
    now: dt.datetime,
    progress: Callable[[str], None],
    checklists: bool = True,
) -> Context:
    """The shared reading of a demo step."""
    today = timezone.localtime(now).date()
    window = window_of(today)
    return Context(
        rng=rng,
        today=today,
        now=now,
        window=window,
        days=Days(window - dt.timedelta(days=400), today + dt.timedelta(days=200)),
        population=Population.load(),
        people=People.load(organisation),
        checklists=Checklists.load() if checklists else Checklists([], 0, None),
        progress=progress,
    )


def build_inspections(
    rng: np.random.Generator,
    organisation: Organisation,
    *,
    now: dt.datetime,
    progress: Callable[[str], None] = print,
) -> None:
    """A year of signed inspections up to ``now`` with their findings, rectification orders,
    re-inspections, exit checks and unlicensed operators; then the trace checks."""
    # The steps import this module's helpers: imported here, not at the top.
    from xiaoneng.demo import inspections_followup as demo_followup
    from xiaoneng.demo import inspections_records as demo_records
    from xiaoneng.demo import inspections_unlicensed as demo_unlicensed
    from xiaoneng.demo import inspections_visits as demo_visits

    ctx = context(rng, organisation, now=now, progress=progress)
    if not len(ctx.population):
        return
    with bulk.paused_gc(), transaction.atomic():
        visits = demo_visits.gather(ctx)
        orders = demo_followup.plan_orders(ctx, visits)
        reinspections = demo_followup.reinspection_visits(ctx, visits, orders)
        everything = demo_visits.Visits.concat([visits, reinspections])
        written = demo_records.write(ctx, everything)
        demo_followup.write(ctx, everything, written, orders)
        operators = demo_unlicensed.unlicensed_operators(ctx)
    flagged = _trace_checks()
    written.files.result()  # the photos are on disk before the demo goes on
    progress(
        f"检查记录 inspections: {len(written.ids):,} signed ({written.failed_share:.1%} with a "
        f"failed item), {orders.count:,} rectification orders, {len(reinspections.entity):,} "
        f"re-inspections, {operators} unlicensed operators; {flagged}"
    )


def _trace_checks() -> str:
    """Run the real trace checks over every signed record (痕迹监控)."""
    try:
        from xiaoneng.inspections.trace.services import check
    except ImportError:
        return "痕迹监控未运行（inspections.trace 尚不存在）trace checks skipped"
    summary = check()
    return f"{summary.total:,} trace flags over {summary.checked:,} records"
