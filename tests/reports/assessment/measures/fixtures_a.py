"""Records for the tests of the plans, findings and training indicators, written directly as
the services would leave them, and the check that a drill-down agrees with its measure."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from tests.conftest import County
from tests.planning.factories import PlanFactory
from tests.registry.factories import make_entity
from xiaoneng.org.models import Officer, Unit
from xiaoneng.planning.patrol.models import Plan, Task
from xiaoneng.registry.models import Entity
from xiaoneng.reports.assessment.catalogue import Indicator, Measure, score
from xiaoneng.reports.assessment.periods import Period, parse_period

D = dt.date
MARCH = parse_period("2026-03")


def placed(point: tuple[float, float], name: str, risk_class: str = "", **values: Any) -> Entity:
    """An entity at ``point`` (so in that grid and station), of ``risk_class`` if given."""
    entity = make_entity(name=name, longitude=point[0], latitude=point[1], **values)
    if risk_class:
        Entity.objects.filter(pk=entity.pk).update(risk_class=risk_class)
        entity.refresh_from_db()
    return entity


def east_entity(county: County, name: str, **values: Any) -> Entity:
    return placed(county.east_point(), name, **values)


def west_entity(county: County, name: str, **values: Any) -> Entity:
    return placed(county.west_point(), name, **values)


def plan_of(unit: Unit, period: str = "2026-03", kind: str = Plan.Kind.PATROL) -> Plan:
    found = Plan.objects.filter(unit=unit, period=period, kind=kind).first()
    if found is not None:
        return found
    PlanFactory(unit=unit, period=period, kind=kind)
    return Plan.objects.get(unit=unit, period=period, kind=kind)


def make_task(
    entity: Entity,
    officer: Officer | None,
    *,
    due_on: dt.date | None,
    status: str = Task.Status.PLANNED,
    done_on: dt.date | None = None,
    plan: Plan | None = None,
    **values: Any,
) -> Task:
    """A task of ``entity`` in its station's plan, as planning (and completion) leave it."""
    plan = plan or plan_of(entity.unit)
    return Task.objects.create(
        plan=plan,
        entity=entity,
        unit=entity.unit,
        period=plan.period,
        grid=entity.grid,
        officer=officer,
        description="日常巡查",
        standard="按检查事项清单逐项检查",
        responsibility="责任区干部对检查结果负责",
        due_on=due_on,
        status=status,
        done_on=done_on,
        done_by=officer if done_on else None,
        **values,
    )


def scored(indicator: Indicator, value: Decimal | None) -> Decimal | None:
    return score(
        value, target=indicator.target, floor=indicator.floor, direction=indicator.direction
    )


def assert_rows_agree(
    indicator: Indicator, kind: str, subject_id: int, period: Period = MARCH
) -> None:
    """The drill-down lists exactly what the measure counted: every row in the denominator,
    the rows marked "numerator" in the numerator."""
    found: Measure = indicator.measure(kind, [subject_id], period)[subject_id]
    rows = indicator.records(kind, subject_id, period)
    assert len(rows) == found.denominator
    assert sum(1 for r in rows if r.counts == "numerator") == found.numerator
    days = [r.day for r in rows]
    assert days == sorted(days, reverse=True)  # type: ignore[type-var]
