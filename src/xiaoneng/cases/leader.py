"""The leader's view (局领导监控, 篇2's third level of oversight): what is overdue, flagged or
escalated in the user's scope, counted by unit and listed most urgent first.

It reads the records of the two other levels — director spot checks (所长抽查) and division
supervision (科室督办) — and of follow-up and cases; it has no table of its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.cases import limits
from xiaoneng.cases.models import Case
from xiaoneng.core.calendar import CalendarUnknown, WorkingCalendar
from xiaoneng.core.errors import NotPermitted
from xiaoneng.core.scoping import scoped
from xiaoneng.inspections.models import (
    DirectorReview,
    Finding,
    Rectification,
    SampleFollowUp,
    SupervisionItem,
    TraceFlag,
)
from xiaoneng.org import access
from xiaoneng.org.models import Unit

# Stage time limits of a case, with their legal sources, live in cases/limits.py.
LEAD_WORKING_DAYS = limits.FILING_WORKING_DAYS
LEAD_EXTENSION_WORKING_DAYS = limits.FILING_EXTENSION_WORKING_DAYS
DECISION_DAYS = limits.DECISION_DAYS
DECISION_EXTENSION_DAYS = limits.DECISION_EXTENSION_DAYS
PAYMENT_DAYS = limits.PAYMENT_DAYS
# Statuses a filed case keeps until its decision: the 90 days run through all of them.
BEFORE_DECISION = (Case.Status.FILED, Case.Status.INVESTIGATING, Case.Status.NOTIFIED)

RECENT_DAYS = 90  # escalations shown: those of the last 90 days
LIST_LIMIT = 20  # rows listed under each count; the count itself is exact
# The counts in the order the page shows them: follow-up, the oversight levels, cases.
ORDER = (
    "rectifications_overdue",
    "rectifications_warned",
    "trace_open",
    "supervision_overdue",
    "reviews_pending",
    "cases_overdue",
    "findings_escalated",
    "samples_open",
)


def require_leader(user: Any) -> None:
    """Refuse unless ``user`` is a bureau leader, division staff or a station director."""
    if not access.can(user, access.VIEW_OVERSIGHT):
        raise NotPermitted(_("督查总览仅供局领导、科室人员和所长查看。"))


def existing(path: str) -> str | None:
    """``path`` if a page answers it (the list pages of other modules land one by one)."""
    try:
        resolve(path.split("?", 1)[0])
    except Resolver404:
        return None
    return path


@dataclass
class Entry:
    """One listed record: what it is, its unit, the date it was due and how late it is."""

    title: str
    unit: str
    detail: str
    due_on: dt.date | None
    days_over: int | None
    url: str | None = None


@dataclass
class Item:
    """One count of the view, by unit, with its most urgent records."""

    key: str
    label: str
    count: int
    by_unit: dict[int, int]
    link: str | None
    entries: list[Entry] = field(default_factory=list)


@dataclass
class Oversight:
    """The leader's view on ``today``."""

    today: dt.date
    items: list[Item]
    units: list[tuple[int, str]]
    trace_groups: list[tuple[str, str, int]]
    notes: list[str] = field(default_factory=list)

    def item(self, key: str) -> Item:
        return next(i for i in self.items if i.key == key)


def _late(today: dt.date, due: dt.date | None) -> int | None:
    return (today - due).days if due and due < today else None


def case_deadline(case: Case, calendar: WorkingCalendar | None) -> dt.date | None:
    """The last day of the case's current stage; None for a stage without a limit (or a lead
    when the calendar does not know the year)."""
    if case.status == Case.Status.LEAD:
        if calendar is None:
            return None
        extra = LEAD_EXTENSION_WORKING_DAYS if case.filing_extended else 0
        return calendar.add_working_days(case.received_on, LEAD_WORKING_DAYS + extra)
    if case.status in BEFORE_DECISION and case.filed_on:
        extra = DECISION_EXTENSION_DAYS if case.decision_extended else 0
        return case.filed_on + dt.timedelta(days=DECISION_DAYS + extra)
    if case.status == Case.Status.DECIDED:
        return (case.decided_on or case.stage_started_on) + dt.timedelta(days=PAYMENT_DAYS)
    return None


def overdue_cases(
    cases: QuerySet[Case], today: dt.date, calendar: WorkingCalendar | None
) -> QuerySet[Case]:
    """Cases whose stage time limit passed before ``today``: one filter, on dates."""
    decision = today - dt.timedelta(days=DECISION_DAYS)
    extended = decision - dt.timedelta(days=DECISION_EXTENSION_DAYS)
    late = Q(status__in=BEFORE_DECISION) & (
        Q(decision_extended=False, filed_on__lt=decision)
        | Q(decision_extended=True, filed_on__lt=extended)
    )
    paid_by = today - dt.timedelta(days=PAYMENT_DAYS)
    late |= Q(status=Case.Status.DECIDED) & (
        Q(decided_on__lt=paid_by) | Q(decided_on__isnull=True, stage_started_on__lt=paid_by)
    )
    if calendar is not None:
        cutoff = calendar.latest_start_due_before(today, LEAD_WORKING_DAYS)
        longer = calendar.latest_start_due_before(
            today, LEAD_WORKING_DAYS + LEAD_EXTENSION_WORKING_DAYS
        )
        late |= Q(status=Case.Status.LEAD) & (
            Q(filing_extended=False, received_on__lte=cutoff)
            | Q(filing_extended=True, received_on__lte=longer)
        )
    return cases.filter(late)


def _counts(queryset: QuerySet[Any]) -> dict[int, int]:
    rows = queryset.order_by().values("unit_id").annotate(n=Count("id"))
    return {r["unit_id"]: r["n"] for r in rows}


def _item(
    key: str,
    label: str,
    queryset: QuerySet[Any],
    link: str,
    entry: Callable[[Any], Entry],
    order: list[str],
    related: list[str],
) -> Item:
    by_unit = _counts(queryset)
    found = Item(key, label, sum(by_unit.values()), by_unit, existing(link))
    if found.count:
        rows = queryset.select_related("unit", *related).order_by(*order)[:LIST_LIMIT]
        found.entries = [entry(row) for row in rows]
    return found


def _calendar(today: dt.date, notes: list[str]) -> WorkingCalendar | None:
    calendar = WorkingCalendar.load()
    try:
        calendar.latest_start_due_before(today, LEAD_WORKING_DAYS + LEAD_EXTENSION_WORKING_DAYS)
    except CalendarUnknown as error:
        notes.append(_("线索核查时限未计算：%(reason)s") % {"reason": error.message})
        return None
    return calendar


def _follow_up_items(user: Any, today: dt.date) -> list[Item]:
    rect = Rectification.Status
    rectifications = scoped(Rectification.objects.all(), user)

    def order_entry(r: Rectification) -> Entry:
        return Entry(
            f"{r.number} {r.entity.name}",
            r.unit.name,
            r.requirements[:60],
            r.deadline,
            _late(today, r.deadline),
            existing(f"/rectifications/{r.pk}/"),
        )

    escalated = scoped(
        Finding.objects.filter(
            status=Finding.Status.ESCALATED,
            found_on__gte=today - dt.timedelta(days=RECENT_DAYS),
        ),
        user,
    )
    return [
        _item(
            "rectifications_overdue",
            _("整改逾期待警示"),
            rectifications.filter(status=rect.OPEN, deadline__lt=today),
            "/rectifications/?state=overdue",
            order_entry,
            ["deadline", "id"],
            ["entity"],
        ),
        _item(
            "rectifications_warned",
            _("逾期已警示仍未整改"),
            rectifications.filter(status=rect.WARNED),
            "/rectifications/?state=warned",
            order_entry,
            ["deadline", "id"],
            ["entity"],
        ),
        _item(
            "findings_escalated",
            _("近%(days)d天检查发现转立案") % {"days": RECENT_DAYS},
            escalated,
            "/findings/?status=escalated",
            lambda f: Entry(
                f.entity.name,
                f.unit.name,
                f.description[:60],
                f.found_on,
                None,
                existing(f"/inspections/{f.inspection_id}/"),
            ),
            ["-found_on", "-id"],
            ["entity"],
        ),
    ]


def _oversight_items(user: Any, today: dt.date) -> list[Item]:
    item = SupervisionItem.Status
    month = f"{today:%Y-%m}"
    return [
        _item(
            "trace_open",
            _("痕迹疑点待核实"),
            scoped(TraceFlag.objects.filter(status=TraceFlag.Status.OPEN), user),
            "/trace/?status=open",
            lambda f: Entry(
                str(f.inspection),
                f.unit.name,
                f"{f.get_kind_display()}：{f.detail}",
                timezone.localdate(f.raised_at),
                None,
                existing(f"/trace/{f.pk}/"),
            ),
            ["raised_at", "id"],
            ["inspection__entity"],
        ),
        _item(
            "supervision_overdue",
            _("科室督办逾期未办结"),
            scoped(
                SupervisionItem.objects.filter(
                    status__in=[item.OPEN, item.RETURNED], deadline__lt=today
                ),
                user,
            ),
            "/supervision/?status=overdue",
            lambda s: Entry(
                s.title,
                s.unit.name,
                s.get_status_display(),
                s.deadline,
                _late(today, s.deadline),
                existing(f"/supervision/{s.pk}/"),
            ),
            ["deadline", "id"],
            [],
        ),
        _item(
            "reviews_pending",
            _("往月所长抽查未完成"),
            scoped(
                DirectorReview.objects.filter(
                    status=DirectorReview.Status.PENDING, round__month__lt=month
                ),
                user,
            ),
            "/reviews/?status=pending",
            lambda r: Entry(
                str(r.inspection),
                r.unit.name,
                r.round.month,
                None,
                None,
                existing(f"/reviews/{r.pk}/"),
            ),
            ["round__month", "id"],
            ["round", "inspection__entity"],
        ),
    ]


def _case_items(user: Any, today: dt.date, calendar: WorkingCalendar | None) -> list[Item]:
    def case_entry(c: Case) -> Entry:
        due = case_deadline(c, calendar)
        return Entry(
            f"{c.number} {c.title}",
            c.unit.name,
            c.get_status_display(),
            due,
            _late(today, due),
            existing(f"/cases/{c.pk}/"),
        )

    follow = SampleFollowUp.Status
    return [
        _item(
            "cases_overdue",
            _("案件超过办案时限"),
            overdue_cases(scoped(Case.objects.all(), user), today, calendar),
            "/cases/?warning=red",
            case_entry,
            ["stage_started_on", "id"],
            [],
        ),
        _item(
            "samples_open",
            _("抽查不合格后处理未办结"),
            scoped(
                SampleFollowUp.objects.filter(
                    status__in=[follow.OPEN, follow.RECTIFYING, follow.REINSPECTED]
                ),
                user,
            ),
            "/sampling/follow-ups/?state=open",
            lambda f: Entry(
                f"{f.sample.firm_name} {f.sample.product}",
                f.unit.name,
                f.get_status_display(),
                f.deadline,
                _late(today, f.deadline),
                existing(f"/sampling/follow-ups/{f.pk}/"),
            ),
            ["deadline", "id"],
            ["sample"],
        ),
    ]


def _trace_groups(user: Any) -> list[tuple[str, str, int]]:
    """Open trace flags by kind and station (篇7 虚假检查: where doubts gather)."""
    kinds = dict(TraceFlag.Kind.choices)
    rows = (
        scoped(TraceFlag.objects.filter(status=TraceFlag.Status.OPEN), user)
        .order_by()
        .values("kind", "unit__name", "unit__path")
        .annotate(n=Count("id"))
        .order_by("unit__path", "kind")
    )
    return [(str(kinds.get(r["kind"], r["kind"])), r["unit__name"], r["n"]) for r in rows]


def oversight(*, user: Any, today: dt.date | None = None) -> Oversight:
    """Counts and lists of what is overdue, flagged or escalated in ``user``'s scope."""
    require_leader(user)
    today = today or timezone.localdate()
    notes: list[str] = []
    calendar = _calendar(today, notes)
    found = _follow_up_items(user, today) + _oversight_items(user, today)
    found += _case_items(user, today, calendar)
    items = sorted(found, key=lambda i: ORDER.index(i.key))
    unit_ids = sorted({u for i in items for u in i.by_unit})
    units = list(Unit.objects.filter(id__in=unit_ids).order_by("path").values_list("id", "name"))
    return Oversight(today, items, units, _trace_groups(user), notes)
