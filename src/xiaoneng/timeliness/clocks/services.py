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

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core.audit_context import attributed
from xiaoneng.core.calendar import WorkingCalendar
from xiaoneng.core.errors import Conflict, InvalidInput
from xiaoneng.org.models import Officer, Unit
from xiaoneng.timeliness.clocks.models import Clock, Suspension, SuspensionReason

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
    return clock


def clocks_of(subject_type: str, subject_id: int) -> list[Clock]:
    """The clocks of one record, oldest first."""
    return list(
        Clock.objects.filter(subject_type=subject_type, subject_id=subject_id)
        .select_related("officer", "unit")
        .prefetch_related("suspensions")
        .order_by("started_on", "id")
    )
