"""The demo's offline syncs: recent on-site records captured on a phone without signal and
synced when the officer was back in reach — most within the hour, a few days late (each of
those raising the trace flag 离线记录很久才同步, as the sync itself does). Their receipts are
what a retried sync would find (docs/offline-sync.md)."""

from __future__ import annotations

import datetime as dt
import uuid

import numpy as np

from xiaoneng.inspections.checklists.models import InspectionKind
from xiaoneng.inspections.records.models import Inspection
from xiaoneng.inspections.records.sync import flag_if_late
from xiaoneng.inspections.records.sync_models import SyncReceipt

RECENT_DAYS = 30
SYNCED = 60
LATE_EVERY = 15  # one in fifteen synced days late


def build_offline_syncs(*, now: dt.datetime) -> tuple[int, int]:
    """Receipts for recent signed on-site records (one in three of them, up to ``SYNCED``);
    returns (synced, late)."""
    rng = np.random.default_rng(67)
    recent = Inspection.objects.filter(
        status=Inspection.Status.SIGNED,
        kind=InspectionKind.ONSITE,
        signed_at__gte=now - dt.timedelta(days=RECENT_DAYS),
        signed_at__lt=now - dt.timedelta(hours=1),
    ).order_by("signed_at", "id")
    chosen = list(recent[::3][:SYNCED])
    receipts, late = [], 0
    for index, record in enumerate(chosen):
        signed_at = record.signed_at
        assert signed_at is not None  # filtered
        if index % LATE_EVERY == LATE_EVERY - 1:
            delay = dt.timedelta(hours=float(rng.uniform(80, 130)))
        else:
            delay = dt.timedelta(minutes=float(rng.uniform(5, 90)))
        received_at = min(signed_at + delay, now)
        receipts.append(
            SyncReceipt(
                officer_id=record.lead_officer_id,
                client_id=uuid.UUID(int=int(rng.integers(0, 2**63)) << 64 | record.pk, version=4),
                inspection=record,
                outcome={
                    "outcome": "applied",
                    "inspection_id": record.pk,
                    "status": record.status,
                    "revision": record.revision,
                },
                captured_at=signed_at,
                received_at=received_at,
                longitude=record.checkin_longitude,
                latitude=record.checkin_latitude,
                accuracy=record.checkin_accuracy,
            )
        )
        if flag_if_late(record, signed_at, received_at):
            late += 1
    SyncReceipt.objects.bulk_create(receipts, batch_size=500)
    return len(receipts), late
