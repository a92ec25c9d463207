"""The period report's workbook: every sheet laid out the same way (styled frozen header,
fitted widths, money as numbers with two decimals, counts as whole numbers), and no cell a
spreadsheet would run as a formula."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from openpyxl.workbook import Workbook

from tests.conftest import County
from tests.reports.helpers import seed_cases
from xiaoneng.cases.models import ConfiscatedGoods
from xiaoneng.reports.export import write_xlsx
from xiaoneng.reports.period import period_report
from xiaoneng.reports.scope import parse_request

FORMULA = '=HYPERLINK("http://x","y")'


@pytest.fixture
def workbook(county: County) -> Workbook:
    seed_cases(county)
    out = io.BytesIO()
    start, end, unit = parse_request(
        start="2026-01-01", end="2026-06-30", unit_code=None, user=None
    )
    write_xlsx(period_report(start=start, end=end, unit=unit, user=None), out)
    return load_workbook(io.BytesIO(out.getvalue()))


def test_every_sheet_has_a_bold_filled_frozen_header_and_fitted_widths(
    workbook: Workbook,
) -> None:
    for sheet in workbook.worksheets:
        header = [c for c in sheet[1] if c.value is not None]
        assert header and all(c.font.bold for c in header), sheet.title
        assert {c.fill.fgColor.rgb for c in header} == {"00DDEBF7"}, sheet.title
        assert sheet.freeze_panes == "A2", sheet.title
        width = sheet.column_dimensions["A"].width
        assert 6 <= width <= 50, sheet.title


def test_the_sentences_sheet_wraps_its_long_lines(workbook: Workbook) -> None:
    sheet = workbook["报告"]
    assert sheet.column_dimensions["A"].width == 50
    assert all(c.alignment.wrap_text for (c,) in sheet.iter_rows(min_row=3))


def test_money_is_a_number_with_two_decimals_and_counts_are_whole_numbers(
    workbook: Workbook,
) -> None:
    sheet = workbook["案件"]
    total = sheet[sheet.max_row]
    assert total[0].value == "合计"
    assert [(c.data_type, type(c.value)) for c in total[1:3]] == [("n", int), ("n", int)]
    for money in total[3:5]:
        assert money.data_type == "n" and money.number_format == "#,##0.00"
    assert Decimal(str(total[3].value)) == Decimal("1009.11")
    assert total[1].value == 124


def test_goods_named_like_a_formula_are_quoted_text_and_quantities_numbers(
    county: County, tmp_path: Path
) -> None:
    case = seed_cases(county)[0]
    ConfiscatedGoods.objects.create(
        case=case, description=FORMULA, quantity=Decimal("206.000"), measure="吨",
        value=Decimal("1000.00"),
    )  # fmt: skip
    target = tmp_path / "report.xlsx"
    call_command(
        "report", "period", "--from", "2026-01-01", "--to", "2026-06-30", "-o", str(target),
        stdout=io.StringIO(),
    )  # fmt: skip
    book = load_workbook(target)
    goods = book["罚没物品"]
    description, quantity = goods["B2"], goods["C2"]
    assert (description.value, description.data_type) == ("'" + FORMULA, "s")
    assert quantity.data_type == "n" and quantity.value == 206
    assert not [
        (sheet.title, cell.coordinate)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]
