"""Money on a case: collections (罚没款入库) never above the decision, and confiscated goods."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from tests.cases.factories import make_case, make_collection
from tests.conftest import County
from xiaoneng.cases import money
from xiaoneng.cases.models import Case, Collection, ConfiscatedGoods
from xiaoneng.core.errors import Conflict, InvalidInput, NotPermitted

D = dt.date
S = Case.Status


@pytest.fixture
def decided(county: County) -> Case:
    return make_case(
        unit=county.east,
        status=S.DECIDED,
        decided_on=D(2026, 4, 15),
        fine="5000",
        confiscation="1200.50",
    )


def collect(county: County, case: Case, **values: Any) -> Collection:
    arguments: dict[str, Any] = {
        "case": case,
        "actor": county.east_officer,
        "kind": "fine",
        "amount": "3000",
        "collected_on": D(2026, 4, 20),
        "receipt_number": "6540020260001",
    }
    arguments.update(values)
    return money.record_collection(**arguments)


def test_a_collection_is_recorded_in_yuan_with_two_places(county: County, decided: Case) -> None:
    row = collect(county, decided, amount="3000")
    assert (row.amount, row.unit, row.kind) == (Decimal("3000.00"), county.east, "fine")
    assert [(line.kind, line.outstanding) for line in money.money_lines(decided)] == [
        ("fine", Decimal("2000.00")),
        ("confiscation", Decimal("1200.50")),
    ]


def test_collecting_more_than_decided_is_refused_naming_both_figures(
    county: County, decided: Case
) -> None:
    collect(county, decided, amount="3000")
    with pytest.raises(InvalidInput) as refused:
        collect(county, decided, amount="2500", receipt_number="6540020260002")
    assert refused.value.errors[0].message == (
        "罚款入库合计 5,500.00 元 将超过决定的罚款 5,000.00 元"
        "（已入库 3,000.00 元，本次 2,500.00 元）"
    )
    assert Collection.objects.count() == 1


def test_each_kind_is_held_to_its_own_decided_amount(county: County, decided: Case) -> None:
    collect(county, decided, amount="5000")
    collect(county, decided, kind="confiscation", amount="1200.50", receipt_number="2")
    with pytest.raises(InvalidInput):
        collect(county, decided, kind="confiscation", amount="0.01", receipt_number="3")
    assert money.outstanding(decided) == Decimal("0.00")


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"amount": "-5"}, "amount", "入库金额不能为负数：-5"),
        ({"amount": "0"}, "amount", "入库金额应大于 0：0"),
        ({"amount": "abc"}, "amount", "入库金额格式不正确：abc"),
        ({"amount": ""}, "amount", "请填写入库金额"),
        ({"kind": "bribe"}, "kind", "款项应为 fine（罚款）或 confiscation（没收违法所得）：bribe"),
        ({"receipt_number": " "}, "receipt_number", "请填写缴款书号"),
        (
            {"collected_on": D(2026, 4, 14)},
            "collected_on",
            "入库日期不能早于处罚决定日期 2026-04-15：2026-04-14",
        ),
    ],
)
def test_a_bad_collection_is_refused_naming_the_field(
    county: County, decided: Case, values: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        collect(county, decided, **values)
    assert (refused.value.errors[0].field, refused.value.errors[0].message) == (field, message)
    assert not Collection.objects.exists()


def test_a_collection_in_the_future_is_refused(county: County, decided: Case) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(InvalidInput) as refused:
        collect(county, decided, collected_on=tomorrow)
    assert refused.value.errors[0].message == f"入库日期不能晚于今天：{tomorrow}"


def test_a_receipt_is_recorded_once(county: County, decided: Case) -> None:
    collect(county, decided, amount="100")
    with pytest.raises(Conflict) as refused:
        collect(county, decided, amount="100")
    assert refused.value.message == "缴款书号已登记：6540020260001"


def test_money_is_collected_only_on_a_decided_or_executing_case(county: County) -> None:
    case = make_case(unit=county.east, status=S.INVESTIGATING)
    with pytest.raises(Conflict) as refused:
        collect(county, case)
    assert refused.value.message == ("案件状态为“调查”，只有决定或执行阶段的案件可以登记罚没款入库")
    executing = make_case(unit=county.east, status=S.EXECUTING, fine="100")
    collect(county, executing, amount="100", collected_on=executing.decided_on)
    assert Collection.objects.count() == 1


def test_another_stations_officer_cannot_record_money(county: County, decided: Case) -> None:
    with pytest.raises(NotPermitted):
        collect(county, decided, actor=county.west_officer)
    assert not Collection.objects.exists()


def test_outstanding_counts_what_was_collected(county: County, decided: Case) -> None:
    make_collection(decided, "1000")
    make_collection(decided, "200.50", kind="confiscation")
    assert money.outstanding(decided) == Decimal("5000.00")


# Goods ------------------------------------------------------------------------------------------


def goods(county: County, case: Case, **values: Any) -> ConfiscatedGoods:
    arguments: dict[str, Any] = {
        "case": case,
        "actor": county.east_officer,
        "description": "不合格化肥",
        "quantity": "206",
        "measure": "吨",
        "value": "412000",
        "disposal": "监督销毁",
    }
    arguments.update(values)
    return money.record_goods(**arguments)


def test_confiscated_goods_are_recorded_with_quantity_and_measure(
    county: County, decided: Case
) -> None:
    row = goods(county, decided)
    seeds = goods(county, decided, description="不合格种子", quantity="4.95", value="")
    assert str(row) == "不合格化肥 206吨"
    assert (seeds.quantity, seeds.value) == (Decimal("4.950"), Decimal("0.00"))


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"quantity": "0"}, "quantity", "数量应大于 0：0"),
        ({"quantity": "-3"}, "quantity", "数量不能为负数：-3"),
        ({"quantity": "1.0001"}, "quantity", "数量最多 3 位小数：1.0001"),
        ({"measure": ""}, "measure", "请填写计量单位（如：吨、件、瓶）"),
        ({"description": ""}, "description", "请填写物品名称"),
        ({"value": "-1"}, "value", "货值不能为负数：-1"),
    ],
)
def test_bad_goods_are_refused_naming_the_field(
    county: County, decided: Case, values: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        goods(county, decided, **values)
    assert (field, message) in [(e.field, e.message) for e in refused.value.errors]
    assert not ConfiscatedGoods.objects.exists()


def test_goods_are_recorded_only_on_a_decided_or_executing_case(county: County) -> None:
    case = make_case(unit=county.east, status=S.CLOSED)
    with pytest.raises(Conflict):
        goods(county, case)
