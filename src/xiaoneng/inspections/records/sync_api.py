"""API of offline sync: ``POST /api/v1/inspections/sync`` (docs/offline-sync.md).

The phone sends the inspections it captured without signal as one batch; the answer lists the
outcome of each item (applied, duplicate, conflict, refused) in the batch's order. A malformed
batch — more than 50 items, a ``client_id`` that is no UUID or appears twice — is refused as a
whole (422) before anything is written; a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` answers 413.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from ninja import Router

from xiaoneng.inspections.records.schemas import SyncBatchIn, SyncBatchOut
from xiaoneng.inspections.records.sync import check_batch, sync_batch
from xiaoneng.org.requests import OfficerRequest

router = Router(tags=["inspections"])


@router.post(
    "/inspections/sync",
    response=SyncBatchOut,
    summary="Sync inspections captured offline: the outcome of each item, in order",
)
def sync_inspections(request: OfficerRequest, payload: SyncBatchIn) -> dict[str, Any]:
    items = [item.dict() for item in payload.items]
    check_batch(items)
    received_at = timezone.now()
    return {
        "received_at": received_at,
        "items": sync_batch(officer=request.user, items=items, received_at=received_at),
    }
