"""Organisation services: officers, zones, sections and grids, and the rules they check."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import County
from tests.org.factories import REGION, SectionFactory, ZoneFactory, square
from xiaoneng.core.audit import history
from xiaoneng.core.errors import Conflict, FieldError, InvalidInput
from xiaoneng.org import services
from xiaoneng.org.models import Grid, Officer, Role, Section, Unit, Zone


def new_officer(county: County, **values: Any) -> Officer:
    arguments: dict[str, Any] = {
        "username": "north_officer",
        "name": "北所干部",
        "unit": county.east,
        "roles": [Role.GRID_OFFICER],
        "certificate_number": "65009999",
        "password": "correct horse 2",
    }
    return services.create_officer(**(arguments | values))


def test_create_officer_sets_unit_roles_certificate_and_usable_password(county: County) -> None:
    officer = new_officer(county, roles=[Role.GRID_OFFICER, Role.STATION_DIRECTOR], phone="139")

    officer.refresh_from_db()
    assert (officer.unit, officer.certificate_number, officer.phone) == (
        county.east,
        "65009999",
        "139",
    )
    assert officer.role_codes() == {Role.GRID_OFFICER, Role.STATION_DIRECTOR}
    assert officer.check_password("correct horse 2")
    assert not officer.is_staff


def test_create_officer_without_password_cannot_log_in(county: County) -> None:
    officer = new_officer(county, password=None, certificate_number="")
    assert not officer.has_usable_password()
    assert officer.certificate_number is None


def test_an_administrator_needs_no_unit_and_may_use_the_admin_site(db) -> None:  # type: ignore[no-untyped-def]
    officer = services.create_officer(
        username="root", name="管理员", unit=None, roles=[Role.ADMINISTRATOR]
    )
    assert officer.is_staff
    assert officer.visible_unit_ids() is None


@pytest.mark.parametrize(
    ("values", "errors"),
    [
        ({"username": "east_officer"}, [FieldError("username", "用户名已存在：east_officer")]),
        ({"username": ""}, [FieldError("username", "必填")]),
        (
            {"certificate_number": "65-0"},
            [FieldError("certificate_number", "执法证号格式错误：65-0")],
        ),
        (
            {"certificate_number": "6500 0001"},
            [FieldError("certificate_number", "执法证号格式错误：6500 0001")],
        ),
        (
            {"roles": ["grid_officer", "boss", "chief"]},
            [FieldError("roles", "未知的角色：boss, chief")],
        ),
        ({"unit": None}, [FieldError("unit", "执法人员必须有所在单位")]),
        (
            {"username": "east_officer", "unit": None, "roles": ["boss"]},
            [
                FieldError("username", "用户名已存在：east_officer"),
                FieldError("roles", "未知的角色：boss"),
                FieldError("unit", "执法人员必须有所在单位"),
            ],
        ),
    ],
)
def test_create_officer_refuses_invalid_data_and_writes_nothing(
    county: County, values: dict[str, Any], errors: list[FieldError]
) -> None:
    count = Officer.objects.count()
    with pytest.raises(InvalidInput) as raised:
        new_officer(county, **values)
    assert raised.value.errors == errors
    assert raised.value.message == errors[0].message
    assert Officer.objects.count() == count


def test_create_officer_refuses_a_certificate_already_held(county: County) -> None:
    taken = county.east_officer.certificate_number
    count = Officer.objects.count()
    with pytest.raises(InvalidInput) as raised:
        new_officer(county, certificate_number=taken)
    assert raised.value.message == f"执法证号已被使用：{taken}"
    assert Officer.objects.count() == count


def test_validate_officer_accepts_an_officers_own_username_and_certificate(county: County) -> None:
    officer = county.east_officer
    errors = services.validate_officer(
        username=officer.username,
        unit=officer.unit,
        certificate_number=officer.certificate_number,
        roles=[Role.GRID_OFFICER],
        instance=officer,
    )
    assert errors == []


def test_set_roles_replaces_the_roles_and_forgets_the_cached_scope(county: County) -> None:
    officer = county.division_staff
    assert officer.visible_unit_ids() is None  # the whole (only) bureau
    services.set_roles(officer=officer, roles=[Role.GRID_OFFICER])
    assert officer.role_codes() == {Role.GRID_OFFICER}
    assert officer.visible_unit_ids() == [county.division.pk]


def test_set_roles_refuses_an_unknown_role_and_keeps_the_old_ones(county: County) -> None:
    with pytest.raises(InvalidInput) as raised:
        services.set_roles(officer=county.east_officer, roles=["grid_officer", "boss"])
    assert raised.value.message == "roles: 未知的角色：boss"
    assert set(county.east_officer.roles.values_list("code", flat=True)) == {Role.GRID_OFFICER}


# Zones, sections and grids ------------------------------------------------------------------


def test_create_zone_refuses_a_unit_that_is_not_a_station(county: County) -> None:
    with pytest.raises(InvalidInput) as raised:
        services.create_zone(code="Z-D", name="科室区", station=county.division)
    assert raised.value.message == "station: 责任区必须属于一个所"
    assert not Zone.objects.filter(code="Z-D").exists()


def test_create_grid_takes_its_station_from_the_zone_and_computes_the_area(county: County) -> None:
    section = services.create_section(
        code="E-S9",
        name="东区间",
        zone=services.create_zone(code="E-Z9", name="东区", station=county.east),
    )
    grid = services.create_grid(
        code="G-N",
        name="北网格",
        section=section,
        boundary=square(3),
        officer=county.east_officer,
        region_code=REGION,
    )
    assert (grid.station, grid.officer, grid.section) == (county.east, county.east_officer, section)
    # 0.01° × 0.01° at 43.855° N: 1.1132 km × 0.8026 km.
    assert grid.area_km2 == pytest.approx(0.894, abs=0.001)
    assert grid.boundary["type"] == "Polygon"


def test_create_grid_accepts_a_feature_or_a_json_string(county: County) -> None:
    section = Section.objects.get(grids=county.east_grid)
    feature = {"type": "Feature", "properties": {}, "geometry": square(3)}
    a = services.create_grid(
        code="G-3", name="三", section=section, boundary=feature, region_code=REGION
    )
    b = services.create_grid(
        code="G-4", name="四", section=section, boundary=json.dumps(square(4)), region_code=REGION
    )
    assert Grid.objects.get(pk=a.pk).boundary == json.loads(json.dumps(square(3)))
    assert Grid.objects.get(pk=b.pk).boundary == json.loads(json.dumps(square(4)))


BOWTIE = {
    "type": "Polygon",
    "coordinates": [
        [[81.20, 43.85], [81.21, 43.86], [81.21, 43.85], [81.20, 43.86], [81.20, 43.85]]
    ],
}
SEOUL_SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[126.97, 37.56], [126.98, 37.56], [126.98, 37.57], [126.97, 37.57], [126.97, 37.56]]
    ],
}
PACIFIC_SQUARE = {
    "type": "Polygon",
    "coordinates": [[[150.0, 20.0], [150.1, 20.0], [150.1, 20.1], [150.0, 20.1], [150.0, 20.0]]],
}


@pytest.mark.parametrize(
    ("boundary", "message"),
    [
        (BOWTIE, "boundary: 边界多边形无效：Self-intersection[81.205 43.855]"),
        (
            {"type": "Point", "coordinates": [81.2, 43.85]},
            "boundary: 边界必须是 GeoJSON 的 Polygon 或 MultiPolygon",
        ),
        (
            {"type": "LineString", "coordinates": [[81.2, 43.85], [81.3, 43.9]]},
            "boundary: 边界必须是 GeoJSON 的 Polygon 或 MultiPolygon",
        ),
        ([[81.2, 43.85]], "boundary: 边界必须是 GeoJSON 的 Polygon 或 MultiPolygon"),
        (
            {"type": "Polygon", "coordinates": [[[81.2, 43.85], [81.21, 43.86]]]},
            "boundary: 边界坐标无效：A linearring requires at least 4 coordinates.",
        ),
        ({"type": "Polygon", "coordinates": []}, "boundary: 边界多边形无效：Valid Geometry"),
        (PACIFIC_SQUARE, "boundary: 边界不在中国境内"),
        (
            "{not json",
            "boundary: 不是有效的 JSON：Expecting property name enclosed in double quotes: line 1 column 2 (char 1)",
        ),
    ],
)
def test_create_grid_refuses_an_invalid_boundary_and_writes_nothing(
    county: County, boundary: Any, message: str
) -> None:
    count = Grid.objects.count()
    with pytest.raises(InvalidInput) as raised:
        services.create_grid(
            code="G-X",
            name="坏网格",
            section=county.east_grid.section,
            boundary=boundary,
            region_code=REGION,
        )
    assert raised.value.message == message
    assert Grid.objects.count() == count


@pytest.mark.skipif(not services.geo.CHINA_OUTLINE.exists(), reason="needs the China outline")
def test_create_grid_refuses_a_polygon_in_seoul(county: County) -> None:
    with pytest.raises(InvalidInput) as raised:
        services.create_grid(
            code="G-X",
            name="首尔",
            section=county.east_grid.section,
            boundary=SEOUL_SQUARE,
            region_code=REGION,
        )
    assert raised.value.message == "boundary: 边界不在中国境内"
    assert not Grid.objects.filter(code="G-X").exists()


def test_create_grid_refuses_an_officer_of_another_station(county: County) -> None:
    with pytest.raises(InvalidInput) as raised:
        services.create_grid(
            code="G-X",
            name="东网格",
            section=county.east_grid.section,
            boundary=square(3),
            officer=county.west_officer,
            region_code=REGION,
        )
    assert raised.value.message == "officer: 网格责任人必须是 城东所 的人员"
    assert not Grid.objects.filter(code="G-X").exists()


def test_create_grid_refuses_an_existing_code_or_a_bad_region(county: County) -> None:
    section = county.east_grid.section
    with pytest.raises(Conflict) as raised:
        services.create_grid(
            code="G-E", name="重复", section=section, boundary=square(3), region_code=REGION
        )
    assert raised.value.message == "网格编号已存在：G-E"
    with pytest.raises(InvalidInput) as raised_region:
        services.create_grid(
            code="G-X", name="坏区划", section=section, boundary=square(3), region_code="65400A"
        )
    assert raised_region.value.message == "region_code: 行政区划代码应为 6 位数字：65400A"
    assert Grid.objects.count() == 2


def test_set_grid_officer_changes_the_responsible_officer_and_traces_it(county: County) -> None:
    grid = services.set_grid_officer(
        grid=Grid.objects.get(code="G-E"), officer=county.east_director
    )
    assert Grid.objects.get(pk=grid.pk).officer == county.east_director
    assert history(grid).first().changes == {  # type: ignore[union-attr]
        "officer": [county.east_officer.pk, county.east_director.pk]
    }


def test_saving_a_grid_just_created_traces_only_what_changed(county: County) -> None:
    grid = services.set_grid_officer(grid=county.east_grid, officer=county.east_director)
    assert history(grid).first().changes == {  # type: ignore[union-attr]
        "officer": [county.east_officer.pk, county.east_director.pk]
    }


def test_set_grid_officer_may_leave_a_grid_without_officer(county: County) -> None:
    services.set_grid_officer(grid=county.east_grid, officer=None)
    assert Grid.objects.get(pk=county.east_grid.pk).officer is None


def test_set_grid_officer_refuses_an_officer_of_another_station(county: County) -> None:
    with pytest.raises(InvalidInput) as raised:
        services.set_grid_officer(grid=county.east_grid, officer=county.west_officer)
    assert raised.value.message == "officer: 网格责任人必须是 城东所 的人员"
    assert Grid.objects.get(pk=county.east_grid.pk).officer == county.east_officer


def test_grid_index_assigns_points_to_the_grids_of_the_database(county: County) -> None:
    index = services.grid_index()
    east, west, outside = county.east_point(), county.west_point(), county.outside_point()
    assert [index.assign_one(*p) for p in (east, west, outside)] == [
        county.east_grid.pk,
        county.west_grid.pk,
        None,
    ]
    assert services.grid_index([county.west_grid]).assign_one(*east) is None


def test_root_unit_for_region_prefers_the_bureau_of_that_region(county: County) -> None:
    other = services.create_unit(
        code="B2", name="邻县局", kind=Unit.Kind.BUREAU, parent=None, region_code="654003"
    )
    assert services.root_unit_for_region("654003") == other
    assert services.root_unit_for_region("110000") == county.bureau


def test_root_unit_for_region_without_any_bureau_is_an_error(db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as raised:
        services.root_unit_for_region(REGION)
    assert raised.value.message == "unit: 尚未建立任何局级单位"


def test_factories_zone_and_section_belong_to_their_station(county: County) -> None:
    zone = ZoneFactory(station=county.west)
    section = SectionFactory(zone=zone)
    assert section.zone.station == county.west
