"""Efficiency over 100,000 ledger entries (issue 13 item 2, target ≤ 2 s).

Figure: ``reports.ledger.queries.efficiency`` — the year's entries in the user's scope, every
entry's outputs computed from the records (``outputs.outputs``: inspections, findings,
rectified orders, cases, fines collected, goods), the lines by unit with their ratios from the
sums, the total row, the overspends against the quotas and the 运动式执法 list — for an
administrator over the whole county, median of a few runs.

Baseline, in the same process: the per-row loop a first version would write — each entry's
outputs asked for alone (``outputs([entry])``) — timed on a sample and scaled linearly.

The database: the report benchmark's county (``county_year.py``, ``county_cases.py``: 8
stations of ten officers, signed inspections with findings and orders, three campaigns, cases
with collections and goods), then the ledger: a patrol day for every officer-day with a patrol
visit, one entry per campaign and station, one per case, quotas for the year, and entries of
other work up to the count asked for. Written in bulk, without the trace.

    python benchmarks/bench_ledger.py [--quick] [--postgres] [--keep] [--entries N]
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import numpy as np

import common
import county_cases
from common import Figure, say, timed
from county_year import FIRST, YEAR, CountyYear

NAME = "ledger"
LIMIT_S = 2.0
SAMPLE = 300
common.PG_DATABASE = "xiaoneng_bench_ledger"


def fill_county(inspections: int) -> CountyYear:
    filler = CountyYear(seed=13)
    steps = [
        ("organisation and entities", lambda: filler.organisation(max(10_000, inspections // 10))),
        ("inspections", lambda: filler.inspections(inspections)),
        ("findings, rectifications", filler.follow_up),
        ("campaigns", lambda: filler.campaigns(min(10_000, inspections // 100))),
        ("cases, collections, goods", lambda: county_cases.cases(filler, inspections // 10)),
    ]
    for label, step in steps:
        spent, _ = timed(step)
        say(f"  {label}: {spent:.1f} s")
    return filler


def fill_ledger(count: int, rng: np.random.Generator) -> int:
    """Patrol days, campaign and case entries, other work up to ``count``; the year's quotas."""
    from xiaoneng.cases.models import Case
    from xiaoneng.inspections.models import Inspection
    from xiaoneng.planning.patrol.models import Campaign, Task
    from xiaoneng.reports.ledger.models import LedgerEntry, Quota

    now = dt.datetime(YEAR + 1, 1, 10, tzinfo=dt.UTC)
    rows: list[LedgerEntry] = []
    days = (
        Inspection.objects.filter(status="signed", lead_officer__unit__isnull=False)
        .exclude(origin__in=("campaign", "draw"))
        .order_by()
        .values_list("lead_officer_id", "lead_officer__unit_id", "visited_on")
        .distinct()
    )
    for officer, unit, day in sorted(set(days)):
        hours = Decimal(int(rng.integers(8, 17))) / 2
        rows.append(
            LedgerEntry(unit_id=unit, kind="patrol_day", officer_id=officer, started_on=day,
                        ended_on=day, officers=1, person_hours=hours, money=Decimal(20))
        )  # fmt: skip
    for campaign in Campaign.objects.all():
        taking = Task.objects.filter(plan_id=campaign.plan_id).values_list("unit_id", flat=True)
        for unit in sorted(set(taking)):
            rows.append(
                LedgerEntry(unit_id=unit, kind="campaign", campaign_id=campaign.pk,
                            started_on=campaign.start_on, ended_on=campaign.end_on, officers=12,
                            person_hours=Decimal(480), vehicles=3, kilometres=Decimal(300),
                            money=Decimal(3000))
            )  # fmt: skip
    for case, unit, received in Case.objects.values_list("id", "unit_id", "received_on"):
        if len(rows) >= count:
            break
        rows.append(
            LedgerEntry(unit_id=unit, kind="case", case_id=case, started_on=received,
                        ended_on=received, officers=2, person_hours=Decimal(16),
                        money=Decimal(300))
        )  # fmt: skip
    units = [r.unit_id for r in rows[:1000]]
    while len(rows) < count:
        day = FIRST + dt.timedelta(days=int(rng.integers(0, 365)))
        rows.append(
            LedgerEntry(unit_id=units[len(rows) % len(units)], kind="other", title="宣传咨询",
                        started_on=day, ended_on=day, officers=3, person_hours=Decimal(12),
                        money=Decimal(int(rng.integers(0, 500))))
        )  # fmt: skip
    for row in rows:
        row.recorded_at = row.updated_at = now
    LedgerEntry.objects.bulk_create(rows, batch_size=5000)
    limits = {"hours_per_inspection": Decimal(6), "money_per_inspection": Decimal(200)}
    for kind in ("patrol_day", "campaign", "draw", "case", "other"):
        Quota.objects.create(year=YEAR, kind=kind, set_at=now, **limits)
    return len(rows)


def measure(runs: int) -> list[Figure]:
    from xiaoneng.org.models import Officer
    from xiaoneng.reports.ledger import queries
    from xiaoneng.reports.ledger.models import LedgerEntry
    from xiaoneng.reports.ledger.outputs import outputs

    admin = Officer.objects.create(username="bench-admin", is_superuser=True)
    filters = queries.Filters(FIRST, dt.date(YEAR, 12, 31))

    def work() -> Any:
        return queries.efficiency(admin, filters, "unit")

    result = work()
    seconds = common.median_seconds(work, runs=runs, warmup=0)
    entries = list(LedgerEntry.objects.select_related("unit").order_by("pk"))
    step = max(len(entries) // SAMPLE, 1)
    sample = entries[::step][:SAMPLE]
    looped, found = timed(lambda: [outputs([entry]) for entry in sample])
    whole = outputs(sample)
    assert all(f[e.pk] == whole[e.pk] for f, e in zip(found, sample, strict=True))
    baseline = looped * len(entries) / len(sample)
    total = result.total
    say(
        f"efficiency by unit: {seconds:.2f} s — {total.inputs.entries:,} entries, "
        f"{total.outputs.inspections:,} inspections, {len(result.overspends):,} overspends, "
        f"{len(result.campaign_style)} 运动式; per-row loop ≈ {baseline:.0f} s"
    )
    return [
        Figure(
            NAME,
            f"{common.vendor()}: efficiency by unit, {total.inputs.entries:,} entries",
            seconds,
            "s",
            limit=LIMIT_S,
            baseline=baseline,
            baseline_label="each entry's outputs asked alone (sampled, scaled)",
            note=f"{total.outputs.inspections:,} inspections attributed; baseline sampled on "
            f"{len(sample)} entries",
        )
    ]


def main() -> None:
    parser = common.arguments(__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, help="ledger entries (default 100,000)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs")
    options = parser.parse_args()
    entries = options.entries or (20_000 if options.quick else 100_000)
    inspections = 100_000 if options.quick else 300_000
    common.fresh_django(NAME, postgres=options.postgres)
    spent, _ = timed(lambda: fill_county(inspections))
    say(f"county filled in {spent:.0f} s")
    spent, written = timed(lambda: fill_ledger(entries, np.random.default_rng(13)))
    say(f"{written:,} ledger entries in {spent:.0f} s")
    try:
        figures = measure(options.runs)
    finally:
        if not options.keep:
            common.drop_database(NAME, postgres=options.postgres)
    common.report(figures)


if __name__ == "__main__":
    main()
