"""Due dates and a month's patrol plan for 1,000,000 entities (target ≤ 10 s).

Figures, on the same database:

- ``due dates``: ``planning.schedule.due_dates`` over every active entity — entities and their
  last done task read in bulk (two statements, integer columns), dates computed in numpy;
- ``due dates + patrol plan``: ``planning.patrol.generate_patrol_plan`` for the whole bureau,
  a month ahead: due dates, the 六定 of each due entity, placement on its grid officer's working
  days within the daily capacity, the tasks and their trace written in bulk (target ≤ 10 s);
- ``re-run``: the same call again, which finds everything planned and writes nothing.

Baseline: the same computation per entity through the ORM — load the entity, aggregate its
last done task, look up its policy cell, and for a due entity count its officer's tasks day
by day and ``Task.objects.create`` the task (trace signals firing) — timed on a random sample
of active entities inside a transaction that is rolled back, and **scaled linearly** to all
of them (target: the plan ≥ 30× faster).

The database holds 1,000,000 entities written as arrays (``entities.py``'s fill) in 600
Voronoi grids of 24 stations, one officer per grid, and a done task for every entity entered
long enough ago: its last inspection lies uniformly within one patrol interval before the
planned month, so that about one entity in twenty-five falls due in it, as in a county that
has been following its plan.

    python benchmarks/bench_plan.py [--quick] [--postgres] [--keep] [--entities N]
"""

from __future__ import annotations

import datetime as dt

import numpy as np

import common
from common import Figure, say, timed

NAME = "plan"
LIMIT_S = 10.0
RATIO = 30.0
PERIOD = "2026-12"
PLANNED_ON = dt.date(2026, 12, 1)
BATCH = 50_000


# Filling -------------------------------------------------------------------------------------


def officers(organisation: common.Organisation) -> None:
    """One grid officer per grid and a director per station, written in bulk."""
    from xiaoneng.org.models import Grid, Officer, Role

    people = [
        Officer(username=f"bench{n:04d}", name=f"干部{n}", unit_id=grid.station_id)
        for n, grid in enumerate(organisation.grids)
    ] + [
        Officer(username=f"bench_director{n:02d}", name=f"所长{n}", unit=station)
        for n, station in enumerate(organisation.stations)
    ]
    for person in people:
        person.set_unusable_password()
    Officer.objects.bulk_create(people)
    saved = {o.username: o.pk for o in Officer.objects.filter(username__startswith="bench")}
    through = Officer.roles.through
    through.objects.bulk_create(
        through(
            officer_id=saved[p.username],
            role_id=Role.STATION_DIRECTOR if "director" in p.username else Role.GRID_OFFICER,
        )
        for p in people
    )
    for n, grid in enumerate(organisation.grids):
        Grid.objects.filter(pk=grid.pk).update(officer_id=saved[f"bench{n:04d}"])


def history(seed: int) -> int:
    """A done task per entity entered before its last inspection (no trace: fill only)."""
    from django.db import connection, transaction

    from xiaoneng.core import bulk
    from xiaoneng.org.models import Grid
    from xiaoneng.planning.patrol import schedule
    from xiaoneng.planning.patrol.models import Plan, Task
    from xiaoneng.planning.policy.services import PolicyTable
    from xiaoneng.registry.models import Entity

    rng = np.random.default_rng(seed)
    register = schedule.load_register(Entity.objects.operating().filter(grid__isnull=False))
    table = PolicyTable.in_force(PLANNED_ON)
    interval = table.interval_days[register.class_index, register.grade_index]
    start = schedule.day_number(PLANNED_ON)
    last = start - rng.integers(1, interval + 1)
    inspected = np.flatnonzero(last > register.registered)
    officer_of = dict(Grid.objects.values_list("pk", "officer_id"))
    plans = {
        unit: Plan.objects.create(
            kind="patrol", period="2020-01", unit_id=unit, title="历史巡查", capacity=6
        ).pk
        for unit in np.unique(register.unit_id).tolist()
    }
    days = {n: schedule.to_date(n) for n in np.unique(last[inspected]).tolist()}
    for begin in range(0, inspected.size, BATCH):
        part = inspected[begin : begin + BATCH]
        done = [days[n] for n in last[part].tolist()]
        units = register.unit_id[part].tolist()
        columns = {
            "plan_id": [plans[u] for u in units],
            "entity_id": register.entity_id[part].tolist(),
            "unit_id": units,
            "period": [f"{d:%Y-%m}" for d in done],
            "grid_id": register.grid_id[part].tolist(),
            "officer_id": [officer_of[g] for g in register.grid_id[part].tolist()],
            "description": ["日常巡查"] * part.size,
            "standard": ["亮照经营"] * part.size,
            "responsibility": ["网格责任人负责"] * part.size,
            "status": ["done"] * part.size,
            "scheduled_on": done,
            "done_on": done,
            "note": ["未发现问题"] * part.size,
        }
        with transaction.atomic():
            bulk.insert(Task, columns, part.size)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return int(inspected.size)


def fill(count: int, grids: int, stations: int) -> None:
    import entities

    organisation = common.build_organisation(grids, stations=stations)
    officers(organisation)
    spent, columns = timed(lambda: entities.entity_columns(count, organisation, seed=1))
    say(f"generated {count:,} entities in {spent:.1f} s")
    entities.write_entities(columns)
    spent, done = timed(lambda: history(seed=2))
    say(f"wrote {done:,} done tasks (last inspections) in {spent:.1f} s")


# The baseline ------------------------------------------------------------------------------------


def naive_plan(sample: list[int], capacity: int) -> int:
    """The plan per entity through the ORM; returns the tasks it created (then rolled back)."""
    from django.db import transaction
    from django.db.models import Max

    from xiaoneng.core.calendar import WorkingCalendar
    from xiaoneng.planning.models import PolicyCell
    from xiaoneng.planning.patrol.models import Plan, Task
    from xiaoneng.planning.patrol.services import parse_period
    from xiaoneng.planning.policy.services import policy_in_force
    from xiaoneng.registry.models import Entity

    span = parse_period(PERIOD)
    calendar = WorkingCalendar.load()
    days = [
        span.first + dt.timedelta(days=n)
        for n in range((span.last - span.first).days + 1)
        if calendar.is_working_day(span.first + dt.timedelta(days=n))
    ]
    created = 0
    with transaction.atomic():
        policy = policy_in_force(span.first)
        bureau = Entity.objects.get(pk=sample[0]).unit.parent
        plan = Plan.objects.create(
            kind="patrol", period=PERIOD, unit=bureau, title="逐户计算", capacity=capacity
        )
        for entity_id in sample:
            entity = Entity.objects.select_related("grid__officer").get(pk=entity_id)
            last = Task.objects.filter(entity=entity, status="done").aggregate(day=Max("done_on"))
            cell = PolicyCell.objects.get(
                policy=policy, risk_class=entity.risk_class, credit_grade=entity.credit_grade
            )
            due = (last["day"] or entity.registered_on) + dt.timedelta(
                days=cell.patrol_interval_days
            )
            if due > span.last or Task.objects.filter(plan=plan, entity=entity).exists():
                continue
            officer = entity.grid.officer if entity.grid else None
            scheduled = None
            for day in days if officer else []:
                busy = Task.objects.filter(officer=officer, scheduled_on=day, status="planned")
                if busy.count() < capacity:
                    scheduled = day
                    break
            Task.objects.create(
                plan=plan,
                entity=entity,
                unit=entity.unit,
                period=PERIOD,
                grid=entity.grid,
                officer=officer if scheduled else None,
                post="责任区干部" if scheduled else "",
                description=f"日常巡查：每 {cell.patrol_interval_days} 天一次；应查日 {due}",
                standard="亮照经营",
                responsibility="网格责任人负责",
                due_on=due,
                scheduled_on=scheduled,
                status="planned" if scheduled else "overflow",
                overflow_reason="" if scheduled else "capacity",
            )
            created += 1
        transaction.set_rollback(True)
    return created


# Measuring ---------------------------------------------------------------------------------------


def measure(sample_size: int) -> list[Figure]:
    from xiaoneng.planning.patrol import schedule
    from xiaoneng.planning.patrol.assign import default_capacity
    from xiaoneng.planning.patrol.models import Task
    from xiaoneng.planning.patrol.services import generate_patrol_plan
    from xiaoneng.registry.models import Entity

    active = Entity.objects.operating()
    ids = np.array(active.values_list("id", flat=True))
    rng = np.random.default_rng(3)
    sample = sorted(rng.choice(ids, min(sample_size, ids.size), replace=False).tolist())
    seconds, made = timed(lambda: naive_plan(sample, default_capacity()))
    baseline = seconds * ids.size / len(sample)
    say(
        f"baseline: {len(sample):,} entities one by one in {seconds:.2f} s "
        f"({seconds / len(sample) * 1000:.2f} ms each, {made} tasks) → {baseline:,.0f} s "
        f"scaled to {ids.size:,}"
    )
    due_seconds, dates = timed(lambda: schedule.due_dates(active, on=PLANNED_ON))
    say(f"due dates of {len(dates.register):,} entities: {due_seconds:.2f} s")
    before = Task.objects.count()
    plan_seconds, report = timed(lambda: generate_patrol_plan(period=PERIOD, today=PLANNED_ON))
    written = Task.objects.count() - before
    busiest = max((o.busiest_day for o in report.officers), default=0)
    say(
        f"plan {PERIOD}: {plan_seconds:.2f} s — due {report.due:,}, tasks {written:,} "
        f"(planned {report.created:,}, overflow {report.overflow_total:,}), "
        f"{len(report.officers)} officers, busiest day {busiest}"
    )
    rerun_seconds, again = timed(lambda: generate_patrol_plan(period=PERIOD, today=PLANNED_ON))
    assert again.created == 0 and Task.objects.count() == before + written
    say(f"re-run: {rerun_seconds:.2f} s, nothing new")
    vendor = common.vendor()
    n = f"{len(dates.register):,}"
    return [
        Figure(NAME, f"{vendor}: due dates, {n} entities", due_seconds, "s"),
        Figure(
            NAME,
            f"{vendor}: due dates + patrol plan {PERIOD}, {n} entities",
            plan_seconds,
            "s",
            limit=LIMIT_S,
            baseline=baseline,
            baseline_label=f"per-entity ORM loop on {len(sample):,}, scaled",
            ratio_target=RATIO,
            note=f"{written:,} tasks written ({report.overflow_total:,} overflow) with their "
            f"trace; baseline {seconds / len(sample) * 1000:.2f} ms an entity on "
            f"{len(sample):,} sampled",
        ),
        Figure(NAME, f"{vendor}: re-run of the same period (idempotent)", rerun_seconds, "s"),
    ]


def main() -> None:
    parser = common.arguments(__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, help="entities to fill (default 1,000,000)")
    parser.add_argument("--sample", type=int, help="baseline sample (default 2,000)")
    options = parser.parse_args()
    count = options.entities or (50_000 if options.quick else 1_000_000)
    grids, stations = (40, 4) if options.quick else (600, 24)
    sample = options.sample or (300 if options.quick else 2_000)
    common.fresh_django(NAME, postgres=options.postgres)
    spent, _ = timed(lambda: fill(count, grids, stations))
    say(f"filled in {spent:.0f} s")
    try:
        figures = measure(sample)
    finally:
        if not options.keep:
            common.drop_database(NAME, postgres=options.postgres)
    common.report(figures)


if __name__ == "__main__":
    main()
