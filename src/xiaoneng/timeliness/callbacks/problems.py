"""Problems raised on a callback (回访问题): rectified by their owner and fed back to the party
(篇9: 及时向其通报和反馈整改落实情况)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import audit
from xiaoneng.core.errors import Conflict, FieldError, NotPermitted
from xiaoneng.org.models import Officer
from xiaoneng.timeliness.callbacks.checks import TEXT_LENGTH, may_rectify, refuse, within
from xiaoneng.timeliness.callbacks.models import Callback, CallbackProblem
from xiaoneng.timeliness.callbacks.transitions import PROBLEM

P = CallbackProblem.Status


def owners(callback: Callback) -> QuerySet[Officer]:
    """Who may own a problem raised on ``callback``: the active officers of its unit's subtree."""
    return Officer.objects.filter(within(callback.unit), is_active=True).order_by("username")


def problem_errors(
    callback: Callback,
    description: str,
    owner: Officer | None,
    deadline: dt.date | None,
    called_on: dt.date | None,
) -> list[FieldError]:
    """What is wrong with a problem to raise on ``callback`` called on ``called_on``."""
    errors = []
    if not description:
        errors.append(FieldError("description", _("请填写反映的问题")))
    elif len(description) > TEXT_LENGTH:
        errors.append(
            FieldError("description", _("反映问题不能超过 %(n)d 个字") % {"n": TEXT_LENGTH})
        )
    if owner is None:
        errors.append(FieldError("owner", _("请选择整改责任人")))
    elif not owners(callback).filter(pk=owner.pk).exists():
        errors.append(
            FieldError(
                "owner",
                _("整改责任人应为%(unit)s的在职人员：%(v)s") % {"unit": callback.unit, "v": owner},
            )
        )
    if deadline is None:
        errors.append(FieldError("deadline", _("请填写整改期限（YYYY-MM-DD）")))
    elif called_on and deadline < called_on:
        errors.append(
            FieldError(
                "deadline",
                _("整改期限不能早于回访日期（%(d)s）：%(v)s") % {"d": called_on, "v": deadline},
            )
        )
    return errors


def rectify(
    *,
    problem: CallbackProblem,
    outcome: str,
    on: dt.date | None,
    actor: Officer | None,
    today: dt.date | None = None,
) -> CallbackProblem:
    """The problem was put right on ``on`` (not before the callback, not after today)."""
    if actor is not None and not may_rectify(actor, problem):
        raise NotPermitted(_("只有整改责任人或回访管理人员可以登记整改情况。"))
    PROBLEM.check(problem, P.RECTIFIED)
    today = today or timezone.localdate()
    outcome = (outcome or "").strip()
    errors = []
    if not outcome:
        errors.append(FieldError("outcome", _("请填写整改情况")))
    elif len(outcome) > TEXT_LENGTH:
        errors.append(FieldError("outcome", _("整改情况不能超过 %(n)d 个字") % {"n": TEXT_LENGTH}))
    called = problem.callback.called_on
    if on is None:
        errors.append(FieldError("on", _("请填写整改完成日期（YYYY-MM-DD）")))
    elif on > today:
        errors.append(
            FieldError("on", _("整改完成日期不能晚于今天（%(d)s）：%(v)s") % {"d": today, "v": on})
        )
    elif called and on < called:
        errors.append(
            FieldError(
                "on", _("整改完成日期不能早于回访日期（%(d)s）：%(v)s") % {"d": called, "v": on}
            )
        )
    refuse(errors)
    with transaction.atomic(), audit.attributed(actor):
        PROBLEM.move(problem, P.RECTIFIED)
        problem.outcome = outcome
        problem.rectified_on = on
        problem.save()
    return problem


def feed_back(
    *,
    problem: CallbackProblem,
    on: dt.date | None,
    channel: str,
    actor: Officer | None,
    today: dt.date | None = None,
) -> CallbackProblem:
    """The party was told the outcome on ``on`` (not before it was rectified) by ``channel``."""
    if actor is not None and not may_rectify(actor, problem):
        raise NotPermitted(_("只有整改责任人或回访管理人员可以登记反馈。"))
    if problem.status == P.OPEN:
        raise Conflict(_("问题尚未整改，整改完成后才能反馈"))
    PROBLEM.check(problem, P.FED_BACK)
    today = today or timezone.localdate()
    errors = []
    if channel not in CallbackProblem.FeedbackChannel.values:
        errors.append(
            FieldError("channel", _("反馈方式应为电话、上门、短信或书面：“%(v)s”") % {"v": channel})
        )
    if on is None:
        errors.append(FieldError("on", _("请填写反馈日期（YYYY-MM-DD）")))
    elif on > today:
        errors.append(
            FieldError("on", _("反馈日期不能晚于今天（%(d)s）：%(v)s") % {"d": today, "v": on})
        )
    elif problem.rectified_on and on < problem.rectified_on:
        errors.append(
            FieldError(
                "on",
                _("反馈日期不能早于整改完成日期（%(d)s）：%(v)s")
                % {"d": problem.rectified_on, "v": on},
            )
        )
    refuse(errors)
    with transaction.atomic(), audit.attributed(actor):
        PROBLEM.move(problem, P.FED_BACK)
        problem.fed_back_on = on
        problem.feedback_channel = channel
        problem.fed_back_by = actor if getattr(actor, "pk", None) else None
        problem.save()
    return problem


def is_overdue(problem: CallbackProblem, today: dt.date | None = None) -> bool:
    """Not rectified, and the deadline has passed."""
    today = today or timezone.localdate()
    return problem.status == P.OPEN and problem.deadline < today
