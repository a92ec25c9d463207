"""Pages answer a refused action with its message (403 for a role or unit refusal)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from xiaoneng.core.errors import DomainError


class DomainErrorMiddleware:
    """Render a ``DomainError`` that escaped a view as a page with its message and status."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DomainError) or request.path.startswith("/api/"):
            return None
        return render(
            request,
            "web/refused.html",
            {"message": exception.message},
            status=exception.status_code,
        )
