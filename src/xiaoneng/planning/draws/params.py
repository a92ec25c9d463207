"""A draw's parameters read from what a user typed: filter, ratios, rule, items, seed, units.

Each reader returns clean values and the errors, each naming its field, so that a form, the
API and the command line refuse the same input with the same message.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from xiaoneng.core.errors import FieldError, InvalidInput
from xiaoneng.org.models import Grid, Unit
from xiaoneng.planning.draws.models import InspectionItem, RandomDraw
from xiaoneng.registry.models import CreditGrade, Entity, Industry, LicenceKind, RiskClass

SEED_MAX_LENGTH = 200
FILTER_KEYS = (
    "region",
    "grid",
    "industry",
    "risk_class",
    "credit_grade",
    "status",
    "hot_industry",
    "licence",
)
REGION_CODE = re.compile(r"^\d{6}$")
INDUSTRY_PREFIX = re.compile(r"^[A-T](\d{1,4})?$")
YES = {"1", "true", "yes", "y", "on", "是"}
NO = {"0", "false", "no", "n", "off", "否"}


def _values(raw: Any) -> list[str]:
    """A list of strings from a list or a comma-separated string; blanks dropped."""
    items = raw if isinstance(raw, list | tuple) else str(raw).replace("，", ",").split(",")
    return [str(item).strip() for item in items if str(item).strip()]


def read_filter(
    raw: Mapping[str, Any], items: Iterable[InspectionItem] = ()
) -> tuple[dict[str, Any], list[FieldError]]:
    """The population filter, checked and normalised (sorted lists, a bool for hot_industry).

    Without an industry condition, the population keeps to the industries of the inspection
    items when every item names some (an item without industries applies to all).
    """
    clean: dict[str, Any] = {}
    errors: list[FieldError] = []

    def refuse(key: str, message: str) -> None:
        errors.append(FieldError(f"filter.{key}", message))

    for key in sorted(set(raw) - set(FILTER_KEYS)):
        refuse(key, _("未知的范围条件：%(key)s") % {"key": key})
    for key in FILTER_KEYS:
        if key not in raw or raw[key] in (None, "", []):
            continue
        if key == "hot_industry":
            text = str(raw[key]).strip().lower()
            if text not in YES | NO:
                refuse(key, _("重热点行业标注应为 yes 或 no：%(value)s") % {"value": raw[key]})
            else:
                clean[key] = text in YES
            continue
        values = sorted(set(_values(raw[key])))
        bad = _bad_values(key, values)
        if bad:
            refuse(key, bad)
        elif values:
            clean[key] = values
    prefixes = [item.industry_prefixes for item in items]
    if "industry" not in clean and prefixes and all(prefixes):
        clean["industry"] = sorted({p for group in prefixes for p in group})
    return clean, errors


def _bad_values(key: str, values: list[str]) -> str:
    """The message for the values of ``key`` that are not valid, or ""."""
    known: dict[str, Iterable[str]] = {
        "risk_class": RiskClass.values,
        "credit_grade": CreditGrade.values,
        "status": Entity.Status.values,
        "licence": LicenceKind.values,
    }
    labels = {
        "risk_class": _("未知的风险类别：%(values)s"),
        "credit_grade": _("未知的信用等级：%(values)s"),
        "status": _("未知的登记状态：%(values)s"),
        "licence": _("未知的许可证种类：%(values)s"),
    }
    if key in known:
        wrong = [v for v in values if v not in set(known[key])]
        return labels[key] % {"values": "、".join(wrong)} if wrong else ""
    if key == "region":
        wrong = [v for v in values if not REGION_CODE.match(v)]
        return (
            _("行政区划代码应为 6 位数字：%(values)s") % {"values": "、".join(wrong)}
            if wrong
            else ""
        )
    if key == "grid":
        found = set(Grid.objects.filter(code__in=values).values_list("code", flat=True))
        wrong = [v for v in values if v not in found]
        return _("未知的网格编号：%(values)s") % {"values": "、".join(wrong)} if wrong else ""
    wrong = [v for v in values if not INDUSTRY_PREFIX.match(v) or not _industry_exists(v)]
    return _("未知的行业代码前缀：%(values)s") % {"values": "、".join(wrong)} if wrong else ""


def _industry_exists(prefix: str) -> bool:
    return Industry.objects.filter(code__startswith=prefix).exists()


def read_ratios(raw: Mapping[str, Any] | str) -> tuple[dict[str, Decimal], list[FieldError]]:
    """``{"A": "0.05", …}`` or ``"A=0.05,B=0.15"``: a ratio in 0–1 per known credit grade."""
    pairs: list[tuple[str, Any]]
    if isinstance(raw, str):
        pairs = []
        for part in _values(raw):
            grade, _sep, value = part.partition("=")
            pairs.append((grade.strip(), value.strip()))
    else:
        pairs = list(raw.items())
    ratios: dict[str, Decimal] = {}
    errors: list[FieldError] = []
    for grade, value in pairs:
        if grade not in CreditGrade.values:
            errors.append(FieldError("ratio", _("未知的信用等级：%(grade)s") % {"grade": grade}))
            continue
        try:
            ratio = Decimal(str(value))
        except InvalidOperation:
            ratio = Decimal(-1)
        if not (ratio.is_finite() and Decimal(0) <= ratio <= Decimal(1)):
            errors.append(
                FieldError(
                    "ratio",
                    _("抽查比例应在 0 至 1 之间：%(grade)s=%(value)s")
                    % {"grade": grade, "value": value},
                )
            )
            continue
        ratios[grade] = ratio.normalize() if ratio else Decimal(0)
    if not pairs:
        errors.append(FieldError("ratio", _("请填写各信用等级的抽查比例，如 A=0.05,B=0.15")))
    return ratios, errors


def read_rule(
    *,
    selection: str,
    ratios: Mapping[str, Any] | str | None,
    count: Any,
    team_size: Any,
    workload_cap: Any,
) -> tuple[dict[str, Any], list[FieldError]]:
    values: dict[str, Any] = {"selection": selection, "ratios": {}, "count": None}
    errors: list[FieldError] = []
    if selection == RandomDraw.Selection.RATIO:
        values["ratios"], errors = read_ratios(ratios or {})
    elif selection == RandomDraw.Selection.COUNT:
        number = integer(count)
        if number is None or number < 1:
            errors.append(
                FieldError("count", _("抽取数量应为正整数：%(value)s") % {"value": count})
            )
        values["count"] = number
    elif selection != RandomDraw.Selection.POLICY:
        errors.append(
            FieldError("selection", _("请选择抽取方式：按信用等级比例、按监管政策比例或按数量"))
        )
    size = integer(team_size)
    if size is None or size < 2:
        errors.append(
            FieldError("team_size", _("每组检查人员至少 2 人：%(value)s") % {"value": team_size})
        )
    cap = integer(workload_cap)
    if cap is None or cap < 1:
        errors.append(
            FieldError(
                "workload_cap", _("每人检查户数上限应为正整数：%(value)s") % {"value": workload_cap}
            )
        )
    values.update(team_size=size, workload_cap=cap)
    return values, errors


def integer(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def read_items(codes: Iterable[str]) -> tuple[list[InspectionItem], list[FieldError]]:
    codes = [c.strip() for c in codes if c and c.strip()]
    if not codes:
        return [], [FieldError("items", _("请至少选择一项检查事项"))]
    found = {i.code: i for i in InspectionItem.objects.filter(code__in=codes, active=True)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        message = _("未知或已停用的检查事项：%(codes)s") % {"codes": "、".join(unknown)}
        return [], [FieldError("items", message)]
    return [found[c] for c in dict.fromkeys(codes)], []


def read_seed(seed: str | None) -> list[FieldError]:
    if seed is None:
        return []
    if not seed.strip():
        return [FieldError("seed", _("种子不能为空白"))]
    if len(seed) > SEED_MAX_LENGTH:
        return [FieldError("seed", _("种子最长 %(max)d 个字符") % {"max": SEED_MAX_LENGTH})]
    return []


def find_units(codes: Iterable[str], field: str) -> list[Unit]:
    """The units with these codes, in the order given; an unknown code is refused."""
    wanted = [c.strip() for c in codes if c and c.strip()]
    found = {u.code: u for u in Unit.objects.filter(code__in=wanted)}
    unknown = [c for c in wanted if c not in found]
    if unknown:
        raise InvalidInput.single(
            field, _("未知的单位代码：%(codes)s") % {"codes": "、".join(unknown)}
        )
    return [found[c] for c in dict.fromkeys(wanted)]


def find_unit(code: str, field: str) -> Unit | None:
    """The unit with this code; None when no code is given; an unknown code is refused."""
    found = find_units([code], field)
    return found[0] if found else None
