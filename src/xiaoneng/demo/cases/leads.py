"""Where the demo county's cases came from (``Lead``): every source the other builders marked
escalated (转立案), complaints found true on inspection, and the others — complaints,
referrals, monitoring and the bureau's own checks — up to the year's number of cases."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from xiaoneng.demo.cases.kinds import KINDS, K
from xiaoneng.demo.inspections.context import Context
from xiaoneng.inspections.models import (
    ExitCheck,
    Finding,
    Inspection,
    Rectification,
    SampleFollowUp,
    UnlicensedOperator,
)
from xiaoneng.planning.patrol import schedule

CASES_PER_ENTITY = 100 / 20000  # a year
COMPLAINT_CASES = 0.15  # complaints found true that became a case from the record
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


def escalated_leads(ctx: Context) -> list[Lead]:
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


def complaint_leads(ctx: Context) -> list[Lead]:
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


def other_leads(ctx: Context, sourced: int) -> list[Lead]:
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
