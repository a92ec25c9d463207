"""The demo's cases as today finds them: each lead's row with its course, money, handlers and
numbers, written with the collections and goods of ``money.py``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np

from xiaoneng.cases.models import Case
from xiaoneng.cases.services import number_head
from xiaoneng.demo.cases import money
from xiaoneng.demo.cases.course import S, plan_course, status_on
from xiaoneng.demo.cases.kinds import (
    ALWAYS_MAJOR,
    CENT,
    GAINS_KINDS,
    KINDS,
    MAJOR_VALUE,
)
from xiaoneng.demo.cases.leads import Lead
from xiaoneng.demo.days import local_moment
from xiaoneng.demo.inspections.context import Context
from xiaoneng.demo.rows import insert_traced
from xiaoneng.org.models import Unit
from xiaoneng.planning.patrol import schedule


def _money(ctx: Context, kind: str, major: bool) -> tuple[Decimal, Decimal, Decimal]:
    """Case value, fine and confiscated gains of a case of ``kind``."""
    rng = ctx.rng
    median = KINDS[kind][1] * (3 if major and kind not in ALWAYS_MAJOR else 1)
    value = float(np.exp(rng.normal(np.log(median), 0.8)))
    fine = min(max(value * rng.uniform(0.15, 0.6), 500), 300000)
    gains = 0.0
    if kind in GAINS_KINDS and rng.random() < 0.5:  # 没收违法所得
        gains = value * rng.uniform(0.05, 0.3)
    return (
        Decimal(round(value, 2)).quantize(CENT),
        Decimal(round(fine, -2)).quantize(CENT),
        Decimal(round(gains, -1)).quantize(CENT),
    )


def write_cases(ctx: Context, leads: list[Lead]) -> dict[str, Any]:
    """The cases, numbered, with their collections and goods; what was written."""
    if not leads:
        return {"cases": 0, "major": 0, "collected": Decimal("0.00")}
    units = {u.pk: u for u in Unit.objects.all()}
    enforcement = Unit.objects.filter(code__endswith="-K01").values_list("pk", flat=True).first()
    holds = _holds(ctx, leads)
    rows = [_case(ctx, lead, holds.get(i, ""), enforcement) for i, lead in enumerate(leads)]
    _assign_numbers(rows, units)
    columns = _columns(rows)
    ids = insert_traced(
        Case, columns, [f"{r['number']} {r['title']}" for r in rows], at=columns["created_at"]
    )
    collected = money.collections(ctx, rows, ids)
    money.goods(ctx, rows, ids)
    return {"cases": len(ids), "major": sum(r["major"] for r in rows), "collected": collected}


def _holds(ctx: Context, leads: list[Lead]) -> dict[int, str]:
    """Two leads a month old still not filed, and a case filed four months ago still
    undecided: the stage warnings (cases.limits) have something to show."""
    rng, last = ctx.rng, ctx.today_number - 1
    old = [
        i
        for i, lead in enumerate(leads)
        if 25 <= last - lead.received <= 40 and not lead.source_field
    ]
    holds = {
        int(i): "lead" for i in (rng.choice(old, min(2, len(old)), replace=False) if old else [])
    }
    filed = [
        i for i, lead in enumerate(leads) if 100 <= last - lead.received <= 130 and i not in holds
    ]
    if filed:
        holds[int(rng.choice(filed))] = "filed"
    return holds


def _case(ctx: Context, lead: Lead, hold: str, enforcement: int | None) -> dict[str, Any]:
    """One case's row (without its numbers), as today finds it."""
    rng, last = ctx.rng, ctx.today_number - 1
    major = lead.kind in ALWAYS_MAJOR or rng.random() < 0.2
    value, fine, gains = _money(ctx, lead.kind, major)
    major = major or value >= MAJOR_VALUE * 4
    penalised = rng.random() > 0.08  # the others end without a penalty (不予行政处罚)
    course = plan_course(ctx, lead.received, penalised, hold)
    status, stage = status_on(course, lead.received, last)
    unit = lead.unit
    big = lead.kind in ALWAYS_MAJOR or (major and rng.random() < 0.4)
    if not lead.source_field and enforcement and big:
        unit = enforcement  # 篇2: the enforcement division takes the major cases
    handler, co_handler = _staff(ctx, unit)
    received = schedule.to_date(lead.received)
    act = KINDS[lead.kind][3][int(rng.integers(len(KINDS[lead.kind][3])))]
    decided = status in (S.DECIDED, S.EXECUTING, S.CLOSED)
    notified = 0 <= course.notified <= last
    zero = Decimal("0.00")
    row: dict[str, Any] = {
        "title": f"{lead.party}{act}案"[:200],
        "kind": lead.kind,
        "entity_id": lead.entity,
        "party": lead.party[:200],
        "unit_id": unit,
        "region_code": lead.region,
        "handler_id": handler,
        "co_handler_id": co_handler,
        "status": status,
        "source_note": lead.source_note,
        "facts": f"经查，当事人{lead.party}存在{act}的行为，案值{value}元。",
        "major": major,
        "case_value": value,
        "fine_decided": fine if decided and penalised else zero,
        "confiscation_decided": gains if decided and penalised else zero,
        "proposed_fine": (fine * Decimal(str(round(rng.uniform(1, 1.2), 2)))).quantize(CENT)
        if notified and penalised
        else zero,
        "received_on": received,
        "stage_started_on": schedule.to_date(stage),
        "ended_reason": _ended_reason(status),
        "decision_extended": course.decision_extended and 0 <= course.decided <= last,
        "shortfall_reason": "当事人逾期未足额缴纳，已申请人民法院强制执行"
        if status == S.CLOSED and course.paid_share < 1
        else "",
        "created_at": local_moment(received, 15),
        "_course": course,
    }
    reached = {
        "filed_on": course.filed,
        "notified_on": course.notified,
        "decided_on": course.decided,
        "closed_on": course.closed,
    }
    for key, day in reached.items():
        on = 0 <= day <= last and _reached(key, status)
        row[key] = schedule.to_date(day) if on else None
    if lead.source_field:
        row[lead.source_field] = lead.source_id
    return row


def _assign_numbers(rows: list[dict[str, Any]], units: dict[int, Unit]) -> None:
    """Case numbers in order of receipt (each unit's yearly sequence, cases.services), and
    decision numbers in order of decision."""
    sequence: dict[str, int] = {}
    for row in rows:
        head = number_head(units[row["unit_id"]], row["received_on"].year)
        sequence[head] = sequence.get(head, 0) + 1
        row["number"] = f"{head}{sequence[head]:04d}号"
        row["decision_number"] = ""
    decided = sorted((r for r in rows if r["decided_on"]), key=lambda r: r["decided_on"])
    for row in decided:
        year = row["decided_on"].year
        sequence[str(year)] = sequence.get(str(year), 0) + 1
        row["decision_number"] = f"伊市监处罚〔{year}〕{sequence[str(year)]:03d}号"


STAGE_ORDER = (S.LEAD, S.FILED, S.INVESTIGATING, S.NOTIFIED, S.DECIDED, S.EXECUTING, S.CLOSED)
REACHED_BY = {
    "filed_on": S.FILED,
    "notified_on": S.NOTIFIED,
    "decided_on": S.DECIDED,
    "closed_on": S.CLOSED,
}


def _reached(key: str, status: str) -> bool:
    """Whether a case now in ``status`` has the date ``key`` (a withdrawn one was filed)."""
    if status == S.WITHDRAWN:
        return key == "filed_on"
    if status == S.NOT_FILED:
        return False
    return STAGE_ORDER.index(status) >= STAGE_ORDER.index(REACHED_BY[key])


def _ended_reason(status: str) -> str:
    if status == S.NOT_FILED:
        return "经核查，违法事实不成立，不予立案"
    if status == S.WITHDRAWN:
        return "经调查，当事人违法行为轻微并及时改正，没有造成危害后果，撤销立案"
    return ""


def _staff(ctx: Context, unit: int) -> tuple[int, int | None]:
    """A handler and a co-handler of ``unit``."""
    staff = ctx.people.station_staff.get(unit)
    if not staff:
        code = next(
            (
                c
                for c, members in ctx.people.division_staff.items()
                if members and ctx.people.unit.get(members[0]) == unit
            ),
            "",
        )
        staff = ctx.people.division_staff.get(code) or [next(iter(ctx.people.directors.values()))]
    picked = ctx.rng.choice(len(staff), min(2, len(staff)), replace=False).tolist()
    return staff[picked[0]], (staff[picked[1]] if len(picked) > 1 else None)


def _columns(rows: list[dict[str, Any]]) -> dict[str, list[Any]]:
    """The rows as columns; a source field a row lacks is None."""
    keys = [k for k in rows[0] if not k.startswith("_")]
    sources = (
        "rectification_id",
        "finding_id",
        "exit_check_id",
        "sample_id",
        "unlicensed_operator_id",
        "inspection_id",
    )
    columns = {k: [r.get(k) for r in rows] for k in keys}
    for key in sources:
        columns[key] = [r.get(key) for r in rows]
    return columns
