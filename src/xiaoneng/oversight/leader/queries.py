"""The leader's view (局领导监控, 篇2's third level of oversight): what is overdue, flagged or
escalated in the user's scope, counted by unit and listed most urgent first.

It reads the records of the two other levels — director spot checks (所长抽查) and division
supervision (科室督办) — and of follow-up and cases; it has no table of its own. Each count is
taken with the filter of the list page it links to, so a card and its list never disagree.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.cases import limits
from xiaoneng.cases.models import Case
from xiaoneng.core.errors import NotPermitted
from xiaoneng.core.scoping import scoped
from xiaoneng.inspections.followup import queries as followup_queries
from xiaoneng.inspections.models import Finding, Rectification, SampleFollowUp, TraceFlag
from xiaoneng.inspections.sampling import followup as sampling_followup
from xiaoneng.org import access
from xiaoneng.org.models import Officer, Unit
from xiaoneng.oversight.reviews import services as director_reviews
from xiaoneng.oversight.reviews.models import DirectorReview
from xiaoneng.oversight.supervision import services as supervision
from xiaoneng.oversight.supervision.models import SupervisionItem

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


def require_leader(user: Officer) -> None:
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


def _follow_up_items(user: Officer, today: dt.date) -> list[Item]:
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

    # Each count is the filter of the list it links to, so the two always agree.
    return [
        _item(
            "rectifications_overdue",
            _("责令整改已逾期"),
            followup_queries.filter_state(rectifications, "overdue", today),
            "/rectifications/?state=overdue",
            order_entry,
            ["deadline", "id"],
            ["entity"],
        ),
        _item(
            "rectifications_warned",
            _("逾期已警示仍未整改"),
            followup_queries.filter_state(rectifications, "warned", today),
            "/rectifications/?state=warned",
            order_entry,
            ["deadline", "id"],
            ["entity"],
        ),
        _item(
            "findings_escalated",
            _("检查发现已转立案"),
            scoped(Finding.objects.filter(status=Finding.Status.ESCALATED), user),
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


def _review_item(user: Officer, today: dt.date, notes: list[str]) -> Item:
    """Last month's spot checks not done, as the spot-check list of that month shows them; the
    months before it, which that list cannot show at once, are named in a note."""
    month = director_reviews.last_month(today)
    pending = scoped(DirectorReview.objects.filter(status=DirectorReview.Status.PENDING), user)
    earlier = (
        pending.filter(round__month__lt=month)
        .order_by()
        .values("round__month")
        .annotate(n=Count("id"))
        .order_by("round__month")
    )
    if earlier:
        notes.append(
            _("更早月份尚有%(n)d份所长抽查未完成：%(months)s")
            % {
                "n": sum(row["n"] for row in earlier),
                "months": "、".join(row["round__month"] for row in earlier),
            }
        )
    return _item(
        "reviews_pending",
        _("上月所长抽查未完成"),
        pending.filter(round__month=month),
        f"/reviews/?month={month}&status={DirectorReview.Status.PENDING}",
        lambda r: Entry(
            str(r.inspection),
            r.unit.name,
            r.round.month,
            None,
            None,
            existing(f"/reviews/{r.pk}/"),
        ),
        ["unit__path", "id"],
        ["round", "inspection__entity"],
    )


def _oversight_items(user: Officer, today: dt.date, notes: list[str]) -> list[Item]:
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
            supervision.overdue(scoped(SupervisionItem.objects.all(), user), today),
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
        _review_item(user, today, notes),
    ]


def _case_item(user: Officer, today: dt.date, notes: list[str]) -> Item:
    """Cases past their stage time limit: the red warnings of ``cases.limits``, the same rule
    the case list's ``?warning=red`` applies (a decided case paid in full is not late)."""
    warnings = limits.stage_warnings(scoped(Case.objects.all(), user), today)
    red = [w for w in warnings if w.level == limits.RED]
    unknown = [w for w in warnings if w.level == limits.UNKNOWN]
    if unknown:
        notes.append(
            _("%(n)d件案件的办案时限无法计算：%(reason)s")
            % {"n": len(unknown), "reason": unknown[0].message}
        )
    by_unit = dict(Counter(w.case.unit_id for w in red))
    found = Item(
        "cases_overdue", _("案件超过办案时限"), len(red), by_unit, existing("/cases/?warning=red")
    )
    found.entries = [
        Entry(
            f"{w.case.number} {w.case.title}",
            w.case.unit.name,
            f"{w.case.get_status_display()} · {w.what}",
            w.deadline,
            w.days,
            existing(f"/cases/{w.case.pk}/"),
        )
        for w in red[:LIST_LIMIT]
    ]
    return found


def _samples_item(user: Officer, today: dt.date) -> Item:
    return _item(
        "samples_open",
        _("抽查不合格后处理未办结"),
        scoped(SampleFollowUp.objects.filter(status__in=sampling_followup.OPEN_STATES), user),
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
    )


def _trace_groups(user: Officer) -> list[tuple[str, str, int]]:
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


def oversight(*, user: Officer, today: dt.date | None = None) -> Oversight:
    """Counts and lists of what is overdue, flagged or escalated in ``user``'s scope; each
    count is what the list it links to shows on ``today``."""
    require_leader(user)
    today = today or timezone.localdate()
    notes: list[str] = []
    found = _follow_up_items(user, today) + _oversight_items(user, today, notes)
    found += [_case_item(user, today, notes), _samples_item(user, today)]
    items = sorted(found, key=lambda i: ORDER.index(i.key))
    unit_ids = sorted({u for i in items for u in i.by_unit})
    units = list(Unit.objects.filter(id__in=unit_ids).order_by("path").values_list("id", "name"))
    return Oversight(today, items, units, _trace_groups(user), notes)
