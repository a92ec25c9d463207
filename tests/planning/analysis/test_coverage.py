"""Coverage and overlap (篇3): duplicates and blanks on a hand-made table, edges, drill-down."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from tests.conftest import County
from tests.registry.factories import make_entity
from xiaoneng.core.errors import InvalidInput
from xiaoneng.planning.analysis import coverage as coverages
from xiaoneng.planning.analysis.models import Department, EntityMeasure, ResponsibilityRule
from xiaoneng.registry.models import Entity

SAFETY, FOOD = "work_safety", "food_safety"


@dataclass
class Table:
    """The departments, rules and entities of the hand-made case."""

    departments: dict[str, Department]
    rules: dict[str, ResponsibilityRule]
    entities: dict[str, Entity]


def rule(department: Department, prefix: str, **values: Any) -> ResponsibilityRule:
    values.setdefault("matter", SAFETY)
    values.setdefault("legal_basis", "《安全生产法》")
    return ResponsibilityRule.objects.create(
        department=department, industry_prefix=prefix, **values
    )


def entity(county: County, name: str, industry: str, area: float | None, **values: Any) -> Entity:
    point = county.west_point() if values.pop("west", False) else county.east_point()
    made = make_entity(
        name=name, industry=industry, longitude=point[0], latitude=point[1], **values
    )
    if area is not None:
        EntityMeasure.objects.create(entity=made, floor_area_m2=area, employees=10)
    return made


def make_departments(county: County) -> dict[str, Department]:
    return {
        "commerce": Department.objects.create(code="COM", name="商务局", bureau=county.bureau),
        "safety": Department.objects.create(code="SAFE", name="应急管理局", bureau=county.bureau),
        "street": Department.objects.create(code="STREET", name="街道办事处", bureau=county.bureau),
        "food": Department.objects.create(
            code="FOOD", name="信用监管科", bureau=county.bureau, unit=county.division
        ),
    }


@pytest.fixture
def table(county: County) -> Table:
    return build_table(county)


def build_table(county: County) -> Table:
    """Rules in the manner of 篇3, and entities on both sides of every bound."""
    d = make_departments(county)
    rules = {
        "commerce_big": rule(d["commerce"], "F521", min_value=1000),
        "safety_big": rule(d["safety"], "F521", min_value=1000),
        "street_big": rule(d["street"], "F52", min_value=1000),
        "safety_restaurants": rule(d["safety"], "H62", min_value=500),
        "commerce_small": rule(d["commerce"], "F5212", max_value=1000),
        "food": rule(d["food"], "H62", matter=FOOD, legal_basis="《食品安全法》"),
    }
    archived = entity(county, "已归档大超市", "F5212", 5000)
    archived.archived_at = timezone.now()
    archived.save()
    entities = {
        "mall": entity(county, "东城购物中心", "F5212", 1000),  # exactly the lower bound
        "shop": entity(county, "东城便民超市", "F5212", 999.99),
        "big_restaurant": entity(county, "东城大酒楼", "H6210", 500),
        "small_restaurant": entity(county, "东城拉面馆", "H6210", 499),
        "salon": entity(county, "东城美发店", "O8040", 80),
        "unmeasured": entity(county, "东城百货商店", "F5211", None),
        "closed": entity(county, "已注销超市", "F5212", 3000, status="deregistered"),
        "west_mall": entity(county, "西城百货大楼", "F5211", 3000, west=True),
    }
    return Table(d, rules, entities)


def names(coverage: coverages.Coverage, kind: str) -> list[str]:
    positions = coverages.drill_positions(coverage, coverages.Drill(kind=kind))
    return [row.entity.name for row in coverages.rows(coverage, positions)]


def test_duplicates_and_blanks_of_the_hand_made_table(county: County, table: Table) -> None:
    coverage = coverages.compute(matter=SAFETY, user=county.leader)
    assert names(coverage, "duplicate") == ["东城购物中心", "西城百货大楼"]
    assert names(coverage, "blank") == ["东城拉面馆", "东城美发店", "东城百货商店"]
    summary = coverages.summarise(coverage)
    assert (summary.total, summary.duplicates, summary.blanks) == (7, 2, 3)
    assert summary.blanks_without_measure == 1
    assert summary.combinations == [
        coverages.Group("COM,SAFE,STREET", "商务局、应急管理局、街道办事处", 2)
    ]
    assert summary.by_station["duplicate"] == [
        coverages.Group("S-E", "城东所", 1),
        coverages.Group("S-W", "城西所", 1),
    ]
    assert summary.by_industry["blank"] == [
        coverages.Group("F5211", "百货零售", 1),
        coverages.Group("H6210", "正餐服务", 1),
        coverages.Group("O8040", "理发及美容服务", 1),
    ]


def test_a_band_includes_its_lower_bound_and_excludes_its_upper_bound(
    county: County, table: Table
) -> None:
    coverage = coverages.compute(matter=SAFETY, user=county.leader)
    position = {pk: i for i, pk in enumerate(coverage.population.ids.tolist())}
    rules = table.rules
    mall = position[table.entities["mall"].pk]  # 1000 m²: ≥ 1000 yes, < 1000 no
    assert coverage.rules_of(mall) == [
        rules["street_big"],  # in the table's order: industry, then department
        rules["commerce_big"],
        rules["safety_big"],
    ]
    shop = position[table.entities["shop"].pk]  # 999.99 m²: < 1000 yes, ≥ 1000 no
    assert coverage.rules_of(shop) == [rules["commerce_small"]]
    big = position[table.entities["big_restaurant"].pk]  # 500 m²: ≥ 500 yes
    assert coverage.rules_of(big) == [rules["safety_restaurants"]]
    assert [d.code for d in coverage.departments_of(shop)] == ["COM"]


def test_matters_are_counted_apart(county: County, table: Table) -> None:
    food = coverages.compute(matter=FOOD, user=county.leader)
    assert names(food, "duplicate") == []
    # Food safety concerns the industries its rules name (H62): the salon is no food blank.
    assert names(food, "blank") == []
    assert coverages.summarise(food).total == 2
    rule(table.departments["food"], "F5212", matter=FOOD, min_value=1000)
    food = coverages.compute(matter=FOOD, user=county.leader)
    assert names(food, "blank") == ["东城便民超市"]
    assert coverages.summarise(food).total == 4


def test_a_region_limits_a_rule_by_prefix(county: County, table: Table) -> None:
    rule(table.departments["street"], "O80", region_code="6540")
    rule(table.departments["safety"], "O80", region_code="6541")
    coverage = coverages.compute(matter=SAFETY, user=county.leader)
    assert "东城美发店" not in names(coverage, "blank")
    assert "东城美发店" not in names(coverage, "duplicate")


def test_drill_down_by_industry_station_and_department_set(county: County, table: Table) -> None:
    coverage = coverages.compute(matter=SAFETY, user=county.leader)

    def drill(**values: str) -> list[str]:
        positions = coverages.drill_positions(coverage, coverages.Drill(**values))
        return [row.entity.name for row in coverages.rows(coverage, positions)]

    assert drill(kind="blank", industry="H62") == ["东城拉面馆"]
    assert drill(kind="duplicate", station="S-W") == ["西城百货大楼"]
    assert drill(kind="duplicate", departments="COM,SAFE,STREET") == [
        "东城购物中心",
        "西城百货大楼",
    ]
    assert drill(kind="duplicate", departments="COM,SAFE") == []
    assert drill(kind="duplicate", departments="NOPE") == []
    assert drill(kind="blank", station="NOPE") == []


def test_a_station_officer_counts_only_their_stations_entities(
    county: County, table: Table
) -> None:
    coverage = coverages.compute(matter=SAFETY, user=county.west_officer)
    assert names(coverage, "duplicate") == ["西城百货大楼"]
    assert names(coverage, "blank") == []
    assert coverages.summarise(coverage).total == 1


def test_the_export_lists_departments_and_rules(county: County, table: Table) -> None:
    coverage = coverages.compute(matter=SAFETY, user=county.leader)
    exported = coverages.export(
        coverage=coverage, drill=coverages.Drill(kind="duplicate", station="S-E"), fmt="csv"
    )
    lines = exported.content.decode("utf-8-sig").splitlines()
    assert lines[0].split(",")[:3] == ["统一社会信用代码", "名称", "行业代码"]
    mall = table.entities["mall"]
    ids = [table.rules[k].pk for k in ("street_big", "commerce_big", "safety_big")]
    assert lines[1:] == [
        f"{mall.uscc},东城购物中心,F5212,超级市场零售,1000.0,10,城东所,G-E,商务局、应急管理局、街道办事处,"
        f"#{ids[0]} 街道办事处 · F52 · ≥ 1000 m²；#{ids[1]} 商务局 · F521 · ≥ 1000 m²；"
        f"#{ids[2]} 应急管理局 · F521 · ≥ 1000 m²"
    ]
    assert exported.filename.endswith(".csv") and "duplicate" in exported.filename
    xlsx = coverages.export(coverage=coverage, drill=coverages.Drill(kind="blank"), fmt="xlsx")
    assert xlsx.content[:2] == b"PK"


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"kind": "both"}, "kind", "应为 duplicate（重复监管）或 blank（监管空白）：both"),
    ],
)
def test_a_bad_drill_is_refused(params: dict[str, str], field: str, message: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        coverages.Drill.from_params(params)
    assert [(e.field, e.message) for e in refused.value.errors] == [(field, message)]


def test_unknown_matter_and_format_are_refused(county: County, table: Table) -> None:
    with pytest.raises(InvalidInput) as matter:
        coverages.compute(matter="noise", user=county.leader)
    assert matter.value.errors[0].message == "未知的监管事项：noise"
    coverage = coverages.compute(matter=SAFETY, user=county.leader)
    with pytest.raises(InvalidInput) as fmt:
        coverages.export(coverage=coverage, drill=coverages.Drill(), fmt="pdf")
    assert fmt.value.errors[0].message == "只能导出为 csv 或 xlsx：pdf"


def test_an_empty_register_gives_empty_figures(county: County) -> None:
    make_departments(county)
    coverage = coverages.compute(matter=SAFETY, user=county.leader)
    summary = coverages.summarise(coverage)
    assert (summary.total, summary.duplicates, summary.blanks, summary.combinations) == (
        0,
        0,
        0,
        [],
    )
