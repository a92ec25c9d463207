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

import numpy as np
import numpy.typing as npt
from django.db import models
from django.db.models import Model, Q, QuerySet
from django.db.models.expressions import RawSQL

from xiaoneng.cases.models import Case
from xiaoneng.core import arrays, bulk
from xiaoneng.inspections.checklists.models import Severity
from xiaoneng.inspections.followup.models import Finding
from xiaoneng.inspections.records.models import Inspection
from xiaoneng.org.models import Grid
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
IN_BUSINESS = Q(status=Entity.Status.OPERATING, archived_at__isnull=True)
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


def _day_numbers(values: FloatArray) -> Dates:
    """Day numbers read from SQL (NaN: no date) as dates."""
    days = np.where(np.isfinite(values), values, 0).astype(np.int64)
    return np.where(np.isfinite(values), days, _NAT).astype("datetime64[D]")


def _labels(values: FloatArray) -> list[str]:
    """Ids read as floats, as the text labels of a categorical feature ("None": no value)."""
    known, inverse = np.unique(values, return_inverse=True)
    names = ["None" if np.isnan(v) else str(int(v)) for v in known.tolist()]
    return [names[i] for i in inverse.ravel().tolist()]


def _day_column(model: type[Model], field: str) -> RawSQL:
    return RawSQL(arrays.days_sql(f'"{model._meta.db_table}"."{field}"'), ())


@dataclass
class Places:
    """Where the register's entities are: IDs in order, latitude and longitude (NaN: unknown).

    The history's places are looked up here rather than joined in SQL: the join of a million
    inspections to their entities cost SQLite three times the read of both tables.
    """

    ids: IntArray
    latitude: FloatArray
    longitude: FloatArray

    @classmethod
    def read(cls) -> Places:
        # Sorted here, not in SQL: an ordered query would not be read as arrays (core.arrays).
        matrix = arrays.float_rows(
            Entity.objects.order_by().values_list("id", "latitude", "longitude"), 3
        )
        matrix = matrix[np.argsort(matrix[:, 0], kind="stable")]
        return cls(matrix[:, 0].astype(np.int64), matrix[:, 1].copy(), matrix[:, 2].copy())

    def of(self, entity: IntArray) -> tuple[FloatArray, FloatArray]:
        if not len(self.ids):
            return np.full(len(entity), np.nan), np.full(len(entity), np.nan)
        at = np.minimum(np.searchsorted(self.ids, entity), len(self.ids) - 1)
        known = self.ids[at] == entity
        return (
            np.where(known, self.latitude[at], np.nan),
            np.where(known, self.longitude[at], np.nan),
        )


@dataclass
class Signed:
    """The signed inspections read as history: their IDs and units beside the history."""

    ids: IntArray
    units: FloatArray
    history: History


@dataclass
class _HistoryRows:
    """The signed inspections' rows as read (ID, entity, day number, unit and, with ``near``,
    latitude and longitude) in order of day and ID, and their findings (inspection ID,
    severity's index)."""

    matrix: FloatArray
    found: IntArray


def _history_rows(before: dt.date | None, near: Visits | None = None) -> _HistoryRows:
    rows = Inspection.objects.filter(status=Inspection.Status.SIGNED, amends__isnull=True)
    if near is not None:
        rows = rows.filter(_around(near))
        if before is not None:
            rows = rows.filter(visited_on__lt=before)
    # A few rows join their entities' places; many look them up in ``places``.
    columns: tuple[str, ...] = ("id", "entity_id", "_day", "unit_id")
    if near is not None:
        columns += ("entity__latitude", "entity__longitude")
    read = rows.order_by().annotate(_day=_day_column(Inspection, "visited_on"))
    read = read.values_list(*columns)
    if near is None:  # no column can be NULL: integers, read three times as fast
        matrix = arrays.int_rows(read, len(columns)).astype(np.float64)
    else:
        matrix = arrays.float_rows(read, len(columns))
    if near is None and before is not None:
        # Filtered here, not in SQL: SQLite would walk the date index and fetch each of a
        # million rows by its ID, six times slower than reading the whole table.
        matrix = matrix[matrix[:, 2] < (before - dt.date(1970, 1, 1)).days]
    matrix = matrix[np.lexsort((matrix[:, 0], matrix[:, 2]))]
    findings = Finding.objects.filter(inspection__isnull=False)
    if near is not None:
        findings = findings.filter(inspection_id__in=rows.values("id"))
    # Without ``near``, every finding is read: matching a million IDs in SQL cost more than
    # dropping, below, the findings of the inspections not read.
    severity = arrays.index_sql(f'"{Finding._meta.db_table}"."severity"', Severity.values)
    found = arrays.int_rows(
        findings.order_by()
        .annotate(_severity=RawSQL(f"COALESCE({severity}, -1)", ()))
        .values_list("inspection_id", "_severity"),
        2,
    )
    return _HistoryRows(matrix, found)


def read_history(
    before: dt.date | None = None,
    *,
    near: Visits | None = None,
    places: Places | None = None,
    rows: _HistoryRows | None = None,
) -> Signed:
    """The signed inspections before ``before``, in order of day and ID.

    ``near`` narrows the read to what the features of those few visits need: their entities'
    inspections, and the year's inspections around their places. ``places``: the entities'
    places if already read; ``rows``: the inspections' and findings' rows if already read
    (``_history_rows`` of the same ``before`` and ``near``).
    """
    read = rows or _history_rows(before, near)
    matrix = read.matrix
    ids = matrix[:, 0].astype(np.int64)
    entity = matrix[:, 1].astype(np.int64)
    if near is not None:
        latitude, longitude = matrix[:, 4].copy(), matrix[:, 5].copy()
    else:
        latitude, longitude = (places or Places.read()).of(entity)
    counts = _counts_by_severity(ids, read.found)
    history = History(
        entity=entity,
        dates=_day_numbers(matrix[:, 2]),
        latitude=latitude,
        longitude=longitude,
        critical=counts[Severity.CRITICAL],
        major=counts[Severity.MAJOR],
        minor=counts[Severity.MINOR],
    )
    return Signed(ids=ids, units=matrix[:, 3].copy(), history=history)


def _counts_by_severity(ids: IntArray, found: IntArray) -> dict[str, FloatArray]:
    """How many of ``found`` (inspection ID, severity's index) each of ``ids`` has."""
    order = np.argsort(ids, kind="stable")
    owner = found[:, 0]
    out = {s: np.zeros(len(ids)) for s in Severity.values}
    if not len(ids):
        return out
    at = np.minimum(np.searchsorted(ids[order], owner), len(ids) - 1)
    known = ids[order][at] == owner
    row = order[at][known]
    severity = found[:, 1][known]
    for index, name in enumerate(Severity.values):
        out[name] = np.bincount(row[severity == index], minlength=len(ids)).astype(np.float64)
    return out


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


@dataclass
class Described:
    """What each (entity, day) was: features, place, and (when asked) its area."""

    numeric: dict[str, FloatArray]
    categorical: dict[str, list[str]]
    latitude: FloatArray
    longitude: FloatArray
    areas: list[str]
    places: Places | None  # every entity's place, when every entity was read


_ENTITY_COLUMNS = (
    *("id", "_risk", "_credit", "_established", "latitude", "longitude", "unit_id"),
    *("grid_id", "_in_business", "industry_id"),  # the industry is a text code
)
_IN_BUSINESS_COLUMN = _ENTITY_COLUMNS.index("_in_business")


@dataclass
class _Register:
    """The register's columns (``_ENTITY_COLUMNS``) of the entities read, in order of ID, as
    numbers, and their industries; ``complete`` when every entity was read."""

    matrix: FloatArray
    industry: npt.NDArray[np.object_]  # text codes
    complete: bool

    @classmethod
    def read(cls, wanted: set[int] | None = None) -> _Register:
        """The entities of ``wanted`` (all of them when None, or when ``wanted`` are many)."""
        table = Entity._meta.db_table
        entities: QuerySet[Entity] = Entity.objects.order_by()
        if wanted is not None:
            entities = bulk.of_ids(entities, "id", wanted)
        read = entities.annotate(
            _risk=RawSQL(arrays.index_sql(f'"{table}"."risk_class"', tuple(RISK_CODES)), ()),
            _credit=RawSQL(arrays.index_sql(f'"{table}"."credit_grade"', tuple(CREDIT_CODES)), ()),
            _established=_day_column(Entity, "established"),
            _in_business=models.Case(
                models.When(IN_BUSINESS, then=models.Value(1)), default=models.Value(0)
            ),
        ).values_list(*_ENTITY_COLUMNS)
        matrix, (industry,) = arrays.float_and_text_rows(read, len(_ENTITY_COLUMNS) - 1, 1)
        order = np.argsort(matrix[:, 0], kind="stable")
        return cls(
            matrix[order],
            np.array(industry, dtype=object)[order],
            complete=wanted is None or len(wanted) > bulk.FEW_IDS,
        )

    def in_business(self) -> IntArray:
        """The IDs of the entities in business, in order."""
        return self.matrix[self.matrix[:, _IN_BUSINESS_COLUMN] == 1, 0].astype(np.int64)

    def rows(self, entity_ids: IntArray) -> tuple[FloatArray, list[str]]:
        """The columns of each of ``entity_ids`` (in that order), and their industries."""
        ids = self.matrix[:, 0]
        if not len(ids):
            if len(entity_ids):
                raise ValueError("an entity to describe is not in the register")
            return self.matrix, []
        at = np.minimum(np.searchsorted(ids, entity_ids), len(ids) - 1)
        if (ids[at] != entity_ids).any():
            raise ValueError("an entity to describe is not in the register")
        return self.matrix[at], list(map(str, self.industry[at].tolist()))

    def places(self) -> Places | None:
        """Every entity's place, when every entity was read."""
        if not self.complete:
            return None
        return Places(self.matrix[:, 0].astype(np.int64), self.matrix[:, 4], self.matrix[:, 5])


def entity_features(
    entity_ids: IntArray,
    dates: Dates,
    units: list[str] | None = None,
    *,
    areas: bool = False,
    register: _Register | None = None,
) -> Described:
    """What each (entity, day) was: numeric and categorical features, place, and area.

    ``units`` are the inspecting units of past visits; None takes each entity's own unit (the
    station that will inspect it next). ``areas`` asks for each entity's area (its external
    area, else its grid's zone), which only the evaluation's breakdowns need. ``register``:
    the entities' rows if already read.
    """
    # One set of the IDs for every read below (a million IDs took 0.1 s a set).
    wanted = set(entity_ids.tolist())
    if register is None:
        register = _Register.read(wanted)
    rows, industries = register.rows(entity_ids)
    changes: dict[str, list[tuple[int, dt.datetime, str]]] = defaultdict(list)
    # A change from nothing is the first classification: there is no earlier value to restore.
    for entity, field, old, at in bulk.of_ids(
        ClassificationChange.objects.exclude(old_value=""), "entity_id", wanted
    ).values_list("entity_id", "field", "old_value", "changed_at"):
        changes[field].append((entity, at, old))
    age = (dates - _day_numbers(rows[:, 3])).astype(np.float64) / 365.25
    numeric = {
        "risk_class": _rolled_back(
            entity_ids, dates, rows[:, 1] + 1, changes["risk_class"], RISK_CODES
        ),
        "credit": _rolled_back(
            entity_ids, dates, rows[:, 2] + 1, changes["credit_grade"], CREDIT_CODES
        ),
        "age_years": np.where(np.isfinite(age) & (age >= 0), age, np.nan),
        "licences": _count(entity_ids, wanted, dates, Licence, "issued", None),
        "complaints": _count(entity_ids, wanted, dates, Complaint, "received_on", COMPLAINT_DAYS),
        "cases": _count(entity_ids, wanted, dates, Case, "received_on", None),
    }
    categorical = {
        "industry": industries,
        "unit": units if units is not None else _labels(rows[:, 6]),
    }
    return Described(
        numeric,
        categorical,
        latitude=rows[:, 4].copy(),
        longitude=rows[:, 5].copy(),
        areas=_areas(entity_ids, rows[:, 7]) if areas else [],
        places=register.places(),
    )


def _areas(entity_ids: IntArray, grids: FloatArray) -> list[str]:
    """Each entity's external area (a dataset's ZIP code), else its grid's zone name."""
    outside = dict(
        bulk.of_ids(
            ExternalEntity.objects.all(), "entity_id", set(entity_ids.tolist())
        ).values_list("entity_id", "area")
    )
    zones = dict(Grid.objects.values_list("id", "section__zone__name"))
    return [
        outside.get(e) or (zones.get(int(g), "") if np.isfinite(g) else "")
        for e, g in zip(entity_ids.tolist(), grids.tolist(), strict=True)
    ]


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
    entity_ids: IntArray,
    wanted: set[int],
    dates: Dates,
    model: type[Model],
    field: str,
    days: int | None,
) -> FloatArray:
    """Each (entity, day)'s rows dated strictly before the day (within ``days`` if given);
    ``wanted``: the set of ``entity_ids``."""
    rows = model._default_manager.filter(entity__isnull=False, **{f"{field}__isnull": False})
    picked = bulk.of_ids(rows.order_by(), "entity_id", wanted)
    values = arrays.int_rows(
        picked.annotate(_day=_day_column(model, field)).values_list("entity_id", "_day"), 2
    )
    return count_before(entity_ids, dates, values[:, 0], values[:, 1].astype("datetime64[D]"), days)


def read_training(before: dt.date | None = None) -> Training:
    """Every signed inspection before ``before`` as a training row, with its outcome."""
    signed = read_history(before)
    history = signed.history
    described = entity_features(history.entity, history.dates, _labels(signed.units), areas=True)
    visits = Visits(
        external_ids(signed.ids),
        history.entity,
        history.dates,
        described.latitude,
        described.longitude,
        described.numeric,
        described.categorical,
    )
    visits.numeric.update(history_features(visits, history))
    return Training(visits=visits, history=history, outcome=history.failed, areas=described.areas)


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


def read_register(on: dt.date, entity_ids: Iterable[int] | None = None) -> Visits:
    """One visit per entity in business (or per entity of ``entity_ids``) on day ``on``."""
    register = None
    history_rows = None
    if entity_ids is None:
        # The whole history is read on a connection of its own while the register is read
        # here: on PostgreSQL each query's time is mostly the server's, on the other core.
        history_rows = arrays.beside(lambda: _history_rows(on))
        # The entities in business come from the read of every entity's columns, not from a
        # query of their own (a second pass over the register's widest table).
        register = _Register.read()
        ids = register.in_business()
    else:
        entities = Entity.objects.filter(id__in=list(entity_ids))
        ids = np.sort(arrays.int_rows(entities.order_by().values_list("id"), 1)[:, 0])
    dates = np.full(len(ids), np.datetime64(on.isoformat(), "D"))
    described = entity_features(ids, dates, register=register)
    visits = Visits(
        ids,
        ids,
        dates,
        described.latitude,
        described.longitude,
        described.numeric,
        described.categorical,
    )
    few = entity_ids is not None and len(ids) <= bulk.FEW_IDS
    if few:
        history = read_history(on, near=visits).history
    else:
        rows = history_rows() if history_rows is not None else None
        history = read_history(on, places=described.places, rows=rows).history
    visits.numeric.update(history_features(visits, history))
    return visits
