"""The request a page or API handler gets once its user is logged in."""

from __future__ import annotations

from django.http import HttpRequest

from xiaoneng.org.models import Officer


class OfficerRequest(HttpRequest):
    """A request whose user is a logged-in officer: what ``login_required`` pages and the API
    (which refuses anonymous calls) receive. Services take ``actor: Officer``, so a handler
    typed with this passes ``request.user`` on as it is."""

    user: Officer
