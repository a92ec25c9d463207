"""Cases, collections, confiscated goods, annual targets and product samples of the county's
year (``county_year.CountyYear``), for the report benchmark, written in bulk without the trace.

Used by ``bench_report``; not a benchmark itself (``run.py`` names the scripts it runs).
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np

import common
from county_year import DAYS, YEAR, CountyYear, days, insert, pick

KINDS = {
    "bribery": 0.03,
    "false_capital": 0.03,
    "bid_rigging": 0.01,
    "counterfeit": 0.15,
    "agricultural": 0.1,
    "advertising": 0.08,
    "food": 0.25,
    "unlicensed": 0.15,
    "quality": 0.08,
    "price": 0.05,
    "consumer": 0.05,
    "other": 0.02,
}
GOODS = [("不合格化肥", "吨"), ("不合格种子", "吨"), ("假冒白酒", "瓶"), ("过期食品", "件")]


def cases(county: CountyYear, count: int) -> None:
    """Cases filed through the year with their collections, goods and the targets."""
    from xiaoneng.cases.models import Case, Collection, ConfiscatedGoods, Target

    units = county.rng.choice(county.stations, count)
    # Written as they happen: cases in the order of filing, collections of paying in.
    filed = np.sort(county.rng.integers(0, DAYS, count))
    major = county.rng.random(count) < 0.25
    value = county.rng.integers(1_000, 500_000, count)
    ids = insert(
        Case,
        {
            "number": [f"示市监案〔{YEAR}〕{i:06d}号" for i in range(count)],
            "title": ["销售不合格商品案"] * count,
            "kind": pick(county.rng, KINDS, count),
            "party": ["基准测试经营部"] * count,
            "unit_id": units.tolist(),
            "region_code": [common.REGION] * count,
            "handler_id": county.officer_of(units),
            "status": pick(
                county.rng, {"closed": 0.7, "executing": 0.1, "investigating": 0.2}, count
            ),
            "major": major.tolist(),
            "case_value": [Decimal(v) for v in value.tolist()],
            "received_on": days(np.maximum(filed - 5, 0)),
            "filed_on": days(filed),
            "stage_started_on": days(filed),
        },
    )
    case = np.array(ids)
    paid = np.flatnonzero(county.rng.random(count) < 0.8)
    twice = paid[county.rng.random(paid.size) < 0.25]
    rows = np.concatenate([paid, twice])
    collected = filed[rows] + county.rng.integers(15, 120, rows.size)
    order = np.argsort(collected, kind="stable")
    rows, collected = rows[order], collected[order]
    insert(
        Collection,
        {
            "case_id": case[rows].tolist(),
            "kind": np.where(county.rng.random(rows.size) < 0.7, "fine", "confiscation").tolist(),
            "amount": [Decimal(v) for v in (value[rows] // 10).tolist()],
            "collected_on": days(collected),
            "unit_id": units[rows].tolist(),
        },
    )
    seized = np.flatnonzero(county.rng.random(count) < 0.1)
    goods = county.rng.integers(0, len(GOODS), seized.size)
    insert(
        ConfiscatedGoods,
        {
            "case_id": case[seized].tolist(),
            "description": [GOODS[g][0] for g in goods.tolist()],
            "quantity": [Decimal(int(q)) for q in county.rng.integers(1, 50, seized.size)],
            "measure": [GOODS[g][1] for g in goods.tolist()],
        },
    )
    for unit, share in [(county.bureau.pk, 1.0)] + [(s, 1 / 8) for s in county.stations]:
        # About what the year collects (an average collection of 25,000 yuan per case).
        Target.objects.create(
            unit_id=unit, year=YEAR, metric="fines_collected", value=int(25_000 * count * share)
        )
        Target.objects.create(unit_id=unit, year=YEAR, metric="cases", value=int(count * share))


def samples(county: CountyYear, count: int) -> None:
    """Product samples of two sampling plans, and the follow-up of each failed one."""
    from xiaoneng.inspections.models import Sample, SampleFollowUp, SamplingPlan

    plans = [
        SamplingPlan.objects.create(
            year=YEAR,
            title=f"{category}监督抽查",
            category=category,
            region_code=common.REGION,
            unit=county.bureau,
            planned_batches=count // 2,
        ).pk
        for category in ("化肥", "电线电缆")
    ]
    which = county.rng.integers(0, county.entity.size, count)
    result = pick(county.rng, {"pass": 0.85, "fail": 0.1, "pending": 0.05}, count)
    ids = insert(
        Sample,
        {
            "plan_id": county.rng.choice(plans, count).tolist(),
            "entity_id": county.entity[which].tolist(),
            "firm_name": [f"企业{e}" for e in county.entity[which].tolist()],
            "product": ["复合肥"] * count,
            "batch_number": [f"B{i}" for i in range(count)],
            "sampled_on": days(county.rng.integers(0, DAYS, count)),
            "region_code": [common.REGION] * count,
            "unit_id": county.entity_unit[which].tolist(),
            "result": result,
        },
    )
    failed = [i for i, r in enumerate(result) if r == "fail"]
    insert(
        SampleFollowUp,
        {
            "sample_id": [ids[i] for i in failed],
            "unit_id": [int(county.entity_unit[which[i]]) for i in failed],
            "status": pick(county.rng, {"closed": 0.7, "open": 0.3}, len(failed)),
        },
    )
