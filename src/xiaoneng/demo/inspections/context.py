"""What every step of the demo from inspections on reads: the day, the register and the staff
as arrays, the checklists (``Context``, made by ``context``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.utils import timezone

from xiaoneng.demo.days import Days, numbers, window_of
from xiaoneng.demo.inspections.checklists import Checklists
from xiaoneng.demo.org import Organisation
from xiaoneng.org.models import Grid, Officer, Role, Unit
from xiaoneng.planning.patrol import schedule
from xiaoneng.registry.models import Entity


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
