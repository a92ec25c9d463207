"""What waits for the user, on the overview: one card per kind of work their roles do.

Each count uses the same filter as the list its card opens, so the two always agree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.models import CalendarYear
from xiaoneng.core.scoping import scoped
from xiaoneng.inspections.followup import queries as followup_queries
from xiaoneng.inspections.models import Inspection, Rectification, TraceFlag
from xiaoneng.inspections.records.queries import with_member
from xiaoneng.org import access
from xiaoneng.org.models import Officer
from xiaoneng.oversight.reviews import services as director_reviews
from xiaoneng.oversight.reviews.models import DirectorReview
from xiaoneng.oversight.supervision import services as supervision
from xiaoneng.oversight.supervision.models import SupervisionItem
from xiaoneng.planning.patrol.models import Task
from xiaoneng.web import jobs


@dataclass(frozen=True)
class Todo:
    """One card: how many, what, where the list is, and whether it is urgent."""

    label: str | Promise
    count: int
    url: str
    urgent: bool = False


@dataclass(frozen=True)
class CalendarNag:
    """The overview's banner to administrators: a year about to be counted provisionally."""

    year: int
    url: str

    @property
    def text(self) -> str:
        return _("%(y)d 年节假日安排尚未载入：%(y)d 年的期限暂按周一至周五计算（暂定）。") % {
            "y": self.year
        }


NAG_FROM_MONTH = 11  # the State Council usually announces next year's holidays in Oct–Nov


def calendar_nag(user: Officer, today: dt.date) -> CalendarNag | None:
    """From 1 November until next year's holidays are loaded (or while this year's are not),
    the administrators who can load them are asked to."""
    if not access.can(user, access.MANAGE_CALENDAR):
        return None
    needed = today.year + 1 if today.month >= NAG_FROM_MONTH else today.year
    last = CalendarYear.objects.order_by("-year").values_list("year", flat=True).first()
    if last is not None and last >= needed:
        return None
    year = today.year if last is None or last < today.year else needed
    return CalendarNag(year, reverse("org:calendar"))


@dataclass(frozen=True)
class JobsNag:
    """The overview's line to administrators: scheduled jobs overdue or whose last run failed."""

    overdue: list[str]
    failed: list[str]
    url: str

    @property
    def text(self) -> str:
        parts = []
        if self.overdue:
            parts.append(_("定时任务逾期未运行：%(jobs)s。") % {"jobs": "、".join(self.overdue)})
        if self.failed:
            parts.append(_("定时任务上次运行失败：%(jobs)s。") % {"jobs": "、".join(self.failed)})
        return "".join(parts)


def jobs_nag(user: Officer, now: dt.datetime) -> JobsNag | None:
    """For administrators: the jobs that have not run when due or failed last time."""
    if not access.can(user, access.MANAGE_ORGANISATION):
        return None
    found = jobs.statuses(now)
    overdue = [str(s.job.label) for s in found if s.overdue]
    failed = [str(s.job.label) for s in found if s.failed]
    if not overdue and not failed:
        return None
    return JobsNag(overdue, failed, reverse("web:jobs"))


def _link(name: str, query: str = "") -> str:
    return reverse(name) + (f"?{query}" if query else "")


def todo_for(user: Officer, today: dt.date) -> list[Todo]:
    """The cards of ``user``'s work on ``today`` (none for a user whose roles do none)."""
    cards: list[Todo] = []
    if access.can(user, access.INSPECT):
        due = Task.objects.filter(
            officer_id=user.pk, status=Task.Status.PLANNED, scheduled_on__lte=today
        ).count()
        cards.append(
            Todo(_("今日及逾期待查任务"), due, _link("planning:my_calendar"), urgent=due > 0)
        )
        drafts = with_member(
            Inspection.objects.filter(status=Inspection.Status.DRAFT), user
        ).count()
        cards.append(
            Todo(
                _("未签名的检查记录"),
                drafts,
                _link("inspections:inspection_list"),
                urgent=drafts > 0,
            )
        )
        orders = scoped(Rectification.objects.all(), user)
        overdue = followup_queries.filter_state(orders, "overdue", today).count()
        cards.append(
            Todo(
                _("逾期未整改"),
                overdue,
                _link("inspections:rectification_list", "state=overdue"),
                urgent=overdue > 0,
            )
        )
    if access.can(user, access.REVIEW_INSPECTIONS):
        flags = scoped(TraceFlag.objects.filter(status=TraceFlag.Status.OPEN), user).count()
        cards.append(
            Todo(
                _("痕迹疑点待核实"),
                flags,
                _link("inspections:trace_flag_list", "status=open"),
                urgent=flags > 0,
            )
        )
        month = director_reviews.last_month(today)
        pending = director_reviews.to_review_by(
            scoped(
                DirectorReview.objects.filter(
                    status=DirectorReview.Status.PENDING, round__month=month
                ),
                user,
            ),
            user,
        ).count()
        cards.append(
            Todo(
                _("上月所长抽查待核查"),
                pending,
                _link("oversight:review_list", f"month={month}&status=pending"),
            )
        )
    if access.can(user, access.REVIEW_INSPECTIONS) or access.can(user, access.SUPERVISE):
        items = scoped(SupervisionItem.objects.all(), user)
        late = supervision.overdue(items, today).count()
        cards.append(
            Todo(
                _("督办事项逾期未办结"),
                late,
                _link("oversight:supervision_list", "status=overdue"),
                urgent=late > 0,
            )
        )
    cards += _timeliness_cards(user, today)
    return cards


def _timeliness_cards(user: Officer, today: dt.date) -> list[Todo]:
    """电子监察: the warnings waiting for the user (their own, or escalated to them), and for
    those who run callbacks, the callbacks pending and the problems past their deadline."""
    from xiaoneng.timeliness.callbacks.models import Callback, CallbackProblem
    from xiaoneng.timeliness.clocks import queries as clock_queries
    from xiaoneng.timeliness.clocks.models import Level

    cards: list[Todo] = []
    if access.can(user, access.HANDLE_WARNINGS):
        waiting = clock_queries.with_me(clock_queries.warnings_for(user), user)
        red = waiting.filter(level=Level.RED).count()
        yellow = waiting.filter(level=Level.YELLOW).count()
        link = _link("timeliness:warning_list", "mine=1&state=open")
        cards.append(Todo(_("待我处理的红色预警"), red, link + "&level=red", urgent=red > 0))
        cards.append(Todo(_("待我处理的黄色预警"), yellow, link + "&level=yellow"))
    if access.can(user, access.RUN_CALLBACKS):
        pending = scoped(Callback.objects.filter(status=Callback.Status.PENDING), user).count()
        cards.append(
            Todo(_("待回访"), pending, _link("timeliness:callback_list", "status=pending"))
        )
        late = scoped(
            CallbackProblem.objects.filter(status=CallbackProblem.Status.OPEN, deadline__lt=today),
            user,
        ).count()
        cards.append(
            Todo(
                _("回访问题逾期未整改"),
                late,
                _link("timeliness:callback_problem_list", "status=overdue"),
                urgent=late > 0,
            )
        )
    return cards
