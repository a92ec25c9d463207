"""Paging of API lists: one query schema and one answer shape for every endpoint.

The first page and its (capped) count come from one query where possible
(``core.paging.first_page_and_count``); later pages count separately.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from ninja import Field, Schema

from xiaoneng.core.paging import capped_count, first_page_and_count


class Paging(Schema):
    """``?page=&page_size=`` of a list endpoint (page size capped by the settings)."""

    page: int = Field(1, ge=1)
    page_size: int = Field(settings.PAGE_SIZE, ge=1, le=settings.API_MAX_PAGE_SIZE)


def paged(queryset: QuerySet[Any], paging: Paging) -> dict[str, Any]:
    """The page of ``queryset`` that ``paging`` asks for, with the count and whether exact."""
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
