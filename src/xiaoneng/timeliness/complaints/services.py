"""Complaints and reports (投诉 / 举报) and their statutory clocks (docs/timeliness/complaints.md).

投诉 (《市场监督管理投诉举报处理暂行办法》): the decision to accept or refuse within 7 working
days of receipt (第十四条); mediation ends if no agreement within 45 working days of acceptance,
and both parties are told within 7 working days of the decision to terminate (第二十一条).

举报 (第三十一条 and 《市场监督管理行政处罚程序规定》第十八条): verify and decide whether to file
within 15 working days of receipt, extendable once by 15 with the head's approval; a real-name
reporter is told within 5 working days of the decision. Filing opens a case through
``cases.services``.

Each service checks the actor (HANDLE_SERVICES, the record's unit), the move (``COMPLAINT``),
its date (not in the future, not before the stage began) and its text, then writes the record
and its clocks in one transaction.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.cases import services as cases
from xiaoneng.cases.models import Case, CaseKind
from xiaoneng.core import audit
from xiaoneng.core.errors import Conflict, FieldError, InvalidInput, NotPermitted
from xiaoneng.core.scoping import in_scope
from xiaoneng.org import access
from xiaoneng.org.models import Officer, Role, Unit
from xiaoneng.registry.credit.services import credit_event
from xiaoneng.registry.models import CreditProposal, Entity
from xiaoneng.timeliness.clocks import services as clocks
from xiaoneng.timeliness.clocks.models import Clock, ClockKind, SubjectType
from xiaoneng.timeliness.complaints.models import Channel, Complaint, Topic
from xiaoneng.timeliness.complaints.transitions import COMPLAINT

S = Complaint.Status
K = Complaint.Kind
F = Complaint.Founded

# Working days of each clock and the article that sets it.
ACCEPT_DAYS = 7
MEDIATION_DAYS = 45
NOTICE_DAYS = 7
FILING_DAYS = 15
EXTENSION_DAYS = 15
REPLY_DAYS = 5
BASIS: dict[str, str] = {
    ClockKind.COMPLAINT_ACCEPT: "《市场监督管理投诉举报处理暂行办法》第十四条",
    ClockKind.COMPLAINT_MEDIATION: "《市场监督管理投诉举报处理暂行办法》第二十一条",
    ClockKind.COMPLAINT_NOTICE: "《市场监督管理投诉举报处理暂行办法》第二十一条",
    ClockKind.REPORT_FILING: "《市场监督管理行政处罚程序规定》第十八条",
    ClockKind.REPORT_REPLY: "《市场监督管理投诉举报处理暂行办法》第三十一条",
}
LIMITS: dict[str, int] = {
    ClockKind.COMPLAINT_ACCEPT: ACCEPT_DAYS,
    ClockKind.COMPLAINT_MEDIATION: MEDIATION_DAYS,
    ClockKind.COMPLAINT_NOTICE: NOTICE_DAYS,
    ClockKind.REPORT_FILING: FILING_DAYS,
    ClockKind.REPORT_REPLY: REPLY_DAYS,
}
PREFIX: dict[str, str] = {K.COMPLAINT: "TS", K.REPORT: "JB"}

# Repeated complaints (docs/timeliness/complaints.md): this many founded (属实 or 部分属实)
# complaints and reports against one entity received within WINDOW_DAYS raise its credit risk.
REPEAT_THRESHOLD = 3
WINDOW_DAYS = 365
FOUNDED = (F.FOUNDED, F.PARTLY)

# What a 举报 filed as a case is filed as, by topic.
CASE_KINDS: dict[str, str] = {
    Topic.FOOD: CaseKind.FOOD,
    Topic.QUALITY: CaseKind.PRODUCT_QUALITY,
    Topic.PRICE: CaseKind.PRICE,
    Topic.ADVERTISING: CaseKind.ADVERTISING,
    Topic.UNLICENSED: CaseKind.UNLICENSED,
    Topic.CONTRACT: CaseKind.CONSUMER,
    Topic.ONLINE: CaseKind.CONSUMER,
}

# The states in which nothing is left to do (a report decided without a real-name reporter too).
FINAL = (S.REFUSED, S.AGREED, S.CLOSED)
PHONE = re.compile(r"^[0-9+\- ]{3,20}$")
TEXT_LIMITS: dict[str, int] = {"person": 100, "respondent": 200, "content": 5000, "outcome": 2000}


def today() -> dt.date:
    return timezone.localdate()


def is_done(complaint: Complaint) -> bool:
    """Nothing is left to do: refused, agreed, closed, or a report decided whose reporter
    gave no name (nobody to tell)."""
    return complaint.status in FINAL or (
        complaint.status in (S.FILED, S.NOT_FILED) and not complaint.real_name
    )


# Checks -------------------------------------------------------------------------------------


def _require(
    actor: Officer, complaint: Complaint | None = None, unit_id: int | None = None
) -> None:
    access.require(actor, access.HANDLE_SERVICES)
    unit = complaint.unit_id if complaint is not None else unit_id
    if unit is not None:
        access.require_unit(actor, unit)


def _check_kind(complaint: Complaint, kind: str) -> None:
    if complaint.kind != kind:
        raise Conflict(
            _("该事项是%(kind)s，不能办理此操作") % {"kind": complaint.get_kind_display()}
        )


def _check_move(complaint: Complaint, kind: str, to: str) -> None:
    """The action is one of the record's kind (投诉 or 举报) and its state allows the move."""
    _check_kind(complaint, kind)
    COMPLAINT.check(complaint, to)


def _day(
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


def _text(value: str | None, field: str, what: str, *, required: bool = True) -> str:
    text = (value or "").strip()
    if required and len(text) < 2:
        raise InvalidInput.single(field, _("请填写%(what)s") % {"what": what})
    limit = TEXT_LIMITS.get(field, 200)
    if len(text) > limit:
        raise InvalidInput.single(
            field, _("%(what)s不能超过 %(n)d 个字") % {"what": what, "n": limit}
        )
    return text


def _amount(value: Any) -> Decimal | None:
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


# Clocks -------------------------------------------------------------------------------------


def _open(complaint: Complaint, kind: str, on: dt.date, actor: Officer) -> Clock:
    days = LIMITS[kind]
    return clocks.open_clock(
        kind=kind,
        subject_type=SubjectType.COMPLAINT,
        subject_id=complaint.pk,
        subject=f"{complaint.number} {complaint.respondent}",
        unit=complaint.unit,
        officer=complaint.handler,
        region_code=complaint.region_code,
        started_on=on,
        limit_days=days,
        statutory_days=days,
        basis=BASIS[kind],
        actor=actor,
    )


def open_clock_of(complaint: Complaint, kind: str | None = None) -> Clock | None:
    """The complaint's running clock (of ``kind``), if any."""
    found = Clock.objects.filter(
        subject_type=SubjectType.COMPLAINT, subject_id=complaint.pk, stopped_on__isnull=True
    )
    if kind is not None:
        found = found.filter(kind=kind)
    return found.order_by("-started_on", "-id").first()


def _stop(complaint: Complaint, kind: str, on: dt.date, actor: Officer) -> None:
    clock = open_clock_of(complaint, kind)
    if clock is not None:
        clocks.stop(clock=clock, on=max(on, clock.started_on), actor=actor)


def overdue_filter(day: dt.date | None = None) -> Exists:
    """Complaints with a running clock past its due date (as of ``day``)."""
    return Exists(
        Clock.objects.filter(
            subject_type=SubjectType.COMPLAINT,
            subject_id=OuterRef("pk"),
            stopped_on__isnull=True,
            due_on__lt=day or today(),
        )
    )


def pending_filter() -> Exists:
    """Complaints with a running clock: something is still to be done by a date."""
    return Exists(
        Clock.objects.filter(
            subject_type=SubjectType.COMPLAINT, subject_id=OuterRef("pk"), stopped_on__isnull=True
        )
    )


# Registering ---------------------------------------------------------------------------------


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
    _require(actor)
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
            _text(value, field, str(what), required=required)
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
        _open(complaint, first, received_on, actor)
    return complaint


def _check_hand_on(complaint: Complaint) -> None:
    if is_done(complaint):
        raise Conflict(_("该事项已办结，不能移交"))


def hand_on(*, complaint: Complaint, officer: Officer, actor: Officer, note: str = "") -> Complaint:
    """首问负责制: the handler hands the matter on to ``officer`` (of any unit in the actor's
    scope, who may handle complaints); the first officer stays recorded, and the running clock
    follows (to the officer's station, when it is another station)."""
    _require(actor, complaint)
    _check_hand_on(complaint)
    if officer.pk == complaint.handler_id:
        raise InvalidInput.single("officer", _("接办人与现承办人相同：%(v)s") % {"v": officer})
    if not officer.is_active or officer.unit_id is None or not in_scope(actor, officer.unit_id):
        raise InvalidInput.single("officer", _("接办人不在您的辖区内：%(v)s") % {"v": officer})
    if not access.can(officer, access.HANDLE_SERVICES):
        raise InvalidInput.single("officer", _("接办人无权办理投诉举报：%(v)s") % {"v": officer})
    note = _text(note, "note", _("移交说明"), required=False)
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


def _move(complaint: Complaint, to: str) -> None:
    current = (
        Complaint.objects.select_for_update()
        .filter(pk=complaint.pk)
        .values_list("status", flat=True)
    )
    if current.first() != complaint.status:
        raise Conflict(_("该事项已被他人更新，请刷新后重试"))
    COMPLAINT.move(complaint, to)


def accept(*, complaint: Complaint, actor: Officer, on: dt.date | None) -> Complaint:
    """受理 (第十四条): stops the acceptance clock; mediation's 45 working days start."""
    _require(actor, complaint)
    _check_move(complaint, K.COMPLAINT, S.MEDIATING)
    day = _day(on, "accepted_on", _("受理日期"), complaint.received_on, _("收到日期"))
    with transaction.atomic(), audit.attributed(actor):
        _move(complaint, S.MEDIATING)
        complaint.accepted_on = day
        complaint.save()
        _stop(complaint, ClockKind.COMPLAINT_ACCEPT, day, actor)
        _open(complaint, ClockKind.COMPLAINT_MEDIATION, day, actor)
    return complaint


def refuse(*, complaint: Complaint, actor: Officer, on: dt.date | None, reason: str) -> Complaint:
    """不予受理 (第十四条, 第十五条), with the reason told to the complainant."""
    _require(actor, complaint)
    _check_move(complaint, K.COMPLAINT, S.REFUSED)
    day = _day(on, "accepted_on", _("不予受理决定日期"), complaint.received_on, _("收到日期"))
    reason = _text(reason, "outcome", _("不予受理的理由"))
    with transaction.atomic(), audit.attributed(actor):
        _move(complaint, S.REFUSED)
        complaint.accepted_on = day
        complaint.notified_on = day
        complaint.outcome = reason
        audit.set_reason(complaint, reason)
        complaint.save()
        _stop(complaint, ClockKind.COMPLAINT_ACCEPT, day, actor)
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
    _require(actor, complaint)
    to = S.AGREED if agreed else S.TERMINATED
    _check_move(complaint, K.COMPLAINT, to)
    assert complaint.accepted_on is not None
    what = _("调解结束日期") if agreed else _("终止调解决定日期")
    day = _day(on, "ended_on", what, complaint.accepted_on, _("受理日期"))
    outcome = _text(outcome, "outcome", _("调解结果") if agreed else _("终止调解的原因"))
    amount = _amount(amount_recovered)
    if founded not in F.values:
        raise InvalidInput.single("founded", _("核查结论无效：%(v)s") % {"v": founded})
    with transaction.atomic(), audit.attributed(actor):
        _move(complaint, to)
        complaint.ended_on = day
        complaint.outcome = outcome
        complaint.amount_recovered = amount
        complaint.founded = founded
        if agreed:
            complaint.notified_on = day
        complaint.save()
        _stop(complaint, ClockKind.COMPLAINT_MEDIATION, day, actor)
        if not agreed:
            _open(complaint, ClockKind.COMPLAINT_NOTICE, day, actor)
        _repeated(complaint, actor)
    return complaint


def _check_notify(complaint: Complaint) -> None:
    """Told once the matter is decided; an anonymous reporter is nobody to tell."""
    COMPLAINT.check(complaint, S.CLOSED)
    if complaint.kind == K.REPORT and not complaint.real_name:
        raise Conflict(_("匿名举报无需告知处理结果"))


def notify(
    *, complaint: Complaint, actor: Officer, on: dt.date | None, note: str = ""
) -> Complaint:
    """告知: both parties of a terminated mediation (第二十一条), or a real-name reporter of the
    decision whether to file (第三十一条); the notice clock stops and the matter is closed."""
    _require(actor, complaint)
    _check_notify(complaint)
    assert complaint.ended_on is not None
    earliest_what = _("终止调解决定日期") if complaint.kind == K.COMPLAINT else _("立案决定日期")
    day = _day(on, "notified_on", _("告知日期"), complaint.ended_on, earliest_what)
    note = _text(note, "note", _("告知说明"), required=False)
    kind = ClockKind.COMPLAINT_NOTICE if complaint.kind == K.COMPLAINT else ClockKind.REPORT_REPLY
    with transaction.atomic(), audit.attributed(actor):
        _move(complaint, S.CLOSED)
        complaint.notified_on = day
        if note:
            audit.set_reason(complaint, note)
        complaint.save()
        _stop(complaint, kind, day, actor)
    return complaint


# 举报 ------------------------------------------------------------------------------------------


def may_extend(actor: Officer) -> bool:
    """A station director or division staff approves a longer verification (负责人批准)."""
    return bool(
        getattr(actor, "is_authenticated", False)
        and (actor.is_superuser or actor.has_role(Role.STATION_DIRECTOR, Role.DIVISION_STAFF))
    )


def _check_extend(complaint: Complaint, actor: Officer) -> None:
    """A report under verification, not extended yet, and an actor who may approve it."""
    if not may_extend(actor):
        raise NotPermitted(_("只有所长或科室负责人可以批准延长核查期限"))
    _check_kind(complaint, K.REPORT)
    if complaint.status != S.VERIFYING:
        raise Conflict(
            _("该举报状态为“%(s)s”，不能延长核查期限") % {"s": complaint.get_status_display()}
        )
    if complaint.extended:
        raise Conflict(_("核查期限已延长过一次，不能再次延长"))


def extend_verification(*, complaint: Complaint, actor: Officer, note: str) -> Complaint:
    """程序规定 第十八条: verification extended once by 15 working days, with the approval."""
    _require(actor, complaint)
    _check_extend(complaint, actor)
    note = _text(note, "note", _("批准延长的意见"))
    clock = open_clock_of(complaint, ClockKind.REPORT_FILING)
    with transaction.atomic(), audit.attributed(actor):
        complaint.extended = True
        audit.set_reason(complaint, note)
        complaint.save(update_fields=["extended"])
        if clock is not None:
            clocks.extend(clock=clock, days=EXTENSION_DAYS, actor=actor)
    return complaint


def decide_filing(
    *,
    complaint: Complaint,
    actor: Officer,
    file: bool,
    on: dt.date | None,
    founded: str,
    outcome: str,
    title: str = "",
    case_kind: str = "",
) -> Complaint:
    """The decision whether to file (程序规定 第十八条): filed, a case is opened and filed through
    ``cases.services`` (linked as ``case``); not filed, with the reason. A real-name reporter
    is then told within 5 working days (第三十一条: a clock starts)."""
    _require(actor, complaint)
    to = S.FILED if file else S.NOT_FILED
    _check_move(complaint, K.REPORT, to)
    day = _day(on, "ended_on", _("立案决定日期"), complaint.received_on, _("收到日期"))
    allowed = FOUNDED if file else tuple(F.values)
    if founded not in allowed or (not file and founded == F.UNKNOWN):
        message = (
            _("立案的举报核查结论应为属实或部分属实：%(v)s") if file else _("请选择核查结论：%(v)s")
        )
        raise InvalidInput.single("founded", message % {"v": founded or "—"})
    outcome = _text(outcome, "outcome", _("核查情况") if file else _("不予立案的理由"))
    kind = case_kind or CASE_KINDS.get(complaint.topic, CaseKind.OTHER)
    with transaction.atomic(), audit.attributed(actor):
        _move(complaint, to)
        case: Case | None = None
        if file:
            case = cases.open_case(
                actor=actor,
                title=(title or "").strip()
                or _("举报%(n)s：%(who)s")
                % {
                    "n": complaint.number,
                    "who": complaint.respondent,
                },
                kind=kind,
                party=complaint.respondent,
                entity=complaint.entity,
                received_on=complaint.received_on,
                facts=complaint.content,
                source_note=_("举报 %(n)s") % {"n": complaint.number},
                handler=complaint.handler,
            )
            cases.file_case(case=case, actor=actor, filed_on=day)
        complaint.ended_on = day
        complaint.founded = founded
        complaint.outcome = outcome
        complaint.case = case
        complaint.save()
        _stop(complaint, ClockKind.REPORT_FILING, day, actor)
        if complaint.real_name:
            _open(complaint, ClockKind.REPORT_REPLY, day, actor)
        _repeated(complaint, actor)
    return complaint


# Repeated complaints -------------------------------------------------------------------------


def founded_within(entity: Entity, day: dt.date) -> QuerySet[Complaint]:
    """The founded complaints and reports against ``entity`` received in the WINDOW_DAYS days
    up to ``day``."""
    since = day - dt.timedelta(days=WINDOW_DAYS - 1)
    return Complaint.objects.filter(
        entity=entity, founded__in=FOUNDED, received_on__gte=since, received_on__lte=day
    )


def _repeated(complaint: Complaint, actor: Officer) -> CreditProposal | None:
    """When ``complaint`` is founded and its entity has REPEAT_THRESHOLD founded ones within a
    year, report ``repeated_complaints`` to the credit rules (a proposal of grade C)."""
    if complaint.entity is None or complaint.founded not in FOUNDED:
        return None
    count = founded_within(complaint.entity, complaint.received_on).count()
    if count < REPEAT_THRESHOLD:
        return None
    return credit_event(
        entity=complaint.entity,
        trigger="repeated_complaints",
        source=_("投诉举报 %(n)s：一年内 %(c)d 件属实") % {"n": complaint.number, "c": count},
        actor=actor,
    )


# Reading ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One step of a complaint's handling, for its timeline."""

    day: dt.date
    action: str
    text: str


def timeline(complaint: Complaint) -> list[Step]:
    """Received, handed on, accepted or refused, mediation ended or filing decided, told."""
    steps = [
        Step(
            complaint.received_on,
            _("登记"),
            _("首问责任人：%(o)s（%(c)s）")
            % {"o": complaint.first_officer, "c": complaint.get_channel_display()},
        )
    ]
    if complaint.handed_on_at:
        steps.append(
            Step(
                timezone.localdate(complaint.handed_on_at),
                _("移交"),
                _("接办人：%(o)s") % {"o": complaint.handler},
            )
        )
    if complaint.accepted_on:
        refused = complaint.status == S.REFUSED
        steps.append(
            Step(
                complaint.accepted_on,
                _("不予受理") if refused else _("受理"),
                complaint.outcome if refused else "",
            )
        )
    if complaint.ended_on:
        if complaint.kind == K.REPORT:
            label = _("立案") if complaint.case_id else _("不予立案")
        elif complaint.status == S.AGREED:
            label = _("调解成功")
        else:
            label = _("终止调解")
        steps.append(Step(complaint.ended_on, label, complaint.outcome))
    if complaint.notified_on and complaint.status == S.CLOSED:
        steps.append(Step(complaint.notified_on, _("告知"), ""))
    return sorted(steps, key=lambda s: s.day)


def actions_for(complaint: Complaint, actor: Officer) -> list[str]:
    """The actions ``actor`` may take on ``complaint`` now: those the checks of their services
    let through (the page offers these only)."""
    if not access.can(actor, access.HANDLE_SERVICES) or not access.in_scope(
        actor, complaint.unit_id
    ):
        return []
    checks: dict[str, Callable[[], None]] = {
        "hand_on": partial(_check_hand_on, complaint),
        "accept": partial(_check_move, complaint, K.COMPLAINT, S.MEDIATING),
        "refuse": partial(_check_move, complaint, K.COMPLAINT, S.REFUSED),
        # 调解成功 and 终止调解 leave mediation alike, as 立案 and 不予立案 leave verification.
        "end_mediation": partial(_check_move, complaint, K.COMPLAINT, S.AGREED),
        "notify": partial(_check_notify, complaint),
        "extend": partial(_check_extend, complaint, actor),
        "decide_filing": partial(_check_move, complaint, K.REPORT, S.FILED),
    }
    found = []
    for action, check in checks.items():
        try:
            check()
        except (Conflict, NotPermitted):
            continue
        found.append(action)
    return found


def unfinished(complaints: QuerySet[Complaint]) -> QuerySet[Complaint]:
    return complaints.filter(pending_filter())


def overdue(complaints: QuerySet[Complaint], day: dt.date | None = None) -> QuerySet[Complaint]:
    return complaints.filter(overdue_filter(day))


def founded_q() -> Q:
    return Q(founded__in=FOUNDED)
