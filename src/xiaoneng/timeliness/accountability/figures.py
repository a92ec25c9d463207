"""Figures of accountability (问责, 篇9), each defined once: the page, the API, the XLSX and the
monthly bulletin call these.

Counted: the actions decided in the period (``decided_on`` within it, both ends included) about
officers of the units given, revoked ones left out (a revoked decision no longer holds).

- actions by kind: how many actions of each ``ActionKind``, lightest first;
- officers concerned: how many different officers those actions are about;
- deductions (扣发补助人次): how many of those actions deduct an allowance (an amount above 0);
- total deduction: the sum of the amounts, Decimal yuan with two places;
- by unit: the same counts and sum for each unit (the officer's unit when decided); the rows
  add up to the totals.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from xiaoneng.timeliness.accountability.models import AccountabilityAction, ActionKind

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class UnitRow:
    """One unit's actions: by kind (in ``ActionKind`` order), deductions and their sum."""

    unit_code: str
    unit_name: str
    by_kind: dict[str, int]
    actions: int
    deducted: int
    deduction: Decimal


@dataclass(frozen=True)
class AccountabilityFigures:
    """The accountability figures of a period and a set of units (module docstring)."""

    actions: int
    by_kind: dict[str, int]
    officers: int
    deducted: int
    deduction: Decimal
    by_unit: list[UnitRow] = field(default_factory=list)


def counted_actions(
    *, start: dt.date, end: dt.date, unit_ids: list[int] | None
) -> QuerySet[AccountabilityAction]:
    """The actions the figures count: decided in [start, end], not revoked, of ``unit_ids``'
    officers (None: every unit)."""
    actions = AccountabilityAction.objects.filter(
        decided_on__gte=start, decided_on__lte=end, revoked_at__isnull=True
    )
    return actions if unit_ids is None else actions.filter(unit_id__in=unit_ids)


def _by_kind(rows: dict[str, int]) -> dict[str, int]:
    return {kind: rows.get(kind, 0) for kind in ActionKind.values}


def accountability_figures(
    *, start: dt.date, end: dt.date, unit_ids: list[int] | None
) -> AccountabilityFigures:
    """The figures of the actions ``counted_actions`` gives."""
    actions = counted_actions(start=start, end=end, unit_ids=unit_ids).order_by()
    deducted = Q(deduction__gt=0)
    per_unit: dict[int, dict[str, int]] = {}
    for unit_id, kind, count in actions.values_list("unit_id", "kind").annotate(n=Count("id")):
        per_unit.setdefault(unit_id, {})[kind] = count
    sums = {
        row["unit_id"]: row
        for row in actions.values("unit_id", "unit__code", "unit__name", "unit__path").annotate(
            n=Count("id"), deducted=Count("id", filter=deducted), amount=Sum("deduction")
        )
    }
    by_unit = [
        UnitRow(
            unit_code=row["unit__code"],
            unit_name=row["unit__name"],
            by_kind=_by_kind(per_unit.get(unit_id, {})),
            actions=row["n"],
            deducted=row["deducted"],
            deduction=(row["amount"] or ZERO).quantize(ZERO),
        )
        for unit_id, row in sorted(sums.items(), key=lambda item: item[1]["unit__path"])
    ]
    by_kind = {kind: sum(row.by_kind[kind] for row in by_unit) for kind in ActionKind.values}
    return AccountabilityFigures(
        actions=sum(row.actions for row in by_unit),
        by_kind=by_kind,
        officers=actions.values("officer_id").distinct().count(),
        deducted=sum(row.deducted for row in by_unit),
        deduction=sum((row.deduction for row in by_unit), ZERO).quantize(ZERO),
        by_unit=by_unit,
    )
