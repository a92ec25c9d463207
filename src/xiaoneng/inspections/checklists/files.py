"""Checklist files (监管检查项目清单, 篇8): reading a CSV/XLSX table of items, a new version of a
checklist from it, exporting a version as such a file, and the starter set shipped as JSON.

A new version (N+1) takes effect on its effective date, on which the previous one is retired;
an export re-imports unchanged. Which version applies, and what changed: ``checklists``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core.audit import attributed
from xiaoneng.core.errors import Conflict, FieldError, InvalidInput
from xiaoneng.core.tabular import (
    Column,
    ImportRejected,
    RowError,
    as_text,
    bind_columns,
    clean,
    read_table,
    rows_as_dicts,
    write_csv,
    write_xlsx,
)
from xiaoneng.inspections.checklists.models import (
    Checklist,
    ChecklistItem,
    InspectionKind,
    Severity,
)
from xiaoneng.org import access
from xiaoneng.org.models import Officer
from xiaoneng.registry.models import Industry

STARTER_DIR = Path(__file__).resolve().parent / "data"
COLUMNS = [
    Column("number", "序号", required=True),
    Column("title", "检查事项", required=True),
    Column("method", "检查内容与方法", required=True),
    Column("legal_basis", "法律依据", required=True),
    Column("severity", "严重程度", required=True),
]
LIMITS = {"number": 10, "title": 200, "legal_basis": 300}
# The words of the file, fixed (not the translated labels) so that an export always re-imports.
SEVERITY_WORDS = {Severity.MINOR: "一般", Severity.MAJOR: "较重", Severity.CRITICAL: "严重"}
CODE = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")
LAW = re.compile(r"《[^》]+》")
ARTICLE = re.compile(r"第[一二三四五六七八九十百千零〇两\d]+条")


@dataclass(frozen=True)
class ItemRow:
    """One checked row of a checklist file."""

    number: str
    title: str
    method: str
    legal_basis: str
    severity: str


# Reading a file ----------------------------------------------------------------------------


def read_severity(value: Any) -> str | None:
    """A severity from its word (一般 / 较重 / 严重) or its code (minor / major / critical)."""
    text = str(value or "").strip()
    for code, word in SEVERITY_WORDS.items():
        if text in (word, str(code), str(Severity(code).label)):
            return str(code)
    return None


def check_values(values: dict[str, Any], labels: dict[str, str]) -> list[FieldError]:
    """What is wrong with one row's cells, each error under its column's label."""
    errors = []
    for column in COLUMNS:
        if not values.get(column.name):
            errors.append(FieldError(labels[column.name], _("必填")))
    for name, limit in LIMITS.items():
        text = values.get(name) or ""
        if len(text) > limit:
            errors.append(
                FieldError(
                    labels[name],
                    _("不能超过 %(max)d 个字符（现 %(n)d 个）") % {"max": limit, "n": len(text)},
                )
            )
    severity = values.get("severity")
    if severity and read_severity(severity) is None:
        errors.append(
            FieldError(
                labels["severity"],
                _("应为“一般”“较重”或“严重”：%(value)s") % {"value": severity},
            )
        )
    basis = values.get("legal_basis")
    if basis and not (LAW.search(basis) and ARTICLE.search(basis)):
        errors.append(
            FieldError(
                labels["legal_basis"],
                _("应写明法律法规名称和条款，如《中华人民共和国食品安全法》第三十三条：%(value)s")
                % {"value": basis},
            )
        )
    return errors


def read_items(
    *,
    rows: Iterable[Sequence[Any]] | None = None,
    file: str | Path | IO[bytes] | None = None,
    filename: str | None = None,
) -> list[ItemRow]:
    """The items of a table (header first: 序号, 检查事项, 检查内容与方法, 法律依据, 严重程度),
    from ``rows`` or a CSV/XLSX ``file``; ``ImportRejected`` lists every error."""
    table: Iterator[list[Any]]
    if rows is not None:
        table = (list(row) for row in rows)
    elif file is not None:
        table = read_table(file, filename=filename)
    else:
        raise InvalidInput.single("file", _("请选择文件"))
    header = next(table, None)
    if header is None or all(clean(cell) is None for cell in header):
        raise ImportRejected([RowError(1, _("文件"), _("文件是空的"))])
    positions, header_errors = bind_columns(header, COLUMNS)
    if header_errors:
        raise ImportRejected(header_errors)
    labels = {c.name: str(header[positions[c.name]]).strip() for c in COLUMNS}
    data = [
        (number, {name: as_text(value) for name, value in values.items()})
        for number, values in rows_as_dicts(table, positions)
    ]
    if not data:
        raise ImportRejected([RowError(2, _("文件"), _("文件中没有数据行"))])
    errors: list[RowError] = []
    first_row: dict[str, int] = {}
    items = []
    for number, values in data:
        problems = check_values(values, labels)
        item_number = values.get("number")
        if item_number in first_row:
            problems.append(
                FieldError(
                    labels["number"],
                    _("与第 %(row)d 行重复：%(value)s")
                    % {"row": first_row[item_number], "value": item_number},
                )
            )
        elif item_number:
            first_row[item_number] = number
        errors += [RowError(number, p.field, p.message) for p in problems]
        if not problems:
            items.append(
                ItemRow(
                    number=str(values["number"]),
                    title=str(values["title"]),
                    method=str(values["method"]),
                    legal_basis=str(values["legal_basis"]),
                    severity=read_severity(values["severity"]) or "",
                )
            )
    if errors:
        raise ImportRejected(errors)
    return items


# New versions ------------------------------------------------------------------------------


def read_prefixes(value: str) -> str:
    """Industry prefixes as stored ("F522 F5212"): each a GB/T 4754 code of the table."""
    tokens = [t.upper() for t in re.split(r"[\s,，、;；]+", value.strip()) if t]
    known = set(Industry.objects.filter(code__in=tokens).values_list("code", flat=True))
    unknown = [t for t in tokens if t not in known]
    if unknown:
        raise InvalidInput.single(
            "industry_prefixes",
            _("不是 GB/T 4754-2017 的行业代码：%(codes)s") % {"codes": "、".join(unknown)},
        )
    return " ".join(dict.fromkeys(tokens))


def _metadata(
    code: str,
    latest: Checklist | None,
    effective_on: dt.date,
    given: dict[str, str | None],
) -> dict[str, Any]:
    """The new version's title, kind, prefixes and description: the previous version's unless
    given; a new code needs a title and a kind."""
    if latest is None:
        if not CODE.match(code):
            raise InvalidInput.single(
                "code",
                _("清单代码只能用小写字母、数字和连字符（2–40 个字符）：%(code)s") % {"code": code},
            )
        if not given.get("title") or given.get("kind") not in InspectionKind.values:
            raise InvalidInput.single(
                "code",
                _("没有代码为 %(code)s 的清单；新建清单须给出名称和检查方式（onsite、documentary）")
                % {"code": code},
            )
    elif effective_on <= latest.effective_on:
        raise InvalidInput.single(
            "effective_on",
            _("施行日期须晚于第 %(version)d 版的施行日期 %(date)s：%(value)s")
            % {"version": latest.version, "date": latest.effective_on, "value": effective_on},
        )
    elif given.get("kind") and given["kind"] != latest.kind:
        raise InvalidInput.single("kind", _("新版本不能改变检查方式"))
    title = (given.get("title") or (latest.title if latest else "")).strip()
    if len(title) > 120:
        raise InvalidInput.single("title", _("名称不能超过 120 个字符"))
    industry = given.get("industry_prefixes")
    if industry is not None:
        industry = read_prefixes(industry)
    description = given.get("description")
    return {
        "title": title,
        "kind": latest.kind if latest else given["kind"],
        "industry_prefixes": industry
        if industry is not None
        else getattr(latest, "industry_prefixes", ""),
        "description": description
        if description is not None
        else getattr(latest, "description", ""),
    }


def import_version(
    *,
    code: str,
    actor: Officer | None,
    effective_on: dt.date | None = None,
    rows: Iterable[Sequence[Any]] | None = None,
    file: str | Path | IO[bytes] | None = None,
    filename: str | None = None,
    title: str | None = None,
    kind: str | None = None,
    industry_prefixes: str | None = None,
    description: str | None = None,
) -> Checklist:
    """Version N+1 of checklist ``code`` from ``rows`` (header first) or a CSV/XLSX ``file``,
    in force from ``effective_on`` (default today), on which version N is retired.

    One transaction: any error raises (``ImportRejected`` with every row error as
    ``row N, column: message``, or ``InvalidInput``) and nothing is written. A code not yet
    known makes version 1 and then needs ``title`` and ``kind``.
    """
    if actor is not None:
        access.require(actor, access.MANAGE_CHECKLISTS)
    code = code.strip()
    effective_on = effective_on or timezone.localdate()
    latest = Checklist.objects.filter(code=code).order_by("-version").first()
    given = {
        "title": title,
        "kind": kind,
        "industry_prefixes": industry_prefixes,
        "description": description,
    }
    meta = _metadata(code, latest, effective_on, given)
    items = read_items(rows=rows, file=file, filename=filename)
    try:
        with transaction.atomic(), attributed(actor):
            checklist = Checklist.objects.create(
                code=code,
                version=(latest.version + 1) if latest else 1,
                effective_on=effective_on,
                **meta,
            )
            for position, item in enumerate(items, start=1):
                ChecklistItem.objects.create(
                    checklist=checklist,
                    position=position,
                    number=item.number,
                    title=item.title,
                    method=item.method,
                    legal_basis=item.legal_basis,
                    severity=item.severity,
                )
            for previous in Checklist.objects.filter(code=code, retired_on__isnull=True).exclude(
                pk=checklist.pk
            ):
                previous.retired_on = effective_on
                previous.save(update_fields=["retired_on"])
    except IntegrityError:
        raise Conflict(
            _("清单 %(code)s 刚刚有人导入了新版本，请刷新后重试。") % {"code": code}
        ) from None
    return checklist


# Export --------------------------------------------------------------------------------------


def export_rows(checklist: Checklist) -> list[list[str]]:
    """The items as the rows of an import file: an export re-imports unchanged."""
    return [
        [i.number, i.title, i.method, i.legal_basis, SEVERITY_WORDS[Severity(i.severity)]]
        for i in checklist.items.order_by("position")
    ]


def export_version(*, checklist: Checklist, target: str | Path | IO[Any], fmt: str) -> int:
    """Write a version as CSV (to a text stream or path) or XLSX; the number of items."""
    if fmt == "xlsx":
        return write_xlsx(target, COLUMNS, export_rows(checklist), title=checklist.code)
    if fmt != "csv":
        raise InvalidInput.single("format", _("导出格式应为 csv 或 xlsx：%(f)s") % {"f": fmt})
    if isinstance(target, str | Path):
        with open(target, "w", encoding="utf-8", newline="") as stream:
            return write_csv(stream, COLUMNS, export_rows(checklist))
    return write_csv(target, COLUMNS, export_rows(checklist))


# The starter set ---------------------------------------------------------------------------


def starter_set() -> list[dict[str, Any]]:
    """The starter checklists as shipped in checklists/data/ (one JSON file each)."""
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(STARTER_DIR.glob("*.json"))]


def load_starter_set(*, actor: Officer | None = None) -> list[Checklist]:
    """Version 1 of each starter checklist whose code is not in the database yet."""
    if actor is not None:
        access.require(actor, access.MANAGE_CHECKLISTS)
    made = []
    for data in starter_set():
        if Checklist.objects.filter(code=data["code"]).exists():
            continue
        header = [c.label for c in COLUMNS]
        rows = [header] + [
            [i["number"], i["title"], i["method"], i["legal_basis"], i["severity"]]
            for i in data["items"]
        ]
        made.append(
            import_version(
                code=data["code"],
                actor=actor,
                effective_on=dt.date.fromisoformat(data["effective_on"]),
                rows=rows,
                title=data["title"],
                kind=data["kind"],
                industry_prefixes=data["industry_prefixes"],
                description=data["description"],
            )
        )
    return made
