"""The figures of an advertising campaign period (docs/ads.md defines each once); the stats
page and its XLSX both call ``ad_figures``.

Over the ads monitored (``captured_at``) and the notices issued (``issued_on``) in [start, end]
among the records given (already scoped to the user's units):

- 监测广告 ads monitored; 命中 keyword hits in them; 确认违法 hits confirmed by a person;
- 文书 notices issued; 已履行 of those, complied with;
- 立案 monitored ads of the period filed as cases, and annual checks decided in the period
  with 立案调查.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncMonth

from xiaoneng.ads.common import CATEGORIES
from xiaoneng.ads.monitoring.models import AdHit, MonitoredAd
from xiaoneng.ads.notices.models import AdNotice
from xiaoneng.ads.operators.models import Medium, QualificationCheck

CONFIRMED = Q(hits__decision=AdHit.Decision.CONFIRMED)
FIGURES = ("ads", "hits", "confirmed", "notices", "complied", "cases")


@dataclass
class Row:
    """One line of a breakdown: its key and label and each figure."""

    key: str
    label: str
    ads: int = 0
    hits: int = 0
    confirmed: int = 0
    notices: int = 0
    complied: int = 0
    cases: int = 0

    def values(self) -> list[int]:
        return [getattr(self, name) for name in FIGURES]


@dataclass
class Figures:
    start: dt.date
    end: dt.date
    total: Row = field(default_factory=lambda: Row("", "合计"))
    by_month: list[Row] = field(default_factory=list)
    by_medium: list[Row] = field(default_factory=list)
    by_category: list[Row] = field(default_factory=list)
    by_unit: list[Row] = field(default_factory=list)


def _add(
    rows: dict[str, Row], labels: dict[str, str], found: QuerySet[Any], key: str, **figures: str
) -> None:
    for record in found:
        code = record[key]
        code = (
            code.strftime("%Y-%m") if isinstance(code, dt.date | dt.datetime) else str(code or "")
        )
        row = rows.setdefault(code, Row(code, labels.get(code, code or "—")))
        for name, column in figures.items():
            setattr(row, name, getattr(row, name) + (record[column] or 0))


def _breakdown(
    ads: QuerySet[MonitoredAd],
    notices: QuerySet[AdNotice],
    checks: QuerySet[QualificationCheck],
    ad_key: Any,
    notice_key: Any,
    check_key: Any,
    labels: dict[str, str],
) -> list[Row]:
    rows: dict[str, Row] = {}
    ad_key, notice_key, check_key = (
        F(k) if isinstance(k, str) else k for k in (ad_key, notice_key, check_key)
    )
    _add(
        rows,
        labels,
        ads.values(key=ad_key).annotate(
            n=Count("id", distinct=True),
            h=Count("hits"),
            c=Count("hits", filter=CONFIRMED),
        ),
        "key",
        ads="n",
        hits="h",
        confirmed="c",
    )
    _add(
        rows,
        labels,
        ads.filter(case__isnull=False).values(key=ad_key).annotate(n=Count("id")),
        "key",
        cases="n",
    )
    if notice_key is not None:
        _add(
            rows,
            labels,
            notices.values(key=notice_key).annotate(
                n=Count("id"), c=Count("id", filter=Q(status=AdNotice.Status.COMPLIED))
            ),
            "key",
            notices="n",
            complied="c",
        )
    if check_key is not None:
        _add(rows, labels, checks.values(key=check_key).annotate(n=Count("id")), "key", cases="n")
    return sorted(rows.values(), key=lambda r: r.key)


def ad_figures(
    ads: QuerySet[MonitoredAd],
    notices: QuerySet[AdNotice],
    checks: QuerySet[QualificationCheck],
    start: dt.date,
    end: dt.date,
    unit_labels: dict[str, str],
) -> Figures:
    """The figures of [start, end] of the (scoped) ``ads``, ``notices`` and ``checks``."""
    period_ads = ads.filter(captured_at__date__gte=start, captured_at__date__lte=end).order_by()
    period_notices = notices.filter(issued_on__gte=start, issued_on__lte=end).order_by()
    period_checks = checks.filter(
        status=QualificationCheck.Status.INVESTIGATE, decided_on__gte=start, decided_on__lte=end
    ).order_by()
    figures = Figures(start=start, end=end)
    both = (period_ads, period_notices, period_checks)
    figures.by_month = _breakdown(
        *both,
        TruncMonth("captured_at"),
        TruncMonth("issued_on"),
        TruncMonth("decided_on"),
        {},
    )
    figures.by_medium = _breakdown(
        *both,
        "medium",
        "ad__medium",
        None,
        {str(k): str(v) for k, v in Medium.choices} | {"": "未关联监测广告"},
    )
    figures.by_unit = _breakdown(*both, "unit__code", "unit__code", "unit__code", unit_labels)
    hits = (
        AdHit.objects.filter(ad__in=period_ads)
        .values("category")
        .annotate(h=Count("id"), c=Count("id", filter=Q(decision=AdHit.Decision.CONFIRMED)))
    )
    figures.by_category = sorted(
        (
            Row(
                h["category"],
                CATEGORIES.get(h["category"], h["category"]),
                hits=h["h"],
                confirmed=h["c"],
            )
            for h in hits
        ),
        key=lambda r: (-r.hits, r.key),
    )
    total = figures.total
    for row in figures.by_unit:
        for name in FIGURES:
            setattr(total, name, getattr(total, name) + getattr(row, name))
    return figures


def sheet_rows(figures: Figures) -> list[list[Any]]:
    """The figures as the rows of the XLSX sheet (and the page's tables): group, item, each
    figure."""
    lines: list[list[Any]] = [["合计", "合计", *figures.total.values()]]
    for group, rows in (
        ("月份", figures.by_month),
        ("媒介类型", figures.by_medium),
        ("违法类别", figures.by_category),
        ("监管单位", figures.by_unit),
    ):
        lines += [[group, row.label, *row.values()] for row in rows]
    return lines


HEADER = ["分组", "项目", "监测广告", "命中", "确认违法", "文书", "已履行", "立案"]
