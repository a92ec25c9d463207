"""The demo county's plans: a year of monthly patrol plans, this month's in progress, campaigns.

The past is generated on arrays from each entity's patrol interval (an inspection every
interval, give or take a fortnight, on a working day) and written in bulk with its trace
(``core.bulk``); the entity's inspection before the year becomes an opening record
(期初录入). The campaigns come first, and each month's plan reads the visits made
before it (the campaigns' and the unplanned ones of ``demo.inspections``), as the due rule
does. This month's and next month's plans are made later by the real service
(``build_current_plans``, run by ``demo.county`` after the year's inspections, so that the
plan reads every record done before it), the bureau's too (its entities outside
every grid, 主体不在任何网格内); the service merges the campaigns' open tasks with patrol
tasks into joint visits (``merge_visits``). A million entities take about 90 s.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from xiaoneng.core import bulk
from xiaoneng.demo.days import month_start
from xiaoneng.demo.org import Organisation
from xiaoneng.demo.planning.campaigns import build_campaigns
from xiaoneng.demo.planning.patrol import build_month_plans, build_patrol_history
from xiaoneng.demo.planning.workdays import Workdays
from xiaoneng.demo.planning.writer import PlanWriter
from xiaoneng.planning.patrol import schedule
from xiaoneng.planning.patrol.models import Campaign, Plan, Task, Visit
from xiaoneng.planning.patrol.services import period_of
from xiaoneng.planning.patrol.tasks import merge_visits
from xiaoneng.registry.models import Entity


def build_plans(
    rng: np.random.Generator,
    organisation: Organisation,
    *,
    now: dt.datetime,
    inspected: tuple[np.ndarray, np.ndarray] | None = None,
    progress: Callable[[str], None] = print,
) -> None:
    """Plans, tasks, campaigns and joint visits of the demo county, for the year up to ``now``.

    ``inspected``: entity ids and day numbers of the year's visits no plan made (draws,
    complaints…); each month's patrol plan reads those made before it."""
    today = timezone.localtime(now).date()
    register = schedule.load_register(Entity.objects.operating())
    if not len(register):
        return
    workdays = Workdays(month_start(today, 12) - dt.timedelta(days=2000), month_start(today, -3))
    names = dict(Entity.objects.values_list("pk", "name"))
    writer = PlanWriter(rng, organisation, today)
    with bulk.paused_gc():
        # The campaigns first: the patrol plans made after a campaign's visit read it.
        with transaction.atomic():
            made = build_campaigns(writer, workdays, organisation, names)
        known = _campaign_visits(inspected)
        count = build_patrol_history(writer, register, workdays, names, progress, known)
    _analyze()
    progress(f"巡查计划 plans: {count:,} past tasks, {len(made)} campaigns")


def _campaign_visits(
    inspected: tuple[np.ndarray, np.ndarray] | None,
) -> tuple[np.ndarray, np.ndarray]:
    """``inspected`` and the visits of the campaigns' done tasks: entity ids, day numbers."""
    done = Task.objects.filter(status=Task.Status.DONE, done_on__isnull=False).exclude(
        plan__kind=Plan.Kind.PATROL
    )
    pairs = [(e, d) for e, d in done.values_list("entity_id", "done_on") if d is not None]
    entity = np.array([e for e, _d in pairs], dtype=np.int64)
    day = np.array([schedule.day_number(d) for _e, d in pairs], dtype=np.int64)
    if inspected is None:
        return entity, day
    return np.concatenate([inspected[0], entity]), np.concatenate([inspected[1], day])


def build_current_plans(
    organisation: Organisation, *, now: dt.datetime, progress: Callable[[str], None] = print
) -> None:
    """This month's plans from today on and next month's drafted ahead (篇2: 计划下达及时),
    made by the service once the year's records exist; the campaigns' open tasks join them."""
    today = timezone.localtime(now).date()
    periods = (period_of(today), period_of(month_start(today, -1)))
    with bulk.paused_gc(), transaction.atomic():
        current = sum(build_month_plans(organisation, today, period) for period in periods)
        # Each period again, as the service's own merge does after a plan: campaign tasks of a
        # period without a patrol plan still join the entity's other open tasks.
        for period in periods:
            merge_visits(period=period)
    _analyze()
    outside = Task.objects.filter(
        period=periods[0], overflow_reason=Task.Overflow.OUTSIDE_GRIDS
    ).count()
    visits = Visit.objects.filter(period__gte=periods[0]).count()
    progress(
        f"巡查计划 plans: {current:,} planned this month and next ({outside:,} 网格外 in the "
        f"bureau's overflow), {visits:,} joint visits"
    )


def _analyze() -> None:
    with connection.cursor() as cursor:  # statistics for the planner, as autovacuum would
        for model in (Task, Plan, Visit, Campaign):
            cursor.execute(f"ANALYZE {model._meta.db_table}")
