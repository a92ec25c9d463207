"""What a request over the server's limits is told: how big, how many, and the limit itself.

Django refuses a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (the form or JSON, not its files),
more than ``DATA_UPLOAD_MAX_NUMBER_FILES`` files or ``DATA_UPLOAD_MAX_NUMBER_FIELDS`` fields
before a view reads them, so nothing is written. A page answers the Chinese 400 page (413 for
a body too large) with the limit; the API answers its JSON error (docs/api.md), never a 500.
Each file's own limit is the attachment rule's (``ATTACHMENT_MAX_BYTES``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from xiaoneng.inspections.records.attachments import human_size

OVER_LIMITS = (RequestDataTooBig, TooManyFilesSent, TooManyFieldsSent)


def over_limit(exception: BaseException | None) -> tuple[int, str]:
    """The status and sentence for a request refused before any view ran."""
    if isinstance(exception, RequestDataTooBig):
        limit = human_size(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        return 413, _("提交的内容超过上限 %(limit)s（不含上传的文件）。") % {"limit": limit}
    if isinstance(exception, TooManyFilesSent):
        count = settings.DATA_UPLOAD_MAX_NUMBER_FILES
        return 400, _("一次最多上传 %(count)d 个文件，请分批上传。") % {"count": count}
    if isinstance(exception, TooManyFieldsSent):
        count = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        return 400, _("一次最多提交 %(count)d 个字段。") % {"count": count}
    return 400, _("请求无法处理：格式不正确，或缺少必要的内容。")


def bad_request(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    """``handler400``: the API's JSON error under /api/, the Chinese page elsewhere."""
    status, message = over_limit(exception)
    if request.path.startswith("/api/"):
        body = {"detail": message, "errors": [{"field": "body", "message": message}]}
        return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    return render(request, "400.html", {"message": message}, status=status)
