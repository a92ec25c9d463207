"""The checks every service-case service makes first: who may act, the case's clock, and the day
of a stage (not in the future, not before the stage before it)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core.errors import FieldError, InvalidInput
from xiaoneng.org import access
from xiaoneng.org.models import Officer
from xiaoneng.timeliness.clocks.models import Clock, SubjectType
from xiaoneng.timeliness.permits.models import ServiceCase


def today() -> dt.date:
    return timezone.localdate()


def refuse(errors: list[FieldError]) -> None:
    """Raise the first of ``errors`` (all of them carried), if any."""
    if errors:
        raise InvalidInput(f"{errors[0].field}: {errors[0].message}", errors=errors)


def may_handle(actor: Officer, case: ServiceCase) -> bool:
    """HANDLE_SERVICES, and the case's unit in the actor's scope."""
    return access.can(actor, access.HANDLE_SERVICES) and access.in_scope(actor, case.unit_id)


def require_handler(actor: Officer, case: ServiceCase) -> None:
    """Refuse unless ``actor`` may handle the case (``may_handle``)."""
    access.require(actor, access.HANDLE_SERVICES)
    access.require_unit(actor, case.unit_id)


def clock_of(case: ServiceCase) -> Clock | None:
    """The case's clock (opened at acceptance; the latest, should a stray clock name the same
    subject), or None before it."""
    return (
        Clock.objects.filter(subject_type=SubjectType.SERVICE_CASE, subject_id=case.pk)
        .order_by("-id")
        .first()
    )


def last_stage_on(case: ServiceCase) -> dt.date:
    """The day of the case's latest stage (its receipt at least)."""
    days = [case.received_on, case.accepted_on, case.completed_on]
    latest = case.stages.order_by("-done_on").values_list("done_on", flat=True).first()
    clock = clock_of(case) if case.accepted_on else None
    if clock is not None:
        for started, ended in clock.suspensions.values_list("started_on", "ended_on"):
            days += [started, ended]
    return max(d for d in [*days, latest] if d is not None)


def check_on(field: str, on: dt.date | None, not_before: dt.date, what: str) -> dt.date:
    """``on`` given, not in the future and not before ``not_before``."""
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


def required_text(field: str, text: str, message: str) -> str:
    """``text`` stripped, refused with ``message`` when empty."""
    text = (text or "").strip()
    if not text:
        raise InvalidInput.single(field, message)
    return text
