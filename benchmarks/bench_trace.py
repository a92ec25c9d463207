"""Trace checks (痕迹监控) over 1,000,000 signed inspections, vectorised.

Figure: ``inspections.trace.check()`` over every signed record — read the columns in one
statement, compute the six rules (far, short, many, photo, late, uniform) on numpy arrays,
write the new flags and their trace; target ≤ 30 s. Also measured: the same check run again
(idempotent: nothing new to write) and ``check_signed`` of one just-signed record, which reads
its officer-day, its officer's current run and the records sharing its photos.

The database (``signed_inspections.py``) holds 200,000 entities placed in the demo county's
box, 1,000 officers and the inspections of 22 months written in bulk: 85 % on site, with about
1 % of check-ins far from the entity, 2 % visits under five minutes, 1 % signed days late, 100
officer-days with far too many visits, 5 % of the officers marking everything alike, and 1.2
photos per on-site record of which 0.3 % repeat another's digest.

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

import common
from common import Figure, say, timed
from signed_inspections import fill

NAME = "trace"
LIMIT_SECONDS = 30.0
BASELINE_SAMPLE = 50_000


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
