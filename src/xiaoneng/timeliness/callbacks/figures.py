"""The figures of callbacks (回访, 篇9), each defined once here (docs/timeliness/callbacks.md);
the satisfaction page, its XLSX, the API and the bulletin all read them.

Over a period [start, end] of callback days (``called_on``):

- made (回访人次): callbacks done (the party reached) that day or another of the period; of
  them by phone (电话回访) and on site (上门回访). Reached = made.
- unreachable: attempts that reached no one (无法联系), not counted in made.
- answered: made with an overall answer (总体评价) given;
- satisfied / basic / unsatisfied: answered with overall 满意 / 基本满意 / 不满意;
- satisfaction (满意率) = (satisfied + basic) / answered, a percentage to one decimal place
  (half up), None when nothing was answered.

Problems raised on callbacks: raised = those whose callback fell in the period; rectified =
rectified_on in the period; fed back = fed_back_on in the period; overdue = on the period's
last day (or today, if earlier) raised, past the deadline and not yet rectified.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.timeliness.callbacks.models import (
    Answer,
    Callback,
    CallbackProblem,
    Channel,
    SubjectKind,
)

PERCENT = Decimal("0.1")


def satisfaction(satisfied: int, basic: int, answered: int) -> Decimal | None:
    """(满意 + 基本满意) / answered as a percentage, one decimal place; None when none answered."""
    if not answered:
        return None
    return (Decimal(100 * (satisfied + basic)) / Decimal(answered)).quantize(
        PERCENT, rounding=ROUND_HALF_UP
    )


@dataclass(frozen=True)
class Tally:
    """The callback figures of one group (a unit, an officer, a channel, a month) or all."""

    made: int = 0
    phone: int = 0
    on_site: int = 0
    unreachable: int = 0
    answered: int = 0
    satisfied: int = 0
    basic: int = 0
    unsatisfied: int = 0

    @property
    def reached(self) -> int:
        return self.made

    @property
    def satisfaction(self) -> Decimal | None:
        return satisfaction(self.satisfied, self.basic, self.answered)


DONE = Q(status=Callback.Status.DONE)
COUNTS: dict[str, Count] = {
    "made": Count("id", filter=DONE),
    "phone": Count("id", filter=DONE & Q(channel=Channel.PHONE)),
    "on_site": Count("id", filter=DONE & Q(channel=Channel.ON_SITE)),
    "unreachable": Count("id", filter=Q(status=Callback.Status.UNREACHABLE)),
    "answered": Count("id", filter=DONE & ~Q(overall="")),
    "satisfied": Count("id", filter=DONE & Q(overall=Answer.SATISFIED)),
    "basic": Count("id", filter=DONE & Q(overall=Answer.BASIC)),
    "unsatisfied": Count("id", filter=DONE & Q(overall=Answer.UNSATISFIED)),
}


def in_period(callbacks: QuerySet[Callback], start: dt.date, end: dt.date) -> QuerySet[Callback]:
    """The callbacks attempted in [start, end] (done or unreachable, by ``called_on``)."""
    return callbacks.filter(called_on__range=(start, end))


def tally(callbacks: QuerySet[Callback], start: dt.date, end: dt.date) -> Tally:
    """The figures of ``callbacks`` (already scoped) over [start, end]."""
    return Tally(**in_period(callbacks, start, end).aggregate(**COUNTS))


@dataclass(frozen=True)
class Row:
    """One group's figures: its key, its label and its tally."""

    key: str
    label: str
    tally: Tally


def _grouped(
    callbacks: QuerySet[Callback],
    start: dt.date,
    end: dt.date,
    fields: list[str],
    label: Callable[[dict[str, Any]], tuple[str, str]],
    order: str,
    annotate: dict[str, Any] | None = None,
) -> list[Row]:
    rows = in_period(callbacks, start, end).order_by()
    if annotate:
        rows = rows.annotate(**annotate)
    values = rows.values(*fields).annotate(**COUNTS).order_by(order)
    result = []
    for found in values:
        key, text = label(found)
        result.append(Row(key, text, Tally(**{name: found[name] for name in COUNTS})))
    return result


def by_unit(callbacks: QuerySet[Callback], start: dt.date, end: dt.date) -> list[Row]:
    """Figures by the callback's unit (the record's), in the tree's order."""
    return _grouped(
        callbacks,
        start,
        end,
        ["unit__code", "unit__name", "unit__path"],
        lambda r: (r["unit__code"], r["unit__name"]),
        "unit__path",
    )


def by_officer(callbacks: QuerySet[Callback], start: dt.date, end: dt.date) -> list[Row]:
    """Figures by the officer whose work was asked about."""

    def label(r: dict[str, Any]) -> tuple[str, str]:
        if r["officer__username"] is None:
            return "", _("（未记录承办人）")
        return r["officer__username"], r["officer__name"] or r["officer__username"]

    return _grouped(
        callbacks,
        start,
        end,
        ["officer__username", "officer__name"],
        label,
        "officer__username",
    )


def by_channel(callbacks: QuerySet[Callback], start: dt.date, end: dt.date) -> list[Row]:
    """Figures by channel (电话回访 / 上门回访)."""
    labels = dict(Channel.choices)
    return _grouped(
        callbacks,
        start,
        end,
        ["channel"],
        lambda r: (r["channel"], str(labels.get(r["channel"], r["channel"]))),
        "channel",
    )


def by_subject_kind(callbacks: QuerySet[Callback], start: dt.date, end: dt.date) -> list[Row]:
    """Figures by the kind of work asked about."""
    labels = dict(SubjectKind.choices)
    return _grouped(
        callbacks,
        start,
        end,
        ["subject_kind"],
        lambda r: (r["subject_kind"], str(labels.get(r["subject_kind"], r["subject_kind"]))),
        "subject_kind",
    )


def by_month(callbacks: QuerySet[Callback], start: dt.date, end: dt.date) -> list[Row]:
    """Figures by the month of the callback (YYYY-MM)."""

    def label(r: dict[str, Any]) -> tuple[str, str]:
        text = r["month"].strftime("%Y-%m")
        return text, text

    return _grouped(
        callbacks,
        start,
        end,
        ["month"],
        label,
        "month",
        annotate={"month": TruncMonth("called_on")},
    )


GROUPINGS: dict[str, tuple[str, Callable[..., list[Row]]]] = {
    "unit": (_("按单位"), by_unit),
    "officer": (_("按承办人"), by_officer),
    "channel": (_("按回访方式"), by_channel),
    "month": (_("按月份"), by_month),
    "subject_kind": (_("按回访对象"), by_subject_kind),
}


@dataclass(frozen=True)
class ProblemTally:
    """Problems raised on callbacks over a period, and those overdue at its end."""

    raised: int
    rectified: int
    fed_back: int
    overdue: int


def problems(
    items: QuerySet[CallbackProblem], start: dt.date, end: dt.date, today: dt.date | None = None
) -> ProblemTally:
    """The problem figures of ``items`` (already scoped) over [start, end]."""
    today = today or timezone.localdate()
    as_of = min(end, today)
    open_then = Q(rectified_on__isnull=True) | Q(rectified_on__gt=as_of)
    return ProblemTally(
        raised=items.filter(callback__called_on__range=(start, end)).count(),
        rectified=items.filter(rectified_on__range=(start, end)).count(),
        fed_back=items.filter(fed_back_on__range=(start, end)).count(),
        overdue=items.filter(open_then, callback__called_on__lte=as_of, deadline__lt=as_of).count(),
    )


def sentence(t: Tally) -> str:
    """篇9's sentence: 回访服务对象和群众N人次，其中电话回访N人次，…，回访满意率达N%。"""
    text = _(
        "回访服务对象和群众%(made)d人次，其中电话回访%(phone)d人次，上门回访%(on_site)d人次"
    ) % {
        "made": t.made,
        "phone": t.phone,
        "on_site": t.on_site,
    }
    if t.satisfaction is not None:
        text += _("，回访满意率达%(rate)s%%") % {"rate": t.satisfaction}
    return text + _("。")
