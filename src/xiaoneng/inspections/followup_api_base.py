"""What the follow-up API modules (``followup_api``, ``exit_api``, ``credit_api``) share:
paging of lists, the outcome of a closing action, an entity by its USCC, operation ids."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Schema
from pydantic import Field

from xiaoneng.core.paging import capped_count, first_page_and_count
from xiaoneng.core.scoping import get_scoped
from xiaoneng.registry.models import Entity


class Paging(Schema):
    page: int = Field(1, ge=1)
    page_size: int = Field(settings.PAGE_SIZE, ge=1, le=settings.API_MAX_PAGE_SIZE)


def paged(queryset: QuerySet[Any], paging: Paging) -> dict[str, Any]:
    if paging.page == 1:
        items, count, exact = first_page_and_count(queryset, paging.page_size)
    else:
        start = (paging.page - 1) * paging.page_size
        items = list(queryset[start : start + paging.page_size])
        count, exact = capped_count(queryset)
    return {
        "count": count,
        "count_exact": exact,
        "page": paging.page,
        "page_size": paging.page_size,
        "items": items,
    }


def scoped_entity(request: HttpRequest, uscc: str) -> Entity:
    """The entity of ``uscc`` in the user's scope (404 otherwise)."""
    return get_scoped(Entity.objects.all(), request.user, uscc=uscc.strip().upper())


class OutcomeIn(Schema):
    outcome: str


def operation_id(name: str) -> str:
    """The OpenAPI operation id of handler ``name``, as it was when every follow-up handler
    lived in ``followup_api``: clients generated from /api/v1/openapi.json call it so."""
    return f"xiaoneng_inspections_followup_api_{name}"
