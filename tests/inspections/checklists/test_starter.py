"""The starter checklists (篇8) and which checklist applies to an entity."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from tests.conftest import County
from tests.registry.factories import make_entity
from xiaoneng.core.tabular import RowError
from xiaoneng.inspections.checklists import files as checklist_files
from xiaoneng.inspections.checklists import services as checklists
from xiaoneng.inspections.models import Checklist
from xiaoneng.registry.models import Industry, Licence

STARTER = {
    "food-retail": "onsite",
    "catering": "onsite",
    "pharmacy": "onsite",
    "hazardous-chemicals": "onsite",
    "agricultural-supplies": "onsite",
    "advertising": "onsite",
    "general-trade": "onsite",
    "documentary": "documentary",
}
ARTICLE = re.compile(r"《[^》]+》.*第[一二三四五六七八九十百]+条")
DAY = dt.date(2026, 3, 2)


def test_the_starter_set_is_loaded_as_version_1_effective_on_new_year(db: Any) -> None:
    loaded = {c.code: c for c in Checklist.objects.filter(code__in=STARTER)}
    assert set(loaded) == set(STARTER)
    for code, kind in STARTER.items():
        checklist = loaded[code]
        assert (checklist.version, checklist.kind) == (1, kind), code
        assert checklist.effective_on == dt.date(2026, 1, 1)
        assert checklist.retired_on is None
        assert 8 <= checklist.items.count() <= 15, code


def test_every_starter_item_cites_a_law_and_an_article_and_has_a_severity(db: Any) -> None:
    items = [i for c in Checklist.objects.filter(code__in=STARTER) for i in c.items.all()]
    assert len(items) > 80
    for item in items:
        assert ARTICLE.search(item.legal_basis), (item.checklist.code, item.number)
        assert item.severity in {"minor", "major", "critical"}
        assert item.title and item.method


def test_every_starter_file_passes_the_import_checks(db: Any) -> None:
    for data in checklist_files.starter_set():
        rows = [[c.label for c in checklist_files.COLUMNS]] + [
            [i["number"], i["title"], i["method"], i["legal_basis"], i["severity"]]
            for i in data["items"]
        ]
        assert len(checklist_files.read_items(rows=rows)) == len(data["items"]), data["code"]
        prefixes = data["industry_prefixes"].split()
        assert Industry.objects.filter(code__in=prefixes).count() == len(prefixes), data["code"]


def test_the_starter_checklists_cite_the_laws_the_issue_names(db: Any) -> None:
    bases = {
        c.code: " ".join(c.items.values_list("legal_basis", flat=True))
        for c in Checklist.objects.filter(code__in=STARTER)
    }
    assert "《中华人民共和国食品安全法》第三十三条第一款第（一）项" in bases["food-retail"]
    assert "第五十三条第一款" in bases["pharmacy"]
    assert "《危险化学品安全管理条例》第三十四条" in bases["hazardous-chemicals"]
    for law in ("《农药管理条例》", "《中华人民共和国种子法》", "《肥料登记管理办法》"):
        assert law in bases["agricultural-supplies"]
    assert "《中华人民共和国广告法》第三十四条第一款" in bases["advertising"]
    for law in (
        "《无证无照经营查处办法》",
        "《中华人民共和国产品质量法》",
        "《中华人民共和国价格法》",
    ):
        assert law in bases["general-trade"]
    assert "《中华人民共和国消费者权益保护法》" in bases["general-trade"]
    assert "《企业信息公示暂行条例》第八条" in bases["documentary"]


@pytest.mark.parametrize(
    ("industry", "kind", "code"),
    [
        ("F5221", "onsite", "food-retail"),  # 粮油零售 under F522
        ("F5212", "onsite", "food-retail"),  # 超级市场零售
        ("H6210", "onsite", "catering"),  # 正餐服务
        ("H6291", "onsite", "catering"),  # 小吃服务
        ("F5251", "onsite", "pharmacy"),
        ("F5169", "onsite", "hazardous-chemicals"),
        ("F5167", "onsite", "agricultural-supplies"),  # 农药批发
        ("L7259", "onsite", "advertising"),
        ("F5232", "onsite", "general-trade"),  # 服装零售: no specific checklist
        ("H6210", "documentary", "documentary"),
        ("F5221", "documentary", "documentary"),
    ],
)
def test_checklist_for_picks_the_checklist_of_the_entitys_trade(
    county: County, industry: str, kind: str, code: str
) -> None:
    entity = make_entity(industry=industry)
    assert checklists.checklist_for(entity=entity, kind=kind, on=DAY).code == code


def test_the_longest_matching_prefix_wins(county: County) -> None:
    checklist_files.import_version(
        code="bakery",
        actor=None,
        effective_on=dt.date(2026, 2, 1),
        rows=[
            ["序号", "检查事项", "检查内容与方法", "法律依据", "严重程度"],
            ["1", "糕点标签", "查看标签", "《中华人民共和国食品安全法》第六十七条", "较重"],
        ],
        title="糕点面包零售检查清单",
        kind="onsite",
        industry_prefixes="F5222",
    )
    bakery = make_entity(industry="F5222")
    grocer = make_entity(industry="F5221")
    assert checklists.checklist_for(entity=bakery, kind="onsite", on=DAY).code == "bakery"
    assert checklists.checklist_for(entity=grocer, kind="onsite", on=DAY).code == "food-retail"
    # Before the bakery checklist's effective date the food-retail one still applies.
    january = dt.date(2026, 1, 15)
    assert checklists.checklist_for(entity=bakery, kind="onsite", on=january).code == "food-retail"


def test_a_licence_chooses_the_checklist_when_the_trade_matches_none(county: County) -> None:
    store = make_entity(industry="F5299")  # 其他未列明零售业
    Licence.objects.create(
        entity=store, kind="pesticide", number="农药经营许可（新）654002001", issued=DAY
    )
    assert checklists.checklist_for(entity=store, kind="onsite", on=DAY).code == (
        "agricultural-supplies"
    )


def test_the_trade_wins_over_a_licence(county: County) -> None:
    restaurant = make_entity(industry="H6220")
    Licence.objects.create(entity=restaurant, kind="tobacco", number="T-1", issued=DAY)
    Licence.objects.create(entity=restaurant, kind="food_business", number="JY1", issued=DAY)
    assert checklists.checklist_for(entity=restaurant, kind="onsite", on=DAY).code == "catering"


def test_no_checklist_in_force_is_a_clear_error(county: County) -> None:
    entity = make_entity(industry="F5232")
    with pytest.raises(checklists.ChecklistUnknown) as refused:
        checklists.checklist_for(entity=entity, kind="onsite", on=dt.date(2025, 12, 31))
    assert refused.value.message == "2025-12-31 没有施行中的“实地检查”检查清单"


def test_an_unknown_kind_is_refused(county: County) -> None:
    entity = make_entity(industry="F5232")
    with pytest.raises(checklists.InvalidInput) as refused:
        checklists.checklist_for(entity=entity, kind="remote", on=DAY)
    assert refused.value.errors[0].message == "检查方式应为 onsite 或 documentary：remote"


def test_current_versions_lists_one_version_per_code(db: Any) -> None:
    current = checklists.current_versions(on=DAY)
    assert [c.code for c in current] == sorted(STARTER)
    assert [c.code for c in checklists.current_versions(on=DAY, kind="documentary")] == [
        "documentary"
    ]
    assert checklists.current_versions(on=dt.date(2025, 6, 1)) == []


def test_load_starter_set_restores_a_missing_checklist(db: Any) -> None:
    Checklist.objects.get(code="advertising").delete()
    made = checklist_files.load_starter_set()
    assert [c.code for c in made] == ["advertising"]
    assert Checklist.objects.get(code="advertising").items.count() == 13
    assert checklist_files.load_starter_set() == []


def test_row_error_reads_row_column_message() -> None:
    assert str(RowError(3, "严重程度", "必填")) == "row 3, 严重程度: 必填"
