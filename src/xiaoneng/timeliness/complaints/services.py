"""Complaints and reports (投诉 / 举报) and their statutory clocks (docs/timeliness/complaints.md).

投诉 (《市场监督管理投诉举报处理暂行办法》): the decision to accept or refuse within 7 working
days of receipt (第十四条); mediation ends if no agreement within 45 working days of acceptance,
and both parties are told within 7 working days of the decision to terminate (第二十一条).

举报 (第三十一条 and 《市场监督管理行政处罚程序规定》第十八条): verify and decide whether to file
within 15 working days of receipt, extendable once by 15 with the head's approval; a real-name
reporter is told within 5 working days of the decision. Filing opens a case through
``cases.services``.

Each service checks the actor (HANDLE_SERVICES, the record's unit), the move (``COMPLAINT``),
its date (not in the future, not before the stage began) and its text (``checks``), then writes
the record and its clocks (``limits``) in one transaction. Here: registering, the hand-on and the
投诉's moves; the 举报's verification and filing decision are in ``filing``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import audit
from xiaoneng.core.errors import FieldError, InvalidInput
from xiaoneng.core.scoping import in_scope
from xiaoneng.org import access
from xiaoneng.org.models import Officer, Unit
from xiaoneng.registry.models import Entity
from xiaoneng.timeliness.clocks import services as clocks
from xiaoneng.timeliness.clocks.models import ClockKind
from xiaoneng.timeliness.complaints.checks import (
    check_day,
    check_hand_on,
    check_move,
    check_notify,
    clean_amount,
    clean_text,
    move,
    require,
    today,
)
from xiaoneng.timeliness.complaints.limits import open_clock, stop_clock
from xiaoneng.timeliness.complaints.models import Channel, Complaint, Topic
from xiaoneng.timeliness.complaints.queries import open_clock_of
from xiaoneng.timeliness.complaints.repeated import report_repeated

S = Complaint.Status
K = Complaint.Kind
F = Complaint.Founded

PREFIX: dict[str, str] = {K.COMPLAINT: "TS", K.REPORT: "JB"}
PHONE = re.compile(r"^[0-9+\- ]{3,20}$")


def next_number(kind: str, year: int) -> str:
    """The next number of ``kind`` in ``year``: TS2026-000123 (投诉), JB2026-000045 (举报)."""
    head = f"{PREFIX[kind]}{year}-"
    taken = Complaint.objects.filter(number__startswith=head).values_list("number", flat=True)
    highest = max((int(n[len(head) :]) for n in taken if n[len(head) :].isdigit()), default=0)
    return f"{head}{highest + 1:06d}"


def _register_errors(
    *,
    kind: str,
    channel: str,
    topic: str,
    received_on: dt.date | None,
    phone: str,
    entity: Entity | None,
) -> list[FieldError]:
    errors = []
    if kind not in K.values:
        errors.append(FieldError("kind", _("类别应为投诉或举报：%(v)s") % {"v": kind}))
    if channel not in Channel.values:
        errors.append(FieldError("channel", _("未知的来源渠道：%(v)s") % {"v": channel}))
    if topic not in Topic.values:
        errors.append(FieldError("topic", _("未知的涉及领域：%(v)s") % {"v": topic}))
    if phone and not PHONE.match(phone):
        errors.append(FieldError("phone", _("联系电话格式不正确：%(v)s") % {"v": phone}))
    if received_on is None:
        errors.append(FieldError("received_on", _("请填写收到日期（YYYY-MM-DD）")))
    elif received_on > today():
        errors.append(
            FieldError("received_on", _("收到日期不能晚于今天：%(date)s") % {"date": received_on})
        )
    elif entity is not None and entity.registered_on and received_on < entity.registered_on:
        errors.append(
            FieldError(
                "received_on",
                _("收到日期不能早于被投诉（举报）主体的登记日期 %(day)s：%(date)s")
                % {"day": entity.registered_on, "date": received_on},
            )
        )
    return errors


def register_complaint(
    *,
    actor: Officer,
    kind: str,
    channel: str,
    topic: str,
    received_on: dt.date | None,
    content: str,
    person: str = "",
    phone: str = "",
    real_name: bool = True,
    entity: Entity | None = None,
    respondent: str = "",
    handler: Officer | None = None,
) -> Complaint:
    """Register a complaint or a report received on ``received_on``; the officer who takes it
    is its first officer (首问责任人) and handler, and its first clock starts: the decision to
    accept (投诉, 7 working days) or to file (举报, 15 working days).

    The unit is the entity's (when named), else the handler's.
    """
    require(actor)
    handler = handler or actor
    person, phone = (person or "").strip(), (phone or "").strip()
    errors = _register_errors(
        kind=kind,
        channel=channel,
        topic=topic,
        received_on=received_on,
        phone=phone,
        entity=entity,
    )
    for field, value, what, required in (
        ("content", content, _("投诉（举报）内容"), True),
        ("respondent", respondent or (entity.name if entity else ""), _("被投诉（举报）人"), True),
        ("person", person, _("投诉（举报）人"), kind == K.COMPLAINT or bool(real_name)),
    ):
        try:
            clean_text(value, field, str(what), required=required)
        except InvalidInput as error:
            errors += error.errors
    if errors:
        raise InvalidInput(f"{errors[0].field}: {errors[0].message}", errors=errors)
    assert received_on is not None
    unit_id = entity.unit_id if entity is not None else handler.unit_id
    if unit_id is None:
        raise InvalidInput.single("entity", _("无法确定承办单位：请选择被投诉（举报）主体"))
    access.require_unit(actor, unit_id)
    if not handler.is_active or not in_scope(actor, handler.unit_id):
        raise InvalidInput.single("handler", _("承办人不在您的辖区内：%(v)s") % {"v": handler})
    with transaction.atomic(), audit.attributed(actor):
        unit = Unit.objects.select_for_update().get(pk=unit_id)
        complaint = Complaint(
            number=next_number(kind, received_on.year),
            kind=kind,
            channel=channel,
            topic=topic,
            received_on=received_on,
            person=person,
            phone=phone,
            real_name=bool(real_name) if kind == K.REPORT else True,
            entity=entity,
            respondent=(respondent or "").strip() or (entity.name if entity else ""),
            content=content.strip(),
            unit=unit,
            region_code=entity.region_code if entity is not None else unit.region_code,
            status=S.RECEIVED if kind == K.COMPLAINT else S.VERIFYING,
            first_officer=actor,
            handler=handler,
        )
        complaint.save()
        first = ClockKind.COMPLAINT_ACCEPT if kind == K.COMPLAINT else ClockKind.REPORT_FILING
        open_clock(complaint, first, received_on, actor)
    return complaint


def hand_on(*, complaint: Complaint, officer: Officer, actor: Officer, note: str = "") -> Complaint:
    """首问负责制: the handler hands the matter on to ``officer`` (of any unit in the actor's
    scope, who may handle complaints); the first officer stays recorded, and the running clock
    follows (to the officer's station, when it is another station)."""
    require(actor, complaint)
    check_hand_on(complaint)
    if officer.pk == complaint.handler_id:
        raise InvalidInput.single("officer", _("接办人与现承办人相同：%(v)s") % {"v": officer})
    if not officer.is_active or officer.unit_id is None or not in_scope(actor, officer.unit_id):
        raise InvalidInput.single("officer", _("接办人不在您的辖区内：%(v)s") % {"v": officer})
    if not access.can(officer, access.HANDLE_SERVICES):
        raise InvalidInput.single("officer", _("接办人无权办理投诉举报：%(v)s") % {"v": officer})
    note = clean_text(note, "note", _("移交说明"), required=False)
    with transaction.atomic(), audit.attributed(actor):
        complaint.handler = officer
        complaint.handed_on_at = timezone.now()
        fields = ["handler", "handed_on_at"]
        # The matter moves to the officer's station; a division officer takes it where it is.
        home = officer.unit
        moved = home is not None and home.pk != complaint.unit_id and home.kind == Unit.Kind.STATION
        if moved:
            complaint.unit_id = officer.unit_id
            fields.append("unit")
        if note:
            audit.set_reason(complaint, note)
        complaint.save(update_fields=fields)
        clock = open_clock_of(complaint)
        if clock is not None:
            clocks.hand_on(clock=clock, officer=officer, unit=home if moved else None, actor=actor)
    return complaint


# 投诉 ------------------------------------------------------------------------------------------
def accept(*, complaint: Complaint, actor: Officer, on: dt.date | None) -> Complaint:
    """受理 (第十四条): stops the acceptance clock; mediation's 45 working days start."""
    require(actor, complaint)
    check_move(complaint, K.COMPLAINT, S.MEDIATING)
    day = check_day(on, "accepted_on", _("受理日期"), complaint.received_on, _("收到日期"))
    with transaction.atomic(), audit.attributed(actor):
        move(complaint, S.MEDIATING)
        complaint.accepted_on = day
        complaint.save()
        stop_clock(complaint, ClockKind.COMPLAINT_ACCEPT, day, actor)
        open_clock(complaint, ClockKind.COMPLAINT_MEDIATION, day, actor)
    return complaint


def refuse(*, complaint: Complaint, actor: Officer, on: dt.date | None, reason: str) -> Complaint:
    """不予受理 (第十四条, 第十五条), with the reason told to the complainant."""
    require(actor, complaint)
    check_move(complaint, K.COMPLAINT, S.REFUSED)
    day = check_day(on, "accepted_on", _("不予受理决定日期"), complaint.received_on, _("收到日期"))
    reason = clean_text(reason, "outcome", _("不予受理的理由"))
    with transaction.atomic(), audit.attributed(actor):
        move(complaint, S.REFUSED)
        complaint.accepted_on = day
        complaint.notified_on = day
        complaint.outcome = reason
        audit.set_reason(complaint, reason)
        complaint.save()
        stop_clock(complaint, ClockKind.COMPLAINT_ACCEPT, day, actor)
    return complaint


def end_mediation(
    *,
    complaint: Complaint,
    actor: Officer,
    agreed: bool,
    on: dt.date | None,
    outcome: str,
    amount_recovered: Any = None,
    founded: str = "",
) -> Complaint:
    """调解结束 (第二十一条): agreed (调解成功), or terminated, after which both parties are told
    within 7 working days (a clock starts). ``founded``: what the handling found (属实…)."""
    require(actor, complaint)
    to = S.AGREED if agreed else S.TERMINATED
    check_move(complaint, K.COMPLAINT, to)
    assert complaint.accepted_on is not None
    what = _("调解结束日期") if agreed else _("终止调解决定日期")
    day = check_day(on, "ended_on", what, complaint.accepted_on, _("受理日期"))
    outcome = clean_text(outcome, "outcome", _("调解结果") if agreed else _("终止调解的原因"))
    amount = clean_amount(amount_recovered)
    if founded not in F.values:
        raise InvalidInput.single("founded", _("核查结论无效：%(v)s") % {"v": founded})
    with transaction.atomic(), audit.attributed(actor):
        move(complaint, to)
        complaint.ended_on = day
        complaint.outcome = outcome
        complaint.amount_recovered = amount
        complaint.founded = founded
        if agreed:
            complaint.notified_on = day
        complaint.save()
        stop_clock(complaint, ClockKind.COMPLAINT_MEDIATION, day, actor)
        if not agreed:
            open_clock(complaint, ClockKind.COMPLAINT_NOTICE, day, actor)
        report_repeated(complaint, actor)
    return complaint


def notify(
    *, complaint: Complaint, actor: Officer, on: dt.date | None, note: str = ""
) -> Complaint:
    """告知: both parties of a terminated mediation (第二十一条), or a real-name reporter of the
    decision whether to file (第三十一条); the notice clock stops and the matter is closed."""
    require(actor, complaint)
    check_notify(complaint)
    assert complaint.ended_on is not None
    earliest_what = _("终止调解决定日期") if complaint.kind == K.COMPLAINT else _("立案决定日期")
    day = check_day(on, "notified_on", _("告知日期"), complaint.ended_on, earliest_what)
    note = clean_text(note, "note", _("告知说明"), required=False)
    kind = ClockKind.COMPLAINT_NOTICE if complaint.kind == K.COMPLAINT else ClockKind.REPORT_REPLY
    with transaction.atomic(), audit.attributed(actor):
        move(complaint, S.CLOSED)
        complaint.notified_on = day
        if note:
            audit.set_reason(complaint, note)
        complaint.save()
        stop_clock(complaint, kind, day, actor)
    return complaint
