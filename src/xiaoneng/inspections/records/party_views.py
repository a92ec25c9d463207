"""Pages of the party's signature on a record: recording it (drawn on the phone, or refused
before a witness) and the stored drawing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiaoneng.core.errors import Conflict, InvalidInput
from xiaoneng.inspections.records.party import (
    TEXT_LIMITS,
    decode_image,
    open_image,
    party_signature_of,
    record_party_signature,
)
from xiaoneng.inspections.records.views import detail_context, scoped_record, tell
from xiaoneng.org.requests import OfficerRequest

FIELDS = (*TEXT_LIMITS, "refused", "captured_at")


@login_required
@require_POST
def party_signature(request: OfficerRequest, pk: int) -> HttpResponse:
    """Record the party's signature or refusal; refused, the page comes back with what the
    officer typed and each problem named (the drawing must be made again)."""
    inspection = scoped_record(request, pk)
    values = {name: request.POST.get(name, "") for name in FIELDS}
    try:
        signature = record_party_signature(
            inspection=inspection,
            officer=request.user,
            values=values,
            image=decode_image(request.POST.get("image", "")),
            revision=request.POST.get("revision") or None,
        )
    except Conflict as error:
        tell(request, error)  # signed meanwhile, or saved by someone else: read it again
        return redirect("inspections:inspection_detail", pk=pk)
    except InvalidInput as error:
        tell(request, error)
        context = detail_context(request, scoped_record(request, pk))
        context["party_form"] = values | {"open": True}
        context["party_errors"] = {e.field: e.message for e in error.errors or []}
        return render(request, "inspections/inspection_detail.html", context, status=400)
    if signature.refused:
        messages.success(
            request,
            _("已记录：当事人 %(name)s 拒绝签名，见证人 %(witness)s。")
            % {"name": signature.signer_name, "witness": signature.witness_name},
        )
    else:
        messages.success(
            request, _("已记录当事人 %(name)s 的签名。") % {"name": signature.signer_name}
        )
    return redirect("inspections:inspection_detail", pk=pk)


@login_required
def party_signature_image(request: OfficerRequest, pk: int) -> FileResponse:
    """The party's drawn signature (PNG), for those who may read the record."""
    signature = party_signature_of(scoped_record(request, pk))
    if signature is None or not signature.image:
        raise Http404(_("该检查记录没有当事人签名图像"))
    return FileResponse(open_image(signature), content_type="image/png")
