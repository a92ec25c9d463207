"""Writing clocks: open, suspend, resume, extend, hand on, stop; each keeps ``due_on`` true.

Counting (docs/timeliness.md): the start day is not counted, as in ``add_working_days``. A
suspension from day S to day E stands the clock still on the working days after S up to and
including E (``working_days_between(S, E)``); while open, up to today. So

    used on day T = working days in (started_on, T] − working days suspended in that span
    due_on       = add_working_days(started_on, limit + extended + suspended so far)

Dates after the calendar's last loaded year are provisional (weekdays only) and flagged.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core.audit_context import attributed
from xiaoneng.core.calendar import WorkingCalendar
from xiaoneng.core.errors import Conflict, InvalidInput, NotPermitted
from xiaoneng.core.scoping import in_scope
from xiaoneng.org import access
from xiaoneng.org.models import Officer, Role, Unit
from xiaoneng.timeliness.clocks.models import (
    ClearReason,
    Clock,
    Escalation,
    Suspension,
    SuspensionReason,
    Warning,
    WarningPolicy,
)

MAX_LIMIT_DAYS = 365


def today() -> dt.date:
    return timezone.localdate()


def suspended_until(clock: Clock, day: dt.date, calendar: WorkingCalendar) -> int:
    """Working days the clock has stood still up to ``day``: ended suspensions, and the open
    one from its start to ``day``."""
    days = clock.suspended_days
    if clock.suspended_since is not None and day > clock.suspended_since:
        days += calendar.working_days_between(clock.suspended_since, day)
    return days


def used_days(clock: Clock, day: dt.date, calendar: WorkingCalendar) -> int:
    """Working days of the limit used by ``day`` (suspensions excluded)."""
    end = min(day, clock.stopped_on) if clock.stopped_on else day
    counted = calendar.working_days_between(clock.started_on, end)
    return counted - suspended_until(clock, end, calendar)


def set_due(clock: Clock, calendar: WorkingCalendar, day: dt.date | None = None) -> None:
    """Put ``due_on`` (and whether it is provisional) as of ``day`` on the clock (unsaved)."""
    day = day or today()
    total = clock.limit_days + clock.extended_days + suspended_until(clock, day, calendar)
    clock.due_on = calendar.add_working_days(clock.started_on, total)
    clock.due_provisional = calendar.is_provisional(clock.due_on)


def _recomputed(clock: Clock, calendar: WorkingCalendar | None = None) -> None:
    """Warnings are recomputed on every change of a clock (clocks.warnings); the clock in
    hand gets its new level."""
    from xiaoneng.timeliness.clocks.warnings import is_deferred, recompute

    if is_deferred():
        # Looked at again by the next run (``recompute`` of the bulk writer, or the hourly one).
        Clock.objects.filter(pk=clock.pk).update(recheck_on=None)
        return
    recompute(clock_ids=[clock.pk], calendar=calendar)
    clock.refresh_from_db(fields=["level", "escalation"])


def _check_limit(field: str, days: int) -> None:
    if not 1 <= days <= MAX_LIMIT_DAYS:
        raise InvalidInput.single(
            field,
            _("时限应为 1 至 %(max)d 个工作日：%(days)s") % {"max": MAX_LIMIT_DAYS, "days": days},
        )


def open_clock(
    *,
    kind: str,
    subject_type: str,
    subject_id: int,
    subject: str,
    unit: Unit,
    officer: Officer | None,
    region_code: str,
    started_on: dt.date,
    limit_days: int,
    statutory_days: int,
    basis: str,
    actor: Officer | None,
    calendar: WorkingCalendar | None = None,
) -> Clock:
    """Start a clock on ``started_on`` with its committed and statutory limits."""
    _check_limit("limit_days", limit_days)
    _check_limit("statutory_days", statutory_days)
    if limit_days > statutory_days:
        raise InvalidInput.single(
            "limit_days",
            _("承诺时限（%(limit)d）不得长于法定时限（%(statutory)d）")
            % {"limit": limit_days, "statutory": statutory_days},
        )
    calendar = calendar or WorkingCalendar.load()
    clock = Clock(
        kind=kind,
        subject_type=subject_type,
        subject_id=subject_id,
        subject=subject[:200],
        unit=unit,
        officer=officer,
        region_code=region_code,
        started_on=started_on,
        limit_days=limit_days,
        statutory_days=statutory_days,
        basis=basis[:200],
    )
    set_due(clock, calendar, started_on)
    with attributed(actor):
        clock.save()
        _recomputed(clock, calendar)
    return clock


def _refuse_if_stopped(clock: Clock) -> None:
    if clock.stopped_on is not None:
        raise Conflict(_("该时限已于 %(day)s 办结") % {"day": clock.stopped_on})


def _check_day(field: str, day: dt.date, not_before: dt.date, what: str) -> None:
    if day < not_before:
        raise InvalidInput.single(
            field, _("%(what)s不得早于 %(day)s") % {"what": what, "day": not_before}
        )
    if day > today():
        raise InvalidInput.single(field, _("%(what)s不能是将来的日期") % {"what": what})


def suspend(
    *,
    clock: Clock,
    reason: str,
    note: str,
    on: dt.date,
    actor: Officer | None,
    calendar: WorkingCalendar | None = None,
) -> Suspension:
    """Stop the clock from ``on`` for a reason the rules allow; ``note`` says what is awaited."""
    if reason not in SuspensionReason.values:
        raise InvalidInput.single("reason", _("中止原因无效：%(value)s") % {"value": reason})
    note = (note or "").strip()
    if not note:
        raise InvalidInput.single("note", _("请说明中止的理由"))
    with transaction.atomic():
        clock = Clock.objects.select_for_update().get(pk=clock.pk)
        _refuse_if_stopped(clock)
        if clock.suspended_since is not None:
            raise Conflict(_("该时限已于 %(day)s 中止，尚未恢复") % {"day": clock.suspended_since})
        last = clock.suspensions.order_by("-ended_on").values_list("ended_on", flat=True).first()
        not_before = max(clock.started_on, last) if last else clock.started_on
        if last and on < last:
            raise InvalidInput.single(
                "started_on",
                _("与已有中止期重叠：上次中止至 %(day)s 才恢复") % {"day": last},
            )
        _check_day("started_on", on, not_before, _("中止日期"))
        calendar = calendar or WorkingCalendar.load()
        with attributed(actor):
            suspension = Suspension.objects.create(
                clock=clock, reason=reason, note=note[:200], started_on=on, created_by=actor
            )
            clock.suspended_since = on
            set_due(clock, calendar)
            clock.save(update_fields=["suspended_since", "due_on", "due_provisional"])
            _recomputed(clock, calendar)
    return suspension


def resume(
    *,
    suspension: Suspension,
    on: dt.date,
    actor: Officer | None,
    calendar: WorkingCalendar | None = None,
) -> Clock:
    """End an open suspension on ``on``: the clock runs again from the next working day."""
    calendar = calendar or WorkingCalendar.load()
    with transaction.atomic():
        suspension = Suspension.objects.select_for_update().get(pk=suspension.pk)
        if suspension.ended_on is not None:
            raise Conflict(_("该中止已于 %(day)s 恢复") % {"day": suspension.ended_on})
        _check_day("ended_on", on, suspension.started_on, _("恢复日期"))
        clock = Clock.objects.select_for_update().get(pk=suspension.clock_id)
        days = calendar.working_days_between(suspension.started_on, on)
        with attributed(actor):
            suspension.ended_on = on
            suspension.working_days = days
            suspension.save(update_fields=["ended_on", "working_days"])
            clock.suspended_days += days
            clock.suspended_since = None
            set_due(clock, calendar, on)
            clock.save(
                update_fields=["suspended_days", "suspended_since", "due_on", "due_provisional"]
            )
            _recomputed(clock, calendar)
    return clock


def extend(
    *, clock: Clock, days: int, actor: Officer | None, calendar: WorkingCalendar | None = None
) -> Clock:
    """Add an approved extension of ``days`` working days; the limit with it stays within the
    statutory limit plus what the rule allows (the caller checks the rule)."""
    _check_limit("extended_days", days)
    _refuse_if_stopped(clock)
    calendar = calendar or WorkingCalendar.load()
    with attributed(actor):
        clock.extended_days += days
        set_due(clock, calendar)
        clock.save(update_fields=["extended_days", "due_on", "due_provisional"])
        _recomputed(clock, calendar)
    return clock


def hand_on(*, clock: Clock, officer: Officer, unit: Unit | None, actor: Officer | None) -> Clock:
    """The clock follows its matter to ``officer`` (and ``unit``, when it moves there)."""
    _refuse_if_stopped(clock)
    with attributed(actor):
        clock.officer = officer
        fields = ["officer"]
        if unit is not None:
            clock.unit = unit
            fields.append("unit")
        clock.save(update_fields=fields)
        for warning in clock.warnings.filter(cleared_at__isnull=True):
            warning.officer = officer
            warning.unit = clock.unit
            warning.save(update_fields=["officer", "unit"])
        _recomputed(clock)
    return clock


def stop(
    *, clock: Clock, on: dt.date, actor: Officer | None, calendar: WorkingCalendar | None = None
) -> Clock:
    """The obligation is met on ``on``; an open suspension ends that day."""
    calendar = calendar or WorkingCalendar.load()
    with transaction.atomic():
        clock = Clock.objects.select_for_update().get(pk=clock.pk)
        _refuse_if_stopped(clock)
        _check_day("stopped_on", on, clock.started_on, _("办结日期"))
        open_suspension = clock.suspensions.filter(ended_on__isnull=True).first()
        if open_suspension is not None:
            resume(suspension=open_suspension, on=max(on, open_suspension.started_on), actor=actor)
            clock.refresh_from_db()
        with attributed(actor):
            clock.stopped_on = on
            set_due(clock, calendar, on)
            clock.save(update_fields=["stopped_on", "due_on", "due_provisional"])
            _recomputed(clock, calendar)
    return clock


def clocks_of(subject_type: str, subject_id: int) -> list[Clock]:
    """The clocks of one record, oldest first."""
    return list(
        Clock.objects.filter(subject_type=subject_type, subject_id=subject_id)
        .select_related("officer", "unit")
        .prefetch_related("suspensions")
        .order_by("started_on", "id")
    )


# Warnings: handled by whoever has them at their level, cleared by hand by a director or the
# division with a reason (clocks.warnings raises, escalates and clears them by itself).


def may_handle(officer: Officer, warning: Warning) -> bool:
    """A warning is handled at its level: by its officer (or, without one, the director), by
    the unit's director once it is with the director, by the division once with the division."""
    if not access.can(officer, access.HANDLE_WARNINGS) or warning.cleared_at is not None:
        return False
    if warning.handled_at is not None or not in_scope(officer, warning.unit_id):
        return False
    if warning.escalation == Escalation.DIVISION:
        return officer.has_role(Role.DIVISION_STAFF)
    if warning.escalation == Escalation.DIRECTOR or warning.officer_id is None:
        return officer.has_role(Role.STATION_DIRECTOR) and officer.unit_id == warning.unit_id
    return officer.pk == warning.officer_id


def may_clear(officer: Officer, warning: Warning) -> bool:
    """A warning is cleared by hand by the unit's director or by division staff."""
    if warning.cleared_at is not None or not access.can(officer, access.HANDLE_WARNINGS):
        return False
    if not in_scope(officer, warning.unit_id):
        return False
    if officer.has_role(Role.DIVISION_STAFF):
        return True
    return officer.has_role(Role.STATION_DIRECTOR) and officer.unit_id == warning.unit_id


def handle_warning(*, warning: Warning, note: str, actor: Officer) -> Warning:
    """Record how a warning was handled; a red one handled goes no further up."""
    note = (note or "").strip()
    if not note:
        raise InvalidInput.single("note", _("请填写处理情况"))
    with transaction.atomic():
        warning = Warning.objects.select_for_update().get(pk=warning.pk)
        if warning.cleared_at is not None:
            raise Conflict(_("该预警已解除，无需处理"))
        if warning.handled_at is not None:
            raise Conflict(_("该预警已于 %(at)s 处理") % {"at": f"{warning.handled_at:%Y-%m-%d}"})
        if not may_handle(actor, warning):
            raise NotPermitted(_("该预警目前由%(who)s处理") % {"who": _holder(warning)})
        with attributed(actor):
            warning.handled_at = timezone.now()
            warning.handled_by = actor
            warning.handling = note[:2000]
            warning.save(update_fields=["handled_at", "handled_by", "handling"])
    return warning


def _holder(warning: Warning) -> str:
    if warning.escalation == Escalation.OFFICER and warning.officer_id is not None:
        return str(_("承办人"))
    return str(Escalation(warning.escalation).label)


def clear_warning(*, warning: Warning, reason_note: str, actor: Officer) -> Warning:
    """Clear a warning by hand, with the reason; it is not raised again at that level while
    the clock stays there (clocks.warnings)."""
    reason_note = (reason_note or "").strip()
    if not reason_note:
        raise InvalidInput.single("reason_note", _("请说明解除预警的理由"))
    with transaction.atomic():
        warning = Warning.objects.select_for_update().get(pk=warning.pk)
        if warning.cleared_at is not None:
            raise Conflict(_("该预警已于 %(at)s 解除") % {"at": f"{warning.cleared_at:%Y-%m-%d}"})
        if not may_clear(actor, warning):
            raise NotPermitted(_("只有所（科）负责人或区局科室可以解除预警"))
        with attributed(actor):
            warning.cleared_at = timezone.now()
            warning.cleared_by = actor
            warning.clear_reason = ClearReason.MANUAL
            warning.clear_note = reason_note[:200]
            warning.save(update_fields=["cleared_at", "cleared_by", "clear_reason", "clear_note"])
            _recomputed(warning.clock)
    return warning


def update_policy(
    *, actor: Officer, yellow_share: Decimal | str, handle_days: int | str
) -> WarningPolicy:
    """Change the warning settings; every open clock is judged again on the new share."""
    from xiaoneng.timeliness.clocks.warnings import policy

    access.require(actor, access.MANAGE_SERVICE_ITEMS)
    try:
        share = Decimal(str(yellow_share).strip().rstrip("%") or "x")
    except InvalidOperation:
        raise InvalidInput.single(
            "yellow_share",
            _("黄色预警用时比例应为 0.10 至 0.99 之间的小数：%(v)s") % {"v": yellow_share},
        ) from None
    if str(yellow_share).strip().endswith("%"):
        share = share / 100
    if not share.is_finite() or not Decimal("0.10") <= share <= Decimal("0.99"):
        raise InvalidInput.single(
            "yellow_share",
            _("黄色预警用时比例应为 0.10 至 0.99 之间的小数：%(v)s") % {"v": yellow_share},
        )
    if share != share.quantize(Decimal("0.01")):
        raise InvalidInput.single(
            "yellow_share", _("黄色预警用时比例最多两位小数：%(v)s") % {"v": yellow_share}
        )
    try:
        days = int(str(handle_days).strip())
    except ValueError:
        raise InvalidInput.single(
            "handle_days", _("红色预警处理期限应为 1 至 30 个工作日：%(v)s") % {"v": handle_days}
        ) from None
    if not 1 <= days <= 30:
        raise InvalidInput.single(
            "handle_days", _("红色预警处理期限应为 1 至 30 个工作日：%(v)s") % {"v": handle_days}
        )
    with transaction.atomic():
        current = policy()
        with attributed(actor):
            current.yellow_share = share.quantize(Decimal("0.01"))
            current.handle_days = days
            current.save()
            from xiaoneng.timeliness.clocks.warnings import recompute

            recompute(everything=True)
    return current


def recompute_provisional(year: int, calendar: WorkingCalendar) -> int:
    """Once ``year``'s schedule is loaded: the due date of every clock counted provisionally
    (or falling in ``year`` or later) again, saved with the trace; then the warnings."""
    changed: list[int] = []
    clocks = Clock.objects.filter(models.Q(due_provisional=True) | models.Q(due_on__year__gte=year))
    for clock in clocks.order_by("pk").iterator(chunk_size=500):
        before = (clock.due_on, clock.due_provisional)
        set_due(clock, calendar, clock.stopped_on or today())
        if (clock.due_on, clock.due_provisional) != before:
            clock.save(update_fields=["due_on", "due_provisional"])
            changed.append(clock.pk)
    from xiaoneng.timeliness.clocks.warnings import recompute

    recompute(calendar=calendar, everything=True)
    return len(changed)
