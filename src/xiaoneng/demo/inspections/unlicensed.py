"""The demo county's unlicensed operators (无照经营, 篇7) found in the grids over the year.

As ``inspections.unlicensed`` deals with them (《无证无照经营查处办法》第2、6条): the recent
ones just found, others being guided to a licence, older ones licensed (linked to the entity
registered soon after in the same unit), banned until they stopped, or escalated to a case
(the case is the cases demo's).
"""

from __future__ import annotations

import numpy as np

from xiaoneng.demo.days import local_moment
from xiaoneng.demo.geography import KM_PER_LAT, KM_PER_LON
from xiaoneng.demo.inspections.context import Context
from xiaoneng.demo.names import person_names
from xiaoneng.demo.rows import Rows
from xiaoneng.inspections.models import UnlicensedOperator
from xiaoneng.planning.patrol import schedule

U = UnlicensedOperator.Status
RATE = 0.0015  # found in a year, per entity of the register
KINDS = (
    ("烧烤摊", "烧烤、餐饮"),
    ("水果摊", "果品零售"),
    ("理发店", "理发"),
    ("二手手机店", "通讯器材零售、维修"),
    ("小卖部", "日用百货零售"),
    ("农资门市", "化肥、农药零售"),
    ("废品收购站", "废旧物资回收"),
    ("洗车店", "汽车清洗"),
    ("馕坑", "馕制作、销售"),
    ("补胎铺", "轮胎修补"),
    ("麻辣烫店", "小吃"),
    ("台球室", "台球娱乐"),
)
OUTCOMES: dict[str, str] = {
    U.LICENSED: "经引导已办理营业执照，纳入经济户口管理",
    U.CEASED: "依法责令停止经营，复查时已停止经营活动",
    U.GUIDED: "已告知办照所需材料，正在引导办理营业执照",
}


def _status(age: int, draw: float) -> str:
    """Where an operator found ``age`` days ago stands."""
    if age < 14:
        return U.FOUND
    if age < 45:
        return U.GUIDED if draw < 0.6 else U.CEASED
    if draw < 0.45:
        return U.LICENSED
    return U.CEASED if draw < 0.85 else U.ESCALATED


def unlicensed_operators(ctx: Context) -> int:
    """Operators without a licence found near the register's businesses; how many."""
    p, rng = ctx.population, ctx.rng
    active = np.flatnonzero((p.status == "operating") & (p.grid >= 0))
    n = min(active.size, max(4, round(len(p) * RATE)))
    near = rng.choice(active, n, replace=False)
    found = ctx.days.pick(rng, np.full(n, ctx.window_number), np.full(n, ctx.today_number - 1))
    order = np.argsort(found, kind="stable")
    near, found = near[order], found[order]
    kinds = rng.integers(0, len(KINDS), n).tolist()
    operators, _latin = person_names(rng, n)
    officer = ctx.people.responsible(p.grid[near], p.unit[near])
    east = rng.uniform(-150, 150, n) / 1000 / KM_PER_LON
    north = rng.uniform(-150, 150, n) / 1000 / KM_PER_LAT
    draw = rng.random(n)
    used: set[int] = set()
    rows = Rows(
        "name operator address business longitude latitude region_code unit_id found_on "
        "found_by_id status entity_id closed_on outcome"
    )
    for k, row in enumerate(near.tolist()):
        day = int(found[k])
        if day < 0 or officer[k] <= 0:
            continue
        status = _status(ctx.today_number - day, float(draw[k]))
        entity, closed = None, None
        if status == U.LICENSED:
            entity, closed = _licensed(ctx, row, day, used)
            status = U.LICENSED if entity else U.GUIDED
        elif status == U.CEASED:
            closed = min(day + int(rng.integers(3, 30)), ctx.today_number - 1)
        surname = operators[k].split("·")[0] if "·" in operators[k] else operators[k][0]
        on = schedule.to_date(day)
        rows.add(
            local_moment(on, 17),
            name=f"{surname}{KINDS[kinds[k]][0]}",
            operator=operators[k],
            address=f"{p.address[row]}附近",
            business=KINDS[kinds[k]][1],
            longitude=round(float(p.longitude[row] + east[k]), 6),
            latitude=round(float(p.latitude[row] + north[k]), 6),
            region_code=p.region[row],
            unit_id=int(p.unit[row]),
            found_on=on,
            found_by_id=int(officer[k]),
            status=status,
            entity_id=entity,
            closed_on=schedule.to_date(closed) if closed is not None else None,
            outcome=OUTCOMES.get(status, ""),
        )
    rows.write(UnlicensedOperator, rows.columns["name"])
    return len(rows)


def _licensed(ctx: Context, row: int, day: int, used: set[int]) -> tuple[int | None, int | None]:
    """The entity registered in the operator's unit within two months of it being found, and
    the day (None when there is none)."""
    p = ctx.population
    candidates = np.flatnonzero(
        (p.unit == p.unit[row])
        & (p.registered > day + 3)
        & (p.registered <= min(day + 60, ctx.today_number - 1))
    )
    free = [c for c in candidates.tolist() if c not in used]
    if not free:
        return None, None
    chosen = free[int(ctx.rng.integers(len(free)))]
    used.add(chosen)
    return int(p.id[chosen]), int(p.registered[chosen])
