"""Writing the demo's inspection records: times, check-in, team and item results.

Visits keep the office hours of Xinjiang in Beijing time (10:00–13:30 and 16:00–19:30); one
officer's visits of a day follow each other. Records are signed minutes to hours after the
visit, a few days later now and then. Check-ins lie within metres of the entity, a few
kilometres away for a few. The photos are ``photos.py``'s.
"""

from __future__ import annotations

import datetime as dt
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

import numpy as np

from xiaoneng.core import bulk
from xiaoneng.demo.days import dates, moments
from xiaoneng.demo.geography import KM_PER_LAT, KM_PER_LON
from xiaoneng.demo.inspections.context import Context
from xiaoneng.demo.inspections.photos import write_photos
from xiaoneng.demo.inspections.visits import Visits
from xiaoneng.demo.rows import insert_traced
from xiaoneng.inspections.models import Inspection, InspectionKind, InspectionOfficer, ItemResult

MORNING, AFTERNOON, SESSION = 600, 960, 210  # 10:00, 16:00, three and a half hours
FAR_SHARE = 0.008
SHORT_SHARE = 0.004
MIN_SHORT = 3
LATE_SHARE = 0.008
PASS_NOTES = (
    "已现场查看，符合要求。",
    "已查阅台账，记录完整。",
    "经营者现场出示，在有效期内。",
    "随机抽查 3 种商品，未见问题。",
    "已提醒经营者继续保持。",
)
NA_SHARES = (0.0, 0.04, 0.12, 0.35)
NA_WEIGHTS = (0.4, 0.3, 0.2, 0.1)
RESULTS = np.array(
    [ItemResult.Result.PASS, ItemResult.Result.FAIL, ItemResult.Result.NOT_APPLICABLE]
)


@dataclass
class Written:
    """The records written, in the order of the visits."""

    ids: np.ndarray
    signed_at: list[dt.datetime]
    items_failed: np.ndarray
    files: Future[int]  # the photo files being written

    @property
    def failed_share(self) -> float:
        """The share of records with a failed item."""
        return float(np.mean(self.items_failed > 0)) if self.ids.size else 0.0


def write(ctx: Context, visits: Visits) -> Written:
    """Write every visit as a signed record with its team, item results and photos."""
    n = len(visits)
    times = _times(ctx, visits)
    marks = _marks(ctx, visits)
    entity_rows = ctx.population.rows(visits.entity)
    lon, lat, accuracy = _checkins(ctx, visits, entity_rows)
    onsite = ~visits.documentary
    columns: dict[str, list[Any]] = {
        "entity_id": visits.entity.tolist(),
        "unit_id": visits.unit.tolist(),
        "region_code": [ctx.population.region[r] for r in entity_rows.tolist()],
        "task_id": [t or None for t in visits.task.tolist()],
        "origin": [str(o) for o in visits.origin.tolist()],
        "kind": np.where(onsite, InspectionKind.ONSITE, InspectionKind.DOCUMENTARY).tolist(),
        "enforcement": visits.enforcement.tolist(),
        "checklist_id": visits.checklist.tolist(),
        "status": [Inspection.Status.SIGNED] * n,
        "lead_officer_id": visits.lead.tolist(),
        "visited_on": dates(visits.day),
        "started_at": times["started"],
        "finished_at": times["finished"],
        "checkin_at": [
            t if o else None for t, o in zip(times["checkin"], onsite.tolist(), strict=True)
        ],
        "checkin_longitude": lon,
        "checkin_latitude": lat,
        "checkin_accuracy": accuracy,
        "entity_operating": [True] * n,
        "summary": visits.summary,
        "signed_at": times["signed"],
        "items_failed": marks.failed.tolist(),
        "uniform": marks.uniform.tolist(),
        "revision": [1] * n,
        "created_at": times["created"],
        "updated_at": times["signed"],
        "updated_by_id": visits.lead.tolist(),
    }
    names = ctx.population.name
    reprs = [
        f"{names[r]} {d:%Y-%m-%d}"
        for r, d in zip(entity_rows.tolist(), columns["visited_on"], strict=True)
    ]
    ids = np.array(insert_traced(Inspection, columns, reprs, at=times["signed"]), dtype=np.int64)
    _write_team(visits, ids, times["signed"])
    _write_results(ids, marks)
    photos = write_photos(ctx, visits, ids, times)
    return Written(ids, times["signed"], marks.failed, photos.save_in_background())


def _times(ctx: Context, visits: Visits) -> dict[str, list[dt.datetime]]:
    """Start, end, check-in, signature and opening of each record."""
    rng, n = ctx.rng, len(visits)
    key = visits.lead * (1 << 20) + visits.day
    order = np.lexsort((visits.entity, key))
    _keys, inverse, counts = np.unique(key, return_inverse=True, return_counts=True)
    rank = np.empty(n, dtype=np.int64)
    sorted_inverse = inverse[order]
    first_of_group = np.searchsorted(sorted_inverse, sorted_inverse, side="left")
    rank[order] = np.arange(n) - first_of_group
    count = counts[inverse]
    gap = 2 * SESSION / count
    # A lone visit of the day may come at any time; several follow one another.
    position = (rank + np.where(count == 1, rng.uniform(0, 0.6, n), rng.uniform(0, 0.15, n))) * gap
    start = np.where(position < SESSION, MORNING + position, AFTERNOON + position - SESSION)
    duration = np.exp(rng.normal(np.log(26), 0.35, n))
    duration = np.clip(duration, 8, np.maximum(8, np.minimum(75, gap * 0.8)))
    short = ~visits.documentary & (rng.random(n) < SHORT_SHARE)
    short = _at_least(rng, short, ~visits.documentary, MIN_SHORT)
    duration = np.where(short, rng.uniform(2, 4.5, n), duration)
    delay = np.where(rng.random(n) < 0.7, rng.uniform(3, 60, n), rng.uniform(60, 300, n))
    late = (rng.random(n) < LATE_SHARE) & (visits.day <= ctx.today_number - 8)
    delay = np.where(late, rng.uniform(3.2, 6.0, n) * 1440, delay)
    finished = start + duration
    signed = np.minimum(
        finished + delay,
        (ctx.today_number - visits.day) * 1440 + _minutes_of(ctx.now) - 1,
    )
    return {
        "started": moments(visits.day, start),
        "finished": moments(visits.day, finished),
        "checkin": moments(visits.day, start - rng.uniform(0.5, 3, n)),
        "created": moments(visits.day, start - rng.uniform(1, 5, n)),
        "signed": moments(visits.day, signed),
    }


def _at_least(
    rng: np.random.Generator, chosen: np.ndarray, eligible: np.ndarray, count: int
) -> np.ndarray:
    """``chosen`` with more of the ``eligible`` rows chosen if it holds fewer than ``count``:
    even a small county shows a rushed visit or two (a trace flag of its own)."""
    missing = count - int(chosen.sum())
    free = np.flatnonzero(eligible & ~chosen)
    if missing <= 0 or not free.size:
        return chosen
    chosen = chosen.copy()
    chosen[rng.choice(free, min(missing, free.size), replace=False)] = True
    return chosen


def _minutes_of(now: dt.datetime) -> float:
    local = now.astimezone(dt.timezone(dt.timedelta(hours=8)))
    return local.hour * 60 + local.minute + local.second / 60


def _checkins(
    ctx: Context, visits: Visits, rows: np.ndarray
) -> tuple[list[float | None], list[float | None], list[float | None]]:
    """Positions from the phone: metres from the entity, kilometres for a few records."""
    rng, n = ctx.rng, len(visits)
    east = rng.normal(0, 12, n)
    north = rng.normal(0, 12, n)
    far = ~visits.documentary & ~visits.exit & (rng.random(n) < FAR_SHARE)
    angle = rng.uniform(0, 2 * np.pi, n)
    distance = rng.uniform(700, 3500, n)
    east = np.where(far, distance * np.cos(angle), east)
    north = np.where(far, distance * np.sin(angle), north)
    lon = ctx.population.longitude[rows] + east / 1000 / KM_PER_LON
    lat = ctx.population.latitude[rows] + north / 1000 / KM_PER_LAT
    accuracy = np.round(rng.uniform(4, 25, n), 1)
    known = ~visits.documentary & ~np.isnan(lon)
    return (
        [
            round(float(v), 6) if k else None
            for v, k in zip(lon.tolist(), known.tolist(), strict=True)
        ],
        [
            round(float(v), 6) if k else None
            for v, k in zip(lat.tolist(), known.tolist(), strict=True)
        ],
        [float(v) if k else None for v, k in zip(accuracy.tolist(), known.tolist(), strict=True)],
    )


@dataclass
class Marks:
    """Every item result of every record, flat, and the counters of each record."""

    row: np.ndarray  # the record (visit row) of each result
    item: np.ndarray
    result: np.ndarray  # 0 pass, 1 fail, 2 not applicable
    note: list[str]
    failed: np.ndarray  # per record
    uniform: np.ndarray  # per record


def _marks(ctx: Context, visits: Visits) -> Marks:
    """Results per checklist: mostly "符合", some "不适用", a note now and then, and the failed
    items chosen for the visit; a plain record is "符合" throughout without a note."""
    rng, n = ctx.rng, len(visits)
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]] = []
    failed = np.zeros(n, dtype=np.int64)
    uniform = np.zeros(n, dtype=bool)
    for checklist in np.unique(visits.checklist).tolist():
        rows = np.flatnonzero(visits.checklist == checklist)
        items = ctx.checklists.items[checklist]
        k, m = len(items), rows.size
        column = {item.id: j for j, item in enumerate(items)}
        na_share = rng.choice(NA_SHARES, k, p=NA_WEIGHTS)
        plain = visits.plain[rows]
        marks = np.where((rng.random((m, k)) < na_share) & ~plain[:, None], 2, 0).astype(np.int8)
        notes = np.full((m, k), "", dtype=object)
        noted = np.flatnonzero(~plain & (rng.random(m) < 0.45))
        where = rng.integers(0, k, noted.size)
        texts = rng.integers(0, len(PASS_NOTES), noted.size)
        for r, c, t in zip(noted.tolist(), where.tolist(), texts.tolist(), strict=True):
            if marks[r, c] == 0:
                notes[r, c] = PASS_NOTES[t]
        for local, row in enumerate(rows.tolist()):
            for item_id, note in visits.failed[row]:
                marks[local, column[item_id]] = 1
                notes[local, column[item_id]] = note
        failed[rows] = (marks == 1).sum(axis=1)
        uniform[rows] = (marks == marks[:, :1]).all(axis=1) & (notes == "").all(axis=1)
        parts.append(
            (
                np.repeat(rows, k),
                np.tile(np.array([item.id for item in items], dtype=np.int64), m),
                marks.ravel(),
                notes.ravel().tolist(),
            )
        )
    return Marks(
        row=np.concatenate([p[0] for p in parts]),
        item=np.concatenate([p[1] for p in parts]),
        result=np.concatenate([p[2] for p in parts]),
        note=[text for p in parts for text in p[3]],
        failed=failed,
        uniform=uniform,
    )


def _write_team(visits: Visits, ids: np.ndarray, signed: list[dt.datetime]) -> None:
    pair = np.flatnonzero(visits.partner > 0)
    inspection = np.concatenate([ids, ids[pair]])
    officer = np.concatenate([visits.lead, visits.partner[pair]])
    # The lead signs first, the partner a couple of minutes later (the record's signature).
    lead_signed = [
        s - dt.timedelta(minutes=2) if p else s
        for s, p in zip(signed, (visits.partner > 0).tolist(), strict=True)
    ]
    columns = {
        "inspection_id": inspection.tolist(),
        "officer_id": officer.tolist(),
        "signed_at": lead_signed + [signed[i] for i in pair.tolist()],
    }
    bulk.insert(InspectionOfficer, columns, int(inspection.size))


def _write_results(ids: np.ndarray, marks: Marks) -> None:
    columns = {
        "inspection_id": ids[marks.row].tolist(),
        "item_id": marks.item.tolist(),
        "result": RESULTS[marks.result].tolist(),
        "note": marks.note,
    }
    bulk.insert(ItemResult, columns, int(marks.row.size))
