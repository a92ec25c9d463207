"""Period report figures of cases (篇2): cases filed by kind, their value, money collected,
confiscated goods, and the completion of the unit's annual targets (``targets`` in
``reports.period``, which also counts inspections and samples)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import models
from django.db.models import Count, Q, Sum

from xiaoneng.cases.models import Case, CaseKind, Collection, ConfiscatedGoods
from xiaoneng.cases.targets.services import filed_cases
from xiaoneng.reports.scope import Scope

ZERO = Decimal("0.00")


@dataclass
class KindRow:
    """Cases of one kind filed in the period, and the money collected on cases of that kind."""

    kind: str
    label: str
    cases: int = 0
    major: int = 0
    value: Decimal = ZERO
    collected: Decimal = ZERO


@dataclass
class GoodsRow:
    """Goods confiscated in cases of one kind filed in the period, by description and measure."""

    kind: str
    description: str
    measure: str
    quantity: Decimal
    value: Decimal


@dataclass
class TargetProgress:
    """A unit's annual target and what was achieved from 1 January up to the period's end."""

    metric: str
    label: str
    year: int
    target: Decimal
    achieved: Decimal
    rate: int  # whole percent, rounded half up as the seed writes it (完成全年目标的128%)


@dataclass
class CaseFigures:
    """Cases filed in the period (立案), their value, and money collected in the period."""

    filed: int = 0
    major: int = 0
    value: Decimal = ZERO
    collected: Decimal = ZERO
    by_kind: list[KindRow] = field(default_factory=list)
    goods: list[GoodsRow] = field(default_factory=list)
    targets: list[TargetProgress] = field(default_factory=list)

    def target(self, metric: str) -> TargetProgress | None:
        return next((t for t in self.targets if t.metric == metric), None)


def money(value: Any) -> Decimal:
    """An amount of yuan to the fen, rounded half up; nothing is zero."""
    return Decimal(value or 0).quantize(ZERO, rounding=ROUND_HALF_UP)


def percent(part: Decimal | int, whole: Decimal | int) -> int:
    """``part`` of ``whole`` in whole percent, rounded half up (154.22 / 120.5 → 128)."""
    rate = Decimal(part) * 100 / Decimal(whole)
    return int(rate.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def filed_in(scope: Scope, start: dt.date, end: dt.date) -> models.QuerySet[Case]:
    """Cases filed (立案) in the period; a withdrawn case (撤销) was not 查处 and is left out,
    by the same rule as the targets page (``targets.filed_cases``)."""
    return scope.filter(filed_cases(start, end))


def collected_in(scope: Scope, start: dt.date, end: dt.date) -> models.QuerySet[Collection]:
    """Money paid in (罚没款入库) in the period."""
    return scope.filter(Collection.objects.filter(collected_on__range=(start, end)))


def case_figures(scope: Scope, start: dt.date, end: dt.date) -> CaseFigures:
    """Cases by kind, money collected by kind, confiscated goods, and the annual targets."""
    labels = dict(CaseKind.choices)
    rows: dict[str, KindRow] = {}
    filed = (
        filed_in(scope, start, end)
        .order_by()
        .values("kind")
        .annotate(n=Count("id"), major=Count("id", filter=Q(major=True)), value=Sum("case_value"))
    )
    for row in filed:
        kind = row["kind"]
        rows[kind] = KindRow(kind, str(labels.get(kind, kind)), row["n"], row["major"])
        rows[kind].value = money(row["value"])
    collected = (
        collected_in(scope, start, end)
        .order_by()
        .values("case__kind")
        .annotate(amount=Sum("amount"))
    )
    for row in collected:
        kind = row["case__kind"]
        rows.setdefault(kind, KindRow(kind, str(labels.get(kind, kind))))
        rows[kind].collected = money(row["amount"])
    order = list(CaseKind.values)
    by_kind = sorted(rows.values(), key=lambda r: (-r.cases, order.index(r.kind)))
    figures = CaseFigures(
        filed=sum(r.cases for r in by_kind),
        major=sum(r.major for r in by_kind),
        value=sum((r.value for r in by_kind), ZERO),
        collected=sum((r.collected for r in by_kind), ZERO),
        by_kind=by_kind,
    )
    goods = (
        scope.filter(
            ConfiscatedGoods.objects.filter(
                case__filed_on__range=(start, end),
            ).exclude(case__status=Case.Status.WITHDRAWN),
            "case__unit_id",
        )
        .order_by()
        .values("case__kind", "description", "measure")
        .annotate(quantity=Sum("quantity"), value=Sum("value"))
    )
    figures.goods = sorted(
        (
            GoodsRow(
                g["case__kind"],
                g["description"],
                g["measure"],
                Decimal(g["quantity"] or 0),
                money(g["value"]),
            )
            for g in goods
        ),
        key=lambda g: (order.index(g.kind), -g.quantity, g.description),
    )
    return figures
