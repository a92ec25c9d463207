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
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from django.db import transaction

from xiaoneng.core import bulk
from xiaoneng.demo.inspections import followup, records, sources
from xiaoneng.demo.inspections.context import Context, context
from xiaoneng.demo.inspections.offline import build_offline_syncs
from xiaoneng.demo.inspections.orders import plan_orders
from xiaoneng.demo.inspections.reinspections import reinspection_visits
from xiaoneng.demo.inspections.unlicensed import unlicensed_operators
from xiaoneng.demo.inspections.visits import Visits
from xiaoneng.demo.org import Organisation
from xiaoneng.inspections.records.services import note_signed_records
from xiaoneng.inspections.trace.services import check


@dataclass
class Unplanned:
    """The year's visits that no plan made (``sources.unplanned``), chosen before the patrol
    plans are written so that those plans can read them."""

    ctx: Context
    visits: Visits

    def entity_days(self) -> tuple[np.ndarray, np.ndarray]:
        """Entity id and day number of each visit, for the patrol plans to read."""
        return self.visits.entity, self.visits.day


def unplanned_visits(
    rng: np.random.Generator,
    organisation: Organisation,
    *,
    now: dt.datetime,
    progress: Callable[[str], None] = print,
) -> Unplanned | None:
    """The drawn teams' visits, complaints, ad hoc checks, market days and exit checks of the
    year (None for an empty register); written later by ``build_inspections``."""
    ctx = context(rng, organisation, now=now, progress=progress)
    if not len(ctx.population):
        return None
    return Unplanned(ctx, sources.unplanned(ctx))


def build_inspections(unplanned: Unplanned | None) -> None:
    """A year of signed inspections up to ``now``: the done tasks' and the ``unplanned``
    visits, with their findings, rectification orders, re-inspections, exit checks and
    unlicensed operators; then the trace checks."""
    if unplanned is None:
        return
    ctx, progress = unplanned.ctx, unplanned.ctx.progress
    with bulk.paused_gc(), transaction.atomic():
        visits = sources.gather(ctx, unplanned.visits)
        orders = plan_orders(ctx, visits)
        reinspections = reinspection_visits(ctx, visits, orders)
        everything = Visits.concat([visits, reinspections])
        written = records.write(ctx, everything)
        followup.write(ctx, everything, written, orders)
        operators = unlicensed_operators(ctx)
        # What signing notes on the register, for the records written in bulk: each
        # entity's last_inspected_on is its latest signed visit.
        note_signed_records()
    flagged = _trace_checks()
    synced, late = build_offline_syncs(now=ctx.now)
    written.files.result()  # the photos are on disk before the demo goes on
    progress(
        f"检查记录 inspections: {len(written.ids):,} signed ({written.failed_share:.1%} with a "
        f"failed item), {orders.count:,} rectification orders, {len(reinspections.entity):,} "
        f"re-inspections, {operators} unlicensed operators; {flagged}; {synced} synced "
        f"offline ({late} late)"
    )


def _trace_checks() -> str:
    """Run the real trace checks over every signed record (痕迹监控)."""
    summary = check()
    return f"{summary.total:,} trace flags over {summary.checked:,} records"
