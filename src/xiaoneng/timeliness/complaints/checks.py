"""The checks every complaint service makes first (the actor, the kind, the move, the day, the
text), and the actions a page offers, from the same checks (one rule, one function)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core.errors import Conflict, InvalidInput, NotPermitted
from xiaoneng.org import access
from xiaoneng.org.models import Officer, Role
from xiaoneng.timeliness.complaints.models import Complaint
from xiaoneng.timeliness.complaints.transitions import COMPLAINT

S = Complaint.Status
K = Complaint.Kind

# The states in which nothing is left to do (a report decided without a real-name reporter too).
FINAL = (S.REFUSED, S.AGREED, S.CLOSED)
TEXT_LIMITS: dict[str, int] = {"person": 100, "respondent": 200, "content": 5000, "outcome": 2000}


def today() -> dt.date:
    return timezone.localdate()


def is_done(complaint: Complaint) -> bool:
    """Nothing is left to do: refused, agreed, closed, or a report decided whose reporter
    gave no name (nobody to tell)."""
    return complaint.status in FINAL or (
        complaint.status in (S.FILED, S.NOT_FILED) and not complaint.real_name
    )


def require(actor: Officer, complaint: Complaint | None = None, unit_id: int | None = None) -> None:
    """HANDLE_SERVICES, and the record's unit (or ``unit_id``) in the actor's scope."""
    access.require(actor, access.HANDLE_SERVICES)
    unit = complaint.unit_id if complaint is not None else unit_id
    if unit is not None:
        access.require_unit(actor, unit)


def check_kind(complaint: Complaint, kind: str) -> None:
    """The action is one of the record's kind (投诉 or 举报)."""
    if complaint.kind != kind:
        raise Conflict(
            _("该事项是%(kind)s，不能办理此操作") % {"kind": complaint.get_kind_display()}
        )


def check_move(complaint: Complaint, kind: str, to: str) -> None:
    """The action is one of the record's kind (投诉 or 举报) and its state allows the move."""
    check_kind(complaint, kind)
    COMPLAINT.check(complaint, to)


def check_day(
    day: dt.date | None, field: str, what: str, earliest: dt.date, earliest_what: str
) -> dt.date:
    """``day`` given, not after today and not before ``earliest``."""
    if day is None:
        raise InvalidInput.single(field, _("请填写%(what)s（YYYY-MM-DD）") % {"what": what})
    if day > today():
        raise InvalidInput.single(
            field, _("%(what)s不能晚于今天：%(date)s") % {"what": what, "date": day}
        )
    if day < earliest:
        raise InvalidInput.single(
            field,
            _("%(what)s不能早于%(earliest_what)s %(earliest)s：%(date)s")
            % {"what": what, "earliest_what": earliest_what, "earliest": earliest, "date": day},
        )
    return day


def clean_text(value: str | None, field: str, what: str, *, required: bool = True) -> str:
    """``value`` stripped: at least two characters when required, at most the field's limit."""
    text = (value or "").strip()
    if required and len(text) < 2:
        raise InvalidInput.single(field, _("请填写%(what)s") % {"what": what})
    limit = TEXT_LIMITS.get(field, 200)
    if len(text) > limit:
        raise InvalidInput.single(
            field, _("%(what)s不能超过 %(n)d 个字") % {"what": what, "n": limit}
        )
    return text


def clean_amount(value: Any) -> Decimal | None:
    """The amount recovered (元): none, or a non-negative sum under 100 亿 with two decimals."""
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        raise InvalidInput.single(
            "amount_recovered", _("挽回经济损失应为金额（元）：%(v)s") % {"v": value}
        )
    if amount < 0:
        raise InvalidInput.single(
            "amount_recovered", _("挽回经济损失不能为负数：%(v)s") % {"v": value}
        )
    if amount >= Decimal("1e10") or amount != amount.quantize(Decimal("0.01")):
        raise InvalidInput.single(
            "amount_recovered",
            _("挽回经济损失应为不超过 100 亿元、最多两位小数的金额：%(v)s") % {"v": value},
        )
    return amount.quantize(Decimal("0.01"))


def check_hand_on(complaint: Complaint) -> None:
    if is_done(complaint):
        raise Conflict(_("该事项已办结，不能移交"))


def move(complaint: Complaint, to: str) -> None:
    """Move the record to ``to``, refused if someone else moved it since it was read."""
    current = (
        Complaint.objects.select_for_update()
        .filter(pk=complaint.pk)
        .values_list("status", flat=True)
    )
    if current.first() != complaint.status:
        raise Conflict(_("该事项已被他人更新，请刷新后重试"))
    COMPLAINT.move(complaint, to)


def check_notify(complaint: Complaint) -> None:
    """Told once the matter is decided; an anonymous reporter is nobody to tell."""
    COMPLAINT.check(complaint, S.CLOSED)
    if complaint.kind == K.REPORT and not complaint.real_name:
        raise Conflict(_("匿名举报无需告知处理结果"))


def may_extend(actor: Officer) -> bool:
    """A station director or division staff approves a longer verification (负责人批准)."""
    return bool(
        getattr(actor, "is_authenticated", False)
        and (actor.is_superuser or actor.has_role(Role.STATION_DIRECTOR, Role.DIVISION_STAFF))
    )


def check_extend(complaint: Complaint, actor: Officer) -> None:
    """A report under verification, not extended yet, and an actor who may approve it."""
    if not may_extend(actor):
        raise NotPermitted(_("只有所长或科室负责人可以批准延长核查期限"))
    check_kind(complaint, K.REPORT)
    if complaint.status != S.VERIFYING:
        raise Conflict(
            _("该举报状态为“%(s)s”，不能延长核查期限") % {"s": complaint.get_status_display()}
        )
    if complaint.extended:
        raise Conflict(_("核查期限已延长过一次，不能再次延长"))


def actions_for(complaint: Complaint, actor: Officer) -> list[str]:
    """The actions ``actor`` may take on ``complaint`` now: those the checks of their services
    let through (the page offers these only)."""
    if not access.can(actor, access.HANDLE_SERVICES) or not access.in_scope(
        actor, complaint.unit_id
    ):
        return []
    checks: dict[str, Callable[[], None]] = {
        "hand_on": partial(check_hand_on, complaint),
        "accept": partial(check_move, complaint, K.COMPLAINT, S.MEDIATING),
        "refuse": partial(check_move, complaint, K.COMPLAINT, S.REFUSED),
        # 调解成功 and 终止调解 leave mediation alike, as 立案 and 不予立案 leave verification.
        "end_mediation": partial(check_move, complaint, K.COMPLAINT, S.AGREED),
        "notify": partial(check_notify, complaint),
        "extend": partial(check_extend, complaint, actor),
        "decide_filing": partial(check_move, complaint, K.REPORT, S.FILED),
    }
    found = []
    for action, check in checks.items():
        try:
            check()
        except (Conflict, NotPermitted):
            continue
        found.append(action)
    return found
