"""The six trace rules (``inspections.trace``), each computed on the arrays of ``Records``.

A rule is given the records, which rows it may judge and its threshold, and returns the rows it
flags with the sentence of each (``Found``): sorting, ``np.unique`` and ``cumsum`` on arrays,
no loop per record.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from django.utils import timezone

from xiaoneng.inspections.records.models import Inspection, TraceFlag
from xiaoneng.inspections.trace import flags
from xiaoneng.inspections.trace.records import Records, chunks, day_of, officer_day_keys

K = TraceFlag.Kind
EARTH_RADIUS_M = 6_371_008.8


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
    for chunk in chunks(sorted(ids)):
        rows = Inspection.objects.filter(pk__in=chunk).values_list(
            "pk", "entity__name", "visited_on"
        )
        for pk, name, day in rows:
            labels[pk] = flags.record_label(pk, name, day)
    return labels
