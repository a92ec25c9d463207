"""The demo county's warnings (电子监察): the year's history of the clocks the other builders
opened (service cases, complaints and reports), then the hourly recompute as of ``now``.

The other timeliness builders should run inside ``clocks.warnings.deferred()`` (no recompute
on each change: their days are in the past); warnings raised on the way are dropped. Here,
for each clock, its days are walked from its start to its stop (or today): the day it turned
yellow and the day it turned red (the day after its due date, suspensions standing the clock
still). Yellow warnings end when the clock turns red (RAISED) or stops (STOPPED); reds are
handled by the officer within the deadline in most cases, some go up to the station director
once, a few twice to the division; all in time order, nothing after ``now`` or after the
clock stopped. ``recompute`` then judges the open clocks as of today.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone

from xiaoneng.core import audit
from xiaoneng.core.audit import acting_as
from xiaoneng.core.calendar import WorkingCalendar
from xiaoneng.core.models import AuditEvent
from xiaoneng.demo.org import Organisation
from xiaoneng.org.models import Officer, Role
from xiaoneng.timeliness.clocks import compute
from xiaoneng.timeliness.clocks.models import (
    ClearReason,
    Clock,
    Escalation,
    Level,
    Warning,
)
from xiaoneng.timeliness.clocks.warnings import policy, recompute

HANDLED_IN_TIME = 0.6  # reds handled by the officer within the deadline
ESCALATED_ONCE = 0.28  # handled by the director; the rest go to the division
HANDLINGS = (
    "已联系申请人补齐材料，加快办理",
    "已督促承办人当日办结",
    "已电话告知当事人办理进度",
    "调整承办人员，优先办理",
)


def _at(day: dt.date, hour: int, now: dt.datetime) -> dt.datetime:
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 5)))
    return min(moment, now)


def _history(
    clock: Clock, spans: list[tuple[dt.date, dt.date | None]], end: dt.date, calendar: Any
) -> tuple[dt.date | None, dt.date | None]:
    """The day the clock turned yellow and the day it turned red, up to ``end``."""
    limit = clock.limit_days + clock.extended_days
    threshold = int(compute.yellow_threshold(np.array([limit]), policy().yellow_share)[0])
    used = standing = 0
    yellow = red = None
    day = clock.started_on
    while day < end:
        day += dt.timedelta(days=1)
        suspended = any(s < day and (e is None or day <= e) for s, e in spans)
        if calendar.is_working_day(day):
            if suspended:
                standing += 1
            else:
                used += 1
        due = calendar.add_working_days(clock.started_on, limit + standing)
        if red is None and day > due:
            red = day
            break
        if yellow is None and not suspended and used >= threshold:
            yellow = day
    return yellow, red


def build_clocks(
    rng: np.random.Generator,
    organisation: Organisation,
    *,
    now: dt.datetime,
    progress: Callable[[str], None] = print,
) -> None:
    """The warnings of the year, then the recompute as of ``now`` (module docstring)."""
    today = timezone.localtime(now).date()
    calendar = WorkingCalendar.load()
    handle_days = policy().handle_days
    directors: dict[int, Officer] = {}
    for officer in Officer.objects.filter(roles__code=Role.STATION_DIRECTOR).order_by("pk"):
        if officer.unit_id is not None:
            directors.setdefault(officer.unit_id, officer)
    division = Officer.objects.filter(roles__code=Role.DIVISION_STAFF).order_by("pk").first()
    _forget_recomputed_on_change()
    clocks = (
        Clock.objects.filter(started_on__lt=today)
        .prefetch_related("suspensions")
        .order_by("started_on", "pk")
    )
    made: list[Warning] = []
    levels: dict[str, list[int]] = {Level.RED: [], Level.YELLOW: []}
    for clock in clocks:
        end = min(clock.stopped_on or today, today)
        spans = [(s.started_on, s.ended_on) for s in clock.suspensions.all()]
        yellow_day, red_day = _history(clock, spans, end, calendar)
        stop = clock.stopped_on
        stopped_at = _at(stop, 17, now) if stop else None
        limit = clock.limit_days + clock.extended_days
        common = {"clock": clock, "unit_id": clock.unit_id, "officer_id": clock.officer_id}
        if yellow_day is not None:
            warning = Warning(
                **common,
                level=Level.YELLOW,
                raised_on=yellow_day,
                raised_at=_at(yellow_day, 1, now),
                due_on=calendar.add_working_days(clock.started_on, limit),
                used_days=int(
                    compute.yellow_threshold(np.array([limit]), policy().yellow_share)[0]
                ),
                limit_days=limit,
            )
            if red_day is not None:
                warning.cleared_at, warning.clear_reason = _at(red_day, 1, now), ClearReason.RAISED
            elif stopped_at is not None:
                warning.cleared_at, warning.clear_reason = stopped_at, ClearReason.STOPPED
            made.append(warning)
        if red_day is None:
            continue
        levels[Level.RED].append(clock.pk)
        red = Warning(
            **common,
            level=Level.RED,
            raised_on=red_day,
            raised_at=_at(red_day, 1, now),
            due_on=red_day - dt.timedelta(days=1),
            used_days=limit + 1,
            limit_days=limit,
            handle_by=calendar.add_working_days(red_day, handle_days),
        )
        _play_red(red, rng, calendar, handle_days, end, now, directors, division)
        if stopped_at is not None:
            red.cleared_at = max(stopped_at, red.handled_at or stopped_at)
            red.clear_reason = ClearReason.STOPPED
        made.append(red)
    with acting_as(None), transaction.atomic():
        Warning.objects.bulk_create(made, batch_size=1000)
        audit.record_many(
            ((w, AuditEvent.Action.CREATE, audit.created_changes(w)) for w in made),
            reason="演示数据：时限预警",
        )
        stopped_red = Clock.objects.filter(pk__in=levels[Level.RED], stopped_on__isnull=False)
        stopped_red.update(level=Level.RED)
        summary = recompute(today=today, now=now, calendar=calendar, everything=True)
    progress(
        f"时限预警：历史 {len(made)} 条（红色 {len(levels[Level.RED])}），"
        f"重算未办结时限 {summary.clocks} 个，新发 {summary.yellow + summary.red} 条"
    )


def _forget_recomputed_on_change() -> None:
    """Drop the warnings the clock services raised while the other builders wrote the past
    with today's date (when they did not run inside ``deferred()``): this builder writes the
    year's warnings on their own days. The demo database is new; nothing else points at them."""
    Warning.objects.all()._raw_delete(Warning.objects.db)
    Clock.objects.exclude(level=Level.NONE, escalation=Escalation.OFFICER).update(
        level=Level.NONE, escalation=Escalation.OFFICER
    )
    Clock.objects.update(recheck_on=None)


def _play_red(
    red: Warning,
    rng: np.random.Generator,
    calendar: Any,
    handle_days: int,
    end: dt.date,
    now: dt.datetime,
    directors: dict[int, Officer],
    division: Officer | None,
) -> None:
    """Handle the red warning in time, or let it go up once or twice first; never after
    ``end`` (the clock's stop, or today)."""
    draw = rng.random()
    steps = 0 if draw < HANDLED_IN_TIME else 1 if draw < HANDLED_IN_TIME + ESCALATED_ONCE else 2
    holders: list[Officer | None] = [
        red.officer,
        directors.get(red.unit_id),
        division,
    ]
    assert red.handle_by is not None
    for _step in range(steps):
        went_up = red.handle_by + dt.timedelta(days=1)
        if went_up > end:
            break
        red.escalation += 1
        red.escalated_at = _at(went_up, 1, now)
        red.handle_by = calendar.add_working_days(went_up, handle_days)
    assert red.handle_by is not None
    earliest = red.escalated_at.date() if red.escalated_at else red.raised_on
    handled_on = earliest + dt.timedelta(days=int(rng.integers(0, 3)))
    handler = holders[red.escalation]
    in_time = handled_on <= min(red.handle_by, end) and handler is not None
    if in_time and (red.escalation < Escalation.DIVISION or rng.random() < 0.7):
        red.handled_at = _at(handled_on, 10, now)
        red.handled_by = handler
        red.handling = HANDLINGS[int(rng.integers(0, len(HANDLINGS)))]
