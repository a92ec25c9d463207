"""The follow-up (后处理) of a failed spot-check batch (监督抽查, 篇4), until closed or escalated.

The follow-up's time limits are those of 《产品质量监督抽查管理暂行办法》(市场监管总局令第18号)
第六章 结果处理: 第四十五条 the firm stops producing and selling the same product at once;
第四十六条 it is ordered to rectify within 60 days of the order (责令之日起六十日内予以改正);
第四十七条 the bureau re-inspects within 75 days of the order, and a firm that fails the
re-inspection is reported up for public announcement (here: escalated to a case). The law counts
these in days (日), not working days.

A failed result opens the follow-up (``sampling.record_result``).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import panels
from xiaoneng.core.audit import attributed
from xiaoneng.core.errors import Conflict, FieldError, NotPermitted
from xiaoneng.core.scoping import scoped
from xiaoneng.inspections.sampling import transitions
from xiaoneng.inspections.sampling.models import SampleFollowUp
from xiaoneng.inspections.sampling.services import (
    RECTIFY_DAYS,
    limited_text,
    raise_errors,
    required_text,
)
from xiaoneng.org import access
from xiaoneng.org.models import Officer

REINSPECT_DAYS = 75  # 第四十七条: 自责令之日起七十五日内组织复查


def visible_follow_ups(user: Officer) -> QuerySet[SampleFollowUp]:
    """The follow-ups of the units ``user`` may see."""
    return scoped(SampleFollowUp.objects.all(), user)


OPEN_STATES = (
    SampleFollowUp.Status.OPEN,
    SampleFollowUp.Status.RECTIFYING,
    SampleFollowUp.Status.REINSPECTED,
)
DONE_STATES = (SampleFollowUp.Status.CLOSED, SampleFollowUp.Status.ESCALATED)


def overdue_filter(today: dt.date) -> Q:
    """Past the deadline with no re-inspection recorded (待处理 or 整改中)."""
    return Q(
        status__in=(SampleFollowUp.Status.OPEN, SampleFollowUp.Status.RECTIFYING),
        deadline__lt=today,
    )


def overdue(follow_ups: QuerySet[SampleFollowUp], today: dt.date) -> QuerySet[SampleFollowUp]:
    """The follow-ups of ``follow_ups`` that are overdue on ``today``."""
    return follow_ups.filter(overdue_filter(today))


def reinspection_due(follow_up: SampleFollowUp) -> dt.date | None:
    """The last day of the re-inspection (第四十七条: 75 days from the order)."""
    if follow_up.ordered_on is None:
        return None
    return follow_up.ordered_on + dt.timedelta(days=REINSPECT_DAYS)


# Moves ---------------------------------------------------------------------------------------


def _may_follow_up(actor: Officer, follow_up: SampleFollowUp) -> None:
    """Officers who inspect (grid officers, directors, division staff) handle follow-ups."""
    if not (access.can(actor, access.INSPECT) or access.can(actor, access.MANAGE_SAMPLING)):
        raise NotPermitted(_("您的角色无权执行此操作。"))
    access.require_unit(actor, follow_up.unit_id)


def _day(
    errors: list[FieldError], field: str, day: dt.date | None, label: str, today: dt.date
) -> None:
    if day is None:
        errors.append(FieldError(field, _("请填写%(label)s（YYYY-MM-DD）") % {"label": label}))
    elif day > today:
        errors.append(
            FieldError(field, _("%(label)s不能晚于今天：%(d)s") % {"label": label, "d": day})
        )


def start_rectifying(
    *,
    follow_up: SampleFollowUp,
    actor: Officer,
    actions: str,
    deadline: dt.date | None,
    ordered_on: dt.date | None = None,
    today: dt.date | None = None,
) -> SampleFollowUp:
    """Order the firm to rectify (责令整改): the measures taken and a deadline no later than 60
    days after the order (第四十六条); the re-inspection is due 75 days after it (第四十七条)."""
    _may_follow_up(actor, follow_up)
    transitions.SAMPLE_FOLLOW_UP.check(follow_up, SampleFollowUp.Status.RECTIFYING)
    today = today or timezone.localdate()
    ordered_on = ordered_on or today
    errors: list[FieldError] = []
    actions = required_text(errors, "actions", actions, _("处理措施"), 2000)
    _day(errors, "ordered_on", ordered_on, _("责令整改日期"), today)
    reported = follow_up.sample.reported_on
    if reported and ordered_on < reported:
        errors.append(
            FieldError(
                "ordered_on",
                _("责令整改日期不能早于检验报告日期 %(r)s：%(d)s")
                % {"r": reported, "d": ordered_on},
            )
        )
    latest = ordered_on + dt.timedelta(days=RECTIFY_DAYS)
    if deadline is None:
        errors.append(FieldError("deadline", _("请填写整改期限（YYYY-MM-DD）")))
    elif deadline < today:
        errors.append(FieldError("deadline", _("整改期限不能早于今天：%(d)s") % {"d": deadline}))
    elif deadline > latest:
        errors.append(
            FieldError(
                "deadline",
                _("整改期限自责令之日起不得超过六十日（最晚 %(l)s）：%(d)s")
                % {"l": latest, "d": deadline},
            )
        )
    raise_errors(errors)
    with transaction.atomic(), attributed(actor):
        transitions.SAMPLE_FOLLOW_UP.move(follow_up, SampleFollowUp.Status.RECTIFYING)
        follow_up.actions = actions
        follow_up.ordered_on = ordered_on
        follow_up.deadline = deadline
        follow_up.save(update_fields=["status", "actions", "ordered_on", "deadline"])
    return follow_up


def record_reinspection(
    *,
    follow_up: SampleFollowUp,
    actor: Officer,
    passed: bool,
    reinspected_on: dt.date | None,
    note: str = "",
    today: dt.date | None = None,
) -> SampleFollowUp:
    """Record the re-inspection (复查). A failed one can only be escalated to a case next
    (第四十七条: reported up for public announcement)."""
    _may_follow_up(actor, follow_up)
    transitions.SAMPLE_FOLLOW_UP.check(follow_up, SampleFollowUp.Status.REINSPECTED)
    today = today or timezone.localdate()
    errors: list[FieldError] = []
    note = limited_text(errors, "note", note, _("复查情况"), 300)
    _day(errors, "reinspected_on", reinspected_on, _("复查日期"), today)
    if reinspected_on and follow_up.ordered_on and reinspected_on < follow_up.ordered_on:
        errors.append(
            FieldError(
                "reinspected_on",
                _("复查日期不能早于责令整改日期 %(o)s：%(d)s")
                % {"o": follow_up.ordered_on, "d": reinspected_on},
            )
        )
    if not passed and not note:
        errors.append(FieldError("note", _("复查不合格请填写复查情况")))
    raise_errors(errors)
    with transaction.atomic(), attributed(actor):
        transitions.SAMPLE_FOLLOW_UP.move(follow_up, SampleFollowUp.Status.REINSPECTED)
        follow_up.reinspected_on = reinspected_on
        follow_up.reinspection_passed = bool(passed)
        follow_up.reinspection_note = note
        follow_up.save(
            update_fields=["status", "reinspected_on", "reinspection_passed", "reinspection_note"]
        )
    return follow_up


def close_follow_up(
    *, follow_up: SampleFollowUp, actor: Officer, note: str = "", today: dt.date | None = None
) -> SampleFollowUp:
    """Close a follow-up (办结): after a passed re-inspection, or while still open with a reason
    (e.g. the verdict was overturned on appeal, 异议复检)."""
    _may_follow_up(actor, follow_up)
    transitions.SAMPLE_FOLLOW_UP.check(follow_up, SampleFollowUp.Status.CLOSED)
    if follow_up.reinspection_passed is False:
        raise Conflict(_("复查仍不合格，不能办结，请移送立案"))
    errors: list[FieldError] = []
    note = limited_text(errors, "note", note, _("办结说明"), 300)
    if follow_up.status == SampleFollowUp.Status.OPEN and not note:
        errors.append(FieldError("note", _("未经整改复查即办结，请填写办结说明")))
    raise_errors(errors)
    with transaction.atomic(), attributed(actor):
        transitions.SAMPLE_FOLLOW_UP.move(follow_up, SampleFollowUp.Status.CLOSED)
        follow_up.closed_on = today or timezone.localdate()
        follow_up.closing_note = note
        follow_up.save(update_fields=["status", "closed_on", "closing_note"])
    return follow_up


def mark_escalated(*, follow_up: SampleFollowUp, actor: Officer) -> SampleFollowUp:
    """Mark the follow-up escalated to a case by hand (opening a case from it does so too)."""
    _may_follow_up(actor, follow_up)
    with transaction.atomic(), attributed(actor):
        transitions.SAMPLE_FOLLOW_UP.move(follow_up, SampleFollowUp.Status.ESCALATED)
        follow_up.save(update_fields=["status"])
    return follow_up


def escalate_url(follow_up: SampleFollowUp) -> str:
    """The form of a case from this follow-up's failed sample, as the cases domain registers
    it (ADR 0012); "" while no domain offers one."""
    return panels.link(follow_up.sample, "open_case")
