"""Assessment scores (效能考核, issue 13) of 1,000 officers over a year (target ≤ 10 s).

Figures: ``reports.assessment.services.compute`` for the year 2026 under the recommended scheme
(``default_items`` saved with ``save_scheme``) — every indicator's ``measure`` for all the
subjects at once, the scores, totals and ranks, and the stored results — for the 1,000 officers
and for the 20 stations, each the median of a few runs, with the time of every indicator (each
``Indicator.measure`` wrapped) and the rest (scores, ranks, writing the results).

Baseline, same process and database: the same indicators one subject at a time — each
indicator's ``measure`` called with a single subject id, for 20 officers (scaled to all of
them) and for every station — the loop a first version would write.

The database: a bureau, 20 stations of 50 officers (10 grids each, every grid with its
officer), 100,000 entities (``entities.py``), and for 2026: 1,000,000 signed inspections by
the station's officers (findings more often for class Ⅰ trades and grade C/D entities; 2 % of
the entities changed class or grade during the year), half of the findings with a
rectification order (most rectified), patrol tasks of monthly plans (done or not, on time or
late, some overflow and cancelled), 100,000 cases with their collections and annual targets,
100,000 callbacks on inspections (answered with satisfaction), 50,000 timed service matters
with yellow and red warnings (their clocks only: the indicator reads no service case), trace
flags on 1 % of the inspections (a tenth confirmed false) and 40 training sessions with their
attendance. Written in bulk (``core.bulk.insert``: COPY on PostgreSQL), not through the
services: the county and its inspections in ``assessment_year.py``, cases, callbacks and
timed matters here.

    python benchmarks/bench_assessment.py [--quick] [--postgres] [--keep] [--reuse] [--runs N]
"""

from __future__ import annotations

import dataclasses
import os
import statistics
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import numpy as np

import common
from assessment_year import DAYS, STATIONS, YEAR, Year, at_noon, days
from common import Figure, say, timed
from county_year import insert, pick

NAME = "assessment"
LIMIT_S = 10.0
SAMPLE = 20
common.PG_DATABASE = "xiaoneng_bench_assessment"


# Filling the service side (the rest: assessment_year.py) -------------------------------


def cases(year: Year, count: int) -> None:
    """Cases filed through the year with their collections, and the annual targets."""
    from xiaoneng.cases.models import Case, Collection, Target

    station = year.rng.integers(0, STATIONS, count)
    units = year.stations[station]
    filed = np.sort(year.rng.integers(0, DAYS, count))
    value = year.rng.integers(1_000, 500_000, count)
    ids = insert(
        Case,
        {
            "number": [f"示市监案〔{YEAR}〕{i:06d}号" for i in range(count)],
            "title": ["销售不合格商品案"] * count,
            "kind": pick(year.rng, {"food": 0.4, "quality": 0.3, "other": 0.3}, count),
            "party": ["基准测试经营部"] * count,
            "unit_id": units.tolist(),
            "region_code": [common.REGION] * count,
            "handler_id": year.officer_in(station).tolist(),
            "status": pick(
                year.rng,
                {"closed": 0.7, "executing": 0.1, "investigating": 0.19, "withdrawn": 0.01},
                count,
            ),
            "case_value": [Decimal(v) for v in value.tolist()],
            "received_on": days(np.maximum(filed - 5, 0)),
            "filed_on": days(filed),
            "stage_started_on": days(filed),
        },
    )
    paid = np.flatnonzero(year.rng.random(count) < 0.9)
    collected = filed[paid] + year.rng.integers(15, 120, paid.size)
    insert(
        Collection,
        {
            "case_id": np.array(ids)[paid].tolist(),
            "kind": np.where(year.rng.random(paid.size) < 0.7, "fine", "confiscation").tolist(),
            "amount": [Decimal(v) for v in (value[paid] // 10).tolist()],
            "collected_on": days(collected),
            "unit_id": units[paid].tolist(),
        },
    )
    for unit, share in [(year.bureau, 1.0)] + [(s, 1 / STATIONS) for s in year.stations.tolist()]:
        Target.objects.create(
            unit_id=unit, year=YEAR, metric="cases", value=int(count * share * 1.1)
        )
        Target.objects.create(
            unit_id=unit, year=YEAR, metric="fines_collected", value=int(25_000 * count * share)
        )


def callbacks(year: Year, count: int) -> None:
    """Callbacks on inspections: 90 % reached, of them 95 % with an overall answer."""
    from xiaoneng.timeliness.callbacks.models import Callback

    rows = year.rng.integers(0, year.inspection.size, count)
    reached = year.rng.random(count) < 0.9
    answer = pick(year.rng, {"satisfied": 0.85, "basic": 0.1, "unsatisfied": 0.05}, count)
    answered = reached & (year.rng.random(count) < 0.95)
    insert(
        Callback,
        {
            "subject_kind": ["inspection"] * count,
            "inspection_id": year.inspection[rows].tolist(),
            "subject": ["日常监督检查"] * count,
            "unit_id": year.stations[year.station[rows]].tolist(),
            "officer_id": year.officer[rows].tolist(),
            "party": ["经营者"] * count,
            "channel": np.where(year.rng.random(count) < 0.8, "phone", "on_site").tolist(),
            "status": np.where(reached, "done", "unreachable").tolist(),
            "called_on": days(
                np.minimum(year.day[rows] + year.rng.integers(3, 20, count), DAYS - 1)
            ),
            "overall": [a if k else "" for a, k in zip(answer, answered, strict=True)],
        },
    )


def clocks(year: Year, count: int) -> None:
    """Timed service matters through the year; about 15 % warned yellow, 5 % red too."""
    from xiaoneng.timeliness.clocks.models import Clock, Warning

    station = year.rng.integers(0, STATIONS, count)
    officer = year.officer_in(station)
    started = year.rng.integers(0, DAYS, count)
    limit = year.rng.choice([5, 10, 15, 20], count)
    due = started + limit * 7 // 5
    level = np.array(pick(year.rng, {"": 0.8, "yellow": 0.15, "red": 0.05}, count))
    stopped = np.where(level == "red", due + 3, started + limit // 2)
    ids = np.array(
        insert(
            Clock,
            {
                "kind": ["service"] * count,
                "subject_type": ["service_case"] * count,
                "subject_id": list(range(1, count + 1)),
                "subject": ["营业执照变更登记"] * count,
                "unit_id": year.stations[station].tolist(),
                "officer_id": officer.tolist(),
                "region_code": [common.REGION] * count,
                "started_on": days(started),
                "limit_days": limit.tolist(),
                "statutory_days": (limit * 2).tolist(),
                "basis": ["承诺时限"] * count,
                "due_on": days(due),
                "stopped_on": [None if k % 20 == 0 else d for k, d in enumerate(days(stopped))],
                "level": level.tolist(),
            },
        )
    )
    for colour, rows, when in (
        ("yellow", np.flatnonzero(level != ""), started + (limit * 7 // 5) * 4 // 5),
        ("red", np.flatnonzero(level == "red"), due + 1),
    ):
        insert(
            Warning,
            {
                "clock_id": ids[rows].tolist(),
                "level": [colour] * rows.size,
                "unit_id": year.stations[station[rows]].tolist(),
                "officer_id": officer[rows].tolist(),
                "raised_on": days(when[rows]),
                "raised_at": at_noon(when[rows]),
                "due_on": days(due[rows]),
                "used_days": limit[rows].tolist(),
                "limit_days": limit[rows].tolist(),
            },
        )


def fill(inspections: int) -> None:
    from django.db import connection

    year = Year(seed=26)
    steps: list[tuple[str, Callable[[], Any]]] = [
        ("organisation, officers and entities", lambda: year.organisation(inspections // 10)),
        ("inspections", lambda: year.inspections(inspections)),
        ("findings, orders, class changes, trace flags", year.follow_up),
        ("patrol tasks", lambda: year.tasks(inspections // 1_200)),
        ("cases, collections, targets", lambda: cases(year, inspections // 10)),
        ("callbacks", lambda: callbacks(year, inspections // 10)),
        ("timed matters and warnings", lambda: clocks(year, inspections // 20)),
        ("training", lambda: year.training(40)),
    ]
    for label, step in steps:
        spent, _ = timed(step)
        say(f"  {label}: {spent:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


# Measuring -------------------------------------------------------------------------------------


class Clocked:
    """Every indicator's ``measure`` wrapped in the catalogue to add up its seconds."""

    def __init__(self) -> None:
        from xiaoneng.reports.assessment import catalogue

        self.catalogue = catalogue.load()
        self.original = dict(self.catalogue)
        self.seconds: dict[str, float] = {}
        for code, indicator in self.original.items():
            self.catalogue[code] = dataclasses.replace(indicator, measure=self._wrap(code))

    def _wrap(self, code: str) -> Callable[..., Any]:
        measure = self.original[code].measure

        def timed_measure(*args: Any) -> Any:
            started = time.perf_counter()
            try:
                return measure(*args)
            finally:
                self.seconds[code] = self.seconds.get(code, 0.0) + time.perf_counter() - started

        return timed_measure


def load() -> str:
    return " / ".join(f"{v:.2f}" for v in os.getloadavg())


def measure(runs: int) -> list[Figure]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from xiaoneng.reports.assessment import services
    from xiaoneng.reports.assessment.catalogue import OFFICER, STATION
    from xiaoneng.reports.assessment.periods import parse_period

    period = parse_period(str(YEAR))
    clocked = Clocked()
    vendor, figures = common.vendor(), []
    for kind in (OFFICER, STATION):
        items = services.default_items(kind)
        services.save_scheme(kind=kind, year=YEAR, name="基准测试方案", items=items, actor=None)
        subjects = [pk for pk, _unit in services.subjects(kind)]
        with CaptureQueriesContext(connection) as queries:  # the warm-up run
            assessment = services.compute(kind=kind, period=period, actor=None)
        ranked = assessment.results.exclude(rank=None).count()
        totals: list[float] = []
        per: dict[str, list[float]] = {item.indicator: [] for item in items}
        for _ in range(runs):
            clocked.seconds.clear()
            started = time.perf_counter()
            services.compute(kind=kind, period=period, actor=None)
            totals.append(time.perf_counter() - started)
            for code in per:
                per[code].append(clocked.seconds.get(code, 0.0))
        seconds = statistics.median(totals)
        split = {code: statistics.median(values) for code, values in per.items()}
        rest = seconds - sum(split.values())
        say(
            f"{kind}: {seconds:.2f} s for {len(subjects):,} subjects ({ranked:,} ranked), "
            f"{len(queries)} queries; load {load()}"
        )
        sample = subjects[:: max(1, len(subjects) // SAMPLE)][:SAMPLE]
        scale = len(subjects) / len(sample)
        loop: dict[str, float] = {}
        for item in items:
            measure_one = clocked.original[item.indicator].measure
            started = time.perf_counter()
            for sid in sample:
                measure_one(kind, [sid], period)
            loop[item.indicator] = scale * (time.perf_counter() - started)
        baseline = sum(loop.values())
        for code, spent in sorted(split.items(), key=lambda kv: -kv[1]):
            say(
                f"  {code:24} {spent:7.2f} s   one subject at a time, scaled: "
                f"{loop[code]:8.1f} s ({loop[code] / spent if spent else 0:.0f}×)"
            )
        say(f"  {'scores, ranks, writing':24} {rest:7.2f} s")
        say(
            f"  baseline: {baseline:.0f} s ({baseline / seconds:.0f}×), "
            f"{len(sample)} subjects × {len(items)} indicators, scaled ×{scale:g}"
        )
        parts = ", ".join(
            f"{code} {spent:.2f}" for code, spent in sorted(split.items(), key=lambda kv: -kv[1])
        )
        figures.append(
            Figure(
                benchmark=NAME,
                case=f"{vendor}: compute(), {len(subjects):,} {kind}s, year {YEAR}",
                value=seconds,
                unit="s",
                limit=LIMIT_S,
                baseline=baseline,
                baseline_label=f"each indicator one subject at a time, {len(sample)} subjects, "
                "scaled",
                note=f"{len(queries)} queries; indicators (s): {parts}; scores, ranks, writing "
                f"{rest:.2f}; load {load()}",
            )
        )
    return figures


FIRST_PAINT_S = 1.0


def cockpit_figures(runs: int) -> list[Figure]:
    """The leader's cockpit (效能驾驶舱, the leader's home) on this data: the first paint — the
    page's HTML with the stored figures of the latest month, the stations' trend over eleven
    months and the heat map — against 1 s; then what the page loads after it (today's live
    counts, the grid map's grids with their figures) and a director's cockpit, without targets.
    Baseline, same process: the scheme list, a plain page of the same site."""
    from django.test import Client

    from xiaoneng.org import services as org
    from xiaoneng.org.models import Officer, Role, Unit
    from xiaoneng.reports.assessment import services
    from xiaoneng.reports.assessment.catalogue import OFFICER, STATION
    from xiaoneng.reports.assessment.periods import parse_period

    months = [f"{YEAR}-{m:02d}" for m in range(1, 12)]
    spent, _none = timed(
        lambda: (
            [services.compute(kind=STATION, period=parse_period(m), actor=None) for m in months]
            + [services.compute(kind=OFFICER, period=parse_period(months[-1]), actor=None)]
        )
    )
    say(f"cockpit: {len(months)} station months and one officer month computed in {spent:.1f} s")
    bureau = Unit.objects.get(kind=Unit.Kind.BUREAU)
    station = Unit.objects.filter(kind=Unit.Kind.STATION).order_by("code").first()

    def person(username: str, name: str, unit: Any, role: str) -> Any:
        # A --reuse run finds them from the run before.
        found = Officer.objects.filter(username=username).first()
        return found or org.create_officer(username=username, name=name, unit=unit, roles=[role])

    people = {
        "leader": person("bench_leader", "局领导", bureau, Role.BUREAU_LEADER),
        "director": person("bench_director", "所长", station, Role.STATION_DIRECTOR),
    }
    clients = {}
    for role, person in people.items():
        clients[role] = Client()
        clients[role].force_login(person)

    def median(role: str, path: str) -> float:
        def get() -> Any:
            response = clients[role].get(path)
            if response.status_code != 200:
                raise SystemExit(f"GET {path} as {role} answered {response.status_code}")
            return response

        get()  # warm-up
        return statistics.median(timed(get)[0] for _ in range(runs))

    baseline = median("leader", "/assessment/schemes/")
    vendor = common.vendor()
    cases = [
        ("leader", "/assessment/cockpit/", "first paint of the leader's cockpit", FIRST_PAINT_S),
        ("director", "/assessment/cockpit/", "first paint of a director's cockpit", None),
        ("leader", "/assessment/cockpit/today/", "leader: today's live counts (after paint)", None),
        (
            "leader",
            "/api/v1/grids",
            "leader: the map's grids with their figures (after paint)",
            None,
        ),
    ]
    figures = []
    for role, path, label, limit in cases:
        seconds = median(role, path)
        say(f"{label}: {seconds * 1000:.0f} ms (scheme list {baseline * 1000:.0f} ms)")
        figures.append(
            Figure(
                benchmark=NAME,
                case=f"{vendor}: {label}, GET {path}",
                value=seconds,
                unit="s",
                limit=limit,
                baseline=baseline,
                baseline_label="GET /assessment/schemes/ (a plain page), same process",
                note=f"median of {runs}; load {load()}",
            )
        )
    return figures


def main() -> None:
    parser = common.arguments(__doc__.splitlines()[0])
    parser.add_argument("--inspections", type=int, help="inspections (default 1,000,000)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each case")
    parser.add_argument(
        "--reuse", action="store_true", help="use the database a --keep run left, unfilled"
    )
    options = parser.parse_args()
    count = options.inspections or (100_000 if options.quick else 1_000_000)
    if options.reuse:
        common.setup_django(common.database_url(NAME, postgres=options.postgres))
        from django.core.management import call_command

        # The assessment's own tables hold only what the runs wrote: rebuilt, as its models
        # may have moved on since the fill.
        call_command("migrate", "assessment", "zero", verbosity=0, interactive=False)
        common.migrate()
    else:
        common.fresh_django(NAME, postgres=options.postgres)
    try:
        if not options.reuse:
            spent, _none = timed(lambda: fill(count))
            say(f"filled {count:,} inspections and the rest in {spent:.0f} s (load {load()})")
        figures = measure(options.runs)
        figures += cockpit_figures(max(options.runs, 5))
    finally:
        if not options.keep:
            common.drop_database(NAME, postgres=options.postgres)
    common.report(figures)


if __name__ == "__main__":
    main()
