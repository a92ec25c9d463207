"""Grids import from GeoJSON or tables: zones and sections made as needed, entities placed;
every error reported, nothing half written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import County
from tests.org.factories import REGION, centre, square
from tests.org.io.helpers import rejected, write_geojson
from tests.registry.factories import make_entity
from xiaoneng.org import io as org_io
from xiaoneng.org.models import Grid, Section, Zone
from xiaoneng.registry import transfer


def feature(code: str, index: int, **properties: Any) -> dict[str, Any]:
    values = {
        "网格编号": code,
        "网格名称": f"网格{code}",
        "所代码": "S-E",
        "责任区编号": "Z-N",
        "责任区名称": "城北责任区",
        "区间编号": "Z-N-1",
        "区间名称": "城北一区间",
        "责任人用户名": "east_officer",
        "行政区划代码": REGION,
    }
    geometry = properties.pop("geometry", square(index))
    values.update(properties)
    return {
        "type": "Feature",
        "properties": {k: v for k, v in values.items() if v is not None},
        "geometry": geometry,
    }


def test_grids_import_from_geojson_creates_zones_and_sections(
    county: County, tmp_path: Path
) -> None:
    path = write_geojson(
        tmp_path / "grids.geojson",
        [
            feature("G-N1", 3),
            feature("G-N2", 4, 区间编号="Z-N-2", 区间名称=None, 责任人用户名=None),
        ],
    )
    result = org_io.import_grids(source=path)

    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    zone = Zone.objects.get(code="Z-N")
    assert (zone.name, zone.station) == ("城北责任区", county.east)
    assert {(s.code, s.name, s.zone_id) for s in Section.objects.filter(zone=zone)} == {
        ("Z-N-1", "城北一区间", zone.pk),
        ("Z-N-2", "Z-N-2", zone.pk),
    }
    first, second = Grid.objects.get(code="G-N1"), Grid.objects.get(code="G-N2")
    assert (first.station, first.officer, first.section.code) == (
        county.east,
        county.east_officer,
        "Z-N-1",
    )
    assert (second.officer, second.section.code) == (None, "Z-N-2")
    assert first.boundary == json.loads(json.dumps(square(3)))


def test_grids_import_places_entities_that_fall_in_a_new_grid(
    county: County, tmp_path: Path
) -> None:
    lon, lat = centre(3)
    entity = make_entity(longitude=lon, latitude=lat)
    assert entity.grid_id is None
    result = transfer.import_file(
        kind="grids", source=write_geojson(tmp_path / "grids.geojson", [feature("G-N1", 3)])
    )
    assert result.reassigned == 1
    entity.refresh_from_db()
    assert (entity.grid.code, entity.unit) == ("G-N1", county.east)  # type: ignore[union-attr]


BOWTIE = {
    "type": "Polygon",
    "coordinates": [
        [[81.20, 43.85], [81.21, 43.86], [81.21, 43.85], [81.20, 43.86], [81.20, 43.85]]
    ],
}


@pytest.mark.parametrize(
    ("features", "errors"),
    [
        (
            [feature("G-N1", 3, geometry=BOWTIE)],
            ["row 2, 边界: 边界多边形无效：Self-intersection[81.205 43.855]"],
        ),
        (
            [feature("G-N1", 3, geometry={"type": "Point", "coordinates": [81.2, 43.85]})],
            ["row 2, 边界: 边界必须是 GeoJSON 的 Polygon 或 MultiPolygon"],
        ),
        ([feature("G-N1", 3, geometry=None)], ["row 2, 边界: 必填"]),
        ([feature("G-E", 3)], ["row 2, 网格编号: 网格编号已存在；更新请选择更新模式（--update）"]),
        ([feature("G-N1", 3, 所代码="S-X")], ["row 2, 所代码: 未知的所代码：S-X"]),
        ([feature("G-N1", 3, 所代码="B")], ["row 2, 所代码: 未知的所代码：B"]),
        (
            [feature("G-N1", 3, 责任人用户名="west_officer")],
            ["row 2, 责任人用户名: 网格责任人必须是 城东所 的人员"],
        ),
        (
            [feature("G-N1", 3, 责任人用户名="nobody")],
            ["row 2, 责任人用户名: 未知的用户名：nobody"],
        ),
        ([feature("G-N1", 3, colour="red")], ["row 2, colour: 未知的属性"]),
        ([feature("G-N1", 3, 行政区划代码="6540")], ["row 2, 行政区划代码: 应为 6 位数字：6540"]),
        (
            [feature("G-N1", 3), feature("G-N2", 4, 所代码="S-W", 责任人用户名="west_officer")],
            ["row 3, 责任区编号: 责任区 Z-N 属于所 S-E"],
        ),
        (
            [feature("G-N1", 3), feature("G-N2", 4, 责任区编号="Z-M")],
            ["row 3, 区间编号: 区间 Z-N-1 属于责任区 Z-N"],
        ),
        ([feature("G-N1", 3), feature("G-N1", 4)], ["row 3, 网格编号: 与第 2 行重复：G-N1"]),
    ],
)
def test_grids_import_reports_each_error_and_writes_nothing(
    county: County, tmp_path: Path, features: list[dict[str, Any]], errors: list[str]
) -> None:
    path = write_geojson(tmp_path / "grids.geojson", features)
    assert rejected(org_io.import_grids, path) == errors


def test_grids_import_refuses_an_existing_zone_under_another_station(
    county: County, tmp_path: Path
) -> None:
    east_zone = county.east_grid.section.zone.code
    path = write_geojson(
        tmp_path / "grids.geojson",
        [feature("G-N1", 3, 所代码="S-W", 责任区编号=east_zone, 责任人用户名="west_officer")],
    )
    assert rejected(org_io.import_grids, path) == [
        f"row 2, 责任区编号: 责任区 {east_zone} 属于所 S-E"
    ]


@pytest.mark.parametrize(
    ("text", "errors"),
    [
        ('{"type": "Feature"}', ["row 1, 文件: GeoJSON 必须是 FeatureCollection"]),
        ('{"type": "FeatureCollection", "features": []}', ["row 2, 文件: 文件中没有网格"]),
        (
            "{oops",
            [
                "row 1, 文件: 不是有效的 GeoJSON：Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"
            ],
        ),
    ],
)
def test_grids_import_refuses_a_file_that_is_not_a_feature_collection(
    county: County, tmp_path: Path, text: str, errors: list[str]
) -> None:
    path = tmp_path / "grids.geojson"
    path.write_text(text, encoding="utf-8")
    assert rejected(org_io.import_grids, path) == errors


def test_grids_import_refuses_a_json_array(county: County, tmp_path: Path) -> None:
    path = tmp_path / "grids.geojson"
    path.write_text("[]", encoding="utf-8")
    assert rejected(org_io.import_grids, path) == ["row 1, 文件: GeoJSON 必须是 FeatureCollection"]
