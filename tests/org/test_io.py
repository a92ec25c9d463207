"""Import and export of units, officers and grids: every error reported, nothing half written."""

from __future__ import annotations

import csv
import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from tests.conftest import County
from tests.org.factories import REGION, centre, square
from tests.registry.factories import make_entity
from xiaoneng.core.audit import history
from xiaoneng.core.models import AuditEvent
from xiaoneng.core.tabular import ImportRejected
from xiaoneng.org import io as org_io
from xiaoneng.org import services
from xiaoneng.org.models import Grid, Officer, Role, Section, Unit, Zone
from xiaoneng.registry import transfer

UNIT_HEADER = ["单位代码", "名称", "类型", "上级单位代码", "行政区划代码", "地址", "电话"]
OFFICER_HEADER = ["用户名", "姓名", "所在单位代码", "执法证号", "角色", "电话", "在岗", "初始密码"]


def write_csv(path: Path, header: list[str], rows: list[list[Any]]) -> Path:
    with open(path, "w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, header: list[str], rows: list[list[Any]]) -> Path:
    book = Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def write_geojson(path: Path, features: list[dict[str, Any]]) -> Path:
    path.write_text(
        json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8"
    )
    return path


def counts() -> dict[str, int]:
    models = (Unit, Officer, Zone, Section, Grid, AuditEvent)
    return {m.__name__: m.objects.count() for m in models}


def rejected(importer: Any, path: Path, **options: Any) -> list[str]:
    """The errors an import reports; asserts that nothing at all was written."""
    before = counts()
    with pytest.raises(ImportRejected) as raised:
        importer(path, **options)
    assert counts() == before
    errors = raised.value.row_errors
    assert raised.value.message == f"导入失败：发现 {len(errors)} 处错误，未写入任何数据。"
    return [str(e) for e in errors]


def unit_tree() -> dict[str, tuple[str, str, int, str]]:
    """code → (kind, parent code, depth, path written with codes)."""
    codes = dict(Unit.objects.values_list("pk", "code"))
    return {
        u.code: (
            u.kind,
            u.parent.code if u.parent else "",
            u.depth,
            "/".join(codes[int(p)] for p in u.path.strip("/").split("/")),
        )
        for u in Unit.objects.select_related("parent")
    }


# Units ---------------------------------------------------------------------------------------


def test_units_import_builds_a_tree_whose_parents_come_later_in_the_file(
    db, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    path = write_csv(
        tmp_path / "units.csv",
        UNIT_HEADER,
        [
            ["S1", "一所", "所", "K", REGION, "", ""],
            ["K", "县局", "局", "", REGION, "人民路 1 号", "0999-1"],
            ["D", "科室", "科室", "K", REGION, "", ""],
            ["K2", "分局", "bureau", "K", "654003", "", ""],
            ["S2", "二所", "station", "K2", "654003", "", ""],
        ],
    )
    result = org_io.import_units(path)

    assert (result.created, result.updated, result.unchanged) == (5, 0, 0)
    assert unit_tree() == {
        "K": ("bureau", "", 0, "K"),
        "S1": ("station", "K", 1, "K/S1"),
        "D": ("division", "K", 1, "K/D"),
        "K2": ("bureau", "K", 1, "K/K2"),
        "S2": ("station", "K2", 2, "K/K2/S2"),
    }
    assert Unit.objects.get(code="K").address == "人民路 1 号"


def test_units_import_accepts_english_headers_and_xlsx(county: County, tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "units.xlsx",
        ["code", "name", "kind", "parent", "region_code"],
        [["S-N", "城北所", "所", "B", 654002]],
    )
    assert org_io.import_units(path).created == 1
    assert unit_tree()["S-N"] == ("station", "B", 1, "B/S-N")
    assert Unit.objects.get(code="S-N").region_code == REGION


@pytest.mark.parametrize(
    ("rows", "errors"),
    [
        ([["X", "某所", "所", "ZZ", REGION]], ["row 2, 上级单位代码: 未知的上级单位代码：ZZ"]),
        ([["X", "某所", "所", "S-E", REGION]], ["row 2, 上级单位代码: 上级单位必须是局"]),
        (
            [["X", "某所", "所", "Y", REGION], ["Y", "某所", "所", "B", REGION]],
            [
                "row 2, 上级单位代码: 上级单位必须是局",
                "row 3, 类型: 该单位有下级单位，类型必须是局",
            ],
        ),
        ([["X", "某所", "所", "", REGION]], ["row 2, 上级单位代码: 科室和所必须有上级单位"]),
        ([["X", "某局", "局", "X", REGION]], ["row 2, 上级单位代码: 上级单位不能是自己"]),
        ([["X", "某所", "所", "B", "65400"]], ["row 2, 行政区划代码: 应为 6 位数字：65400"]),
        ([["X", "某所", "所", "B", "65400A"]], ["row 2, 行政区划代码: 应为 6 位数字：65400A"]),
        ([["X", "某队", "队", "B", REGION]], ["row 2, 类型: 无效的值“队”（应为 局、科室、所）"]),
        ([["X", "", "所", "B", ""]], ["row 2, 名称: 必填", "row 2, 行政区划代码: 必填"]),
        (
            [
                ["X", "甲所", "所", "B", REGION],
                ["Y", "乙所", "所", "B", REGION],
                ["X", "丙所", "所", "B", REGION],
            ],
            ["row 4, 单位代码: 与第 2 行重复：X"],
        ),
        (
            [["S-E", "城东所", "所", "B", REGION]],
            ["row 2, 单位代码: 单位代码已存在；更新请选择更新模式（--update）"],
        ),
        (
            [["X", "某所", "所", "ZZ", REGION], [], ["Y", "某所", "所", "B", "1"]],
            [
                "row 2, 上级单位代码: 未知的上级单位代码：ZZ",
                "row 4, 行政区划代码: 应为 6 位数字：1",
            ],
        ),
    ],
)
def test_units_import_reports_each_error_and_writes_nothing(
    county: County, tmp_path: Path, rows: list[list[str]], errors: list[str]
) -> None:
    path = write_csv(tmp_path / "units.csv", UNIT_HEADER[:5], rows)
    assert rejected(org_io.import_units, path) == errors


def test_units_import_refuses_a_cycle_of_parents_and_writes_nothing(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write_csv(
        tmp_path / "units.csv",
        UNIT_HEADER[:5],
        [
            ["K", "县局", "局", "", REGION],
            ["A", "甲局", "局", "B", REGION],
            ["B", "乙局", "局", "A", REGION],
        ],
    )
    assert rejected(org_io.import_units, path) == [
        "row 3, 上级单位代码: 上级单位关系成环",
        "row 4, 上级单位代码: 上级单位关系成环",
    ]


def test_units_import_refuses_a_bad_header_before_reading_rows(
    county: County, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "units.csv", ["单位代码", "名称", "传真"], [["X", "某所", "1"]])
    assert rejected(org_io.import_units, path) == [
        "row 1, 传真: 未知的列名",
        "row 1, 类型: 缺少必需的列",
        "row 1, 行政区划代码: 缺少必需的列",
    ]


def test_units_import_refuses_a_file_without_data_rows(county: County, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "units.csv", UNIT_HEADER, [[""] * 7])
    assert rejected(org_io.import_units, path) == ["row 2, 文件: 文件中没有数据行"]
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert rejected(org_io.import_units, empty) == ["row 1, 文件: 文件是空的"]


def test_units_import_with_update_renames_and_moves(county: County, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "units.csv",
        UNIT_HEADER[:5],
        [
            ["S-E", "城东市场监管所", "所", "K2", REGION],
            ["K2", "分局", "局", "B", REGION],
            ["S-W", "城西所", "所", "B", REGION],
        ],
    )
    result = org_io.import_units(path, update=True)

    assert (result.created, result.updated, result.unchanged) == (1, 1, 1)
    assert Unit.objects.get(code="S-E").name == "城东市场监管所"
    assert unit_tree()["S-E"] == ("station", "K2", 2, "B/K2/S-E")


def test_units_import_refuses_to_make_a_bureau_with_children_a_station(
    county: County, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "units.csv", UNIT_HEADER[:5], [["K2", "分局", "所", "B", REGION]])
    services.create_unit(
        code="K2", name="分局", kind="bureau", parent=county.bureau, region_code=REGION
    )
    services.create_unit(
        code="K2-S",
        name="分局所",
        kind="station",
        parent=Unit.objects.get(code="K2"),
        region_code=REGION,
    )
    with pytest.raises(ImportRejected):
        org_io.import_units(path, update=True)
    assert Unit.objects.get(code="K2").kind == Unit.Kind.BUREAU


# Officers ------------------------------------------------------------------------------------


def test_officers_import_reads_roles_as_chinese_labels(county: County, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "officers.csv",
        OFFICER_HEADER,
        [
            [
                "north",
                "北所长",
                "S-E",
                "65001234",
                "责任区干部、所长",
                "139",
                "是",
                "long enough 1",
            ],
            ["south", "南干部", "S-W", "", "grid_officer，科室人员", "", "否", ""],
            ["root2", "管理员", "", "", "系统管理员", "", "", ""],
        ],
    )
    result = org_io.import_officers(path)

    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    north, south, root = (Officer.objects.get(username=u) for u in ("north", "south", "root2"))
    assert north.role_codes() == {Role.GRID_OFFICER, Role.STATION_DIRECTOR}
    assert (north.unit, north.certificate_number, north.phone, north.is_active) == (
        county.east,
        "65001234",
        "139",
        True,
    )
    assert north.check_password("long enough 1")
    assert south.role_codes() == {Role.GRID_OFFICER, Role.DIVISION_STAFF}
    assert (south.certificate_number, south.is_active, south.has_usable_password()) == (
        None,
        False,
        False,
    )
    assert (root.unit, root.is_staff, root.role_codes()) == (None, True, {Role.ADMINISTRATOR})


@pytest.mark.parametrize(
    ("rows", "errors"),
    [
        ([["x1", "甲", "S-E", "", "队长、所长"]], ["row 2, 角色: 未知的角色：队长"]),
        ([["x1", "甲", "ZZ", "", "所长"]], ["row 2, 所在单位代码: 未知的单位代码：ZZ"]),
        ([["x1", "甲", "", "", "所长"]], ["row 2, 所在单位代码: 执法人员必须有所在单位"]),
        ([["x1", "甲", "S-E", "65-1", "所长"]], ["row 2, 执法证号: 执法证号格式错误：65-1"]),
        ([["x1", "甲", "S-E", "{cert}", "所长"]], ["row 2, 执法证号: 执法证号已被使用：{cert}"]),
        (
            [["x1", "甲", "S-E", "65009991", "所长"], ["x2", "乙", "S-E", "65009991", "所长"]],
            ["row 3, 执法证号: 与第 2 行重复：65009991"],
        ),
        (
            [["x1", "甲", "S-E", "", "所长"], ["x1", "乙", "S-E", "", "所长"]],
            ["row 3, 用户名: 与第 2 行重复：x1"],
        ),
        (
            [["x1", "甲", "S-E", "", "所长", "", "", "short1"]],
            ["row 2, 初始密码: 初始密码至少 8 位"],
        ),
        ([["x1", "甲", "S-E", "", "所长", "", "也许"]], ["row 2, 在岗: 应为“是”或“否”：也许"]),
        (
            [["east_officer", "甲", "S-E", "", "所长"]],
            ["row 2, 用户名: 用户名已存在；更新请选择更新模式（--update）"],
        ),
        ([["", "", "S-E"]], ["row 2, 用户名: 必填", "row 2, 姓名: 必填"]),
    ],
)
def test_officers_import_reports_each_error_and_writes_nothing(
    county: County, tmp_path: Path, rows: list[list[str]], errors: list[str]
) -> None:
    cert = county.west_officer.certificate_number or ""
    rows = [[cell.replace("{cert}", cert) for cell in row] for row in rows]
    path = write_csv(tmp_path / "officers.csv", OFFICER_HEADER, rows)
    assert rejected(org_io.import_officers, path) == [e.replace("{cert}", cert) for e in errors]


def test_officers_import_with_update_refuses_a_password_for_an_existing_officer(
    county: County, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "officers.csv",
        OFFICER_HEADER,
        [["east_officer", "甲", "S-E", "", "所长", "", "", "long enough 1"]],
    )
    assert rejected(org_io.import_officers, path, update=True) == [
        "row 2, 初始密码: 初始密码只用于新建人员"
    ]


def test_officers_import_with_update_changes_unit_roles_and_activity(
    county: County, tmp_path: Path
) -> None:
    cert = county.east_officer.certificate_number
    path = write_csv(
        tmp_path / "officers.csv",
        OFFICER_HEADER,
        [["east_officer", "东干部", "S-W", cert, "所长", "", "否", ""]],
    )
    result = org_io.import_officers(path, update=True)

    assert (result.created, result.updated, result.unchanged) == (0, 1, 0)
    officer = Officer.objects.get(username="east_officer")
    assert (officer.name, officer.unit, officer.is_active) == ("东干部", county.west, False)
    assert officer.role_codes() == {Role.STATION_DIRECTOR}


def test_officers_import_accepts_a_numeric_password_cell_from_xlsx(
    county: County, tmp_path: Path
) -> None:
    path = write_xlsx(
        tmp_path / "officers.xlsx",
        OFFICER_HEADER,
        [["x1", "甲", "S-E", "", "所长", "", "", 20260101]],
    )
    assert org_io.import_officers(path).created == 1
    assert Officer.objects.get(username="x1").check_password("20260101")


def test_officers_import_accepts_a_numeric_unit_code_cell_from_xlsx(
    county: County, tmp_path: Path
) -> None:
    services.create_unit(
        code="1001", name="城南所", kind="station", parent=county.bureau, region_code=REGION
    )
    path = write_xlsx(tmp_path / "officers.xlsx", OFFICER_HEADER, [["x1", "甲", 1001, "", "所长"]])
    assert org_io.import_officers(path).created == 1
    assert Officer.objects.get(username="x1").unit.code == "1001"  # type: ignore[union-attr]


# Grids ---------------------------------------------------------------------------------------


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
    result = org_io.import_grids(path)

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


# Round trips ---------------------------------------------------------------------------------


def export(kind: str, fmt: str, path: Path) -> Path:
    err = StringIO()
    call_command("export", kind, "--format", fmt, "-o", str(path), stderr=err)
    assert err.getvalue().startswith("exported ")
    return path


def import_file(kind: str, path: Path, *options: str) -> str:
    out = StringIO()
    call_command("import", kind, str(path), *options, stdout=out)
    return out.getvalue().strip()


def records() -> dict[str, Any]:
    """Every organisation record by its natural key (no database ids)."""
    return {
        "units": unit_tree()
        | {
            f"{u.code}:values": (u.name, u.region_code, u.address, u.phone)
            for u in Unit.objects.all()
        },
        "officers": {
            o.username: (
                o.name,
                o.unit.code if o.unit else None,
                o.certificate_number,
                sorted(o.role_codes()),
                o.phone,
                o.is_active,
                o.is_staff,
            )
            for o in Officer.objects.select_related("unit")
        },
        "grids": {
            g.code: (
                g.name,
                g.station.code,
                g.section.code,
                g.section.name,
                g.section.zone.code,
                g.section.zone.name,
                g.officer.username if g.officer else None,
                g.region_code,
                json.loads(json.dumps(g.boundary)),
                g.area_km2,
            )
            for g in Grid.objects.select_related("station", "section__zone", "officer")
        },
    }


@pytest.fixture
def varied(county: County) -> County:
    """The county with the optional columns filled in: an address, a phone, an inactive officer."""
    Unit.objects.filter(code="S-E").update(address="东大街 8 号", phone="0999-8123456")
    county.west_officer.phone = "13900000000"
    county.west_officer.is_active = False
    county.west_officer.save()
    county.east_director.roles.add(Role.GRID_OFFICER)
    return county


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("kind", ["units", "officers"])
def test_exported_file_reimports_with_update_as_unchanged(
    varied: County, tmp_path: Path, kind: str, fmt: str
) -> None:
    path = export(kind, fmt, tmp_path / f"{kind}.{fmt}")
    before, events = records(), AuditEvent.objects.count()

    message = import_file(kind, path, "--update")

    count = {"units": Unit, "officers": Officer}[kind].objects.count()
    assert message == f"imported {kind}: created 0, updated 0, unchanged {count}"
    assert records() == before
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "geojson"])
def test_exported_grids_reimport_with_update_as_unchanged(
    varied: County, tmp_path: Path, fmt: str
) -> None:
    path = export("grids", fmt, tmp_path / f"grids.{fmt}")
    before = records()
    assert (
        import_file("grids", path, "--update")
        == "imported grids: created 0, updated 0, unchanged 2"
    )
    assert records() == before


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "geojson"])
def test_exported_grids_reimport_with_update_without_changing_any_record(
    varied: County, tmp_path: Path, fmt: str
) -> None:
    path = export("grids", fmt, tmp_path / f"grids.{fmt}")
    before = records()
    assert import_file("grids", path, "--update").startswith("imported grids: created 0, ")
    assert records() == before


def wipe_organisation() -> None:
    Grid.objects.all().delete()
    Section.objects.all().delete()
    Zone.objects.all().delete()
    Officer.objects.all().delete()
    for unit in Unit.objects.order_by("-depth"):
        unit.delete()
    assert sum(counts()[m] for m in ("Unit", "Officer", "Zone", "Section", "Grid")) == 0


@pytest.mark.parametrize(("table", "grids"), [("csv", "geojson"), ("xlsx", "xlsx"), ("csv", "csv")])
def test_export_then_import_into_an_empty_database_reproduces_the_records(
    varied: County, tmp_path: Path, table: str, grids: str
) -> None:
    files = {
        "units": export("units", table, tmp_path / f"units.{table}"),
        "officers": export("officers", table, tmp_path / f"officers.{table}"),
        "grids": export("grids", grids, tmp_path / f"grids.{grids}"),
    }
    before = records()
    wipe_organisation()

    assert (
        import_file("units", files["units"]) == "imported units: created 4, updated 0, unchanged 0"
    )
    assert (
        import_file("officers", files["officers"])
        == "imported officers: created 7, updated 0, unchanged 0"
    )
    assert (
        import_file("grids", files["grids"]) == "imported grids: created 2, updated 0, unchanged 0"
    )
    assert records() == before


def test_exported_officers_carry_no_password(varied: County, tmp_path: Path) -> None:
    path = export("officers", "csv", tmp_path / "officers.csv")
    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0] == OFFICER_HEADER
    assert {row[-1] for row in rows[1:]} == {""}
    assert "md5$" not in path.read_text(encoding="utf-8")


def test_geojson_export_is_refused_for_units(county: County, tmp_path: Path) -> None:
    with pytest.raises(CommandError) as raised:
        call_command("export", "units", "--format", "geojson", "-o", str(tmp_path / "u.geojson"))
    assert (raised.value.returncode, str(raised.value)) == (
        2,
        "only grids can be exported as geojson",
    )


# The command line ----------------------------------------------------------------------------


def test_import_command_prints_every_error_and_exits_with_status_2(
    county: County, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "units.csv",
        UNIT_HEADER[:5],
        [["X", "某所", "所", "ZZ", REGION], ["S-E", "城东所", "所", "B", "65400"]],
    )
    before, err = counts(), StringIO()

    with pytest.raises(CommandError) as raised:
        call_command("import", "units", str(path), stderr=err)

    assert raised.value.returncode == 2
    assert str(raised.value) == "导入失败：发现 3 处错误，未写入任何数据。"
    assert err.getvalue().splitlines() == [
        "row 2, 上级单位代码: 未知的上级单位代码：ZZ",
        "row 3, 行政区划代码: 应为 6 位数字：65400",
        "row 3, 单位代码: 单位代码已存在；更新请选择更新模式（--update）",
    ]
    assert counts() == before


def test_import_command_refuses_a_missing_file_and_an_unknown_user(
    county: County, tmp_path: Path
) -> None:
    missing = tmp_path / "missing.csv"
    with pytest.raises(CommandError) as raised:
        call_command("import", "units", str(missing))
    assert (raised.value.returncode, str(raised.value)) == (2, f"no such file: {missing}")

    path = write_csv(
        tmp_path / "units.csv", UNIT_HEADER[:5], [["S-N", "城北所", "所", "B", REGION]]
    )
    with pytest.raises(CommandError) as raised:
        call_command("import", "units", str(path), "--user", "nobody")
    assert (raised.value.returncode, str(raised.value)) == (2, "unknown user: nobody")
    assert not Unit.objects.filter(code="S-N").exists()


def test_import_command_attributes_the_trace_to_the_named_user(
    county: County, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "units.csv", UNIT_HEADER[:5], [["S-N", "城北所", "所", "B", REGION]]
    )
    assert (
        import_file("units", path, "--user", "admin")
        == "imported units: created 1, updated 0, unchanged 0"
    )

    [event] = history(Unit.objects.get(code="S-N"))
    assert (event.actor, event.source) == (county.admin, AuditEvent.Source.CLI)
