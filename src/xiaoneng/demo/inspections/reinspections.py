"""The re-inspections of the demo's rectification orders: each order's task in its unit's
re-inspection plan (六定), and the visit of those re-inspected by today."""

from __future__ import annotations

from typing import Any

import numpy as np

from xiaoneng.demo.days import moments
from xiaoneng.demo.inspections.context import Context
from xiaoneng.demo.inspections.orders import ESCALATED, PASSED, PROOF, WARNED, Orders
from xiaoneng.demo.inspections.visits import Visits
from xiaoneng.demo.rows import Rows
from xiaoneng.inspections.models import Inspection
from xiaoneng.org.models import Unit
from xiaoneng.planning.patrol import assign, schedule
from xiaoneng.planning.patrol.models import Plan, Task
from xiaoneng.planning.patrol.services import period_of

REINSPECTION_PHOTOS = 0.3  # re-inspections with a photo of the rectified premises


def reinspection_visits(ctx: Context, visits: Visits, orders: Orders) -> Visits:
    """The re-inspection plans and tasks of every order, and the visits of those re-inspected."""
    tasks = _reinspection_tasks(ctx, visits, orders)
    orders.task = tasks
    visited = np.flatnonzero(np.isin(orders.fate, [PASSED, WARNED, ESCALATED]))
    rows = orders.row[visited]
    n = visited.size
    failing = np.isin(orders.fate[visited], [WARNED, ESCALATED])
    summary, failed = [], []
    for k, bad in zip(visited.tolist(), failing.tolist(), strict=True):
        number = orders.number[k]
        if bad:
            summary.append(f"对{number}进行复查：仍未整改到位，将依法予以警示。")
            failed.append(
                [
                    (item, f"复查发现仍未整改到位：{note}"[:500])
                    for item, note in visits.failed[int(orders.row[k])]
                ]
            )
        else:
            summary.append(f"对{number}进行复查：已按要求整改到位。")
            failed.append([])
    lead = visits.lead[rows]
    result = Visits.make(
        n,
        entity=visits.entity[rows],
        unit=visits.unit[rows],
        day=orders.reinspect[visited],
        origin=Inspection.Origin.REINSPECTION,
        task=tasks[visited],
        lead=lead,
        partner=ctx.people.partners(ctx.rng, lead, visits.unit[rows]),
        enforcement=np.ones(n, dtype=bool),
        checklist=visits.checklist[rows],
        photos=(ctx.rng.random(n) < REINSPECTION_PHOTOS).astype(np.int64),
        failures=np.array([len(f) for f in failed], dtype=np.int64),
        summary=summary,
        failed=failed,
    )
    orders.reinspection = np.full(orders.count, -1, dtype=np.int64)
    orders.reinspection[visited] = len(visits) + np.arange(n)
    return result


def _reinspection_plans(
    ctx: Context, visits: Visits, orders: Orders, periods: list[str], units: dict[int, Unit]
) -> list[int]:
    """The re-inspection plan of each order: its unit's of the month (reinspection_plan); a
    second order on the same entity in a month goes to a second plan."""
    slot: list[tuple[int, str, int]] = []
    taken: dict[tuple[int, str, int], set[int]] = {}
    for k, row in enumerate(orders.row.tolist()):
        unit, entity = int(visits.unit[row]), int(visits.entity[row])
        index = 0
        while entity in taken.setdefault((unit, periods[k], index), set()):
            index += 1
        taken[(unit, periods[k], index)].add(entity)
        slot.append((unit, periods[k], index))
    first: dict[tuple[int, str, int], int] = {}
    for key, issued in zip(slot, orders.issued.tolist(), strict=True):
        first[key] = min(first.get(key, issued), issued)
    plans = Rows("kind period unit_id title capacity created_by_id created_at")
    keys = sorted(first)
    for (unit, period, index), at in zip(
        keys, moments(np.array([first[k] for k in keys]), np.full(len(keys), 1060)), strict=True
    ):
        title = f"{units[unit].name} {period} 整改复查计划" + (f"（{index + 1}）" if index else "")
        plans.add(
            at,
            kind=Plan.Kind.REINSPECTION,
            period=period,
            unit_id=unit,
            title=title,
            capacity=assign.default_capacity(),
            created_by_id=ctx.people.directors.get(unit),
            created_at=at,
        )
    ids = dict(zip(keys, plans.write(Plan, plans.columns["title"]), strict=True))
    return [ids[key] for key in slot]


def _reinspection_tasks(ctx: Context, visits: Visits, orders: Orders) -> np.ndarray:
    """A task per order in its unit's re-inspection plan, with the 六定 issue_rectification
    fills in: the issuing officer re-inspects on the first working day after the deadline."""
    n = orders.count
    rows = orders.row
    units = {u.pk: u for u in Unit.objects.filter(pk__in=np.unique(visits.unit[rows]).tolist())}
    day = [schedule.to_date(d) for d in orders.reinspect.tolist()]
    periods = [period_of(d) for d in day]
    plan = _reinspection_plans(ctx, visits, orders, periods, units)
    lead = visits.lead[rows]
    posts = assign.officer_table(np.unique(lead).tolist())
    grids = assign.grid_table()
    entity_rows = ctx.population.rows(visits.entity[rows])
    created = moments(orders.issued, np.full(n, 1070))
    tasks = Rows(
        "plan_id entity_id unit_id period grid_id post officer_id description standard "
        "responsibility due_on scheduled_on status done_on done_by_id note violation_found "
        "created_at"
    )
    for k, row in enumerate(rows.tolist()):
        officer, unit = int(lead[k]), units[int(visits.unit[row])]
        grid = int(ctx.population.grid[entity_rows[k]])
        fate = orders.fate[k]
        done = fate in (PASSED, WARNED, ESCALATED)
        items = "、".join(ctx.checklists.title(item) for item, _note in visits.failed[row])
        deadline = schedule.to_date(int(orders.deadline[k]))
        person = posts.get(officer)
        tasks.add(
            created[k],
            plan_id=plan[k],
            entity_id=int(visits.entity[row]),
            unit_id=unit.pk,
            period=periods[k],
            grid_id=grid if grid >= 0 else None,
            post=_post(person, grids.get(grid)),
            officer_id=officer,
            description=f"整改复查：{orders.number[k]}",
            standard=f"对照责令整改要求逐项复查（期限 {deadline:%Y-%m-%d}）：{items}"[:300],
            responsibility=f"{person.name if person else ''}对复查结论负责，{unit.name}所长督促",
            due_on=day[k],
            scheduled_on=day[k],
            status=Task.Status.DONE
            if done
            else Task.Status.CANCELLED
            if fate == PROOF
            else Task.Status.PLANNED,
            done_on=day[k] if done else None,
            done_by_id=officer if done else None,
            note="已确认整改（经营者提交整改报告及整改后照片），无需复查" if fate == PROOF else "",
            violation_found=fate in (WARNED, ESCALATED),
            created_at=created[k],
        )
    names = [ctx.population.name[r] for r in entity_rows.tolist()]
    reprs = [f"{name} · {p}" for name, p in zip(names, periods, strict=True)]
    return np.array(tasks.write(Task, reprs), dtype=np.int64)


def _post(person: Any, grid: Any) -> str:
    if person is None:
        return ""
    return (f"{person.post}（{grid.code} 网格）" if grid else person.post)[:100]
