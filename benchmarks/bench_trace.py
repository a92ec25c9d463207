"""Trace checks (痕迹监控) over 1,000,000 signed inspections, vectorised.

Figure: ``inspections.trace.check()`` over every signed record — read the columns in one
statement, compute the six rules (far, short, many, photo, late, uniform) on numpy arrays,
write the new flags and their trace; target ≤ 30 s. Also measured: the same check run again
(idempotent: nothing new to write) and ``check_signed`` of one just-signed record, which reads
its officer-day, its officer's current run and the records sharing its photos.

The database holds 200,000 entities placed in the demo county's box, 1,000 officers and the
inspections of 22 months written in bulk: 85 % on site, with about 1 % of check-ins far from
the entity, 2 % visits under five minutes, 1 % signed days late, 100 officer-days with far too
many visits, 5 % of the officers marking everything alike, and 1.2 photos per on-site record of
which 0.3 % repeat another's digest.

Baseline, same process and database: the rules written as a plain Python loop over the rows
of a Django ``values_list`` (dicts for officer-days, runs and digests), timed on 50,000 records
(10,000 with --quick) and scaled linearly; the note also gives the time of reading the same
columns of every record with one ``values_list``.

    python benchmarks/bench_trace.py [--quick] [--postgres] [--keep] [--inspections N]
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from typing import Any

import numpy as np

import common
from bench_entity_list import entity_columns, write_entities
from common import Figure, say, timed

NAME = "trace"
LIMIT_SECONDS = 30.0
BATCH = 50_000
OFFICERS = 1_000
FIRST_DAY = dt.date(2025, 1, 1)
DAYS = 670  # until early November 2026
BASELINE_SAMPLE = 50_000


# Filling the database ------------------------------------------------------------------------


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


# The baseline ------------------------------------------------------------------------------


def naive_check(limit: int) -> float:
    """The six rules as a plain Python loop over the first ``limit`` records; seconds."""
    from django.conf import settings

    from xiaoneng.inspections.models import Attachment, Inspection
    from xiaoneng.inspections.trace.services import EARTH_RADIUS_M

    def work() -> int:
        t = settings.TRACE_CHECKS
        rows = list(
            Inspection.objects.filter(status="signed", id__lte=limit)
            .order_by("id")
            .values_list(
                "id",
                "lead_officer_id",
                "kind",
                "visited_on",
                "started_at",
                "finished_at",
                "signed_at",
                "checkin_longitude",
                "checkin_latitude",
                "entity__longitude",
                "entity__latitude",
                "uniform",
            )
        )
        flags: list[tuple[int, str]] = []
        per_day: dict[tuple[int, dt.date], list[int]] = defaultdict(list)
        per_officer: dict[int, list[tuple[dt.datetime, int, bool]]] = defaultdict(list)
        for pk, officer, kind, day, start, end, sign, lon, lat, elon, elat, alike in rows:
            onsite = kind == "onsite"
            if onsite and None not in (lon, lat, elon, elat):
                p1, p2 = math.radians(lat), math.radians(elat)
                a = (
                    math.sin((p2 - p1) / 2) ** 2
                    + math.cos(p1) * math.cos(p2) * math.sin(math.radians(elon - lon) / 2) ** 2
                )
                if 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a)) > t["max_distance_m"]:
                    flags.append((pk, "far"))
            if onsite and start and end and (end - start).total_seconds() < t["min_minutes"] * 60:
                flags.append((pk, "short"))
            if onsite:
                per_day[(officer, day)].append(pk)
            ended = end or dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), dt.UTC)
            if sign and (sign - ended).total_seconds() > t["max_delay_hours"] * 3600:
                flags.append((pk, "late"))
            per_officer[officer].append((sign, pk, alike))
        for records in per_day.values():
            if len(records) > t["max_visits_per_day"]:
                flags += [(pk, "many") for pk in records]
        for records in per_officer.values():
            records.sort()
            run: list[int] = []
            for _sign, pk, alike in [*records, (None, 0, False)]:
                if alike:
                    run.append(pk)
                    continue
                if len(run) >= t["uniform_run"]:
                    flags += [(pk, "uniform") for pk in run]
                run = []
        holders: dict[str, set[int]] = defaultdict(set)
        for digest, pk in Attachment.objects.filter(
            kind="photo", inspection_id__lte=limit
        ).values_list("sha256", "inspection_id"):
            holders[digest].add(pk)
        flags += [(pk, "photo") for ids in holders.values() if len(ids) > 1 for pk in ids]
        return len(flags)

    seconds, _found = timed(work)
    return seconds


def read_columns() -> float:
    """Reading the columns the check needs for every record with one ``values_list``."""
    from xiaoneng.inspections.models import Inspection

    def work() -> int:
        return sum(
            1
            for _row in Inspection.objects.filter(status="signed").values_list(
                "id",
                "unit_id",
                "lead_officer_id",
                "kind",
                "visited_on",
                "started_at",
                "finished_at",
                "signed_at",
                "checkin_longitude",
                "checkin_latitude",
                "entity__longitude",
                "entity__latitude",
                "uniform",
                "amends_id",
            )
        )

    return timed(work)[0]


# Measuring ----------------------------------------------------------------------------------


def just_signed(count: int) -> int:
    """A new record signed now by the officer of the busiest day, sharing a photo: its id."""
    from django.db import connection, transaction

    from xiaoneng.inspections.models import Attachment, Inspection

    model = Inspection.objects.get(pk=count // 2)
    photo = Attachment.objects.filter(kind="photo").order_by("id").first()
    with transaction.atomic():
        model.pk = None
        model._state.adding = True
        model.save()
        if photo is not None:
            photo.pk = None
            photo.inspection = model
            photo.save()
    assert connection.vendor in ("sqlite", "postgresql")
    return model.pk


def measure(count: int, photos: int, quick: bool) -> list[Figure]:
    from xiaoneng.inspections.models import TraceFlag
    from xiaoneng.inspections.trace import services as trace

    seconds, summary = timed(trace.check)
    by_kind = ", ".join(f"{kind} {n:,}" for kind, _label, n in summary.labelled())
    say(f"trace.check(): {summary.checked:,} records, {summary.total:,} flags ({by_kind})")
    say(f"  in {seconds:.2f} s")
    again, repeat = timed(trace.check)
    assert repeat.total == 0, repeat
    say(f"run again: {again:.2f} s, nothing new")
    record = just_signed(count)
    one, raised = timed(lambda: trace.check_signed([record]))
    say(f"check_signed of one new record: {one * 1000:.0f} ms, {raised} new flags")
    assert TraceFlag.objects.count() == summary.total + raised
    sample = 10_000 if quick else BASELINE_SAMPLE
    naive = naive_check(sample)
    scaled = naive * count / sample
    reading = read_columns()
    say(f"naive Python loop over {sample:,} records: {naive:.2f} s, scaled {scaled:.0f} s")
    say(f"reading the columns with one values_list: {reading:.1f} s")
    vendor = common.vendor()
    return [
        Figure(
            benchmark=NAME,
            case=f"{vendor} check(), {count:,} inspections, {photos:,} photos",
            value=seconds,
            unit="s",
            limit=LIMIT_SECONDS * count / 1_000_000,
            baseline=scaled,
            baseline_label=f"plain Python loop on {sample:,} records, scaled",
            note=f"{summary.total:,} flags; run again {again:.1f} s; values_list read alone "
            f"{reading:.1f} s; naive {naive:.1f} s for {sample:,}",
        ),
        Figure(
            benchmark=NAME,
            case=f"{vendor} check_signed() of one record among {count:,}",
            value=one * 1000,
            unit="ms",
            note="its officer-day, its officer's run and the records sharing its photo",
        ),
    ]


def main() -> None:
    parser = common.arguments(__doc__.splitlines()[0])
    parser.add_argument("--inspections", type=int, help="inspections (default 1,000,000)")
    options = parser.parse_args()
    count = options.inspections or (50_000 if options.quick else 1_000_000)
    entities = max(10_000, count // 5)
    common.fresh_django(NAME, postgres=options.postgres)
    try:
        spent, photos = timed(lambda: fill(count, entities, options.postgres))
        say(f"filled {entities:,} entities, {count:,} inspections, {photos:,} photos")
        say(f"  in {spent:.0f} s")
        figures = measure(count, photos, options.quick)
    finally:
        if not options.keep:
            common.drop_database(NAME, postgres=options.postgres)
    common.report(figures)


if __name__ == "__main__":
    main()
