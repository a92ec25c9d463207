"""The moves of a case through its state machine (cases.transitions), one service each.

Every move's date is required, not in the future and not before the date the current stage
began. An illegal move gives the table's message and writes nothing. Filing and penalising feed
back into the entity's credit grade (registry.feedback).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.cases import limits, money
from xiaoneng.cases.checks import MIN_REASON, parse_day, require_reason, stage_day
from xiaoneng.cases.models import Case
from xiaoneng.cases.transitions import CASE
from xiaoneng.core import audit
from xiaoneng.core.calendar import WorkingCalendar
from xiaoneng.core.errors import Conflict, FieldError, InvalidInput, NotPermitted
from xiaoneng.core.scoping import in_scope
from xiaoneng.org import access
from xiaoneng.org.models import Officer, Role
from xiaoneng.registry.credit.services import credit_event
from xiaoneng.registry.models import CreditTrigger

S = Case.Status


def _guard(case: Case, actor: Officer, to: str) -> None:
    """The actor may handle this unit's cases, and the table allows the move."""
    access.require(actor, access.HANDLE_CASES)
    access.require_unit(actor, case.unit_id)
    CASE.check(case, to)


def _save_move(case: Case, to: str, day: dt.date, reason: str = "") -> None:
    """Move ``case`` to ``to`` from ``day`` and save; refused if someone moved it meanwhile."""
    current = Case.objects.select_for_update().filter(pk=case.pk).values_list("status", flat=True)
    if current.first() != case.status:
        raise Conflict(_("案件已被他人更新，请刷新后重试"))
    CASE.move(case, to)
    case.stage_started_on = day
    if reason:
        audit.set_reason(case, reason)
    case.save()


def _credit(case: Case, trigger: str, actor: Officer) -> None:
    if case.entity is None:
        return
    credit_event(
        entity=case.entity,
        trigger=trigger,
        source=_("案件 %(number)s %(title)s") % {"number": case.number, "title": case.title},
        source_url=reverse("cases:case_detail", args=[case.pk]),
        actor=actor,
    )


# The moves ----------------------------------------------------------------------------------------


def file_case(*, case: Case, actor: Officer, filed_on: dt.date | None) -> Case:
    """立案: the lead is filed (程序规定 第十九条); the entity's credit grade hears of it."""
    _guard(case, actor, S.FILED)
    day = stage_day(case, filed_on, "filed_on", _("立案日期"))
    with transaction.atomic(), audit.attributed(actor):
        case.filed_on = day
        _save_move(case, S.FILED, day)
        _credit(case, CreditTrigger.CASE_FILED, actor)
        if case.major:
            _credit(case, CreditTrigger.MAJOR_CASE, actor)
    return case


def refuse_filing(
    *, case: Case, actor: Officer, reason: str, refused_on: dt.date | None = None
) -> Case:
    """不予立案 (程序规定 第二十条), with the reason; final."""
    _guard(case, actor, S.NOT_FILED)
    text = require_reason(reason, what=_("不予立案理由"))
    day = stage_day(case, refused_on or timezone.localdate(), "refused_on", _("不予立案日期"))
    with transaction.atomic(), audit.attributed(actor):
        case.ended_reason = text
        _save_move(case, S.NOT_FILED, day, text)
    return case


def start_investigation(
    *, case: Case, actor: Officer, started_on: dt.date | None, reason: str = ""
) -> Case:
    """调查: investigate a filed case, or again after the party's statement brought new facts
    (then the reason is required)."""
    _guard(case, actor, S.INVESTIGATING)
    text = ""
    if case.status == S.NOTIFIED:
        text = require_reason(reason, what=_("重新调查的理由（陈述申辩提出的新事实）"))
    day = stage_day(case, started_on, "started_on", _("调查开始日期"))
    with transaction.atomic(), audit.attributed(actor):
        _save_move(case, S.INVESTIGATING, day, text)
    return case


def notify(
    *, case: Case, actor: Officer, notified_on: dt.date | None, proposed_fine: Any = 0
) -> Case:
    """告知: the party is told the proposed penalty and its right to state, defend and ask for a
    hearing (程序规定 第五十七条)."""
    _guard(case, actor, S.NOTIFIED)
    errors: list[FieldError] = []
    day: dt.date | None = None
    amount = Decimal("0.00")
    try:
        day = stage_day(case, notified_on, "notified_on", _("告知日期"))
    except InvalidInput as error:
        errors += error.errors
    try:
        amount = money.parse_amount(proposed_fine, field="proposed_fine")
    except InvalidInput as error:
        errors += error.errors
    if errors:
        raise InvalidInput(f"{errors[0].field}: {errors[0].message}", errors=errors)
    assert day is not None
    with transaction.atomic(), audit.attributed(actor):
        case.notified_on = day
        case.proposed_fine = amount
        _save_move(case, S.NOTIFIED, day)
    return case


def decide(
    *,
    case: Case,
    actor: Officer,
    decided_on: dt.date | None,
    decision_number: str,
    fine: Any = 0,
    confiscation: Any = 0,
    case_value: Any = None,
    major: bool | None = None,
) -> Case:
    """决定: the decision (a penalty, or none), after the statement period has run.

    A fine or confiscation above zero feeds CASE_PENALISED back to the entity's credit grade; a
    case that becomes major, MAJOR_CASE.
    """
    _guard(case, actor, S.DECIDED)
    errors: list[FieldError] = []
    amounts: dict[str, Decimal] = {}
    for field, raw in (("fine", fine), ("confiscation", confiscation), ("case_value", case_value)):
        if field == "case_value" and raw in (None, ""):
            continue
        try:
            amounts[field] = money.parse_amount(raw, field=field)
        except InvalidInput as error:
            errors += error.errors
    number = (decision_number or "").strip()
    if not number:
        errors.append(FieldError("decision_number", _("请填写处罚决定书文号")))
    elif len(number) > 60:
        errors.append(FieldError("decision_number", _("处罚决定书文号不能超过 60 个字符")))
    day: dt.date | None = None
    try:
        day = stage_day(case, decided_on, "decided_on", _("决定日期"))
        limits.check_statement_period(case, day, WorkingCalendar.load())
    except InvalidInput as error:
        errors += error.errors
    if errors:
        raise InvalidInput(f"{errors[0].field}: {errors[0].message}", errors=errors)
    if Case.objects.filter(decision_number=number).exclude(pk=case.pk).exists():
        raise Conflict(_("处罚决定书文号已被使用：%(number)s") % {"number": number})
    assert day is not None
    became_major = bool(major) and not case.major
    with transaction.atomic(), audit.attributed(actor):
        case.decided_on = day
        case.decision_number = number
        case.fine_decided = amounts["fine"]
        case.confiscation_decided = amounts["confiscation"]
        if "case_value" in amounts:
            case.case_value = amounts["case_value"]
        if major is not None:
            case.major = bool(major)
        _save_move(case, S.DECIDED, day)
        if case.fine_decided > 0 or case.confiscation_decided > 0:
            _credit(case, CreditTrigger.CASE_PENALISED, actor)
        if became_major:
            _credit(case, CreditTrigger.MAJOR_CASE, actor)
    return case


def start_execution(
    *, case: Case, actor: Officer, started_on: dt.date | None, note: str = ""
) -> Case:
    """执行: the decision is being executed (payment chased, 强制执行 applied for, goods
    disposed of)."""
    _guard(case, actor, S.EXECUTING)
    day = stage_day(case, started_on, "started_on", _("执行开始日期"))
    with transaction.atomic(), audit.attributed(actor):
        _save_move(case, S.EXECUTING, day, (note or "").strip())
    return case


def close_case(
    *, case: Case, actor: Officer, closed_on: dt.date | None, shortfall_reason: str = ""
) -> Case:
    """结案. A decided case closes only with nothing left to collect; an executing case needs
    the money collected or a reason for the shortfall (强制执行申请、分期缴纳…)."""
    _guard(case, actor, S.CLOSED)
    day = stage_day(case, closed_on, "closed_on", _("结案日期"))
    unpaid = money.outstanding(case)
    reason = (shortfall_reason or "").strip()
    if unpaid > 0 and case.status == S.DECIDED:
        raise Conflict(
            _("尚有未入库的罚没款 %(amount)s：请登记入库，或转入执行")
            % {"amount": money.yuan(unpaid)}
        )
    if unpaid > 0 and len(reason) < MIN_REASON:
        raise InvalidInput.single(
            "shortfall_reason",
            _(
                "尚有未入库的罚没款 %(amount)s，结案须说明原因"
                "（如：已申请法院强制执行、经批准分期缴纳）"
            )
            % {"amount": money.yuan(unpaid)},
        )
    with transaction.atomic(), audit.attributed(actor):
        case.closed_on = day
        case.shortfall_reason = reason if unpaid > 0 else ""
        _save_move(case, S.CLOSED, day, case.shortfall_reason)
    return case


def withdraw(
    *, case: Case, actor: Officer, reason: str, withdrawn_on: dt.date | None = None
) -> Case:
    """撤销: a filed case is withdrawn before its decision, with the reason; final."""
    _guard(case, actor, S.WITHDRAWN)
    text = require_reason(reason, what=_("撤销理由"))
    day = stage_day(case, withdrawn_on or timezone.localdate(), "withdrawn_on", _("撤销日期"))
    with transaction.atomic(), audit.attributed(actor):
        case.ended_reason = text
        _save_move(case, S.WITHDRAWN, day, text)
    return case


APPROVERS = (Role.STATION_DIRECTOR, Role.BUREAU_LEADER)


def extend_time_limit(*, case: Case, actor: Officer, reason: str) -> Case:
    """Extend the current stage's limit once, with the head's approval: a lead's by 15 working
    days (程序规定 第十八条), a filed case's decision by 30 days (第六十四条)."""
    if not actor.has_role(*APPROVERS):
        raise NotPermitted(_("延长办案期限须经负责人（所长或局领导）批准"))
    access.require_unit(actor, case.unit_id)
    text = require_reason(reason, what=_("延长期限的理由"))
    if case.status == S.LEAD:
        flag = "filing_extended"
    elif case.status in limits.DECISION_STAGES:
        flag = "decision_extended"
    else:
        raise Conflict(
            _("案件状态为“%(status)s”，没有可以延长的期限") % {"status": case.get_status_display()}
        )
    if getattr(case, flag):
        raise Conflict(_("本阶段期限已延长过一次；继续延期须经负责人集体讨论决定"))
    with transaction.atomic(), audit.attributed(actor):
        setattr(case, flag, True)
        audit.set_reason(case, text)
        case.save(update_fields=[flag])
    return case


# One entry point for the API and the pages: the target status names the service -------------


def _file(case: Case, actor: Officer, v: Mapping[str, Any]) -> Case:
    return file_case(case=case, actor=actor, filed_on=parse_day(v.get("filed_on"), "filed_on"))


def _refuse(case: Case, actor: Officer, v: Mapping[str, Any]) -> Case:
    return refuse_filing(
        case=case,
        actor=actor,
        reason=v.get("reason") or "",
        refused_on=parse_day(v.get("refused_on"), "refused_on"),
    )


def _investigate(case: Case, actor: Officer, v: Mapping[str, Any]) -> Case:
    return start_investigation(
        case=case,
        actor=actor,
        started_on=parse_day(v.get("started_on"), "started_on"),
        reason=v.get("reason") or "",
    )


def _notify(case: Case, actor: Officer, v: Mapping[str, Any]) -> Case:
    return notify(
        case=case,
        actor=actor,
        notified_on=parse_day(v.get("notified_on"), "notified_on"),
        proposed_fine=v.get("proposed_fine", 0),
    )


def _decide(case: Case, actor: Officer, v: Mapping[str, Any]) -> Case:
    return decide(
        case=case,
        actor=actor,
        decided_on=parse_day(v.get("decided_on"), "decided_on"),
        decision_number=v.get("decision_number") or "",
        fine=v.get("fine", 0),
        confiscation=v.get("confiscation", 0),
        case_value=v.get("case_value"),
        major=v.get("major"),
    )


def _execute(case: Case, actor: Officer, v: Mapping[str, Any]) -> Case:
    return start_execution(
        case=case,
        actor=actor,
        started_on=parse_day(v.get("started_on"), "started_on"),
        note=v.get("note") or "",
    )


def _close(case: Case, actor: Officer, v: Mapping[str, Any]) -> Case:
    return close_case(
        case=case,
        actor=actor,
        closed_on=parse_day(v.get("closed_on"), "closed_on"),
        shortfall_reason=v.get("shortfall_reason") or "",
    )


def _withdraw(case: Case, actor: Officer, v: Mapping[str, Any]) -> Case:
    return withdraw(
        case=case,
        actor=actor,
        reason=v.get("reason") or "",
        withdrawn_on=parse_day(v.get("withdrawn_on"), "withdrawn_on"),
    )


MOVES: dict[str, Callable[[Case, Any, Mapping[str, Any]], Case]] = {
    S.FILED: _file,
    S.NOT_FILED: _refuse,
    S.INVESTIGATING: _investigate,
    S.NOTIFIED: _notify,
    S.DECIDED: _decide,
    S.EXECUTING: _execute,
    S.CLOSED: _close,
    S.WITHDRAWN: _withdraw,
}


def apply_transition(*, case: Case, actor: Officer, to: str, values: Mapping[str, Any]) -> Case:
    """Move ``case`` to status ``to`` through its service, with ``values`` as its arguments
    (dates as ``YYYY-MM-DD`` text or dates, amounts as text or numbers)."""
    move = MOVES.get(to)
    if move is None:
        if to in S.values:
            _guard(case, actor, to)  # the table's message: nothing moves there
        raise InvalidInput.single(
            "to",
            _("目标状态应为 %(values)s 之一：%(v)s") % {"values": "、".join(MOVES), "v": to},
        )
    return move(case, actor, values)


def allowed_moves(case: Case, actor: Officer) -> list[str]:
    """The statuses ``actor`` may move ``case`` to now (the action buttons of its page)."""
    if not access.can(actor, access.HANDLE_CASES) or not in_scope(actor, case.unit_id):
        return []
    order = list(MOVES)
    return sorted(CASE[case.status], key=order.index)
