"""The supervision policy: versions, their validation, the version in force, array lookups.

Defaults and their sources are in docs/policy.md: distances after 篇2, draw ratios after
SAMR's enterprise credit-risk classification practice, patrol intervals for class Ⅰ after the
UK Food Standards Agency's risk categories (6 to 24 months).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core.audit import attributed
from xiaoneng.core.errors import DomainError, FieldError, InvalidInput
from xiaoneng.org import access
from xiaoneng.org.models import Officer
from xiaoneng.planning.models import Distance, Policy, PolicyCell
from xiaoneng.registry.models import CreditGrade, RiskClass

CLASSES = tuple(RiskClass.values)  # I, II, III
GRADES = tuple(CreditGrade.values)  # A, B, C, D


@dataclass(frozen=True)
class Treatment:
    """What the policy prescribes for one class × grade."""

    distance: str
    patrol_interval_days: int
    draw_ratio: Decimal


def _t(distance: str, days: int, ratio: str) -> Treatment:
    return Treatment(distance, days, Decimal(ratio))


# class → grade → treatment. See docs/policy.md for the sources of every figure.
DEFAULTS: dict[str, dict[str, Treatment]] = {
    "I": {
        "A": _t(Distance.NEAR, 730, "0.05"),
        "B": _t(Distance.NEAR, 548, "0.15"),
        "C": _t(Distance.ZERO, 365, "0.40"),
        "D": _t(Distance.ZERO, 182, "0.80"),
    },
    "II": {
        "A": _t(Distance.REMOTE, 1095, "0.03"),
        "B": _t(Distance.NEAR, 730, "0.10"),
        "C": _t(Distance.NEAR, 365, "0.30"),
        "D": _t(Distance.ZERO, 182, "0.70"),
    },
    "III": {
        "A": _t(Distance.REMOTE, 1825, "0.02"),
        "B": _t(Distance.REMOTE, 1095, "0.05"),
        "C": _t(Distance.NEAR, 730, "0.25"),
        "D": _t(Distance.ZERO, 365, "0.61"),
    },
}
MAX_INTERVAL_DAYS = 3650


def cell_key(risk_class: str, grade: str) -> str:
    return f"{risk_class}-{grade}"


def read_cells(
    raw: Mapping[str, Mapping[str, Any]],
) -> tuple[dict[str, Treatment], list[FieldError]]:
    """Check ``{"I-A": {"distance", "patrol_interval_days", "draw_ratio"}, …}``: all 12 cells.

    A policy with a hole (a class × grade missing) is refused: every entity must know its
    interval and its draw ratio.
    """
    cells: dict[str, Treatment] = {}
    errors: list[FieldError] = []
    expected = {cell_key(c, g) for c in CLASSES for g in GRADES}
    for key in sorted(set(raw) - expected):
        errors.append(FieldError(key, _("未知的类别×等级：%(key)s") % {"key": key}))
    for risk_class in CLASSES:
        for grade in GRADES:
            key = cell_key(risk_class, grade)
            values = raw.get(key)
            if values is None:
                errors.append(
                    FieldError(
                        key,
                        _("政策缺少 %(cls)s 类 × %(grade)s 级")
                        % {"cls": risk_class, "grade": grade},
                    )
                )
                continue
            treatment, problems = _read_cell(key, values)
            errors += problems
            if treatment is not None:
                cells[key] = treatment
    return cells, errors


def _read_cell(key: str, values: Mapping[str, Any]) -> tuple[Treatment | None, list[FieldError]]:
    errors = []
    distance = str(values.get("distance") or "")
    if distance not in Distance.values:
        errors.append(
            FieldError(
                f"{key}.distance",
                _("监管距离应为 remote、near 或 zero：%(value)s") % {"value": distance},
            )
        )
    try:
        days = int(str(values.get("patrol_interval_days")))
    except ValueError:
        days = 0
        errors.append(FieldError(f"{key}.patrol_interval_days", _("巡查间隔应为整数天数")))
    else:
        if not 1 <= days <= MAX_INTERVAL_DAYS:
            errors.append(
                FieldError(
                    f"{key}.patrol_interval_days",
                    _("巡查间隔应在 1 至 %(max)d 天之间：%(value)s")
                    % {"max": MAX_INTERVAL_DAYS, "value": days},
                )
            )
    try:
        ratio = Decimal(str(values.get("draw_ratio")))
    except InvalidOperation:
        ratio = Decimal(-1)
    if not (ratio.is_finite() and Decimal(0) <= ratio <= Decimal(1)):
        errors.append(
            FieldError(
                f"{key}.draw_ratio",
                _("抽查比例应在 0 至 1 之间：%(value)s") % {"value": values.get("draw_ratio")},
            )
        )
    if errors:
        return None, errors
    return Treatment(distance, days, ratio.quantize(Decimal("0.0001"))), []


def default_cells() -> dict[str, dict[str, Any]]:
    """The defaults in the shape ``read_cells`` takes (forms and the API start from it)."""
    return {
        cell_key(c, g): {
            "distance": t.distance,
            "patrol_interval_days": t.patrol_interval_days,
            "draw_ratio": str(t.draw_ratio),
        }
        for c, grades in DEFAULTS.items()
        for g, t in grades.items()
    }


def create_policy(
    *,
    effective_from: dt.date,
    cells: Mapping[str, Mapping[str, Any]],
    note: str = "",
    actor: Officer,
) -> Policy:
    """A new policy version, in force from ``effective_from`` (today or later).

    Versions are never edited: a change is a new version, so past plans and draws keep the
    policy they were made under.
    """
    access.require(actor, access.MANAGE_POLICY)
    clean, errors = read_cells(cells)
    today = timezone.localdate()
    if effective_from < today:
        errors.append(
            FieldError(
                "effective_from", _("生效日期不能早于今天：%(date)s") % {"date": effective_from}
            )
        )
    elif Policy.objects.filter(effective_from=effective_from).exists():
        errors.append(
            FieldError(
                "effective_from", _("该日期已有政策版本：%(date)s") % {"date": effective_from}
            )
        )
    if errors:
        raise InvalidInput(f"{errors[0].field}: {errors[0].message}", errors=errors)
    with transaction.atomic(), attributed(actor):
        version = (Policy.objects.aggregate(top=Max("version"))["top"] or 0) + 1
        policy = Policy.objects.create(
            version=version,
            effective_from=effective_from,
            note=note,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        PolicyCell.objects.bulk_create(
            PolicyCell(
                policy=policy,
                risk_class=key.split("-")[0],
                credit_grade=key.split("-")[1],
                distance=t.distance,
                patrol_interval_days=t.patrol_interval_days,
                draw_ratio=t.draw_ratio,
            )
            for key, t in clean.items()
        )
    return policy


class PolicyUnknown(DomainError):
    """No policy version is in force on the date asked about."""


def policy_in_force(on: dt.date | None = None) -> Policy:
    """The version governing ``on`` (default today): the latest one effective by then."""
    on = on or timezone.localdate()
    policy = Policy.objects.filter(effective_from__lte=on).order_by("-effective_from").first()
    if policy is None:
        raise PolicyUnknown(_("%(date)s 没有生效的监管政策") % {"date": on})
    return policy


class PolicyTable:
    """One version's cells as 3 × 4 arrays, indexed by class and grade positions."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self.interval_days = np.zeros((len(CLASSES), len(GRADES)), dtype=np.int64)
        self.draw_ratio = np.zeros((len(CLASSES), len(GRADES)), dtype=np.float64)
        self.distance = np.empty((len(CLASSES), len(GRADES)), dtype=object)
        self.cells: dict[str, Treatment] = {}
        for cell in policy.cells.all():
            i, j = CLASSES.index(cell.risk_class), GRADES.index(cell.credit_grade)
            self.interval_days[i, j] = cell.patrol_interval_days
            self.draw_ratio[i, j] = float(cell.draw_ratio)
            self.distance[i, j] = cell.distance
            self.cells[cell_key(cell.risk_class, cell.credit_grade)] = Treatment(
                cell.distance, cell.patrol_interval_days, cell.draw_ratio
            )

    @classmethod
    def in_force(cls, on: dt.date | None = None) -> PolicyTable:
        return cls(policy_in_force(on))

    def treatment(self, risk_class: str, grade: str) -> Treatment:
        return self.cells[cell_key(risk_class, grade)]
