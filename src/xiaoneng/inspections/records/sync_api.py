"""API of offline sync (docs/offline-sync.md): ``POST /api/v1/inspections/sync`` and the
officer's pack, ``GET /api/v1/inspections/offline-pack``.

The phone sends the inspections it captured without signal as one batch; the answer lists the
outcome of each item (applied, duplicate, conflict, refused) in the batch's order. A malformed
batch — more than 50 items, a ``client_id`` that is no UUID or appears twice — is refused as a
whole (422) before anything is written; a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` answers 413.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.utils import timezone
from ninja import Router
from pydantic import Field

from xiaoneng.inspections.records.offline_pack import (
    DEFAULT_DAYS,
    MAX_DAYS,
    MIN_DAYS,
    offline_pack,
)
from xiaoneng.inspections.records.schemas import OfflinePackOut, SyncBatchIn, SyncBatchOut
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


@router.get(
    "/inspections/offline-pack",
    response=OfflinePackOut,
    summary="The officer's tasks of the coming days, for the phone to keep offline",
)
def offline_pack_of_officer(
    request: OfficerRequest,
    days: Annotated[int, Field(ge=MIN_DAYS, le=MAX_DAYS)] = DEFAULT_DAYS,
) -> dict[str, Any]:
    """The requesting officer's planned tasks through ``today + days - 1`` (1 to 14 days,
    default 3; overdue ones included), each with its entity, checklist, draft and the
    entity's last findings; and the checklists they name."""
    return offline_pack(officer=request.user, days=days)
