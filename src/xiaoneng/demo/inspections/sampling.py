"""The demo county's product quality spot checks (监督抽查, 篇4): last year's and this year's.

A plan per product category and year, batches sampled from firms of the trades that sell the
product, the laboratory's verdicts (pass rates of 80–95 % by category, a few points apart from
one year to the next), and the follow-up of each failed batch (后处理) along the rules of
``inspections.sampling``: rectify within 60 days of the order, re-inspect within 75, close, or
escalate to a case when the re-inspection fails again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import transaction

from xiaoneng.core import bulk
from xiaoneng.demo import geography
from xiaoneng.demo.days import local_moment
from xiaoneng.demo.inspections.context import Context, context
from xiaoneng.demo.org import Organisation
from xiaoneng.demo.rows import Rows
from xiaoneng.inspections.models import Sample, SampleFollowUp, SamplingPlan
from xiaoneng.planning.patrol import schedule

RECTIFY_DAYS = 60  # 产品质量监督抽查管理暂行办法 第四十六条
REINSPECT_DAYS = 75  # 第四十七条
LABORATORIES = ("伊犁州产品质量检验检测所", "新疆维吾尔自治区产品质量监督检验研究院")
MAKERS = (
    "新疆天禾",
    "伊犁丰源",
    "昌吉金穗",
    "石河子绿洲",
    "甘肃陇原",
    "河南中原",
    "四川蜀丰",
    "浙江宏达",
)


@dataclass(frozen=True)
class Category:
    """A product category: who sells it, what is sampled, against what, what fails."""

    name: str
    trades: tuple[str, ...]
    products: tuple[str, ...]
    maker: str
    standard: str
    failures: tuple[str, ...]
    batches: int  # batches a year in a county of 20,000 entities
    pass_rate: float
    unit: str  # the division that runs the plan


CATEGORIES = (
    Category(
        "化肥",
        ("F5166",),
        ("复合肥料", "磷酸一铵", "尿素"),
        "化肥有限公司",
        "GB/T 15063-2020《复合肥料》",
        ("总养分", "水溶性磷占有效磷百分率", "标识"),
        30,
        0.84,
        "K02",
    ),
    Category(
        "农药",
        ("F5167",),
        ("草甘膦水剂", "吡虫啉可湿性粉剂"),
        "农化有限公司",
        "产品标准及农药登记资料",
        ("有效成分含量", "隐性成分"),
        20,
        0.88,
        "K02",
    ),
    Category(
        "种子",
        ("F5112",),
        ("玉米种子", "小麦种子"),
        "种业有限公司",
        "GB 4404.1-2008《粮食作物种子 第1部分：禾谷类》",
        ("发芽率", "纯度", "水分"),
        15,
        0.91,
        "K02",
    ),
    Category(
        "电线电缆",
        ("F5281", "F5289"),
        ("聚氯乙烯绝缘电缆", "铜芯电线"),
        "电缆有限公司",
        "GB/T 5023-2008《额定电压450/750V及以下聚氯乙烯绝缘电缆》",
        ("导体电阻", "绝缘厚度", "绝缘老化前拉伸强度"),
        20,
        0.8,
        "K02",
    ),
    Category(
        "食品相关产品",
        ("F5212", "F5211", "F5213"),
        ("食品用塑料包装袋", "一次性塑料餐盒"),
        "塑业有限公司",
        "GB 4806.7-2016《食品接触用塑料材料及制品》",
        ("总迁移量", "高锰酸钾消耗量"),
        25,
        0.93,
        "K04",
    ),
    Category(
        "儿童用品",
        ("F5232", "F5239", "F5211"),
        ("儿童服装", "塑胶玩具"),
        "服饰有限公司",
        "GB 31701-2015《婴幼儿及儿童纺织产品安全技术规范》",
        ("绳带要求", "pH值", "纤维含量"),
        20,
        0.85,
        "K02",
    ),
    Category(
        "车用燃油",
        ("F5265",),
        ("车用柴油（Ⅵ）", "车用汽油（ⅥA）"),
        "石化有限公司",
        "GB 19147-2016《车用柴油》",
        ("硫含量", "闪点"),
        10,
        0.95,
        "K02",
    ),
)


def build_sampling(
    rng: np.random.Generator,
    organisation: Organisation,
    *,
    now: dt.datetime,
    progress: Callable[[str], None] = print,
) -> None:
    """Sampling plans of last year and this year, their samples, verdicts and follow-ups."""
    ctx = context(rng, organisation, now=now, progress=progress, checklists=False)
    if not len(ctx.population):
        return
    from xiaoneng.org.models import Unit

    units = {
        code: Unit.objects.filter(code__endswith=f"-{code}").first() or ctx.people.bureau
        for code in ("K02", "K04")
    }
    scale = max(0.2, len(ctx.population) / 20000)
    totals = {"samples": 0, "failed": 0, "follow_ups": 0}
    with bulk.paused_gc(), transaction.atomic():
        for year in (ctx.today.year - 1, ctx.today.year):
            for category in CATEGORIES:
                drift = 0 if year == ctx.today.year else float(ctx.rng.uniform(-0.05, 0.04))
                made = _plan(ctx, category, year, units[category.unit], scale, drift)
                for key in totals:
                    totals[key] += made[key]
    progress(
        f"监督抽查 spot checks: {len(CATEGORIES) * 2} plans, {totals['samples']:,} batches, "
        f"{totals['failed']} failed, {totals['follow_ups']} follow-ups"
    )


def _plan(
    ctx: Context, category: Category, year: int, unit: Any, scale: float, drift: float
) -> dict[str, int]:
    """A category's plan of ``year``, its batches sampled by today, verdicts, follow-ups."""
    made = {"samples": 0, "failed": 0, "follow_ups": 0}
    rng = ctx.rng
    planned = max(3, round(category.batches * scale))
    created = local_moment(dt.date(year, 2, 20), 10)
    if created >= ctx.now:
        return made
    title = f"{year}年{geography.COUNTY}{category.name.removesuffix('产品')}产品质量监督抽查"
    plans = Rows(
        "year title category region_code unit_id planned_batches standard laboratory created_at"
    )
    plans.add(
        created,
        year=year,
        title=title,
        category=category.name,
        region_code=geography.REGION_CODE,
        unit_id=unit.pk,
        planned_batches=planned,
        standard=category.standard,
        laboratory=LABORATORIES[int(rng.integers(len(LABORATORIES)))],
        created_at=created,
    )
    plan_id = plans.write(SamplingPlan, [title])[0]
    day, chosen = _batches(ctx, category, year, planned)
    n = day.size
    if not n:
        return made
    reported = day + rng.integers(15, 36, n)
    done = reported < ctx.today_number
    result = _verdicts(rng, done, float(np.clip(category.pass_rate + drift, 0.8, 0.95)))
    ids, reprs = _write_samples(ctx, category, plan_id, day, chosen, result, reported)
    failed = np.flatnonzero(result == Sample.Result.FAIL)
    units = ctx.population.unit[chosen][failed]
    made["follow_ups"] = _follow_ups(ctx, ids[failed], reported[failed], units, reprs, failed)
    made["samples"], made["failed"] = n, int(failed.size)
    return made


def _batches(
    ctx: Context, category: Category, year: int, planned: int
) -> tuple[np.ndarray, np.ndarray]:
    """The days (March to October, up to today) and the firms (rows of the register) sampled:
    firms of the category's trades registered before the day."""
    p, rng = ctx.population, ctx.rng
    firms = np.flatnonzero(p.industry_in(category.trades) & (p.grid >= 0))
    first = schedule.day_number(dt.date(year, 3, 1))
    end = schedule.day_number(dt.date(year, 10, 31))
    last = min(end, ctx.today_number - 1)
    if not firms.size or last < first:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    share = min(1.0, (last - first + 1) / (end - first + 1))
    count = round(planned * min(1.0, share * 1.1))
    day = np.sort(ctx.days.pick(rng, np.full(count, first), np.full(count, last)))
    day = day[day >= 0]
    chosen = rng.choice(firms, day.size)
    for _attempt in range(5):  # a firm registered after the day is drawn again
        late = np.flatnonzero(p.registered[chosen] >= day)
        chosen[late] = rng.choice(firms, late.size)
    keep = p.registered[chosen] < day
    return day[keep], chosen[keep]


def _write_samples(
    ctx: Context,
    category: Category,
    plan_id: int,
    day: np.ndarray,
    chosen: np.ndarray,
    result: np.ndarray,
    reported: np.ndarray,
) -> tuple[np.ndarray, list[str]]:
    """The batches with their verdicts; their ids and names."""
    p, rng = ctx.population, ctx.rng
    n = day.size
    products = rng.integers(0, len(category.products), n).tolist()
    makers = rng.integers(0, len(MAKERS), n).tolist()
    officer = ctx.people.responsible(p.grid[chosen], p.unit[chosen])
    rows = Rows(
        "plan_id entity_id firm_name producer product specification batch_number sampled_on "
        "region_code unit_id sampled_by_id result failed_items reported_on"
    )
    for i, (row, sampled, verdict, out) in enumerate(
        zip(chosen.tolist(), day.tolist(), result.tolist(), reported.tolist(), strict=True)
    ):
        failed = ""
        if verdict == Sample.Result.FAIL:
            picked = rng.choice(category.failures, int(rng.integers(1, 3)), replace=False)
            failed = "、".join(sorted(picked.tolist()))
        on = schedule.to_date(sampled)
        rows.add(
            local_moment(on, 12),
            plan_id=plan_id,
            entity_id=int(p.id[row]),
            firm_name=p.name[row],
            producer=f"{MAKERS[makers[i]]}{category.maker}",
            product=category.products[products[i]],
            specification=_specification(category, rng),
            batch_number=f"{on:%Y%m%d}{chr(65 + int(rng.integers(26)))}{i:02d}",
            sampled_on=on,
            region_code=p.region[row],
            unit_id=int(p.unit[row]),
            sampled_by_id=int(officer[i]) or None,
            result=verdict,
            failed_items=failed,
            reported_on=schedule.to_date(out) if verdict != Sample.Result.PENDING else None,
        )
    c = rows.columns
    reprs = [
        f"{f} {pr} {b}"
        for f, pr, b in zip(c["firm_name"], c["product"], c["batch_number"], strict=True)
    ]
    return np.array(rows.write(Sample, reprs), dtype=np.int64), reprs


def _verdicts(rng: np.random.Generator, done: np.ndarray, rate: float) -> np.ndarray:
    """Pass, fail or pending (report not yet out): the failures the category's rate gives."""
    reported = np.flatnonzero(done)
    failures = round(reported.size * (1 - rate))
    if reported.size >= 5:
        failures = max(failures, 1)
    failed = rng.choice(reported, failures, replace=False) if failures else reported[:0]
    result = np.where(done, Sample.Result.PASS, Sample.Result.PENDING).astype(object)
    result[failed] = Sample.Result.FAIL
    return result


def _specification(category: Category, rng: np.random.Generator) -> str:
    if category.name == "化肥":
        n, p, k = (int(rng.integers(12, 18)), int(rng.integers(12, 18)), int(rng.integers(8, 16)))
        return f"N-P₂O₅-K₂O {n}-{p}-{k} 50kg/袋"
    if category.name == "电线电缆":
        return f"BV {rng.choice(['1.5', '2.5', '4', '6'])}mm² 100m/卷"
    return ""


ACTIONS = "责令停止销售该批次产品，下架封存库存，查明原因并整改"


def _follow_ups(
    ctx: Context,
    samples: np.ndarray,
    reported: np.ndarray,
    unit: np.ndarray,
    reprs: list[str],
    rows: np.ndarray,
) -> int:
    """The follow-up of each failed batch, where it stands today: ordered to rectify a few days
    after the report, re-inspected within 75 days, then closed — or escalated when it failed
    again; now and then the verdict is overturned on appeal (异议复检) and closed at once."""
    rng, today = ctx.rng, ctx.today_number
    n = samples.size
    S = SampleFollowUp.Status
    ordered = reported + rng.integers(3, 16, n)
    deadline = ordered + rng.integers(45, RECTIFY_DAYS + 1, n)
    reinspected = ordered + rng.integers(40, REINSPECT_DAYS + 1, n)
    passed = rng.random(n) < 0.85
    closed = reinspected + rng.integers(1, 11, n)
    overturned = rng.random(n) < 0.05
    follow_ups = Rows(
        "sample_id unit_id status deadline ordered_on actions reinspected_on "
        "reinspection_passed reinspection_note closed_on closing_note"
    )

    def day(value: Any) -> dt.date:
        return schedule.to_date(int(value))

    for k in range(n):
        row: dict[str, Any] = {"sample_id": int(samples[k]), "unit_id": int(unit[k])}
        ordering = {"ordered_on": day(ordered[k]), "deadline": day(deadline[k]), "actions": ACTIONS}
        check = {"reinspected_on": day(reinspected[k]), "reinspection_passed": bool(passed[k])}
        if overturned[k] and ordered[k] < today:
            row |= {
                "status": S.CLOSED,
                "closed_on": day(ordered[k]),
                "closing_note": "经异议复检，产品合格，撤销不合格结论",
            }
        elif ordered[k] >= today:
            row |= {"status": S.OPEN, "deadline": day(reported[k] + RECTIFY_DAYS)}
        elif reinspected[k] >= today:
            row |= {"status": S.RECTIFYING, **ordering}
        elif not passed[k] and reinspected[k] + 10 < today:
            note = "复查仍不合格，移送立案查处"
            row |= {"status": S.ESCALATED, "reinspection_note": note, **ordering, **check}
        elif passed[k] and closed[k] < today:
            row |= {
                "status": S.CLOSED,
                "reinspection_note": "复查抽样检验合格",
                "closed_on": day(closed[k]),
                "closing_note": "复查合格，办结",
                **ordering,
                **check,
            }
        else:
            note = "复查抽样检验合格" if passed[k] else "复查仍不合格"
            row |= {"status": S.REINSPECTED, "reinspection_note": note, **ordering, **check}
        follow_ups.add(local_moment(day(reported[k]), 16), **row)
    for text in ("actions", "reinspection_note", "closing_note"):
        follow_ups.columns[text] = [v or "" for v in follow_ups.columns[text]]
    follow_ups.write(SampleFollowUp, [reprs[r] for r in rows.tolist()])
    return n
