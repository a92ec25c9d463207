"""Findings (发现问题): 发现问题标化比, the problems an officer found against what an average
officer finds on the same mix of entities.

Raw findings per inspection reward the officer whose grid is full of class Ⅰ, grade D entities
and punish the one with quiet class Ⅲ, grade A shops. So each inspection is given an expected
number of findings: the bureau-wide mean findings per inspection, in the same period, of its
stratum (the entity's risk class × credit grade as of the visit). The value is observed ÷
expected, a standardised ratio (as a standardised mortality ratio): 1.00 finds as much as the
average officer would have found on the same visits.

- Inspections: signed originals visited in the period (``amends`` empty); a correction is the
  same visit and is not counted again, but a problem it adds (``followup.record_findings``
  attaches to the correction only the items the original had not found) counts for the visit.
- Findings: ``followup.Finding`` rows of those records, every severity alike.
- Stratum: risk class and credit grade rolled back to the visit's day through
  ``registry.ClassificationChange`` (``targeting.records.as_of``, as ``risk.records`` does);
  the register's current value when nothing changed since.
- Attribution: the officer who led the inspection (``Inspection.lead_officer``); the station
  whose subtree holds the inspecting unit (``Inspection.unit``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import numpy as np
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoneng.core import arrays, bulk
from xiaoneng.inspections.followup.models import Finding
from xiaoneng.inspections.records.models import Inspection
from xiaoneng.org.models import Unit
from xiaoneng.planning.policy.services import CLASSES, GRADES
from xiaoneng.registry.models import ClassificationChange, Entity
from xiaoneng.reports.assessment.catalogue import (
    HIGHER,
    OFFICER,
    STATION,
    Indicator,
    Measure,
    RecordRow,
    register,
    rounded,
)
from xiaoneng.reports.assessment.measures.plans import subjects_by_unit
from xiaoneng.reports.assessment.periods import Period
from xiaoneng.targeting.records import as_of

UNKNOWN = len(CLASSES) * len(GRADES)  # the stratum of an entity without class or grade
STRATA = UNKNOWN + 1
INSPECTION_KIND = gettext_lazy("检查记录")


@dataclass
class Visits:
    """The period's signed original inspections, bureau-wide, in parallel arrays."""

    inspection_id: np.ndarray
    entity_id: np.ndarray
    officer_id: np.ndarray
    unit_id: np.ndarray
    stratum: np.ndarray
    found: np.ndarray  # findings of the visit (the record's and its corrections')
    mean: list[Fraction]  # bureau-wide findings per inspection of each stratum

    def expected(self, rows: np.ndarray) -> Fraction:
        """Expected findings of the inspections at ``rows``: each its stratum's mean."""
        counts = np.bincount(self.stratum[rows], minlength=STRATA).tolist()
        return sum((n * self.mean[s] for s, n in enumerate(counts) if n), Fraction(0))


def _strata(
    entity_ids: np.ndarray, days: np.ndarray, now: np.ndarray, start: dt.date
) -> np.ndarray:
    """Each (entity, day)'s stratum: class × grade as of the day (class-major, grade-minor),
    from today's (``now``: class and grade positions, -1 for none) and later changes."""
    now = np.where(now < 0, np.nan, now.astype(np.float64))
    wanted = set(np.unique(entity_ids).tolist())
    dates = days.astype("datetime64[D]")
    # Only a change on or after the period's first day can be later than one of its visits.
    changes = bulk.of_ids(
        ClassificationChange.objects.exclude(old_value="").filter(changed_at__date__gte=start),
        "entity_id",
        wanted,
    )
    rolled = []
    for column, field, codes in ((0, "risk_class", CLASSES), (1, "credit_grade", GRADES)):
        rows = list(changes.filter(field=field).values_list("entity_id", "changed_at", "old_value"))
        rolled.append(
            as_of(
                entity_ids,
                dates,
                now[:, column],
                np.array([r[0] for r in rows], dtype=np.int64),
                np.array([timezone.localdate(r[1]) for r in rows], dtype="datetime64[D]"),
                np.array([codes.index(r[2]) if r[2] in codes else np.nan for r in rows]),
            )
        )
    risk, grade = rolled
    known = np.isfinite(risk) & np.isfinite(grade)
    strata = np.where(known, np.nan_to_num(risk) * len(GRADES) + np.nan_to_num(grade), UNKNOWN)
    return strata.astype(np.int64)


def _found(inspection_ids: np.ndarray) -> np.ndarray:
    """Findings of each visit: its record's and those its corrections added."""
    corrections = Inspection.objects.filter(amends__isnull=False).order_by()
    root = dict(corrections.values_list("id", "amends_id"))
    # Every finding read, no join nor filter, and those of other periods' records dropped when
    # matched to the period's visits: SQLite would otherwise fetch each row through an index.
    rows = Finding.objects.order_by().values_list(RawSQL('COALESCE("inspection_id", -1)', ()))
    owner = arrays.int_rows(rows, 1)[:, 0]
    owner = owner[owner >= 0]
    for i in np.flatnonzero(np.isin(owner, list(root))).tolist():
        node, seen = int(owner[i]), set()
        while node in root and node not in seen:
            seen.add(node)
            node = root[node]
        owner[i] = node
    found = np.zeros(len(inspection_ids), dtype=np.int64)
    if len(inspection_ids) and len(owner):
        at = np.minimum(np.searchsorted(inspection_ids, owner), len(inspection_ids) - 1)
        known = inspection_ids[at] == owner
        np.add.at(found, at[known], 1)
    return found


def _classes_now(entity_ids: np.ndarray) -> np.ndarray:
    """Each entity's class and grade today as positions in ``CLASSES`` and ``GRADES`` (-1:
    none), read from the register apart: joining a year's inspections to their entities cost
    SQLite a lookup per row."""
    table = Entity._meta.db_table
    risk = arrays.index_sql(f'"{table}"."risk_class"', CLASSES)
    grade = arrays.index_sql(f'"{table}"."credit_grade"', GRADES)
    rows = (
        bulk.of_ids(Entity.objects.order_by(), "id", set(np.unique(entity_ids).tolist()))
        .annotate(
            _class=RawSQL(f"COALESCE({risk}, -1)", ()),
            _grade=RawSQL(f"COALESCE({grade}, -1)", ()),
        )
        .values_list("id", "_class", "_grade")
    )
    matrix = arrays.int_rows(rows, 3)
    matrix = matrix[np.argsort(matrix[:, 0], kind="stable")]
    at = np.searchsorted(matrix[:, 0], entity_ids)
    return matrix[np.minimum(at, max(len(matrix) - 1, 0)), 1:3]


def visits(period: Period) -> Visits:
    """Every signed original inspection of the period with its stratum and findings."""
    table = Inspection._meta.db_table
    signed = Inspection.objects.filter(status=Inspection.Status.SIGNED, amends__isnull=True)
    rows = (
        arrays.between_days(signed, "visited_on", period.start, period.end)
        .order_by("id")
        .annotate(_day=RawSQL(arrays.days_sql(f'"{table}"."visited_on"'), ()))
        .values_list("id", "entity_id", "lead_officer_id", "unit_id", "_day")
    )
    matrix = arrays.int_rows(rows, 5)
    ids = matrix[:, 0]
    now = _classes_now(matrix[:, 1]) if len(matrix) else np.zeros((0, 2), dtype=np.int64)
    stratum = _strata(matrix[:, 1], matrix[:, 4], now, period.start)
    found = _found(ids)
    inspections = np.bincount(stratum, minlength=STRATA).tolist()
    findings = np.bincount(stratum, weights=found, minlength=STRATA).tolist()
    pairs = zip(findings, inspections, strict=True)
    mean = [Fraction(round(f), n) if n else Fraction(0) for f, n in pairs]
    return Visits(ids, matrix[:, 1], matrix[:, 2], matrix[:, 3], stratum, found, mean)


def _decimal(value: Fraction) -> Decimal:
    return rounded(Decimal(value.numerator) / Decimal(value.denominator))


def _measure(found: Visits, rows: np.ndarray) -> Measure:
    if not len(rows):
        return Measure(None, 0, 0, _("期间内无主查的已签名检查记录"))
    observed = int(found.found[rows].sum())
    expected = found.expected(rows)
    share = _decimal(expected)
    values = {"n": len(rows), "found": observed, "expected": share}
    if not expected:
        detail = _(
            "检查记录%(n)d份，发现问题%(found)d个；同风险类别、信用等级的检查全局均未发现问题，"
            "无从比较"
        )
        return Measure(None, observed, 0, detail % values)
    detail = _("检查记录%(n)d份，发现问题%(found)d个，按同类主体平均应发现%(expected)s个")
    return Measure(_decimal(observed / expected), observed, share, detail % values)


def _rows_of(found: Visits, kind: str, subject_ids: Sequence[int]) -> dict[int, np.ndarray]:
    """The positions (in ``found``) of each subject's inspections."""
    if kind == OFFICER:
        owners = {pk: [pk] for pk in subject_ids}
        keys = found.officer_id
    else:
        owners = subjects_by_unit(subject_ids)
        keys = found.unit_id
    out: dict[int, list[np.ndarray]] = {pk: [] for pk in subject_ids}
    order = np.argsort(keys, kind="stable")
    known, first = np.unique(keys[order], return_index=True)
    for key, part in zip(known.tolist(), np.split(order, first[1:]), strict=True):
        for subject in owners.get(key, []):
            out[subject].append(part)
    empty = np.zeros(0, dtype=np.int64)
    return {pk: np.concatenate(parts) if parts else empty for pk, parts in out.items()}


def measure(kind: str, subject_ids: Sequence[int], period: Period) -> dict[int, Measure]:
    found = visits(period)
    return {pk: _measure(found, rows) for pk, rows in _rows_of(found, kind, subject_ids).items()}


def records(kind: str, subject_id: int, period: Period) -> list[RecordRow]:
    if kind == STATION and not Unit.objects.filter(pk=subject_id).exists():
        return []
    found = visits(period)
    rows = _rows_of(found, kind, [subject_id])[subject_id]
    ids = found.inspection_id[rows].tolist()
    records = Inspection.objects.select_related("entity").in_bulk(ids)
    listed = zip(ids, found.stratum[rows].tolist(), found.found[rows].tolist(), strict=True)
    out = []
    for pk, stratum, n in sorted(listed, key=lambda v: (records[v[0]].visited_on, v[0])):
        record = records[pk]
        mean = _decimal(found.mean[stratum])
        out.append(
            RecordRow(
                day=record.visited_on,
                kind=str(INSPECTION_KIND),
                title=record.entity.name,
                state=_("发现问题%(found)d个，同类平均%(mean)s个") % {"found": n, "mean": mean},
                url=reverse("inspections:inspection_detail", args=[pk]),
            )
        )
    return out[::-1]


FINDINGS_ADJUSTED = register(
    Indicator(
        code="findings_adjusted",
        label=gettext_lazy("发现问题标化比"),
        unit="倍",
        direction=HIGHER,
        subjects=(OFFICER, STATION),
        target=Decimal("1.2"),
        floor=Decimal("0.5"),
        definition=gettext_lazy(
            "考核期内主查的已签名检查记录（更正记录不重复计）发现的问题数，除以按各记录主体"
            "检查当日的风险类别×信用等级、以全局同期同类检查平均发现问题数计算的预期问题数。"
        ),
        measure=measure,
        records=records,
    )
)
