"""API of issued documents: /api/v1/documents/{kind}/{record_id} (scoped like the record).

``POST`` issues the record's document (201; those who may issue it, docs/documents.md),
``GET`` answers what was issued (its latest version), ``GET ….pdf`` the PDF itself;
``POST …/delivery`` records how that version reached the party (201), ``GET …/delivery`` reads
it. A record of another unit answers 404 like a missing one; a kind that cannot be issued, 404
too. ``GET``/``POST /documents/wording/{kind}`` read the wording in force and save a new
version (those who manage the documents' wording; 403 for others).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from xiaoneng.core.errors import NotPermitted
from xiaoneng.documents import services, wording
from xiaoneng.documents.delivery import record_delivery
from xiaoneng.documents.models import Delivery, DocumentKind, DocumentWording, IssuedDocument
from xiaoneng.documents.views import pdf_response
from xiaoneng.org.requests import OfficerRequest

router = Router(tags=["documents"])


class DocumentOut(Schema):
    kind: str
    number: str
    version: int
    issued_at: dt.datetime
    sha256: str
    size: int
    verification_code: str
    verify_url: str
    pdf_url: str


def _out(document: IssuedDocument) -> dict[str, Any]:
    return {
        "kind": document.kind,
        "number": document.number.text,
        "version": document.version,
        "issued_at": document.issued_at,
        "sha256": document.sha256,
        "size": document.size,
        "verification_code": document.verification_code,
        "verify_url": services.verify_url(document.verification_code),
        "pdf_url": reverse(
            "api:document_pdf", kwargs={"kind": document.kind, "record_id": document.object_id}
        ),
    }


def _issued(request: OfficerRequest, kind: str, record_id: int) -> IssuedDocument:
    renderer, record = services.scoped_record(request.user, kind, record_id)
    document = services.latest_document(kind=kind, record=record)
    if document is None:
        raise Http404(_("该记录的%(title)s尚未出具") % {"title": renderer.title})
    return document


@router.post(
    "/documents/{kind}/{int:record_id}",
    response={201: DocumentOut},
    summary="Issue a record's document (a new number, version 1)",
)
def issue_document(request: OfficerRequest, kind: str, record_id: int) -> Status[dict[str, Any]]:
    _renderer, record = services.scoped_record(request.user, kind, record_id)
    document = services.issue_document(kind=kind, record_id=record.pk, actor=request.user)
    return Status(201, _out(document))


@router.get(
    "/documents/{kind}/{int:record_id}",
    response=DocumentOut,
    summary="The document issued from a record (its latest version)",
)
def get_document(request: OfficerRequest, kind: str, record_id: int) -> dict[str, Any]:
    return _out(_issued(request, kind, record_id))


@router.get(
    "/documents/{kind}/{int:record_id}.pdf",
    url_name="document_pdf",
    summary="The issued document as PDF (its latest version)",
)
def document_pdf(request: OfficerRequest, kind: str, record_id: int) -> HttpResponse:
    document = _issued(request, kind, record_id)
    return pdf_response(document, services.document_bytes(document))


class DeliveryIn(Schema):
    """Strings as typed: the service names each problem (docs/documents.md, "Delivery")."""

    method: str
    delivered_on: str = ""
    recipient: str = ""
    place: str = ""
    witness: str = ""
    reference: str = ""
    note: str = ""


class DeliveryOut(Schema):
    number: str
    version: int
    method: str
    method_label: str
    delivered_on: dt.date
    recipient: str
    place: str
    witness: str
    reference: str
    note: str
    delivered_by: str


def _delivery_out(delivery: Delivery) -> dict[str, Any]:
    document = delivery.document
    return {
        "number": document.number.text,
        "version": document.version,
        "method": delivery.method,
        "method_label": delivery.get_method_display(),
        "delivered_on": delivery.delivered_on,
        "recipient": delivery.recipient,
        "place": delivery.place,
        "witness": delivery.witness,
        "reference": delivery.reference,
        "note": delivery.note,
        "delivered_by": str(delivery.delivered_by or ""),
    }


@router.post(
    "/documents/{kind}/{int:record_id}/delivery",
    response={201: DeliveryOut},
    summary="Record the delivery (送达) of a record's issued document (its latest version)",
)
def deliver_document(
    request: OfficerRequest, kind: str, record_id: int, payload: DeliveryIn
) -> Status[dict[str, Any]]:
    document = _issued(request, kind, record_id)
    delivery = record_delivery(document=document, values=payload.model_dump(), actor=request.user)
    return Status(201, _delivery_out(delivery))


@router.get(
    "/documents/{kind}/{int:record_id}/delivery",
    response=DeliveryOut,
    summary="The delivery of a record's issued document (its latest version)",
)
def get_delivery(request: OfficerRequest, kind: str, record_id: int) -> dict[str, Any]:
    document = _issued(request, kind, record_id)
    delivery = Delivery.objects.filter(document=document).select_related("delivered_by").first()
    if delivery is None:
        raise Http404(_("%(number)s 尚未登记送达") % {"number": document.number.text})
    return _delivery_out(delivery)


# The documents' wording (文书模板) -------------------------------------------------------------


class PlaceholderOut(Schema):
    name: str
    meaning: str


class WordingBlockOut(Schema):
    key: str
    label: str
    text: str
    default: str
    placeholders: list[PlaceholderOut]


class WordingOut(Schema):
    kind: str
    label: str
    version: int | None  # None: the built-in default
    note: str
    created_by: str
    created_at: dt.datetime | None
    blocks: list[WordingBlockOut]


class WordingIn(Schema):
    """Key → text; a block not given keeps its text in force (docs/documents.md, "Wording")."""

    blocks: dict[str, Any]
    note: str = ""


def _wording_out(kind: str, version: DocumentWording | None) -> dict[str, Any]:
    texts = wording.blocks_in_force(kind, version)
    return {
        "kind": kind,
        "label": str(DocumentKind(kind).label),
        "version": version.version if version is not None else None,
        "note": version.note if version is not None else "",
        "created_by": str(version.created_by or "") if version is not None else "",
        "created_at": version.created_at if version is not None else None,
        "blocks": [
            {
                "key": b.key,
                "label": b.label,
                "text": texts[b.key],
                "default": b.default,
                "placeholders": [{"name": n, "meaning": m} for n, m in b.allowed.items()],
            }
            for b in wording.blocks_of(kind)
        ],
    }


def _wording_kind(request: OfficerRequest, kind: str) -> str:
    if not wording.may_manage(request.user):
        raise NotPermitted(_("您无权查看或修改执法文书模板。"))
    if kind not in wording.BLOCKS:
        raise Http404(_("没有这种文书"))
    return kind


@router.get(
    "/documents/wording/{kind}",
    response=WordingOut,
    summary="The wording of a kind of document in force (its blocks and placeholders)",
)
def get_wording(request: OfficerRequest, kind: str) -> dict[str, Any]:
    kind = _wording_kind(request, kind)
    return _wording_out(kind, wording.active_wording(kind))


@router.post(
    "/documents/wording/{kind}",
    response={201: WordingOut},
    summary="Save a new version of a kind's wording",
)
def save_wording(request: OfficerRequest, kind: str, payload: WordingIn) -> Status[dict[str, Any]]:
    kind = _wording_kind(request, kind)
    version = wording.save_wording(
        kind=kind, blocks=payload.blocks, note=payload.note, actor=request.user
    )
    return Status(201, _wording_out(kind, version))
