"""Who acts (痕迹's "who"): the request's user on the web, the API and the admin (set by
``AuditContextMiddleware``), or whoever ``acting_as`` names in CLI commands and jobs. The
trace (``core.audit``) reads it when it records an event."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse

from xiaoneng.core.actors import Actor
from xiaoneng.core.models import AuditEvent


@dataclass
class AuditContext:
    """Who is acting, and through which path."""

    source: str
    actor: Actor | None = None
    request: HttpRequest | None = None

    def resolve_actor(self) -> Actor | None:
        if self.actor is not None:
            return self.actor
        user = getattr(self.request, "user", None)
        return user if user is not None and user.is_authenticated else None


_context: ContextVar[AuditContext | None] = ContextVar("xiaoneng_audit", default=None)


@contextmanager
def acting_as(actor: Actor | None = None, *, source: str = AuditEvent.Source.CLI) -> Iterator[None]:
    """Attribute the changes made inside the block to ``actor`` via ``source``."""
    token = _context.set(AuditContext(source=source, actor=actor))
    try:
        yield
    finally:
        _context.reset(token)


@contextmanager
def attributed(actor: Actor | None) -> Iterator[None]:
    """Attribute changes inside the block to ``actor`` unless the request already names one."""
    context = current_context()
    if context.resolve_actor() is not None or actor is None:
        yield
        return
    token = _context.set(AuditContext(source=context.source, actor=actor, request=context.request))
    try:
        yield
    finally:
        _context.reset(token)


def current_context() -> AuditContext:
    return _context.get() or AuditContext(source=AuditEvent.Source.SYSTEM)


class AuditContextMiddleware:
    """Attribute changes made while serving a request to the request's user."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            source = AuditEvent.Source.API
        elif request.path.startswith("/admin/"):
            source = AuditEvent.Source.ADMIN
        else:
            source = AuditEvent.Source.WEB
        token = _context.set(AuditContext(source=source, request=request))
        try:
            return self.get_response(request)
        finally:
            _context.reset(token)
