"""The checks of a new campaign's input: each returns the problems it finds, so that the
service refuses all of them at once, before anything is written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from xiaoneng.core.errors import FieldError
from xiaoneng.org.models import Grid, Unit
from xiaoneng.planning.patrol.models import Campaign
from xiaoneng.registry import uscc as uscc_check
from xiaoneng.registry.models import CreditGrade, Entity, RiskClass
from xiaoneng.registry.queries import industry_codes

if TYPE_CHECKING:
    from xiaoneng.planning.campaigns.services import CampaignInput

FILTER_KEYS = ("q", "grid", "industry", "risk_class", "credit_grade", "unit", "hot_industry")
MAX_DAYS = 366  # a campaign lasts at most a year (its days counted inclusively)
SHOWN = 5  # values named in a message before "…"


def listed(values: Sequence[str]) -> str:
    """The first few values, then how many there are: a message names what is wrong, briefly."""
    head = "、".join(values[:SHOWN])
    return head + (_("等 %(n)d 个") % {"n": len(values)} if len(values) > SHOWN else "")


def check_fields(data: CampaignInput, today: dt.date) -> list[FieldError]:
    """The problems of the campaign's own fields (title, theme, checkpoints, dates)."""
    errors = []
    if not data.title.strip():
        errors.append(FieldError("title", _("请填写名称")))
    elif len(data.title.strip()) > 120:
        errors.append(FieldError("title", _("名称不能超过 120 个字")))
    if data.theme not in Campaign.Theme.values:
        errors.append(
            FieldError(
                "theme",
                _("整治方向应为 industry、area、theme 或 list：%(value)s") % {"value": data.theme},
            )
        )
    if not data.checkpoints.strip():
        errors.append(FieldError("checkpoints", _("请填写检查要点")))
    elif len(data.checkpoints.strip()) > 300:
        errors.append(FieldError("checkpoints", _("检查要点不能超过 300 个字")))
    if len(data.partners.strip()) > 200:
        errors.append(FieldError("partners", _("联合部门不能超过 200 个字")))
    if data.start_on is None:
        errors.append(FieldError("start_on", _("请填写开始日期（YYYY-MM-DD）")))
    if data.end_on is None:
        errors.append(FieldError("end_on", _("请填写结束日期（YYYY-MM-DD）")))
    if data.start_on and data.end_on:
        if data.end_on < data.start_on:
            errors.append(FieldError("end_on", _("结束日期不能早于开始日期")))
        elif data.end_on < today:
            errors.append(
                FieldError("end_on", _("结束日期不能早于今天：%(date)s") % {"date": data.end_on})
            )
        elif (data.end_on - data.start_on).days + 1 > MAX_DAYS:
            errors.append(FieldError("end_on", _("整治期限不能超过一年")))
    return errors


def check_filters(filters: Mapping[str, Any]) -> list[FieldError]:
    """The problems of a population chosen by filters: unknown keys or values, or none set."""
    errors = []
    for key in sorted(set(filters) - set(FILTER_KEYS)):
        errors.append(FieldError(key, _("未知的筛选条件：%(key)s") % {"key": key}))
    value = {k: str(v).strip() for k, v in filters.items() if v not in (None, "")}
    if value.get("grid") and not Grid.objects.filter(code=value["grid"]).exists():
        errors.append(FieldError("grid", _("未知的网格编号：%(v)s") % {"v": value["grid"]}))
    if value.get("industry") and not industry_codes(value["industry"]):
        errors.append(FieldError("industry", _("未知的行业代码：%(v)s") % {"v": value["industry"]}))
    if value.get("risk_class") and value["risk_class"] not in RiskClass.values:
        errors.append(
            FieldError(
                "risk_class", _("风险类别应为 I、II 或 III：%(v)s") % {"v": value["risk_class"]}
            )
        )
    if value.get("credit_grade") and value["credit_grade"] not in CreditGrade.values:
        errors.append(
            FieldError(
                "credit_grade",
                _("信用等级应为 A、B、C 或 D：%(v)s") % {"v": value["credit_grade"]},
            )
        )
    if value.get("unit") and not Unit.objects.filter(code=value["unit"]).exists():
        errors.append(FieldError("unit", _("未知的单位代码：%(v)s") % {"v": value["unit"]}))
    if not any(value.get(k) for k in FILTER_KEYS):
        errors.append(FieldError("filters", _("请至少设定一个筛选条件，或上传名单")))
    return errors


def clean_usccs(values: Sequence[str]) -> list[str]:
    """Codes as written one a line (or the first column of a CSV), upper case, no blanks."""
    codes = []
    for value in values:
        code = str(value).split(",")[0].strip().strip('"').upper().lstrip("\ufeff")
        if code and code not in {"USCC", "统一社会信用代码"}:
            codes.append(code)
    return codes


def check_list(codes: list[str], scope: QuerySet[Entity]) -> list[FieldError]:
    """The problems of a population chosen by a list: invalid, repeated or out-of-scope codes."""
    if not codes:
        return [FieldError("usccs", _("名单中没有统一社会信用代码"))]
    invalid = [c for c in codes if not uscc_check.is_valid(c)]
    if invalid:
        return [FieldError("usccs", _("统一社会信用代码无效：%(v)s") % {"v": listed(invalid)})]
    seen: set[str] = set()
    repeated = [c for c in codes if c in seen or seen.add(c)]  # type: ignore[func-returns-value]
    if repeated:
        return [FieldError("usccs", _("名单中重复的代码：%(v)s") % {"v": listed(repeated)})]
    found: set[str] = set()
    for start in range(0, len(codes), 10_000):
        chunk = codes[start : start + 10_000]
        found.update(scope.filter(uscc__in=chunk).values_list("uscc", flat=True))
    missing = [c for c in codes if c not in found]
    if missing:
        return [
            FieldError(
                "usccs",
                _("以下主体不在您辖区的在营市场主体中：%(v)s") % {"v": listed(missing)},
            )
        ]
    return []


def read_risk_share(value: Any) -> tuple[Decimal | None, list[FieldError]]:
    """The risk share (按风险抽取比例) as a percentage above 0 and at most 100, None if not given.

    A number as typed ("30", "12.5", "30%") is read exactly (as a decimal), so that 30% of 10
    entities is 3, never 4 by a binary rounding.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, []
    text = str(value).strip()
    try:
        share = None if isinstance(value, bool) else Decimal(text.removesuffix("%").strip())
    except InvalidOperation:
        share = None
    if share is None or not share.is_finite():
        message = _("按风险抽取比例应为数字（百分比）：%(value)s")
        return None, [FieldError("risk_share", message % {"value": text})]
    if not 0 < share <= 100:
        message = _("按风险抽取比例应大于 0 且不超过 100：%(value)s")
        return None, [FieldError("risk_share", message % {"value": text})]
    return share, []
