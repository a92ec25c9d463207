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

The package ``tests/scoping/`` says what is requested: ``world.py`` builds the records,
``params.py`` fills each parameter with one of them (a parameter it cannot fill fails the test
with what to register), ``expected.py`` lists the refusals and main lists. The records are built
once per module (per xdist worker).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings

from tests.scoping.calls import (
    Request,
    answer,
    call,
    requests_for,
    shown_secrets,
    snapshot,
    text,
    write,
)
from tests.scoping.endpoints import Endpoint, api_endpoints, page_endpoints
from tests.scoping.expected import MAIN_LISTS, NOT_FOUND, REFUSED, TEAM
from tests.scoping.world import World, build_world
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
        "refused the body (422) before looking the record up, give one in API_BODIES in "
        "tests/scoping/params.py)"
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
        f"{expected} was expected (a refusal for want of a capability belongs in REFUSED in "
        "tests/scoping/expected.py)"
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
