"""Tasks planned on a provisional day that a loaded holiday schedule makes a day off.

Plans for a year whose holidays are not loaded put tasks on weekdays only. When that year is
loaded (``core.calendar.recompute_year``), a planned task — with the other tasks of its joint
visit — on what is now a holiday moves to the next working day of its month, or the last one
before it at the month's end. Re-inspections follow their order's deadline instead
(``inspections.followup.services.recompute_deadlines``). The daily cap is not re-checked: the
few tasks of a holiday land on the next day, which the station calendar shows.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from xiaoneng.core import audit
from xiaoneng.core.calendar import WorkingCalendar
from xiaoneng.planning.patrol.models import Plan, Task


def _nearest_working_day(calendar: WorkingCalendar, day: dt.date) -> dt.date | None:
    """The next working day in ``day``'s month, else the last one before it; None if none."""
    following = day
    while (following := following + dt.timedelta(days=1)).month == day.month:
        if calendar.is_working_day(following):
            return following
    earlier = day
    while (earlier := earlier - dt.timedelta(days=1)).month == day.month:
        if calendar.is_working_day(earlier):
            return earlier
    return None


def _move(task: Task, day: dt.date, reason: str) -> None:
    task.scheduled_on = day
    audit.set_reason(task, reason)
    task.save(update_fields=["scheduled_on"])


def reschedule_year(year: int, calendar: WorkingCalendar) -> int:
    """Move the planned tasks of ``year`` that fall on a day off now; returns the tasks moved."""
    planned = (
        Task.objects.filter(status=Task.Status.PLANNED, scheduled_on__year=year)
        .exclude(plan__kind=Plan.Kind.REINSPECTION)
        .select_related("visit")
        .order_by("scheduled_on", "pk")
    )
    moved = 0
    moved_visits: set[int] = set()
    for task in planned:
        assert task.scheduled_on is not None
        if calendar.is_working_day(task.scheduled_on):
            continue
        day = _nearest_working_day(calendar, task.scheduled_on)
        if day is None:
            continue
        reason = _("%(year)d 年节假日安排已载入，%(old)s 为休息日，改至 %(new)s") % {
            "year": year,
            "old": task.scheduled_on,
            "new": day,
        }
        if task.visit is not None and task.visit.pk not in moved_visits:
            moved_visits.add(task.visit.pk)
            task.visit.scheduled_on = day
            audit.set_reason(task.visit, reason)
            task.visit.save(update_fields=["scheduled_on"])
        _move(task, day, reason)
        moved += 1
    return moved
