"""Annual targets (目标任务) and their completion, computed from the records, never typed in.

篇2: "罚没款入库154.22万元，完成全年目标的128%" — achieved / target as a percentage with one
decimal place, set beside the share of the year that has passed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoneng.cases.models import Case, Collection, Target, TargetMetric
from xiaoneng.cases.money import parse_decimal
from xiaoneng.core.audit import attributed
from xiaoneng.core.errors import InvalidInput
from xiaoneng.inspections.models import Inspection, Sample
from xiaoneng.org import access
from xiaoneng.org.models import Officer, Unit

M = TargetMetric
COUNTED = (M.CASES, M.MAJOR_CASES, M.INSPECTIONS, M.SAMPLES)  # whole numbers
ORDER = list(M.values)
ONE_PLACE = Decimal("0.1")
TEN_THOUSAND = Decimal("10000")
FIRST_YEAR, LAST_YEAR = 2000, 2100
# How an achieved figure is written: counts with their measure word, money in 万元.
MEASURES: dict[str, Any] = {
    M.CASES: gettext_lazy("起"),
    M.MAJOR_CASES: gettext_lazy("起"),
    M.CASE_VALUE: gettext_lazy("万元"),
    M.FINES_COLLECTED: gettext_lazy("万元"),
    M.INSPECTIONS: gettext_lazy("户次"),
    M.SAMPLES: gettext_lazy("批次"),
}


def format_value(metric: str, value: Decimal) -> str:
    """A figure as a report writes it: 124起, 154.22万元."""
    if metric in COUNTED:
        return f"{int(value)}{MEASURES[metric]}"
    return f"{(value / TEN_THOUSAND).quantize(Decimal('0.01'), ROUND_HALF_UP)}{MEASURES[metric]}"


def percent(part: Decimal, whole: Decimal) -> Decimal:
    """``part / whole`` as a percentage with one decimal place (half up)."""
    if whole <= 0:
        return Decimal("0.0")
    return (Decimal(part) * 100 / Decimal(whole)).quantize(ONE_PLACE, ROUND_HALF_UP)


def elapsed_share(year: int, today: dt.date) -> Decimal:
    """The share of ``year`` that has passed by the end of ``today``, in percent (one place)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    if today < start:
        return Decimal("0.0")
    if today >= end:
        return Decimal("100.0")
    return percent(Decimal((today - start).days + 1), Decimal((end - start).days + 1))


@dataclass(frozen=True)
class TargetProgress:
    """A target against what the unit's subtree achieved, and the share of the year passed."""

    target: Target
    unit: Unit
    year: int
    metric: str
    label: str
    value: Decimal
    achieved: Decimal
    rate: Decimal  # achieved / value, percent, one place
    elapsed: Decimal  # share of the year passed, percent, one place

    @property
    def behind(self) -> bool:
        """Completion lags the calendar."""
        return self.rate < self.elapsed

    @property
    def bar(self) -> Decimal:
        """The progress bar's width (0–100)."""
        return min(self.rate, Decimal("100"))

    @property
    def value_text(self) -> str:
        return format_value(self.metric, self.value)

    @property
    def achieved_text(self) -> str:
        return format_value(self.metric, self.achieved)

    @property
    def sentence(self) -> str:
        """E.g. 罚没款入库154.22万元，完成全年目标的128.0%."""
        return _("%(label)s%(achieved)s，完成全年目标的%(rate)s%%") % {
            "label": str(M(self.metric).label).split("（")[0],
            "achieved": self.achieved_text,
            "rate": self.rate,
        }


def filed_cases(start: dt.date, end: dt.date) -> QuerySet[Case]:
    """Cases filed (立案查处) from ``start`` to ``end`` inclusive: a withdrawn case (撤销) was
    not 查处 and is left out. The targets page and the period report both count these."""
    return Case.objects.filter(filed_on__range=(start, end)).exclude(status=Case.Status.WITHDRAWN)


def achieved(unit: Unit, year: int) -> dict[str, Decimal]:
    """What ``unit``'s subtree achieved in ``year``, for every metric.

    Cases, major cases and case value count the cases filed in the year and not withdrawn
    (``filed_cases``); fines collected add the collections (fines and confiscations) paid in;
    inspections count signed records (not their amendments); samples count batches sampled.
    """
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    units = Unit.objects.subtree(unit).values("id")
    filed = filed_cases(start, end).filter(unit__in=units)
    cases = filed.aggregate(
        cases=Count("id"),
        major=Count("id", filter=Q(major=True)),
        value=Sum("case_value"),
    )
    collected = Collection.objects.filter(
        unit__in=units, collected_on__gte=start, collected_on__lte=end
    ).aggregate(total=Sum("amount"))["total"]
    inspections = Inspection.objects.filter(
        unit__in=units,
        status=Inspection.Status.SIGNED,
        visited_on__gte=start,
        visited_on__lte=end,
        amends__isnull=True,
    ).count()
    samples = Sample.objects.filter(
        unit__in=units, sampled_on__gte=start, sampled_on__lte=end
    ).count()
    return {
        M.CASES: Decimal(cases["cases"]),
        M.MAJOR_CASES: Decimal(cases["major"]),
        M.CASE_VALUE: Decimal(cases["value"] or 0).quantize(Decimal("0.01")),
        M.FINES_COLLECTED: Decimal(collected or 0).quantize(Decimal("0.01")),
        M.INSPECTIONS: Decimal(inspections),
        M.SAMPLES: Decimal(samples),
    }


def completion(*, unit: Unit, year: int, today: dt.date | None = None) -> list[TargetProgress]:
    """Each target of ``unit`` for ``year`` with what its subtree achieved and the rate."""
    today = today or timezone.localdate()
    targets = sorted(
        Target.objects.filter(unit=unit, year=year), key=lambda t: ORDER.index(t.metric)
    )
    if not targets:
        return []
    figures = achieved(unit, year)
    elapsed = elapsed_share(year, today)
    return [
        TargetProgress(
            target=target,
            unit=unit,
            year=year,
            metric=target.metric,
            label=str(M(target.metric).label),
            value=target.value,
            achieved=figures[target.metric],
            rate=percent(figures[target.metric], target.value),
            elapsed=elapsed,
        )
        for target in targets
    ]


def _check_year(year: Any) -> int:
    try:
        number = int(str(year).strip())
    except (TypeError, ValueError):
        number = 0
    if not FIRST_YEAR <= number <= LAST_YEAR:
        raise InvalidInput.single(
            "year",
            _("年度应为 %(first)d 至 %(last)d 之间的整数：%(v)s")
            % {"first": FIRST_YEAR, "last": LAST_YEAR, "v": year},
        )
    return number


def set_target(
    *, actor: Officer, unit: Unit, year: Any, metric: str, value: Any, note: str = ""
) -> Target:
    """Set ``unit``'s target of ``metric`` for ``year`` (one per unit, year and metric).

    Setting it again updates the same row: the trace keeps the old value.
    """
    access.require(actor, access.MANAGE_TARGETS)
    access.require_unit(actor, unit.pk)
    number = _check_year(year)
    if metric not in M.values:
        raise InvalidInput.single(
            "metric",
            _("指标应为 %(values)s 之一：%(v)s") % {"values": "、".join(M.values), "v": metric},
        )
    amount = parse_decimal(value, field="value", positive=True, name=_("目标值"))
    if metric in COUNTED and amount != amount.to_integral_value():
        raise InvalidInput.single(
            "value",
            _("%(label)s的目标应为整数：%(v)s") % {"label": M(metric).label, "v": value},
        )
    note = (note or "").strip()
    if len(note) > 200:
        raise InvalidInput.single("note", _("说明不能超过 200 个字"))
    with transaction.atomic(), attributed(actor):
        target = (
            Target.objects.select_for_update().filter(unit=unit, year=number, metric=metric).first()
        )
        if target is None:
            return Target.objects.create(
                unit=unit, year=number, metric=metric, value=amount, note=note
            )
        target.value = amount
        target.note = note
        target.save()
    return target
