"""Time the law excludes from a service case's clock: the one-time notice (一次性告知, 篇9)
that stops it for 补正 until the materials arrive, and the other suspensions (公告, 专家评审,
检验检测…)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from xiaoneng.core import audit
from xiaoneng.core.calendar import WorkingCalendar
from xiaoneng.core.errors import Conflict, InvalidInput
from xiaoneng.org.models import Officer
from xiaoneng.timeliness.clocks import services as clocks
from xiaoneng.timeliness.clocks.models import Clock, Suspension, SuspensionReason
from xiaoneng.timeliness.permits.checks import check_on, clock_of, last_stage_on, require_handler
from xiaoneng.timeliness.permits.models import OneTimeNotice, ServiceCase
from xiaoneng.timeliness.permits.transitions import IN_PROGRESS


def running_clock(case: ServiceCase) -> Clock:
    """The clock of a case in progress, running (refused otherwise)."""
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
    require_handler(actor, case)
    if isinstance(materials, str):
        materials = materials.splitlines()
    lines = list(dict.fromkeys(line.strip() for line in materials if line and line.strip()))
    if not lines:
        raise InvalidInput.single("materials", _("请列明需要补正的全部材料"))
    clock = running_clock(case)
    on = check_on("on", on, last_stage_on(case), _("告知日期"))
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


def open_suspension(case: ServiceCase) -> Suspension | None:
    """The suspension of the case's clock not ended yet, if any."""
    clock = clock_of(case)
    if clock is None:
        return None
    return clock.suspensions.filter(ended_on__isnull=True).first()


def awaited_correction(case: ServiceCase) -> Suspension:
    """The open 补正 suspension (of a one-time notice) the case waits on."""
    suspension = open_suspension(case)
    if suspension is None or suspension.reason != SuspensionReason.CORRECTION:
        raise Conflict(_("办件没有等待补正的中止"))
    return suspension


def suspended(case: ServiceCase) -> Suspension:
    """The case's open suspension, whatever its reason."""
    suspension = open_suspension(case)
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
    require_handler(actor, case)
    suspension = awaited_correction(case)
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
    require_handler(actor, case)
    if reason == SuspensionReason.CORRECTION:
        raise InvalidInput.single("reason", _("补正材料请通过“一次性告知”中止时限"))
    if reason not in OTHER_REASONS:
        raise InvalidInput.single("reason", _("中止原因无效：%(value)s") % {"value": reason})
    clock = running_clock(case)
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
    require_handler(actor, case)
    suspension = suspended(case)
    if on is None:
        raise InvalidInput.single("ended_on", _("请填写恢复日期（YYYY-MM-DD）"))
    return clocks.resume(suspension=suspension, on=on, actor=actor, calendar=calendar)
