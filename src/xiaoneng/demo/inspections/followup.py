"""What the demo's inspections set off, written: the rectification orders, a finding for every
failed item in its state today, and the exit checks (退出督查)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from xiaoneng.demo.days import dates
from xiaoneng.demo.inspections.context import Context
from xiaoneng.demo.inspections.orders import ESCALATED, OPEN, PASSED, PROOF, WARNED, Orders
from xiaoneng.demo.inspections.records import Written
from xiaoneng.demo.inspections.visits import Visits
from xiaoneng.demo.rows import Rows, insert_traced
from xiaoneng.inspections.models import ExitCheck, Finding, Rectification, Severity

R = Rectification.Status
F = Finding.Status


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
            f"{k + 1}. {ctx.checklists.title(item)}：{note}"
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
    severity = ctx.checklists.severities
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
                description=note or ctx.checklists.title(item),
                status=state,
                rectification_id=link,
                found_on=day_of[row],
            )
    c = findings.columns
    names = ctx.population.rows(c["entity_id"]).tolist()
    reprs = [
        f"{ctx.population.name[r]}: {ctx.checklists.title(i)}"
        for r, i in zip(names, c["item_id"], strict=True)
    ]
    findings.write(Finding, reprs)


FINDING_STATES = {PROOF: F.RESOLVED, PASSED: F.RESOLVED, ESCALATED: F.ESCALATED}
SEVERITY_RANK: dict[str, int] = {Severity.MINOR: 0, Severity.MAJOR: 1, Severity.CRITICAL: 2}


def _rank(severity: str) -> int:
    return SEVERITY_RANK.get(severity, 0)


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
