"""Records for the accountability tests: the sources an action comes from (a red warning, a
callback answered 不满意 and its problem, a confirmed trace flag), saved directly, and actions
decided through the service."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from itertools import count
from typing import Any

from django.utils import timezone

from tests.conftest import County
from tests.inspections.factories import make_flag, make_inspection
from tests.registry.factories import make_entity
from xiaoneng.inspections.records.models import TraceFlag
from xiaoneng.org.models import Officer
from xiaoneng.timeliness.accountability import services
from xiaoneng.timeliness.accountability.models import AccountabilityAction, ActionKind
from xiaoneng.timeliness.callbacks.models import Callback, CallbackProblem, Channel
from xiaoneng.timeliness.clocks.models import Clock, ClockKind, Escalation, SubjectType, Warning

_subjects = count(1)
DAY = dt.date(2026, 3, 2)


def make_warning(
    county: County, *, officer: Officer | None = None, raised_on: dt.date = DAY
) -> Warning:
    """A red warning escalated to the division, on a service case handled by ``officer``."""
    officer = officer or county.east_officer
    clock = Clock.objects.create(
        kind=ClockKind.SERVICE,
        subject_type=SubjectType.SERVICE_CASE,
        subject_id=next(_subjects),
        subject="食品经营许可",
        unit=officer.unit,
        officer=officer,
        region_code="654002",
        started_on=raised_on - dt.timedelta(days=30),
        limit_days=15,
        statutory_days=20,
        basis="《食品经营许可管理办法》",
        due_on=raised_on - dt.timedelta(days=1),
    )
    return Warning.objects.create(
        clock=clock,
        level="red",
        unit=officer.unit,
        officer=officer,
        raised_on=raised_on,
        raised_at=timezone.make_aware(dt.datetime.combine(raised_on, dt.time(9))),
        due_on=raised_on - dt.timedelta(days=1),
        used_days=16,
        limit_days=15,
        handle_by=raised_on + dt.timedelta(days=2),
        escalation=Escalation.DIVISION,
    )


def make_callback(
    county: County,
    *,
    officer: Officer | None = None,
    called_on: dt.date = DAY,
    overall: str = "unsatisfied",
    channel: str = Channel.PHONE,
    status: str = Callback.Status.DONE,
) -> Callback:
    """A callback about ``officer``'s work, answered ``overall``."""
    officer = officer or county.east_officer
    return Callback.objects.create(
        subject_kind="inspection",
        subject="日常检查",
        unit=officer.unit,
        officer=officer,
        party="张安凤",
        phone="13900000000",
        channel=channel,
        status=status,
        caller=county.east_director,
        called_on=called_on if status == Callback.Status.DONE else None,
        attitude=overall if status == Callback.Status.DONE else "",
        overall=overall if status == Callback.Status.DONE else "",
    )


def make_problem(
    callback: Callback, *, owner: Officer | None = None, deadline: dt.date = DAY
) -> CallbackProblem:
    owner = owner or callback.officer
    assert owner is not None
    return CallbackProblem.objects.create(
        callback=callback,
        description="服务态度生硬",
        unit=owner.unit,
        owner=owner,
        deadline=deadline + dt.timedelta(days=10),
    )


def make_confirmed_flag(county: County, *, officers: list[Officer] | None = None) -> TraceFlag:
    """A confirmed trace flag on an inspection signed by ``officers`` (the east officer)."""
    lon, lat = county.east_point()
    entity = make_entity(name="城东饭店", longitude=lon, latitude=lat)
    inspection = make_inspection(
        entity=entity, officers=officers or [county.east_officer], visited_on=DAY
    )
    return make_flag(
        inspection,
        status=TraceFlag.Status.CONFIRMED,
        raised_at=timezone.make_aware(dt.datetime.combine(DAY, dt.time(18))),
    )


def decide(county: County, **values: Any) -> AccountabilityAction:
    arguments: dict[str, Any] = {
        "actor": county.division_staff,
        "officer": county.east_officer,
        "kind": ActionKind.ADMONITION,
        "facts": "办件超期未办结，红色预警逾期未处理。",
        "rule": "《行政问责办法》第五条",
        "deduction": Decimal("0"),
        "decided_on": DAY + dt.timedelta(days=7),
    } | values
    return services.decide_action(**arguments)
