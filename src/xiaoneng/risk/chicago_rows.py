"""Reading and checking the Chicago inspections CSV (../shared/data/chicago/README.md).

Every row is checked before anything is written, and every problem is reported at once as
``row N, column: message`` (``core.tabular.RowError``: the header is row 1, so a row number is
the file's line number). Only the columns of ``COLUMNS`` are read; the others (``past*``,
``heat_*``, weather, licence flags, ``pass_flag``…) are ignored, because the risk model
computes history from the register's own records.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.utils.translation import gettext as _

from xiaoneng.core.tabular import ImportRejected, RowError, as_text, read_table
from xiaoneng.registry.models import RiskClass

COLUMNS = (
    "Inspection_ID",
    "Inspection_Date",
    "License",
    "DBA_Name",
    "Address",
    "Zip",
    "Latitude",
    "Longitude",
    "Risk",
    "Facility_Type",
    "Inspector_Assigned",
    "criticalCount",
    "seriousCount",
    "minorCount",
    "criticalFound",
    "ageAtInspection",
)
# What each visit found: a file to be scored (``with_outcome=False``) need not have them, and
# they are never read from one.
OUTCOME_COLUMNS = ("criticalCount", "seriousCount", "minorCount", "criticalFound")
MISSING = frozenset({"", "NA", "NaN", "nan"})
# The city's risk category: "Risk 1 (High)" is our class Ⅰ, "Risk 3 (Low)" class Ⅲ.
RISK = re.compile(r"^(?:Risk\s*)?([123])\b")
RISK_CLASSES = {"1": RiskClass.I, "2": RiskClass.II, "3": RiskClass.III}
# The group becomes a unit code and a username (chicago-<group>).
GROUP = re.compile(r"^[A-Za-z0-9_-]{1,24}$")
# The licence number becomes 7 characters of a USCC (chicago_setup.uscc_for): below 31**7.
MAX_LICENCE = 31**7 - 1
# The city's form lists 14 critical (violations 1–14), 15 serious (15–29) and 15 minor (30–44)
# violations, each counted once per inspection: no count can exceed its severity's number.
COUNT_LIMITS = {"criticalCount": 14, "seriousCount": 15, "minorCount": 15}
MAX_AGE_YEARS = 200
MAX_TEXT = 200  # Entity.name and Entity.address
MAX_ERRORS = 100  # a wrong file is described by its first errors, not by thousands

Fail = Callable[[str, str], None]  # (column, message) of the row being read


@dataclass(slots=True)
class ChicagoRow:
    """One inspection of the file, checked and typed."""

    line: int
    inspection_id: int
    day: dt.date
    licence: str
    name: str
    address: str
    zip: str
    latitude: float | None
    longitude: float | None
    risk_class: str
    facility: str
    group: str
    critical: int
    serious: int
    minor: int
    age_years: float | None


class _Errors:
    """The errors of a file, up to ``MAX_ERRORS``."""

    def __init__(self) -> None:
        self.items: list[RowError] = []

    def add(self, line: int, column: str, message: str) -> None:
        self.items.append(RowError(line, column, message))
        if len(self.items) >= MAX_ERRORS:
            self.items.append(
                RowError(line, _("文件"), _("错误过多，只列出前 %(n)d 处") % {"n": MAX_ERRORS})
            )
            raise ImportRejected(self.items)


def read_rows(
    source: str | Path | IO[bytes], *, filename: str | None = None, with_outcome: bool = True
) -> list[ChicagoRow]:
    """The file's inspections; raises ``ImportRejected`` listing every problem.

    ``with_outcome=False`` reads a file of visits to score: the outcome columns are neither
    needed nor read, and the rows' counts are 0. A missing file raises ``FileNotFoundError``
    (the command says "no such file").
    """
    table = read_table(source, filename=filename)
    header = next(table, None)
    if header is None:
        raise ImportRejected([RowError(1, _("文件"), _("文件是空的"))])
    needed = COLUMNS if with_outcome else tuple(c for c in COLUMNS if c not in OUTCOME_COLUMNS)
    positions = _bind(header, needed)
    errors = _Errors()
    rows: list[ChicagoRow] = []
    first_line: dict[int, int] = {}
    width = max(positions.values()) + 1
    for line, cells in enumerate(table, start=2):
        if not any(as_text(c) for c in cells):
            continue
        cells = [*cells, *([None] * (width - len(cells)))]
        values = {name: as_text(cells[i]) or "" for name, i in positions.items()}
        row = _row(line, values, errors, with_outcome=with_outcome)
        if row is None:
            continue
        seen = first_line.setdefault(row.inspection_id, line)
        if seen != line:
            errors.add(
                line,
                "Inspection_ID",
                _("与第 %(line)d 行重复：%(id)d") % {"line": seen, "id": row.inspection_id},
            )
        rows.append(row)
    if errors.items:
        raise ImportRejected(errors.items)
    if not rows:
        raise ImportRejected([RowError(2, _("文件"), _("文件中没有数据行"))])
    return rows


def _bind(header: list[object], needed: tuple[str, ...]) -> dict[str, int]:
    """Each needed column's position; a missing or repeated one is named."""
    positions: dict[str, int] = {}
    errors = []
    for index, cell in enumerate(header):
        name = as_text(cell) or ""
        if name in needed:
            if name in positions:
                errors.append(RowError(1, name, _("列重复")))
            positions[name] = index
    missing = [name for name in needed if name not in positions]
    errors += [RowError(1, name, _("缺少必需的列")) for name in missing]
    if errors:
        raise ImportRejected(errors)
    return positions


def _row(
    line: int, values: dict[str, str], errors: _Errors, *, with_outcome: bool = True
) -> ChicagoRow | None:
    """The typed row, or None after adding its problems to ``errors``."""
    before = len(errors.items)

    def fail(column: str, message: str) -> None:
        errors.add(line, column, message)

    inspection_id = _integer(values["Inspection_ID"])
    if inspection_id is None or inspection_id <= 0:
        fail("Inspection_ID", _("应为正整数：%(v)r") % {"v": values["Inspection_ID"]})
    day = _date(values["Inspection_Date"])
    if day is None:
        fail(
            "Inspection_Date",
            _("日期格式错误（应为 YYYY-MM-DD）：%(v)r") % {"v": values["Inspection_Date"]},
        )
    licence = _integer(values["License"])
    if licence is None or not 0 <= licence <= MAX_LICENCE:
        fail("License", _("许可证号应为非负整数：%(v)r") % {"v": values["License"]})
    name, address = values["DBA_Name"], values["Address"]
    if not name:
        fail("DBA_Name", _("名称不能为空"))
    for column, text in (("DBA_Name", name), ("Address", address)):
        if len(text) > MAX_TEXT:
            fail(column, _("超过 %(n)d 个字符") % {"n": MAX_TEXT})
    zip_code = _zip(values["Zip"])
    if zip_code is None:
        fail("Zip", _("邮政编码应为 5 位数字：%(v)r") % {"v": values["Zip"]})
    latitude = _coordinate(values, "Latitude", 90, fail)
    longitude = _coordinate(values, "Longitude", 180, fail)
    risk = RISK.match(values["Risk"])
    if risk is None:
        fail("Risk", _("未知的风险等级（应为 Risk 1/2/3）：%(v)r") % {"v": values["Risk"]})
    group = values["Inspector_Assigned"]
    if not GROUP.match(group):
        fail(
            "Inspector_Assigned",
            _("检查组应为 1–24 个字母、数字、- 或 _：%(v)r") % {"v": group},
        )
    counts: list[int | None] = [0, 0, 0]
    if with_outcome:
        counts = [_count(values, column, fail) for column in COUNT_LIMITS]
        _check_found(values, counts[0], fail)
    age = _number(values["ageAtInspection"])
    if values["ageAtInspection"] not in MISSING and (age is None or not 0 <= age < MAX_AGE_YEARS):
        fail(
            "ageAtInspection",
            _("应为 0–%(max)d 之间的年数：%(v)r")
            % {"max": MAX_AGE_YEARS, "v": values["ageAtInspection"]},
        )
    if len(errors.items) > before:
        return None
    assert inspection_id is not None and day is not None and licence is not None
    assert zip_code is not None and risk is not None
    critical, serious, minor = (c or 0 for c in counts)
    return ChicagoRow(
        line=line,
        inspection_id=inspection_id,
        day=day,
        licence=str(licence),
        name=name,
        address=address,
        zip=zip_code,
        latitude=latitude,
        longitude=longitude,
        risk_class=RISK_CLASSES[risk.group(1)],
        facility=values["Facility_Type"],
        group=group,
        critical=critical,
        serious=serious,
        minor=minor,
        age_years=age,
    )


def _check_found(values: dict[str, str], critical: int | None, fail: Fail) -> None:
    """criticalFound is 0 or 1 and agrees with criticalCount."""
    found = _number(values["criticalFound"])
    if found not in (0.0, 1.0):
        fail("criticalFound", _("应为 0 或 1：%(v)r") % {"v": values["criticalFound"]})
    elif critical is not None and (critical > 0) != (found == 1.0):
        fail(
            "criticalFound",
            _("与 criticalCount 不一致：criticalFound=%(found)d，criticalCount=%(count)d")
            % {"found": int(found), "count": critical},
        )


def _number(text: str) -> float | None:
    """A finite number, or None (missing or not a number)."""
    if text in MISSING:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _integer(text: str) -> int | None:
    """A whole number written as "30790" or "30790.0" (the file's R export writes both)."""
    value = _number(text)
    return int(value) if value is not None and value.is_integer() else None


def _date(text: str) -> dt.date | None:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _zip(text: str) -> str | None:
    """The ZIP code as 5 digits ("60657.0" → "60657"); "" when missing, None when wrong."""
    if text in MISSING:
        return ""
    value = _integer(text)
    if value is None or not 0 <= value <= 99999:
        return None
    return f"{value:05d}"


def _coordinate(values: dict[str, str], column: str, limit: int, fail: Fail) -> float | None:
    text = values[column]
    if text in MISSING:
        return None
    value = _number(text)
    if value is None or abs(value) > limit:
        fail(column, _("坐标应为 −%(n)d 到 %(n)d 之间的数：%(v)r") % {"n": limit, "v": text})
        return None
    return value


def _count(values: dict[str, str], column: str, fail: Fail) -> int | None:
    value = _integer(values[column])
    limit = COUNT_LIMITS[column]
    if value is None or not 0 <= value <= limit:
        fail(column, _("应为 0–%(max)d 的整数：%(v)r") % {"max": limit, "v": values[column]})
        return None
    return value
