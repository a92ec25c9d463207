"""Exports are safe to open and never crash on what is stored; imports and CLI exports refuse
bad input with a one-line message (issue 9: items 14, 15, 16, 20)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from openpyxl import load_workbook

from tests.conftest import County, client_for
from tests.registry.factories import make_entity, make_uscc
from xiaoneng.core.models import AuditEvent
from xiaoneng.registry.models import Entity

HYPERLINK = '=HYPERLINK("http://x","y")'
CALC = "=cmd|' /C calc'!A0"
# PostgreSQL cannot store NUL at all (the boundary refuses it); other controls it keeps.
STORED_CONTROLS = "\x01\x1b" if connection.vendor == "postgresql" else "\x00\x01\x1b"


def formula_entities() -> None:
    make_entity(name=HYPERLINK, legal_representative="-张三")
    make_entity(name=CALC, address="@解放路", registered_capital=-0)


def csv_names(content: bytes) -> dict[str, list[str]]:
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    header = rows[0]
    return {header[i]: [r[i] for r in rows[1:]] for i in range(len(header))}


def xlsx_cells(content: bytes | Path) -> dict[str, list[tuple[Any, str]]]:
    source = io.BytesIO(content) if isinstance(content, bytes) else content
    sheet = load_workbook(source).worksheets[0]
    rows = list(sheet.iter_rows())
    header = [c.value for c in rows[0]]
    return {h: [(r[i].value, r[i].data_type) for r in rows[1:]] for i, h in enumerate(header)}


def page_export(county: County, fmt: str) -> bytes:
    response = client_for(county.admin).get(f"/transfer/export/entities/?format={fmt}")
    assert response.status_code == 200
    return bytes(response.content)


def cli_export(tmp_path: Path, fmt: str) -> Path:
    target = tmp_path / f"entities.{fmt}"
    call_command("export", "entities", "--format", fmt, "-o", str(target), stderr=io.StringIO())
    return target


# 14 Formula injection --------------------------------------------------------------------


def test_page_csv_export_quotes_formulas(county: County) -> None:
    formula_entities()
    columns = csv_names(page_export(county, "csv"))
    assert sorted(columns["名称"]) == sorted(["'" + HYPERLINK, "'" + CALC])
    assert "'-张三" in columns["法定代表人"] and "'@解放路" in columns["住所"]


def test_page_xlsx_export_stores_formulas_as_quoted_text(county: County) -> None:
    formula_entities()
    names = xlsx_cells(page_export(county, "xlsx"))["名称"]
    assert sorted(names) == sorted([("'" + HYPERLINK, "s"), ("'" + CALC, "s")])


def test_api_xlsx_export_stores_formulas_as_quoted_text(county: County) -> None:
    formula_entities()
    response = client_for(county.admin).get("/api/v1/export/entities?format=xlsx")
    names = xlsx_cells(bytes(response.content))["名称"]
    assert sorted(names) == sorted([("'" + HYPERLINK, "s"), ("'" + CALC, "s")])


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_cli_export_quotes_formulas(county: County, tmp_path: Path, fmt: str) -> None:
    formula_entities()
    target = cli_export(tmp_path, fmt)
    if fmt == "csv":
        names = csv_names(target.read_bytes())["名称"]
    else:
        cells = xlsx_cells(target)["名称"]
        assert {kind for _value, kind in cells} == {"s"}
        names = [value for value, _kind in cells]
    assert sorted(names) == sorted(["'" + HYPERLINK, "'" + CALC])


def test_xlsx_export_keeps_numbers_and_dates_typed(county: County, tmp_path: Path) -> None:
    import datetime as dt
    from decimal import Decimal

    make_entity(registered_capital=Decimal("1234567.89"), established=dt.date(2021, 5, 6))
    cells = load_workbook(cli_export(tmp_path, "xlsx")).worksheets[0]
    header = [c.value for c in cells[1]]
    row = {h: c for h, c in zip(header, cells[2], strict=True)}
    assert (row["注册资本（元）"].value, row["注册资本（元）"].number_format) == (
        1234567.89,
        "#,##0.00",
    )
    assert (row["成立日期"].value, row["成立日期"].number_format) == (
        dt.datetime(2021, 5, 6),
        "yyyy-mm-dd",
    )
    assert row["统一社会信用代码"].data_type == "s" and row["行政区划代码"].value == "654002"
    assert all(c.font.bold for c in cells[1]) and cells.freeze_panes == "A2"


# 15 Control characters --------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_entity_stored_with_control_characters_exports(
    county: County, tmp_path: Path, fmt: str
) -> None:
    make_entity(name=f"好味道{STORED_CONTROLS}餐饮")
    shown = "好味道" + "\ufffd" * len(STORED_CONTROLS) + "餐饮"
    if fmt == "xlsx":
        assert xlsx_cells(page_export(county, "xlsx"))["名称"] == [(shown, "s")]
        assert xlsx_cells(cli_export(tmp_path, "xlsx"))["名称"] == [(shown, "s")]
    else:
        assert csv_names(page_export(county, "csv"))["名称"] == [shown]


def entity_csv(name: str) -> bytes:
    lines = [
        "统一社会信用代码,名称,主体类型,行业代码",
        f"{make_uscc()},好味道餐饮店,个体工商户,H6210",
        f"{make_uscc()},{name},个体工商户,H6210",
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_a_page_import_with_a_nul_is_a_row_error_and_writes_nothing(county: County) -> None:
    events = AuditEvent.objects.count()
    upload = SimpleUploadedFile("nul.csv", entity_csv("坏\x00名字"))
    response = client_for(county.admin).post("/transfer/", {"kind": "entities", "file": upload})
    page = response.content.decode()
    assert "导入失败：发现 1 处错误，未写入任何数据。" in page
    assert "<td>3</td><td>名称</td><td>不能含控制字符</td>" in page
    assert Entity.objects.count() == 0 and AuditEvent.objects.count() == events


# 16 Cell and file size --------------------------------------------------------------------

TOO_LONG = "长" * 131_073
TOO_LONG_MESSAGE = "内容有 131073 个字符，超过 10000 个字符的上限"


def test_a_page_import_with_a_huge_cell_is_a_row_error(county: County) -> None:
    upload = SimpleUploadedFile("long.csv", entity_csv(TOO_LONG))
    response = client_for(county.admin).post("/transfer/", {"kind": "entities", "file": upload})
    assert response.status_code == 200
    assert f"<td>3</td><td>名称</td><td>{TOO_LONG_MESSAGE}</td>" in response.content.decode()
    assert Entity.objects.count() == 0


def test_a_cli_import_with_a_huge_cell_exits_2_with_the_row_error(
    county: County, tmp_path: Path, capsys: Any
) -> None:
    path = tmp_path / "long.csv"
    path.write_bytes(entity_csv(TOO_LONG))
    with pytest.raises(CommandError) as caught:
        call_command("import", "entities", str(path))
    assert caught.value.returncode == 2
    assert f"row 3, 名称: {TOO_LONG_MESSAGE}" in capsys.readouterr().err
    assert Entity.objects.count() == 0


# 20 Export to a folder that does not exist ------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["export", "entities", "--format", "csv"],
        ["export", "entities", "--format", "xlsx"],
        ["export", "units", "--format", "csv"],
        ["export", "officers", "--format", "xlsx"],
        ["export", "grids", "--format", "geojson"],
        ["report", "period", "--from", "2026-01-01", "--to", "2026-01-31", "--format", "xlsx"],
        ["report", "period", "--from", "2026-01-01", "--to", "2026-01-31", "--format", "md"],
    ],
)
def test_every_cli_export_to_a_missing_folder_exits_2_with_one_line(
    county: County, tmp_path: Path, args: list[str]
) -> None:
    target = tmp_path / "missing_dir" / "f.out"
    with pytest.raises(CommandError) as caught:
        call_command(*args, "-o", str(target), stdout=io.StringIO(), stderr=io.StringIO())
    assert caught.value.returncode == 2
    message = str(caught.value)
    assert "\n" not in message and str(target) in message
    assert not target.parent.exists()


def test_checklist_export_to_a_missing_folder_exits_2(county: County, tmp_path: Path) -> None:
    call_command("checklist", "load", stdout=io.StringIO())
    target = tmp_path / "missing_dir" / "f.csv"
    with pytest.raises(CommandError) as caught:
        call_command("checklist", "export", "food-retail", "-o", str(target))
    assert caught.value.returncode == 2
    assert str(caught.value) == f"-o {target}: no such folder {target.parent}"
