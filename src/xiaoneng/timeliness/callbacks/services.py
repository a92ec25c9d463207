"""Callbacks (回访, 篇9): the monthly rules and rounds, the callback's answers, and the problems
raised on it, rectified by their owner and fed back to the party.

A round draws, for one unit, month and kind of work, the records of that kind completed in the
month in the unit's subtree (``population``), sorted by id. Its seed is fixed and stored before
drawing, with the SHA-256 of the sorted ids (the population digest). numpy's ``default_rng`` is
seeded with the SHA-256 of the seed string and draws one permutation of the population; the
first k of it are called back: all (k = n), a share (k = ⌈share × n⌉) or a number (k = min(count,
n)). ``verify_round`` draws again and compares.

An answer of 不满意 overall needs a problem raised with it (description, owner, deadline) or a
note of why none is raised (``no_problem_reason``, kept in the remarks and the trace): the
party's dissatisfaction is never recorded and left there.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import numpy as np
from django.db import IntegrityError, transaction
from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.cases.models import Case
from xiaoneng.core import audit
from xiaoneng.core.errors import Conflict, FieldError, InvalidInput, NotPermitted
from xiaoneng.core.months import Month, parse_month
from xiaoneng.core.states import Transitions
from xiaoneng.inspections.records.models import Inspection
from xiaoneng.org import access
from xiaoneng.org.models import Officer, Role, Unit
from xiaoneng.timeliness.callbacks.models import (
    QUESTIONS,
    Answer,
    Callback,
    CallbackProblem,
    CallbackRound,
    CallbackRule,
    Channel,
    SampleMode,
    SubjectKind,
)
from xiaoneng.timeliness.complaints.models import Complaint
from xiaoneng.timeliness.permits.models import ServiceCase

C = Callback.Status
P = CallbackProblem.Status
CALLBACK = Transitions(
    {C.PENDING: {C.DONE, C.UNREACHABLE}, C.UNREACHABLE: {C.DONE, C.UNREACHABLE}, C.DONE: set()},
    subject=_("回访"),
)
PROBLEM = Transitions(
    {P.OPEN: {P.RECTIFIED}, P.RECTIFIED: {P.FED_BACK}, P.FED_BACK: set()},
    subject=_("回访问题"),
)
SHARE_STEP = Decimal("0.01")
QUESTION_NAMES = tuple(name for name, _label in QUESTIONS)
QUESTION_LABELS = {name: str(label) for name, label in QUESTIONS}
ANSWER_WORDS = {str(label): value for value, label in Answer.choices}
TEXT_LENGTH = 2000


def last_month(today: dt.date | None = None) -> str:
    """The month before ``today``'s (the latest one that may be drawn)."""
    today = today or timezone.localdate()
    return (today.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")


def _refuse(errors: list[FieldError]) -> None:
    if errors:
        raise InvalidInput(f"{errors[0].field}: {errors[0].message}", errors=errors)


# Rules ------------------------------------------------------------------------------------------


def _share(value: Any) -> Decimal | None:
    try:
        share = Decimal(str(value)).quantize(SHARE_STEP)
    except (InvalidOperation, ValueError):
        return None
    return share if Decimal(0) < share <= Decimal(1) else None


def _count(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if number >= 1 else None


def save_rule(
    *,
    actor: Officer | None,
    unit: Unit,
    subject_kind: str,
    mode: str,
    share: Any = None,
    count: Any = None,
    channel: str = Channel.PHONE,
    active: bool = True,
) -> CallbackRule:
    """Set how ``unit`` samples one kind of completed work each month (one rule per unit and
    kind: saving again changes it). A share rule gives the share only (0 < share ≤ 1), a count
    rule the count only (≥ 1), an all rule neither."""
    if actor is not None:
        access.require(actor, access.RUN_CALLBACKS)
        access.require_unit(actor, unit.pk)
    errors = []
    if subject_kind not in SubjectKind.values:
        errors.append(FieldError("subject_kind", _("回访对象无效：“%(v)s”") % {"v": subject_kind}))
    if mode not in SampleMode.values:
        errors.append(FieldError("mode", _("抽取方式无效：“%(v)s”") % {"v": mode}))
    if channel not in Channel.values:
        errors.append(FieldError("channel", _("回访方式无效：“%(v)s”") % {"v": channel}))
    given_share = share not in (None, "")
    given_count = count not in (None, "")
    share_value = count_value = None
    if mode == SampleMode.SHARE:
        share_value = _share(share) if given_share else None
        if share_value is None:
            errors.append(
                FieldError("share", _("抽取比例应大于 0 且不超过 1：“%(v)s”") % {"v": share or ""})
            )
        if given_count:
            errors.append(FieldError("count", _("按比例抽取时不填抽取数量")))
    elif mode == SampleMode.COUNT:
        count_value = _count(count) if given_count else None
        if count_value is None:
            errors.append(
                FieldError("count", _("抽取数量应为不小于 1 的整数：“%(v)s”") % {"v": count or ""})
            )
        if given_share:
            errors.append(FieldError("share", _("按数量抽取时不填抽取比例")))
    elif mode == SampleMode.ALL:
        if given_share:
            errors.append(FieldError("share", _("全部回访时不填抽取比例")))
        if given_count:
            errors.append(FieldError("count", _("全部回访时不填抽取数量")))
    _refuse(errors)
    with transaction.atomic(), audit.attributed(actor):
        rule, _created = CallbackRule.objects.update_or_create(
            unit=unit,
            subject_kind=subject_kind,
            defaults={
                "mode": mode,
                "share": share_value,
                "count": count_value,
                "channel": channel,
                "active": bool(active),
            },
        )
    return rule


# The records a round draws from -----------------------------------------------------------------


def _subtree(unit: Unit) -> Q:
    ids = Unit.objects.subtree_ids(unit)
    return Q() if ids is None else Q(unit_id__in=ids)


def records(kind: str, unit: Unit, month: Month) -> QuerySet[Any]:
    """The records of ``kind`` completed in ``month`` in ``unit``'s subtree: service cases
    completed (办结), complaints and reports closed with the person told (告知日期, named
    persons only: an anonymous one cannot be called), inspections signed (amendments aside),
    cases closed (结案)."""
    within = _subtree(unit)
    if kind == SubjectKind.SERVICE_CASE:
        return ServiceCase.objects.filter(
            within,
            status=ServiceCase.Status.COMPLETED,
            completed_on__range=(month.first, month.last),
        )
    if kind == SubjectKind.COMPLAINT:
        return Complaint.objects.filter(
            within,
            status=Complaint.Status.CLOSED,
            notified_on__range=(month.first, month.last),
            real_name=True,
        ).exclude(person="")
    if kind == SubjectKind.INSPECTION:
        start, end = month.bounds()
        return Inspection.objects.filter(
            within,
            status=Inspection.Status.SIGNED,
            signed_at__gte=start,
            signed_at__lt=end,
            amends__isnull=True,
        )
    if kind == SubjectKind.CASE:
        return Case.objects.filter(
            within, status=Case.Status.CLOSED, closed_on__range=(month.first, month.last)
        )
    raise InvalidInput.single("subject_kind", _("回访对象无效：“%(v)s”") % {"v": kind})


def population(kind: str, unit: Unit, month: Month, *, round_id: int | None = None) -> list[int]:
    """The ids a round draws from, ascending: ``records``, less those already called back in
    a round drawn before it (a bureau's rule and a station's may cover the same record)."""
    taken = Callback.objects.filter(**{f"{kind}__isnull": False}, round__isnull=False)
    if round_id is not None:
        taken = taken.filter(round_id__lt=round_id)
    ids = records(kind, unit, month).exclude(pk__in=taken.values_list(f"{kind}_id", flat=True))
    return sorted(ids.values_list("pk", flat=True))


def digest(ids: list[int]) -> str:
    """SHA-256 of the sorted ids, comma-separated."""
    return hashlib.sha256(",".join(str(i) for i in sorted(ids)).encode()).hexdigest()


def sample_size(n: int, mode: str, share: Decimal | None, count: int | None) -> int:
    """How many of ``n`` a round calls back."""
    if mode == SampleMode.ALL:
        return n
    if mode == SampleMode.SHARE:
        return min(n, math.ceil(Decimal(share or 0) * n))
    return min(n, int(count or 0))


def draw(seed: str, ids: list[int], k: int) -> list[int]:
    """The first ``k`` of the seed's permutation of ``ids`` (ascending), as sorted ids."""
    rng = np.random.default_rng(int.from_bytes(hashlib.sha256(seed.encode()).digest(), "big"))
    order = rng.permutation(len(ids)).tolist()
    return sorted(ids[i] for i in order[:k])


def _party(kind: str, record: Any) -> tuple[str, str, Officer | None, str]:
    """Who is called about ``record``, their phone, the officer whose work it was, and the
    matter as the callback names it."""
    if kind == SubjectKind.SERVICE_CASE:
        return record.applicant, record.applicant_phone, record.responsible, str(record)
    if kind == SubjectKind.COMPLAINT:
        return record.person, record.phone, record.handler, str(record)
    entity = record.entity
    name = (entity.legal_representative or entity.name) if entity else ""
    if kind == SubjectKind.INSPECTION:
        subject = _("%(entity)s %(day)s 检查") % {"entity": entity.name, "day": record.visited_on}
        return name, "", record.lead_officer, subject
    return name or record.party, "", record.handler, f"{record.number} {record.title}"


def _rule(unit: Unit, kind: str) -> CallbackRule:
    rule = CallbackRule.objects.filter(unit=unit, subject_kind=kind, active=True).first()
    if rule is None:
        label = dict(SubjectKind.choices).get(kind, kind)
        raise InvalidInput.single(
            "subject_kind",
            _("%(unit)s 没有启用的“%(kind)s”回访规则") % {"unit": unit, "kind": label},
        )
    return rule


def draw_round(
    *,
    unit: Unit,
    month: str,
    subject_kind: str,
    actor: Officer | None,
    today: dt.date | None = None,
    seed: str | None = None,
) -> CallbackRound:
    """Draw a finished month's callbacks of one kind under ``unit``'s rule: pending callbacks
    of the records drawn, each to the party the record names. A (unit, month, kind) is drawn
    once."""
    if actor is not None:
        access.require(actor, access.RUN_CALLBACKS)
        access.require_unit(actor, unit.pk)
    today = today or timezone.localdate()
    period = parse_month(month)
    if subject_kind not in SubjectKind.values:
        raise InvalidInput.single("subject_kind", _("回访对象无效：“%(v)s”") % {"v": subject_kind})
    if period.last >= today:
        raise InvalidInput.single(
            "month", _("%(month)s 尚未结束，月份结束后才能抽取回访") % {"month": period.text}
        )
    rule = _rule(unit, subject_kind)
    if CallbackRound.objects.filter(
        unit=unit, month=period.text, subject_kind=subject_kind
    ).exists():
        raise Conflict(
            _("%(unit)s %(month)s 的“%(kind)s”回访已抽取")
            % {"unit": unit, "month": period.text, "kind": rule.get_subject_kind_display()}
        )
    seed = seed or f"{unit.code}:{period.text}:{subject_kind}:{secrets.token_hex(8)}"
    model = records(subject_kind, unit, period).model
    try:
        with transaction.atomic(), audit.attributed(actor):
            ids = population(subject_kind, unit, period)
            drawn = CallbackRound.objects.create(
                unit=unit,
                month=period.text,
                subject_kind=subject_kind,
                mode=rule.mode,
                share=rule.share,
                count=rule.count,
                seed=seed,
                population=len(ids),
                population_digest=digest(ids),
                drawn_at=timezone.now(),
                drawn_by=actor if getattr(actor, "pk", None) else None,
            )
            chosen = draw(seed, ids, sample_size(len(ids), rule.mode, rule.share, rule.count))
            related = _select(model)
            for record in model.objects.select_related(*related).filter(pk__in=chosen):
                party, phone, officer, subject = _party(subject_kind, record)
                Callback.objects.create(
                    round=drawn,
                    subject_kind=subject_kind,
                    **{subject_kind: record},
                    subject=str(subject)[:200],
                    unit_id=record.unit_id,
                    officer=officer,
                    party=(party or _("（未留姓名）"))[:100],
                    phone=(phone or "")[:20],
                    channel=rule.channel,
                )
    except IntegrityError:
        raise Conflict(_("该批次已由他人同时抽取")) from None
    return drawn


def _select(model: type[Model]) -> tuple[str, ...]:
    if model is ServiceCase:
        return ("responsible", "item")
    if model is Complaint:
        return ("handler",)
    if model is Inspection:
        return ("entity", "lead_officer")
    return ("entity", "handler")


def _subject_id(callback: Callback) -> int | None:
    return getattr(callback, f"{callback.subject_kind}_id", None)


@dataclass(frozen=True)
class Verification:
    """Whether drawing a round again gives the same callbacks, and what differs."""

    verified: bool
    problems: list[str]


def check_round(drawn: CallbackRound) -> Verification:
    """Draw ``drawn`` again from its seed and compare the population and the records."""
    period = parse_month(drawn.month)
    ids = population(drawn.subject_kind, drawn.unit, period, round_id=drawn.pk)
    problems = []
    if digest(ids) != drawn.population_digest:
        problems.append(
            _("可回访记录名单已变化：现为 %(now)d 条，抽取时为 %(then)d 条")
            % {"now": len(ids), "then": drawn.population}
        )
    expected = draw(drawn.seed, ids, sample_size(len(ids), drawn.mode, drawn.share, drawn.count))
    actual = sorted(i for c in drawn.callbacks.all() if (i := _subject_id(c)) is not None)
    if expected != actual:
        problems.append(_("回访记录与种子抽取结果不符"))
    return Verification(not problems, problems)


def verify_round(drawn: CallbackRound) -> bool:
    """Whether drawing ``drawn`` again from its seed gives the same records."""
    return check_round(drawn).verified


def draw_due_rounds(*, today: dt.date | None = None) -> int:
    """Draw last month's round of every active rule not drawn yet (the monthly job); the
    number of rounds drawn."""
    today = today or timezone.localdate()
    month = last_month(today)
    drawn = 0
    for rule in CallbackRule.objects.filter(active=True).select_related("unit").order_by("id"):
        exists = CallbackRound.objects.filter(
            unit=rule.unit, month=month, subject_kind=rule.subject_kind
        ).exists()
        if exists:
            continue
        draw_round(
            unit=rule.unit, month=month, subject_kind=rule.subject_kind, actor=None, today=today
        )
        drawn += 1
    return drawn


# Calling ----------------------------------------------------------------------------------------


def may_call(actor: Any, callback: Callback) -> bool:
    """Staff with RUN_CALLBACKS, or a grid officer, of the callback's unit, who is not the
    officer whose work is asked about (no one checks their own work)."""
    if not getattr(actor, "is_authenticated", False):
        return False
    if not (access.can(actor, access.RUN_CALLBACKS) or actor.has_role(Role.GRID_OFFICER)):
        return False
    return access.in_scope(actor, callback.unit_id) and actor.pk != callback.officer_id


def _require_call(actor: Officer | None, callback: Callback) -> None:
    if actor is not None and not may_call(actor, callback):
        raise NotPermitted(_("您无权登记该回访（承办人不能回访自己办理的事项）。"))


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
    _require_call(actor, callback)
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
    _refuse(errors)
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
    _require_call(actor, callback)
    CALLBACK.check(callback, C.UNREACHABLE)
    today = today or timezone.localdate()
    errors: list[FieldError] = []
    _check_day(callback, called_on, today, errors)
    _refuse(errors)
    with transaction.atomic(), audit.attributed(actor):
        CALLBACK.move(callback, C.UNREACHABLE)
        callback.called_on = called_on
        callback.remarks = (remarks or "").strip()
        callback.caller = actor if getattr(actor, "pk", None) else None
        callback.save()
    return callback


# Problems ---------------------------------------------------------------------------------------


def owners(callback: Callback) -> QuerySet[Officer]:
    """Who may own a problem raised on ``callback``: the active officers of its unit's subtree."""
    return Officer.objects.filter(_subtree(callback.unit), is_active=True).order_by("username")


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
    _require_call(actor, callback)
    if callback.status != C.DONE:
        raise Conflict(_("回访尚未完成，不能登记反映的问题"))
    description = (description or "").strip()
    errors = problem_errors(callback, description, owner, deadline, callback.called_on)
    _refuse(errors)
    assert owner is not None and deadline is not None
    with transaction.atomic(), audit.attributed(actor):
        return CallbackProblem.objects.create(
            callback=callback,
            description=description,
            unit=callback.unit,
            owner=owner,
            deadline=deadline,
        )


def may_rectify(actor: Any, problem: CallbackProblem) -> bool:
    """The problem's owner, or staff with RUN_CALLBACKS of its unit."""
    if not getattr(actor, "is_authenticated", False) or not access.in_scope(actor, problem.unit_id):
        return False
    return actor.pk == problem.owner_id or access.can(actor, access.RUN_CALLBACKS)


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
    _refuse(errors)
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
    _refuse(errors)
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
