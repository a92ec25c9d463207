"""Pages of a record's attachments: the file itself, and removing one from a draft."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiaoneng.core.errors import Conflict
from xiaoneng.core.scoping import get_scoped
from xiaoneng.inspections.records.attachments import open_file, remove_attachment
from xiaoneng.inspections.records.models import Attachment, Inspection
from xiaoneng.inspections.records.views import tell
from xiaoneng.org.requests import OfficerRequest

RECENT_DAYS = 30
SEARCH_LIMIT = 20
AD_HOC_ORIGINS = (Inspection.Origin.AD_HOC, Inspection.Origin.COMPLAINT)
INPUT_TIME = "%Y-%m-%dT%H:%M"


def _attachment(request: OfficerRequest, pk: int, attachment_pk: int) -> Attachment:
    return get_scoped(
        Attachment.objects.select_related("inspection"),
        request.user,
        pk=attachment_pk,
        inspection_id=pk,
    )


@login_required
def attachment_file(request: OfficerRequest, pk: int, attachment_pk: int) -> FileResponse:
    """The stored file of an attachment (photos are shown from here)."""
    attachment = _attachment(request, pk, attachment_pk)
    return FileResponse(
        open_file(attachment),
        content_type=attachment.content_type,
        filename=attachment.original_name,
    )


@login_required
@require_POST
def attachment_remove(request: OfficerRequest, pk: int, attachment_pk: int) -> HttpResponse:
    attachment = _attachment(request, pk, attachment_pk)
    try:
        remove_attachment(attachment=attachment, officer=request.user)
    except Conflict as error:
        tell(request, error)
        return redirect("inspections:inspection_detail", pk=pk)
    messages.success(request, _("已删除附件：%(name)s") % {"name": attachment.original_name})
    return redirect("inspections:inspection_edit", pk=pk)
