"""The province: 10,000,000 entities on PostgreSQL (issue 14, item 6).

One database, filled city by city (``province_world.py``: ten cities of 1,000,000 entities,
24 stations and 600 grids each, written with ``COPY``), measured three times in one process:

1. **city** — after the first city alone: 10⁶ entities, the same station as later;
2. **province** — after all ten: 10⁷ entities;
3. **trace** — after the trace table (``core_auditevent``) has grown by a year of activity
   (12,000,000 events).

Each time: the filtered entity list's first page, page and API, leader and station director
(``bench_entity_list.measure``: target ≤ 100 ms); one station's due dates and its month's
patrol plan (≤ 10 s) and the province's (≤ 100 s; at the city stage the whole database is the
city) — ``generate_patrol_plan`` inside a transaction rolled back afterwards, so that each
stage plans the same month on the same history; the period report of the year's inspections
for the province and the station (``bench_report.measure``, ≤ 10 s).

Figures: the province stage against the city stage (ratio = city / province: how much slower
ten times the rows are), and the trace stage against the province stage (ratio ≈ 1: the trace
does not slow these). The stages' own baselines (the unfiltered first page, one ``COUNT(*)``
of the period) are printed as each stage runs.

Always PostgreSQL (``--postgres`` is accepted for ``run.py``). The database,
``xiaoneng_bench_province`` (``…_province_quick`` with ``--quick``), took 47 minutes to
fill; with ``--keep`` it is kept, and a later run finds it (its entity count and
``benchmarks/out/<database>.json``, which holds the earlier stages' figures) and measures the
stages not yet measured, or again the last one.

    python benchmarks/bench_province.py [--quick] [--keep] [--fresh] [--runs N]
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
from functools import partial
from typing import Any

import bench_entity_list
import bench_report
import common
import entities
import province_world
from common import Figure, say, timed

NAME = "province"
PERIOD = "2026-12"
STAGES = ("city", "province", "trace")
LIMITS = {"plan station": 10.0, "plan province": 100.0, "report": 10.0}


@dataclasses.dataclass
class Sizes:
    cities: int
    entities: int  # a city's
    stations: int  # a city's
    grids: int  # a city's
    inspections: int  # a city's, in the year
    trace: int
    runs: int

    @property
    def total(self) -> int:
        return self.cities * self.entities


FULL = Sizes(10, 1_000_000, 24, 600, 500_000, 12_000_000, 10)
QUICK = Sizes(2, 100_000, 4, 40, 50_000, 400_000, 3)


class State:
    """What the kept database holds and the figures measured on it, in a JSON file beside."""

    def __init__(self, database: str) -> None:
        self.path = common.OUT / f"{database}.json"
        self.data: dict[str, Any] = {"stages": {}}

    def load(self) -> None:
        if self.path.exists():
            self.data = json.loads(self.path.read_text())

    def save(self) -> None:
        common.OUT.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(self.data, ensure_ascii=False, indent=1))

    def figures(self, stage: str) -> list[Figure]:
        return [Figure(**f) for f in self.data["stages"].get(stage, [])]


def database_exists(database: str) -> bool:
    import psycopg

    with psycopg.connect(f"{common.PG_SERVER}/postgres", autocommit=True) as admin:
        found = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database])
        return found.fetchone() is not None


def entity_count() -> int:
    from xiaoneng.registry.models import Entity

    return Entity.objects.count()


def machine() -> str:
    return "load average " + " / ".join(f"{v:.2f}" for v in os.getloadavg())


# Measuring ------------------------------------------------------------------------------------


def plans(station_code: str) -> list[Figure]:
    """Due dates and the month's plan of the station and of the province, each rolled back."""
    from django.db import transaction

    from xiaoneng.org.models import Unit
    from xiaoneng.planning.patrol import schedule
    from xiaoneng.planning.patrol.services import generate_patrol_plan, parse_period

    span = parse_period(PERIOD)
    figures = []
    for scope, code in (("station", station_code), ("province", "PROV")):
        unit = Unit.objects.get(code=code)
        seconds, due = timed(
            partial(schedule.due_in_period, unit=unit, start=span.first, end=span.last)
        )
        considered = len(due.dates.register)
        with transaction.atomic():
            planned, report = timed(
                partial(
                    generate_patrol_plan,
                    period=PERIOD,
                    unit_code=code,
                    today=province_world.PLANNED_ON,
                )
            )
            transaction.set_rollback(True)
        say(
            f"{scope} {code}: due dates of {considered:,} entities {seconds:.2f} s; plan "
            f"{planned:.2f} s — due {report.due:,}, planned {report.created:,}, overflow "
            f"{report.overflow_total:,}, {len(report.officers)} officers"
        )
        figures += [
            Figure(NAME, f"due dates, {scope}", seconds, "s", note=f"{considered:,} entities"),
            Figure(
                NAME,
                f"due dates + patrol plan {PERIOD}, {scope}",
                planned,
                "s",
                limit=LIMITS[f"plan {scope}"],
                note=f"{considered:,} entities, {report.due:,} due, {report.created:,} planned, "
                f"{report.overflow_total:,} overflow (rolled back: no commit timed)",
            ),
        ]
    return figures


def measure(station_code: str, runs: int) -> list[Figure]:
    from xiaoneng.org.models import Unit

    say(f"-- entity list ({machine()})")
    figures = bench_entity_list.measure(runs)
    say(f"-- plans ({machine()})")
    figures += plans(station_code)
    say(f"-- period report ({machine()})")
    station = Unit.objects.get(code=station_code)
    reported = bench_report.measure(type("Year", (), {"stations": [station.pk]})(), 3)
    for figure in reported:
        figure.limit = LIMITS["report"]
        figure.case = figure.case.replace("bureau", "province")
    figures += reported
    for figure in figures:
        figure.benchmark = NAME
    return figures


def stage(state: State, name: str, runs: int) -> None:
    from xiaoneng.core.models import AuditEvent
    from xiaoneng.inspections.models import Inspection

    say(f"\n=== stage {name}: {entity_count():,} entities, ({machine()})")
    spent, figures = timed(lambda: measure(state.data["station"], runs))
    state.data["stages"][name] = [dataclasses.asdict(f) for f in figures]
    state.data.setdefault("measured", {})[name] = {
        "at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "entities": entity_count(),
        "inspections": Inspection.objects.count(),
        "trace": AuditEvent.objects.count(),
        "load": machine(),
        "seconds": round(spent),
    }
    state.save()
    say(f"stage {name} measured in {spent:.0f} s ({machine()})")


def compared(state: State) -> list[Figure]:
    """Province against city, trace against province, figure by figure."""
    result = []
    for later, earlier, label in (
        ("province", "city", "10⁷ vs 10⁶"),
        ("trace", "province", "after a year of trace vs before"),
    ):
        before, after = state.figures(earlier), state.figures(later)
        for old, new in zip(before, after, strict=False):
            new.case = f"{label}: {new.case}"
            new.baseline = old.value
            new.baseline_label = f"the same at stage {earlier}"
            new.note = f"{earlier}: {common.number(old.value, old.unit)}; {new.note}".rstrip("; ")
            result.append(new)
    return result


# Filling ---------------------------------------------------------------------------------------


def fill(state: State, sizes: Sizes, runs: int) -> None:
    """City 1, measured; the other cities; each stage measured as soon as it is filled."""
    from django.db.models import Count

    from xiaoneng.registry.models import Entity

    top = province_world.province()
    for number in range(1, sizes.cities + 1):
        spent, place = timed(
            partial(province_world.city, top, number, stations=sizes.stations, grids=sizes.grids)
        )
        say(f"city {number}: organisation in {spent:.0f} s")
        province_world.fill_city(place, sizes.entities, sizes.inspections)
        if number == 1:
            busiest = (
                Entity.objects.filter(unit__in=place.organisation.stations)
                .values("unit__code")
                .annotate(n=Count("id"))
                .order_by("-n")
                .first()
            )
            assert busiest is not None
            state.data["station"] = busiest["unit__code"]
            state.data["station_entities"] = busiest["n"]
            analysed, _ = timed(entities.analyze)
            say(f"VACUUM ANALYZE {analysed:.0f} s")
            stage(state, "city", runs)
    analysed, _ = timed(entities.analyze)
    say(f"VACUUM ANALYZE {analysed:.0f} s")
    state.data["filled"] = entity_count()
    state.save()


def grow(state: State, rows: int) -> None:
    spent, _ = timed(lambda: province_world.grow_trace(rows))
    analysed, _ = timed(entities.analyze)
    say(f"trace: {rows:,} events in {spent:.0f} s; VACUUM ANALYZE {analysed:.0f} s")
    state.data["trace_rows"] = rows
    state.save()


def main() -> None:
    parser = common.arguments(__doc__.splitlines()[0])
    parser.add_argument("--fresh", action="store_true", help="fill again even if kept")
    parser.add_argument("--runs", type=int, help="timed requests per list case (median)")
    options = parser.parse_args()
    sizes = QUICK if options.quick else FULL
    runs = options.runs or sizes.runs
    database = f"xiaoneng_bench_{NAME}" + ("_quick" if options.quick else "")
    common.PG_DATABASE = database  # after bench_report's import, which sets its own
    state = State(database)
    url = common.database_url(NAME, postgres=True)
    reuse = False
    if not options.fresh and database_exists(database):
        common.setup_django(url)
        state.load()
        reuse = state.data.get("filled") == sizes.total == entity_count()
        if not reuse:
            from django.db import connections

            say(f"{database} is not a complete fill: filling again")
            connections.close_all()
    if reuse:
        # The code may have gained migrations since the fill (new tables, mostly).
        say(f"reusing {database}: {sizes.total:,} entities; migrated in {common.migrate():.0f} s")
    else:
        state = State(database)
        common.fresh_django(NAME, postgres=True)
        spent, _ = timed(lambda: fill(state, sizes, runs))
        say(f"filled {sizes.total:,} entities in {spent:.0f} s ({machine()})")
    try:
        if state.data.get("trace_rows"):
            stage(state, "trace", runs)
        else:
            stage(state, "province", runs)
            grow(state, sizes.trace)
            stage(state, "trace", runs)
    finally:
        if not options.keep:
            common.drop_database(NAME, postgres=True)
            state.path.unlink(missing_ok=True)
    for name, facts in state.data.get("measured", {}).items():
        say(f"stage {name}: {facts}")
    common.report(compared(state))


if __name__ == "__main__":
    main()
