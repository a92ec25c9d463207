"""Trace checks (痕迹监控, 篇7 虚假检查): six doubts about signed inspections, on arrays.

A signed inspection is flagged (``TraceFlag``, with a sentence giving the figures) when

- far: the on-site check-in lies farther from the entity's registered position than
  ``max_distance_m`` (haversine);
- short: the on-site visit lasted less than ``min_minutes``;
- many: its lead officer signed more than ``max_visits_per_day`` on-site visits that day
  (every record of that officer-day is flagged);
- photo: a photo with the same SHA-256 is attached to another inspection (each is flagged);
- late: it was signed more than ``max_delay_hours`` after the visit ended (the end of the
  visit day when no end time was recorded);
- uniform: it belongs to a run of at least ``uniform_run`` consecutive records (one lead
  officer, by signing time) with every item marked alike and no note.

Thresholds come from ``settings.TRACE_CHECKS``. An amendment (更正记录) is not a new visit: it
is left out of "many", "late" and "uniform", and a photo it shares with the record it corrects
is no duplicate.

The records are read in bulk — one statement, numbers only, converted to numpy arrays — and
every rule is computed on the arrays (sorting, ``np.unique``, ``cumsum``); only the flags raised
are written, in bulk, with their trace (benchmarks/bench_trace.py: a million records). Running
again adds only new flags: an existing (inspection, kind) pair stays as it is, so a cleared
flag is never raised again.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import audit, bulk
from xiaoneng.core.models import AuditEvent
from xiaoneng.inspections import flags
from xiaoneng.inspections.models import Attachment, Inspection, InspectionKind, TraceFlag
from xiaoneng.registry.models import Entity

K = TraceFlag.Kind
# The kinds in a fixed order: a flag's key in the arrays is inspection id × 8 + position.
KINDS: list[str] = [
    K.FAR_CHECKIN,
    K.TOO_SHORT,
    K.TOO_MANY,
    K.DUPLICATE_PHOTO,
    K.LATE_RECORD,
    K.UNIFORM_RUN,
]
EARTH_RADIUS_M = 6_371_008.8
CHUNK = 10_000  # ids per IN (...) list (SQLite's limit on parameters)
FETCH = 50_000  # rows converted to an array at a time
EPOCH = dt.date(1970, 1, 1)
# PostgreSQL: concurrent checks (two signings at once) raise their flags one after the other.
LOCK_KEY = 0x5452414345  # "TRACE"


@dataclass(frozen=True)
class TraceSummary:
    """What one run of the checks did: records checked and new flags by kind."""

    checked: int
    raised: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.raised.values())

    def labelled(self) -> list[tuple[str, str, int]]:
        """``(kind, label, new flags)`` for every kind, in the fixed order."""
        labels = dict(K.choices)
        return [(kind, str(labels[kind]), self.raised.get(kind, 0)) for kind in KINDS]


# Reading the records ------------------------------------------------------------------------

NAMES = (
    "id",
    "unit_id",
    "lead_officer_id",
    "_onsite",
    "_day",
    "_started",
    "_finished",
    "_signed",
    "checkin_longitude",
    "checkin_latitude",
    "entity_id",
    "uniform",
    "amends_id",
)
# Above this many records every placed entity is read at once, rather than by id.
PLACE_ALL = 100_000


@dataclass
class Records:
    """Signed inspections as parallel arrays, sorted by id; times in seconds since 1970 (UTC),
    days as day numbers, NaN where a value is missing."""

    id: np.ndarray
    unit: np.ndarray
    officer: np.ndarray
    onsite: np.ndarray
    day: np.ndarray
    started: np.ndarray
    finished: np.ndarray
    signed: np.ndarray
    checkin_lon: np.ndarray
    checkin_lat: np.ndarray
    entity: np.ndarray
    entity_lon: np.ndarray  # the entity's registered position
    entity_lat: np.ndarray
    uniform: np.ndarray
    amends: np.ndarray  # the id of the corrected record; -1 for an original

    @classmethod
    def from_matrix(cls, matrix: np.ndarray) -> Records:
        def whole(i: int) -> np.ndarray:
            return matrix[:, i].astype(np.int64)

        amends = matrix[:, 12]
        unplaced = np.full(matrix.shape[0], np.nan)
        return cls(
            id=whole(0),
            unit=whole(1),
            officer=whole(2),
            onsite=matrix[:, 3] == 1,
            day=whole(4),
            # SQLite's julianday is exact to about 50 µs: times are kept to the millisecond.
            started=np.round(matrix[:, 5], 3),
            finished=np.round(matrix[:, 6], 3),
            signed=np.round(matrix[:, 7], 3),
            checkin_lon=matrix[:, 8].copy(),
            checkin_lat=matrix[:, 9].copy(),
            entity=whole(10),
            entity_lon=unplaced,
            entity_lat=unplaced.copy(),
            uniform=matrix[:, 11] == 1,
            amends=np.where(np.isnan(amends), -1, np.nan_to_num(amends)).astype(np.int64),
        )

    def __len__(self) -> int:
        return int(self.id.size)

    def take(self, rows: np.ndarray) -> Records:
        return Records(*(getattr(self, name)[rows] for name in self.__dataclass_fields__))

    @property
    def amendment(self) -> np.ndarray:
        return self.amends >= 0

    def index_of(self, ids: np.ndarray) -> np.ndarray:
        """Rows of ``ids`` (every one of which is loaded)."""
        return np.searchsorted(self.id, ids)


def signed() -> QuerySet[Inspection]:
    """The records the checks read: signed ones."""
    return Inspection.objects.filter(status=Inspection.Status.SIGNED)


def _seconds_sql(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST(EXTRACT(EPOCH FROM {column}) AS DOUBLE PRECISION)"
    return f"((julianday({column}) - 2440587.5) * 86400.0)"


def _day_sql(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"({column} - DATE '1970-01-01')"
    return f"CAST(julianday({column}) - 2440587.5 AS INTEGER)"


def load(queryset: QuerySet[Inspection]) -> Records:
    """The records of ``queryset`` as arrays, read with a plain cursor (no model per row)."""
    table = connection.ops.quote_name(Inspection._meta.db_table)

    def column(name: str) -> str:
        return f"{table}.{connection.ops.quote_name(name)}"

    values = (
        queryset.order_by()
        .annotate(
            _onsite=RawSQL(
                f"CASE WHEN {column('kind')} = %s THEN 1 ELSE 0 END", (InspectionKind.ONSITE,)
            ),
            _day=RawSQL(_day_sql(column("visited_on")), ()),
            _started=RawSQL(_seconds_sql(column("started_at")), ()),
            _finished=RawSQL(_seconds_sql(column("finished_at")), ()),
            _signed=RawSQL(_seconds_sql(column("signed_at")), ()),
        )
        .values_list(*NAMES)
    )
    matrix = _fetch_numbers(values, len(NAMES))
    records = Records.from_matrix(matrix[np.argsort(matrix[:, 0], kind="stable")])
    _place(records)
    return records


def _fetch_numbers(queryset: QuerySet[Any], width: int) -> np.ndarray:
    """The rows of a ``values_list`` of numbers as a float matrix, None as NaN (ids and times
    in seconds fit a double exactly)."""
    sql, params = queryset.query.sql_with_params()
    parts = [np.empty((0, width))]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(FETCH):
            parts.append(np.array(rows, dtype=np.float64).reshape(len(rows), width))
    return np.concatenate(parts)


def _place(records: Records) -> None:
    """Fill in the registered position of each record's entity.

    The entities are read apart from the records: joining them in the same statement costs
    SQLite three times as much as reading both.
    """
    if not len(records):
        return
    placed = Entity.objects.filter(longitude__isnull=False, latitude__isnull=False).order_by()
    columns = ("id", "longitude", "latitude")
    wanted = np.unique(records.entity)
    if wanted.size > PLACE_ALL:
        positions = _fetch_numbers(placed.values_list(*columns), 3)
    else:
        positions = np.concatenate(
            [np.empty((0, 3))]
            + [
                _fetch_numbers(placed.filter(pk__in=chunk).values_list(*columns), 3)
                for chunk in _chunks(wanted.tolist())
            ]
        )
    positions = positions[np.argsort(positions[:, 0])]
    ids = positions[:, 0].astype(np.int64)
    at = np.clip(np.searchsorted(ids, records.entity), 0, max(ids.size - 1, 0))
    found = ids[at] == records.entity if ids.size else np.zeros(len(records), dtype=bool)
    records.entity_lon[found] = positions[at[found], 1]
    records.entity_lat[found] = positions[at[found], 2]


def _chunks(ids: Sequence[int]) -> Iterator[list[int]]:
    items = list(ids)
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _load_ids(ids: Sequence[int]) -> Records:
    parts = [load(signed().filter(pk__in=chunk)) for chunk in _chunks(ids)]
    return _merge(parts)


def _merge(parts: Sequence[Records]) -> Records:
    """The records of ``parts`` once each, sorted by id."""
    parts = [p for p in parts if len(p)]
    if not parts:
        return Records.from_matrix(np.empty((0, len(NAMES))))
    if len(parts) == 1:
        return parts[0]
    names = list(Records.__dataclass_fields__)
    joined = Records(*(np.concatenate([getattr(p, n) for p in parts]) for n in names))
    _unique, first = np.unique(joined.id, return_index=True)
    return joined.take(first)


# The rules -----------------------------------------------------------------------------------


@dataclass
class Found:
    """Flags a rule raised: rows of the records and the sentence of each."""

    kind: str
    rows: np.ndarray
    details: list[str]


def haversine_m(
    lon1: np.ndarray, lat1: np.ndarray, lon2: np.ndarray, lat2: np.ndarray
) -> np.ndarray:
    """Great-circle distances in metres between arrays of points given in degrees."""
    lon1, lat1, lon2, lat2 = (np.radians(a) for a in (lon1, lat1, lon2, lat2))
    a = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


def far_checkins(r: Records, eligible: np.ndarray, limit_m: float) -> Found:
    """On-site check-ins farther than ``limit_m`` from the entity's registered position."""
    known = ~(
        np.isnan(r.checkin_lon)
        | np.isnan(r.checkin_lat)
        | np.isnan(r.entity_lon)
        | np.isnan(r.entity_lat)
    )
    rows = np.flatnonzero(eligible & r.onsite & known)
    metres = haversine_m(
        r.checkin_lon[rows], r.checkin_lat[rows], r.entity_lon[rows], r.entity_lat[rows]
    )
    far = metres > limit_m
    return Found(K.FAR_CHECKIN, rows[far], flags.far_details(metres[far].tolist(), limit_m))


def short_visits(r: Records, eligible: np.ndarray, limit_minutes: float) -> Found:
    """On-site visits that lasted less than ``limit_minutes``."""
    timed = ~(np.isnan(r.started) | np.isnan(r.finished))
    rows = np.flatnonzero(eligible & r.onsite & timed)
    minutes = (r.finished[rows] - r.started[rows]) / 60
    short = minutes < limit_minutes
    return Found(
        K.TOO_SHORT, rows[short], flags.short_details(minutes[short].tolist(), limit_minutes)
    )


def officer_day_keys(officer: np.ndarray, day: np.ndarray) -> np.ndarray:
    """One integer per (officer, day): day numbers stay below 2²⁰ until the year 4840."""
    return officer * (1 << 20) + day


def busy_days(r: Records, eligible: np.ndarray, limit: int) -> Found:
    """Every on-site record of an officer-day with more than ``limit`` signed visits."""
    rows = np.flatnonzero(eligible & r.onsite & ~r.amendment)
    _keys, inverse, counts = np.unique(
        officer_day_keys(r.officer[rows], r.day[rows]), return_inverse=True, return_counts=True
    )
    per_row = counts[inverse]
    busy = per_row > limit
    days = [day_of(d) for d in r.day[rows][busy].tolist()]
    return Found(K.TOO_MANY, rows[busy], flags.busy_details(days, per_row[busy].tolist(), limit))


def day_of(number: int) -> dt.date:
    """The date of a day number."""
    return EPOCH + dt.timedelta(days=int(number))


def _day_ends(days: np.ndarray) -> np.ndarray:
    """Seconds (UTC) of the end of each local day: midnight of the next day, Asia/Shanghai."""
    unique, inverse = np.unique(days, return_inverse=True)
    zone = timezone.get_default_timezone()
    ends = np.array(
        [
            dt.datetime.combine(day_of(d + 1), dt.time(), tzinfo=zone).timestamp()
            for d in unique.tolist()
        ],
        dtype=np.float64,
    )
    return ends[inverse] if unique.size else np.empty(0)


def late_records(r: Records, eligible: np.ndarray, limit_hours: float) -> Found:
    """Records signed more than ``limit_hours`` after the visit ended (or its day, untimed)."""
    rows = np.flatnonzero(eligible & ~r.amendment & ~np.isnan(r.signed))
    finished = r.finished[rows]
    untimed = np.isnan(finished)
    ended = np.where(untimed, _day_ends(r.day[rows]), finished)
    hours = (r.signed[rows] - ended) / 3600
    late = hours > limit_hours
    details = flags.late_details(hours[late].tolist(), untimed[late].tolist(), limit_hours)
    return Found(K.LATE_RECORD, rows[late], details)


def uniform_runs(r: Records, eligible: np.ndarray, run: int) -> Found:
    """Each record of a run of ≥ ``run`` consecutive uniform records of one lead officer."""
    rows = np.flatnonzero(eligible & ~r.amendment & ~np.isnan(r.signed))
    order = rows[np.lexsort((r.id[rows], r.signed[rows], r.officer[rows]))]
    officer, uniform = r.officer[order], r.uniform[order]
    starts = np.ones(order.size, dtype=bool)
    starts[1:] = (officer[1:] != officer[:-1]) | (uniform[1:] != uniform[:-1])
    run_id = np.cumsum(starts) - 1
    length = np.bincount(run_id)[run_id] if order.size else np.empty(0, dtype=np.int64)
    hit = uniform & (length >= run)
    return Found(K.UNIFORM_RUN, order[hit], flags.uniform_details(length[hit].tolist(), run))


# Photos -----------------------------------------------------------------------------------


def _prefix_keys(prefixes: list[str]) -> np.ndarray:
    """The first 64 bits of hexadecimal digests as integers (a malformed one: its hash)."""
    text = "".join(prefixes)
    if len(text) == 16 * len(prefixes):
        try:
            return np.frombuffer(bytes.fromhex(text), dtype=">u8").astype(np.uint64)
        except ValueError:
            pass
    keys = []
    for prefix in prefixes:
        try:
            keys.append(int(prefix, 16) if len(prefix) == 16 else hash(prefix) % (1 << 63))
        except ValueError:
            keys.append(hash(prefix) % (1 << 63))
    return np.array(keys, dtype=np.uint64)


def shared_photos() -> list[int]:
    """Ids of the photos whose digest is attached to more than one inspection.

    Every photo is read (its id, inspection and the first 64 bits of its digest) and grouped
    on arrays; a chance match of 64 bits is weeded out by the full digests afterwards.
    """
    queryset = (
        Attachment.objects.filter(kind=Attachment.Kind.PHOTO)
        .order_by()
        .annotate(_prefix=Substr("sha256", 1, 16))
        .values_list("id", "inspection_id", "_prefix")
    )
    sql, params = queryset.query.sql_with_params()
    ids, owners, keys = [np.empty(0, np.int64)], [np.empty(0, np.int64)], [np.empty(0, np.uint64)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(FETCH):
            ids.append(np.fromiter((row[0] for row in rows), np.int64, len(rows)))
            owners.append(np.fromiter((row[1] for row in rows), np.int64, len(rows)))
            keys.append(_prefix_keys([row[2] for row in rows]))
    photo, owner, key = (np.concatenate(parts) for parts in (ids, owners, keys))
    order = np.lexsort((owner, key))
    key_sorted, owner_sorted = key[order], owner[order]
    distinct = np.ones(order.size, dtype=bool)
    distinct[1:] = (key_sorted[1:] != key_sorted[:-1]) | (owner_sorted[1:] != owner_sorted[:-1])
    unique_keys, counts = np.unique(key_sorted[distinct], return_counts=True)
    return photo[np.isin(key, unique_keys[counts >= 2])].tolist()


def photo_links(photos: QuerySet[Any]) -> list[tuple[str, int]]:
    """``(sha256, inspection id)`` of signed records' photos among ``photos``."""
    return list(
        photos.filter(kind=Attachment.Kind.PHOTO, inspection__status=Inspection.Status.SIGNED)
        .order_by()
        .values_list("sha256", "inspection_id")
        .distinct()
    )


def chain_roots(r: Records, ids: np.ndarray) -> np.ndarray:
    """The original record of each of ``ids``: an amendment's, the record it (finally) corrects."""
    roots = ids.copy()
    parents = r.amends[r.index_of(ids)]
    known: dict[int, int] = {}
    for position in np.flatnonzero(parents >= 0).tolist():
        node = int(parents[position])
        while True:
            if node not in known:
                row = r.index_of(np.array([node]))[0]
                if row < len(r) and r.id[row] == node:
                    known[node] = int(r.amends[row])
                else:
                    found = Inspection.objects.filter(pk=node).values_list("amends_id", flat=True)
                    known[node] = next(iter(found), None) or -1
            if known[node] < 0:
                break
            node = known[node]
        roots[position] = node
    return roots


def duplicate_photos(r: Records, links: list[tuple[str, int]]) -> Found:
    """Each record whose photo also belongs to another record (not one it corrects)."""
    if not links:
        return Found(K.DUPLICATE_PHOTO, np.empty(0, dtype=np.int64), [])
    digests = np.array([d for d, _i in links])
    ids = np.array([i for _d, i in links], dtype=np.int64)
    codes = np.unique(digests, return_inverse=True)[1].reshape(-1)
    roots = chain_roots(r, ids)
    pairs = np.unique(np.column_stack([codes, roots]), axis=0)
    root_counts = np.bincount(pairs[:, 0], minlength=int(codes.max()) + 1)
    shared = root_counts[codes] >= 2
    members: dict[int, list[tuple[int, int]]] = defaultdict(list)
    by_record: dict[int, list[int]] = defaultdict(list)
    for code, pk, root in sorted(
        zip(codes[shared].tolist(), ids[shared].tolist(), roots[shared].tolist(), strict=True)
    ):
        members[code].append((pk, root))
        by_record[pk].append(code)
    root_of = dict(zip(ids.tolist(), roots.tolist(), strict=True))
    others = {pk: _others(root_of[pk], held, members) for pk, held in by_record.items()}
    labels = _labels({o for shown, _n in others.values() for o in shown})
    flagged = sorted(others)
    details = [
        flags.photo_detail([labels.get(o, f"#{o}") for o in others[pk][0]], others[pk][1])
        for pk in flagged
    ]
    return Found(K.DUPLICATE_PHOTO, r.index_of(np.array(flagged, dtype=np.int64)), details)


def _others(
    root: int, held: list[int], members: dict[int, list[tuple[int, int]]]
) -> tuple[list[int], int]:
    """The first other records sharing a photo, and how many (counted up to a limit)."""
    seen: list[int] = []
    for code in held:
        for other, other_root in members[code]:
            if other_root != root and other not in seen:
                seen.append(other)
                if len(seen) > flags.OTHERS_COUNTED:
                    return seen[: flags.OTHERS_SHOWN], len(seen)
    return seen[: flags.OTHERS_SHOWN], len(seen)


def _labels(ids: set[int]) -> dict[int, str]:
    labels: dict[int, str] = {}
    for chunk in _chunks(sorted(ids)):
        rows = Inspection.objects.filter(pk__in=chunk).values_list(
            "pk", "entity__name", "visited_on"
        )
        for pk, name, day in rows:
            labels[pk] = flags.record_label(pk, name, day)
    return labels


# Which records, and their neighbourhood ------------------------------------------------------


@dataclass
class Scope:
    """The records loaded and, for each rule, which of them it may judge."""

    records: Records
    rows: np.ndarray  # the records asked about: far, short and late judge these
    busy: np.ndarray  # records of the officer-days of those (complete days)
    runs: np.ndarray  # records of their officers' sequences, from the last break of a run on
    links: list[tuple[str, int]]  # every signed record's photos sharing their digests


def _whole() -> Scope:
    records = load(signed())
    everything = np.ones(len(records), dtype=bool)
    links = [
        link
        for chunk in _chunks(shared_photos())
        for link in photo_links(Attachment.objects.filter(pk__in=chunk))
    ]
    return Scope(records, everything, everything, everything, links)


def _asked(since: dt.date | None) -> QuerySet[Inspection]:
    """Signed records, those signed on or after ``since`` (a local day) when given."""
    records = signed()
    if since is not None:
        start = dt.datetime.combine(since, dt.time(), tzinfo=timezone.get_default_timezone())
        records = records.filter(signed_at__gte=start)
    return records


def _neighbourhood(inspection_ids: Sequence[int] | None, since: dt.date | None) -> Scope:
    """The records asked about, the rest of their officer-days, their officers' current runs
    and the records sharing a photo digest with them."""
    asked_qs = _asked(since)
    if inspection_ids is not None:
        base = _merge([load(asked_qs.filter(pk__in=chunk)) for chunk in _chunks(inspection_ids)])
    else:
        base = load(asked_qs)
    if not len(base):
        return Scope(base, *(np.zeros(0, dtype=bool),) * 3, [])
    officers = np.unique(base.officer).tolist()
    keys = np.unique(officer_day_keys(base.officer, base.day))
    days = signed().filter(
        lead_officer_id__in=officers,
        visited_on__gte=day_of(base.day.min()),
        visited_on__lte=day_of(base.day.max()),
    )
    same_days = load(days)
    same_days = same_days.take(
        np.flatnonzero(np.isin(officer_day_keys(same_days.officer, same_days.day), keys))
    )
    sequences = load(signed().filter(_sequence_filter(officers, base)))
    photos = Attachment.objects.filter(kind=Attachment.Kind.PHOTO)
    if inspection_ids is not None:
        links = [
            link
            for chunk in _chunks(base.id.tolist())
            for link in photo_links(
                photos.filter(sha256__in=photos.filter(inspection_id__in=chunk).values("sha256"))
            )
        ]
    else:
        links = photo_links(
            photos.filter(sha256__in=photos.filter(inspection__in=asked_qs).values("sha256"))
        )
    linked = np.unique(np.array([pk for _d, pk in links], dtype=np.int64))
    known = np.concatenate([base.id, same_days.id, sequences.id])
    records = _merge([base, same_days, sequences, _load_ids(np.setdiff1d(linked, known).tolist())])
    return Scope(
        records,
        rows=np.isin(records.id, base.id),
        busy=np.isin(officer_day_keys(records.officer, records.day), keys),
        runs=np.isin(records.id, sequences.id),
        links=links,
    )


def _sequence_filter(officers: list[int], base: Records) -> Q:
    """Each officer's records from the last record before the asked ones that breaks a run
    (not uniform, not an amendment): a run through an asked record lies wholly after it."""
    times = base.signed[~np.isnan(base.signed)]
    if not times.size:
        return Q(pk__in=[])
    earliest = dt.datetime.fromtimestamp(float(times.min()) - 1, tz=dt.UTC)
    breaks = dict(
        signed()
        .filter(
            lead_officer_id__in=officers,
            uniform=False,
            amends__isnull=True,
            signed_at__lt=earliest,
        )
        .order_by()
        .values("lead_officer_id")
        .annotate(last=Max("signed_at"))
        .values_list("lead_officer_id", "last")
    )
    condition = Q(lead_officer_id__in=[o for o in officers if o not in breaks])
    for officer, last in breaks.items():
        condition |= Q(lead_officer_id=officer, signed_at__gte=last)
    return condition


# Running the checks ----------------------------------------------------------------------------


def check(
    *, inspection_ids: Sequence[int] | None = None, since: dt.date | None = None
) -> TraceSummary:
    """Run the six checks and write the new flags; returns what was raised.

    With neither argument every signed record is checked. ``inspection_ids`` (right after
    signing) or ``since`` (records signed on or after that day) check those records, reading
    what the rules need around them: the rest of each officer-day, each officer's current run
    of uniform records, and the records sharing a photo with them — whose flags are raised too.
    """
    if inspection_ids is not None and not len(inspection_ids):
        return TraceSummary(checked=0)
    with bulk.paused_gc():
        if inspection_ids is None and since is None:
            scope = _whole()
        else:
            scope = _neighbourhood(inspection_ids, since)
        limits = settings.TRACE_CHECKS
        r = scope.records
        found = [
            far_checkins(r, scope.rows, float(limits["max_distance_m"])),
            short_visits(r, scope.rows, float(limits["min_minutes"])),
            busy_days(r, scope.busy, int(limits["max_visits_per_day"])),
            duplicate_photos(r, scope.links),
            late_records(r, scope.rows, float(limits["max_delay_hours"])),
            uniform_runs(r, scope.runs, int(limits["uniform_run"])),
        ]
        with transaction.atomic():
            raised = write(r, found)
    return TraceSummary(checked=int(np.count_nonzero(scope.rows)), raised=raised)


def check_signed(inspection_ids: list[int]) -> int:
    """Check records just signed (the signing service calls this); the number of new flags."""
    return check(inspection_ids=inspection_ids).total


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def _existing(ids: np.ndarray) -> np.ndarray:
    """Keys (inspection id × 8 + kind) of the flags already raised on ``ids``."""
    position = {kind: i for i, kind in enumerate(KINDS)}
    unique = np.unique(ids).tolist()
    raised = TraceFlag.objects.order_by()
    if len(unique) > 5 * CHUNK:
        selections = [raised]  # many: reading every flag once beats many lists of ids
    else:
        selections = [raised.filter(inspection_id__in=chunk) for chunk in _chunks(unique)]
    keys = [
        pk * 8 + position[kind]
        for selection in selections
        for pk, kind in selection.values_list("inspection_id", "kind")
    ]
    return np.array(keys, dtype=np.int64)


def write(r: Records, found: list[Found]) -> dict[str, int]:
    """Insert the flags of ``found`` not raised before, with their trace; new flags by kind."""
    _lock()
    rows = np.concatenate([f.rows for f in found]).astype(np.int64)
    kinds = np.concatenate([np.full(f.rows.size, KINDS.index(f.kind)) for f in found]).astype(
        np.int64
    )
    details = list(itertools.chain.from_iterable(f.details for f in found))
    ids = r.id[rows]
    new = ~np.isin(ids * 8 + kinds, _existing(ids))
    chosen = np.flatnonzero(new)
    count = int(chosen.size)
    raised = {kind: int(np.count_nonzero(kinds[chosen] == i)) for i, kind in enumerate(KINDS)}
    if not count:
        return {k: n for k, n in raised.items() if n}
    now = timezone.now()
    columns: dict[str, list[Any]] = {
        "inspection_id": ids[chosen].tolist(),
        "unit_id": r.unit[rows[chosen]].tolist(),
        "kind": [KINDS[k] for k in kinds[chosen].tolist()],
        "detail": [details[i] for i in chosen.tolist()],
        "status": [TraceFlag.Status.OPEN] * count,
        "raised_at": [now] * count,
    }
    flag_ids = bulk.insert(TraceFlag, columns, count, now=now)
    labels = {kind: str(label) for kind, label in K.choices}
    # Raised by the system, not by whoever's signing set the check off.
    events = audit.event_columns(
        TraceFlag,
        object_ids=flag_ids,
        reprs=[
            f"#{pk}: {labels[kind]}"
            for pk, kind in zip(columns["inspection_id"], columns["kind"], strict=True)
        ],
        changes=audit.changes_from_columns(TraceFlag, columns, count),
        action=AuditEvent.Action.CREATE,
        at=now,
        actor=None,
        source=AuditEvent.Source.SYSTEM,
        reason=_("痕迹监控自动发现"),
    )
    bulk.insert(AuditEvent, events, count, now=now)
    return {k: n for k, n in raised.items() if n}
