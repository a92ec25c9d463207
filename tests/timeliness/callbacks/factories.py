"""Records to call back about, saved directly: a completed service case, a closed complaint, a
closed case (inspections come from tests.inspections.factories); rules and rounds through the
services."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from tests.cases.factories import make_case
from tests.inspections.factories import at, make_inspection
from xiaoneng.cases.models import Case
from xiaoneng.core.states import unlocked
from xiaoneng.org.models import Officer, Unit
from xiaoneng.registry.models import Entity
from xiaoneng.timeliness.callbacks import rounds, rules
from xiaoneng.timeliness.callbacks.models import Callback, CallbackRound, SubjectKind
from xiaoneng.timeliness.complaints.models import Complaint
from xiaoneng.timeliness.permits.models import ServiceCase, ServiceItem

_numbers = itertools.count(1)
TODAY = dt.date(2026, 5, 20)
MONTH = "2026-04"
IN_MONTH = dt.date(2026, 4, 10)


def service_item() -> ServiceItem:
    item, _ = ServiceItem.objects.get_or_create(
        code="CB-TEST",
        defaults={
            "name": "食品经营许可",
            "category": "licence",
            "statutory_days": 20,
            "committed_days": 10,
            "basis": "《食品经营许可和备案管理办法》",
        },
    )
    return item


def make_service_case(
    *,
    unit: Unit,
    officer: Officer,
    completed_on: dt.date = IN_MONTH,
    applicant: str = "张三",
    phone: str = "13900000001",
    **values: Any,
) -> ServiceCase:
    number = next(_numbers)
    case = ServiceCase(
        number=f"BJ-{number:06d}",
        item=service_item(),
        applicant=applicant,
        applicant_phone=phone,
        unit=unit,
        region_code="654002",
        first_officer=officer,
        responsible=officer,
        received_on=completed_on - dt.timedelta(days=5),
        accepted_on=completed_on - dt.timedelta(days=5),
        completed_on=completed_on,
        outcome="granted",
        **values,
    )
    with unlocked(case):
        case.status = ServiceCase.Status.COMPLETED
    case.save()
    return case


def make_complaint(
    *,
    unit: Unit,
    officer: Officer,
    notified_on: dt.date = IN_MONTH,
    person: str = "李四",
    phone: str = "13900000002",
    status: str = Complaint.Status.CLOSED,
    **values: Any,
) -> Complaint:
    number = next(_numbers)
    complaint = Complaint(
        number=f"TS-{number:06d}",
        kind=Complaint.Kind.COMPLAINT,
        channel=values.pop("channel", "platform"),
        topic=values.pop("topic", "food"),
        received_on=notified_on - dt.timedelta(days=20),
        person=person,
        phone=phone,
        respondent=values.pop("respondent", "某餐馆"),
        content="饭菜变质",
        unit=unit,
        region_code="654002",
        first_officer=officer,
        handler=officer,
        notified_on=notified_on,
        **values,
    )
    with unlocked(complaint):
        complaint.status = status
    complaint.save()
    return complaint


def make_signed(entity: Entity, officer: Officer, day: dt.date = IN_MONTH, **values: Any) -> Any:
    return make_inspection(
        entity=entity, officers=[officer], visited_on=day, signed_at=at(day, 10), **values
    )


def make_closed_case(entity: Entity, officer: Officer, closed_on: dt.date = IN_MONTH) -> Case:
    return make_case(
        status=Case.Status.CLOSED,
        entity=entity,
        handler=officer,
        received_on=closed_on - dt.timedelta(days=80),
        closed_on=closed_on,
    )


def drawn_round(
    county: Any,
    *,
    kind: str = SubjectKind.SERVICE_CASE,
    n: int = 3,
    unit: Unit | None = None,
    mode: str = "all",
    **rule: Any,
) -> CallbackRound:
    """A rule of ``unit`` (east) for ``kind`` and last month's round over ``n`` service cases
    (or complaints) completed by the east officer."""
    unit = unit or county.east
    for _ in range(n):
        if kind == SubjectKind.COMPLAINT:
            make_complaint(unit=unit, officer=county.east_officer)
        else:
            make_service_case(unit=unit, officer=county.east_officer)
    rules.save_rule(actor=None, unit=unit, subject_kind=kind, mode=mode, **rule)
    return rounds.draw_round(unit=unit, month=MONTH, subject_kind=kind, actor=None, today=TODAY)


def pending(county: Any, **kwargs: Any) -> Callback:
    """One pending callback of the east station about a service case of the east officer."""
    drawn = drawn_round(county, n=1, **kwargs)
    return drawn.callbacks.get()
