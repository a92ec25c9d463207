"""Callbacks (回访, 篇9): the party reached (or not), their answers, and the problems they raise.
The rules are in ``rules``, the monthly draws in ``rounds``, the problems' rectification and
feedback in ``problems``.

An answer of 不满意 overall needs a problem raised with it (description, owner, deadline) or a
note of why none is raised (``no_problem_reason``, kept in the remarks and the trace): the
party's dissatisfaction is never recorded and left there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import audit
from xiaoneng.core.errors import Conflict, FieldError
from xiaoneng.org.models import Officer
from xiaoneng.timeliness.callbacks.checks import TEXT_LENGTH, refuse, require_call
from xiaoneng.timeliness.callbacks.models import (
    QUESTIONS,
    Answer,
    Callback,
    CallbackProblem,
    Channel,
    SubjectKind,
)
from xiaoneng.timeliness.callbacks.problems import problem_errors
from xiaoneng.timeliness.callbacks.transitions import CALLBACK

C = Callback.Status
QUESTION_NAMES = tuple(name for name, _label in QUESTIONS)
QUESTION_LABELS = {name: str(label) for name, label in QUESTIONS}
ANSWER_WORDS = {str(label): value for value, label in Answer.choices}


def completed_on(callback: Callback) -> dt.date | None:
    """The day the record asked about was completed (the earliest day it can be called)."""
    record = getattr(callback, callback.subject_kind, None)
    if record is None:
        return None
    if callback.subject_kind == SubjectKind.SERVICE_CASE:
        return record.completed_on
    if callback.subject_kind == SubjectKind.COMPLAINT:
        return record.notified_on
    if callback.subject_kind == SubjectKind.INSPECTION:
        return timezone.localtime(record.signed_at).date() if record.signed_at else None
    return record.closed_on


def _check_day(
    callback: Callback, called_on: dt.date | None, today: dt.date, errors: list[FieldError]
) -> None:
    if called_on is None:
        errors.append(FieldError("called_on", _("请填写回访日期（YYYY-MM-DD）")))
        return
    if called_on > today:
        errors.append(
            FieldError(
                "called_on",
                _("回访日期不能晚于今天（%(d)s）：%(v)s") % {"d": today, "v": called_on},
            )
        )
    done = completed_on(callback)
    if done is not None and called_on < done:
        errors.append(
            FieldError(
                "called_on",
                _("回访日期不能早于事项办结日期（%(d)s）：%(v)s") % {"d": done, "v": called_on},
            )
        )


def clean_answers(answers: Mapping[str, Any] | None) -> tuple[dict[str, str], list[FieldError]]:
    """The answers by question, each 满意 / 基本满意 / 不满意 (the values or the words) or empty
    (not asked); an unknown question or value is refused naming the question."""
    cleaned = dict.fromkeys(QUESTION_NAMES, "")
    errors = []
    for name, given in (answers or {}).items():
        if name not in QUESTION_LABELS:
            errors.append(FieldError(str(name), _("未知的回访问题：“%(v)s”") % {"v": name}))
            continue
        text = "" if given is None else str(given).strip()
        value = ANSWER_WORDS.get(text, text)
        if value and value not in Answer.values:
            errors.append(
                FieldError(
                    name,
                    _("“%(q)s”的回答应为满意、基本满意或不满意：“%(v)s”")
                    % {"q": QUESTION_LABELS[name], "v": text},
                )
            )
            continue
        cleaned[name] = value
    if not errors and not cleaned["overall"]:
        errors.append(FieldError("overall", _("请填写“总体评价”（满意、基本满意或不满意）")))
    return cleaned, errors


def record_callback(
    *,
    callback: Callback,
    channel: str,
    called_on: dt.date | None,
    answers: Mapping[str, Any] | None,
    remarks: str = "",
    actor: Officer | None,
    problem: Mapping[str, Any] | None = None,
    no_problem_reason: str = "",
    today: dt.date | None = None,
) -> Callback:
    """The party was reached: the channel, the day and their answers. An overall 不满意 needs
    ``problem`` (description, owner, deadline: raised with it) or ``no_problem_reason``."""
    require_call(actor, callback)
    CALLBACK.check(callback, C.DONE)
    today = today or timezone.localdate()
    remarks = (remarks or "").strip()
    no_problem_reason = (no_problem_reason or "").strip()
    cleaned, errors = clean_answers(answers)
    if channel not in Channel.values:
        errors.append(
            FieldError("channel", _("回访方式应为电话回访或上门回访：“%(v)s”") % {"v": channel})
        )
    _check_day(callback, called_on, today, errors)
    if len(remarks) > TEXT_LENGTH:
        errors.append(FieldError("remarks", _("回访记录不能超过 %(n)d 个字") % {"n": TEXT_LENGTH}))
    if cleaned.get("overall") == Answer.UNSATISFIED and not problem and not no_problem_reason:
        errors.append(
            FieldError(
                "problem",
                _("总体评价为不满意时，应登记反映的问题并交办整改，或说明不交办的理由"),
            )
        )
    if problem and not errors:
        description = str(problem.get("description") or "").strip()
        owner: Any = problem.get("owner")
        deadline: Any = problem.get("deadline")
        errors += problem_errors(callback, description, owner, deadline, called_on)
    refuse(errors)
    with transaction.atomic(), audit.attributed(actor):
        CALLBACK.move(callback, C.DONE)
        callback.channel = channel
        callback.called_on = called_on
        for name, value in cleaned.items():
            setattr(callback, name, value)
        if no_problem_reason and not problem:
            remarks = "\n".join(
                filter(None, [remarks, _("未交办整改：%(r)s") % {"r": no_problem_reason}])
            )
            audit.set_reason(callback, no_problem_reason)
        callback.remarks = remarks
        callback.caller = actor if getattr(actor, "pk", None) else None
        callback.save()
        if problem:
            CallbackProblem.objects.create(
                callback=callback,
                description=description,
                unit=callback.unit,
                owner=owner,
                deadline=deadline,
            )
    return callback


def mark_unreachable(
    *,
    callback: Callback,
    called_on: dt.date | None,
    remarks: str = "",
    actor: Officer | None,
    today: dt.date | None = None,
) -> Callback:
    """The party could not be reached on ``called_on`` (it may be tried again)."""
    require_call(actor, callback)
    CALLBACK.check(callback, C.UNREACHABLE)
    today = today or timezone.localdate()
    errors: list[FieldError] = []
    _check_day(callback, called_on, today, errors)
    refuse(errors)
    with transaction.atomic(), audit.attributed(actor):
        CALLBACK.move(callback, C.UNREACHABLE)
        callback.called_on = called_on
        callback.remarks = (remarks or "").strip()
        callback.caller = actor if getattr(actor, "pk", None) else None
        callback.save()
    return callback


def raise_problem(
    *,
    callback: Callback,
    description: str,
    owner: Officer | None,
    deadline: dt.date | None,
    actor: Officer | None,
) -> CallbackProblem:
    """A problem the party raised, set to ``owner`` (of the callback's unit) to rectify by
    ``deadline`` (not before the callback)."""
    require_call(actor, callback)
    if callback.status != C.DONE:
        raise Conflict(_("回访尚未完成，不能登记反映的问题"))
    description = (description or "").strip()
    errors = problem_errors(callback, description, owner, deadline, callback.called_on)
    refuse(errors)
    assert owner is not None and deadline is not None
    with transaction.atomic(), audit.attributed(actor):
        return CallbackProblem.objects.create(
            callback=callback,
            description=description,
            unit=callback.unit,
            owner=owner,
            deadline=deadline,
        )
