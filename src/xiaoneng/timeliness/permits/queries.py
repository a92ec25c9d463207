"""Reading service cases: the user's cases with their clock's level and due date, and the one
definition of the list's filters (page and API)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from xiaoneng.core.actors import Viewer
from xiaoneng.core.pages import FLAG_WORDS
from xiaoneng.core.scoping import scoped
from xiaoneng.timeliness.clocks.models import Clock, Level, SubjectType
from xiaoneng.timeliness.permits.models import OneTimeNotice, ServiceCase
from xiaoneng.timeliness.permits.transitions import IN_PROGRESS

WARNINGS = (Level.YELLOW, Level.RED)
TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
assert TRUE_WORDS <= FLAG_WORDS


def is_true(text: str) -> bool:
    return str(text or "").strip().lower() in TRUE_WORDS


def _clock(field: str) -> Subquery:
    clocks = Clock.objects.filter(
        subject_type=SubjectType.SERVICE_CASE, subject_id=OuterRef("pk")
    ).order_by("-id")  # the latest, as permits.checks.clock_of
    return Subquery(clocks.values(field)[:1])


def cases_for(user: Viewer) -> QuerySet[ServiceCase]:
    """The cases ``user`` may see, with their clock's level, due date and whether it stands
    suspended (``clock_level``, ``clock_due``, ``clock_provisional``, ``clock_suspended``), and
    whether a notice broke the one-time rule (``breached``)."""
    breaches = OneTimeNotice.objects.filter(case=OuterRef("pk"), breach=True)
    return scoped(
        ServiceCase.objects.select_related("item", "unit", "responsible", "entity"), user
    ).annotate(
        clock_level=_clock("level"),
        clock_due=_clock("due_on"),
        clock_provisional=_clock("due_provisional"),
        clock_suspended=_clock("suspended_since"),
        breached=Exists(breaches),
    )


def overdue_q(today: dt.date) -> Q:
    """In progress, not suspended, past its due date."""
    return Q(status__in=IN_PROGRESS, clock_suspended__isnull=True, clock_due__lt=today)


def filtered(
    cases: QuerySet[Any], params: dict[str, str], today: dt.date | None = None
) -> QuerySet[Any]:
    """``cases`` narrowed by the list's filters: status (or ``open``), item code, unit code,
    warning level, overdue, one-time-notice breach."""
    today = today or timezone.localdate()
    status = params.get("status", "")
    if status == "open":
        cases = cases.filter(status__in=(ServiceCase.Status.RECEIVED, *IN_PROGRESS))
    elif status:
        cases = cases.filter(status=status)
    if params.get("item"):
        cases = cases.filter(item__code=params["item"])
    if params.get("unit"):
        cases = cases.filter(unit__code=params["unit"])
    if params.get("warning"):
        cases = cases.filter(clock_level=params["warning"], status__in=IN_PROGRESS)
    if is_true(params.get("overdue", "")):
        cases = cases.filter(overdue_q(today))
    if is_true(params.get("breach", "")):
        cases = cases.filter(breached=True)
    return cases


def is_overdue(case: Any, today: dt.date | None = None) -> bool:
    """The annotated case is in progress, not suspended and past its due date."""
    today = today or timezone.localdate()
    return bool(
        case.status in IN_PROGRESS
        and case.clock_suspended is None
        and case.clock_due is not None
        and case.clock_due < today
    )
