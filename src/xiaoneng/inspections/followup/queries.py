"""Lists of rectification orders: the states a list filters by (open, due soon, overdue,
warned, re-inspection failed…), and the working days an order has left."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, QuerySet

from xiaoneng.core.calendar import CalendarUnknown, WorkingCalendar
from xiaoneng.inspections.followup.figures import standing
from xiaoneng.inspections.followup.models import Finding, Rectification
from xiaoneng.inspections.followup.services import OPEN_STATES
from xiaoneng.inspections.records.models import Inspection

DUE_SOON_DAYS = 3  # working days before the deadline when an order shows as due soon
R = Rectification.Status


def reinspection_failed() -> Exists:
    """Whether a signed re-inspection of the order found problems (for filters, annotations)."""
    return Exists(
        Finding.objects.filter(
            inspection__task_id=OuterRef("reinspection_task_id"),
            inspection__status=Inspection.Status.SIGNED,
        )
    )


STATES = ("open", "due_soon", "overdue", "warned", "failed", "rectified", "escalated")


def filter_state(
    queryset: QuerySet[Rectification], state: str, today: dt.date
) -> QuerySet[Rectification]:
    """Orders in one of the list's states: open, due soon, overdue, warned, re-inspection
    failed, rectified, escalated (anything else: all)."""
    if state == "open":
        return queryset.filter(status__in=OPEN_STATES)
    if state == "due_soon":
        return queryset.filter(status=R.OPEN, deadline__gte=today, deadline__lte=soon(today))
    if state in ("overdue", "warned"):
        # The standing the period report counts too (followup.figures).
        return queryset.filter(standing(state, today))
    if state == "failed":
        return queryset.filter(reinspection_failed(), status__in=OPEN_STATES)
    if state == "rectified":
        return queryset.filter(status=R.RECTIFIED)
    if state == "escalated":
        return queryset.filter(status=R.ESCALATED)
    return queryset


def soon(today: dt.date) -> dt.date:
    """The last deadline that counts as due soon: ``DUE_SOON_DAYS`` working days ahead."""
    try:
        return WorkingCalendar.load().add_working_days(today, DUE_SOON_DAYS)
    except CalendarUnknown:
        return today + dt.timedelta(days=DUE_SOON_DAYS + 2)


def working_days_left(
    rectification: Rectification, today: dt.date, calendar: WorkingCalendar | None = None
) -> int | None:
    """Working days from ``today`` to the deadline (negative once past); None if unknown."""
    calendar = calendar or WorkingCalendar.load()
    try:
        if rectification.deadline >= today:
            return calendar.working_days_between(today, rectification.deadline)
        return -calendar.working_days_between(rectification.deadline, today)
    except CalendarUnknown:
        return None
