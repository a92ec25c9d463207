"""Shared steps of the organisation imports: reading records, and the checks every file needs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from xiaoneng.core.tabular import (
    Column,
    ImportRejected,
    RowError,
    as_text,
    bind_columns,
    read_table,
    rows_as_dicts,
)


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # Entities moved to another grid after a grid import (set by the caller that re-assigns).
    reassigned: int = 0


def read_records(
    source: Any, filename: str | None, columns: list[Column]
) -> tuple[list[tuple[int, dict[str, Any]]], dict[str, str]]:
    rows = read_table(source, filename=filename)
    header = next(rows, None)
    if header is None:
        raise ImportRejected([RowError(1, _("文件"), _("文件是空的"))])
    positions, errors = bind_columns(header, columns)
    if errors:
        raise ImportRejected(errors)
    labels = {c.name: c.label for c in columns}
    headers = {name: str(header[i]).strip() for name, i in positions.items()}
    # Every column of these files is text; a spreadsheet may have typed codes as numbers.
    data = [
        (number, {name: as_text(value) for name, value in values.items()})
        for number, values in rows_as_dicts(rows, positions)
    ]
    if not data:
        raise ImportRejected([RowError(2, _("文件"), _("文件中没有数据行"))])
    return data, labels | headers


def word(value: Any, words: dict[Any, str]) -> str | None:
    text = str(value or "").strip()
    for code, word in words.items():
        if text in (word, str(code)):
            return str(code)
    return None


def duplicates(
    data: list[tuple[int, dict[str, Any]]], key: str, labels: dict[str, str]
) -> list[RowError]:
    first: dict[str, int] = {}
    errors = []
    for number, values in data:
        value = values.get(key)
        if value is None:
            continue
        if value in first:
            errors.append(
                RowError(
                    number,
                    labels[key],
                    _("与第 %(row)d 行重复：%(value)s") % {"row": first[value], "value": value},
                )
            )
        else:
            first[value] = number
    return errors


def required(
    number: int, values: dict[str, Any], columns: list[Column], labels: dict[str, str]
) -> list[RowError]:
    return [
        RowError(number, labels[c.name], _("必填"))
        for c in columns
        if c.required and values.get(c.name) is None
    ]
