"""The monthly bulletin of 电子监察 (篇9: 实行每月一通报) of one month and the viewer's scope.

Every figure is read from its sub-domain's ``figures`` module, never counted here; the
bulletin only writes them as 篇9's sentences ("回访服务对象和群众2673人次，其中电话回访1862人次，
上门回访811人次，回访满意率达99.6%"), whose parts add up to their totals, and as tables by unit
that add up to their 合计 row (each record belongs to one unit, so the units partition it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoneng.core.calendar import WorkingCalendar
from xiaoneng.core.errors import InvalidInput
from xiaoneng.core.params import MAX_YEAR, MIN_YEAR
from xiaoneng.core.tabular import write_sheet
from xiaoneng.org.models import Officer, Unit
from xiaoneng.reports.export import Table
from xiaoneng.reports.scope import Scope, report_scope
from xiaoneng.timeliness.accountability.figures import AccountabilityFigures, accountability_figures
from xiaoneng.timeliness.accountability.models import AccountabilityAction, ActionKind
from xiaoneng.timeliness.callbacks import figures as callback_figures
from xiaoneng.timeliness.callbacks.models import Callback, CallbackProblem
from xiaoneng.timeliness.clocks import figures as warning_figures
from xiaoneng.timeliness.clocks.models import Warning
from xiaoneng.timeliness.complaints import figures as complaint_figures
from xiaoneng.timeliness.complaints.models import Complaint
from xiaoneng.timeliness.permits import figures as permit_figures
from xiaoneng.timeliness.permits.models import ServiceCase

OFFERED_MONTHS = 12  # the months the page offers: this one and eleven before it


# The month ----------------------------------------------------------------------------------


def month_start(text: str | None, *, today: dt.date | None = None) -> dt.date:
    """The first day of the month ``text`` (YYYY-MM); empty: last month. A month that is not
    one, out of the years kept (``core.params``) or after the current one is refused, naming
    the field ``month``."""
    today = today or timezone.localdate()
    value = (text or "").strip()
    if not value:
        return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    parts = value.split("-")
    ok = len(parts) == 2 and len(parts[0]) == 4 and len(parts[1]) == 2
    ok = ok and all(p.isascii() and p.isdigit() for p in parts)
    if not ok or not (MIN_YEAR <= int(parts[0]) <= MAX_YEAR and 1 <= int(parts[1]) <= 12):
        raise InvalidInput.single(
            "month", _("月份应为 YYYY-MM 格式，如 2026-11：%(v)s") % {"v": value}
        )
    first = dt.date(int(parts[0]), int(parts[1]), 1)
    if first > today.replace(day=1):
        message = _("月份不能晚于本月（%(now)s）：%(v)s") % {"now": f"{today:%Y-%m}", "v": value}
        raise InvalidInput.single("month", message)
    return first


def month_end(first: dt.date) -> dt.date:
    return (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def offered_months(today: dt.date | None = None) -> list[str]:
    """The months the page offers, newest first: this one and the ones before it."""
    now = today or timezone.localdate()
    index = now.year * 12 + now.month - 1
    return [f"{i // 12}-{i % 12 + 1:02d}" for i in range(index, index - OFFERED_MONTHS, -1)]


# The figures --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Parts:
    """The month's figures of a set of units, each from its sub-domain's figures module."""

    warnings: warning_figures.WarningFigures
    permits: permit_figures.Figures
    complaints: complaint_figures.Figures
    callbacks: callback_figures.Tally
    problems: callback_figures.ProblemTally
    accountability: AccountabilityFigures

    @property
    def empty(self) -> bool:
        """Nothing to show in any table."""
        w, p, c = self.warnings, self.permits, self.problems
        counts = [w.raised, w.handled, p.completed, p.breaches, self.complaints.total]
        counts += [self.callbacks.made, c.raised, c.rectified, c.fed_back]
        return not any(counts) and not self.accountability.actions


def _parts(
    unit_ids: list[int] | None,
    start: dt.date,
    end: dt.date,
    today: dt.date,
    calendar: WorkingCalendar,
) -> Parts:
    def of(queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset if unit_ids is None else queryset.filter(unit_id__in=unit_ids)

    return Parts(
        warnings=warning_figures.warning_figures(of(Warning.objects.all()), start, end),
        permits=permit_figures.figures(
            of(ServiceCase.objects.all()), start, end, calendar=calendar
        ),
        complaints=complaint_figures.complaint_figures(of(Complaint.objects.all()), start, end),
        callbacks=callback_figures.tally(of(Callback.objects.all()), start, end),
        problems=callback_figures.problems(of(CallbackProblem.objects.all()), start, end, today),
        accountability=accountability_figures(start=start, end=end, unit_ids=unit_ids),
    )


@dataclass(frozen=True)
class UnitParts:
    unit: Unit
    parts: Parts


@dataclass
class TimelinessBulletin:
    """One month's bulletin of a scope: the totals and the units' shares of them."""

    start: dt.date
    end: dt.date
    unit_name: str
    unit_code: str
    made_on: dt.date
    total: Parts
    units: list[UnitParts] = field(default_factory=list)

    @property
    def month(self) -> str:
        return f"{self.start:%Y-%m}"


def _active_units(scope: Scope, start: dt.date, end: dt.date) -> list[Unit]:
    """The units of the scope with a record of the month, in the tree's order."""
    ids: set[int] = set()
    sources: list[QuerySet[Any]] = [
        Warning.objects.filter(
            Q(raised_on__range=(start, end)) | Q(handled_at__date__range=(start, end))
        ),
        ServiceCase.objects.filter(received_on__lte=end),
        Complaint.objects.filter(received_on__range=(start, end)),
        Callback.objects.filter(called_on__range=(start, end)),
        CallbackProblem.objects.all(),
        AccountabilityAction.objects.filter(decided_on__range=(start, end)),
    ]
    for rows in sources:
        ids.update(scope.filter(rows).order_by().values_list("unit_id", flat=True).distinct())
    return list(Unit.objects.filter(pk__in=ids).order_by("path"))


def timeliness_bulletin(
    *, start: dt.date, unit: Unit | None, user: Officer | None, today: dt.date | None = None
) -> TimelinessBulletin:
    """The bulletin of the month starting ``start`` for ``unit``'s subtree (None: the user's
    whole scope; ``user`` None: the administrator, as the CLI)."""
    scope = report_scope(unit=unit, user=user)
    end = month_end(start)
    today = today or timezone.localdate()
    calendar = WorkingCalendar.load()
    total = _parts(scope.unit_ids, start, end, today, calendar)
    units = []
    for found in _active_units(scope, start, end):
        parts = _parts([found.pk], start, end, today, calendar)
        if not parts.empty:
            units.append(UnitParts(found, parts))
    return TimelinessBulletin(
        start=start,
        end=end,
        unit_name=scope.unit.name if scope.unit else _("全部单位"),
        unit_code=scope.unit.code if scope.unit else "",
        made_on=today,
        total=total,
        units=units,
    )


# The sentences ------------------------------------------------------------------------------


def yuan(amount: Decimal) -> str:
    """Yuan as 篇9 writes them: 3500.00 → "3500", 200.50 → "200.50"."""
    value = Decimal(amount).quantize(Decimal("0.01"))
    return f"{value:.0f}" if value == value.to_integral_value() else f"{value:.2f}"


def title(bulletin: TimelinessBulletin) -> str:
    """示范县市场监督管理局2026年11月电子监察通报."""
    return _("%(unit)s%(year)d年%(month)d月电子监察通报") % {
        "unit": bulletin.unit_name,
        "year": bulletin.start.year,
        "month": bulletin.start.month,
    }


def warning_sentence(parts: Parts) -> str:
    f = parts.warnings
    if not f.raised:
        text = _("本月没有发出时限预警")
    else:
        text = _("本月发出时限预警%(n)d次，其中黄色预警%(y)d次，红色预警%(r)d次") % {
            "n": f.raised,
            "y": f.yellow,
            "r": f.red,
        }
        if f.escalated:
            text += _("，红色预警逐级上报%(n)d次") % {"n": f.escalated}
    if f.handled:
        text += _("，处理预警%(n)d次") % {"n": f.handled}
    return text + _("。")


def permit_sentence(parts: Parts) -> str:
    f = parts.permits
    if not f.completed:
        return _("本月没有办结的办件。")
    return _(
        "本月办结办件%(done)d件，其中承诺时限内办结%(in_time)d件，超过承诺时限办结%(late)d件，"
        "按时办结率达%(rate)s%%。"
    ) % {
        "done": f.completed,
        "in_time": f.within_committed,
        "late": f.late_committed,
        "rate": f.committed_rate,
    }


def complaint_sentence(parts: Parts) -> str:
    f = parts.complaints
    if not f.total:
        return _("本月没有收到投诉举报。")
    text = _("本月收到投诉举报%(total)d件，其中投诉%(complaints)d件，举报%(reports)d件") % {
        "total": f.total,
        "complaints": f.complaints,
        "reports": f.reports,
    }
    if f.in_time_rate is not None:
        text += _("，投诉按时受理率达%(rate)s%%") % {"rate": f.in_time_rate}
    return text + _("。")


def callback_sentence(parts: Parts) -> str:
    if not parts.callbacks.made:
        return _("本月没有回访。")
    return _("本月") + callback_figures.sentence(parts.callbacks)


def problem_sentence(parts: Parts) -> str:
    p = parts.problems
    if not (p.raised or p.rectified or p.fed_back or p.overdue):
        return _("本月回访中群众没有反映问题。")
    text = _(
        "本月回访中群众反映问题%(raised)d个，整改到位%(rectified)d个，"
        "向反映问题的群众反馈整改情况%(fed_back)d人次"
    ) % {"raised": p.raised, "rectified": p.rectified, "fed_back": p.fed_back}
    if p.overdue:
        text += _("，逾期未整改%(n)d个") % {"n": p.overdue}
    return text + _("。")


def notice_sentence(parts: Parts) -> str:
    breaches = parts.permits.breaches
    if not breaches:
        return _("本月没有违反一次性告知制的情况。")
    return _("本月发现违反一次性告知制%(n)d起。") % {"n": breaches}


def accountability_sentence(parts: Parts) -> str:
    f = parts.accountability
    if not f.actions:
        return _("本月没有问责。")
    labels = dict(ActionKind.choices)
    kinds = _("，").join(
        _("%(kind)s%(n)d人次") % {"kind": labels[kind], "n": n}
        for kind, n in f.by_kind.items()
        if n
    )
    text = _("本月问责干部%(n)d人次，其中%(kinds)s") % {"n": f.actions, "kinds": kinds}
    if f.deducted:
        text += _("；扣发个人补助%(n)d人次，共计%(yuan)s元") % {
            "n": f.deducted,
            "yuan": yuan(f.deduction),
        }
    return text + _("。")


# The bulletin's order: warnings, cases, complaints, callbacks, problems, notices, accountability.
SENTENCES: list[Callable[[Parts], str]] = [warning_sentence, permit_sentence, complaint_sentence]
SENTENCES += [callback_sentence, problem_sentence, notice_sentence, accountability_sentence]


def sentences(bulletin: TimelinessBulletin) -> list[str]:
    """The bulletin's sentences, in 篇9's words, of its totals."""
    return [write(bulletin.total) for write in SENTENCES]


# The tables ---------------------------------------------------------------------------------


def percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{value}%"


# Each table: its title and its columns, a heading and the figure it shows of a unit's Parts.
Column = tuple[Any, Callable[[Parts], Any]]
TABLES: list[tuple[Any, list[Column]]] = [
    (
        gettext_lazy("时限预警与办件"),
        [
            (gettext_lazy("黄色预警"), lambda p: p.warnings.yellow),
            (gettext_lazy("红色预警"), lambda p: p.warnings.red),
            (gettext_lazy("逐级上报"), lambda p: p.warnings.escalated),
            (gettext_lazy("处理预警"), lambda p: p.warnings.handled),
            (gettext_lazy("办结办件"), lambda p: p.permits.completed),
            (gettext_lazy("承诺时限内办结"), lambda p: p.permits.within_committed),
            (gettext_lazy("超过承诺时限办结"), lambda p: p.permits.late_committed),
            (gettext_lazy("违反一次性告知"), lambda p: p.permits.breaches),
        ],
    ),
    (
        gettext_lazy("投诉举报"),
        [
            (gettext_lazy("投诉举报"), lambda p: p.complaints.total),
            (gettext_lazy("投诉"), lambda p: p.complaints.complaints),
            (gettext_lazy("举报"), lambda p: p.complaints.reports),
        ],
    ),
    (
        gettext_lazy("回访与整改"),
        [
            (gettext_lazy("回访人次"), lambda p: p.callbacks.made),
            (gettext_lazy("电话回访"), lambda p: p.callbacks.phone),
            (gettext_lazy("上门回访"), lambda p: p.callbacks.on_site),
            (gettext_lazy("满意"), lambda p: p.callbacks.satisfied),
            (gettext_lazy("基本满意"), lambda p: p.callbacks.basic),
            (gettext_lazy("不满意"), lambda p: p.callbacks.unsatisfied),
            (gettext_lazy("满意率"), lambda p: percent(p.callbacks.satisfaction)),
            (gettext_lazy("反映问题"), lambda p: p.problems.raised),
            (gettext_lazy("整改到位"), lambda p: p.problems.rectified),
            (gettext_lazy("反馈群众"), lambda p: p.problems.fed_back),
        ],
    ),
    (
        gettext_lazy("问责"),
        [
            *(
                (str(label), lambda p, kind=kind: p.accountability.by_kind[kind])
                for kind, label in ActionKind.choices
            ),
            (gettext_lazy("问责人次"), lambda p: p.accountability.actions),
            (gettext_lazy("扣发补助人次"), lambda p: p.accountability.deducted),
            (gettext_lazy("扣发补助（元）"), lambda p: p.accountability.deduction),
        ],
    ),
]


def tables(bulletin: TimelinessBulletin) -> list[Table]:
    """Tables by unit, each ending in a 合计 row its columns add up to (rates excepted)."""
    found = []
    for heading, columns in TABLES:
        rows = [
            [part.unit.name, *(figure(part.parts) for _label, figure in columns)]
            for part in bulletin.units
        ]
        rows.append([_("合计"), *(figure(bulletin.total) for _label, figure in columns)])
        found.append(Table(str(heading), [_("单位"), *(str(label) for label, _f in columns)], rows))
    return found


def write_xlsx(bulletin: TimelinessBulletin, target: str | Path | IO[bytes]) -> None:
    """A workbook: the sheet 通报 (title, month, sentences one a row), then a sheet a table,
    laid out by ``core.tabular.write_sheet``."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    heading = _("月份：%(month)s；单位：%(unit)s；生成日期：%(made)s") % {
        "month": bulletin.month,
        "unit": bulletin.unit_name,
        "made": bulletin.made_on,
    }
    lines = [[heading], *([text] for text in sentences(bulletin))]
    write_sheet(book, _("通报"), [title(bulletin)], lines)
    for table in tables(bulletin):
        write_sheet(book, table.title, table.columns, table.rows)
    book.save(target)
