"""API of inspection records for the mobile client: /api/v1/inspections (scoped to the user).

A client opens a draft (from a task or ad hoc), saves it with the revision it read (409 when
someone saved in between), uploads photos, and each member of the team signs. Errors answer
``{"detail": …, "errors": [{"field", "message"}]}`` like every endpoint.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Status, UploadedFile

from xiaoneng.core.api_paging import Paging, paged
from xiaoneng.core.errors import InvalidInput, Missing
from xiaoneng.core.scoping import get_scoped, scoped
from xiaoneng.inspections.checklists.models import Checklist
from xiaoneng.inspections.records.attachments import (
    add_attachment,
    open_file,
    remove_attachment,
)
from xiaoneng.inspections.records.drafts import save_draft
from xiaoneng.inspections.records.models import Attachment, Inspection, PartySignature
from xiaoneng.inspections.records.party import (
    decode_image,
    open_image,
    party_signature_of,
    record_party_signature,
)
from xiaoneng.inspections.records.queries import InspectionFilter
from xiaoneng.inspections.records.schemas import (
    AmendIn,
    AttachmentOut,
    DraftIn,
    InspectionDetail,
    InspectionFilterIn,
    InspectionPage,
    OpenIn,
    PartySignatureIn,
    PartySignatureOut,
    SignIn,
)
from xiaoneng.inspections.records.services import amend_inspection, open_inspection
from xiaoneng.inspections.records.signing import sign_inspection
from xiaoneng.org.models import Officer
from xiaoneng.org.requests import OfficerRequest
from xiaoneng.planning.patrol.models import Task
from xiaoneng.registry.models import Entity

router = Router(tags=["inspections"])


# Reading --------------------------------------------------------------------------------------


def _records(request: OfficerRequest) -> QuerySet[Inspection]:
    return scoped(Inspection.objects.select_related("entity", "unit", "lead_officer"), request.user)


def _record(request: OfficerRequest, inspection_id: int) -> Inspection:
    return get_scoped(_records(request), request.user, pk=inspection_id)


def _summary(record: Inspection) -> dict[str, Any]:
    return {
        "id": record.pk,
        "uscc": record.entity.uscc,
        "entity": record.entity.name,
        "unit": record.unit.code,
        "task_id": record.task_id,
        "origin": record.origin,
        "kind": record.kind,
        "enforcement": record.enforcement,
        "status": record.status,
        "visited_on": record.visited_on,
        "lead_officer": record.lead_officer.get_username(),
        "items_failed": record.items_failed,
        "signed_at": record.signed_at,
        "amends": record.amends_id,
        "revision": record.revision,
    }


def _attachment_out(attachment: Attachment) -> dict[str, Any]:
    return {
        "id": attachment.pk,
        "kind": attachment.kind,
        "name": attachment.original_name,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "sha256": attachment.sha256,
        "uploaded_by": attachment.uploaded_by.get_username() if attachment.uploaded_by else None,
        "uploaded_at": attachment.uploaded_at,
        "url": reverse(
            "api:inspection_attachment_file",
            kwargs={"inspection_id": attachment.inspection_id, "attachment_id": attachment.pk},
        ),
    }


def _detail(record: Inspection) -> dict[str, Any]:
    record = Inspection.objects.select_related(
        "entity", "unit", "lead_officer", "checklist", "updated_by"
    ).get(pk=record.pk)
    checklist = record.checklist
    return _summary(record) | {
        "checklist": str(checklist),
        "checklist_code": checklist.code,
        "checklist_version": checklist.version,
        "started_at": record.started_at,
        "finished_at": record.finished_at,
        "checkin_at": record.checkin_at,
        "checkin_longitude": record.checkin_longitude,
        "checkin_latitude": record.checkin_latitude,
        "checkin_accuracy": record.checkin_accuracy,
        "entity_operating": record.entity_operating,
        "summary": record.summary,
        "uniform": record.uniform,
        "amendment_reason": record.amendment_reason,
        "amendments": list(record.amendments.order_by("id").values_list("id", flat=True)),
        "updated_by": record.updated_by.get_username() if record.updated_by else None,
        "updated_at": record.updated_at,
        "team": [
            {
                "username": row.officer.get_username(),
                "name": str(row.officer),
                "certificate_number": row.officer.certificate_number,
                "signed_at": row.signed_at,
            }
            for row in record.team.select_related("officer").order_by("id")
        ],
        "results": [
            {
                "item": row.item_id,
                "number": row.item.number,
                "title": row.item.title,
                "method": row.item.method,
                "legal_basis": row.item.legal_basis,
                "severity": row.item.severity,
                "result": row.result,
                "note": row.note,
            }
            for row in record.results.select_related("item").order_by("item__position")
        ],
        "attachments": [
            _attachment_out(a)
            for a in record.attachments.select_related("uploaded_by").order_by("id")
        ],
        "party_signature": (
            _party_out(party) if (party := party_signature_of(record)) is not None else None
        ),
    }


def _party_out(signature: PartySignature) -> dict[str, Any]:
    return {
        "signer_name": signature.signer_name,
        "signer_role": signature.signer_role,
        "statement": signature.statement,
        "refused": signature.refused,
        "witness_name": signature.witness_name,
        "witness_role": signature.witness_role,
        "sha256": signature.sha256,
        "width": signature.width,
        "height": signature.height,
        "captured_at": signature.captured_at,
        "recorded_by": signature.recorded_by.get_username() if signature.recorded_by else None,
        "recorded_at": signature.recorded_at,
        "image_url": (
            reverse("api:inspection_party_signature_image", args=[signature.inspection_id])
            if signature.image
            else None
        ),
    }


@router.get("/inspections", response=InspectionPage, summary="Inspection records, newest first")
def list_inspections(request: OfficerRequest, filters: Query[InspectionFilterIn]) -> dict[str, Any]:
    chosen = InspectionFilter(
        **filters.dict(exclude={"page", "page_size"}),
    )
    records = chosen.apply(_records(request)).order_by("-visited_on", "-id")
    page = paged(records, Paging(page=filters.page, page_size=filters.page_size))
    page["items"] = [_summary(r) for r in page["items"]]
    return page


@router.get(
    "/inspections/{int:inspection_id}",
    response=InspectionDetail,
    summary="One record: team, results per item, attachments",
)
def get_inspection(request: OfficerRequest, inspection_id: int) -> dict[str, Any]:
    return _detail(_record(request, inspection_id))


# Writing ----------------------------------------------------------------------------------------


@router.post(
    "/inspections",
    response={200: InspectionDetail, 201: InspectionDetail},
    summary="Open a draft from a task (its draft if one is open: 200) or ad hoc (201)",
)
def open_record(request: OfficerRequest, payload: OpenIn) -> Status[dict[str, Any]]:
    user = request.user
    if (payload.task_id is None) == (payload.uscc is None):
        raise InvalidInput.single("task_id", _("请指定任务（task_id）或市场主体（uscc）之一"))
    task = entity = checklist = None
    if payload.task_id is not None:
        task = get_scoped(Task.objects.select_related("plan", "entity"), user, pk=payload.task_id)
    else:
        entity = get_scoped(Entity.objects.all(), user, uscc=(payload.uscc or "").upper())
    if payload.checklist_id is not None:
        checklist = Checklist.objects.filter(pk=payload.checklist_id).first()
        if checklist is None:
            raise InvalidInput.single(
                "checklist_id", _("检查清单不存在：%(id)s") % {"id": payload.checklist_id}
            )
    team = list(Officer.objects.filter(username__in=payload.team))
    missing = sorted(set(payload.team) - {o.get_username() for o in team})
    if missing:
        raise InvalidInput.single("team", _("检查人员 %(name)s 不存在") % {"name": missing[0]})
    before = task.inspections.filter(status=Inspection.Status.DRAFT) if task else None
    existing = set(before.values_list("id", flat=True)) if before is not None else set()
    record = open_inspection(
        entity=entity,
        officer=user,
        kind=payload.kind,
        origin=payload.origin,
        task=task,
        checklist=checklist,
        enforcement=payload.enforcement,
        team=team,
    )
    return Status(200 if record.pk in existing else 201, _detail(record))


@router.put(
    "/inspections/{int:inspection_id}",
    response=InspectionDetail,
    summary="Save the draft (fields left out stay as they are); 409 if the revision is stale",
)
def put_draft(request: OfficerRequest, inspection_id: int, payload: DraftIn) -> dict[str, Any]:
    values = payload.dict(exclude_unset=True, exclude={"revision"})
    if "results" in values:
        values["results"] = {
            # A row changes only what it names: a result alone keeps the stored note.
            row["item"]: {k: v for k, v in row.items() if k != "item"}
            for row in values["results"] or []
        }
    record = save_draft(
        inspection=_record(request, inspection_id),
        officer=request.user,
        revision=payload.revision,
        values=values,
    )
    return _detail(record)


@router.post(
    "/inspections/{int:inspection_id}/attachments",
    response={201: AttachmentOut},
    summary="Upload a photo or document (multipart: kind, file)",
)
def upload_attachment(
    request: OfficerRequest,
    inspection_id: int,
    file: File[UploadedFile],
    kind: Form[str] = "photo",
) -> Status[dict[str, Any]]:
    attachment = add_attachment(
        inspection=_record(request, inspection_id),
        officer=request.user,
        upload=file,
        kind=kind,
    )
    return Status(201, _attachment_out(attachment))


def _attachment(request: OfficerRequest, inspection_id: int, attachment_id: int) -> Attachment:
    return get_scoped(
        Attachment.objects.select_related("inspection"),
        request.user,
        pk=attachment_id,
        inspection_id=inspection_id,
    )


@router.get(
    "/inspections/{int:inspection_id}/attachments/{int:attachment_id}",
    url_name="inspection_attachment_file",
    summary="The stored file of an attachment",
)
def attachment_file(
    request: OfficerRequest, inspection_id: int, attachment_id: int
) -> FileResponse:
    attachment = _attachment(request, inspection_id, attachment_id)
    return FileResponse(
        open_file(attachment),
        content_type=attachment.content_type,
        filename=attachment.original_name,
    )


@router.delete(
    "/inspections/{int:inspection_id}/attachments/{int:attachment_id}",
    response={204: None},
    summary="Remove an attachment of a draft",
)
def delete_attachment(
    request: OfficerRequest, inspection_id: int, attachment_id: int
) -> Status[None]:
    remove_attachment(
        attachment=_attachment(request, inspection_id, attachment_id),
        officer=request.user,
    )
    return Status(204, None)


@router.post(
    "/inspections/{int:inspection_id}/sign",
    response=InspectionDetail,
    summary="The user, a member of the team, signs; the last signature makes it final",
)
def sign(request: OfficerRequest, inspection_id: int, payload: SignIn) -> dict[str, Any]:
    record = sign_inspection(
        inspection=_record(request, inspection_id),
        officer=request.user,
        at=payload.at,
        revision=payload.revision,
    )
    return _detail(record)


@router.post(
    "/inspections/{int:inspection_id}/party-signature",
    response={201: PartySignatureOut},
    summary="Record the party's signature (a PNG drawn on the phone) or refusal with a witness",
)
def post_party_signature(
    request: OfficerRequest, inspection_id: int, payload: PartySignatureIn
) -> Status[dict[str, Any]]:
    values = payload.dict(exclude={"image", "revision"})
    signature = record_party_signature(
        inspection=_record(request, inspection_id),
        officer=request.user,
        values=values,
        image=decode_image(payload.image),
        revision=payload.revision,
    )
    return Status(201, _party_out(signature))


def _party(request: OfficerRequest, inspection_id: int) -> PartySignature:
    signature = party_signature_of(_record(request, inspection_id))
    if signature is None:
        raise Missing(_("该检查记录尚未记录当事人签名"))
    return signature


@router.get(
    "/inspections/{int:inspection_id}/party-signature",
    response=PartySignatureOut,
    summary="The party's signature or refusal; 404 before one is recorded",
)
def get_party_signature(request: OfficerRequest, inspection_id: int) -> dict[str, Any]:
    return _party_out(_party(request, inspection_id))


@router.get(
    "/inspections/{int:inspection_id}/party-signature.png",
    url_name="inspection_party_signature_image",
    summary="The party's drawn signature (PNG); 404 for a refusal",
)
def party_signature_image(request: OfficerRequest, inspection_id: int) -> FileResponse:
    signature = _party(request, inspection_id)
    if not signature.image:
        raise Missing(_("当事人拒绝签名，没有签名图像"))
    return FileResponse(open_image(signature), content_type="image/png")


@router.post(
    "/inspections/{int:inspection_id}/amend",
    response={201: InspectionDetail},
    summary="Open a correction of a signed record (a new draft that amends it)",
)
def amend(request: OfficerRequest, inspection_id: int, payload: AmendIn) -> Status[dict[str, Any]]:
    amendment = amend_inspection(
        inspection=_record(request, inspection_id),
        officer=request.user,
        reason=payload.reason,
    )
    return Status(201, _detail(amendment))
