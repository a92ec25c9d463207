"""The service-case figures of a period: the one definition the pages, the API, the XLSX and
the monthly bulletin count with (docs/timeliness/permits.md defines each).

For cases of ``cases`` and the closed period [start, end]:

- received / accepted / completed: 收件, 受理, 办结 dates in the period (办结: status 办结);
- used working days of a completed case: working days from acceptance (not counted) to 办结,
  less the working days its clock stood suspended (``clocks.services.used_days``);
- within_committed / within_statutory: completed cases whose used days are at most the
  committed / statutory limit plus any approved extension; late_committed / late_statutory
  are the rest of the completed (late_statutory is "overdue" in the law's sense);
- average_days: the mean used working days of the completed, one decimal (None: none);
- breaches: second and later one-time notices (违反一次性告知) issued in the period;
- suspensions: the suspensions of their clocks that started in the period, by reason: how
  many, and the working days of those already ended;
- open_overdue: cases in progress on ``end``, not suspended, whose due date is before ``end``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np
from django.db.models import Q, QuerySet

from xiaoneng.core.calendar import WorkingCalendar
from xiaoneng.timeliness.clocks.models import Clock, SubjectType, Suspension
from xiaoneng.timeliness.permits.models import OneTimeNotice, ServiceCase
from xiaoneng.timeliness.permits.transitions import IN_PROGRESS

GROUPS = {"unit": "unit_id", "item": "item_id", "officer": "responsible_id"}


@dataclass
class Figures:
    """A period's figures of some cases (see the module's docstring)."""

    received: int = 0
    accepted: int = 0
    completed: int = 0
    within_committed: int = 0
    within_statutory: int = 0
    late_committed: int = 0
    late_statutory: int = 0
    used_days_total: int = 0
    breaches: int = 0
    open_overdue: int = 0
    # reason → [how many, working days of the ended ones]
    suspensions: dict[str, list[int]] = field(default_factory=dict)

    @property
    def average_days(self) -> Decimal | None:
        if not self.completed:
            return None
        mean = Decimal(self.used_days_total) / Decimal(self.completed)
        return mean.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def committed_rate(self) -> Decimal | None:
        """within_committed / completed, as a percentage with one decimal."""
        if not self.completed:
            return None
        rate = Decimal(100 * self.within_committed) / Decimal(self.completed)
        return rate.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _in(field_name: str, start: dt.date, end: dt.date) -> Q:
    return Q(**{f"{field_name}__gte": start, f"{field_name}__lte": end})


def _clocks(ids: Iterable[int]) -> dict[int, tuple[Any, ...]]:
    rows = (
        Clock.objects.filter(subject_type=SubjectType.SERVICE_CASE, subject_id__in=list(ids))
        .order_by("id")
        .values_list(
            "subject_id",
            "started_on",
            "stopped_on",
            "suspended_days",
            "limit_days",
            "statutory_days",
            "extended_days",
            "due_on",
            "suspended_since",
            "id",
        )
    )
    return {row[0]: row[1:] for row in rows}  # the latest clock of a case wins


def grouped(
    cases: QuerySet[ServiceCase],
    start: dt.date,
    end: dt.date,
    *,
    by: str | None = None,
    calendar: WorkingCalendar | None = None,
) -> dict[Hashable, Figures]:
    """The period's figures of ``cases`` by unit, item or officer (responsible) id; ``by``
    None: one entry under None for all of them."""
    key = GROUPS[by] if by else None
    found: dict[Hashable, Figures] = defaultdict(Figures)

    def group(row: dict[str, Any]) -> Hashable:
        return row[key] if key else None

    period = _in("received_on", start, end) | _in("accepted_on", start, end)
    period |= _in("completed_on", start, end) | Q(status__in=IN_PROGRESS, accepted_on__lte=end)
    rows = list(
        cases.filter(period).values(
            "id", "status", "received_on", "accepted_on", "completed_on", *GROUPS.values()
        )
    )
    clocks = _clocks(r["id"] for r in rows if r["accepted_on"] is not None)
    completed = []
    for row in rows:
        figures = found[group(row)]
        figures.received += start <= row["received_on"] <= end
        figures.accepted += bool(row["accepted_on"] and start <= row["accepted_on"] <= end)
        done = row["completed_on"]
        clock = clocks.get(row["id"])
        if row["status"] == ServiceCase.Status.COMPLETED and start <= done <= end and clock:
            completed.append((row, clock))
        elif row["status"] in IN_PROGRESS and clock is not None:
            _due_on, suspended_since = clock[6], clock[7]
            figures.open_overdue += suspended_since is None and _due_on < end
    _count_completed(found, completed, group, calendar)
    _count_notices(found, cases, start, end, key)
    _count_suspensions(found, cases, start, end, key, {r["id"]: group(r) for r in rows})
    return dict(found)


def _count_completed(
    found: dict[Hashable, Figures],
    completed: list[tuple[dict[str, Any], tuple[Any, ...]]],
    group: Any,
    calendar: WorkingCalendar | None,
) -> None:
    if not completed:
        return
    calendar = calendar or WorkingCalendar.load()
    starts = np.array([c[0] for _r, c in completed], dtype="datetime64[D]")
    stops = np.array([c[1] for _r, c in completed], dtype="datetime64[D]")
    counted = calendar.working_days_between_many(starts, stops)
    for (row, clock), days in zip(completed, counted, strict=True):
        used = int(days) - int(clock[2])
        limit, statutory, extended = clock[3], clock[4], clock[5]
        figures = found[group(row)]
        figures.completed += 1
        figures.used_days_total += used
        figures.within_committed += used <= limit + extended
        figures.within_statutory += used <= statutory + extended
        figures.late_committed += used > limit + extended
        figures.late_statutory += used > statutory + extended


def _count_notices(
    found: dict[Hashable, Figures],
    cases: QuerySet[ServiceCase],
    start: dt.date,
    end: dt.date,
    key: str | None,
) -> None:
    notices = OneTimeNotice.objects.filter(
        breach=True, case__in=cases.values("id"), issued_on__gte=start, issued_on__lte=end
    )
    column = f"case__{key}" if key else "case_id"
    for value in notices.values_list(column, flat=True):
        found[value if key else None].breaches += 1


def _count_suspensions(
    found: dict[Hashable, Figures],
    cases: QuerySet[ServiceCase],
    start: dt.date,
    end: dt.date,
    key: str | None,
    groups: dict[int, Hashable],
) -> None:
    found_spans = Suspension.objects.filter(
        clock__subject_type=SubjectType.SERVICE_CASE,
        clock__subject_id__in=cases.values("id"),
        started_on__gte=start,
        started_on__lte=end,
    ).values_list("clock__subject_id", "reason", "working_days", "ended_on")
    spans = list(found_spans)
    missing = {row[0] for row in spans} - groups.keys()
    if missing:
        column = key or "id"
        groups = groups | {
            pk: (value if key else None)
            for pk, value in cases.filter(id__in=missing).values_list("id", column)
        }
    for case_id, reason, days, ended in spans:
        counts = found[groups[case_id]].suspensions.setdefault(reason, [0, 0])
        counts[0] += 1
        counts[1] += days if ended is not None else 0


def figures(
    cases: QuerySet[ServiceCase],
    start: dt.date,
    end: dt.date,
    *,
    calendar: WorkingCalendar | None = None,
) -> Figures:
    """The period's figures of all of ``cases``."""
    return grouped(cases, start, end, calendar=calendar).get(None, Figures())
