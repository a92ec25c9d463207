"""Which signed records a trace check (``inspections.trace``) reads, and which each rule judges.

A whole run reads every signed record and the photos whose digest is shared. A run on some
records (just signed, or signed since a day) reads their neighbourhood too: the rest of each
officer-day, each officer's current run of uniform records, and the records sharing a photo
digest with them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import connection
from django.db.models import Max, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from xiaoneng.inspections.records.models import Attachment, Inspection
from xiaoneng.inspections.trace.records import (
    FETCH,
    Records,
    chunks,
    day_of,
    load,
    load_ids,
    merge,
    officer_day_keys,
    signed,
)


@dataclass
class Scope:
    """The records loaded and, for each rule, which of them it may judge."""

    records: Records
    rows: np.ndarray  # the records asked about: far, short and late judge these
    busy: np.ndarray  # records of the officer-days of those (complete days)
    runs: np.ndarray  # records of their officers' sequences, from the last break of a run on
    links: list[tuple[str, int]]  # every signed record's photos sharing their digests


def whole() -> Scope:
    """Every signed record, every one judged by every rule."""
    records = load(signed())
    everything = np.ones(len(records), dtype=bool)
    links = [
        link
        for chunk in chunks(shared_photos())
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


def neighbourhood(inspection_ids: Sequence[int] | None, since: dt.date | None) -> Scope:
    """The records asked about, the rest of their officer-days, their officers' current runs
    and the records sharing a photo digest with them."""
    asked_qs = _asked(since)
    if inspection_ids is not None:
        base = merge([load(asked_qs.filter(pk__in=chunk)) for chunk in chunks(inspection_ids)])
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
            for chunk in chunks(base.id.tolist())
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
    records = merge([base, same_days, sequences, load_ids(np.setdiff1d(linked, known).tolist())])
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
