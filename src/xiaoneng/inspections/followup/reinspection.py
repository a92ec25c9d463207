"""The re-inspection of a rectification order (复查), planned when the order is issued.

The task goes on the officer's calendar for the first working day after the deadline, in the
unit's re-inspection plan of that month, with its 六定 filled from the order. The signed
re-inspection that closes the order is ``services.reinspected``.
"""

from __future__ import annotations

import datetime as dt

from xiaoneng.inspections.followup.models import Finding, Rectification
from xiaoneng.org.models import Officer, Unit
from xiaoneng.planning.patrol import assign
from xiaoneng.planning.patrol.models import Plan, Task
from xiaoneng.planning.patrol.services import period_of


def reinspection_plan(*, unit: Unit, period: str, entity_id: int, actor: Officer) -> Plan:
    """The unit's re-inspection plan of ``period`` with room for ``entity_id`` (one task each).

    A second open order on the same entity in the same month gets a second plan, since a
    plan holds one task per entity.
    """
    plans = Plan.objects.filter(kind=Plan.Kind.REINSPECTION, unit=unit, period=period)
    free = plans.exclude(tasks__entity_id=entity_id).order_by("pk").first()
    if free is not None:
        return free
    count = plans.count()
    suffix = "" if count == 0 else f"（{count + 1}）"
    return Plan.objects.create(
        kind=Plan.Kind.REINSPECTION,
        period=period,
        unit=unit,
        title=f"{unit.name} {period} 整改复查计划{suffix}",
        capacity=assign.default_capacity(),
        created_by=actor if getattr(actor, "pk", None) else None,
    )


def _reinspector(rectification: Rectification, actor: Officer) -> Officer | None:
    """The issuing officer re-inspects; one from another unit hands it to the grid's officer."""
    grid = rectification.entity.grid
    if getattr(actor, "unit_id", None) == rectification.unit_id or grid is None:
        return actor if getattr(actor, "pk", None) else None
    return grid.officer or actor


def plan_reinspection(
    *, rectification: Rectification, findings: list[Finding], actor: Officer, day: dt.date
) -> Task:
    """The order's re-inspection task on ``day``, in the unit's re-inspection plan."""
    unit = rectification.unit
    entity = rectification.entity
    officer = _reinspector(rectification, actor)
    grid = entity.grid
    info = assign.officer_table([officer.pk]).get(officer.pk) if officer else None
    ordered = sorted(findings, key=lambda f: (f.item.position, f.pk))
    items = "、".join(f.item.title for f in ordered)
    post = f"{info.post}（{grid.code} 网格）" if info and grid else (info.post if info else "")
    duty = (
        f"{officer}对复查结论负责，{unit.name}所长督促"
        if officer
        else f"{unit.name}所长负责安排人员复查"
    )
    return Task.objects.create(
        plan=reinspection_plan(unit=unit, period=period_of(day), entity_id=entity.pk, actor=actor),
        entity=entity,
        unit=unit,
        period=period_of(day),
        grid=grid,
        post=post[:100],
        officer=officer,
        description=f"整改复查：{rectification.number}"[:300],
        standard=(f"对照责令整改要求逐项复查（期限 {rectification.deadline:%Y-%m-%d}）：{items}")[
            :300
        ],
        responsibility=duty[:200],
        due_on=day,
        scheduled_on=day,
    )
