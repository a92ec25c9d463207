"""A request of an endpoint: its URL with the parameters filled, sent by its method with the
smallest body its schema accepts; and what the answer shows."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client

from tests.scoping.endpoints import COMPONENTS, PARAMETER, SCHEMA, Endpoint
from tests.scoping.params import API_BODIES, QUERIES, Fill, Filled, fill_for
from tests.scoping.world import World
from xiaoneng.core.models import AuditEvent


def _filled(endpoint: Endpoint, name: str, fill_one: Fill | None, world: World) -> list[Filled]:
    label = endpoint.operation or endpoint.label
    if fill_one is None:
        pytest.fail(
            f"{endpoint.label}: no record to fill the parameter {name!r} with. Add an entry "
            f"to FILLS in tests/scoping/params.py (a pattern matching '{label}.{name}'), "
            "building a record of the east station in build_world (tests/scoping/world.py) "
            "if need be."
        )
    found = fill_one(world, endpoint.route)
    return found if isinstance(found, list) else [found]


@dataclass(frozen=True)
class Request:
    """A URL of ``endpoint`` with its parameters filled (path first, then query), and the
    records they name."""

    endpoint: Endpoint
    filled: tuple[Filled, ...]

    @property
    def url(self) -> str:
        names = self.endpoint.parameters
        values = dict(zip(names, self.filled, strict=False))
        path = PARAMETER.sub(lambda m: values[m[1] or m[2]].value, self.endpoint.route)
        pairs = zip(QUERIES.get(self.endpoint.label, {}), self.filled[len(names) :], strict=True)
        query = "&".join(f"{name}={f.value}" for name, f in pairs)
        return ("" if path.startswith("/") else "/") + path + (f"?{query}" if query else "")

    @property
    def records(self) -> list[models.Model]:
        return [f.record for f in self.filled if f.record is not None]

    @property
    def of_east(self) -> bool:
        return any(f.kind == "east" for f in self.filled)

    def missing(self) -> Request:
        """The same request of records that do not exist instead of the east station's."""
        absent = [
            Filled("999999" if f.value.isdigit() else f"NO-SUCH-{f.value}", "missing")
            if f.kind == "east"
            else f
            for f in self.filled
        ]
        return Request(self.endpoint, tuple(absent))


def requests_for(endpoint: Endpoint, world: World) -> list[Request]:
    """Every URL of ``endpoint``: one, or one per value of a parameter with several."""
    label = endpoint.operation or endpoint.label
    options = [
        _filled(endpoint, name, fill_for(label, name) or fill_for(endpoint.label, name), world)
        for name in endpoint.parameters
    ]
    queries = QUERIES.get(endpoint.label, {})
    options += [_filled(endpoint, name, fill, world) for name, fill in queries.items()]
    return [Request(endpoint, chosen) for chosen in itertools.product(*options)]


def snapshot(records: list[models.Model]) -> tuple[int, list[Any]]:
    """The trace's length and the stored rows of ``records``: what a refused write leaves."""
    rows = [type(r)._base_manager.filter(pk=r.pk).values().first() for r in records]
    return AuditEvent.objects.count(), rows


def text(response: Any) -> str:
    """The body as a reader sees it: JSON with its escaped characters written out."""
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content).decode("utf-8", "replace")
    else:
        body = response.content.decode("utf-8", "replace")
    if response.get("Content-Type", "").startswith("application/json"):
        try:
            return json.dumps(json.loads(body), ensure_ascii=False)
        except ValueError:
            return body
    return body


def shown_secrets(response: Any, world: World) -> list[str]:
    if response.status_code != 200:
        return []
    body = text(response)
    return [secret for secret in world.secrets if secret in body]


def minimal(schema: dict[str, Any]) -> Any:
    """The smallest value ``schema`` accepts: its required fields with plain values."""
    if "$ref" in schema:
        return minimal(COMPONENTS[schema["$ref"].rsplit("/", 1)[-1]])
    for key in ("allOf", "anyOf", "oneOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"]
            return minimal(options[0])
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        properties = schema.get("properties", {})
        return {name: minimal(properties[name]) for name in schema.get("required", [])}
    if kind == "string":
        return {"date": "2026-03-02", "date-time": "2026-03-02T09:00:00+08:00"}.get(
            schema.get("format", ""), "x"
        )
    return {"integer": 1, "number": 1, "boolean": False, "array": []}.get(kind or "", "x")


def call(client: Client, request: Request) -> Any:
    """Send the request: a page by GET, an API operation by its method with the smallest
    body its schema accepts (or the one ``API_BODIES`` gives)."""
    endpoint, url = request.endpoint, request.url
    method = endpoint.method or "get"
    if method == "get":
        return client.get(url)
    operation = SCHEMA["paths"][endpoint.operation][method]
    content = operation.get("requestBody", {}).get("content", {})
    if "multipart/form-data" in content:
        upload = SimpleUploadedFile("scoping.pdf", b"%PDF-1.4 scoping", "application/pdf")
        return getattr(client, method)(url, {"file": upload})
    body = API_BODIES.get(endpoint.label)
    if body is None and content:
        body = minimal(next(iter(content.values()))["schema"])
    return getattr(client, method)(url, body or {}, content_type="application/json")


def write(client: Client, request: Request) -> Any:
    """A page's form posted empty, or the API operation."""
    if request.endpoint.method is None:
        return client.post(request.url, {})
    return call(client, request)


def answer(response: Any) -> str:
    """The status, and the body of an API answer (a page's would only be its layout)."""
    if response.get("Content-Type", "").startswith("application/json"):
        return f"{response.status_code} {text(response)[:300]}"
    return str(response.status_code)
