"""Units import: a tree from a file in any order; every error reported, nothing half written."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import County
from tests.org.factories import REGION
from tests.org.io.helpers import UNIT_HEADER, rejected, unit_tree, write_csv, write_xlsx
from xiaoneng.core.tabular import ImportRejected
from xiaoneng.org import io as org_io
from xiaoneng.org import services
from xiaoneng.org.models import Unit


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
    result = org_io.import_units(source=path)

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
    assert org_io.import_units(source=path).created == 1
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
    result = org_io.import_units(source=path, update=True)

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
        org_io.import_units(source=path, update=True)
    assert Unit.objects.get(code="K2").kind == Unit.Kind.BUREAU
