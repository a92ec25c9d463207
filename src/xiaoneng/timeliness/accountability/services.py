"""Accountability (问责, 篇9): deciding an action against an officer, and revoking one.

篇9: 对回访发现的工作人员不履行或不正确履行规定职责的行为和问题……追究当事人责任。问责方式包括
诫勉谈话、书面检查或公开道歉、通报批评、调整工作岗位、停职检查、降职使用、责令辞职、免职等; the
bureau also deducts allowances (扣发个人补助). An action names the warning, callback, callback
problem or trace flag it came from; each must concern the officer held to account.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import audit
from xiaoneng.core.errors import Conflict, FieldError, InvalidInput
from xiaoneng.inspections.records.models import TraceFlag
from xiaoneng.org import access
from xiaoneng.org.models import Officer
from xiaoneng.timeliness.accountability.models import AccountabilityAction, ActionKind
from xiaoneng.timeliness.callbacks.models import Callback, CallbackProblem
from xiaoneng.timeliness.clocks.models import Warning

# No allowance deduction of a county bureau comes near this (篇9: 11 deductions, 3,500 yuan in
# a year); a larger figure is a typing slip.
MAX_DEDUCTION = Decimal("10000.00")
RULE_LENGTH = 200
CENT = Decimal("0.01")


def parse_deduction(value: Any) -> tuple[Decimal | None, str | None]:
    """The deduction as Decimal yuan, or the message saying what is wrong with it; empty is 0."""
    text = str(value if value is not None else "").strip()
    if not text:
        return Decimal("0.00"), None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return None, _("扣发补助应为金额（元），如 200.00：%(v)s") % {"v": text}
    if not amount.is_finite():
        return None, _("扣发补助应为金额（元），如 200.00：%(v)s") % {"v": text}
    if amount < 0:
        return None, _("扣发补助不能为负数：%(v)s") % {"v": text}
    if amount > MAX_DEDUCTION:
        return None, _("扣发补助不能超过 %(max)s 元：%(v)s") % {"max": MAX_DEDUCTION, "v": text}
    if amount != amount.quantize(CENT):
        return None, _("扣发补助最多两位小数（元）：%(v)s") % {"v": text}
    return amount.quantize(CENT), None


def _source_day(source: Warning | Callback | CallbackProblem | TraceFlag) -> dt.date | None:
    """The day a source came to be: a decision cannot come before it."""
    if isinstance(source, Warning):
        return source.raised_on
    if isinstance(source, Callback):
        return source.called_on
    if isinstance(source, CallbackProblem):  # raised on the callback
        return source.callback.called_on
    return timezone.localdate(source.raised_at) if source.raised_at else None


def flag_concerns(flag: TraceFlag, officer: Officer) -> bool:
    """Whether ``officer`` led or signed the inspection the trace flag doubts."""
    inspection = flag.inspection
    return (
        inspection.lead_officer_id == officer.pk
        or inspection.officers.filter(pk=officer.pk).exists()
    )


def _source_errors(
    *,
    officer: Officer,
    actor: Officer,
    warning: Warning | None,
    callback: Callback | None,
    callback_problem: CallbackProblem | None,
    trace_flag: TraceFlag | None,
) -> list[FieldError]:
    """Each source must be in the actor's scope and concern the officer held to account."""
    errors = []
    if warning is not None and warning.officer_id != officer.pk:
        message = _("该预警不是被问责人承办的：#%(pk)d") % {"pk": warning.pk}
        errors.append(FieldError("warning", message))
    if callback is not None:
        if callback.officer_id != officer.pk:
            message = _("该回访所涉事项不是被问责人承办的：#%(pk)d") % {"pk": callback.pk}
            errors.append(FieldError("callback", message))
        elif callback.status != Callback.Status.DONE:
            message = _("该回访尚未完成：#%(pk)d") % {"pk": callback.pk}
            errors.append(FieldError("callback", message))
    if callback_problem is not None:
        if callback_problem.owner_id != officer.pk:
            message = _("该回访问题的整改责任人不是被问责人：#%(pk)d") % {"pk": callback_problem.pk}
            errors.append(FieldError("callback_problem", message))
        elif callback is not None and callback_problem.callback_id != callback.pk:
            message = _("该回访问题不是所选回访反映的：#%(pk)d") % {"pk": callback_problem.pk}
            errors.append(FieldError("callback_problem", message))
    if trace_flag is not None:
        if not flag_concerns(trace_flag, officer):
            message = _("该痕迹疑点所涉检查不是被问责人做的：#%(pk)d") % {"pk": trace_flag.pk}
            errors.append(FieldError("trace_flag", message))
        elif trace_flag.status != TraceFlag.Status.CONFIRMED:
            message = _("该痕迹疑点尚未核实属实：#%(pk)d") % {"pk": trace_flag.pk}
            errors.append(FieldError("trace_flag", message))
    named = {
        "warning": warning,
        "callback": callback,
        "callback_problem": callback_problem,
        "trace_flag": trace_flag,
    }
    for field, source in named.items():
        if source is not None and not access.in_scope(actor, source.unit_id):
            errors.append(
                FieldError(field, _("该记录不属于您所在单位的辖区：#%(pk)d") % {"pk": source.pk})
            )
    return errors


def _date_errors(
    decided_on: dt.date | None, sources: list[Warning | Callback | CallbackProblem | TraceFlag]
) -> list[FieldError]:
    today = timezone.localdate()
    if decided_on is None:
        return [FieldError("decided_on", _("请填写决定日期（YYYY-MM-DD）"))]
    if decided_on > today:
        message = _("决定日期不能晚于今天（%(today)s）：%(day)s") % {
            "today": today,
            "day": decided_on,
        }
        return [FieldError("decided_on", message)]
    days = [day for day in map(_source_day, sources) if day is not None]
    if days and decided_on < max(days):
        message = _("决定日期不能早于问责来源发生的日期（%(first)s）：%(day)s") % {
            "first": max(days),
            "day": decided_on,
        }
        return [FieldError("decided_on", message)]
    return []


def decide_action(
    *,
    officer: Officer | None,
    kind: str,
    facts: str,
    rule: str,
    deduction: Decimal | str | None,
    decided_on: dt.date | None,
    actor: Officer,
    warning: Warning | None = None,
    callback: Callback | None = None,
    callback_problem: CallbackProblem | None = None,
    trace_flag: TraceFlag | None = None,
) -> AccountabilityAction:
    """Record an accountability action against ``officer`` (篇9), decided by ``actor``.

    Needs DECIDE_ACCOUNTABILITY and the officer's unit in the actor's scope; the record takes
    the officer's unit. Every field is checked and every problem named at once.
    """
    access.require(actor, access.DECIDE_ACCOUNTABILITY)
    if officer is None:
        raise InvalidInput.single("officer", _("请选择被问责人"))
    if officer.unit_id is None:
        raise InvalidInput.single("officer", _("被问责人没有所属单位：%(o)s") % {"o": officer})
    access.require_unit(actor, officer.unit_id)
    errors: list[FieldError] = []
    kind = (kind or "").strip()
    if kind not in ActionKind.values:
        allowed = "、".join(str(label) for label in ActionKind.labels)
        message = _("问责方式应为%(allowed)s之一：%(v)s") % {"allowed": allowed, "v": kind}
        errors.append(FieldError("kind", message if kind else _("请选择问责方式")))
    facts, rule = (facts or "").strip(), (rule or "").strip()
    if not facts:
        errors.append(FieldError("facts", _("请填写问责事实")))
    if not rule:
        errors.append(FieldError("rule", _("请填写依据条款")))
    elif len(rule) > RULE_LENGTH:
        message = _("依据条款不能超过 %(n)d 个字") % {"n": RULE_LENGTH}
        errors.append(FieldError("rule", message))
    amount, problem = parse_deduction(deduction)
    if problem:
        errors.append(FieldError("deduction", problem))
    sources = [s for s in (warning, callback, callback_problem, trace_flag) if s is not None]
    errors += _date_errors(decided_on, sources)
    errors += _source_errors(
        officer=officer,
        actor=actor,
        warning=warning,
        callback=callback,
        callback_problem=callback_problem,
        trace_flag=trace_flag,
    )
    if errors:
        raise InvalidInput(f"{errors[0].field}: {errors[0].message}", errors=errors)
    assert decided_on is not None and amount is not None
    with transaction.atomic(), audit.attributed(actor):
        return AccountabilityAction.objects.create(
            officer=officer,
            unit_id=officer.unit_id,
            kind=kind,
            facts=facts,
            rule=rule,
            deduction=amount,
            decided_on=decided_on,
            decided_by=actor,
            warning=warning,
            callback=callback,
            callback_problem=callback_problem,
            trace_flag=trace_flag,
        )


def may_decide(actor: Officer, unit_id: int | None = None) -> bool:
    """Whether ``actor`` may decide (or revoke) actions, about ``unit_id``'s officers if given."""
    if not access.can(actor, access.DECIDE_ACCOUNTABILITY):
        return False
    return unit_id is None or access.in_scope(actor, unit_id)


def revoke_action(
    *, action: AccountabilityAction, reason: str, actor: Officer
) -> AccountabilityAction:
    """Revoke a decision (撤销问责决定) with a reason; it stays on record, marked revoked."""
    access.require(actor, access.DECIDE_ACCOUNTABILITY)
    access.require_unit(actor, action.unit_id)
    if action.revoked_at is not None:
        raise Conflict(
            _("该问责决定已于 %(at)s 撤销") % {"at": timezone.localdate(action.revoked_at)}
        )
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput.single("reason", _("请填写撤销理由"))
    with transaction.atomic(), audit.attributed(actor):
        action.revoked_at = timezone.now()
        action.revoked_reason = reason
        audit.set_reason(action, reason)
        action.save()
    return action
