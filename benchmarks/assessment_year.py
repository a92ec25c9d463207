"""The assessment benchmark's county and its year 2026, written in bulk column by column
(``core.bulk.insert``: COPY on PostgreSQL), without the services or the trace: a bureau, 20
stations of 50 officers (10 grids each, every grid with its officer), the register
(``entities.py``), signed inspections by the stations' officers with their findings,
rectification orders, class changes and trace flags, the monthly patrol plans' tasks, and
training sessions with their attendance. Cases, callbacks and timed matters:
``bench_assessment.py``.

Used by ``bench_assessment``; not a benchmark itself (``run.py`` names the scripts it runs).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import numpy as np

import common
import entities
from county_year import checklist_item, insert, pick

YEAR = 2026
FIRST = dt.date(YEAR, 1, 1)
DAYS = 365
STATIONS = 20
PER_STATION = 50


def days(numbers: np.ndarray) -> list[dt.date]:
    table = [FIRST + dt.timedelta(days=d) for d in range(DAYS + 400)]
    return [table[n] for n in numbers.tolist()]


def at_noon(numbers: np.ndarray) -> list[dt.datetime]:
    return [dt.datetime.combine(d, dt.time(4), tzinfo=dt.UTC) for d in days(numbers)]


class Year:
    """The county's 2026, column by column (the arrays kept to tie the records together)."""

    def __init__(self, seed: int) -> None:
        self.rng = np.random.default_rng(seed)

    def organisation(self, count: int) -> None:
        from django.db import transaction

        from xiaoneng.org.models import Grid, Officer
        from xiaoneng.registry.models import Entity

        with transaction.atomic():
            organisation = common.build_organisation(STATIONS * 10, stations=STATIONS)
            self.bureau = organisation.bureau.pk
            self.stations = np.array([s.pk for s in organisation.stations])
            Officer.objects.bulk_create(
                Officer(username=f"a{s:02d}_{n:02d}", name=f"干部{s}-{n}", unit_id=pk, password="!")
                for s, pk in enumerate(self.stations.tolist())
                for n in range(PER_STATION)
            )
            rows = Officer.objects.order_by("unit_id", "id").values_list("id", "unit_id")
            self.officers = np.array([pk for pk, _u in rows]).reshape(STATIONS, PER_STATION)
            for k, grid in enumerate(organisation.grids):
                station = int(np.flatnonzero(self.stations == grid.station_id)[0])
                Grid.objects.filter(pk=grid.pk).update(
                    officer_id=int(self.officers[station, k % PER_STATION])
                )
        entities.write_entities(entities.entity_columns(count, organisation, seed=1))
        found = list(
            Entity.objects.order_by("pk").values_list("pk", "unit_id", "risk_class", "credit_grade")
        )
        self.entity = np.array([r[0] for r in found])
        unit = np.array([r[1] for r in found])
        # Entities outside every grid belong to the bureau: station 1 inspects them.
        self.entity_station = np.searchsorted(self.stations, unit).clip(0, STATIONS - 1)
        self.entity_station[~np.isin(unit, self.stations)] = 0
        risk = np.array([r[2] for r in found])
        grade = np.array([r[3] for r in found])
        self.entity_rate = np.select([risk == "I", risk == "II"], [0.06, 0.04], 0.02)
        self.entity_rate *= np.select([grade == "C", grade == "D"], [1.5, 2.5], 1.0)

    def officer_in(self, station: np.ndarray) -> np.ndarray:
        return self.officers[station, self.rng.integers(0, PER_STATION, station.size)]

    def inspections(self, count: int) -> None:
        from xiaoneng.inspections.models import Inspection

        checklist, self.item = checklist_item(FIRST)
        which = self.rng.integers(0, self.entity.size, count)
        day = np.sort(self.rng.integers(0, DAYS, count))
        failed = self.rng.random(count) < self.entity_rate[which]
        station = self.entity_station[which]
        officer = self.officer_in(station)
        ids = insert(
            Inspection,
            {
                "entity_id": self.entity[which].tolist(),
                "unit_id": self.stations[station].tolist(),
                "region_code": [common.REGION] * count,
                "origin": ["patrol"] * count,
                "kind": np.where(self.rng.random(count) < 0.8, "onsite", "documentary").tolist(),
                "checklist_id": [checklist] * count,
                "status": ["signed"] * count,
                "lead_officer_id": officer.tolist(),
                "visited_on": days(day),
                "items_failed": failed.astype(int).tolist(),
            },
        )
        self.inspection, self.which, self.day = np.array(ids), which, day
        self.station, self.officer, self.failed = station, officer, np.flatnonzero(failed)

    def follow_up(self) -> None:
        """Findings, rectification orders for half of them, class changes, trace flags."""
        from xiaoneng.inspections.models import Finding, Rectification, TraceFlag
        from xiaoneng.registry.models import ClassificationChange

        bad = self.failed
        units = self.stations[self.station[bad]].tolist()
        severity = pick(self.rng, {"minor": 0.7, "major": 0.25, "critical": 0.05}, bad.size)
        insert(
            Finding,
            {
                "inspection_id": self.inspection[bad].tolist(),
                "item_id": [self.item] * bad.size,
                "entity_id": self.entity[self.which[bad]].tolist(),
                "unit_id": units,
                "severity": severity,
                "description": ["未亮照经营"] * bad.size,
                "status": ["rectifying"] * bad.size,
                "found_on": days(self.day[bad]),
            },
        )
        ordered = bad[::2]
        n = ordered.size
        status = pick(
            self.rng, {"rectified": 0.85, "open": 0.05, "warned": 0.05, "escalated": 0.05}, n
        )
        issued = self.day[ordered]
        closed = issued + self.rng.integers(1, 25, n)
        insert(
            Rectification,
            {
                "number": [f"示市监责改〔{YEAR}〕{i}号" for i in range(n)],
                "entity_id": self.entity[self.which[ordered]].tolist(),
                "unit_id": self.stations[self.station[ordered]].tolist(),
                "inspection_id": self.inspection[ordered].tolist(),
                "requirements": ["限期亮照经营"] * n,
                "issued_on": days(issued),
                "working_days": [10] * n,
                "deadline": days(issued + 14),
                "issued_by_id": self.officer[ordered].tolist(),
                "status": status,
                "warned_on": [
                    d if s in ("warned", "escalated") else None
                    for s, d in zip(status, days(issued + 15), strict=True)
                ],
                "closed_on": [
                    d if s in ("rectified", "escalated") else None
                    for s, d in zip(status, days(closed), strict=True)
                ],
            },
        )
        changed = self.rng.choice(self.entity, self.entity.size // 50, replace=False)
        field = np.where(self.rng.random(changed.size) < 0.5, "risk_class", "credit_grade")
        grades = self.rng.choice(["A", "B", "C"], changed.size)
        classes = self.rng.choice(["II", "III"], changed.size)
        insert(
            ClassificationChange,
            {
                "entity_id": changed.tolist(),
                "field": field.tolist(),
                "old_value": np.where(field == "risk_class", classes, grades).tolist(),
                "new_value": np.where(field == "risk_class", "I", "D").tolist(),
                "reason": ["检查发现问题，调整分类"] * changed.size,
                "changed_at": at_noon(self.rng.integers(0, DAYS, changed.size)),
            },
        )
        flagged = np.sort(self.rng.choice(self.inspection.size, self.inspection.size // 100, False))
        n = flagged.size
        insert(
            TraceFlag,
            {
                "inspection_id": self.inspection[flagged].tolist(),
                "unit_id": self.stations[self.station[flagged]].tolist(),
                "kind": pick(self.rng, {"far": 0.4, "short": 0.3, "many": 0.1, "late": 0.2}, n),
                "detail": ["签到位置距主体 2.3 公里"] * n,
                "status": pick(self.rng, {"open": 0.2, "cleared": 0.7, "confirmed": 0.1}, n),
                "raised_at": at_noon(self.day[flagged] + 1),
            },
        )

    def tasks(self, per_plan: int) -> int:
        """A patrol plan per station and month, each with ``per_plan`` tasks of distinct
        entities of the station: done (on time or late), not done, overflow or cancelled."""
        from xiaoneng.planning.patrol.models import Plan, Task

        columns: dict[str, list[Any]] = {
            k: []
            for k in (
                "plan_id",
                "entity_id",
                "unit_id",
                "period",
                "officer_id",
                "due_on",
                "scheduled_on",
                "status",
                "done_on",
                "overflow_reason",
            )
        }
        for s, station in enumerate(self.stations.tolist()):
            pool = np.flatnonzero(self.entity_station == s)
            for month in range(1, 13):
                key = f"{YEAR}-{month:02d}"
                plan = Plan.objects.create(
                    kind="patrol", period=key, unit_id=station, title=f"{key}巡查计划", capacity=6
                ).pk
                n = min(per_plan, pool.size)
                first = (dt.date(YEAR, month, 1) - FIRST).days
                last = (dt.date(YEAR + month // 12, month % 12 + 1, 1) - FIRST).days - 1
                due = self.rng.integers(first, last + 1, n)
                dated = self.rng.random(n) < 0.5
                deadline = np.where(dated, due, last)
                status = np.array(
                    pick(
                        self.rng,
                        {"done": 0.85, "planned": 0.1, "overflow": 0.03, "cancelled": 0.02},
                        n,
                    )
                )
                late = self.rng.random(n) < 0.2
                done = np.where(
                    late,
                    deadline + self.rng.integers(1, 20, n),
                    np.maximum(deadline - self.rng.integers(0, 20, n), first),
                )
                columns["plan_id"] += [plan] * n
                columns["entity_id"] += self.entity[self.rng.choice(pool, n, False)].tolist()
                columns["unit_id"] += [station] * n
                columns["period"] += [key] * n
                officers = self.officers[s, self.rng.integers(0, PER_STATION, n)].tolist()
                columns["officer_id"] += [
                    None if st == "overflow" else o for st, o in zip(status, officers, strict=True)
                ]
                columns["due_on"] += [
                    d if k else None for d, k in zip(days(due), dated, strict=True)
                ]
                columns["scheduled_on"] += days(deadline)
                columns["status"] += status.tolist()
                columns["done_on"] += [
                    d if st == "done" else None for d, st in zip(days(done), status, strict=True)
                ]
                columns["overflow_reason"] += [
                    "capacity" if st == "overflow" else "" for st in status
                ]
        insert(Task, columns)
        return len(columns["plan_id"])

    def training(self, sessions: int) -> None:
        """Sessions through the year, each attended by about a quarter of the officers."""
        from xiaoneng.org.training.models import Attendance, Topic, TrainingSession

        officers, session_ids = self.officers.ravel(), []
        for k in range(sessions):
            session_ids.append(
                TrainingSession.objects.create(
                    title=f"业务培训第{k + 1}期",
                    topic=list(Topic)[k % len(Topic)].value,
                    organiser_id=self.bureau,
                    held_on=FIRST + dt.timedelta(days=k * DAYS // sessions),
                    hours=Decimal(2 + k % 3),
                ).pk
            )
        pairs = [
            (s, o)
            for s in session_ids
            for o in self.rng.choice(officers, officers.size // 4, False).tolist()
        ]
        insert(
            Attendance,
            {
                "session_id": [s for s, _o in pairs],
                "officer_id": [o for _s, o in pairs],
                "status": pick(
                    self.rng, {"attended": 0.9, "absent": 0.05, "excused": 0.05}, len(pairs)
                ),
            },
        )
