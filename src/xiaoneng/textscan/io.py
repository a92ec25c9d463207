"""Reading records to scan from JSONL or CSV files (UTF-8, with or without BOM, or GB18030).

A malformed line is reported as a ``RecordError`` with its line number and the other lines
still come; a file that cannot be read at all raises ``FileUnreadable``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

JSON_EXTENSIONS = (".jsonl", ".json", ".ndjson")
CSV_EXTENSIONS = (".csv",)
# Columns of an online listing batch: the text scanned is the title and the description.
LISTING_TEXT_COLUMNS = ("title", "description")
ID_COLUMNS = ("id", "listing_id")


class FileUnreadable(ValueError):
    """The file as a whole cannot be read (empty, undecodable, unknown format)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Record:
    """One record to scan; ``line`` is its line number in the file (1 = first line)."""

    line: int
    id: str
    text: str
    kind: str | None = None
    channel: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RecordError:
    """A line that could not be read."""

    line: int
    message: str


def decode(data: bytes) -> str:
    """UTF-8 (a BOM allowed), else GB18030; raises FileUnreadable."""
    if not data.strip():
        raise FileUnreadable("文件为空")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:  # UTF-16 and binary files decode "successfully" as GB18030
            break
        return text
    raise FileUnreadable("文件编码无法识别（既不是 UTF-8 也不是 GB18030）")


def _value(value: Any) -> str | None:
    if value is None:
        return None
    return str(value).strip() or None


def _json_records(text: str) -> Iterator[Record | RecordError]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as error:
            yield RecordError(number, f"第{number}行不是合法的 JSON：{error.msg}")
            continue
        if not isinstance(value, dict):
            yield RecordError(number, f"第{number}行应为 JSON 对象")
            continue
        yield _record(number, value)


def _record(number: int, value: dict[str, Any]) -> Record | RecordError:
    record_id = _value(value.get("id"))
    if record_id is None:
        return RecordError(number, f"第{number}行缺少 id")
    text = value.get("text")
    if not isinstance(text, str) or not text.strip():
        return RecordError(number, f"第{number}行缺少 text")
    extra = {k: v for k, v in value.items() if k not in ("id", "text", "kind", "channel")}
    return Record(
        number, record_id, text, _value(value.get("kind")), _value(value.get("channel")), extra
    )


def _csv_records(text: str) -> Iterator[Record | RecordError]:
    """Checks the header at once (one clear error), then yields the rows."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        raise FileUnreadable("文件为空")
    columns = [c.strip().lstrip("\ufeff") for c in header]
    has_id = any(c in columns for c in ID_COLUMNS)
    has_text = "text" in columns or any(c in columns for c in LISTING_TEXT_COLUMNS)
    if not has_id or not has_text:
        missing = [name for name, ok in (("id", has_id), ("text", has_text)) if not ok]
        needed = "需要 id 与 text，或商品信息的 title/description"
        raise FileUnreadable(f"CSV 表头缺少列：{'、'.join(missing)}（{needed}）")
    return _csv_rows(reader, columns)


def _csv_rows(reader: Any, columns: list[str]) -> Iterator[Record | RecordError]:
    for row in reader:
        number = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(columns):
            yield RecordError(number, f"第{number}行有 {len(row)} 列，表头有 {len(columns)} 列")
            continue
        value: dict[str, Any] = dict(zip(columns, row, strict=True))
        if "id" not in value:
            value["id"] = value.get("listing_id")
        if "text" not in value:
            parts = [value.get(c, "").strip() for c in LISTING_TEXT_COLUMNS]
            value["text"] = "\n".join(p for p in parts if p)
        yield _record(number, value)


def read_records(data: bytes, name: str) -> Iterator[Record | RecordError]:
    """The records of a JSONL or CSV file, chosen by the extension of ``name``."""
    lowered = name.lower()
    if not lowered.endswith(JSON_EXTENSIONS + CSV_EXTENSIONS):
        raise FileUnreadable("文件格式无法识别：应为 .jsonl、.json、.ndjson 或 .csv")
    text = decode(data)
    if lowered.endswith(CSV_EXTENSIONS):
        return _csv_records(text)
    if text.lstrip().startswith("["):
        return _json_array(text)
    return _json_records(text)


def _json_array(text: str) -> Iterator[Record | RecordError]:
    """A .json file holding one array of objects (line = position in the array)."""
    try:
        values = json.loads(text)
    except json.JSONDecodeError as error:
        raise FileUnreadable(f"JSON 格式错误（第{error.lineno}行）：{error.msg}") from error
    for number, value in enumerate(values, start=1):
        if isinstance(value, dict):
            yield _record(number, value)
        else:
            yield RecordError(number, f"第{number}条应为 JSON 对象")
