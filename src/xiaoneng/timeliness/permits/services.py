"""Service items and cases (事项 / 办件, 篇5 and 篇9): 限时办结, 一审一核, 首问负责, 一次性告知.

A case moves 收件 → 受理 → 审查 → 核准 → 办结 (``transitions.SERVICE_CASE``); each stage is a
``ServiceStage`` (who, on which day, their opinion). Acceptance opens the case's clock with the
item's committed and statutory limits; a one-time notice (一次性告知) stops it for 补正 until the
materials arrive; 办结 or 撤回 stops it. The responsible officer (首问责任人 at first) changes
only by an explicit hand-on, which the clock follows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import audit
from xiaoneng.core.calendar import WorkingCalendar
from xiaoneng.core.errors import Conflict, FieldError, InvalidInput, NotPermitted
from xiaoneng.org import access
from xiaoneng.org.models import Officer, Unit
from xiaoneng.registry.models import Entity
from xiaoneng.timeliness.clocks import services as clocks
from xiaoneng.timeliness.clocks.models import (
    Clock,
    ClockKind,
    SubjectType,
    Suspension,
    SuspensionReason,
)
from xiaoneng.timeliness.permits.models import (
    ItemCategory,
    OneTimeNotice,
    ServiceCase,
    ServiceItem,
    ServiceStage,
)
from xiaoneng.timeliness.permits.transitions import (
    FINAL,
    IN_PROGRESS,
    SERVICE_CASE,
    check_stage,
)

S = ServiceCase.Status
NUMBER_PREFIX = "BJ"
APPLICANT_LENGTH = 100
PHONE_LENGTH = 20


def today() -> dt.date:
    return timezone.localdate()


# ---------------------------------------------------------------- who may act


def _raise(errors: list[FieldError]) -> None:
    if errors:
        raise InvalidInput(f"{errors[0].field}: {errors[0].message}", errors=errors)


def may_handle(actor: Officer, case: ServiceCase) -> bool:
    """HANDLE_SERVICES, and the case's unit in the actor's scope."""
    return access.can(actor, access.HANDLE_SERVICES) and access.in_scope(actor, case.unit_id)


def _require_handler(actor: Officer, case: ServiceCase) -> None:
    access.require(actor, access.HANDLE_SERVICES)
    access.require_unit(actor, case.unit_id)


def last_stage_on(case: ServiceCase) -> dt.date:
    """The day of the case's latest stage (its receipt at least)."""
    days = [case.received_on, case.accepted_on, case.completed_on]
    latest = case.stages.order_by("-done_on").values_list("done_on", flat=True).first()
    clock = clock_of(case) if case.accepted_on else None
    if clock is not None:
        for started, ended in clock.suspensions.values_list("started_on", "ended_on"):
            days += [started, ended]
    return max(d for d in [*days, latest] if d is not None)


def _check_on(field: str, on: dt.date | None, not_before: dt.date, what: str) -> dt.date:
    if on is None:
        raise InvalidInput.single(field, _("请填写%(what)s（YYYY-MM-DD）") % {"what": what})
    if on > today():
        raise InvalidInput.single(
            field, _("%(what)s不能是将来的日期：%(day)s") % {"what": what, "day": on}
        )
    if on < not_before:
        raise InvalidInput.single(
            field,
            _("%(what)s不得早于上一环节的日期（%(before)s）：%(day)s")
            % {"what": what, "before": not_before, "day": on},
        )
    return on


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
    _raise(errors)
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
    _require_handler(actor, case)
    check_stage(case, S.ACCEPTED, actor=actor)
    on = _check_on("accepted_on", on, last_stage_on(case), _("受理日期"))
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


def _reason(field: str, text: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise InvalidInput.single(field, message)
    return text


def reject_case(
    *, case: ServiceCase, actor: Officer, on: dt.date | None, reason: str
) -> ServiceCase:
    """不予受理, with the reason the applicant is told."""
    _require_handler(actor, case)
    check_stage(case, S.REJECTED, actor=actor)
    reason = _reason("reason", reason, _("请填写不予受理的理由"))
    on = _check_on("on", on, last_stage_on(case), _("不予受理日期"))
    with transaction.atomic(), audit.attributed(actor):
        SERVICE_CASE.move(case, S.REJECTED)
        case.completed_on = on
        audit.set_reason(case, reason)
        case.save()
        _stage(case, S.REJECTED, actor, on, reason)
    return case


def clock_of(case: ServiceCase) -> Clock | None:
    """The case's clock (opened at acceptance; the latest, should a stray clock name the same
    subject), or None before it."""
    return (
        Clock.objects.filter(subject_type=SubjectType.SERVICE_CASE, subject_id=case.pk)
        .order_by("-id")
        .first()
    )


# ---------------------------------------------------------------- review, approval, completion


def review_case(
    *, case: ServiceCase, actor: Officer, on: dt.date | None, opinion: str = ""
) -> ServiceCase:
    """审查: the reviewer's opinion. On an 一审一核 item the one officer reviews and approves in
    one step (``approve_case``)."""
    _require_handler(actor, case)
    check_stage(case, S.REVIEWING, actor=actor)
    on = _check_on("on", on, last_stage_on(case), _("审查日期"))
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
    _require_handler(actor, case)
    check_stage(case, S.APPROVING, actor=actor)
    on = _check_on("on", on, last_stage_on(case), _("核准日期"))
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
    _require_handler(actor, case)
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
    on = _check_on("completed_on", on, last_stage_on(case), _("办结日期"))
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
    _require_handler(actor, case)
    check_stage(case, S.WITHDRAWN, actor=actor)
    reason = _reason("reason", reason, _("请填写撤回的情况"))
    on = _check_on("on", on, last_stage_on(case), _("撤回日期"))
    with transaction.atomic(), audit.attributed(actor):
        SERVICE_CASE.move(case, S.WITHDRAWN)
        case.completed_on = on
        audit.set_reason(case, reason)
        case.save()
        _stage(case, S.WITHDRAWN, actor, on, reason)
        _stop_clock(case, on, actor, calendar)
    return case


def _check_open(case: ServiceCase) -> None:
    """A case is handed on until it is final (办结, 不予受理, 撤回)."""
    if case.status in FINAL:
        raise Conflict(_("办件已%(status)s，不能移交") % {"status": case.get_status_display()})


def hand_on_case(
    *, case: ServiceCase, actor: Officer, officer: Officer | None, reason: str
) -> ServiceCase:
    """首问负责制: the responsible officer changes only here, recorded with the reason; a move to
    an officer of another station moves the case there. The clock follows."""
    _require_handler(actor, case)
    _check_open(case)
    if officer is None:
        raise InvalidInput.single("officer", _("请选择接办人"))
    if officer.pk == case.responsible_id:
        raise InvalidInput.single(
            "officer", _("接办人就是当前责任人：%(name)s") % {"name": officer}
        )
    if not officer.is_active or not access.can(officer, access.HANDLE_SERVICES):
        raise InvalidInput.single("officer", _("该人员不能承办办件：%(name)s") % {"name": officer})
    if officer.unit is None or not access.in_scope(actor, officer.unit_id):
        raise NotPermitted(_("接办人不在您所在单位的辖区内"))
    reason = _reason("reason", reason, _("请填写移交的理由"))
    unit = officer.unit if officer.unit.kind == Unit.Kind.STATION else None
    moved = unit is not None and unit.pk != case.unit_id
    with transaction.atomic(), audit.attributed(actor):
        case.responsible = officer
        case.handed_on_at = timezone.now()
        fields = ["responsible", "handed_on_at"]
        if moved:
            assert unit is not None
            case.unit, case.region_code = unit, unit.region_code
            fields += ["unit", "region_code"]
        audit.set_reason(case, reason)
        case.save(update_fields=fields)
        clock = clock_of(case)
        if clock is not None and clock.stopped_on is None:
            clocks.hand_on(clock=clock, officer=officer, unit=unit if moved else None, actor=actor)
    return case


def hand_ons(case: ServiceCase) -> list[dict[str, object]]:
    """The case's hand-ons from its trace, oldest first: when, by whom, to whom, why."""
    names = dict(Officer.objects.filter(pk__in=_responsible_ids(case)).values_list("pk", "name"))
    found = []
    for event in reversed(list(audit.history(case))):
        change = (event.changes or {}).get("responsible")
        if event.action == "create" or not change:
            continue
        found.append(
            {
                "at": event.at,
                "actor": event.actor_name,
                "from": names.get(change[0], change[0]),
                "to": names.get(change[1], change[1]),
                "reason": event.reason,
            }
        )
    return found


def _responsible_ids(case: ServiceCase) -> set[int]:
    ids: set[int] = set()
    for event in audit.history(case):
        change = (event.changes or {}).get("responsible")
        if change:
            ids |= {v for v in change if isinstance(v, int)}
    return ids


# ---------------------------------------------------------------- one-time notice, suspensions


def _open_clock(case: ServiceCase) -> Clock:
    if case.status not in IN_PROGRESS:
        raise Conflict(
            _("办件状态为“%(status)s”，时限未在计算") % {"status": case.get_status_display()}
        )
    clock = clock_of(case)
    if clock is None or clock.stopped_on is not None:
        raise Conflict(_("办件没有正在计算的时限"))
    return clock


def issue_notice(
    *,
    case: ServiceCase,
    actor: Officer,
    materials: list[str] | str,
    on: dt.date | None,
    calendar: WorkingCalendar | None = None,
) -> OneTimeNotice:
    """一次性告知 (篇9; 《行政许可法》第三十二条): every missing material in one notice; the clock
    stops for 补正 until they arrive. A second notice is allowed but recorded as a breach."""
    _require_handler(actor, case)
    if isinstance(materials, str):
        materials = materials.splitlines()
    lines = list(dict.fromkeys(line.strip() for line in materials if line and line.strip()))
    if not lines:
        raise InvalidInput.single("materials", _("请列明需要补正的全部材料"))
    clock = _open_clock(case)
    on = _check_on("on", on, last_stage_on(case), _("告知日期"))
    with transaction.atomic(), audit.attributed(actor):
        sequence = case.notices.count() + 1
        suspension = clocks.suspend(
            clock=clock,
            reason=SuspensionReason.CORRECTION,
            note=_("一次性告知补正（第 %(n)d 次）：%(m)s") % {"n": sequence, "m": "、".join(lines)},
            on=on,
            actor=actor,
            calendar=calendar,
        )
        return OneTimeNotice.objects.create(
            case=case,
            sequence=sequence,
            issued_on=on,
            officer=actor,
            materials="\n".join(lines),
            breach=sequence > 1,
            suspension=suspension,
        )


def _open_suspension(case: ServiceCase) -> Suspension | None:
    clock = clock_of(case)
    if clock is None:
        return None
    return clock.suspensions.filter(ended_on__isnull=True).first()


def _awaited_correction(case: ServiceCase) -> Suspension:
    """The open 补正 suspension (of a one-time notice) the case waits on."""
    suspension = _open_suspension(case)
    if suspension is None or suspension.reason != SuspensionReason.CORRECTION:
        raise Conflict(_("办件没有等待补正的中止"))
    return suspension


def _suspended(case: ServiceCase) -> Suspension:
    """The case's open suspension, whatever its reason."""
    suspension = _open_suspension(case)
    if suspension is None:
        raise Conflict(_("办件的时限没有中止"))
    return suspension


def materials_received(
    *,
    case: ServiceCase,
    actor: Officer,
    on: dt.date | None,
    calendar: WorkingCalendar | None = None,
) -> Clock:
    """The applicant brought the materials asked for: the 补正 suspension ends on ``on``."""
    _require_handler(actor, case)
    suspension = _awaited_correction(case)
    if on is None:
        raise InvalidInput.single("on", _("请填写补正材料收到的日期（YYYY-MM-DD）"))
    return clocks.resume(suspension=suspension, on=on, actor=actor, calendar=calendar)


OTHER_REASONS = tuple(r for r in SuspensionReason.values if r != SuspensionReason.CORRECTION)


def suspend_case(
    *,
    case: ServiceCase,
    actor: Officer,
    reason: str,
    note: str,
    on: dt.date | None,
    calendar: WorkingCalendar | None = None,
) -> Suspension:
    """Time the law excludes (公告, 专家评审, 检验检测, 听证…), with its reason and a note;
    补正 goes through the one-time notice."""
    _require_handler(actor, case)
    if reason == SuspensionReason.CORRECTION:
        raise InvalidInput.single("reason", _("补正材料请通过“一次性告知”中止时限"))
    if reason not in OTHER_REASONS:
        raise InvalidInput.single("reason", _("中止原因无效：%(value)s") % {"value": reason})
    clock = _open_clock(case)
    if on is None:
        raise InvalidInput.single("started_on", _("请填写中止日期（YYYY-MM-DD）"))
    return clocks.suspend(
        clock=clock, reason=reason, note=note, on=on, actor=actor, calendar=calendar
    )


def resume_case(
    *,
    case: ServiceCase,
    actor: Officer,
    on: dt.date | None,
    calendar: WorkingCalendar | None = None,
) -> Clock:
    """End the case's open suspension on ``on``, whatever its reason."""
    _require_handler(actor, case)
    suspension = _suspended(case)
    if on is None:
        raise InvalidInput.single("ended_on", _("请填写恢复日期（YYYY-MM-DD）"))
    return clocks.resume(suspension=suspension, on=on, actor=actor, calendar=calendar)


# ---------------------------------------------------------------- the steps offered

STAGE_STEPS = {
    "accept": S.ACCEPTED,
    "reject": S.REJECTED,
    "review": S.REVIEWING,
    "approve": S.APPROVING,
    "complete": S.COMPLETED,
    "withdraw": S.WITHDRAWN,
}


def _passes(check: Callable[[], object]) -> bool:
    try:
        check()
    except Conflict:
        return False
    return True


def next_actions(case: ServiceCase, actor: Officer) -> list[str]:
    """The steps ``actor`` may take on the case now: those the state checks of their services
    let through (the page offers these only)."""
    if not may_handle(actor, case):
        return []
    found = [
        step
        for step, to in STAGE_STEPS.items()
        if _passes(partial(check_stage, case, to, actor=actor))
    ]
    if _passes(partial(_check_open, case)):
        found.append("hand_on")
    try:
        clock: Clock | None = _open_clock(case)
    except Conflict:
        clock = None
    if clock is not None and clock.suspended_since is None:  # clocks.suspend: one at a time
        found += ["notice", "suspend"]
    if _passes(partial(_awaited_correction, case)):
        found.append("materials")
    if _passes(partial(_suspended, case)):
        found.append("resume")
    return found
