"""The demo county's inspections of the past year, and what followed from them.

The records are those of the done tasks of the year (``demo.planning``), of the published
double-random draws, and of complaints, ad hoc checks and exit supervision; then their
findings, rectification orders with re-inspections, and unlicensed operators found in the
grids; each entity's last signed visit is noted on the register; last, the real trace checks
(``inspections.trace.check``) run over them. Everything is generated on arrays and written in
bulk (``core.bulk``) with its trace, dated when it happened.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable

import numpy as np
from django.db import transaction
from django.db.models import Max

from xiaoneng.core import bulk
from xiaoneng.demo.inspections import followup, records, sources
from xiaoneng.demo.inspections.context import context
from xiaoneng.demo.inspections.orders import plan_orders
from xiaoneng.demo.inspections.reinspections import reinspection_visits
from xiaoneng.demo.inspections.unlicensed import unlicensed_operators
from xiaoneng.demo.inspections.visits import Visits
from xiaoneng.demo.org import Organisation
from xiaoneng.inspections.models import Inspection
from xiaoneng.inspections.trace.services import check
from xiaoneng.registry.models import Entity

CHUNK = 5000  # ids in one UPDATE (SQLite's limit of variables)


def build_inspections(
    rng: np.random.Generator,
    organisation: Organisation,
    *,
    now: dt.datetime,
    progress: Callable[[str], None] = print,
) -> None:
    """A year of signed inspections up to ``now`` with their findings, rectification orders,
    re-inspections, exit checks and unlicensed operators; then the trace checks."""
    ctx = context(rng, organisation, now=now, progress=progress)
    if not len(ctx.population):
        return
    with bulk.paused_gc(), transaction.atomic():
        visits = sources.gather(ctx)
        orders = plan_orders(ctx, visits)
        reinspections = reinspection_visits(ctx, visits, orders)
        everything = Visits.concat([visits, reinspections])
        written = records.write(ctx, everything)
        followup.write(ctx, everything, written, orders)
        operators = unlicensed_operators(ctx)
        _note_inspections()
    flagged = _trace_checks()
    written.files.result()  # the photos are on disk before the demo goes on
    progress(
        f"检查记录 inspections: {len(written.ids):,} signed ({written.failed_share:.1%} with a "
        f"failed item), {orders.count:,} rectification orders, {len(reinspections.entity):,} "
        f"re-inspections, {operators} unlicensed operators; {flagged}"
    )


def _note_inspections() -> None:
    """What signing notes on the register (``registry.services.note_inspection``), for the
    records written in bulk: each entity's ``last_inspected_on`` is its latest signed visit."""
    latest = (
        Inspection.objects.filter(status=Inspection.Status.SIGNED)
        .order_by()
        .values("entity_id")
        .annotate(day=Max("visited_on"))
        .values_list("entity_id", "day")
    )
    # One UPDATE a day, not a correlated sub-query per entity (minutes on SQLite).
    by_day: dict[dt.date, list[int]] = defaultdict(list)
    for entity, day in latest:
        by_day[day].append(entity)
    for day, ids in by_day.items():
        for start in range(0, len(ids), CHUNK):
            Entity.objects.filter(pk__in=ids[start : start + CHUNK]).update(last_inspected_on=day)


def _trace_checks() -> str:
    """Run the real trace checks over every signed record (痕迹监控)."""
    summary = check()
    return f"{summary.total:,} trace flags over {summary.checked:,} records"
