"""Every URL pattern (the resolver walked, namespaces included) and every API operation (the
OpenAPI schema read) that the generic scoping test requests."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from xiaoneng.api import api

SCHEMA = api.get_openapi_schema()
COMPONENTS = SCHEMA.get("components", {}).get("schemas", {})
PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>|\{(\w+)\}")


@dataclass(frozen=True)
class Endpoint:
    """A URL pattern (``method`` None: GET, then POST) or an API operation."""

    label: str  # the URL name, or "<METHOD> <path>" for an API operation
    route: str  # the path with its parameters: "entities/<str:uscc>/", "/api/v1/cases/{case_id}"
    method: str | None = None
    operation: str = ""  # the API path, for ``tests.scoping.params.FILLS``

    @property
    def parameters(self) -> list[str]:
        return [a or b for a, b in PARAMETER.findall(self.route)]

    @property
    def admin(self) -> bool:
        """A page of the admin site, but its log-in and log-out, which are everyone's."""
        return self.route.startswith("admin/") and self.label not in ("admin:login", "admin:logout")


def _route(pattern: Any) -> str:
    text = str(pattern)
    if text.startswith("^") or "(?P<" in text:  # a regular expression: name its groups
        text = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", text).lstrip("^").rstrip("$")
    return text


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
    for pattern in patterns:
        route = prefix + _route(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            name = f"{namespace}:{inner}" if namespace and inner else namespace or inner
            yield from _walk(pattern.url_patterns, route, name)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name or ""
            yield (name if pattern.name else route), route


def _api_path(route: str) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def page_endpoints() -> list[Endpoint]:
    """Every URL pattern but those of API operations (checked by method below)."""
    operations = set(SCHEMA["paths"])
    found = [
        Endpoint(label, route)
        for label, route in _walk(get_resolver().url_patterns)
        if _api_path(route) not in operations
    ]
    labels = [e.label for e in found]
    return [
        Endpoint(f"{e.label} {e.route}", e.route) if labels.count(e.label) > 1 else e for e in found
    ]


def api_endpoints() -> list[Endpoint]:
    """Every API operation, one per path and method."""
    return [
        Endpoint(f"{method.upper()} {path}", path, method, path)
        for path, operations in SCHEMA["paths"].items()
        for method in operations
    ]
