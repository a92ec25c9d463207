"""The demo county's cases of the past year, their money and goods, this year's targets, and
the credit feedback of everything the year recorded.

About a hundred cases a year for 20,000 entities (篇2: 124 in half a year for a city bureau)
of the seed's kinds. Escalated rectification orders, findings, exit checks, unlicensed
operators and failed samples each became a case; the others came from complaints, referrals
and monitoring. Each case went along the state machine (cases.transitions) within the stage
limits of cases.limits — decided within 90 days of filing, after the five working days of the
statement period — and stopped where today finds it; two leads and a filed case are overdue.
Fines were paid within 15 days or collected in execution (罚没款入库); goods confiscated.
Targets are set so that the units stand at 60–130 % of them by now.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
from django.db import transaction

from xiaoneng.cases.models import Case, CaseKind
from xiaoneng.cases.services import number_head
from xiaoneng.core import bulk
from xiaoneng.demo import cases_money as demo_money
from xiaoneng.demo.cases_credit import build_credit
from xiaoneng.demo.inspections import Context, context, insert_traced, local_moment
from xiaoneng.demo.org import Organisation
from xiaoneng.inspections.models import (
    ExitCheck,
    Finding,
    Inspection,
    Rectification,
    SampleFollowUp,
    UnlicensedOperator,
)
from xiaoneng.org.models import Unit
from xiaoneng.planning.patrol import schedule

S = Case.Status
K = CaseKind
CASES_PER_ENTITY = 100 / 20000  # a year
COMPLAINT_CASES = 0.15  # complaints found true that became a case from the record
CENT = Decimal("0.01")

# Kind: (share of the other cases, median case value in yuan, trades of the parties, what the
# party did).
KINDS: dict[str, tuple[float, float, tuple[str, ...], tuple[str, ...]]] = {
    K.COUNTERFEIT: (
        0.26,
        20000,
        ("F5232", "F5226", "F5233", "F5211", "F5212"),
        ("销售侵犯注册商标专用权商品",),
    ),
    K.AGRICULTURAL: (
        0.15,
        60000,
        ("F5166", "F5167", "F5112"),
        ("销售不合格化肥", "销售假冒种子", "销售不合格农药"),
    ),
    K.FOOD: (0.1, 5000, ("F521", "F522", "H62"), ("经营超过保质期食品", "经营无中文标签进口食品")),
    K.ADVERTISING: (0.09, 15000, ("L725",), ("发布虚假违法广告",)),
    K.COMMERCIAL_BRIBERY: (0.05, 150000, ("F525", "K70", "E47"), ("商业贿赂",)),
    K.THREE_FALSE_ONE_FLIGHT: (0.04, 500000, ("",), ("虚报注册资本", "抽逃出资")),
    K.BID_RIGGING: (0.03, 800000, ("E47",), ("串通投标",)),
    K.UNLICENSED: (0.06, 3000, ("",), ("无照经营",)),
    K.PRODUCT_QUALITY: (0.07, 20000, ("F5281", "F5289", "F5263"), ("销售不合格产品",)),
    K.PRICE: (0.06, 5000, ("F52", "H62"), ("不明码标价",)),
    K.CONSUMER: (0.08, 8000, ("F5274", "F5232", "O80"), ("拒不履行退换货义务，侵害消费者权益",)),
    K.OTHER: (0.04, 10000, ("",), ("违反市场监管法规",)),
}
GAINS_KINDS = (K.COMMERCIAL_BRIBERY, K.COUNTERFEIT, K.PRICE, K.ADVERTISING)
ALWAYS_MAJOR = (K.COMMERCIAL_BRIBERY, K.THREE_FALSE_ONE_FLIGHT, K.BID_RIGGING)
MAJOR_VALUE = Decimal("50000")
SOURCES = (
    "群众举报",
    "12315投诉转办",
    "网络交易监测发现",
    "上级交办",
    "公安机关移送",
    "商标权利人投诉",
)


@dataclass
class Lead:
    """A case to be: where it came from, whose, what kind, when it arrived."""

    kind: str
    entity: int | None
    party: str
    unit: int
    region: str
    received: int  # day number
    source_field: str = ""
    source_id: int | None = None
    source_note: str = ""
    values: dict[str, Any] = field(default_factory=dict)


def build_cases(
    rng: np.random.Generator,
    organisation: Organisation,
    *,
    now: dt.datetime,
    progress: Callable[[str], None] = print,
) -> None:
    """The year's cases with money and goods, this year's targets, and the credit feedback."""
    ctx = context(rng, organisation, now=now, progress=progress, checklists=False)
    if not len(ctx.population):
        return
    with bulk.paused_gc(), transaction.atomic():
        leads = _escalated(ctx) + _complaints(ctx)
        leads += _others(ctx, len(leads))
        written = _write_cases(ctx, sorted(leads, key=lambda lead: (lead.received, lead.party)))
        targets = demo_money.targets(ctx)
        proposals = build_credit(ctx)
    progress(
        f"案件 cases: {written['cases']} ({written['major']} 大要案), 罚没款入库 "
        f"{written['collected'] / 10000:,.2f} 万元; {targets} targets; {proposals} 信用等级调整建议"
    )


# Leads -----------------------------------------------------------------------------------------


def _industry_kind(industry: str) -> str:
    """The kind of case a finding escalated in this trade most likely is."""
    for kind in (K.AGRICULTURAL, K.ADVERTISING, K.PRODUCT_QUALITY, K.FOOD, K.COUNTERFEIT):
        if any(industry.startswith(t) for t in KINDS[kind][2] if t):
            return kind
    return K.CONSUMER


def _received(ctx: Context, base: Any, low: int, high: int) -> int:
    """A working day from ``low`` to ``high`` days after ``base`` (a date), before today."""
    start = ctx.days.forward(np.array([schedule.day_number(base) + low]))[0]
    end = min(schedule.day_number(base) + high, ctx.today_number - 1)
    day = int(ctx.days.pick(ctx.rng, np.array([min(start, end)]), np.array([end]))[0])
    return day if day >= 0 else end


def _escalated(ctx: Context) -> list[Lead]:
    """A lead for every source the other builders marked escalated (转立案), received a few
    days to weeks after the source's own date."""
    p = ctx.population
    farm = ("化肥", "农药", "种子")
    found: list[tuple[str, int, int, int, Any, int, int]] = []  # field, id, entity, unit, day…
    for pk, entity, unit, warned in Rectification.objects.filter(
        status=Rectification.Status.ESCALATED
    ).values_list("pk", "entity_id", "unit_id", "warned_on"):
        found.append(("rectification_id", pk, entity, unit, warned, 5, 20))
    for pk, entity, unit, day in Finding.objects.filter(
        status=Finding.Status.ESCALATED, rectification__isnull=True
    ).values_list("pk", "entity_id", "unit_id", "found_on"):
        found.append(("finding_id", pk, entity, unit, day, 1, 6))
    for pk, entity, unit, day in ExitCheck.objects.filter(
        status=ExitCheck.Status.ESCALATED
    ).values_list("pk", "entity_id", "unit_id", "found_on"):
        found.append(("exit_check_id", pk, entity, unit, day, 5, 20))
    categories: dict[int, str] = {}  # a failed sample's case kind, by sample
    for pk, entity, unit, reinspected, category in SampleFollowUp.objects.filter(
        status=SampleFollowUp.Status.ESCALATED, sample__entity__isnull=False
    ).values_list(
        "sample_id", "sample__entity_id", "unit_id", "reinspected_on", "sample__plan__category"
    ):
        found.append(("sample_id", pk, entity, unit, reinspected, 3, 10))
        categories[pk] = K.AGRICULTURAL if category in farm else K.PRODUCT_QUALITY
    leads = []
    for field_name, pk, entity, unit, day, low, high in found:
        row = int(p.rows([entity])[0])
        kind: str = K.UNLICENSED  # operating after deregistration: 无照经营
        if field_name != "exit_check_id":
            kind = categories.get(pk) or _industry_kind(str(p.industry[row]))
        received = _received(ctx, day, low, high)
        leads.append(Lead(kind, entity, p.name[row], unit, p.region[row], received, field_name, pk))
    for pk, name, operator, unit, region, day in UnlicensedOperator.objects.filter(
        status=UnlicensedOperator.Status.ESCALATED
    ).values_list("pk", "name", "operator", "unit_id", "region_code", "found_on"):
        party = name + (f"（{operator}）" if operator else "")
        received = _received(ctx, day, 10, 40)
        leads.append(
            Lead(K.UNLICENSED, None, party, unit, region, received, "unlicensed_operator_id", pk)
        )
    return leads


def _complaints(ctx: Context) -> list[Lead]:
    """Some complaints found true on inspection became a case straight from the record."""
    p, rng = ctx.population, ctx.rng
    records = list(
        Inspection.objects.filter(origin=Inspection.Origin.COMPLAINT, items_failed__gt=0)
        .exclude(findings__status=Finding.Status.ESCALATED)
        .exclude(rectifications__status=Rectification.Status.ESCALATED)
        .distinct()
        .order_by("id")
        .values_list("id", "entity_id", "unit_id", "visited_on")
    )
    leads = []
    for pk, entity, unit, visited in records:
        if rng.random() < COMPLAINT_CASES:
            row = int(p.rows([entity])[0])
            kind = _industry_kind(str(p.industry[row]))
            received = _received(ctx, visited, 1, 8)
            leads.append(
                Lead(
                    kind,
                    entity,
                    p.name[row],
                    unit,
                    p.region[row],
                    received,
                    "inspection_id",
                    pk,
                    source_note="12315投诉转办",
                )
            )
    return leads


def _others(ctx: Context, sourced: int) -> list[Lead]:
    """Leads from complaints, referrals, monitoring and the bureau's own checks: as many as
    the year's total less the ``sourced`` ones, at least half of it."""
    p, rng = ctx.population, ctx.rng
    total = round(len(p) * CASES_PER_ENTITY * rng.uniform(0.85, 1.15))
    count = max(total - sourced, max(6, total // 2))
    kinds = list(KINDS)
    shares = np.array([KINDS[k][0] for k in kinds])
    shares = shares / shares.sum()
    # Each kind its share (the few big ones every year), the remainder drawn by share.
    whole = np.floor(shares * count).astype(np.int64)
    extra = rng.choice(len(kinds), count - int(whole.sum()), p=shares)
    chosen = rng.permutation(np.concatenate([np.repeat(np.arange(len(kinds)), whole), extra]))
    chosen = chosen.tolist()
    received = ctx.days.pick(
        rng, np.full(count, ctx.window_number), np.full(count, ctx.today_number - 1)
    )
    operating = (p.status == "operating") | (p.status == "suspended")
    leads = []
    for k, day in zip(chosen, received.tolist(), strict=True):
        kind = kinds[k]
        trades = KINDS[kind][2]
        pool = np.flatnonzero(p.industry_in(trades) & operating & (p.registered < day))
        if kind == K.THREE_FALSE_ONE_FLIGHT:
            pool = pool[p.kind[pool] == "enterprise"]
        if not pool.size or day < 0:
            continue
        row = int(rng.choice(pool))
        leads.append(
            Lead(
                kind,
                int(p.id[row]),
                p.name[row],
                int(p.unit[row]),
                p.region[row],
                int(day),
                source_note=SOURCES[int(rng.integers(len(SOURCES)))],
            )
        )
    return leads


# Each case's course ----------------------------------------------------------------------------


@dataclass
class Course:
    """The days a case reached each stage (−1: not reached) and its end."""

    filed: int = -1
    investigating: int = -1
    notified: int = -1
    decided: int = -1
    executing: int = -1
    closed: int = -1
    ended: int = -1  # not filed or withdrawn
    ended_as: str = ""
    payments: list[int] = field(default_factory=list)  # days of the instalments
    paid_share: float = 1.0
    decision_extended: bool = False


def _course(ctx: Context, received: int, penalised: bool, hold: str = "") -> Course:
    """The course a case would take from ``received``, whatever today is."""
    rng, days = ctx.rng, ctx.days

    def add(day: int, count: int) -> int:
        return int(days.add(np.array([day]), count)[0])

    course = Course()
    if hold == "lead":
        return course
    if rng.random() < 0.05:
        course.ended, course.ended_as = add(received, int(rng.integers(3, 14))), S.NOT_FILED
        return course
    course.filed = add(received, int(rng.integers(1, 13)))  # ≤ 15 working days (第十八条)
    course.investigating = add(course.filed, int(rng.integers(0, 3)))
    if hold == "filed":
        return course
    if rng.random() < 0.03:
        course.ended = course.investigating + int(rng.integers(10, 40))
        course.ended_as = S.WITHDRAWN
        return course
    course.notified = int(
        days.forward(np.array([course.investigating + int(rng.integers(20, 55))]))[0]
    )
    course.decided = add(course.notified, int(rng.integers(6, 16)))  # after the 5 working days
    if course.decided > course.filed + 90:  # 第六十四条: extended by the head, 30 days more
        course.decision_extended = True
        course.decided = min(course.decided, course.filed + 120)
    if not penalised:
        course.closed = add(course.decided, int(rng.integers(1, 8)))
        return course
    if rng.random() < 0.8:  # paid within 15 days of the decision (行政处罚法 第六十七条)
        course.payments = [course.decided + int(rng.integers(2, 15))]
        course.closed = add(course.payments[-1], int(rng.integers(2, 15)))
        return course
    course.executing = course.decided + int(rng.integers(16, 25))  # unpaid: execution (第七十二条)
    first = course.executing + int(rng.integers(10, 60))
    if rng.random() < 0.5:
        course.payments = [first, first + int(rng.integers(25, 70))]  # 分期缴纳
    else:
        course.payments = [first]
    course.closed = add(course.payments[-1], int(rng.integers(3, 20)))
    if rng.random() < 0.2:  # closed on 强制执行 applied for, part unpaid
        course.paid_share = float(rng.uniform(0.3, 0.7))
    return course


def _status(course: Course, received: int, last: int) -> tuple[str, int]:
    """The status the course has reached by day ``last``, and the day its stage began."""
    stages = [
        (S.CLOSED, course.closed),
        (S.EXECUTING, course.executing),
        (S.DECIDED, course.decided),
        (S.NOTIFIED, course.notified),
        (S.INVESTIGATING, course.investigating),
        (S.FILED, course.filed),
    ]
    if 0 <= course.ended <= last:
        return course.ended_as, course.ended
    for status, day in stages:
        if 0 <= day <= last:
            return status, day
    return S.LEAD, received


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


def _write_cases(ctx: Context, leads: list[Lead]) -> dict[str, Any]:
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
    collected = demo_money.collections(ctx, rows, ids)
    demo_money.goods(ctx, rows, ids)
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
    course = _course(ctx, lead.received, penalised, hold)
    status, stage = _status(course, lead.received, last)
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
