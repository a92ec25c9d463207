"""The records the trace benchmark checks: the register (``entities.py``), 1,000 officers and
signed inspections generated as arrays — about 1 % of check-ins far from the entity, 2 % visits
under five minutes, 1 % signed days late, officer-days with far too many visits, 5 % of the
officers marking everything alike — with about 1.2 photos per on-site record of which 0.3 %
repeat another's digest, written in bulk (``COPY`` on PostgreSQL, ``INSERT … executemany`` on
SQLite).

Used by ``bench_trace``; not a benchmark itself (``run.py`` names the scripts it runs).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np

import common
from common import say, timed
from entities import entity_columns, write_entities

BATCH = 50_000
OFFICERS = 1_000
FIRST_DAY = dt.date(2025, 1, 1)
DAYS = 670  # until early November 2026


def _stamp(seconds: np.ndarray, postgres: bool) -> list[str | None]:
    """UTC seconds as the text the database stores (NaN: NULL)."""
    missing = np.isnan(seconds)
    text = np.datetime_as_string(np.nan_to_num(seconds).astype("datetime64[s]"), unit="s")
    text = np.char.replace(text, "T", " ")
    if postgres:
        text = np.char.add(text, "+00")
    values: list[str | None] = text.tolist()
    for i in np.flatnonzero(missing).tolist():
        values[i] = None
    return values


def write_rows(table: str, columns: dict[str, list[Any]]) -> None:
    """Insert the columns in batches (COPY on PostgreSQL), one transaction a batch."""
    from django.db import connection, transaction

    names = list(columns)
    rows = list(zip(*(columns[c] for c in names), strict=True))
    quoted = ", ".join(connection.ops.quote_name(n) for n in names)
    for start in range(0, len(rows), BATCH):
        chunk = rows[start : start + BATCH]
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                    for row in chunk:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(names))
                cursor.executemany(f"INSERT INTO {table} ({quoted}) VALUES ({marks})", chunk)


def fill_register(entities: int) -> tuple[Any, list[int]]:
    """Entities, officers and a checklist; returns the checklist and the officers' ids."""
    from django.db import transaction

    from xiaoneng.inspections.models import Checklist
    from xiaoneng.org.models import Officer

    with transaction.atomic():
        organisation = common.build_organisation(73, stations=6)
    write_entities(entity_columns(entities, organisation, seed=1))
    stations = organisation.stations
    with transaction.atomic():
        officers = Officer.objects.bulk_create(
            Officer(
                username=f"inspector{n:04d}",
                name=f"检查员{n}",
                unit=stations[n % len(stations)],
                certificate_number=f"65{n:06d}",
                password="!",
            )
            for n in range(1, OFFICERS + 1)
        )
        checklist = Checklist.objects.create(
            code="bench",
            version=1,
            title="基准测试检查清单",
            kind="onsite",
            effective_on=FIRST_DAY,
        )
    return checklist, [o.pk for o in officers]


def inspection_columns(
    n: int, checklist_id: int, officer_ids: list[int], postgres: bool, seed: int = 3
) -> dict[str, list[Any]]:
    """Every column of ``n`` signed inspections, generated as arrays."""
    from xiaoneng.registry.models import Entity

    rng = np.random.default_rng(seed)
    entity = np.array(
        list(Entity.objects.order_by("id").values_list("id", "unit_id", "longitude", "latitude")),
        dtype=np.float64,
    )
    pick = rng.integers(0, len(entity), n)
    officers = np.array(officer_ids)
    officer = officers[rng.integers(0, officers.size, n)]
    day = rng.integers(0, DAYS, n)
    # Officer-days with far too many visits: 15 records moved onto each (100 in a million).
    hot_days = max(5, n // 10_000)
    crowded = rng.choice(n, hot_days * 15, replace=False)
    hot = np.repeat(np.arange(hot_days), 15)
    officer[crowded] = officers[hot % officers.size]
    day[crowded] = (30 + hot * 5) % DAYS
    first = (FIRST_DAY - dt.date(1970, 1, 1)).days
    midnight = (first + day) * 86400.0 - 8 * 3600  # Asia/Shanghai
    started = midnight + 9 * 3600 + rng.integers(0, 480, n) * 60.0
    minutes = np.clip(rng.lognormal(math.log(35), 0.4, n), 6, 240)
    minutes[rng.random(n) < 0.02] = rng.uniform(1, 4.9)
    finished = started + minutes * 60
    delay = rng.exponential(2 * 3600, n)
    late = rng.random(n) < 0.01
    delay[late] = rng.uniform(73, 240, late.sum()) * 3600
    signed = finished + delay
    finished[rng.random(n) < 0.02] = np.nan
    onsite = rng.random(n) < 0.85
    lon, lat = entity[pick, 2], entity[pick, 3]
    spread = np.where(rng.random(n) < 0.01, rng.uniform(0.01, 0.05, n), rng.normal(0, 0.0008, n))
    checkin_lon = np.where(onsite, lon + spread, np.nan)
    checkin_lat = np.where(onsite, lat + rng.normal(0, 0.0006, n), np.nan)
    copying = np.isin(officer, officers[: OFFICERS // 20])
    uniform = rng.random(n) < np.where(copying, 0.95, 0.25)
    failed = np.where(uniform, 0, rng.integers(0, 3, n))
    dates = (np.datetime64(FIRST_DAY) + day).astype(str).tolist()
    now = _stamp(np.array([dt.datetime.now(dt.UTC).timestamp()]), postgres)[0]
    return {
        "entity_id": entity[pick, 0].astype(np.int64).tolist(),
        "unit_id": entity[pick, 1].astype(np.int64).tolist(),
        "region_code": [common.REGION] * n,
        "task_id": [None] * n,
        "origin": ["patrol"] * n,
        "kind": np.where(onsite, "onsite", "documentary").tolist(),
        "enforcement": [False] * n,
        "checklist_id": [checklist_id] * n,
        "status": ["signed"] * n,
        "lead_officer_id": officer.tolist(),
        "visited_on": dates,
        "started_at": _stamp(started, postgres),
        "finished_at": _stamp(finished, postgres),
        "checkin_at": _stamp(np.where(onsite, started, np.nan), postgres),
        "checkin_longitude": [None if math.isnan(v) else v for v in checkin_lon.tolist()],
        "checkin_latitude": [None if math.isnan(v) else v for v in checkin_lat.tolist()],
        "checkin_accuracy": [None] * n,
        "entity_operating": [True] * n,
        "summary": [""] * n,
        "signed_at": _stamp(signed, postgres),
        "amends_id": [None] * n,
        "amendment_reason": [""] * n,
        "items_failed": failed.tolist(),
        "uniform": uniform.tolist(),
        "revision": [1] * n,
        "created_at": [now] * n,
        "updated_at": [now] * n,
        "updated_by_id": [None] * n,
    }


def attachment_columns(
    inspection_ids: np.ndarray, onsite: np.ndarray, postgres: bool, seed: int = 4
) -> dict[str, list[Any]]:
    """About 1.2 photos per on-site record; 0.3 % repeat another photo's digest."""
    rng = np.random.default_rng(seed)
    per_record = np.where(onsite, rng.poisson(1.2, onsite.size), 0)
    owner = np.repeat(inspection_ids, per_record)
    m = owner.size
    raw = np.frombuffer(rng.bytes(32 * m), dtype=np.uint8).reshape(m, 32)
    digests = [row.tobytes().hex() for row in raw]
    copies = np.flatnonzero(rng.random(m) < 0.003)
    for i, source in zip(copies.tolist(), rng.integers(0, m, copies.size).tolist(), strict=True):
        digests[i] = digests[source]
    now = _stamp(np.array([dt.datetime.now(dt.UTC).timestamp()]), postgres)[0]
    return {
        "inspection_id": owner.tolist(),
        "kind": ["photo"] * m,
        "file": [f"inspections/{d[:2]}/{d}.jpg" for d in digests],
        "original_name": ["现场照片.jpg"] * m,
        "content_type": ["image/jpeg"] * m,
        "size": rng.integers(50_000, 3_000_000, m).tolist(),
        "sha256": digests,
        "uploaded_by_id": [None] * m,
        "uploaded_at": [now] * m,
    }


def fill(count: int, entities: int, postgres: bool) -> int:
    """The database's inspections and photos; returns the number of photos."""
    from django.db import connection

    checklist, officer_ids = fill_register(entities)
    spent, columns = timed(
        lambda: inspection_columns(count, checklist.pk, officer_ids, postgres=postgres)
    )
    say(f"generated {count:,} inspections in {spent:.1f} s")
    ids = np.arange(1, count + 1)
    write_rows("inspections_inspection", {"id": ids.tolist(), **columns})
    onsite = np.array(columns["kind"]) == "onsite"
    photos = attachment_columns(ids, onsite, postgres)
    write_rows("inspections_attachment", photos)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('inspections_inspection', 'id'), %s)",
                [count],
            )
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")
    return len(photos["sha256"])
