"""Follow-up indicators: rectification orders closed (整改到位率) and how long they took
(平均整改用时).

An order (``inspections.followup`` Rectification) is attributed to the officer who issued it
(``issued_by``: usually the lead officer of the inspection it came from; an order on a finding of
another source has no inspection, only its issuer) and to the unit it was issued in. Where an
order stands is ``inspections.followup.figures.standing``, the one definition the period report
uses.

The helpers at the top (``grouped``, ``subtree_ids``) are how every measure of the families
followup, cases, service and integrity counts in bulk: one GROUP BY officer or unit, then the
units' counts added up over each station's subtree in Python (the unit tree is small).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoneng.inspections.followup.figures import standing
from xiaoneng.inspections.followup.models import Rectification
from xiaoneng.org.models import Unit
from xiaoneng.reports.assessment.catalogue import (
    HIGHER,
    LOWER,
    OFFICER,
    STATION,
    Indicator,
    Measure,
    RecordRow,
    percent,
    ratio,
    register,
)
from xiaoneng.reports.assessment.periods import Period

Counts = dict[str, Any]  # counts (int) and sums (int days, Decimal money)

# Bulk counting, shared by this module's sibling families ------------------------------------


def subtrees(unit_ids: Sequence[int]) -> dict[int, set[int]]:
    """Each unit's subtree (itself and every unit below it), from one query of the unit tree."""
    paths = dict(Unit.objects.values_list("id", "path"))
    return {
        uid: {other for other, path in paths.items() if path.startswith(paths[uid])}
        for uid in unit_ids
        if uid in paths
    }


def subtree_ids(unit_id: int) -> list[int]:
    """The ids of one unit's subtree (empty for an unknown unit)."""
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        return []
    return list(Unit.objects.subtree(unit).values_list("id", flat=True))


def owned(queryset: QuerySet[Any], kind: str, subject_id: int, fields: tuple[str, str]) -> Any:
    """The records of one subject: ``fields`` names the officer field and the unit field."""
    officer_field, unit_field = fields
    if kind == OFFICER:
        return queryset.filter(**{officer_field: subject_id})
    return queryset.filter(**{f"{unit_field}__in": subtree_ids(subject_id)})


FEW_OFFICERS = 50  # up to this many officers are filtered in SQL; more, and all are grouped


def grouped(
    queryset: QuerySet[Any],
    kind: str,
    subject_ids: Sequence[int],
    fields: tuple[str, str],
    aggregates: Mapping[str, Any],
) -> dict[int, Counts]:
    """``aggregates`` of ``queryset`` for every subject in one GROUP BY query.

    ``fields`` names the record's officer field and its unit field. Officers are grouped by
    their own field; stations by the record's unit, the units' sums then added up over each
    station's subtree. Every subject gets an entry (zeros when nothing matched).
    """
    officer_field, unit_field = fields
    zeros: Counts = dict.fromkeys(aggregates, 0)
    if kind == OFFICER:
        field, scope = officer_field, {f"{officer_field}__in": list(subject_ids)}
        trees: dict[int, set[int]] = {}
    else:
        trees = subtrees(subject_ids)
        units = set().union(*trees.values()) if trees else set()
        field, scope = unit_field, {f"{unit_field}__in": sorted(units)}
    if kind == OFFICER and len(subject_ids) > FEW_OFFICERS:
        # Every officer's row is grouped and the others dropped below: with a long IN list
        # SQLite walks the officer index and fetches each of a year's rows by its ID (3.5 s
        # for a million inspections, against 0.9 s for the scan; docs/benchmarks.md).
        scope = {}
    rows = queryset.filter(**scope).order_by().values(field).annotate(**aggregates)
    found = {row[field]: {name: _number(row[name]) for name in aggregates} for row in rows}
    if kind == OFFICER:
        return {sid: found.get(sid, dict(zeros)) for sid in subject_ids}
    result: dict[int, Counts] = {}
    for sid in subject_ids:
        total = dict(zeros)
        for uid in trees.get(sid, ()):
            for name, value in found.get(uid, {}).items():
                total[name] += value
        result[sid] = total
    return result


def _number(value: Any) -> int | Decimal:
    """A count, a sum of money (Decimal) or of days (a timedelta on some databases)."""
    if value is None:
        return 0
    if isinstance(value, dt.timedelta):
        return value.days
    if isinstance(value, Decimal):
        return value
    return int(value)


def no_data(detail: str) -> Measure:
    return Measure(value=None, numerator=0, denominator=0, detail=detail)


# 整改到位率 -------------------------------------------------------------------------------

ORDERS = ("issued_by_id", "unit_id")  # an order's officer and unit fields


def _due(period: Period) -> QuerySet[Rectification]:
    return Rectification.objects.filter(deadline__range=(period.start, period.end))


def _closed(period: Period) -> Q:
    """Rectified or escalated to a case (转立案 ends the order as surely as compliance)."""
    return standing("rectified", period.end) | standing("escalated", period.end)


def closure_measure(kind: str, subject_ids: Sequence[int], period: Period) -> dict[int, Measure]:
    counts = grouped(
        _due(period),
        kind,
        subject_ids,
        ORDERS,
        {
            "due": Count("id"),
            "rectified": Count("id", filter=standing("rectified", period.end)),
            "escalated": Count("id", filter=standing("escalated", period.end)),
        },
    )
    result = {}
    for sid, c in counts.items():
        if not c["due"]:
            result[sid] = no_data(_("本期无到期的责令整改通知书"))
            continue
        closed = c["rectified"] + c["escalated"]
        detail = _(
            "整改期限在本期的责令整改通知书%(due)d份，已整改到位%(rectified)d份，"
            "转立案查处%(escalated)d份，未整改%(open)d份"
        ) % {
            "due": c["due"],
            "rectified": c["rectified"],
            "escalated": c["escalated"],
            "open": c["due"] - closed,
        }
        result[sid] = Measure(percent(closed, c["due"]), closed, c["due"], detail)
    return result


def _order_row(order: Rectification, day: dt.date | None, counts: str) -> RecordRow:
    return RecordRow(
        day=day,
        kind=_("责令整改通知书"),
        title=f"{order.number} {order.entity.name}",
        state=str(order.get_status_display()),
        url=reverse("inspections:rectification_detail", args=[order.pk]),
        counts=counts,
    )


def closure_records(kind: str, subject_id: int, period: Period) -> list[RecordRow]:
    orders = owned(_due(period), kind, subject_id, ORDERS).select_related("entity")
    closed = set(orders.filter(_closed(period)).values_list("id", flat=True))
    return [
        _order_row(o, o.deadline, "numerator" if o.pk in closed else "denominator")
        for o in orders.order_by("-deadline", "-id")
    ]


# 平均整改用时 -----------------------------------------------------------------------------


def _rectified(period: Period) -> QuerySet[Rectification]:
    return Rectification.objects.filter(
        standing("rectified", period.end), closed_on__range=(period.start, period.end)
    )


def days_measure(kind: str, subject_ids: Sequence[int], period: Period) -> dict[int, Measure]:
    took = ExpressionWrapper(F("closed_on") - F("issued_on"), output_field=DurationField())
    counts = grouped(
        _rectified(period),
        kind,
        subject_ids,
        ORDERS,
        {"orders": Count("id"), "days": Sum(took)},
    )
    result = {}
    for sid, c in counts.items():
        if not c["orders"]:
            result[sid] = no_data(_("本期无整改到位的责令整改通知书"))
            continue
        value = ratio(c["days"], c["orders"])
        detail = _("本期整改到位的责令整改通知书%(orders)d份，共用时%(days)d天，平均%(mean)s天") % {
            "orders": c["orders"],
            "days": c["days"],
            "mean": value,
        }
        result[sid] = Measure(value, c["days"], c["orders"], detail)
    return result


def days_records(kind: str, subject_id: int, period: Period) -> list[RecordRow]:
    orders = owned(_rectified(period), kind, subject_id, ORDERS).select_related("entity")
    rows = []
    for order in orders.order_by("-closed_on", "-id"):
        assert order.closed_on is not None
        row = _order_row(order, order.closed_on, "")  # a mean: each order is averaged
        took = (order.closed_on - order.issued_on).days
        state = _("%(issued)s下达，%(closed)s整改到位，用时%(days)d天") % {
            "issued": order.issued_on.isoformat(),
            "closed": order.closed_on.isoformat(),
            "days": took,
        }
        rows.append(RecordRow(row.day, row.kind, row.title, state, row.url, row.counts))
    return rows


register(
    Indicator(
        code="rectification_closure",
        label=gettext_lazy("整改到位率"),
        unit="%",
        direction=HIGHER,
        subjects=(OFFICER, STATION),
        target=Decimal(95),
        floor=Decimal(60),
        definition=gettext_lazy(
            "整改期限在本期内的责令整改通知书中，至本期末已整改到位或已转立案查处的份数所占比例；"
            "通知书按下达人（检查的主查人）和下达单位计。"
        ),
        measure=closure_measure,
        records=closure_records,
    )
)

register(
    Indicator(
        code="rectification_days",
        label=gettext_lazy("平均整改用时"),
        unit="天",
        direction=LOWER,
        subjects=(OFFICER, STATION),
        target=Decimal(10),
        floor=Decimal(30),
        definition=gettext_lazy(
            "本期内整改到位（办结日期在本期）的责令整改通知书，自下达日期至整改到位日期的平均天数"
            "（自然日）；按下达人和下达单位计。"
        ),
        measure=days_measure,
        records=days_records,
    )
)
