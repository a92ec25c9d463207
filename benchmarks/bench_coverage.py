"""Coverage report (篇3) and staffing balance (篇5) with 1,000,000 entities in the database.

Figures, for a bureau leader (every entity) on one database filled in bulk as
``entities.fill_bulk`` fills it, plus the demo's responsibility table, sizes and officers:

- the demo's table and sizes (``demo.planning.coverage.build_coverage``: every entity's floor
  area and staff, with their trace, written in bulk);
- the work-safety report (``coverage.compute`` + ``summarise``), against the per-entity ORM
  loop (each entity and its measure as model instances, each rule tested in Python) timed on
  a sample and scaled;
- a drill-down page (``GET /coverage/entities/?kind=blank&industry=H62``) and the staffing
  page (``GET /staffing/``), served in process by Django's test client.

    python benchmarks/bench_coverage.py [--quick] [--postgres] [--keep] [--entities N]
"""

from __future__ import annotations

import statistics
from typing import Any

import numpy as np

import common
from common import Figure, say, timed
from entities import analyze, fill_bulk

NAME = "coverage"
SAMPLE = 5000
LIMITS = {"build": None, "report": 10.0, "drill": 10.0, "staffing": 2.0}


def organisation() -> tuple[Any, Any, Any]:
    """Divisions like the demo's, officers at every station, a leader and a director."""
    from xiaoneng.demo.org import DIVISIONS
    from xiaoneng.org import services
    from xiaoneng.org.models import Officer, Role, Unit

    bureau = Unit.objects.get(kind=Unit.Kind.BUREAU)
    for code, name in DIVISIONS:
        services.create_unit(
            code=f"BENCH-{code}",
            name=name,
            kind=Unit.Kind.DIVISION,
            parent=bureau,
            region_code=common.REGION,
        )
    stations = list(Unit.objects.filter(kind=Unit.Kind.STATION).order_by("code"))
    officers = [
        Officer(username=f"bench_{s.code}_{i}", name=f"干部{i}", unit=s)
        for k, s in enumerate(stations)
        for i in range(8 + 3 * k)
    ]
    Officer.objects.bulk_create(officers)
    leader = services.create_officer(
        username="bench_leader", name="局领导", unit=bureau, roles=[Role.BUREAU_LEADER]
    )
    director = services.create_officer(
        username="bench_director", name="所长", unit=stations[0], roles=[Role.STATION_DIRECTOR]
    )
    return bureau, leader, director


def orm_loop_seconds(count: int) -> float:
    """The per-entity way on a sample, scaled to ``count``."""
    from xiaoneng.planning.analysis.models import ResponsibilityRule
    from xiaoneng.registry.models import Entity

    rules = list(
        ResponsibilityRule.objects.filter(matter="work_safety").select_related("department")
    )

    def loop() -> tuple[int, int]:
        duplicates = blanks = 0
        active = Entity.objects.filter(archived_at__isnull=True, status="operating")
        for entity in active.select_related("measure").order_by("pk")[:SAMPLE]:
            measure = getattr(entity, "measure", None)
            departments = set()
            for rule in rules:
                if not entity.industry_id.startswith(rule.industry_prefix):
                    continue
                size = None
                if measure is not None:
                    size = (
                        measure.floor_area_m2 if rule.measure == "floor_area" else measure.employees
                    )
                if rule.min_value is not None and (size is None or size < rule.min_value):
                    continue
                if rule.max_value is not None and (size is None or size >= rule.max_value):
                    continue
                departments.add(rule.department_id)
            duplicates += len(departments) >= 2
            blanks += not departments
        return duplicates, blanks

    spent, _ = timed(loop)
    return spent * count / SAMPLE


def main() -> None:
    parser = common.arguments(__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, help="entities to fill (default 1,000,000)")
    options = parser.parse_args()
    count = options.entities or (50_000 if options.quick else 1_000_000)
    common.fresh_django(NAME, postgres=options.postgres)
    from django.test import Client

    from xiaoneng.demo.planning import build_coverage
    from xiaoneng.planning.analysis import coverage, staffing

    fill_bulk(count)
    bureau, leader, director = organisation()
    built, _ = timed(lambda: build_coverage(np.random.default_rng(1), bureau, progress=say))
    analyze()
    vendor = common.vendor()

    def report() -> Any:
        return coverage.summarise(coverage.compute(matter="work_safety", user=leader))

    summary = report()
    say(
        f"work safety: {summary.total:,} entities, {summary.duplicates:,} duplicates, "
        f"{summary.blanks:,} blanks"
    )
    runs = 3
    report_s = statistics.median(timed(report)[0] for _ in range(runs))
    baseline = orm_loop_seconds(summary.total)
    client = Client()
    client.force_login(leader)

    def get(path: str) -> float:
        spent, response = timed(lambda: client.get(path))
        assert response.status_code == 200, (path, response.status_code)
        return spent

    drill_s = statistics.median(
        get("/coverage/entities/?kind=blank&industry=H62") for _ in range(runs)
    )
    staffing_s = statistics.median(get("/staffing/") for _ in range(runs))
    compute_s = statistics.median(
        timed(lambda: staffing.compute(user=leader, settings=staffing.Settings()))[0]
        for _ in range(runs)
    )
    director_s = statistics.median(
        timed(lambda: coverage.compute(matter="work_safety", user=director))[0] for _ in range(runs)
    )
    n = f"{count:,} entities"
    figures = [
        Figure(
            NAME,
            f"{vendor} demo table and sizes, {n}",
            built,
            "s",
            LIMITS["build"],
            note="measures and their trace written in bulk",
        ),
        Figure(
            NAME,
            f"{vendor} work-safety report (leader), {n}",
            report_s,
            "s",
            LIMITS["report"],
            baseline=baseline,
            baseline_label="per-entity ORM loop, scaled",
        ),
        Figure(
            NAME,
            f"{vendor} work-safety report (one station's director), {n}",
            director_s,
            "s",
            LIMITS["report"],
        ),
        Figure(
            NAME, f"{vendor} drill-down page, blanks of H62, {n}", drill_s, "s", LIMITS["drill"]
        ),
        Figure(
            NAME,
            f"{vendor} staffing page, {n}",
            staffing_s,
            "s",
            LIMITS["staffing"],
            note=f"of which the computation {compute_s:.2f} s",
        ),
    ]
    common.report(figures)
    if not options.keep:
        common.drop_database(NAME, postgres=options.postgres)


if __name__ == "__main__":
    main()
