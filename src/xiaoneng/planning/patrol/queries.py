"""What the plan pages and the plan API both read: due lists, calendars, plan summaries.

Every read starts from ``core.scoping.scoped``/``get_scoped``: another unit's records answer
404 (or are simply absent from a list).
"""

from __future__ import annotations

import calendar as month_days
import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core.calendar import CalendarUnknown, WorkingCalendar
from xiaoneng.core.errors import InvalidInput
from xiaoneng.core.scoping import get_scoped, in_scope, scoped
from xiaoneng.org.models import Grid, Officer, Unit
from xiaoneng.planning.patrol import schedule
from xiaoneng.planning.patrol.models import Plan, Task
from xiaoneng.planning.patrol.services import Period, parse_period, period_of
from xiaoneng.planning.patrol.tasks import visits_saved
from xiaoneng.registry.models import Entity, EntityQuerySet


def tasks_for(user: Officer) -> QuerySet[Task]:
    return scoped(
        Task.objects.select_related("entity", "officer", "grid", "plan", "unit", "visit"), user
    )


def month_or_current(value: Any, today: dt.date | None = None) -> Period:
    """The month asked for (YYYY-MM), or the current one when none is given."""
    today = today or timezone.localdate()
    return parse_period(value if value not in (None, "") else period_of(today))


# Due lists ---------------------------------------------------------------------------------


@dataclass
class DueSelection:
    """Whose due list: one grid, one officer's grids, one station, or the user's whole scope."""

    kind: str
    label: str
    entities: EntityQuerySet
    code: str = ""


def due_selection(
    user: Officer, *, grid: str = "", officer: str = "", station: str = ""
) -> DueSelection:
    """The entities of the list asked for, scoped to ``user`` (404 for another unit's)."""
    entities = scoped(Entity.objects.all(), user)
    if grid:
        found = get_scoped(Grid.objects.all(), user, code=grid)
        return DueSelection("grid", str(found), entities.filter(grid=found), grid)
    if officer:
        person = get_scoped(Officer.objects.all(), user, username=officer)
        grids = list(Grid.objects.filter(officer=person).values_list("pk", flat=True))
        return DueSelection("officer", str(person), entities.filter(grid_id__in=grids), officer)
    if station:
        unit = get_scoped(Unit.objects.all(), user, code=station)
        return DueSelection("station", str(unit), entities.filter(unit=unit), station)
    return DueSelection("scope", str(_("辖区全部")), entities)


def default_due_selection(user: Officer) -> dict[str, str]:
    """A grid officer sees their own grids; a station's staff their station; others all."""
    if Grid.objects.filter(officer_id=user.pk).exists():
        return {"officer": user.get_username()}
    unit = getattr(user, "unit", None)
    if unit is not None and unit.kind == Unit.Kind.STATION:
        return {"station": unit.code}
    return {}


def due_list(selection: DueSelection, *, only_overdue: bool, on: dt.date) -> schedule.DueList:
    """The selection's entities overdue on ``on`` (due by the day before), or every one of them
    with its due date, most overdue first: both are ``schedule.due_in_period``."""
    end = on - dt.timedelta(days=1) if only_overdue else dt.date.max
    return schedule.DueList(
        schedule.due_in_period(unit=None, start=on, end=end, entities=selection.entities)
    )


# Calendars ---------------------------------------------------------------------------------


@dataclass
class Day:
    date: dt.date
    in_month: bool
    working: bool | None  # None: a year the calendar does not know
    # After the last loaded year: ``working`` is a guess (weekdays only) until the year is loaded.
    provisional: bool = False
    tasks: list[Task] = field(default_factory=list)
    counts: dict[int, tuple[int, int]] = field(default_factory=dict)  # officer → (total, done)


def _working(calendar: WorkingCalendar, day: dt.date) -> bool | None:
    try:
        return calendar.is_working_day(day)
    except CalendarUnknown:
        return None


def month_weeks(month: Period) -> list[list[Day]]:
    """The month as weeks Monday–Sunday, days of the neighbouring months included."""
    calendar = WorkingCalendar.load()
    weeks = month_days.Calendar(firstweekday=0).monthdatescalendar(
        month.first.year, month.first.month
    )
    return [
        [
            Day(
                day,
                day.month == month.first.month,
                _working(calendar, day),
                calendar.is_provisional(day),
            )
            for day in week
        ]
        for week in weeks
    ]


def officer_calendar(user: Officer, officer: Officer, month: Period) -> dict[str, Any]:
    """One officer's month: tasks by day, and today's (with late ones) on top."""
    today = timezone.localdate()
    mine = tasks_for(user).filter(officer=officer)
    weeks = month_weeks(month)
    first, last = weeks[0][0].date, weeks[-1][-1].date
    by_day: dict[dt.date, list[Task]] = defaultdict(list)
    for task in mine.filter(scheduled_on__range=(first, last)).order_by("scheduled_on", "id"):
        by_day[task.scheduled_on].append(task)  # type: ignore[index]
    for week in weeks:
        for day in week:
            day.tasks = by_day.get(day.date, [])
    in_month = [t for day, ts in by_day.items() if month.first <= day <= month.last for t in ts]
    return {
        "officer": officer,
        "month": month,
        "weeks": weeks,
        "today": today,
        "today_tasks": list(
            mine.filter(status=Task.Status.PLANNED, scheduled_on__lte=today).order_by(
                "scheduled_on", "id"
            )[:200]
        ),
        "counts": Counter(t.status for t in in_month),
    }


def station_calendar(user: Officer, station: Unit, month: Period) -> dict[str, Any]:
    """Officers × days of one station's month: tasks (and done) per officer per day.

    The station's active officers, and whoever had its tasks in the month (one since moved
    to another unit or gone, division staff on a campaign). Each row says whether ``user``
    may open that officer's calendar (their unit in scope): the page links only those."""
    tasks = tasks_for(user).filter(unit=station)
    rows = (
        tasks.filter(scheduled_on__range=(month.first, month.last))
        .order_by()
        .values("officer_id", "scheduled_on")
        .annotate(total=Count("id"), done=Count("id", filter=Q(status=Task.Status.DONE)))
    )
    cells: dict[int, dict[dt.date, tuple[int, int]]] = defaultdict(dict)
    for row in rows:
        cells[row["officer_id"]][row["scheduled_on"]] = (row["total"], row["done"])
    officers = list(
        Officer.objects.filter(Q(unit=station, is_active=True) | Q(pk__in=[k for k in cells if k]))
        .select_related("unit")
        .order_by("username")
    )
    days = [day for week in month_weeks(month) for day in week if day.in_month]
    table = [
        (
            officer,
            [(day, cells.get(officer.pk, {}).get(day.date)) for day in days],
            sum(total for total, _done in cells.get(officer.pk, {}).values()),
            officer.unit_id is not None and in_scope(user, officer.unit_id),
        )
        for officer in officers
    ]
    overflow = tasks.filter(status=Task.Status.OVERFLOW, period=month.text).order_by(
        "overflow_reason", "due_on", "id"
    )
    return {"station": station, "month": month, "days": days, "table": table, "overflow": overflow}


# Plans ----------------------------------------------------------------------------------------


@dataclass
class PlanSummary:
    """A plan's tasks by status, its overflow by reason, its officers and its visits saved."""

    by_status: dict[str, int]
    overflow: list[tuple[str, str, int]]
    officers: list[dict[str, Any]]
    visits_saved: int

    @property
    def total(self) -> int:
        return sum(self.by_status.values())


def count_tasks(plans: list[Any]) -> None:
    """Set ``total``, ``done`` and ``overflow`` on each plan of a page: one grouped query."""
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    rows = (
        Task.objects.filter(plan_id__in=[p.pk for p in plans])
        .order_by()
        .values_list("plan_id", "status")
        .annotate(n=Count("id"))
    )
    for plan_id, status, n in rows:
        counts[plan_id][status] = n
    for plan in plans:
        found = counts[plan.pk]
        plan.total = sum(found.values())
        plan.done = found[Task.Status.DONE]
        plan.overflow = found[Task.Status.OVERFLOW]


def summarise(plan: Plan) -> PlanSummary:
    tasks = plan.tasks.all()
    by_status = dict(tasks.order_by().values_list("status").annotate(n=Count("id")))
    reasons = dict(
        tasks.filter(status=Task.Status.OVERFLOW)
        .order_by()
        .values_list("overflow_reason")
        .annotate(n=Count("id"))
    )
    officers = list(
        tasks.filter(officer__isnull=False)
        .order_by()
        .values("officer_id", "officer__name", "officer__username")
        .annotate(
            total=Count("id"),
            done=Count("id", filter=Q(status=Task.Status.DONE)),
            days=Count("scheduled_on", distinct=True),
        )
        .order_by("-total")
    )
    return PlanSummary(
        by_status={s: by_status.get(s, 0) for s in Task.Status.values},
        overflow=[(code, str(Task.Overflow(code).label), n) for code, n in reasons.items()],
        officers=officers,
        visits_saved=visits_saved(tasks),
    )


def check_month(value: str) -> Period:
    """A calendar's month parameter: YYYY-MM, with the period's messages."""
    try:
        return month_or_current(value)
    except InvalidInput as error:
        raise InvalidInput.single("month", error.errors[0].message) from None
