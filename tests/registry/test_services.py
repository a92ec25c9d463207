"""Register rules: create, classify, grade, place, claim (and its 3-working-day deadline), archive."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.conftest import County
from tests.registry.factories import make_entity, make_uscc
from xiaoneng.core.audit import history
from xiaoneng.core.errors import Conflict, InvalidInput, NotPermitted
from xiaoneng.org import services as org_services
from xiaoneng.registry import placement, queries, services
from xiaoneng.registry.classification import RiskRules
from xiaoneng.registry.models import ClassificationChange, Entity, Licence


def values(county: County, **extra: Any) -> dict[str, Any]:
    lon, lat = county.east_point()
    base = {
        "uscc": make_uscc(),
        "name": "城东副食店",
        "kind": "个体工商户",
        "industry": "F5211",
        "longitude": lon,
        "latitude": lat,
    }
    return base | extra


@pytest.mark.parametrize(
    ("industry", "licences", "expected"),
    [
        ("H6210", [], "I"),  # 篇2: catering is food
        ("F5211", ["food_business"], "I"),  # a food licence makes a general store key-watch
        ("F5251", [], "II"),  # pharmacy: pre-approval
        ("F5211", ["tobacco"], "II"),
        ("F5211", [], "III"),
        ("F5169", ["pesticide"], "I"),  # the most severe rule wins
    ],
)
def test_risk_class_is_derived_from_industry_and_licences(
    db: Any, industry: str, licences: list[str], expected: str
) -> None:
    assert RiskRules.load().derive(industry, licences) == expected


def test_create_entity_places_it_and_records_the_creator(county: County) -> None:
    entity = services.create_entity(values=values(county), actor=county.east_director)
    assert (entity.grid, entity.unit, entity.risk_class, entity.credit_grade) == (
        county.east_grid,
        county.east,
        "III",
        "B",
    )
    assert entity.claimed_at is None
    event = history(entity).get()
    assert (event.action, event.actor, event.actor_name) == (
        "create",
        county.east_director,
        county.east_director.name,
    )


def test_create_entity_reports_every_field_error(county: County) -> None:
    with pytest.raises(InvalidInput) as caught:
        services.create_entity(
            values={"uscc": "123", "kind": "x", "industry": ""}, actor=county.admin
        )
    fields = {(e.field, e.message) for e in caught.value.errors}
    assert ("uscc", "长度应为 18 位，实为 3 位") in fields
    assert ("kind", "无效的值“x”（应为 企业、个体工商户、农民专业合作社）") in fields
    assert ("industry", "必填") in fields
    assert ("name", "必填") in fields
    assert Entity.objects.count() == 0


def test_create_entity_refuses_a_duplicate_uscc(county: County) -> None:
    existing = make_entity()
    with pytest.raises(InvalidInput) as caught:
        services.create_entity(values=values(county, uscc=existing.uscc), actor=county.admin)
    assert caught.value.errors[0].message == f"统一社会信用代码已存在：{existing.uscc}"


def test_grid_officer_cannot_register_and_station_cannot_register_in_another_station(
    county: County,
) -> None:
    with pytest.raises(NotPermitted):
        services.create_entity(values=values(county), actor=county.east_officer)
    lon, lat = county.west_point()
    with pytest.raises(NotPermitted):
        services.create_entity(
            values=values(county, longitude=lon, latitude=lat), actor=county.east_director
        )
    assert Entity.objects.count() == 0


def test_credit_grade_change_keeps_who_when_why(county: County) -> None:
    entity = make_entity()
    services.change_credit_grade(
        entity=entity, grade="D", reason="虚假年报", actor=county.division_staff
    )
    change = ClassificationChange.objects.get(entity=entity)
    assert (change.field, change.old_value, change.new_value, change.reason, change.changed_by) == (
        "credit_grade",
        "B",
        "D",
        "虚假年报",
        county.division_staff,
    )
    assert history(entity).first().reason == "虚假年报"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("grade", "reason", "message"),
    [("E", "理由充分", "信用等级应为 A、B、C 或 D：E"), ("C", " ", "请填写理由")],
)
def test_credit_grade_change_refuses_bad_input(
    county: County, grade: str, reason: str, message: str
) -> None:
    entity = make_entity()
    with pytest.raises(InvalidInput) as caught:
        services.change_credit_grade(entity=entity, grade=grade, reason=reason, actor=county.admin)
    assert caught.value.errors[0].message == message
    assert not ClassificationChange.objects.exists()


def test_risk_class_override_and_return_to_rules(county: County) -> None:
    entity = make_entity(industry="H6210")
    services.set_risk_class(
        entity=entity, risk_class="II", reason="仅外卖预包装", actor=county.admin
    )
    entity.refresh_from_db()
    assert (entity.risk_class, entity.risk_class_overridden) == ("II", True)
    services.set_risk_class(entity=entity, risk_class=None, reason="恢复规则", actor=county.admin)
    entity.refresh_from_db()
    assert (entity.risk_class, entity.risk_class_overridden) == ("I", False)
    assert list(
        ClassificationChange.objects.values_list("old_value", "new_value").order_by("id")
    ) == [("I", "II"), ("II", "I")]


def test_update_rederives_class_when_licences_change_unless_overridden(county: County) -> None:
    entity = services.create_entity(values=values(county), actor=county.admin)
    services.update_entity(
        entity=entity, values={"licences": "食品经营许可证|JY1|2024-01-01"}, actor=county.admin
    )
    entity.refresh_from_db()
    assert entity.risk_class == "I"
    assert Licence.objects.filter(entity=entity).count() == 1
    with pytest.raises(InvalidInput):
        services.update_entity(entity=entity, values={"credit_grade": "A"}, actor=county.admin)


def test_moving_an_entity_moves_its_grid_and_unit(county: County) -> None:
    entity = services.create_entity(values=values(county), actor=county.admin)
    lon, lat = county.west_point()
    services.update_entity(
        entity=entity, values={"longitude": lon, "latitude": lat}, actor=county.admin
    )
    entity.refresh_from_db()
    assert (entity.grid, entity.unit) == (county.west_grid, county.west)


def test_entity_outside_every_grid_belongs_to_the_bureau_until_placed(county: County) -> None:
    lon, lat = county.outside_point()
    entity = services.create_entity(
        values=values(county, longitude=lon, latitude=lat), actor=county.admin
    )
    assert (entity.grid, entity.unit) == (None, county.bureau)
    assert list(queries.outside_grids(Entity.objects.all())) == [entity]
    services.place_entity(
        entity=entity, grid=county.west_grid, reason="实地核实在城西", actor=county.admin
    )
    entity.refresh_from_db()
    assert (entity.grid, entity.unit, entity.grid_overridden) == (
        county.west_grid,
        county.west,
        True,
    )
    services.place_entity(entity=entity, grid=None, reason="恢复自动", actor=county.admin)
    entity.refresh_from_db()
    assert (entity.grid, entity.grid_overridden) == (None, False)


def test_claim_by_the_grids_officer_only_once(county: County) -> None:
    entity = make_entity(longitude=county.east_point()[0], latitude=county.east_point()[1])
    with pytest.raises(NotPermitted):
        services.claim_entity(entity=entity, officer=county.west_officer)
    services.claim_entity(entity=entity, officer=county.east_officer)
    entity.refresh_from_db()
    assert entity.claimed_by == county.east_officer and entity.claimed_at is not None
    with pytest.raises(Conflict) as caught:
        services.claim_entity(entity=entity, officer=county.east_director)
    assert caught.value.message.startswith("该主体已由 " + str(county.east_officer))


def test_unclaimed_entity_is_overdue_after_three_working_days(county: County) -> None:
    # 2026-09-30 (Wed) + 3 working days = 2026-10-10 (Sat, an adjusted working day after National Day).
    entity = make_entity(registered_on=dt.date(2026, 9, 30))
    queryset = Entity.objects.all()
    assert not queries.overdue_claims(queryset, dt.date(2026, 10, 10)).exists()
    assert list(queries.overdue_claims(queryset, dt.date(2026, 10, 11))) == [entity]


def test_archive_keeps_the_record_with_its_reason(county: County) -> None:
    entity = make_entity()
    with pytest.raises(InvalidInput):
        services.archive_entity(entity=entity, reason="", actor=county.admin)
    services.archive_entity(entity=entity, reason="已注销登记", actor=county.admin)
    entity.refresh_from_db()
    assert entity.archived_at is not None and entity.archive_reason == "已注销登记"
    event = history(entity).first()
    assert (event.action, event.reason) == ("archive", "已注销登记")  # type: ignore[union-attr]
    with pytest.raises(PermissionError):
        entity.delete()
    with pytest.raises(Conflict):
        services.change_credit_grade(
            entity=entity, grade="C", reason="理由说明", actor=county.admin
        )


def test_reassign_after_grid_boundary_change(county: County) -> None:
    lon, lat = county.outside_point()
    entity = make_entity(longitude=lon, latitude=lat)
    section = county.west_grid.section
    grid = org_services.create_grid(
        code="G-N", name="新网格", section=section, region_code="654002",
        boundary={"type": "Polygon", "coordinates": [[[lon - 0.001, lat - 0.001], [lon + 0.001, lat - 0.001], [lon + 0.001, lat + 0.001], [lon - 0.001, lat + 0.001], [lon - 0.001, lat - 0.001]]]},
    )  # fmt: skip
    assert placement.reassign_grids() == 1
    entity.refresh_from_db()
    assert (entity.grid, entity.unit) == (grid, county.west)
    assert history(entity).first().changes["grid"] == [None, grid.pk]  # type: ignore[union-attr]
