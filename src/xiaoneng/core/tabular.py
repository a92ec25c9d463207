"""Reading and writing tables (CSV, XLSX) for imports and exports.

Headers are the Chinese labels; the English column names are accepted too. Errors are
collected, never raised one at a time, and each names its row (as a spreadsheet numbers
it: the header is row 1) and its column: ``row 3, 统一社会信用代码: …``.

A file is read whole and checked before any row is parsed: its size, each cell's length and
control characters (NUL and the like, which PostgreSQL refuses and XLSX cannot hold) are
refused with the row and column. Every text cell written is safe to open in a spreadsheet
(``spreadsheet_text``: no live formula, no control character); XLSX sheets get a styled,
frozen header, fitted column widths, and typed cells (money ``#,##0.00``, dates).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import math
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core.boundary import CONTROL_CHARACTER_MESSAGE, CONTROL_CHARACTERS
from xiaoneng.core.errors import FieldError, InvalidInput

CSV_ENCODINGS = ("utf-8-sig", "gb18030")
# Decimal's default context keeps 28 significant digits.
MAX_DIGITS = 28
# An imported file and one cell of it: the csv module's own cell limit (131,072) would be a
# traceback, and no column of ours needs more than a long address or note.
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_CELL_CHARS = 10_000
# A cell starting with one of these is a formula to a spreadsheet (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    """A column of an import/export file."""

    name: str
    label: str
    required: bool = False


@dataclass(frozen=True)
class RowError:
    """One problem in one cell (or one row, or the header)."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, {self.column}: {self.message}"


class ImportRejected(InvalidInput):
    """The file had errors; nothing was written."""

    def __init__(self, row_errors: Sequence[RowError]) -> None:
        self.row_errors = list(row_errors)
        super().__init__(
            _("导入失败：发现 %(count)d 处错误，未写入任何数据。") % {"count": len(row_errors)},
            errors=[FieldError(f"row {e.row}, {e.column}", e.message) for e in row_errors],
        )


def read_table(
    source: str | Path | IO[bytes], *, filename: str | None = None
) -> Iterator[list[Any]]:
    """Rows of a CSV or XLSX file as lists of cell values; the first row is the header."""
    name = filename or (str(source) if isinstance(source, str | Path) else "")
    suffix = Path(name).suffix.lower()
    if suffix not in {".csv", ".xlsx"}:
        raise ImportRejected([RowError(1, _("文件"), _("不支持的文件格式：只接受 .csv 或 .xlsx"))])
    if isinstance(source, str | Path):
        with open(source, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    else:
        data = source.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        message = _("文件超过 %(limit)d MB，请分成几个文件导入") % {
            "limit": MAX_FILE_BYTES // (1024 * 1024)
        }
        raise ImportRejected([RowError(1, _("文件"), message)])
    rows = _read_csv(data) if suffix == ".csv" else _read_xlsx(data)
    return _checked(rows)


def _checked(rows: Iterable[list[Any]]) -> Iterator[list[Any]]:
    """The rows, once no cell is too long or holds a control character (every error at once)."""
    table = list(rows)
    header = table[0] if table else []
    errors: list[RowError] = []
    for number, row in enumerate(table, start=1):
        for index, value in enumerate(row):
            if not isinstance(value, str):
                continue
            if len(value) > MAX_CELL_CHARS:
                message = _("内容有 %(length)d 个字符，超过 %(limit)d 个字符的上限") % {
                    "length": len(value),
                    "limit": MAX_CELL_CHARS,
                }
                errors.append(RowError(number, _column_name(header, index, number), message))
            elif CONTROL_CHARACTERS.search(value):
                column = _column_name(header, index, number)
                errors.append(RowError(number, column, str(CONTROL_CHARACTER_MESSAGE)))
    if errors:
        raise ImportRejected(errors)
    return iter(table)


def _column_name(header: Sequence[Any], index: int, row: int) -> str:
    """The header's label of a column (as long as the header itself is readable)."""
    label = header[index] if index < len(header) and row > 1 else None
    if isinstance(label, str) and label.strip() and not CONTROL_CHARACTERS.search(label):
        return label.strip()[:50]
    return _("第 %(number)d 列") % {"number": index + 1}


def _read_csv(data: bytes) -> Iterator[list[Any]]:
    for encoding in CSV_ENCODINGS:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportRejected([RowError(1, _("文件"), _("无法识别的文本编码：请保存为 UTF-8"))])
    # The file is bounded, so no cell can exceed it; a long cell is refused by _checked, by row.
    csv.field_size_limit(max(csv.field_size_limit(), MAX_FILE_BYTES))
    return iter(csv.reader(io.StringIO(text, newline="")))


def _read_xlsx(data: bytes) -> Iterator[list[Any]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:
        raise ImportRejected(
            [RowError(1, _("文件"), _("无法读取 XLSX 文件：%(error)s") % {"error": error})]
        ) from error
    sheet = book.worksheets[0]
    return (list(row) for row in sheet.iter_rows(values_only=True))


def bind_columns(
    header: Sequence[Any], columns: Sequence[Column]
) -> tuple[dict[str, int], list[RowError]]:
    """Map each known column to its position in the header; report unknown and missing ones."""
    by_header = {}
    for column in columns:
        by_header[column.label] = column
        by_header[column.name] = column
    positions: dict[str, int] = {}
    errors: list[RowError] = []
    for index, raw in enumerate(header):
        text = clean(raw)
        if text is None:
            continue
        found = by_header.get(str(text))
        if found is None:
            errors.append(RowError(1, str(text), _("未知的列名")))
        elif found.name in positions:
            errors.append(RowError(1, str(text), _("列重复")))
        else:
            positions[found.name] = index
    for column in columns:
        if column.required and column.name not in positions:
            errors.append(RowError(1, column.label, _("缺少必需的列")))
    return positions, errors


def as_text(value: Any) -> str | None:
    """A cell as text: a spreadsheet number 1001.0 reads as "1001"."""
    value = clean(value)
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    return str(value)


def clean(value: Any) -> Any:
    """A cell with surrounding spaces removed; an empty cell is None. The quote an export put
    before a formula-like text (``spreadsheet_text``) is taken off, so exports import back."""
    if isinstance(value, str):
        value = value.strip()  # str.strip() removes the ideographic space U+3000 too
        if len(value) > 1 and value[0] == "'" and value[1] in "=+-@":
            value = value[1:]
        return value or None
    return value


def rows_as_dicts(
    rows: Iterator[list[Any]], positions: dict[str, int]
) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(row number, {column name: cleaned value})`` for each non-blank data row."""
    columns = list(positions.items())
    width = max(positions.values(), default=-1) + 1
    for number, row in enumerate(rows, start=2):
        if len(row) < width:
            row = [*row, *([None] * (width - len(row)))]
        values = {name: clean(row[i]) for name, i in columns}
        if any(v is not None for v in values.values()):
            yield number, values


class CellError(ValueError):
    """A cell's value cannot be read; the message says why."""


def parse_date(value: Any) -> dt.date | None:
    """A date from ``2024-01-31``, ``2024/1/31``, ``20240131`` or a spreadsheet date cell."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        try:
            return dt.date.fromisoformat(text)  # the usual form, without strptime's cost
        except ValueError:
            pass
    for pattern in ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d", "%Y年%m月%d日"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise CellError(_("日期格式错误：%(value)s（应为 YYYY-MM-DD）") % {"value": text})


def parse_decimal(value: Any, *, places: int = 2) -> Decimal | None:
    """A Decimal with at most ``places`` decimals; refuses text, NaN and more decimals."""
    if value is None:
        return None
    text = str(value).replace(",", "").strip()
    if isinstance(value, float):
        text = repr(value)
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise CellError(_("不是有效的数字：%(value)s") % {"value": value}) from None
    if not number.is_finite():
        raise CellError(_("不是有效的数字：%(value)s") % {"value": value})
    if number.adjusted() >= MAX_DIGITS - places:
        raise CellError(_("数值过大：%(value)s") % {"value": value})
    quantized = number.quantize(Decimal(1).scaleb(-places))
    if quantized != number:
        raise CellError(
            _("最多保留 %(places)d 位小数：%(value)s") % {"places": places, "value": value}
        )
    return quantized


def parse_float(value: Any) -> float | None:
    if value is None:
        return None
    try:
        number = float(str(value).strip())
    except ValueError:
        raise CellError(_("不是有效的数字：%(value)s") % {"value": value}) from None
    if number != number or number in (float("inf"), float("-inf")):
        raise CellError(_("不是有效的数字：%(value)s") % {"value": value})
    return number


def parse_bool(value: Any) -> bool | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"是", "y", "yes", "true", "1", "√"}:
        return True
    if text in {"否", "n", "no", "false", "0", "×"}:
        return False
    raise CellError(_("应为“是”或“否”：%(value)s") % {"value": value})


def spreadsheet_text(text: str) -> str:
    """Text as written into a CSV or XLSX cell: a control character becomes U+FFFD (XLSX cannot
    hold one), and text a spreadsheet would run as a formula gets a leading quote (OWASP)."""
    text = CONTROL_CHARACTERS.sub("\ufffd", text)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def cell_text(value: Any) -> str:
    """A value as written into a CSV cell: text made safe, numbers and dates as they read."""
    if value is None:
        return ""
    if isinstance(value, str):
        return spreadsheet_text(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float | Decimal):
        return str(value)
    return spreadsheet_text(str(value))


def write_csv(stream: IO[str], columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> int:
    """Write a CSV with the Chinese labels as header (with a BOM, so spreadsheets read UTF-8)."""
    stream.write("\ufeff")
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow([cell_text(c.label) for c in columns])
    count = 0
    for row in rows:
        writer.writerow([cell_text(v) for v in row])
        count += 1
    return count


def write_xlsx(
    target: str | Path | IO[bytes],
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    *,
    title: str,
) -> int:
    """Write an XLSX workbook with one sheet (``write_sheet``); codes stay text, so they keep
    their leading zeros."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    count = write_sheet(book, title, [c.label for c in columns], rows)
    book.save(target)
    return count


# XLSX sheet layout: every sheet we write looks the same.
MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
MOMENT_FORMAT = "yyyy-mm-dd hh:mm"
MAX_COLUMN_WIDTH = 50
MIN_COLUMN_WIDTH = 6
# Rows read to fit the widths before the sheet is streamed.
WIDTH_SAMPLE_ROWS = 1000


def write_sheet(book: Any, title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Add a sheet to a write-only workbook: a bold, filled, frozen header; columns as wide as
    their content (capped, long text wrapped); typed cells (``xlsx_cell``). Returns the rows."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(title=spreadsheet_text(title)[:31])
    iterator = iter(rows)
    sample = list(itertools.islice(iterator, WIDTH_SAMPLE_ROWS))
    values = [[xlsx_value(v) for v in row] for row in sample]
    widths = [_display_width(str(label)) for label in header]
    wrapped: set[int] = set()
    for row in values:
        for index, value in enumerate(row):
            width = _display_width(_shown(value))
            if index >= len(widths):
                widths.append(width)
            else:
                widths[index] = max(widths[index], width)
            if width > MAX_COLUMN_WIDTH or (isinstance(value, str) and "\n" in value):
                wrapped.add(index)
    for index, width in enumerate(widths):
        fitted = min(max(width + 2, MIN_COLUMN_WIDTH), MAX_COLUMN_WIDTH)
        sheet.column_dimensions[get_column_letter(index + 1)].width = fitted
    sheet.freeze_panes = "A2"
    font, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    alignment = Alignment(vertical="center")
    heading = []
    for label in header:
        cell = WriteOnlyCell(sheet, value=spreadsheet_text(str(label)))
        cell.font, cell.fill, cell.alignment = font, fill, alignment
        heading.append(cell)
    sheet.append(heading)
    wrap = Alignment(wrap_text=True, vertical="top")

    def styled(row: Sequence[Any]) -> list[Any]:
        out: list[Any] = []
        for index, value in enumerate(row):
            number_format = _number_format(value)
            if number_format is None and index not in wrapped:
                out.append(value)
                continue
            cell = WriteOnlyCell(sheet, value=value)
            if number_format is not None:
                cell.number_format = number_format
            if index in wrapped:
                cell.alignment = wrap
            out.append(cell)
        return out

    count = 0
    for row in values:
        sheet.append(styled(row))
        count += 1
    for raw in iterator:
        sheet.append(styled([xlsx_value(v) for v in raw]))
        count += 1
    return count


def xlsx_value(value: Any) -> Any:
    """A value as an XLSX cell holds it: numbers and dates typed, text made safe
    (``spreadsheet_text``), a yes/no in words, a moment in local time (XLSX has no zones)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal):
        return value if value.is_finite() else str(value)
    if isinstance(value, float):
        # openpyxl writes 16 significant digits: a float that needs 17 goes as its exact text,
        # so that a file imports back unchanged (no spurious coordinate change).
        exact = math.isfinite(value) and float(f"{value:.16g}") == value
        return value if exact else repr(value)
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, dt.date):
        return value
    return spreadsheet_text(str(value))


def _number_format(value: Any) -> str | None:
    if _is_money(value):
        return MONEY_FORMAT
    if isinstance(value, dt.datetime):
        return MOMENT_FORMAT
    if isinstance(value, dt.date):
        return DATE_FORMAT
    return None


def _is_money(value: Any) -> bool:
    """Money is a Decimal of two places (the models' and the reports' 元 and 万元); another
    Decimal (a quantity of 3 places, or normalised) keeps the general number format."""
    return isinstance(value, Decimal) and value.as_tuple().exponent == -2


def _shown(value: Any) -> str:
    """About what a cell shows, to fit its column."""
    if value is None:
        return ""
    if _is_money(value):
        return f"{value:,.2f}"
    if isinstance(value, dt.datetime):
        return "0000-00-00 00:00"
    if isinstance(value, dt.date):
        return "0000-00-00"
    return str(value)


def _display_width(text: str) -> int:
    """Columns a text takes: a CJK character is two; the longest line of a multi-line text."""
    return max(
        (
            sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
            for line in text.split("\n")
        ),
        default=0,
    )
