"""The money and goods of the demo county's cases.

Fines and confiscated gains are paid into the treasury (罚没款入库) on the course's payment
days — within 15 days of the decision, or in one or two instalments during execution; a case
closed on 强制执行 leaves part unpaid — never above what was decided. Goods are confiscated by
the decision.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from xiaoneng.cases.models import CaseKind, Collection, ConfiscatedGoods
from xiaoneng.demo.days import local_moment
from xiaoneng.demo.inspections.context import Context
from xiaoneng.demo.rows import Rows
from xiaoneng.planning.patrol import schedule

K = CaseKind
CENT = Decimal("0.01")
GOODS: dict[str, tuple[tuple[str, str, float, float], ...]] = {
    # kind: (goods, measure, low, high quantity)
    K.AGRICULTURAL: (
        ("不合格化肥", "吨", 2, 40),
        ("不合格种子", "吨", 0.2, 3),
        ("不合格农药", "吨", 0.5, 8),
    ),
    K.COUNTERFEIT: (
        ("假冒注册商标白酒", "瓶", 12, 300),
        ("假冒品牌运动鞋", "双", 10, 200),
        ("假冒品牌服装", "件", 20, 400),
    ),
    K.FOOD: (("过期食品", "千克", 2, 60), ("无中文标签食品", "件", 5, 80)),
    K.ADVERTISING: (("违法印刷品广告", "份", 100, 3000),),
    K.PRODUCT_QUALITY: (("不合格电线电缆", "卷", 5, 120),),
}
DISPOSALS = ("依法销毁", "移交有关部门处理", "作无害化处理")


def collections(ctx: Context, rows: list[dict[str, Any]], ids: list[int]) -> Decimal:
    """罚没款入库: the payments of each decided case made by today; the total."""
    last = ctx.today_number - 1
    paid_in = Rows("case_id kind amount collected_on receipt_number unit_id")
    total = Decimal("0.00")
    for row, pk in zip(rows, ids, strict=True):
        course = row["_course"]
        payments = [d for d in course.payments if d <= last]
        if not payments or row["decided_on"] is None:
            continue
        due = {
            Collection.Kind.FINE: row["fine_decided"],
            Collection.Kind.CONFISCATION: row["confiscation_decided"],
        }
        for kind, amount in due.items():
            owed = (amount * Decimal(str(round(course.paid_share, 2)))).quantize(CENT)
            parts = len(course.payments)
            share = (owed / parts).quantize(CENT)
            for n, day in enumerate(payments):
                paid = owed - share * (parts - 1) if n == parts - 1 else share
                if paid <= 0:
                    continue
                on = schedule.to_date(day)
                paid_in.add(
                    local_moment(on, 11),
                    case_id=pk,
                    kind=kind,
                    amount=paid,
                    collected_on=on,
                    receipt_number=f"{row['region_code']}{on:%Y%m%d}{pk % 10000:04d}{n}",
                    unit_id=row["unit_id"],
                )
                total += paid
    paid_in.write(Collection, paid_in.columns["receipt_number"])
    return total


def goods(ctx: Context, rows: list[dict[str, Any]], ids: list[int]) -> None:
    """Goods confiscated by the decisions; the biggest farm case's are 篇2's 206 tonnes of
    fertiliser."""
    rng = ctx.rng
    taken = Rows("case_id description quantity measure value disposal")
    farm = [
        (r["case_value"], i)
        for i, r in enumerate(rows)
        if r["kind"] == K.AGRICULTURAL and r["decided_on"] is not None
    ]
    biggest = max(farm)[1] if farm else -1
    for index, (row, pk) in enumerate(zip(rows, ids, strict=True)):
        kinds = GOODS.get(row["kind"], ())
        if not kinds or row["decided_on"] is None or (index != biggest and rng.random() < 0.3):
            continue
        description, measure, low, high = kinds[int(rng.integers(len(kinds)))]
        quantity = Decimal(str(round(float(rng.uniform(low, high)), 1 if measure == "吨" else 0)))
        if index == biggest:  # 篇2: 没收不合格化肥206吨
            description, measure, quantity = "不合格化肥", "吨", Decimal("206")
        taken.add(
            local_moment(row["decided_on"], 16),
            case_id=pk,
            description=description,
            quantity=quantity.quantize(Decimal("0.001")),
            measure=measure,
            value=(row["case_value"] * Decimal("0.6")).quantize(CENT),
            disposal=DISPOSALS[int(rng.integers(len(DISPOSALS)))],
        )
    c = taken.columns
    reprs = [
        f"{d} {q.normalize()}{m}"
        for d, q, m in zip(c["description"], c["quantity"], c["measure"], strict=True)
    ]
    taken.write(ConfiscatedGoods, reprs)
