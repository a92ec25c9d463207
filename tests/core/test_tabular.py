"""Reading and writing import/export tables: encodings, XLSX, headers, cell parsers."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from xiaoneng.core.tabular import (
    CellError,
    Column,
    ImportRejected,
    RowError,
    bind_columns,
    cell_text,
    parse_bool,
    parse_date,
    parse_decimal,
    parse_float,
    read_table,
    rows_as_dicts,
    spreadsheet_text,
    write_csv,
    write_xlsx,
)

COLUMNS = [
    Column("code", "单位代码", required=True),
    Column("name", "名称", required=True),
    Column("phone", "电话"),
]


def rejection(raised: pytest.ExceptionInfo[ImportRejected]) -> list[str]:
    return [str(e) for e in raised.value.row_errors]


def test_csv_with_a_bom_reads_the_first_header_without_it(tmp_path: Path) -> None:
    path = tmp_path / "units.csv"
    path.write_bytes("单位代码,名称\nB,示范县局\n".encode("utf-8-sig"))
    assert list(read_table(path)) == [["单位代码", "名称"], ["B", "示范县局"]]


def test_gb18030_csv_is_read(tmp_path: Path) -> None:
    path = tmp_path / "units.csv"
    path.write_bytes("单位代码,名称\nB,示范县市场监督管理局\n".encode("gb18030"))
    assert list(read_table(path)) == [["单位代码", "名称"], ["B", "示范县市场监督管理局"]]


def test_csv_in_no_known_encoding_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "units.csv"
    path.write_bytes(b"\x80\xff,\x81\x30\n")
    with pytest.raises(ImportRejected) as raised:
        read_table(path)
    assert rejection(raised) == ["row 1, 文件: 无法识别的文本编码：请保存为 UTF-8"]


def test_csv_keeps_quoted_commas_and_newlines(tmp_path: Path) -> None:
    path = tmp_path / "units.csv"
    path.write_text('单位代码,名称\nB,"示范县,局\n二楼"\n', encoding="utf-8")
    assert list(read_table(path)) == [["单位代码", "名称"], ["B", "示范县,局\n二楼"]]


def test_xlsx_first_sheet_is_read_with_cell_types(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["单位代码", "名称", "成立日期", "人数"])
    sheet.append(["B", "示范县局", dt.datetime(2024, 1, 31), 12])
    book.create_sheet("其他").append(["ignored"])
    path = tmp_path / "units.xlsx"
    book.save(path)

    rows = list(read_table(path))
    assert rows == [
        ["单位代码", "名称", "成立日期", "人数"],
        ["B", "示范县局", dt.datetime(2024, 1, 31), 12],
    ]


def test_an_uploaded_stream_is_read_by_its_filename() -> None:
    stream = io.BytesIO("单位代码\nB\n".encode())
    assert list(read_table(stream, filename="上传.CSV")) == [["单位代码"], ["B"]]


def test_a_broken_xlsx_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "units.xlsx"
    path.write_bytes(b"not a zip file")
    with pytest.raises(ImportRejected) as raised:
        read_table(path)
    [message] = rejection(raised)
    assert message.startswith("row 1, 文件: 无法读取 XLSX 文件：")


@pytest.mark.parametrize("name", ["units.xls", "units.txt", "units", "units.json"])
def test_unsupported_file_extension_is_rejected(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"code\nB\n")
    with pytest.raises(ImportRejected) as raised:
        read_table(path)
    assert rejection(raised) == ["row 1, 文件: 不支持的文件格式：只接受 .csv 或 .xlsx"]
    assert raised.value.message == "导入失败：发现 1 处错误，未写入任何数据。"


def test_bind_columns_accepts_chinese_labels_and_english_names_in_any_order() -> None:
    positions, errors = bind_columns(["电话", " name ", "单位代码"], COLUMNS)
    assert (positions, errors) == ({"phone": 0, "name": 1, "code": 2}, [])


def test_bind_columns_ignores_empty_header_cells() -> None:
    positions, errors = bind_columns(["单位代码", None, "", "名称"], COLUMNS)
    assert (positions, errors) == ({"code": 0, "name": 3}, [])


def test_unknown_header_is_an_error() -> None:
    _positions, errors = bind_columns(["单位代码", "名称", "传真"], COLUMNS)
    assert [str(e) for e in errors] == ["row 1, 传真: 未知的列名"]


def test_duplicate_header_is_an_error_even_as_label_and_name() -> None:
    _positions, errors = bind_columns(["单位代码", "名称", "code"], COLUMNS)
    assert errors == [RowError(1, "code", "列重复")]


def test_missing_required_column_is_an_error_named_by_its_label() -> None:
    _positions, errors = bind_columns(["单位代码", "电话"], COLUMNS)
    assert [str(e) for e in errors] == ["row 1, 名称: 缺少必需的列"]


def test_every_header_error_is_reported_at_once() -> None:
    _positions, errors = bind_columns(["单位代码", "单位代码", "传真"], COLUMNS)
    assert [str(e) for e in errors] == [
        "row 1, 单位代码: 列重复",
        "row 1, 传真: 未知的列名",
        "row 1, 名称: 缺少必需的列",
    ]


def test_rows_as_dicts_numbers_rows_like_a_spreadsheet_and_skips_blank_rows() -> None:
    rows = iter([["B", " 示范县局 "], ["", "  "], ["S", "\u3000城东所"], ["X"]])
    assert list(rows_as_dicts(rows, {"code": 0, "name": 1})) == [
        (2, {"code": "B", "name": "示范县局"}),
        (4, {"code": "S", "name": "城东所"}),
        (5, {"code": "X", "name": None}),
    ]


@pytest.mark.parametrize(
    "text",
    ["2024-01-31", "2024/1/31", "20240131", "2024.01.31", "2024年1月31日", " 2024-1-31 "],
)
def test_parse_date_reads_the_usual_formats(text: str) -> None:
    assert parse_date(text) == dt.date(2024, 1, 31)


def test_parse_date_reads_spreadsheet_date_cells() -> None:
    assert parse_date(dt.datetime(2024, 1, 31, 8, 30)) == dt.date(2024, 1, 31)
    assert parse_date(dt.date(2024, 1, 31)) == dt.date(2024, 1, 31)
    assert parse_date(None) is None


@pytest.mark.parametrize("text", ["2024-02-30", "31/01/2024", "明天"])
def test_parse_date_refuses_anything_else_with_the_value_in_the_message(text: str) -> None:
    with pytest.raises(CellError) as raised:
        parse_date(text)
    assert str(raised.value) == f"日期格式错误：{text}（应为 YYYY-MM-DD）"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("12", "12.00"), ("1,234.5", "1234.50"), (" 0.10 ", "0.10"), (0.1, "0.10"), (7, "7.00")],
)
def test_parse_decimal_reads_numbers_with_up_to_two_decimals(value: object, expected: str) -> None:
    assert parse_decimal(value) == Decimal(expected)
    assert str(parse_decimal(value)) == expected


def test_parse_decimal_refuses_three_decimals() -> None:
    with pytest.raises(CellError) as raised:
        parse_decimal("1.234")
    assert str(raised.value) == "最多保留 2 位小数：1.234"


@pytest.mark.parametrize("text", ["abc", "一百", "NaN", "Infinity"])
def test_parse_decimal_refuses_text_and_non_finite_numbers(text: str) -> None:
    with pytest.raises(CellError) as raised:
        parse_decimal(text)
    assert str(raised.value) == f"不是有效的数字：{text}"


@pytest.mark.parametrize("text", ["1e30", "123456789012345678901234567890"])
def test_parse_decimal_refuses_a_huge_number_with_a_cell_error(text: str) -> None:
    with pytest.raises(CellError):
        parse_decimal(text)


def test_parse_float_and_parse_bool() -> None:
    assert parse_float(" 81.25 ") == 81.25
    with pytest.raises(CellError) as not_a_number:
        parse_float("nan")
    assert str(not_a_number.value) == "不是有效的数字：nan"
    assert [parse_bool(v) for v in ("是", "Y", "否", "0", None, True)] == [
        True,
        True,
        False,
        False,
        None,
        True,
    ]
    with pytest.raises(CellError) as not_a_bool:
        parse_bool("也许")
    assert str(not_a_bool.value) == "应为“是”或“否”：也许"


def test_cell_text_writes_booleans_in_chinese_and_dates_iso() -> None:
    assert [cell_text(v) for v in (None, True, False, dt.date(2024, 1, 31), 12)] == [
        "",
        "是",
        "否",
        "2024-01-31",
        "12",
    ]


def test_csv_written_with_labels_and_bom_reads_back(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    with open(path, "w", encoding="utf-8", newline="") as stream:
        count = write_csv(stream, COLUMNS, [["B", "示范县局", None], ["S", "城东所", "0999"]])

    assert count == 2
    assert path.read_bytes().startswith("\ufeff单位代码".encode())
    assert list(read_table(path)) == [
        ["单位代码", "名称", "电话"],
        ["B", "示范县局", ""],
        ["S", "城东所", "0999"],
    ]


def test_xlsx_written_keeps_codes_as_text_and_reads_back(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    count = write_xlsx(path, COLUMNS, [["007", "示范县局", True]], title="单位")

    assert count == 1
    assert load_workbook(path).sheetnames == ["单位"]
    assert list(read_table(path)) == [["单位代码", "名称", "电话"], ["007", "示范县局", "是"]]


# Safe cells: formula injection and control characters ------------------------------------

FORMULAS = ['=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)"]


@pytest.mark.parametrize("text", FORMULAS)
def test_spreadsheet_text_quotes_what_a_spreadsheet_would_run(text: str) -> None:
    assert spreadsheet_text(text) == "'" + text


@pytest.mark.parametrize("text", ["\tx", "\rx"])
def test_spreadsheet_text_quotes_a_leading_tab_or_carriage_return(text: str) -> None:
    assert spreadsheet_text(text) == "'" + text


def test_spreadsheet_text_replaces_control_characters_and_keeps_line_breaks() -> None:
    assert spreadsheet_text("a\x00b\x1fc\x7f") == "a\ufffdb\ufffdc\ufffd"
    assert spreadsheet_text("a\tb\nc") == "a\tb\nc"


def test_csv_quotes_formula_text_but_writes_negative_numbers_as_numbers() -> None:
    stream = io.StringIO()
    write_csv(stream, COLUMNS, [[FORMULAS[1], -5, Decimal("-1.50")]])
    assert stream.getvalue().splitlines()[1] == "'=cmd|' /C calc'!A0,-5,-1.50"


def test_xlsx_stores_formula_like_text_as_text(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    write_xlsx(path, COLUMNS, [[FORMULAS[0], FORMULAS[1], -5]], title="=单位")
    book = load_workbook(path)
    sheet = book.worksheets[0]
    assert book.sheetnames == ["'=单位"]
    assert [(c.value, c.data_type) for c in sheet[2]] == [
        ("'" + FORMULAS[0], "s"),
        ("'" + FORMULAS[1], "s"),
        (-5, "n"),
    ]


def test_a_quoted_export_imports_back_as_it_was_stored(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    with open(path, "w", encoding="utf-8", newline="") as stream:
        write_csv(stream, COLUMNS, [["B", FORMULAS[0], "-"]])
    _header, row = read_table(path)
    assert list(rows_as_dicts(iter([row]), {"code": 0, "name": 1, "phone": 2})) == [
        (2, {"code": "B", "name": FORMULAS[0], "phone": "-"})
    ]


def test_xlsx_with_control_characters_in_stored_text_is_written(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    write_xlsx(path, COLUMNS, [["B", "示范\x00县局\x0b", None]], title="单位")
    assert load_workbook(path).worksheets[0]["B2"].value == "示范\ufffd县局\ufffd"


# Bounded input: control characters, cell and file size ------------------------------------


@pytest.mark.parametrize("bad", ["\x00", "\x01", "\x0c", "\x1f", "\x7f"])
def test_a_control_character_in_a_csv_cell_is_a_row_error(tmp_path: Path, bad: str) -> None:
    path = tmp_path / "units.csv"
    path.write_text(f"单位代码,名称\nB,示范县局\nS,城东{bad}所\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as raised:
        read_table(path)
    assert rejection(raised) == ["row 3, 名称: 不能含控制字符"]


def test_a_cell_over_the_csv_modules_own_limit_is_a_row_error(tmp_path: Path) -> None:
    path = tmp_path / "units.csv"
    path.write_text("单位代码,名称\nB," + "局" * 131_073 + "\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as raised:
        read_table(path)
    assert rejection(raised) == ["row 2, 名称: 内容有 131073 个字符，超过 10000 个字符的上限"]


def test_an_xlsx_cell_over_the_limit_is_a_row_error(tmp_path: Path) -> None:
    book = Workbook()
    book.active.append(["单位代码", "名称"])
    book.active.append(["B", "x" * 10_001])
    path = tmp_path / "units.xlsx"
    book.save(path)
    with pytest.raises(ImportRejected) as raised:
        read_table(path)
    assert rejection(raised) == ["row 2, 名称: 内容有 10001 个字符，超过 10000 个字符的上限"]


def test_a_cell_of_exactly_the_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "units.csv"
    path.write_text("单位代码,名称\nB," + "x" * 10_000 + "\n", encoding="utf-8")
    assert len(list(read_table(path))[1][1]) == 10_000


def test_a_file_over_the_size_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("xiaoneng.core.tabular.MAX_FILE_BYTES", 1024 * 1024)
    path = tmp_path / "units.csv"
    path.write_bytes(b"code\n" + b"B\n" * (1024 * 1024))
    with pytest.raises(ImportRejected) as raised:
        read_table(path)
    assert rejection(raised) == ["row 1, 文件: 文件超过 1 MB，请分成几个文件导入"]


# XLSX layout ---------------------------------------------------------------------------------


def test_xlsx_sheet_has_a_styled_frozen_header_fitted_widths_and_typed_cells(
    tmp_path: Path,
) -> None:
    columns = [
        Column("code", "代码"),
        Column("note", "说明"),
        Column("capital", "注册资本"),
        Column("count", "人数"),
        Column("day", "成立日期"),
    ]
    long_note = "很长的说明文字" * 20
    rows = [
        ["007", "短", Decimal("1234567.80"), 12, dt.date(2024, 1, 31)],
        ["008", long_note, Decimal("-5.00"), 0, None],
        ["009", "", Decimal("206.125"), 1, None],
    ]
    path = tmp_path / "out.xlsx"
    write_xlsx(path, columns, rows, title="单位")
    sheet = load_workbook(path).worksheets[0]

    header = sheet[1]
    assert all(c.font.bold for c in header)
    assert {c.fill.fgColor.rgb for c in header} == {"00DDEBF7"}
    assert sheet.freeze_panes == "A2"
    code, _note, capital, count, day = sheet[2]
    assert (code.value, code.data_type) == ("007", "s")
    assert (capital.value, capital.data_type, capital.number_format) == (
        1234567.8,
        "n",
        "#,##0.00",
    )
    assert (count.value, count.data_type) == (12, "n")
    assert (day.value, day.number_format) == (dt.datetime(2024, 1, 31), "yyyy-mm-dd")
    widths = {k: sheet.column_dimensions[k].width for k in "ABCDE"}
    assert widths["A"] == 6  # a short column is not narrower than the minimum
    assert widths["B"] == 50  # capped
    assert widths["C"] == len("1,234,567.80") + 2
    assert widths["E"] == len("2024-01-31") + 2
    assert sheet["B3"].alignment.wrap_text
    quantity = sheet["C4"]  # three places: a quantity, not money
    assert (quantity.value, quantity.number_format) == (206.125, "General")
    assert sheet["B3"].value == long_note


def test_a_float_needing_seventeen_digits_is_written_exactly(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    write_xlsx(path, COLUMNS, [[43.855000000000004, 81.205, None]], title="单位")
    sheet = load_workbook(path).worksheets[0]
    assert float(sheet["A2"].value) == 43.855000000000004
    assert sheet["B2"].value == 81.205
