"""Service cases (办件, 篇5 and 篇9) from receipt to the end: 限时办结, 一审一核, 首问负责.

A case moves 收件 → 受理 → 审查 → 核准 → 办结 (``transitions.SERVICE_CASE``); each stage is a
``ServiceStage`` (who, on which day, their opinion). Acceptance opens the case's clock with the
item's committed and statutory limits; 办结 or 撤回 stops it. The one-time notice and the other
suspensions are in ``suspensions``, the hand-on of the responsible officer in ``handover``, the
steps a page offers in ``steps``.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import audit
from xiaoneng.core.calendar import WorkingCalendar
from xiaoneng.core.errors import FieldError, InvalidInput
from xiaoneng.org import access
from xiaoneng.org.models import Officer, Unit
from xiaoneng.registry.models import Entity
from xiaoneng.timeliness.clocks import services as clocks
from xiaoneng.timeliness.clocks.models import ClockKind, SubjectType
from xiaoneng.timeliness.permits.checks import (
    check_on,
    clock_of,
    last_stage_on,
    refuse,
    require_handler,
    required_text,
    today,
)
from xiaoneng.timeliness.permits.models import (
    ItemCategory,
    ServiceCase,
    ServiceItem,
    ServiceStage,
)
from xiaoneng.timeliness.permits.transitions import SERVICE_CASE, check_stage

S = ServiceCase.Status
NUMBER_PREFIX = "BJ"
APPLICANT_LENGTH = 100
PHONE_LENGTH = 20


def _stage(case: ServiceCase, stage: str, officer: Officer, on: dt.date, opinion: str) -> None:
    ServiceStage.objects.create(
        case=case, stage=stage, officer=officer, done_on=on, done_at=timezone.now(), opinion=opinion
    )


# ---------------------------------------------------------------- receipt and acceptance


def next_number(year: int) -> str:
    """The next case number of ``year``: BJ2026-000123."""
    prefix = f"{NUMBER_PREFIX}{year}-"
    last = (
        ServiceCase.objects.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    sequence = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{sequence:06d}"


def _receive_errors(
    *,
    item: ServiceItem | None,
    applicant: str,
    phone: str,
    entity: Entity | None,
    unit: Unit | None,
    received_on: dt.date | None,
) -> list[FieldError]:
    errors = []
    if item is None:
        errors.append(FieldError("item", _("请选择服务事项")))
    elif not item.active:
        errors.append(FieldError("item", _("该服务事项已停办：%(name)s") % {"name": item.name}))
    if not applicant:
        errors.append(FieldError("applicant", _("请填写申请人")))
    elif len(applicant) > APPLICANT_LENGTH:
        errors.append(
            FieldError("applicant", _("申请人不能超过 %(n)d 个字") % {"n": APPLICANT_LENGTH})
        )
    if len(phone) > PHONE_LENGTH:
        errors.append(
            FieldError("applicant_phone", _("联系电话不能超过 %(n)d 位") % {"n": PHONE_LENGTH})
        )
    if unit is None or unit.kind != Unit.Kind.STATION:
        errors.append(FieldError("unit", _("请选择办理所")))
    if received_on is None:
        errors.append(FieldError("received_on", _("请填写收件日期（YYYY-MM-DD）")))
    elif received_on > today():
        errors.append(
            FieldError("received_on", _("收件日期不能是将来的日期：%(day)s") % {"day": received_on})
        )
    elif (
        entity is not None
        and entity.registered_on
        and received_on < entity.registered_on
        # 设立登记: the application comes before the entity exists.
        and (item is None or item.category != ItemCategory.REGISTRATION)
    ):
        errors.append(
            FieldError(
                "entity",
                _("收件日期早于该主体的成立日期（%(day)s）") % {"day": entity.registered_on},
            )
        )
    return errors


def receive_case(
    *,
    actor: Officer,
    item: ServiceItem | None,
    applicant: str,
    applicant_phone: str = "",
    entity: Entity | None = None,
    unit: Unit | None = None,
    received_on: dt.date | None = None,
    note: str = "",
) -> ServiceCase:
    """收件: the applicant's application, at the actor's station (or ``unit`` in their scope).

    首问负责制 (篇9): the receiving officer is the case's first officer and stays responsible
    until the case is handed on."""
    access.require(actor, access.HANDLE_SERVICES)
    unit = unit or actor.unit
    if unit is not None:
        access.require_unit(actor, unit.pk)
    applicant, applicant_phone = (applicant or "").strip(), (applicant_phone or "").strip()
    received_on = received_on or today()
    errors = _receive_errors(
        item=item,
        applicant=applicant,
        phone=applicant_phone,
        entity=entity,
        unit=unit,
        received_on=received_on,
    )
    refuse(errors)
    assert unit is not None and item is not None
    with transaction.atomic(), audit.attributed(actor):
        case = ServiceCase.objects.create(
            number=next_number(received_on.year),
            item=item,
            applicant=applicant,
            applicant_phone=applicant_phone,
            entity=entity,
            unit=unit,
            region_code=unit.region_code,
            first_officer=actor,
            responsible=actor,
            received_on=received_on,
            note=(note or "").strip(),
        )
        _stage(case, S.RECEIVED, actor, received_on, case.note)
    return case


def accept_case(
    *,
    case: ServiceCase,
    actor: Officer,
    on: dt.date | None,
    opinion: str = "",
    calendar: WorkingCalendar | None = None,
) -> ServiceCase:
    """受理 on ``on`` (not before receipt, not in the future): the clock opens with the item's
    committed and statutory limits."""
    require_handler(actor, case)
    check_stage(case, S.ACCEPTED, actor=actor)
    on = check_on("accepted_on", on, last_stage_on(case), _("受理日期"))
    item = case.item
    with transaction.atomic(), audit.attributed(actor):
        SERVICE_CASE.move(case, S.ACCEPTED)
        case.accepted_on = on
        case.save()
        _stage(case, S.ACCEPTED, actor, on, (opinion or "").strip())
        clocks.open_clock(
            kind=ClockKind.SERVICE,
            subject_type=SubjectType.SERVICE_CASE,
            subject_id=case.pk,
            subject=f"{case.number} {item.name}（{case.applicant}）",
            unit=case.unit,
            officer=case.responsible,
            region_code=case.region_code,
            started_on=on,
            limit_days=item.committed_days,
            statutory_days=item.statutory_days,
            basis=item.basis,
            actor=actor,
            calendar=calendar,
        )
    return case


def reject_case(
    *, case: ServiceCase, actor: Officer, on: dt.date | None, reason: str
) -> ServiceCase:
    """不予受理, with the reason the applicant is told."""
    require_handler(actor, case)
    check_stage(case, S.REJECTED, actor=actor)
    reason = required_text("reason", reason, _("请填写不予受理的理由"))
    on = check_on("on", on, last_stage_on(case), _("不予受理日期"))
    with transaction.atomic(), audit.attributed(actor):
        SERVICE_CASE.move(case, S.REJECTED)
        case.completed_on = on
        audit.set_reason(case, reason)
        case.save()
        _stage(case, S.REJECTED, actor, on, reason)
    return case


# ---------------------------------------------------------------- review, approval, completion


def review_case(
    *, case: ServiceCase, actor: Officer, on: dt.date | None, opinion: str = ""
) -> ServiceCase:
    """审查: the reviewer's opinion. On an 一审一核 item the one officer reviews and approves in
    one step (``approve_case``)."""
    require_handler(actor, case)
    check_stage(case, S.REVIEWING, actor=actor)
    on = check_on("on", on, last_stage_on(case), _("审查日期"))
    with transaction.atomic(), audit.attributed(actor):
        SERVICE_CASE.move(case, S.REVIEWING)
        case.save()
        _stage(case, S.REVIEWING, actor, on, (opinion or "").strip())
    return case


def approve_case(
    *, case: ServiceCase, actor: Officer, on: dt.date | None, opinion: str = ""
) -> ServiceCase:
    """核准 by an officer other than the reviewer (审核分离); on an 一审一核 item (篇5) one officer
    reviews and approves an accepted case in one step, both stages recorded."""
    require_handler(actor, case)
    check_stage(case, S.APPROVING, actor=actor)
    on = check_on("on", on, last_stage_on(case), _("核准日期"))
    opinion = (opinion or "").strip()
    with transaction.atomic(), audit.attributed(actor):
        if case.status == S.ACCEPTED:
            _stage(case, S.REVIEWING, actor, on, opinion)
        SERVICE_CASE.move(case, S.APPROVING)
        case.save()
        _stage(case, S.APPROVING, actor, on, opinion)
    return case


def _stop_clock(
    case: ServiceCase, on: dt.date, actor: Officer, calendar: WorkingCalendar | None
) -> None:
    clock = clock_of(case)
    if clock is not None and clock.stopped_on is None:
        clocks.stop(clock=clock, on=on, actor=actor, calendar=calendar)


def complete_case(
    *,
    case: ServiceCase,
    actor: Officer,
    on: dt.date | None,
    outcome: str,
    opinion: str = "",
    calendar: WorkingCalendar | None = None,
) -> ServiceCase:
    """办结 on ``on`` with the outcome (准予 / 不予准予): the clock stops. A case is never closed
    before it was accepted."""
    require_handler(actor, case)
    if on is not None and case.accepted_on is not None and on < case.accepted_on:
        raise InvalidInput.single(
            "completed_on",
            _("办结日期（%(day)s）不得早于受理日期（%(accepted)s）")
            % {"day": on, "accepted": case.accepted_on},
        )
    check_stage(case, S.COMPLETED, actor=actor)
    if outcome not in (ServiceCase.Outcome.GRANTED, ServiceCase.Outcome.REFUSED):
        raise InvalidInput.single(
            "outcome",
            _("办理结果应为 granted（准予）或 refused（不予准予）：%(v)s") % {"v": outcome},
        )
    on = check_on("completed_on", on, last_stage_on(case), _("办结日期"))
    with transaction.atomic(), audit.attributed(actor):
        SERVICE_CASE.move(case, S.COMPLETED)
        case.completed_on, case.outcome = on, outcome
        case.save()
        _stage(case, S.COMPLETED, actor, on, (opinion or "").strip())
        _stop_clock(case, on, actor, calendar)
    return case


def withdraw_case(
    *,
    case: ServiceCase,
    actor: Officer,
    on: dt.date | None,
    reason: str,
    calendar: WorkingCalendar | None = None,
) -> ServiceCase:
    """申请人撤回: the case ends, its clock stops."""
    require_handler(actor, case)
    check_stage(case, S.WITHDRAWN, actor=actor)
    reason = required_text("reason", reason, _("请填写撤回的情况"))
    on = check_on("on", on, last_stage_on(case), _("撤回日期"))
    with transaction.atomic(), audit.attributed(actor):
        SERVICE_CASE.move(case, S.WITHDRAWN)
        case.completed_on = on
        audit.set_reason(case, reason)
        case.save()
        _stage(case, S.WITHDRAWN, actor, on, reason)
        _stop_clock(case, on, actor, calendar)
    return case
