"""Reading and writing tables (CSV, XLSX) for imports and exports.

Headers are the Chinese labels; the English column names are accepted too. Errors are
collected, never raised one at a time, and each names its row (as a spreadsheet numbers
it: the header is row 1) and its column: ``row 3, 统一社会信用代码: …``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _

from xiaoneng.core.errors import FieldError, InvalidInput

CSV_ENCODINGS = ("utf-8-sig", "gb18030")
# Decimal's default context keeps 28 significant digits.
MAX_DIGITS = 28


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
            data = handle.read()
    else:
        data = source.read()
    if suffix == ".csv":
        return _read_csv(data)
    return _read_xlsx(data)


def _read_csv(data: bytes) -> Iterator[list[Any]]:
    for encoding in CSV_ENCODINGS:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportRejected([RowError(1, _("文件"), _("无法识别的文本编码：请保存为 UTF-8"))])
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
    """A cell with surrounding spaces removed; an empty cell is None."""
    if isinstance(value, str):
        return value.strip() or None  # str.strip() removes the ideographic space U+3000 too
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


def cell_text(value: Any) -> str:
    """A value as written into an export cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def write_csv(stream: IO[str], columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> int:
    """Write a CSV with the Chinese labels as header (with a BOM, so spreadsheets read UTF-8)."""
    stream.write("\ufeff")
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow([c.label for c in columns])
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
    """Write an XLSX workbook with one sheet; every cell is text so codes keep leading zeros."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    sheet.append([c.label for c in columns])
    count = 0
    for row in rows:
        sheet.append([cell_text(v) for v in row])
        count += 1
    book.save(target)
    return count
