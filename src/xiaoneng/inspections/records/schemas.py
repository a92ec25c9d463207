"""Schemas of the inspection records API: what a client reads and sends."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.conf import settings
from ninja import Schema
from pydantic import Field

from xiaoneng.core.api_paging import MAX_ID, Day
from xiaoneng.core.paging import MAX_PAGE


class MemberOut(Schema):
    username: str
    name: str
    certificate_number: str | None
    signed_at: dt.datetime | None


class ResultOut(Schema):
    item: int = Field(description="checklist item id: the key of a result in a draft")
    number: str
    title: str
    method: str
    legal_basis: str
    severity: str
    result: str = Field(description="pass / fail / na, or empty while unanswered")
    note: str


class AttachmentOut(Schema):
    id: int
    kind: str
    name: str
    content_type: str
    size: int
    sha256: str
    uploaded_by: str | None
    uploaded_at: dt.datetime
    url: str


class PartySignatureOut(Schema):
    signer_name: str
    signer_role: str
    statement: str
    refused: bool
    witness_name: str
    witness_role: str
    sha256: str = Field(description="SHA-256 of the drawn PNG; empty for a refusal")
    width: int | None
    height: int | None
    captured_at: dt.datetime
    recorded_by: str | None
    recorded_at: dt.datetime
    image_url: str | None


class PartySignatureIn(Schema):
    signer_name: str = Field("", max_length=200, description="the party (or who signs for it)")
    signer_role: str = Field("", max_length=200, description="法定代表人, 负责人, 店员…")
    statement: str = Field("", max_length=2000, description="当事人意见")
    refused: bool = Field(False, description="the party refuses to sign (a witness is needed)")
    witness_name: str = Field("", max_length=200)
    witness_role: str = Field("", max_length=200)
    image: str = Field(
        "",
        max_length=1_000_000,
        description="the drawing: a PNG as data:image/png;base64,… or bare base64",
    )
    captured_at: dt.datetime | None = Field(None, description="the device's time; default now")
    revision: int | None = Field(None, description="the revision the officer read")


class InspectionOut(Schema):
    id: int
    uscc: str
    entity: str
    unit: str
    task_id: int | None
    origin: str
    kind: str
    enforcement: bool
    status: str
    visited_on: dt.date
    lead_officer: str
    items_failed: int
    signed_at: dt.datetime | None
    amends: int | None
    revision: int


class InspectionPage(Schema):
    count: int
    count_exact: bool
    page: int
    page_size: int
    items: list[InspectionOut]


class InspectionDetail(InspectionOut):
    checklist: str
    checklist_code: str
    checklist_version: int
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    checkin_at: dt.datetime | None
    checkin_longitude: float | None
    checkin_latitude: float | None
    checkin_accuracy: float | None
    entity_operating: bool
    summary: str
    uniform: bool
    amendment_reason: str
    amendments: list[int]
    updated_by: str | None
    updated_at: dt.datetime
    team: list[MemberOut]
    results: list[ResultOut]
    attachments: list[AttachmentOut]
    party_signature: PartySignatureOut | None


class InspectionFilterIn(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(settings.PAGE_SIZE, ge=1, le=settings.API_MAX_PAGE_SIZE)
    unit: str = Field("", description="unit code: its whole subtree")
    officer: str = Field("", description="username of a team member")
    date_from: Day | None = None
    date_to: Day | None = None
    # An unknown value is refused (422) rather than silently ignored.
    origin: Literal[
        "", "patrol", "draw", "campaign", "joint", "reinspection", "complaint", "ad_hoc"
    ] = ""
    kind: Literal["", "onsite", "documentary"] = Field("", description="onsite / documentary")
    status: Literal["", "draft", "signed"] = Field("", description="draft / signed")
    failed: bool = Field(False, description="signed with at least one failed item")
    q: str = Field("", description="USCC (or its beginning) or part of the name")


class OpenIn(Schema):
    task_id: int | None = Field(None, description="open the task's inspection (or get its draft)")
    uscc: str | None = Field(None, description="ad hoc: the entity to inspect")
    kind: str = Field("onsite", description="onsite / documentary")
    origin: str | None = Field(None, description="ad hoc only: ad_hoc (default) or complaint")
    enforcement: bool = False
    team: list[str] = Field([], description="usernames of the other members")
    checklist_id: int | None = Field(None, description="default: current one for the industry")


class ItemResultIn(Schema):
    item: int
    result: str = Field("", description="pass / fail / na, or empty")
    note: str = ""


class DraftIn(Schema):
    revision: int = Field(description="the revision the client read; 409 if it changed since")
    results: list[ItemResultIn] | None = None
    summary: str | None = None
    started_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    checkin_at: dt.datetime | None = Field(None, description="when the device took the position")
    checkin_longitude: float | None = None
    checkin_latitude: float | None = None
    checkin_accuracy: float | None = Field(None, description="metres")
    entity_operating: bool | None = None
    enforcement: bool | None = Field(None, description="needs two certified officers to sign")
    team: list[str] | None = Field(None, description="usernames; the lead stays first")


class SignIn(Schema):
    revision: int | None = Field(None, description="the revision the signer read")
    at: dt.datetime | None = Field(None, description="default: now")


class AmendIn(Schema):
    reason: str = Field(description="why the signed record is corrected (5 characters or more)")


# Offline sync (records.sync, docs/offline-sync.md) -------------------------------------------


class SyncPositionIn(Schema):
    longitude: float = Field(ge=-180, le=180, allow_inf_nan=False)
    latitude: float = Field(ge=-90, le=90, allow_inf_nan=False)
    accuracy: float | None = Field(
        None, ge=0, le=1_000_000, allow_inf_nan=False, description="metres"
    )
    at: dt.datetime | None = Field(None, description="when the device took it (the check-in)")


class SyncPhotoIn(Schema):
    client_id: str = Field(max_length=64, description="the device's id of the photo (a UUID)")
    name: str = Field("photo.jpg", max_length=200)
    sha256: str = Field(max_length=128, description="SHA-256 of the bytes, as the device took it")
    data: str = Field(description="the photo's bytes in base64 (or a data: URL)")


class SyncDraftIn(Schema):
    """The draft's values, as ``DraftIn`` without its revision (the item's revision counts)."""

    results: list[ItemResultIn] | None = None
    summary: str | None = None
    started_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    checkin_at: dt.datetime | None = None
    checkin_longitude: float | None = None
    checkin_latitude: float | None = None
    checkin_accuracy: float | None = None
    entity_operating: bool | None = None
    enforcement: bool | None = None
    team: list[str] | None = None


class SyncSignIn(Schema):
    at: dt.datetime | None = Field(None, description="the device's time of signing")


class SyncItemIn(Schema):
    client_id: str = Field(max_length=64, description="the device's id of the item (a UUID)")
    inspection_id: int | None = Field(
        None, ge=1, le=MAX_ID, description="an existing draft the device holds"
    )
    revision: int | None = Field(
        None, ge=0, le=MAX_ID, description="the draft's revision the device last had"
    )
    task_id: int | None = Field(None, ge=1, le=MAX_ID, description="or: open the task's inspection")
    uscc: str | None = Field(None, max_length=18, description="or: an ad hoc inspection")
    kind: str = Field("onsite", max_length=12)
    origin: str | None = Field(None, max_length=12)
    checklist_id: int | None = Field(None, ge=1, le=MAX_ID)
    captured_at: dt.datetime | None = Field(None, description="the device's time of capture")
    position: SyncPositionIn | None = None
    draft: SyncDraftIn | None = None
    photos: list[SyncPhotoIn] = []
    party_signature: PartySignatureIn | None = None
    sign: SyncSignIn | None = None


class SyncBatchIn(Schema):
    items: list[SyncItemIn]


class SyncErrorOut(Schema):
    field: str
    message: str


class SyncPhotoOut(Schema):
    client_id: str
    attachment_id: int
    sha256: str


class SyncOutcomeOut(Schema):
    client_id: str
    outcome: Literal["applied", "duplicate", "conflict", "refused"]
    detail: str = Field(description="what happened, for the officer")
    errors: list[SyncErrorOut]
    inspection_id: int | None
    revision: int | None
    status: str | None
    photos: list[SyncPhotoOut]
    late_sync: bool
    synced_at: dt.datetime | None = Field(description="when the item was first applied")


class SyncBatchOut(Schema):
    received_at: dt.datetime
    items: list[SyncOutcomeOut]


# The officer's pack (records.offline_pack, docs/offline-sync.md) ------------------------------


class PackOfficerOut(Schema):
    username: str
    name: str


class PackEntityOut(Schema):
    id: int
    uscc: str
    name: str
    address: str
    longitude: float | None
    latitude: float | None
    industry: str = Field(description="the industry's name (GB/T 4754)")
    grid: str | None = Field(description="the grid's code")


class PackResultOut(Schema):
    item: int = Field(description="checklist item id")
    result: str = Field(description="pass / fail / na, or empty while unanswered")
    note: str


class PackDraftOut(Schema):
    inspection_id: int
    revision: int = Field(description="send it back with the draft's offline item")
    checklist_id: int
    results: list[PackResultOut]
    summary: str
    updated_at: dt.datetime
    updated_by: str | None = Field(description="username")


class PackFailedOut(Schema):
    number: str
    title: str
    note: str


class PackLastInspectionOut(Schema):
    inspection_id: int
    visited_on: dt.date
    summary: str
    failed: list[PackFailedOut] = Field(description="the items found failed, in order")


class PackTaskOut(Schema):
    task_id: int
    scheduled_on: dt.date | None
    due_on: dt.date | None
    description: str
    standard: str
    entity: PackEntityOut
    kind: Literal["onsite"]
    checklist_id: int | None = Field(
        description="the draft's checklist, else the one in force for the entity (none: null)"
    )
    draft: PackDraftOut | None
    last_inspection: PackLastInspectionOut | None = Field(
        description="the entity's latest signed inspection"
    )


class PackItemOut(Schema):
    id: int
    number: str
    title: str
    method: str
    legal_basis: str
    severity: str


class PackChecklistOut(Schema):
    id: int
    code: str
    version: int
    title: str
    kind: str
    items: list[PackItemOut]


class OfflinePackOut(Schema):
    generated_at: dt.datetime
    days: int
    through: dt.date = Field(description="the last day covered: today + days - 1 (local)")
    officer: PackOfficerOut
    tasks: list[PackTaskOut]
    checklists: list[PackChecklistOut] = Field(description="each checklist the tasks name, once")
