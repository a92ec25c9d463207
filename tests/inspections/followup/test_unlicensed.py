"""Unlicensed operators (无照经营): recorded in the unit of their grid, then guided to a licence,
licensed (linked to the new entity) or banned until they cease."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.conftest import County
from tests.planning.patrol.test_schedule import east_entity
from xiaoneng.core.errors import Conflict, InvalidInput, NotPermitted
from xiaoneng.inspections.followup.unlicensed import (
    guide_unlicensed,
    mark_ceased,
    mark_licensed,
    record_unlicensed,
)
from xiaoneng.inspections.models import UnlicensedOperator

D = dt.date
TODAY = D(2026, 10, 9)


def found(county: County, **values: Any) -> UnlicensedOperator:
    lon, lat = county.east_point()
    fields: dict[str, Any] = {
        "actor": county.east_officer,
        "name": "无名烧烤摊",
        "address": "解放路夜市东口",
        "business": "烧烤",
        "found_on": D(2026, 10, 8),
        "longitude": lon,
        "latitude": lat,
        "operator": "张某",
        "today": TODAY,
    }
    fields.update(values)
    return record_unlicensed(**fields)


def test_operator_is_recorded_in_the_unit_of_its_grid(county: County) -> None:
    record = found(county, actor=county.division_staff)
    assert (record.unit, record.region_code, record.status) == (
        county.east,
        county.east_grid.region_code,
        "found",
    )
    assert (record.found_by, record.operator) == (county.division_staff, "张某")


def test_operator_without_a_position_goes_to_the_officers_unit(county: County) -> None:
    record = found(county, longitude=None, latitude=None)
    assert (record.unit, record.region_code) == (county.east, county.east.region_code)


@pytest.mark.parametrize(
    ("values", "errors"),
    [
        ({"name": "  "}, [("name", "请填写经营者（字号）")]),
        (
            {"address": "", "business": ""},
            [("address", "请填写经营场所"), ("business", "请填写经营项目")],
        ),
        ({"name": "店" * 201}, [("name", "经营者（字号）不能超过 200 个字")]),
        ({"found_on": D(2026, 10, 10)}, [("found_on", "发现日期不能晚于今天：2026-10-10")]),
        ({"found_on": None}, [("found_on", "请填写发现日期（YYYY-MM-DD）")]),
        (
            {"longitude": 2.35, "latitude": 48.85},
            [("longitude", "坐标 (2.35, 48.85) 不在中国境内")],
        ),
        (
            {"longitude": 43.9, "latitude": 81.3},
            [("longitude", "坐标 (43.9, 81.3) 不在中国境内；经纬度是否填反？")],
        ),
        ({"latitude": None}, [("latitude", "经度和纬度须同时填写")]),
        ({"longitude": "东经81度"}, [("longitude", "经度应为数字：东经81度")]),
    ],
)
def test_bad_input_is_refused_and_nothing_written(
    county: County, values: dict[str, Any], errors: list[tuple[str, str]]
) -> None:
    with pytest.raises(InvalidInput) as refused:
        found(county, **values)
    assert [(e.field, e.message) for e in refused.value.errors] == errors
    assert refused.value.message == f"{errors[0][0]}: {errors[0][1]}"
    assert not UnlicensedOperator.objects.exists()


def test_position_in_another_stations_grid_is_that_stations_to_record(county: County) -> None:
    lon, lat = county.west_point()
    with pytest.raises(NotPermitted, match="该位置在 G-W 网格（城西所）辖区内，请由该单位登记"):
        found(county, longitude=lon, latitude=lat)
    assert not UnlicensedOperator.objects.exists()


def test_leader_may_not_record(county: County) -> None:
    with pytest.raises(NotPermitted):
        found(county, actor=county.leader)


def test_guided_operator_obtains_its_licence(county: County) -> None:
    record = found(county)
    entity = east_entity(county, name="张记烧烤店")
    with pytest.raises(Conflict, match="无照经营状态为“已发现”，不能改为“已办照”"):
        mark_licensed(record=record, entity=entity, actor=county.east_officer)
    with pytest.raises(InvalidInput, match="note: 请填写引导办照情况"):
        guide_unlicensed(record=record, actor=county.east_officer, note="")
    guide_unlicensed(record=record, actor=county.east_officer, note="已告知办照流程")
    mark_licensed(record=record, entity=entity, actor=county.east_officer, today=TODAY)
    record.refresh_from_db()
    assert (record.status, record.entity, record.closed_on) == ("licensed", entity, TODAY)
    assert record.outcome == f"已办照：张记烧烤店（{entity.uscc}）"


def test_licence_must_be_an_operating_entity_in_scope(county: County) -> None:
    record = found(county)
    guide_unlicensed(record=record, actor=county.east_officer, note="已告知办照流程")
    closed = east_entity(county, name="已注销店", status="deregistered")
    with pytest.raises(InvalidInput, match="已注销店 的登记状态为“注销”，不是新办照的在营主体"):
        mark_licensed(record=record, entity=closed, actor=county.east_officer)
    west = east_entity(county, name="城西店")
    west.unit = county.west
    west.save()
    with pytest.raises(NotPermitted):
        mark_licensed(record=record, entity=west, actor=county.east_officer)
    record.refresh_from_db()
    assert record.status == "guided" and record.entity is None


def test_banned_operator_ceases(county: County) -> None:
    record = found(county)
    with pytest.raises(InvalidInput, match="outcome: 请填写处置结果"):
        mark_ceased(record=record, actor=county.east_officer, outcome=" ")
    mark_ceased(record=record, actor=county.east_officer, outcome="已责令停止经营", today=TODAY)
    record.refresh_from_db()
    assert (record.status, record.outcome, record.closed_on) == ("ceased", "已责令停止经营", TODAY)


def test_another_station_may_not_act_on_the_record(county: County) -> None:
    record = found(county)
    with pytest.raises(NotPermitted):
        guide_unlicensed(record=record, actor=county.west_officer, note="引导")
    record.refresh_from_db()
    assert record.status == "found"
