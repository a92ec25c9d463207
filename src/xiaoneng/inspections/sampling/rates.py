"""Pass rates of the supervision spot checks (监督抽查合格率, 篇4) and sentences reporting them.

篇4 reports spot checks this way: "对237类重点产品的20835家生产企业的23423批次产品进行了国家监督
抽查", "饮水机合格率仅为63.3%", "2008年抽查合格率提高了21个百分点". The figures here are counted
from the recorded samples, never typed in: a batch counts once its laboratory verdict is in
(合格 / 不合格); batches still being tested are shown apart. A rate has one decimal place,
rounded half up; the change against the previous year is the difference of the two rates as
shown, so that a reader can check the sentence with the figures beside it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from xiaoneng.core.errors import InvalidInput
from xiaoneng.core.scoping import scoped
from xiaoneng.inspections.sampling.followup import OPEN_STATES, overdue_filter
from xiaoneng.inspections.sampling.models import Sample, SampleFollowUp
from xiaoneng.org.models import Officer, Unit

GROUPS = {"category": "plan__category", "region": "region_code", "unit": "unit__code"}
TENTH = Decimal("0.1")
R = Sample.Result


def percent(part: int, whole: int) -> Decimal | None:
    """``part / whole`` in per cent with one decimal place (half up); None when nothing counts."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(TENTH, rounding=ROUND_HALF_UP)


def change_phrase(change: Decimal | None) -> str:
    """提高 / 下降 … 个百分点, or 持平; empty when there is nothing to compare with."""
    if change is None:
        return ""
    if change > 0:
        return _("提高%(n)s个百分点") % {"n": change}
    if change < 0:
        return _("下降%(n)s个百分点") % {"n": -change}
    return _("持平")


@dataclass
class Rate:
    """One line of a pass-rate table: a category, region or unit (or the total) in a year."""

    by: str  # category / region / unit, or "" for the total
    key: str
    label: str
    batches: int = 0  # batches with a verdict
    passed: int = 0
    failed: int = 0
    firms: int = 0  # distinct firm names among those batches
    pending: int = 0  # batches sampled, verdict not yet in
    previous_batches: int = 0
    previous_passed: int = 0

    @property
    def pass_rate(self) -> Decimal | None:
        return percent(self.passed, self.batches)

    @property
    def previous_rate(self) -> Decimal | None:
        return percent(self.previous_passed, self.previous_batches)

    @property
    def change(self) -> Decimal | None:
        """The change in percentage points against the previous year's rate (as shown)."""
        now, before = self.pass_rate, self.previous_rate
        return None if now is None or before is None else now - before

    @property
    def change_text(self) -> str:
        return change_phrase(self.change)

    def add(self, row: dict[str, Any], current: bool) -> None:
        if current:
            self.batches += row["batches"]
            self.passed += row["passed"]
            self.failed += row["failed"]
            self.firms += row["firms"]
            self.pending += row["pending"]
        else:
            self.previous_batches += row["batches"]
            self.previous_passed += row["passed"]


BUREAU_SUFFIXES = ("市场监督管理局", "市场监管局")


def region_names(codes: Any) -> dict[str, str]:
    """A name for each region code, for sentences and tables: the name of the highest unit
    of that region without its bureau suffix (伊宁示范县市场监督管理局 → 伊宁示范县); a code
    no unit has is written 行政区划代码654003, never as a bare number."""
    names: dict[str, str] = {}
    units = Unit.objects.filter(region_code__in=list(codes)).order_by("-depth", "-path")
    for code, name in units.values_list("region_code", "name"):
        names[code] = name  # the shallowest unit comes last and wins
    for code, name in names.items():
        for suffix in BUREAU_SUFFIXES:
            if name.endswith(suffix) and name != suffix:
                names[code] = name.removesuffix(suffix)
                break
    for code in codes:
        known = _("行政区划代码%(code)s") % {"code": code} if code else _("未填行政区划")
        names.setdefault(code, known)
    return names


def samples_of(queryset_or_user: QuerySet[Sample] | Officer) -> QuerySet[Sample]:
    """A sample queryset as given, or the samples a user may see."""
    if isinstance(queryset_or_user, QuerySet):
        return queryset_or_user
    return scoped(Sample.objects.all(), queryset_or_user)


def _figures(samples: QuerySet[Sample], year: int, *group: str) -> list[dict[str, Any]]:
    verdict = ~Q(result=R.PENDING)
    return list(
        samples.filter(plan__year__in=(year - 1, year))
        .order_by()
        .values("plan__year", *group)
        .annotate(
            batches=Count("id", filter=verdict),
            passed=Count("id", filter=Q(result=R.PASS)),
            failed=Count("id", filter=Q(result=R.FAIL)),
            pending=Count("id", filter=Q(result=R.PENDING)),
            firms=Count("firm_name", distinct=True, filter=verdict),
        )
    )


def _check(year: Any, by: str | None = None) -> int:
    if by is not None and by not in GROUPS:
        raise InvalidInput.single("by", _("分组应为 category、region 或 unit：%(v)s") % {"v": by})
    text = str(year).strip()
    if isinstance(year, bool) or not text.isdigit() or not 1900 < int(text) < 10000:
        raise InvalidInput.single("year", _("年度应为四位数字年份：%(v)s") % {"v": year})
    return int(text)


def pass_rates(*, queryset_or_user: QuerySet[Sample] | Officer, year: int, by: str) -> list[Rate]:
    """Pass rates in ``year`` by product category, region code or unit, with the previous
    year's rate and the change; most batches first. A group sampled only last year is kept."""
    year = _check(year, by)
    field = GROUPS[by]
    lines: dict[str, Rate] = {}
    for row in _figures(samples_of(queryset_or_user), year, field):
        key = row[field] or ""
        line = lines.setdefault(key, Rate(by=by, key=key, label=key))
        line.add(row, current=row["plan__year"] == year)
    if by in ("unit", "region"):
        names = (
            region_names(lines)
            if by == "region"
            else dict(Unit.objects.filter(code__in=lines).values_list("code", "name"))
        )
        for line in lines.values():
            line.label = names.get(line.key, line.key)
    return sorted(lines.values(), key=lambda r: (-r.batches, -r.previous_batches, r.key))


def overall_rate(*, queryset_or_user: QuerySet[Sample] | Officer, year: int) -> Rate:
    """The year's total line (firms counted once however many categories they were sampled in)."""
    year = _check(year)
    total = Rate(by="", key="", label=_("合计"))
    for row in _figures(samples_of(queryset_or_user), year):
        total.add(row, current=row["plan__year"] == year)
    return total


def summary_sentence(rate: Rate, *, year: int) -> str:
    """The line as 篇4 would write it, e.g. "2026年共抽查化肥产品45家企业的120批次，合格102批次，
    合格率85.0%，较上年提高2.3个百分点。" (no comparison when the previous year has no verdict)."""
    values = {
        "year": year,
        # "食品相关产品" reads "抽查食品相关产品…", not "…产品产品".
        "label": rate.label.removesuffix("产品") if rate.by == "category" else rate.label,
        "firms": rate.firms,
        "batches": rate.batches,
        "passed": rate.passed,
        "rate": rate.pass_rate,
    }
    if not rate.batches:
        if rate.by == "category":
            return _("%(year)d年尚无出具检验结论的%(label)s产品抽查批次。") % values
        if rate.by:
            return _("%(year)d年%(label)s尚无出具检验结论的抽查批次。") % values
        return _("%(year)d年尚无出具检验结论的抽查批次。") % values
    if rate.by == "category":
        text = _(
            "%(year)d年共抽查%(label)s产品%(firms)d家企业的%(batches)d批次，"
            "合格%(passed)d批次，合格率%(rate)s%%"
        )
    elif rate.by:
        text = _(
            "%(year)d年%(label)s共抽查%(firms)d家企业的%(batches)d批次产品，"
            "合格%(passed)d批次，合格率%(rate)s%%"
        )
    else:
        text = _(
            "%(year)d年共抽查%(firms)d家企业的%(batches)d批次产品，"
            "合格%(passed)d批次，合格率%(rate)s%%"
        )
    sentence = text % values
    if rate.change is not None:
        sentence += _("，较上年%(change)s") % {"change": rate.change_text}
    return sentence + "。"


@dataclass
class FollowUpFigures:
    """Where the follow-up (后处理) of a year's failed batches stands."""

    failed: int = 0
    closed: int = 0
    escalated: int = 0
    in_progress: int = 0
    overdue: int = 0


def follow_up_figures(
    *, queryset_or_user: QuerySet[Sample] | Officer, year: int, today: dt.date
) -> FollowUpFigures:
    """Counts of the follow-ups of ``year``'s failed batches by where they stand."""
    year = _check(year)
    S = SampleFollowUp.Status
    samples = samples_of(queryset_or_user).filter(plan__year=year)
    follow_ups = SampleFollowUp.objects.filter(sample__in=samples.values("pk"))
    counts = follow_ups.aggregate(
        failed=Count("id"),
        closed=Count("id", filter=Q(status=S.CLOSED)),
        escalated=Count("id", filter=Q(status=S.ESCALATED)),
        in_progress=Count("id", filter=Q(status__in=OPEN_STATES)),
        overdue=Count("id", filter=overdue_filter(today)),
    )
    return FollowUpFigures(**counts)


def follow_up_sentence(figures: FollowUpFigures) -> str:
    """E.g. "对18批次不合格产品开展后处理：已办结12批次，移送立案2批次，正在处理4批次
    （其中逾期1批次）。"."""
    if not figures.failed:
        return ""
    text = _(
        "对%(failed)d批次不合格产品开展后处理：已办结%(closed)d批次，移送立案%(escalated)d批次，"
        "正在处理%(in_progress)d批次"
    ) % vars(figures)
    if figures.overdue:
        text += _("（其中逾期%(overdue)d批次）") % vars(figures)
    return text + "。"
