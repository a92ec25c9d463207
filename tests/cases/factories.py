"""Factories for cases: a case written directly at any status, its collections and goods.

``make_case`` writes the row a case at that status would have, without the transition services,
so that tests of warnings, targets, reports and the demo can build exactly the data they need.
Tests of the transition rules themselves go through ``xiaoneng.cases.services``.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from xiaoneng.cases.models import Case, CaseKind, Collection, ConfiscatedGoods, Target
from xiaoneng.core.states import unlocked
from xiaoneng.org.models import Officer, Unit
from xiaoneng.registry.models import Entity

_numbers = itertools.count(1)
S = Case.Status

# The stages in order, the date field each sets, and its default distance from the one before.
ORDER = [S.LEAD, S.FILED, S.INVESTIGATING, S.NOTIFIED, S.DECIDED, S.EXECUTING, S.CLOSED]
FIELDS = {
    S.FILED: "filed_on",
    S.NOTIFIED: "notified_on",
    S.DECIDED: "decided_on",
    S.CLOSED: "closed_on",
}
STEP = {
    S.FILED: 3,
    S.INVESTIGATING: 1,
    S.NOTIFIED: 30,
    S.DECIDED: 10,
    S.EXECUTING: 16,
    S.CLOSED: 5,
}


def _handler(unit: Unit) -> Officer:
    officer = Officer.objects.filter(unit=unit).order_by("id").first()
    if officer is None:
        officer = Officer.objects.filter(unit__isnull=False).order_by("id").first()
    assert officer is not None, "make_case needs an officer: give handler="
    return officer


def make_case(
    *,
    status: str = S.LEAD,
    unit: Unit | None = None,
    entity: Entity | None = None,
    handler: Officer | None = None,
    received_on: dt.date = dt.date(2026, 3, 2),
    kind: str = CaseKind.OTHER,
    fine: Decimal | str | int = 0,
    confiscation: Decimal | str | int = 0,
    case_value: Decimal | str | int = 0,
    major: bool = False,
    ended_from: str | None = None,
    **values: Any,
) -> Case:
    """A case at ``status``; the stage dates run from ``received_on`` unless given.

    Dates not given follow each other (filed 3 days after receipt, notified 30 days after
    filing, decided 10 days after notice…). A withdrawn case was withdrawn from
    ``ended_from`` (default filed); its stage start is that date. ``values`` set any other field
    (``filed_on=…``, ``number=…``, ``stage_started_on=…``).
    """
    if unit is None:
        assert entity is not None, "make_case needs a unit or an entity"
        unit = entity.unit
    assert unit is not None
    reached = status
    if status == S.NOT_FILED:
        reached = S.LEAD
    elif status == S.WITHDRAWN:
        reached = ended_from or S.FILED
    dates: dict[str, dt.date] = {"received_on": received_on}
    day = started = received_on
    for stage in ORDER[1 : ORDER.index(reached) + 1]:
        field = FIELDS.get(stage)
        given = values.pop(field, None) if field else None
        day = given or day + dt.timedelta(days=STEP[stage])
        if field:
            dates[field] = day
        started = day
    started = values.pop("stage_started_on", started)
    dates.update({k: values.pop(k) for k in list(values) if k.endswith("_on")})
    case = Case(
        number=values.pop("number", f"测试案〔{received_on.year}〕{next(_numbers):04d}号"),
        title=values.pop("title", "销售不合格商品案"),
        kind=kind,
        entity=entity,
        party=values.pop("party", entity.name if entity else "某经营者"),
        unit=unit,
        region_code=values.pop("region_code", entity.region_code if entity else unit.region_code),
        handler=handler or _handler(unit),
        major=major,
        case_value=Decimal(str(case_value)),
        fine_decided=Decimal(str(fine)),
        confiscation_decided=Decimal(str(confiscation)),
        stage_started_on=started,
        **values,
        **dates,
    )
    if status in (S.DECIDED, S.EXECUTING, S.CLOSED) and not case.decision_number:
        case.decision_number = f"测试罚决〔{received_on.year}〕{next(_numbers)}号"
    if status in (S.NOT_FILED, S.WITHDRAWN) and not case.ended_reason:
        case.ended_reason = "测试理由"
    with unlocked(case):
        case.status = status
    case.save()
    return case


def make_collection(
    case: Case,
    amount: Decimal | str | int,
    *,
    kind: str = Collection.Kind.FINE,
    collected_on: dt.date | None = None,
    receipt_number: str | None = None,
) -> Collection:
    """Money paid in on ``case``, saved directly (default: on its decision date)."""
    return Collection.objects.create(
        case=case,
        kind=kind,
        amount=Decimal(str(amount)),
        collected_on=collected_on or case.decided_on or case.received_on,
        receipt_number=receipt_number or f"JK{next(_numbers):08d}",
        unit_id=case.unit_id,
    )


def make_goods(
    case: Case,
    *,
    description: str = "不合格化肥",
    quantity: Decimal | str | int = 206,
    measure: str = "吨",
    value: Decimal | str | int = 0,
) -> ConfiscatedGoods:
    """Goods confiscated in ``case``, saved directly."""
    return ConfiscatedGoods.objects.create(
        case=case,
        description=description,
        quantity=Decimal(str(quantity)),
        measure=measure,
        value=Decimal(str(value)),
    )


def make_target(unit: Unit, metric: str, value: Decimal | str | int, year: int = 2026) -> Target:
    """A unit's annual target, saved directly."""
    return Target.objects.create(unit=unit, year=year, metric=metric, value=Decimal(str(value)))


def east_entity(county: Any, **values: Any) -> Entity:
    """An entity of the east station (the ``county`` fixture's S-E)."""
    from tests.registry.factories import make_entity

    lon, lat = county.east_point()
    return make_entity(longitude=lon, latitude=lat, **values)


def west_entity(county: Any, **values: Any) -> Entity:
    """An entity of the west station (S-W)."""
    from tests.registry.factories import make_entity

    lon, lat = county.west_point()
    return make_entity(longitude=lon, latitude=lat, **values)
