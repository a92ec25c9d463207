"""Reading and checking an entity's values: one set of rules for imports, forms and the API.

Values arrive as text (a file cell, a form field, a JSON string) or as typed values; each
reader returns the clean value or raises ``CellError`` with a message for the user.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.cn import uscc as uscc_standard
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength

from xiaoneng.core.errors import FieldError
from xiaoneng.core.tabular import (
    CellError,
    Column,
    parse_bool,
    parse_date,
    parse_decimal,
    parse_float,
)
from xiaoneng.org import geo
from xiaoneng.org.models import Grid
from xiaoneng.registry import uscc
from xiaoneng.registry.classification import RiskRules
from xiaoneng.registry.models import CreditGrade, Entity, Industry, LicenceKind, RiskClass

# The columns of an entity file, in export order; the label is the header written.
COLUMNS = [
    Column("uscc", "统一社会信用代码", required=True),
    Column("name", "名称", required=True),
    Column("kind", "主体类型", required=True),
    Column("industry", "行业代码", required=True),
    Column("address", "住所"),
    Column("longitude", "经度"),
    Column("latitude", "纬度"),
    Column("region_code", "行政区划代码"),
    Column("legal_representative", "法定代表人"),
    Column("registered_capital", "注册资本（元）"),
    Column("established", "成立日期"),
    Column("status", "登记状态"),
    Column("licences", "许可证"),
    Column("risk_class", "风险类别"),
    Column("risk_class_reason", "风险类别调整理由"),
    Column("credit_grade", "信用等级"),
    Column("hot_industry", "重热点行业"),
    Column("hot_industry_note", "重热点行业说明"),
    Column("grid", "网格"),
    Column("registered_on", "入册日期"),
]
LABELS = {c.name: c.label for c in COLUMNS}

# Words written in files for each choice, and every spelling accepted when reading.
KIND_WORDS = {
    Entity.Kind.ENTERPRISE: "企业",
    Entity.Kind.INDIVIDUAL: "个体工商户",
    Entity.Kind.COOPERATIVE: "农民专业合作社",
}
STATUS_WORDS = {
    Entity.Status.OPERATING: "存续",
    Entity.Status.SUSPENDED: "停业",
    Entity.Status.DEREGISTERED: "注销",
    Entity.Status.REVOKED: "吊销",
}
RISK_WORDS = {RiskClass.I: "Ⅰ", RiskClass.II: "Ⅱ", RiskClass.III: "Ⅲ"}
LICENCE_WORDS = {kind: str(kind.label) for kind in LicenceKind}


def _accepting(words: dict[Any, str], *extra: tuple[str, Any]) -> dict[str, str]:
    accepted = {}
    for code, word in words.items():
        accepted[str(code).lower()] = str(code)
        accepted[word.lower()] = str(code)
    for spelling, code in extra:
        accepted[spelling.lower()] = str(code)
    return accepted


KIND_ACCEPTED = _accepting(
    KIND_WORDS, ("个体", Entity.Kind.INDIVIDUAL), ("合作社", Entity.Kind.COOPERATIVE)
)
STATUS_ACCEPTED = _accepting(
    STATUS_WORDS,
    ("在营", Entity.Status.OPERATING),
    ("存续（在营）", Entity.Status.OPERATING),
    ("开业", Entity.Status.OPERATING),
    ("歇业", Entity.Status.SUSPENDED),
)
RISK_ACCEPTED = _accepting(
    RISK_WORDS,
    ("I", RiskClass.I),
    ("1", RiskClass.I),
    ("Ⅰ类", RiskClass.I),
    ("II", RiskClass.II),
    ("2", RiskClass.II),
    ("Ⅱ类", RiskClass.II),
    ("III", RiskClass.III),
    ("3", RiskClass.III),
    ("Ⅲ类", RiskClass.III),
)
LICENCE_ACCEPTED = _accepting(LICENCE_WORDS)
GRADE_ACCEPTED = {g.lower(): g for g in CreditGrade.values}
INDUSTRY_CODE = re.compile(r"^([A-Ta-t]?)(\d{4})$")
EARLIEST_DATE = dt.date(1900, 1, 1)
MAX_CAPITAL = Decimal("1e15")
LICENCE_SEPARATOR = re.compile(r"[;；\n]")


@dataclass
class Lookups:
    """Reference data loaded once per import or request."""

    industries: dict[str, str]
    industry_by_digits: dict[str, str]
    grids: dict[str, tuple[int, int]]
    rules: RiskRules
    today: dt.date = field(default_factory=lambda: timezone.localdate())

    @classmethod
    def load(cls) -> Lookups:
        industries = dict(Industry.objects.filter(level=4).values_list("code", "name"))
        return cls(
            industries=industries,
            industry_by_digits={code[1:]: code for code in industries},
            grids={
                code: (pk, station)
                for code, pk, station in Grid.objects.values_list("code", "pk", "station_id")
            },
            rules=RiskRules.load(),
        )


@dataclass(frozen=True)
class LicenceValue:
    kind: str
    number: str
    issued: dt.date
    expires: dt.date | None


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def read_uscc(value: Any) -> str:
    """A USCC checked as GB 32100-2015 (and python-stdnum) check it, with a reason if not."""
    text = _text(value).upper().replace(" ", "")
    if not text:
        raise CellError(_("必填"))
    if uscc.is_valid(text):
        # The common case without stdnum's generic cleaning: the same rule, ten times faster.
        return text
    try:
        return uscc_standard.validate(text)
    except InvalidLength:
        raise CellError(_("长度应为 18 位，实为 %(length)d 位") % {"length": len(text)}) from None
    except InvalidFormat:
        raise CellError(
            _("含有不允许的字符（前 8 位为数字，其余只允许数字和除 I、O、Z、S、V 以外的大写字母）")
        ) from None
    except InvalidChecksum:
        expected = uscc_standard.calc_check_digit(text[:17])
        raise CellError(
            _("校验码错误：第 18 位应为 %(expected)s，实为 %(actual)s")
            % {"expected": expected, "actual": text[17]}
        ) from None
    except InvalidComponent:
        raise CellError(_("登记管理部门代码或机构类别代码无效")) from None


def read_required_text(value: Any, max_length: int) -> str:
    text = _text(value)
    if not text:
        raise CellError(_("必填"))
    return read_text(text, max_length)


def read_text(value: Any, max_length: int) -> str:
    text = _text(value)
    if len(text) > max_length:
        raise CellError(_("不能超过 %(max)d 个字") % {"max": max_length})
    return text


def read_choice(value: Any, accepted: dict[str, str], words: dict[Any, str]) -> str:
    text = _text(value)
    if not text:
        raise CellError(_("必填"))
    try:
        return accepted[text.lower()]
    except KeyError:
        allowed = "、".join(words.values())
        raise CellError(
            _("无效的值“%(value)s”（应为 %(allowed)s）") % {"value": text, "allowed": allowed}
        ) from None


def read_industry(value: Any, lookups: Lookups) -> str:
    text = _text(value).upper()
    if not text:
        raise CellError(_("必填"))
    match = INDUSTRY_CODE.match(text)
    code = None
    if match:
        code = text if match.group(1) else lookups.industry_by_digits.get(match.group(2))
    if code is None or code not in lookups.industries:
        raise CellError(
            _("未知的行业代码“%(value)s”（应为 GB/T 4754-2017 小类代码，如 H6210）")
            % {"value": text}
        )
    return code


def read_region_code(value: Any) -> str:
    text = _text(value)
    if not re.fullmatch(r"\d{6}", text):
        raise CellError(_("应为 6 位数字：%(value)s") % {"value": text})
    return text


def read_date(value: Any, today: dt.date, *, allow_future: bool = False) -> dt.date | None:
    day = parse_date(value)
    if day is None:
        return None
    if day < EARLIEST_DATE:
        raise CellError(_("日期早于 1900-01-01：%(value)s") % {"value": day.isoformat()})
    if not allow_future and day > today:
        raise CellError(_("日期晚于今天：%(value)s") % {"value": day.isoformat()})
    return day


def read_capital(value: Any) -> Decimal | None:
    amount = parse_decimal(value)
    if amount is not None and not (0 <= amount < MAX_CAPITAL):
        raise CellError(_("金额超出范围（0 至 10^15 元）：%(value)s") % {"value": value})
    return amount


def read_licences(value: Any, today: dt.date) -> list[LicenceValue]:
    """Licences from a cell (``种类|编号|发证日期|有效期至`` items separated by ``;``) or a list
    of ``{"kind", "number", "issued", "expires"}`` objects (the API)."""
    if isinstance(value, list):
        items = [
            [str(i.get(k) or "") for k in ("kind", "number", "issued", "expires")]
            if isinstance(i, dict)
            else None
            for i in value
        ]
    else:
        items = [
            [p.strip() for p in item.split("|")]
            for item in (p.strip() for p in LICENCE_SEPARATOR.split(_text(value)))
            if item
        ]
    return [_licence(parts, number, today) for number, parts in enumerate(items, start=1)]


def _licence(parts: list[str] | None, number: int, today: dt.date) -> LicenceValue:
    where = _("第 %(n)d 个许可证") % {"n": number}
    if parts is None or len(parts) not in (3, 4):
        raise CellError(
            _("%(where)s格式错误：应为“种类|编号|发证日期|有效期至”") % {"where": where}
        )
    kind_text, licence_number, issued_text = parts[:3]
    kind = LICENCE_ACCEPTED.get(kind_text.lower())
    if kind is None:
        raise CellError(_("%(where)s种类未知：%(value)s") % {"where": where, "value": kind_text})
    if not licence_number or len(licence_number) > 50:
        raise CellError(_("%(where)s编号为空或过长") % {"where": where})
    try:
        issued = read_date(issued_text or None, today)
        expires = read_date(
            (parts[3] if len(parts) == 4 else None) or None, today, allow_future=True
        )
    except CellError as error:
        raise CellError(f"{where}：{error}") from None
    if issued is None:
        raise CellError(_("%(where)s缺少发证日期") % {"where": where})
    if expires is not None and expires <= issued:
        raise CellError(_("%(where)s有效期至早于发证日期") % {"where": where})
    return LicenceValue(kind, licence_number, issued, expires)


def licence_text(licences: list[LicenceValue]) -> str:
    return "; ".join(
        "|".join(
            [LICENCE_WORDS[LicenceKind(lic.kind)], lic.number, lic.issued.isoformat()]
            + ([lic.expires.isoformat()] if lic.expires else [])
        )
        for lic in licences
    )


def _read_grid(value: Any, lookups: Lookups) -> str | None:
    code = _text(value)
    if code and code not in lookups.grids:
        raise CellError(_("未知的网格编号：%(value)s") % {"value": code})
    return code or None


def _optional_choice(accepted: dict[str, str], words: dict[Any, str], default: Any) -> Reader:
    def read(value: Any, lookups: Lookups) -> Any:
        return read_choice(value, accepted, words) if _text(value) else default

    return read


Reader = Callable[[Any, Lookups], Any]
# One reader per column; a blank optional cell reads as the reader's default.
READERS: dict[str, Reader] = {
    "uscc": lambda v, lk: read_uscc(v),
    "name": lambda v, lk: read_required_text(v, 200),
    "kind": lambda v, lk: read_choice(v, KIND_ACCEPTED, KIND_WORDS),
    "industry": lambda v, lk: read_industry(v, lk),
    "address": lambda v, lk: read_text(v, 200),
    "legal_representative": lambda v, lk: read_text(v, 50),
    "hot_industry_note": lambda v, lk: read_text(v, 100),
    "risk_class_reason": lambda v, lk: read_text(v, 500),
    "longitude": lambda v, lk: parse_float(v),
    "latitude": lambda v, lk: parse_float(v),
    "region_code": lambda v, lk: read_region_code(v) if _text(v) else None,
    "registered_capital": lambda v, lk: read_capital(v),
    "established": lambda v, lk: read_date(v, lk.today),
    "registered_on": lambda v, lk: read_date(v, lk.today),
    "status": _optional_choice(STATUS_ACCEPTED, STATUS_WORDS, Entity.Status.OPERATING),
    "licences": lambda v, lk: read_licences(v, lk.today),
    "risk_class": _optional_choice(RISK_ACCEPTED, RISK_WORDS, None),
    "credit_grade": _optional_choice(GRADE_ACCEPTED, {g: g for g in CreditGrade.values}, None),
    "hot_industry": lambda v, lk: bool(parse_bool(v)),
    "grid": _read_grid,
}


def read_values(
    values: dict[str, Any], lookups: Lookups, *, check_coordinates: bool = True
) -> tuple[dict[str, Any], list[FieldError]]:
    """Clean every given value and check the rules that join several fields.

    Only the given names are read (an update may give a few); errors name the field.
    ``check_coordinates=False`` leaves the China check to a caller that runs it in bulk.
    """
    clean: dict[str, Any] = {}
    errors: list[FieldError] = []
    for name, value in values.items():
        reader = READERS.get(name)
        if reader is None:
            errors.append(FieldError(name, _("未知的字段")))
            continue
        try:
            clean[name] = reader(value, lookups)
        except CellError as error:
            errors.append(FieldError(name, str(error)))
    if not any(e.field in {"longitude", "latitude"} for e in errors):
        errors += pair_coordinates(clean)
    if check_coordinates and not errors:
        errors += coordinates_in_china(clean)
    if "region_code" in clean and clean["region_code"] is None and "uscc" in clean:
        clean["region_code"] = clean["uscc"][2:8]
    return clean, errors


def pair_coordinates(clean: dict[str, Any]) -> list[FieldError]:
    """Longitude and latitude come together or not at all."""
    if "longitude" not in clean and "latitude" not in clean:
        return []
    lon, lat = clean.get("longitude"), clean.get("latitude")
    if (lon is None) != (lat is None):
        missing = "latitude" if lat is None else "longitude"
        return [FieldError(missing, _("经度和纬度须同时填写"))]
    return []


def coordinates_in_china(clean: dict[str, Any]) -> list[FieldError]:
    lon, lat = clean.get("longitude"), clean.get("latitude")
    if lon is None or lat is None or not geo.outside_china([lon], [lat])[0]:
        return []
    return [outside_china_error(lon, lat)]


def outside_china_error(lon: float, lat: float) -> FieldError:
    hint = _("；经纬度是否填反？") if not geo.outside_china([lat], [lon])[0] else ""
    return FieldError(
        "longitude", _("坐标 (%(lon)s, %(lat)s) 不在中国境内") % {"lon": lon, "lat": lat} + hint
    )
