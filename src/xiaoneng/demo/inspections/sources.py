"""Which inspections the demo county made in the past year (``gather``).

The done tasks of the year's plans and campaigns (each gets its record), the published
double-random draws (the drawn team inspects), complaints (12315), ad hoc checks, two market
days on which one officer signs more visits than possible, and visits that find deregistered
entities still operating (退出督查). ``visits.complete`` then gives each visit its checklist,
its failed items, a partner where two officers are needed, and whether it is a plain record.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from xiaoneng.demo.days import numbers
from xiaoneng.demo.inspections.context import Context
from xiaoneng.demo.inspections.visits import Visits, complete
from xiaoneng.demo.planning.propensity import draw_failures, propensity
from xiaoneng.inspections.models import Inspection
from xiaoneng.planning.draws.models import DrawInspector, DrawSelection, RandomDraw
from xiaoneng.planning.patrol.models import Plan, Task
from xiaoneng.registry.models import Entity

ORIGIN = Inspection.Origin
COMPLAINT_RATE = 0.015  # complaints a year per operating entity
AD_HOC_RATE = 0.006
EXIT_RATE = 0.0004
DRAW_RATE = 0.08  # drawn visits that find a problem
COMPLAINT_FOUND = 0.4  # complaints that prove true
AD_HOC_FOUND = 0.15
MARKET_VISITS = 14  # one officer's visits on a market day: more than the trace allows
FOOD = ("F52", "H6", "F512", "C14")
MARKET = ("F5223", "F5224", "F5291", "F5221", "F5222")
FOOD_COMPLAINTS = (
    "反映该店销售过期食品",
    "反映购买的熟食有异味",
    "反映店内散装食品未标明生产日期",
    "反映该店后厨卫生条件差",
    "反映菜品中吃出异物",
)
OTHER_COMPLAINTS = (
    "反映商品未明码标价",
    "反映经营者拒绝退换有质量问题的商品",
    "反映该店以次充好、短斤缺两",
    "反映预付卡余额无法退还",
    "反映经营者夸大宣传商品功效",
)
AD_HOC_REASONS = (
    "节前市场安全检查",
    "根据县局通知开展的临时检查",
    "大型活动保障前的检查",
    "网格巡查中发现异常，临时入户检查",
)


def _photos(ctx: Context, failures: np.ndarray, share: float | np.ndarray) -> np.ndarray:
    """A photo of what failed, and of a ``share`` of the other visits (a sample: the demo
    keeps its files few)."""
    taken = ctx.rng.random(failures.size) < share
    return ((failures > 0) | taken).astype(np.int64)


def _failures(ctx: Context, rate: float, entity: np.ndarray) -> np.ndarray:
    """How many items fail at each visit: ``rate`` of the visits find something, the more
    prone the entity the likelier (``demo.planning.propensity``)."""
    n = entity.size
    found = draw_failures(ctx.rng.random(n), rate, propensity(entity))
    extra = ctx.rng.choice([0, 1, 2], n, p=[0.8, 0.17, 0.03])
    return np.where(found, 1 + extra, 0)


def _active(ctx: Context) -> np.ndarray:
    p = ctx.population
    return np.flatnonzero((p.status == Entity.Status.OPERATING) & (p.grid >= 0))


def _days_after_registration(ctx: Context, rows: np.ndarray) -> np.ndarray:
    first = np.maximum(ctx.population.registered[rows] + 1, ctx.window_number)
    return ctx.days.pick(ctx.rng, first, np.full(rows.size, ctx.today_number - 1))


def from_tasks(ctx: Context) -> Visits:
    """The record of each task done in the year (the opening records were on paper)."""
    rows = list(
        Task.objects.filter(status=Task.Status.DONE, done_on__gte=ctx.window, done_on__lt=ctx.today)
        .exclude(plan__kind=Plan.Kind.REINSPECTION)
        .order_by("id")
        .values_list(
            "id",
            "entity_id",
            "unit_id",
            "done_on",
            "done_by_id",
            "plan__kind",
            "violation_found",
            "note",
        )
    )
    n = len(rows)
    if not n:
        return Visits.make(0, **_empty())
    task, entity, unit, done_on, done_by, kind, violation, note = (
        list(c) for c in zip(*rows, strict=True)
    )
    violation_found = np.array(violation, dtype=bool)
    patrol = np.array([k == Plan.Kind.PATROL for k in kind])
    risk = ctx.population.risk[ctx.population.rows(entity)]
    rng = ctx.rng
    documentary = (
        patrol
        & (risk == "III")
        & ~violation_found
        & (rng.random(n) < 0.12)
        & (ctx.checklists.documentary is not None)
    )
    failures = np.where(violation_found, 1 + rng.choice([0, 1], n, p=[0.8, 0.2]), 0)
    photos = _photos(ctx, failures, np.where(patrol, 0.03, 0.1))
    return Visits.make(
        n,
        entity=np.array(entity, dtype=np.int64),
        unit=np.array(unit, dtype=np.int64),
        day=numbers(done_on),
        origin=np.where(patrol, ORIGIN.PATROL, ORIGIN.CAMPAIGN).astype(object),
        task=np.array(task, dtype=np.int64),
        lead=np.array(done_by, dtype=np.int64),
        enforcement=violation_found | ~patrol,
        documentary=documentary,
        photos=np.where(documentary, 0, photos),
        failures=failures,
        summary=[text or "检查未发现问题。" for text in note],
        violation=[text if v else "" for text, v in zip(note, violation, strict=True)],
    )


def _empty() -> dict[str, Any]:
    return {
        "entity": np.zeros(0, dtype=np.int64),
        "unit": np.zeros(0, dtype=np.int64),
        "day": np.zeros(0, dtype=np.int64),
        "origin": np.zeros(0, dtype=object),
        "lead": np.zeros(0, dtype=np.int64),
        "summary": [],
    }


def from_draws(ctx: Context) -> Visits:
    """The drawn teams' inspections of the published draws, between the draw and its end."""
    draws = {
        pk: (name, drawn_at, end)
        for pk, name, drawn_at, end in RandomDraw.objects.filter(
            status=RandomDraw.Status.PUBLISHED
        ).values_list("pk", "name", "drawn_at", "inspections_end")
    }
    selections = list(
        DrawSelection.objects.filter(draw_id__in=list(draws))
        .order_by("draw_id", "order")
        .values_list("pk", "draw_id", "entity_id")
    )
    if not selections:
        return Visits.make(0, **_empty())
    team: dict[tuple[int, int], int] = {
        (s, p): o
        for s, p, o in DrawInspector.objects.filter(selection__draw_id__in=list(draws)).values_list(
            "selection_id", "position", "officer_id"
        )
    }
    n = len(selections)
    first = numbers(
        [dt.date.fromordinal(_local_date(draws[d][1]).toordinal() + 1) for _s, d, _e in selections]
    )
    last = np.minimum(numbers([draws[d][2] for _s, d, _e in selections]), ctx.today_number - 1)
    day = ctx.days.pick(ctx.rng, first, last)
    entity = np.array([e for _s, _d, e in selections], dtype=np.int64)
    failures = _failures(ctx, DRAW_RATE, entity)
    summary = [
        f"“双随机、一公开”抽查（{draws[d][0]}）："
        + ("发现问题，已责令改正。" if f else "按抽查事项逐项检查，未发现问题。")
        for (_s, d, _e), f in zip(selections, failures.tolist(), strict=True)
    ]
    visits = Visits.make(
        n,
        entity=entity,
        unit=ctx.population.unit[ctx.population.rows(entity)],
        day=day,
        origin=ORIGIN.DRAW,
        lead=np.array([team.get((s, 1), 0) for s, _d, _e in selections], dtype=np.int64),
        partner=np.array([team.get((s, 2), 0) for s, _d, _e in selections], dtype=np.int64),
        enforcement=np.ones(n, dtype=bool),
        photos=_photos(ctx, failures, 0.1),
        failures=failures,
        summary=summary,
    )
    return visits.take(np.flatnonzero((day >= 0) & (visits.lead > 0)))


def _local_date(moment: dt.datetime | None) -> dt.date:
    assert moment is not None, "a published draw has been drawn"
    return moment.astimezone(dt.timezone(dt.timedelta(hours=8))).date()


def complaints(ctx: Context) -> Visits:
    """Visits on a complaint (12315): food businesses draw most; many prove true."""
    p, rng = ctx.population, ctx.rng
    active = _active(ctx)
    n = round(active.size * COMPLAINT_RATE)
    if not n:
        return Visits.make(0, **_empty())
    food = p.industry_in(FOOD)[active]
    weight = np.where(food, 3.0, 1.0)
    rows = np.sort(rng.choice(active, n, replace=False, p=weight / weight.sum()))
    day = _days_after_registration(ctx, rows)
    is_food = p.industry_in(FOOD)[rows]
    failures = _failures(ctx, COMPLAINT_FOUND, p.id[rows])
    texts = [
        (FOOD_COMPLAINTS if f else OTHER_COMPLAINTS)[int(rng.integers(5))] for f in is_food.tolist()
    ]
    summary = [
        f"接12315投诉举报：{text}。"
        + (
            "经现场核查，反映情况属实，已责令改正。"
            if bad
            else "经现场核查，未发现所反映的问题，已向投诉人反馈。"
        )
        for text, bad in zip(texts, failures.tolist(), strict=True)
    ]
    visits = Visits.make(
        n,
        entity=p.id[rows],
        unit=p.unit[rows],
        day=day,
        origin=ORIGIN.COMPLAINT,
        lead=ctx.people.responsible(p.grid[rows], p.unit[rows]),
        enforcement=np.ones(n, dtype=bool),
        photos=_photos(ctx, failures, 0.3),
        failures=failures,
        summary=summary,
        violation=[t if f else "" for t, f in zip(texts, failures.tolist(), strict=True)],
    )
    return visits.take(np.flatnonzero((day >= 0) & (visits.lead > 0)))


def ad_hoc(ctx: Context) -> Visits:
    """Ad hoc checks (临时检查) across the county."""
    p, rng = ctx.population, ctx.rng
    active = _active(ctx)
    n = round(active.size * AD_HOC_RATE)
    if not n:
        return Visits.make(0, **_empty())
    rows = np.sort(rng.choice(active, n, replace=False))
    day = _days_after_registration(ctx, rows)
    failures = _failures(ctx, AD_HOC_FOUND, p.id[rows])
    reasons = rng.integers(0, len(AD_HOC_REASONS), n).tolist()
    visits = Visits.make(
        n,
        entity=p.id[rows],
        unit=p.unit[rows],
        day=day,
        origin=ORIGIN.AD_HOC,
        lead=ctx.people.responsible(p.grid[rows], p.unit[rows]),
        enforcement=failures > 0,
        photos=_photos(ctx, failures, 0.1),
        failures=failures,
        summary=[
            f"临时检查（{AD_HOC_REASONS[r]}）："
            + ("发现问题，已责令改正。" if f else "未发现问题。")
            for r, f in zip(reasons, failures.tolist(), strict=True)
        ],
    )
    return visits.take(np.flatnonzero((day >= 0) & (visits.lead > 0)))


def market_days(ctx: Context) -> Visits:
    """Two days on which the officer of the busiest market grid checks every stall (more
    visits than the trace checks allow in a day: the director clears it)."""
    p, rng = ctx.population, ctx.rng
    active = _active(ctx)
    stalls = active[p.industry_in(MARKET)[active]]
    if not stalls.size:
        return Visits.make(0, **_empty())
    officer = ctx.people.responsible(p.grid[stalls], p.unit[stalls])
    ids, counts = np.unique(officer[officer > 0], return_counts=True)
    if not ids.size:
        return Visits.make(0, **_empty())
    chosen = int(ids[np.argmax(counts)])
    mine = stalls[officer == chosen]
    parts = []
    span = max((ctx.today_number - 1) - ctx.window_number, 1)
    for number, share in enumerate((0.3, 0.75)):
        day = int(ctx.days.forward(np.array([ctx.window_number + int(span * share)]))[0])
        if day >= ctx.today_number:
            continue
        free = mine[p.registered[mine] < day]
        rows = np.sort(rng.choice(free, min(MARKET_VISITS, free.size), replace=False))
        n = rows.size
        name = "农贸市场" if number == 0 else "夜市"
        parts.append(
            Visits.make(
                n,
                entity=p.id[rows],
                unit=p.unit[rows],
                day=np.full(n, day, dtype=np.int64),
                origin=ORIGIN.AD_HOC,
                lead=np.full(n, chosen, dtype=np.int64),
                photos=_photos(ctx, np.zeros(n, dtype=np.int64), 0.2),
                summary=[f"{name}集中检查：逐户查看证照、明码标价和计量器具，未发现问题。"] * n,
            )
        )
    return Visits.concat(parts) if parts else Visits.make(0, **_empty())


def exits(ctx: Context) -> Visits:
    """Deregistered or revoked entities found still operating (退出督查, 篇7)."""
    p, rng = ctx.population, ctx.rng
    gone = np.flatnonzero(
        np.isin(p.status, [Entity.Status.DEREGISTERED, Entity.Status.REVOKED]) & (p.grid >= 0)
    )
    n = min(gone.size, max(3, round(len(p) * EXIT_RATE)))
    if not n:
        return Visits.make(0, **_empty())
    rows = np.sort(rng.choice(gone, n, replace=False))
    day = _days_after_registration(ctx, rows)
    labels = dict(Entity.Status.choices)
    status = [str(labels[s]) for s in p.status[rows].tolist()]
    visits = Visits.make(
        n,
        entity=p.id[rows],
        unit=p.unit[rows],
        day=day,
        origin=ORIGIN.AD_HOC,
        lead=ctx.people.responsible(p.grid[rows], p.unit[rows]),
        enforcement=np.ones(n, dtype=bool),
        exit=np.ones(n, dtype=bool),
        photos=np.ones(n, dtype=np.int64),
        failures=np.ones(n, dtype=np.int64),
        summary=[
            f"退出督查：该户登记状态为“{s}”，现场检查发现仍在原址经营，已责令立即停止经营活动。"
            for s in status
        ],
        violation=["营业执照已注销（吊销）仍从事经营活动，未亮照经营"] * n,
    )
    return visits.take(np.flatnonzero((day >= 0) & (visits.lead > 0)))


def unplanned(ctx: Context) -> Visits:
    """The visits no patrol plan made: the drawn teams', complaints, ad hoc checks, market
    days and exit checks. They are chosen before the year's patrol plans are written, so that
    each plan reads the visits made before it (every signed inspection restarts the interval)."""
    return Visits.concat(
        [from_draws(ctx), complaints(ctx), ad_hoc(ctx), market_days(ctx), exits(ctx)]
    )


def gather(ctx: Context, others: Visits) -> Visits:
    """Every first visit of the year: the done tasks' and ``others`` (``unplanned``), with
    checklists, failed items, teams and photos."""
    visits = Visits.concat([from_tasks(ctx), others])
    order = np.lexsort((visits.entity, visits.day))
    visits = visits.take(order)
    complete(ctx, visits)
    return visits
