"""The risk model's reasons and refusals in words an officer understands.

``services.explain_entities`` names reason groups (``targeting.encoding.REASON_GROUPS`` and
"industry") with the change each makes to the probability; ``reason_text`` says what the
entity's own values in that group are ("距上次检查 420 天") and which way they push the risk
(↑ raises it, ↓ lowers it). The engine (``xiaoneng.targeting``) is pure and speaks English to
the command line; ``engine_error_text`` gives the pages its refusals in Chinese.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoneng.targeting.encoding import Reason
from xiaoneng.targeting.errors import TargetingError, TooLittleHistory
from xiaoneng.targeting.model import MIN_ROWS, MIN_VIOLATIONS

ALGORITHMS = {
    "logistic_regression": gettext_lazy("正则化逻辑回归"),
    "gradient_boosting": gettext_lazy("梯度提升树"),
}
RISK_CLASSES = {1: "Ⅰ", 2: "Ⅱ", 3: "Ⅲ"}
CREDIT_GRADES = {1: "A", 2: "B", 3: "C", 4: "D"}


def _number(values: Mapping[str, float], name: str) -> float | None:
    """The value of a feature, None where it is unknown (NaN or absent)."""
    value = values.get(name)
    if value is None or not math.isfinite(value):
        return None
    return value


def _count(values: Mapping[str, float], name: str) -> int:
    return round(_number(values, name) or 0)


def _never_inspected(values: Mapping[str, float]) -> bool:
    return _count(values, "first_record") == 1 or _number(values, "days_since_last") is None


def _past_problems(values: Mapping[str, float]) -> str:
    if _never_inspected(values) and not _count(values, "past_inspections"):
        return _("从未检查过")
    critical, major = _count(values, "past_critical"), _count(values, "past_major")
    if critical and major:
        return _("以往检查发现严重问题 %(c)d 项、较重问题 %(m)d 项") % {"c": critical, "m": major}
    if critical:
        return _("以往检查发现严重问题 %(n)d 项") % {"n": critical}
    if major:
        return _("以往检查发现较重问题 %(n)d 项") % {"n": major}
    return _("以往 %(n)d 次检查未发现严重或较重问题") % {"n": _count(values, "past_inspections")}


def _last_visit(values: Mapping[str, float]) -> str:
    critical, major = _number(values, "last_critical"), _number(values, "last_major")
    if critical is None and major is None:
        return _("从未检查过")
    if critical:
        return _("上次检查发现严重问题 %(n)d 项") % {"n": round(critical)}
    if major:
        return _("上次检查发现较重问题 %(n)d 项") % {"n": round(major)}
    return _("上次检查未发现严重或较重问题")


def _since_last(values: Mapping[str, float]) -> str:
    days = _number(values, "days_since_last")
    if _never_inspected(values) or days is None:
        return _("从未检查过")
    return _("距上次检查 %(n)d 天") % {"n": round(days)}


def _nearby(values: Mapping[str, float]) -> str:
    count, rate = _number(values, "nearby_inspections"), _number(values, "nearby_rate")
    if count is None:
        return _("位置不详，无周边检查记录")
    if not count:
        return _("周边一年内无检查记录")
    return _("周边一年内检查 %(n)d 次、发现严重问题比例 %(rate)s") % {
        "n": round(count),
        "rate": f"{rate or 0:.0%}",
    }


def _risk_class(values: Mapping[str, float]) -> str:
    code = _number(values, "risk_class")
    shown = RISK_CLASSES.get(round(code)) if code is not None else None
    return _("风险类别%(c)s类") % {"c": shown} if shown else _("风险类别未定")


def _credit(values: Mapping[str, float]) -> str:
    code = _number(values, "credit")
    shown = CREDIT_GRADES.get(round(code)) if code is not None else None
    return _("信用等级 %(g)s") % {"g": shown} if shown else _("信用等级未评定")


def _age(values: Mapping[str, float]) -> str:
    years = _number(values, "age_years")
    if years is None:
        return _("成立日期不详")
    if years < 1:
        return _("成立不足 1 年")
    return _("成立 %(n)d 年") % {"n": math.floor(years)}


def _licences(values: Mapping[str, float]) -> str:
    n = _count(values, "licences")
    return _("持有许可证 %(n)d 件") % {"n": n} if n else _("未登记许可证")


def _complaints(values: Mapping[str, float]) -> str:
    n = _count(values, "complaints")
    return _("一年内投诉 %(n)d 件") % {"n": n} if n else _("一年内无投诉")


def _cases(values: Mapping[str, float]) -> str:
    n = _count(values, "cases")
    return _("立案 %(n)d 件") % {"n": n} if n else _("无立案记录")


DESCRIBE = {
    "past_problems": _past_problems,
    "last_visit": _last_visit,
    "since_last": _since_last,
    "nearby": _nearby,
    "risk_class": _risk_class,
    "credit": _credit,
    "age_years": _age,
    "licences": _licences,
    "complaints": _complaints,
    "cases": _cases,
}


def describe(group: str, values: Mapping[str, float], *, industry: str = "") -> str:
    """What the entity's values of a reason group are, in a few words."""
    if group == "industry":
        return _("行业：%(name)s") % {"name": industry or _("未知")}
    found = DESCRIBE.get(group)
    return found(values) if found is not None else group


def direction(effect: float) -> str:
    """↑ where the group raises the risk, ↓ where it lowers it."""
    return "↑" if effect > 0 else "↓" if effect < 0 else ""


def reason_text(reason: Reason, values: Mapping[str, float], *, industry: str = "") -> str:
    """One reason as a short sentence: "以往检查发现严重问题 3 项（风险↑）"."""
    text = describe(reason.group, values, industry=industry)
    arrow = direction(reason.effect)
    return _("%(text)s（风险%(arrow)s）") % {"text": text, "arrow": arrow} if arrow else text


_TOO_LITTLE = re.compile(r"has (\d+) inspections and (\d+) with")


def engine_error_text(error: TargetingError) -> str:
    """The engine's refusal in Chinese; too little history also says plans keep class order."""
    if isinstance(error, TooLittleHistory):
        if not str(error).isascii():  # the service's own message, in the user's language
            return str(error)
        found = _TOO_LITTLE.search(str(error))
        detail = (
            _(
                "检查历史太少，无法训练并验证模型：训练或验证部分只有 %(n)s 次检查、其中 %(v)s "
                "次发现严重问题（各部分至少需要 %(rows)d 次检查，发现与未发现严重问题的各至少 "
                "%(min)d 次）。"
            )
            % {"n": found[1], "v": found[2], "rows": MIN_ROWS, "min": MIN_VIOLATIONS}
            if found
            else _("检查历史太少，无法训练并验证模型。")
        )
        return detail + _("在训练出模型之前，巡查计划继续按风险类别排序。")
    text = str(error)
    if "no inspection with a critical violation" in text:
        return _("评估期内没有发现严重问题的检查，无法比较排序。")
    if "AUC needs" in text:
        return _("评估期内的检查须既有发现严重问题的，也有未发现的。")
    if "no inspections" in text:
        return _("所选期间没有可用的检查记录。")
    return _("风险模型无法完成此操作：%(detail)s") % {"detail": text}
