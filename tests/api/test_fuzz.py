"""Schemathesis fuzzes every operation of the OpenAPI document (ADR 0015): no answer is a
server error, and every answer is one the document lists, in the shape it gives.

The run is bounded (a few derandomized examples per operation, valid and invalid, no
shrinking: about 25 s of CPU) so that it stays in ``make test`` and in CI on PostgreSQL. It runs against the WSGI application, authenticated
as the administrator by a bearer token, over the records of the generic scoping test; a path
parameter is filled now with one of those records, now with what schemathesis generates.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections, transaction
from django.test import override_settings
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.scoping.params import fill_for
from tests.scoping.world import World, build_world
from xiaoneng.core.tokens import create_token
from xiaoneng.wsgi import application

EXAMPLES = 4

CONFIG = SchemathesisConfig.from_dict(
    {
        "generation": {
            "mode": "all",
            "max-examples": EXAMPLES,
            "deterministic": True,
            "no-shrink": True,
            "database": "none",
        },
        # The coverage phase (every boundary value of every parameter) doubles the run; the
        # boundaries of the list parameters are checked in test_parameters.py instead.
        "phases": {"coverage": {"enabled": False}},
    }
)
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, config=CONFIG)

# The world of the running test, read by the path hook (filled by the fixture below).
WORLD: dict[str, World] = {}


@schema.hook
def map_path_parameters(context: Any, path_parameters: dict[str, Any]) -> dict[str, Any]:
    """Every other case names the world's records, so that operations on a record run past
    the lookup; the rest keep what schemathesis generated (mostly: not found)."""
    world = WORLD.get("world")
    if world is None or not path_parameters:
        return path_parameters
    coin = hashlib.sha256(repr(sorted(path_parameters.items())).encode()).digest()[0]
    if coin % 2:
        return path_parameters
    label = f"{context.operation.method.upper()} {context.operation.path}"
    mapped = dict(path_parameters)
    for name in path_parameters:
        fill = fill_for(label, name) or fill_for(context.operation.path, name)
        if fill is None:
            continue
        found = fill(world, context.operation.path)
        mapped[name] = (found[0] if isinstance(found, list) else found).value
    return mapped


@pytest.fixture(scope="module")
def bearer(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The world and the administrator's token, written once in a transaction rolled back at
    the end of the module. The WSGI handler would close the connection at the end of each
    request (and with it the transaction); the test client does not, and neither does this."""
    media = tmp_path_factory.mktemp("media")
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        with (
            django_db_blocker.unblock(),
            override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=hashers),
            transaction.atomic(),
        ):
            world = build_world()
            WORLD["world"] = world
            _, key = create_token(user=world.county.admin, name="fuzz")
            yield key
            WORLD.clear()
            transaction.set_rollback(True)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_no_operation_answers_a_server_error(case: Any, bearer: str) -> None:
    response = case.call(headers={"Authorization": f"Bearer {bearer}"})
    case.validate_response(
        response,
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
    )
