"""A county's year for the report benchmark, written in bulk column by column, without the
trace: a bureau, 8 stations, 73 Voronoi grids and ten officers a station, the register
(``entities.py``), signed inspections with their findings, rectification orders and trace flags,
director reviews each month, supervision items, and three campaigns with their tasks and
teams. Cases, collections and samples: ``county_cases.py``.

Used by ``bench_report``; not a benchmark itself (``run.py`` names the scripts it runs).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

import common
import entities

YEAR = 2025
FIRST = dt.date(YEAR, 1, 1)
DAYS = 365
BATCH = 100_000

ORIGINS = {
    "patrol": 0.6,
    "draw": 0.1,
    "campaign": 0.05,
    "reinspection": 0.05,
    "complaint": 0.1,
    "ad_hoc": 0.1,
}


def pick(rng: np.random.Generator, shares: dict[str, float], n: int) -> list[str]:
    return rng.choice(list(shares), n, p=list(shares.values())).tolist()


def days(numbers: np.ndarray) -> list[dt.date]:
    table = [FIRST + dt.timedelta(days=int(d)) for d in range(DAYS + 200)]
    return [table[int(n)] for n in numbers.tolist()]


def insert(model: Any, columns: dict[str, list[Any]]) -> list[int]:
    """Rows in batches, one transaction a batch; their ids."""
    from django.db import transaction

    from xiaoneng.core import bulk

    n = len(next(iter(columns.values())))
    ids: list[int] = []
    for start in range(0, n, BATCH):
        part = {k: v[start : start + BATCH] for k, v in columns.items()}
        with transaction.atomic():
            ids += bulk.insert(model, part, len(next(iter(part.values()))))
    return ids


def checklist_item(effective_on: dt.date) -> tuple[int, int]:
    """(checklist, item): the one checklist and item the benchmarks' inspections are filled
    against."""
    from xiaoneng.inspections.models import Checklist, ChecklistItem

    checklist = Checklist.objects.create(
        code="bench", version=1, title="基准检查清单", kind="onsite", effective_on=effective_on
    )
    item = ChecklistItem.objects.create(
        checklist=checklist,
        number="1",
        position=1,
        title="亮照经营",
        method="查看营业执照",
        legal_basis="《市场主体登记管理条例》第三十六条",
        severity="minor",
    )
    return checklist.pk, item.pk


class CountyYear:
    """The county's year, column by column."""

    def __init__(self, seed: int) -> None:
        self.rng = np.random.default_rng(seed)

    def organisation(self, count: int) -> None:
        from xiaoneng.org.models import Officer
        from xiaoneng.registry.models import Entity

        organisation = common.build_organisation(73, stations=8)
        self.bureau = organisation.bureau
        self.stations = [s.pk for s in organisation.stations]
        people = [
            Officer(username=f"bench{s}_{n}", name=f"干部{s}-{n}", unit_id=station)
            for s, station in enumerate(self.stations)
            for n in range(10)
        ]
        for person in people:
            person.set_unusable_password()
        Officer.objects.bulk_create(people)
        officers: dict[int, list[int]] = {}
        for pk, unit in Officer.objects.values_list("pk", "unit_id"):
            officers.setdefault(unit, []).append(pk)
        self.officers = {u: np.array(v) for u, v in officers.items()}
        entities.write_entities(entities.entity_columns(count, organisation, seed=1))
        rows = np.array(Entity.objects.values_list("pk", "unit_id").order_by("pk"))
        # Entities outside every grid belong to the bureau: give their records to station 1.
        rows[:, 1] = np.where(np.isin(rows[:, 1], self.stations), rows[:, 1], self.stations[0])
        self.entity, self.entity_unit = rows[:, 0], rows[:, 1]

    def officer_of(self, units: np.ndarray) -> list[int]:
        picks = self.rng.integers(0, 10, units.size)
        pairs = zip(units.tolist(), picks.tolist(), strict=True)
        return [int(self.officers[int(u)][p]) for u, p in pairs]

    def inspections(self, count: int) -> None:
        from xiaoneng.inspections.models import Inspection

        checklist, self.item = checklist_item(FIRST)
        which = self.rng.integers(0, self.entity.size, count)
        day = np.sort(self.rng.integers(0, DAYS, count))
        failed = np.where(self.rng.random(count) < 0.04, self.rng.integers(1, 4, count), 0)
        units = self.entity_unit[which]
        ids = insert(
            Inspection,
            {
                "entity_id": self.entity[which].tolist(),
                "unit_id": units.tolist(),
                "region_code": [common.REGION] * count,
                "origin": pick(self.rng, ORIGINS, count),
                "kind": np.where(self.rng.random(count) < 0.8, "onsite", "documentary").tolist(),
                "checklist_id": [checklist] * count,
                "status": ["signed"] * count,
                "lead_officer_id": self.officer_of(units),
                "visited_on": days(day),
                "items_failed": failed.tolist(),
            },
        )
        self.inspection = np.array(ids)
        self.inspection_entity, self.inspection_unit = self.entity[which], units
        self.inspection_day, self.failed = day, failed

    def follow_up(self) -> None:
        """Findings of the failed inspections, rectification orders for half, trace flags."""
        from xiaoneng.inspections.models import Finding, Rectification, TraceFlag

        bad = np.flatnonzero(self.failed)
        insert(
            Finding,
            {
                "inspection_id": self.inspection[bad].tolist(),
                "item_id": [self.item] * bad.size,
                "entity_id": self.inspection_entity[bad].tolist(),
                "unit_id": self.inspection_unit[bad].tolist(),
                "severity": pick(
                    self.rng, {"minor": 0.7, "major": 0.25, "critical": 0.05}, bad.size
                ),
                "description": ["未亮照经营"] * bad.size,
                "status": ["rectifying"] * bad.size,
                "found_on": days(self.inspection_day[bad]),
            },
        )
        ordered = bad[::2]
        n = ordered.size
        status = pick(
            self.rng, {"rectified": 0.8, "open": 0.08, "warned": 0.07, "escalated": 0.05}, n
        )
        issued = self.inspection_day[ordered]
        insert(
            Rectification,
            {
                "number": [f"示市监责改〔{YEAR}〕{i}号" for i in range(n)],
                "entity_id": self.inspection_entity[ordered].tolist(),
                "unit_id": self.inspection_unit[ordered].tolist(),
                "inspection_id": self.inspection[ordered].tolist(),
                "requirements": ["限期亮照经营"] * n,
                "issued_on": days(issued),
                "working_days": [10] * n,
                "deadline": days(issued + 14),
                "issued_by_id": self.officer_of(self.inspection_unit[ordered]),
                "status": status,
                "warned_on": [
                    d if s in ("warned", "escalated") else None
                    for s, d in zip(status, days(issued + 15), strict=True)
                ],
            },
        )
        flagged = np.sort(self.rng.choice(self.inspection.size, self.inspection.size // 100, False))
        n = flagged.size
        raised = [
            dt.datetime.combine(d, dt.time(20), tzinfo=dt.UTC)
            for d in days(self.inspection_day[flagged])
        ]
        insert(
            TraceFlag,
            {
                "inspection_id": self.inspection[flagged].tolist(),
                "unit_id": self.inspection_unit[flagged].tolist(),
                "kind": pick(self.rng, {"far": 0.4, "short": 0.3, "many": 0.1, "late": 0.2}, n),
                "detail": ["签到位置距主体 2.3 公里"] * n,
                "status": pick(self.rng, {"open": 0.2, "cleared": 0.6, "confirmed": 0.2}, n),
                "raised_at": raised,
            },
        )

    def oversight(self) -> None:
        """Director reviews of each station's month (20 a month) and supervision items."""
        from xiaoneng.oversight.reviews.models import DirectorReview, ReviewRound
        from xiaoneng.oversight.supervision.models import SupervisionItem

        months = (self.inspection_day * 12) // DAYS
        chosen: list[int] = []
        rounds: list[int] = []
        for station in self.stations:
            for month in range(12):
                pool = np.flatnonzero((self.inspection_unit == station) & (months == month))
                round_ = ReviewRound.objects.create(
                    unit_id=station,
                    month=f"{YEAR}-{month + 1:02d}",
                    rate="0.020",
                    seed="bench",
                    population=pool.size,
                    drawn_at=dt.datetime(YEAR, month + 1, 1, 1, tzinfo=dt.UTC),
                )
                picked = self.rng.choice(pool, min(20, pool.size), replace=False).tolist()
                chosen += picked
                rounds += [round_.pk] * len(picked)
        n = len(chosen)
        at = [
            dt.datetime.combine(d, dt.time(3), tzinfo=dt.UTC)
            for d in days(np.minimum(self.inspection_day[chosen] + 20, DAYS - 1))
        ]
        insert(
            DirectorReview,
            {
                "round_id": rounds,
                "inspection_id": self.inspection[chosen].tolist(),
                "unit_id": self.inspection_unit[chosen].tolist(),
                "status": pick(self.rng, {"confirmed": 0.85, "problem": 0.1, "pending": 0.05}, n),
                "reviewed_at": at,
            },
        )
        n = 400
        units = self.rng.choice(self.stations, n)
        issued = self.rng.integers(0, DAYS, n)
        insert(
            SupervisionItem,
            {
                "title": [f"督办事项{i}" for i in range(n)],
                "description": ["限期办结"] * n,
                "issued_by_unit_id": [self.bureau.pk] * n,
                "issued_by_id": self.officer_of(units),
                "unit_id": units.tolist(),
                "issued_on": days(issued),
                "deadline": days(issued + 15),
                "status": pick(self.rng, {"closed": 0.8, "open": 0.1, "answered": 0.1}, n),
            },
        )

    def team(self, units: np.ndarray) -> tuple[list[int], list[int]]:
        """Two different officers of each unit."""
        first = self.rng.integers(0, 10, units.size)
        second = (first + self.rng.integers(1, 10, units.size)) % 10
        pairs = zip(units.tolist(), first.tolist(), second.tolist(), strict=True)
        chosen = [(int(self.officers[u][a]), int(self.officers[u][b])) for u, a, b in pairs]
        return [a for a, _b in chosen], [b for _a, b in chosen]

    def campaigns(self, tasks: int) -> None:
        """Three campaigns of a month, each with up to ``tasks`` done tasks of distinct entities,
        every one with a signed inspection by a team of two."""
        from django.db import connection, transaction

        from xiaoneng.inspections.models import InspectionOfficer
        from xiaoneng.planning.patrol.models import Campaign, Plan, Task

        for title, start in [
            ("五类重点广告专项整治行动", 60),
            ("农资打假专项行动", 120),
            ("节前食品安全检查", 330),
        ]:
            plan = Plan.objects.create(
                kind="campaign", period=f"{YEAR}-01", unit=self.bureau, title=title, capacity=6
            )
            Campaign.objects.create(
                title=title,
                theme="theme",
                checkpoints="检查要点",
                unit=self.bureau,
                start_on=FIRST + dt.timedelta(days=start),
                end_on=FIRST + dt.timedelta(days=start + 30),
                population={"filters": {"industry": "F52"}},
                plan=plan,
            )
            window = (self.inspection_day >= start) & (self.inspection_day <= start + 30)
            pool = np.flatnonzero(window)
            _entities, first = np.unique(self.inspection_entity[pool], return_index=True)
            rows = pool[np.sort(first)][:tasks]
            n = rows.size
            units = self.inspection_unit[rows]
            found = self.rng.random(n) < 0.1
            task_ids = insert(
                Task,
                {
                    "plan_id": [plan.pk] * n,
                    "entity_id": self.inspection_entity[rows].tolist(),
                    "unit_id": units.tolist(),
                    "period": [f"{YEAR}-01"] * n,
                    "description": [f"专项整治：{title}"] * n,
                    "standard": ["检查要点"] * n,
                    "responsibility": ["网格责任人负责"] * n,
                    "status": ["done"] * n,
                    "done_on": days(self.inspection_day[rows]),
                    "violation_found": found.tolist(),
                    "notices_issued": found.astype(int).tolist(),
                    "items_confiscated": np.where(found, "违法印刷品广告", "").tolist(),
                    "items_confiscated_quantity": np.where(found, 50, 0).tolist(),
                },
            )
            pairs = list(zip(task_ids, self.inspection[rows].tolist(), strict=True))
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.executemany(
                    "UPDATE inspections_inspection SET task_id = %s, origin = 'campaign' "
                    "WHERE id = %s",
                    pairs,
                )
            lead, second = self.team(units)
            insert(
                InspectionOfficer,
                {
                    "inspection_id": self.inspection[rows].tolist() * 2,
                    "officer_id": lead + second,
                },
            )
