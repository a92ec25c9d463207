"""Read the register's records into the engine's tables (``xiaoneng.targeting.records``).

- **History**: every signed inspection (amendments aside: a record and its corrections are one
  visit), with how many problems of each severity it found (``Finding.severity``). The outcome
  learnt is "found at least one serious (严重) problem".
- **Visits**: the same inspections as training rows, or every entity in business on a day as
  the rows to score. What the entity was is taken *as of the visit's day*: its risk class and
  credit grade are rolled back through ``ClassificationChange``; licences issued, complaints
  received and cases registered count only before that day. Nothing read here is later than
  the day it describes, except the register's current values that never changed since.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db.models import Q, QuerySet

from xiaoneng.cases.models import Case
from xiaoneng.core import bulk
from xiaoneng.inspections.checklists.models import Severity
from xiaoneng.inspections.followup.models import Finding
from xiaoneng.inspections.records.models import Inspection
from xiaoneng.registry.models import ClassificationChange, Entity, Licence
from xiaoneng.risk.models import ExternalEntity, ExternalInspection
from xiaoneng.targeting.records import (
    CELL_DEGREES,
    COMPLAINT_DAYS,
    NEARBY_DAYS,
    Dates,
    FloatArray,
    History,
    IntArray,
    Visits,
    as_of,
    count_before,
    history_features,
)
from xiaoneng.timeliness.complaints.models import Complaint

RISK_CODES = {"I": 1.0, "II": 2.0, "III": 3.0}
CREDIT_CODES = {"A": 1.0, "B": 2.0, "C": 3.0, "D": 4.0}


@dataclass
class Training:
    """The inspections to learn from: their visits, outcome and the history they draw on."""

    visits: Visits
    history: History
    outcome: FloatArray
    areas: list[str]


_EPOCH = dt.date(1970, 1, 1).toordinal()
_NAT = np.iinfo(np.int64).min  # NaT as datetime64


def _dates(values: Iterable[dt.date | None]) -> Dates:
    # Days since 1970 from ordinals: parsing a million ISO strings took ten times as long.
    days = [v.toordinal() - _EPOCH if v else _NAT for v in values]
    return np.array(days, dtype=np.int64).astype("datetime64[D]")


def _floats(values: Iterable[float | None]) -> FloatArray:
    return np.array([np.nan if v is None else v for v in values], dtype=np.float64)


def read_history(
    before: dt.date | None = None, *, near: Visits | None = None
) -> tuple[IntArray, list[str], History]:
    """(inspection IDs, their units, history) of the signed inspections before ``before``.

    ``near`` narrows the read to what the features of those few visits need: their entities'
    inspections, and the year's inspections around their places.
    """
    rows = Inspection.objects.filter(status=Inspection.Status.SIGNED, amends__isnull=True)
    if before is not None:
        rows = rows.filter(visited_on__lt=before)
    if near is not None:
        rows = rows.filter(_around(near))
    values = list(
        rows.order_by("visited_on", "id").values_list(
            "id", "entity_id", "visited_on", "entity__latitude", "entity__longitude", "unit_id"
        )
    )
    ids = np.array([v[0] for v in values], dtype=np.int64)
    findings = Finding.objects.filter(inspection__isnull=False)
    if near is not None:
        findings = findings.filter(inspection_id__in=rows.values("id"))
    # Without ``near``, every finding is read: matching a million IDs in SQL cost more than
    # dropping, below, the findings of the inspections not read.
    found = list(findings.values_list("inspection_id", "severity").iterator(chunk_size=20_000))
    counts = _counts_by_severity(ids, found)
    history = History(
        entity=np.array([v[1] for v in values], dtype=np.int64),
        dates=_dates(v[2] for v in values),
        latitude=_floats(v[3] for v in values),
        longitude=_floats(v[4] for v in values),
        critical=counts[Severity.CRITICAL],
        major=counts[Severity.MAJOR],
        minor=counts[Severity.MINOR],
    )
    return ids, [str(v[5]) for v in values], history


def _counts_by_severity(ids: IntArray, found: list[tuple[int, str]]) -> dict[str, FloatArray]:
    """How many of ``found`` (inspection ID, severity) each of ``ids`` has, per severity."""
    order = np.argsort(ids, kind="stable")
    owner = np.array([f[0] for f in found], dtype=np.int64)
    at = np.minimum(np.searchsorted(ids[order], owner), max(len(ids) - 1, 0))
    known = (ids[order][at] == owner) if len(ids) else np.zeros(len(owner), dtype=bool)
    row = order[at][known] if len(ids) else np.zeros(0, dtype=np.int64)
    severity = np.array([f[1] for f in found], dtype=object)[known]
    return {
        s: np.bincount(row[severity == s], minlength=len(ids)).astype(np.float64)
        for s in Severity.values
    }


def _around(near: Visits) -> Q:
    """The inspections a few visits' features read: their entities', and the year's inspections
    within the neighbourhood cells around their places."""
    where = Q(entity_id__in={int(e) for e in near.entity})
    known = np.isfinite(near.latitude) & np.isfinite(near.longitude)
    if known.any():
        pad = CELL_DEGREES
        first = near.dates.min() - np.timedelta64(NEARBY_DAYS, "D")
        where |= Q(
            visited_on__gte=first.item(),
            entity__latitude__range=(
                float(near.latitude[known].min()) - pad,
                float(near.latitude[known].max()) + pad,
            ),
            entity__longitude__range=(
                float(near.longitude[known].min()) - pad,
                float(near.longitude[known].max()) + pad,
            ),
        )
    return where


def entity_features(
    entity_ids: IntArray, dates: Dates, units: list[str] | None = None
) -> tuple[dict[str, FloatArray], dict[str, list[str]], FloatArray, FloatArray, list[str]]:
    """What each (entity, day) was: numeric and categorical features, place, and area.

    ``units`` are the inspecting units of past visits; None takes each entity's own unit (the
    station that will inspect it next).
    """
    wanted = set(entity_ids.tolist())
    info: dict[int, tuple[object, ...]] = {}
    fields = (
        *("id", "risk_class", "credit_grade", "industry_id", "established", "latitude"),
        *("longitude", "unit_id", "grid__section__zone__name"),
    )
    for row in bulk.of_ids(Entity.objects.all(), "id", wanted).values_list(*fields).iterator(5000):
        info[row[0]] = row[1:]
    areas_outside = dict(
        bulk.of_ids(ExternalEntity.objects.all(), "entity_id", wanted).values_list(
            "entity_id", "area"
        )
    )
    rows = [info[e] for e in entity_ids.tolist()]
    risk_now = np.array([RISK_CODES.get(str(r[0]), np.nan) for r in rows])
    credit_now = np.array([CREDIT_CODES.get(str(r[1]), np.nan) for r in rows])
    changes: dict[str, list[tuple[int, dt.datetime, str]]] = defaultdict(list)
    # A change from nothing is the first classification: there is no earlier value to restore.
    for entity, field, old, at in bulk.of_ids(
        ClassificationChange.objects.exclude(old_value=""), "entity_id", wanted
    ).values_list("entity_id", "field", "old_value", "changed_at"):
        changes[field].append((entity, at, old))
    established = _dates(r[3] for r in rows)  # type: ignore[misc]
    age = (dates - established).astype(np.float64) / 365.25
    numeric = {
        "risk_class": _rolled_back(entity_ids, dates, risk_now, changes["risk_class"], RISK_CODES),
        "credit": _rolled_back(
            entity_ids, dates, credit_now, changes["credit_grade"], CREDIT_CODES
        ),
        "age_years": np.where(np.isfinite(age) & (age >= 0), age, np.nan),
        "licences": _count(entity_ids, dates, Licence.objects.all(), "issued", None),
        "complaints": _count(
            entity_ids, dates, Complaint.objects.all(), "received_on", COMPLAINT_DAYS
        ),
        "cases": _count(entity_ids, dates, Case.objects.all(), "received_on", None),
    }
    categorical = {
        "industry": [str(r[2]) for r in rows],
        "unit": units if units is not None else [str(r[6]) for r in rows],
    }
    areas = [
        areas_outside.get(e) or str(r[7] or "")
        for e, r in zip(entity_ids.tolist(), rows, strict=True)
    ]
    latitude = _floats(r[4] for r in rows)  # type: ignore[misc]
    longitude = _floats(r[5] for r in rows)  # type: ignore[misc]
    return numeric, categorical, latitude, longitude, areas


def _rolled_back(
    entity_ids: IntArray,
    dates: Dates,
    now: FloatArray,
    changes: list[tuple[int, dt.datetime, str]],
    codes: dict[str, float],
) -> FloatArray:
    return as_of(
        entity_ids,
        dates,
        now,
        np.array([c[0] for c in changes], dtype=np.int64),
        _dates(c[1].date() for c in changes),
        np.array([codes.get(c[2], np.nan) for c in changes], dtype=np.float64),
    )


def _count(
    entity_ids: IntArray, dates: Dates, rows: QuerySet[Any], field: str, days: int | None
) -> FloatArray:
    """Each (entity, day)'s rows dated strictly before the day (within ``days`` if given)."""
    wanted = set(entity_ids.tolist())
    picked = bulk.of_ids(rows.filter(entity__isnull=False), "entity_id", wanted)
    values = list(picked.values_list("entity_id", field))
    return count_before(
        entity_ids,
        dates,
        np.array([r[0] for r in values], dtype=np.int64),
        _dates(r[1] for r in values),
        days,
    )


def read_training(before: dt.date | None = None) -> Training:
    """Every signed inspection before ``before`` as a training row, with its outcome."""
    ids, units, history = read_history(before)
    keys = external_ids(ids)
    numeric, categorical, latitude, longitude, areas = entity_features(
        history.entity, history.dates, units
    )
    visits = Visits(keys, history.entity, history.dates, latitude, longitude, numeric, categorical)
    visits.numeric.update(history_features(visits, history))
    return Training(visits=visits, history=history, outcome=history.failed, areas=areas)


def external_ids(inspection_ids: IntArray) -> IntArray:
    """The outside dataset's ID of each inspection where it has one (ties break by it, as the
    dataset's protocol says), else the system's own ID."""
    wanted = set(inspection_ids.tolist())
    outside = dict(
        bulk.of_ids(ExternalInspection.objects.all(), "inspection_id", wanted).values_list(
            "inspection_id", "external_id"
        )
    )
    if not outside:
        return np.array(inspection_ids, dtype=np.int64)
    return np.array([outside.get(i, i) for i in inspection_ids.tolist()], dtype=np.int64)


def read_register(on: dt.date, entity_ids: Iterable[int] | None = None) -> tuple[Visits, list[str]]:
    """One visit per entity in business (or per entity of ``entity_ids``) on day ``on``."""
    entities = Entity.objects.filter(status=Entity.Status.OPERATING, archived_at__isnull=True)
    if entity_ids is not None:
        entities = Entity.objects.filter(id__in=list(entity_ids))
    ids = np.array(sorted(entities.values_list("id", flat=True)), dtype=np.int64)
    dates = np.full(len(ids), np.datetime64(on.isoformat(), "D"))
    numeric, categorical, latitude, longitude, areas = entity_features(ids, dates)
    visits = Visits(ids, ids, dates, latitude, longitude, numeric, categorical)
    few = entity_ids is not None and len(ids) <= bulk.FEW_IDS
    _, _, history = read_history(on, near=visits if few else None)
    visits.numeric.update(history_features(visits, history))
    return visits, areas
