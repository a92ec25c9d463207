"""The period report over 1,000,000 signed inspections and 100,000 cases (target ≤ 5 s).

Figures, on the same database: ``reports.period.period_report`` — every figure of the report:
inspections by kind and origin, distinct entities, findings, rectification orders, cases by
kind, money collected, confiscated goods, target completion, campaigns, product sampling,
trace flags, director reviews and supervision — for a half-year and a full year, for the
bureau (no unit filter) and for one station (its subtree), each the median of a few runs.

Baseline: one ``SELECT COUNT(*)`` of the same period's signed inspections (in the station's
units for a station), in the same process — the report's first filter with nothing else —
printed beside each figure (ratio = baseline / figure: 0.1 means the whole report costs ten
such bare counts). The report is a few dozen aggregate queries on indexed date columns
(``Inspection(visited_on, status)``, ``Case(filed_on, unit)``, ``Collection(collected_on,
unit)``), so it costs a small multiple of that count.

The database (``county_year.py``, ``county_cases.py``) holds a county-like organisation (a
bureau, 8 stations, 73 Voronoi grids, ten officers a station), 100,000 entities, and for one
year (2025): 1,000,000 signed inspections (about 4 % with a failed item, each giving a finding,
half of those a rectification order), 1 % of them flagged by the trace checks, director
reviews each month, supervision items, three campaigns of 10,000 tasks with their inspections
and teams, 100,000 cases with about 100,000 collections and 10,000 confiscated goods, annual
targets, 5,000 product samples with the follow-up of each failure. Everything is written in
bulk, without the trace.

    python benchmarks/bench_report.py [--quick] [--postgres] [--keep] [--inspections N]
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import common
import county_cases
from common import Figure, say, timed
from county_year import FIRST, YEAR, CountyYear

NAME = "report"
LIMIT_S = 5.0
# Two database benchmarks may run at once (several engineers, one server): this one keeps
# its own PostgreSQL database.
common.PG_DATABASE = "xiaoneng_bench_report"


def fill(inspections: int, cases: int, entities: int) -> CountyYear:
    from django.db import connection

    filler = CountyYear(seed=5)
    steps = [
        ("organisation and entities", lambda: filler.organisation(entities)),
        ("inspections", lambda: filler.inspections(inspections)),
        ("findings, rectifications, trace flags", filler.follow_up),
        ("director reviews and supervision", filler.oversight),
        ("campaigns", lambda: filler.campaigns(min(10_000, inspections // 100))),
        ("cases, collections, goods, targets", lambda: county_cases.cases(filler, cases)),
        ("product samples", lambda: county_cases.samples(filler, max(500, cases // 20))),
    ]
    for label, step in steps:
        spent, _ = timed(step)
        say(f"  {label}: {spent:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return filler


# Measuring -------------------------------------------------------------------------------------


def measure(filler: CountyYear, runs: int) -> list[Figure]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from xiaoneng.inspections.models import Inspection
    from xiaoneng.org.models import Unit
    from xiaoneng.reports.period import period_report
    from xiaoneng.reports.text import sentences

    station = Unit.objects.get(pk=filler.stations[0])
    today = dt.date(YEAR + 1, 1, 15)
    vendor = common.vendor()
    figures = []
    cases = [
        ("bureau", None, dt.date(YEAR, 6, 30), "half-year"),
        ("bureau", None, dt.date(YEAR, 12, 31), "full year"),
        (station.code, station, dt.date(YEAR, 6, 30), "half-year"),
        (station.code, station, dt.date(YEAR, 12, 31), "full year"),
    ]
    for label, unit, end, span in cases:

        def work(unit: Any = unit, end: dt.date = end) -> Any:
            return period_report(start=FIRST, end=end, unit=unit, user=None, today=today)

        def bare_count(unit: Any = unit, end: dt.date = end) -> int:
            rows = Inspection.objects.filter(visited_on__range=(FIRST, end), status="signed")
            return (rows.filter(unit=unit) if unit else rows).count()

        baseline = common.median_seconds(bare_count, runs=runs, warmup=1)
        with CaptureQueriesContext(connection) as queries:
            result = work()
        seconds = common.median_seconds(work, runs=runs, warmup=1)
        say(
            f"{label} {span}: {seconds:.2f} s, {len(queries)} queries — "
            f"{result.inspections.signed:,} inspections, {result.cases.filed:,} cases; "
            f"baseline COUNT(*) {baseline * 1000:.0f} ms"
        )
        if unit is None and span == "full year":
            for text in sentences(result):
                say(f"    {text}")
        figures.append(
            Figure(
                NAME,
                f"{vendor}: period report, {label}, {span}",
                seconds,
                "s",
                limit=LIMIT_S,
                baseline=baseline,
                baseline_label="one COUNT(*) of the period's signed inspections",
                note=f"{len(queries)} queries; {result.inspections.signed:,} signed inspections "
                f"and {result.cases.filed:,} cases in the period; baseline = one COUNT(*) of "
                "those inspections (the report's first filter alone)",
            )
        )
    return figures


def main() -> None:
    parser = common.arguments(__doc__.splitlines()[0])
    parser.add_argument("--inspections", type=int, help="inspections (default 1,000,000)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each case")
    options = parser.parse_args()
    inspections = options.inspections or (100_000 if options.quick else 1_000_000)
    cases = inspections // 10
    entities = max(10_000, inspections // 10)
    common.fresh_django(NAME, postgres=options.postgres)
    spent, filler = timed(lambda: fill(inspections, cases, entities))
    say(f"filled in {spent:.0f} s")
    try:
        figures = measure(filler, options.runs)
    finally:
        if not options.keep:
            common.drop_database(NAME, postgres=options.postgres)
    common.report(figures)


if __name__ == "__main__":
    main()
