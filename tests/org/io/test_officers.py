"""Officers import: roles as Chinese labels, units by code; every error reported, nothing half
written."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import County
from tests.org.factories import REGION
from tests.org.io.helpers import OFFICER_HEADER, rejected, write_csv, write_xlsx
from xiaoneng.org import io as org_io
from xiaoneng.org import services
from xiaoneng.org.models import Officer, Role


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
    result = org_io.import_officers(source=path)

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
    result = org_io.import_officers(source=path, update=True)

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
    assert org_io.import_officers(source=path).created == 1
    assert Officer.objects.get(username="x1").check_password("20260101")


def test_officers_import_accepts_a_numeric_unit_code_cell_from_xlsx(
    county: County, tmp_path: Path
) -> None:
    services.create_unit(
        code="1001", name="城南所", kind="station", parent=county.bureau, region_code=REGION
    )
    path = write_xlsx(tmp_path / "officers.xlsx", OFFICER_HEADER, [["x1", "甲", 1001, "", "所长"]])
    assert org_io.import_officers(source=path).created == 1
    assert Officer.objects.get(username="x1").unit.code == "1001"  # type: ignore[union-attr]
