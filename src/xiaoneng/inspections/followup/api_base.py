"""What the follow-up API modules (``followup_api``, ``exit_api``, ``credit_api``) share:
the outcome of a closing action, an entity by its USCC, operation ids."""

from __future__ import annotations

from ninja import Schema

from xiaoneng.core.scoping import get_scoped
from xiaoneng.org.requests import OfficerRequest
from xiaoneng.registry.models import Entity


def scoped_entity(request: OfficerRequest, uscc: str) -> Entity:
    """The entity of ``uscc`` in the user's scope (404 otherwise)."""
    return get_scoped(Entity.objects.all(), request.user, uscc=uscc.strip().upper())


class OutcomeIn(Schema):
    outcome: str


def operation_id(name: str) -> str:
    """The OpenAPI operation id of handler ``name``, as it was when every follow-up handler
    lived in ``followup_api``: clients generated from /api/v1/openapi.json call it so."""
    return f"xiaoneng_inspections_followup_api_{name}"
