"""What the demo's inspections set off: findings, rectification orders with their re-inspection
tasks and records, and exit checks (退出督查).

The rules are those of ``inspections.followup`` and ``inspections.exits``: an order's deadline
counts working days from the day of issue, its re-inspection is planned for the first working
day after the deadline, and an order still open after that day is warned (警示) the day
after. Most orders are found rectified at the re-inspection, a few on documentary proof
before it, some are warned, and of those the older ones are escalated to a case (the case
itself is the cases demo's).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np

from xiaoneng.demo.inspections import Context, Rows, dates, insert_traced, moments
from xiaoneng.demo.inspections_records import Written
from xiaoneng.demo.inspections_visits import Visits
from xiaoneng.inspections.followup.services import number_prefix
from xiaoneng.inspections.models import (
    ExitCheck,
    Finding,
    Inspection,
    Rectification,
    Severity,
)
from xiaoneng.org.models import Unit
from xiaoneng.planning.patrol import assign, schedule
from xiaoneng.planning.patrol.models import Plan, Task
from xiaoneng.planning.patrol.services import period_of

R = Rectification.Status
F = Finding.Status
ORDER_SHARE = 0.85  # failed records that get an order; the rest are put right on the spot
WORKING_DAYS = (5, 7, 10, 15)
WORKING_DAY_WEIGHTS = (0.3, 0.3, 0.3, 0.1)
PROOF, PASSED, WARNED, ESCALATED, OPEN = "proof", "passed", "warned", "escalated", "open"
SPOT = "spot"
REINSPECTION_PHOTOS = 0.3  # re-inspections with a photo of the rectified premises
ESCALATE_AFTER = 25  # days after the warning before an order may have gone to a case


@dataclass
class Orders:
    """The rectification orders of the year, one per failed record that got one."""

    row: np.ndarray  # the visit row of the inspection that found the problems
    issued: np.ndarray  # day numbers
    working_days: np.ndarray
    deadline: np.ndarray
    reinspect: np.ndarray  # first working day after the deadline
    fate: np.ndarray  # proof, passed, warned, escalated, open
    closed: np.ndarray  # −1: not closed
    warned: np.ndarray  # −1: not warned
    number: list[str]
    loose: dict[int, str]  # failed records without an order: spot, escalated, open
    exits: dict[int, str]  # exit visits: ceased, escalated, open
    task: np.ndarray | None = None
    reinspection: np.ndarray | None = None  # row of the re-inspection visit (−1: none)

    @property
    def count(self) -> int:
        """How many orders."""
        return int(self.row.size)


def _severities(ctx: Context) -> dict[int, str]:
    return {item.id: item.severity for items in ctx.checklists.items.values() for item in items}


def plan_orders(ctx: Context, visits: Visits) -> Orders:
    """Which failed records got an order, with what deadline, and how each ended."""
    rng, today = ctx.rng, ctx.today_number
    failing = np.flatnonzero((visits.failures > 0) & ~visits.exit)
    ordered = rng.random(failing.size) < ORDER_SHARE
    severity = _severities(ctx)
    loose: dict[int, str] = {}
    for row in failing[~ordered].tolist():
        serious = any(severity[i] != Severity.MINOR for i, _n in visits.failed[row])
        day = int(visits.day[row])
        if day >= today - 3:
            loose[row] = OPEN
        elif serious and day <= today - 10 and rng.random() < 0.15:
            loose[row] = ESCALATED
        else:
            loose[row] = SPOT
    rows = failing[ordered]
    n = rows.size
    issued = visits.day[rows]
    working_days = rng.choice(WORKING_DAYS, n, p=WORKING_DAY_WEIGHTS)
    deadline = ctx.days.add(issued, working_days)
    reinspect = ctx.days.add(deadline, 1)
    draw = rng.random(n)
    due = reinspect < today
    fate = np.where(
        ~due, OPEN, np.where(draw < 0.08, PROOF, np.where(draw < 0.9, PASSED, WARNED))
    ).astype(object)
    warned = np.where(fate == WARNED, reinspect + 1, -1)
    escalate = (fate == WARNED) & (warned + ESCALATE_AFTER < today) & (rng.random(n) < 0.45)
    fate[escalate] = ESCALATED
    proof_day = ctx.days.pick(rng, issued + 1, np.minimum(deadline, today - 1))
    closed = np.where(fate == PASSED, reinspect, np.where(fate == PROOF, proof_day, -1))
    fate[(fate == PROOF) & (closed < 0)] = PASSED
    closed = np.where(fate == PASSED, reinspect, closed)
    return Orders(
        row=rows,
        issued=issued,
        working_days=working_days,
        deadline=deadline,
        reinspect=reinspect,
        fate=fate,
        closed=closed,
        warned=warned,
        number=_numbers(issued),
        loose=loose,
        exits=_exit_fates(ctx, visits),
    )


def _numbers(issued: np.ndarray) -> list[str]:
    """伊市监责改〔2026〕0001号: the bureau's sequence of each year, in order of issue."""
    head = number_prefix()
    order = np.argsort(issued, kind="stable")
    sequence: dict[int, int] = {}
    found = [""] * issued.size
    for i, day in zip(order.tolist(), dates(issued[order]), strict=True):
        assert day is not None
        sequence[day.year] = sequence.get(day.year, 0) + 1
        found[i] = f"{head}责改〔{day.year}〕{sequence[day.year]:04d}号"
    return found


# Re-inspections ---------------------------------------------------------------------------------


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
        items = "、".join(_title(ctx, item) for item, _note in visits.failed[row])
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


def _title(ctx: Context, item_id: int) -> str:
    return ctx.checklists.titles.get(item_id, "")


# Writing the follow-up -----------------------------------------------------------------------


def write(ctx: Context, visits: Visits, written: Written, orders: Orders) -> None:
    """The orders, the findings of every failed item and the exit checks."""
    order_ids = _write_orders(ctx, visits, written, orders)
    _write_findings(ctx, visits, written, orders, order_ids)
    _write_exit_checks(ctx, visits, written, orders.exits)


def _write_orders(ctx: Context, visits: Visits, written: Written, orders: Orders) -> np.ndarray:
    n = orders.count
    if not n:
        return np.zeros(0, dtype=np.int64)
    assert orders.task is not None and orders.reinspection is not None
    rows = orders.row
    deadlines = dates(orders.deadline)
    requirements = []
    for row, deadline in zip(rows.tolist(), deadlines, strict=True):
        assert deadline is not None
        lines = [
            f"{k + 1}. {_title(ctx, item)}：{note}"
            for k, (item, note) in enumerate(visits.failed[row])
        ]
        requirements.append(
            f"责令于 {deadline:%Y年%-m月%-d日} 前改正下列问题，"
            "逾期未改正的，依法予以警示并立案查处：\n" + "\n".join(lines)
        )
    status = {
        PROOF: R.RECTIFIED,
        PASSED: R.RECTIFIED,
        WARNED: R.WARNED,
        ESCALATED: R.ESCALATED,
        OPEN: R.OPEN,
    }
    outcomes = []
    for k, fate in enumerate(orders.fate.tolist()):
        if fate == PASSED:
            record = int(written.ids[orders.reinspection[k]])
            day = dates([int(orders.reinspect[k])])[0]
            outcomes.append(f"复查合格（检查记录 #{record}，{day:%Y-%m-%d}）")
        elif fate == PROOF:
            outcomes.append("经营者提交整改报告及整改后照片，经核实已整改到位")
        else:
            outcomes.append("")
    issued_at = [
        s + dt.timedelta(minutes=12) for s in (written.signed_at[r] for r in rows.tolist())
    ]
    columns: dict[str, list[Any]] = {
        "number": orders.number,
        "entity_id": visits.entity[rows].tolist(),
        "unit_id": visits.unit[rows].tolist(),
        "inspection_id": written.ids[rows].tolist(),
        "requirements": requirements,
        "issued_on": dates(orders.issued),
        "working_days": orders.working_days.tolist(),
        "deadline": deadlines,
        "issued_by_id": visits.lead[rows].tolist(),
        "status": [status[f] for f in orders.fate.tolist()],
        "reinspection_task_id": orders.task.tolist(),
        "warned_on": dates(orders.warned),
        "closed_on": dates(orders.closed),
        "outcome": outcomes,
    }
    return np.array(
        insert_traced(Rectification, columns, orders.number, at=issued_at), dtype=np.int64
    )


def _write_findings(
    ctx: Context, visits: Visits, written: Written, orders: Orders, order_ids: np.ndarray
) -> None:
    """A finding for every failed item (consequences.record_findings), in its state today."""
    of_row = {int(r): k for k, r in enumerate(orders.row.tolist())}
    assert orders.reinspection is not None
    of_reinspection = {int(r): k for k, r in enumerate(orders.reinspection.tolist()) if r >= 0}
    severity = _severities(ctx)
    findings = Rows(
        "inspection_id item_id entity_id unit_id severity description status rectification_id "
        "found_on"
    )
    day_of = dates(visits.day)
    for row in np.flatnonzero(visits.failures > 0).tolist():
        order = of_row.get(row, of_reinspection.get(row))
        worst = max(visits.failed[row], key=lambda f: _rank(severity[f[0]]))[0]
        for item, note in visits.failed[row]:
            link = None
            if order is not None:
                state = FINDING_STATES.get(orders.fate[order], F.RECTIFYING)
                link = int(order_ids[order])
            elif visits.exit[row]:
                state = F.RESOLVED if orders.exits[row] == "ceased" else F.OPEN
            elif orders.loose.get(row) == ESCALATED:  # the case is about the worst finding
                state = F.ESCALATED if item == worst else F.RESOLVED
            else:
                state = F.OPEN if orders.loose.get(row) == OPEN else F.RESOLVED
            findings.add(
                written.signed_at[row],
                inspection_id=int(written.ids[row]),
                item_id=item,
                entity_id=int(visits.entity[row]),
                unit_id=int(visits.unit[row]),
                severity=severity[item],
                description=note or _title(ctx, item),
                status=state,
                rectification_id=link,
                found_on=day_of[row],
            )
    c = findings.columns
    names = ctx.population.rows(c["entity_id"]).tolist()
    reprs = [
        f"{ctx.population.name[r]}: {_title(ctx, i)}"
        for r, i in zip(names, c["item_id"], strict=True)
    ]
    findings.write(Finding, reprs)


FINDING_STATES = {PROOF: F.RESOLVED, PASSED: F.RESOLVED, ESCALATED: F.ESCALATED}
SEVERITY_RANK: dict[str, int] = {Severity.MINOR: 0, Severity.MAJOR: 1, Severity.CRITICAL: 2}


def _rank(severity: str) -> int:
    return SEVERITY_RANK.get(severity, 0)


def _exit_fates(ctx: Context, visits: Visits) -> dict[int, str]:
    """How each exit check ended: ceased, escalated (to a case) or still open."""
    fates: dict[int, str] = {}
    for row in np.flatnonzero(visits.exit).tolist():
        day = int(visits.day[row])
        draw = ctx.rng.random()
        if day >= ctx.today_number - 7:
            fates[row] = "open"
        elif draw < 0.65:
            fates[row] = "ceased"
        elif day + ESCALATE_AFTER < ctx.today_number:
            fates[row] = "escalated"
        else:
            fates[row] = "open"
    return fates


def _write_exit_checks(
    ctx: Context, visits: Visits, written: Written, fates: dict[int, str]
) -> None:
    rows = sorted(fates)
    if not rows:
        return
    status = {
        "open": ExitCheck.Status.OPEN,
        "ceased": ExitCheck.Status.CEASED,
        "escalated": ExitCheck.Status.ESCALATED,
    }
    closed = []
    for row in rows:
        day = int(visits.day[row])
        closed.append(
            min(day + int(ctx.rng.integers(5, 31)), ctx.today_number - 1)
            if fates[row] == "ceased"
            else -1
        )
    columns: dict[str, list[Any]] = {
        "entity_id": visits.entity[rows].tolist(),
        "unit_id": visits.unit[rows].tolist(),
        "inspection_id": written.ids[rows].tolist(),
        "found_on": dates(visits.day[rows]),
        "found_by_id": visits.lead[rows].tolist(),
        "circumstances": [visits.summary[r] for r in rows],
        "status": [status[fates[r]] for r in rows],
        "closed_on": dates(np.array(closed)),
        "outcome": [
            "已责令停止经营活动，复查时已停业关门，经营场所已清空" if fates[r] == "ceased" else ""
            for r in rows
        ],
    }
    names = [ctx.population.name[r] for r in ctx.population.rows(columns["entity_id"]).tolist()]
    reprs = [f"{n} {d:%Y-%m-%d}" for n, d in zip(names, columns["found_on"], strict=True)]
    insert_traced(ExitCheck, columns, reprs, at=[written.signed_at[r] for r in rows])
