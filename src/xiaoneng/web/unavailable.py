"""The database out of reach (restarting, failing over, refusing connections) is answered
503 Service Unavailable with Retry-After, not 500: the request's transaction was rolled back,
nothing of it was kept, and the client — or the proxy — may send it again (docs/operations.md,
"Faults the stack survives"). Any other fault stays a 500.

Django marks the broken connection and closes it at the end of the request, so the next request
connects afresh once the server is back.
"""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults

RETRY_AFTER_SECONDS = 5
# Lost or refused connections, a server shutting down, a deadlock: worth trying again.
UNAVAILABLE = (OperationalError, InterfaceError)


def message() -> str:
    return _("数据库暂时无法访问（可能正在重启），本次操作未保存，请稍后重试。")


def retry_later(response: HttpResponse) -> HttpResponse:
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """``handler500``: the database out of reach is the 503 page (rendered without the
    database, like the 500 page); anything else is Django's 500."""
    if isinstance(sys.exc_info()[1], UNAVAILABLE):
        page = loader.get_template("503.html").render()
        return retry_later(HttpResponse(page, status=503))
    return defaults.server_error(request, template_name)
