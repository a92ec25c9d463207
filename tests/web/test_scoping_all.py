"""Every URL pattern and every API operation keeps to the user's unit scope (docs/access.md;
NetBox's ``ViewTestCases`` are the model).

The test walks the URL resolver (namespaces included) and the API's OpenAPI schema, so a new
page or operation is checked the day it is added. For each of five roles it requests the east
station's record:

- the west station's grid officer and director are refused: 404, like a record that does not
  exist (a write may answer 403 where a record that does not exist answers 403 too), by GET and
  by POST (an API operation by its own method), and the record and the trace stay unchanged;
- division staff, the bureau leader and the administrator, whose scope covers every station,
  find it: 200, or 403 where ``REFUSED`` says their role may not use the page;
- lists and forms answer 200, 302 or 403 to everyone, never show the west station a text of
  the east station's records, and the main lists show them to the bureau-wide roles;
- the admin site sends everyone but staff to its log-in.

Parameters are filled from ``tests/scoping_objects.py``; a parameter it cannot fill fails the
test with what to register. The records are built once per module (per xdist worker).
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from tests.scoping_objects import (
    API_BODIES,
    MAIN_LISTS,
    NOT_FOUND,
    QUERIES,
    REFUSED,
    TEAM,
    Fill,
    Filled,
    World,
    build_world,
    fill_for,
)
from xiaoneng.api import api
from xiaoneng.core.models import AuditEvent
from xiaoneng.org import access

pytestmark = pytest.mark.django_db

# role → the county's user in it; the first two belong to the west station.
ROLES = {
    "officer": "west_officer",
    "director": "west_director",
    "division": "division_staff",
    "leader": "leader",
    "admin": "admin",
}
WEST = {"officer", "director"}
SCHEMA = api.get_openapi_schema()
COMPONENTS = SCHEMA.get("components", {}).get("schemas", {})
PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>|\{(\w+)\}")


@dataclass(frozen=True)
class Endpoint:
    """A URL pattern (``method`` None: GET, then POST) or an API operation."""

    label: str  # the URL name, or "<METHOD> <path>" for an API operation
    route: str  # the path with its parameters: "entities/<str:uscc>/", "/api/v1/cases/{case_id}"
    method: str | None = None
    operation: str = ""  # the API path, for ``tests.scoping_objects.FILLS``

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


PAGES = page_endpoints()
OPERATIONS = api_endpoints()


# The shared records: built once per module ------------------------------------------------------


@dataclass
class Scene:
    """The world, and a client per role (a new client would load the middleware again)."""

    world: World
    sessions: dict[str, str]
    clients: dict[str, Client] = field(default_factory=dict)

    def client(self, role: str) -> Client:
        """The role's client, logged in, with no other cookie left from an earlier test."""
        client = self.clients.setdefault(role, Client())
        client.cookies = SimpleCookie({settings.SESSION_COOKIE_NAME: self.sessions[role]})
        return client


@pytest.fixture(scope="module")
def scene(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[Scene]:  # type: ignore[no-untyped-def]
    """The world, written once in a transaction rolled back at the end of the module; each
    test runs in a savepoint inside it."""
    media = tmp_path_factory.mktemp("media")
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=hashers),
        transaction.atomic(),
    ):
        world = build_world()
        sessions = {}
        for role, attribute in ROLES.items():
            client = Client()
            client.force_login(getattr(world.county, attribute))
            sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
        yield Scene(world, sessions)
        transaction.set_rollback(True)


# Filling a URL ----------------------------------------------------------------------------------


def _filled(endpoint: Endpoint, name: str, fill_one: Fill | None, world: World) -> list[Filled]:
    label = endpoint.operation or endpoint.label
    if fill_one is None:
        pytest.fail(
            f"{endpoint.label}: no record to fill the parameter {name!r} with. Add an entry "
            f"to FILLS in tests/scoping_objects.py (a pattern matching '{label}.{name}'), "
            "building a record of the east station in build_world if need be."
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


# Requests ---------------------------------------------------------------------------------------


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


# The checks -------------------------------------------------------------------------------------


def check_refused(client: Client, role: str, request: Request) -> None:
    """The west station may neither read nor change the east station's record: it answers
    404, like a record that does not exist (403 only where a record that does not exist
    answers 403 too), and the record and the trace stay as they were."""
    method, url = request.endpoint.method, request.url
    before = snapshot(request.records)
    answers = {}
    if method in (None, "get"):
        answers["GET"] = call(client, request)
    if method != "get":
        answers[(method or "post").upper()] = write(client, request)
    statuses = {name: response.status_code for name, response in answers.items()}
    for name, status in statuses.items():
        if status == 403 and name != "GET":
            statuses[name] = write(client, request.missing()).status_code
    # A page may refuse one method (405): a form's target is POST only, a page GET only.
    assert 404 in statuses.values() and set(statuses.values()) <= {404, 405}, (
        f"{url} as {role}: "
        + ", ".join(f"{name} {answer(response)}" for name, response in answers.items())
        + " for another station's record (one that does not exist answers 404; if the API "
        "refused the body (422) before looking the record up, give one in API_BODIES)"
    )
    assert snapshot(request.records) == before, f"{url} as {role} changed another station's record"


def check_found(client: Client, role: str, request: Request, world: World) -> None:
    """A role whose scope covers every station finds the east station's record: a read
    answers 200, or 403 where ``REFUSED`` says the role may not use the page."""
    endpoint, url = request.endpoint, request.url
    if endpoint.method not in (None, "get"):
        assert call(client, request).status_code < 500
        return
    response = call(client, request)
    if response.status_code == 405 and endpoint.method is None:  # a form's target: POST only
        assert write(client, request).status_code < 500
        return
    rule = REFUSED.get(endpoint.label)
    user = getattr(world.county, ROLES[role])
    expected = 403 if rule == TEAM or (rule and not access.can(user, rule)) else 200
    assert response.status_code == expected, (
        f"{url} as {role}: {answer(response)}; the record is in the role's scope, so "
        f"{expected} was expected (a refusal for want of a capability belongs in REFUSED)"
    )


def check_list(client: Client, role: str, request: Request, world: World) -> None:
    """A list or form answers; the west station never sees the east station's records in it;
    the main lists show them to the bureau-wide roles."""
    endpoint, url = request.endpoint, request.url
    response = call(client, request)
    if endpoint.method is None:
        allowed = {404} if endpoint.label in NOT_FOUND else {200, 302, 403, 405}
    else:
        allowed = {200, 403} if endpoint.method == "get" else set(range(200, 500))
    assert response.status_code in allowed, f"{url} as {role}: {answer(response)}"
    if role in WEST:
        shown = shown_secrets(response, world)
        assert not shown, f"{url} shows the west station's {role} the east station's {shown}"
    elif endpoint.label in MAIN_LISTS:
        name, attribute = MAIN_LISTS[endpoint.label]
        expected = str(getattr(world.east[name], attribute))
        assert response.status_code == 200 and expected in text(response), (
            f"{url} as {role} ({response.status_code}) does not list {expected!r}"
        )


def check_shared(client: Client, role: str, request: Request, world: World) -> None:
    """A record of no station (the policy, a checklist, the bureau's responsibility table):
    anyone in the bureau reads it; no west role holds the capability to change it."""
    before = snapshot(request.records)
    check_list(client, role, request, world)
    if request.endpoint.method is None:
        assert write(client, request).status_code < 500
    assert snapshot(request.records) == before, f"{request.url} as {role} changed it"


def check_admin(client: Client, role: str, request: Request) -> None:
    """The admin site is for staff only: everyone else is sent to its log-in."""
    response = client.get(request.url)
    if role == "admin":
        assert response.status_code < 500
    else:
        assert response.status_code == 302, f"{request.url} as {role}: {response.status_code}"
        assert response["Location"].startswith("/admin/login/")


def check(scene: Scene, role: str, endpoint: Endpoint) -> None:
    for request in requests_for(endpoint, scene.world):
        client = scene.client(role)
        if endpoint.admin:
            check_admin(client, role, request)
        elif request.of_east and role in WEST:
            check_refused(client, role, request)
        elif request.of_east:
            check_found(client, role, request, scene.world)
        elif request.records and role in WEST:
            check_shared(client, role, request, scene.world)
        else:
            check_list(client, role, request, scene.world)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", PAGES, ids=[e.label for e in PAGES])
def test_every_page_keeps_to_the_users_scope(scene: Scene, endpoint: Endpoint, role: str) -> None:
    check(scene, role, endpoint)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", OPERATIONS, ids=[e.label for e in OPERATIONS])
def test_every_api_operation_keeps_to_the_users_scope(
    scene: Scene, endpoint: Endpoint, role: str
) -> None:
    check(scene, role, endpoint)
