"""Paging and query parameters of API lists: one query schema, one answer shape, and the bounds
every query parameter is checked against before a handler runs.

The first page and its (capped) count come from one query where possible
(``core.paging.first_page_and_count``); later pages count separately. A parameter out of its
bounds, or a filter value the list does not know, answers 422 naming the field (ADR 0015).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Annotated, Any

from django.conf import settings
from django.db.models import QuerySet
from ninja import Field, Schema
from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from xiaoneng.core.paging import MAX_PAGE, capped_count, first_page_and_count
from xiaoneng.core.params import FIRST_DAY, LAST_DAY, MAX_YEAR, MIN_YEAR


class OneOf:
    """A string parameter that accepts only ``values`` (and the empty string: no filter).

    ``status: Annotated[str, OneOf(Case.Status.values)] = ""`` refuses ``?status=bogus`` with
    422 naming the field, as ``Literal`` does, while reading the values from the model's
    choices; the OpenAPI document lists them as the parameter's ``enum``.
    """

    def __init__(self, values: Iterable[str]) -> None:
        self.values = tuple(str(v) for v in values)

    def check(self, value: Any) -> Any:
        if value in (None, "") or value in self.values:
            return value
        raise PydanticCustomError(
            "unknown_choice", "未知的取值，可选：{allowed}", {"allowed": "、".join(self.values)}
        )

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(self.check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        target = json_schema
        for option in json_schema.get("anyOf", ()):  # ``str | None``: the string branch
            if option.get("type") == "string":
                target = option
        target["enum"] = ["", *self.values]
        return json_schema


# A year or a day given as a query parameter: outside these bounds it names no record.
Year = Annotated[int, Field(ge=MIN_YEAR, le=MAX_YEAR)]
Day = Annotated[dt.date, Field(ge=FIRST_DAY, le=LAST_DAY)]
# A record's id given as a filter: beyond the database's 64-bit keys it names no record.
MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
# A month as a period names it (YYYY-MM), or empty: every month.
Month = Annotated[str, Field(pattern=r"^((19|20)\d{2}-(0[1-9]|1[0-2]))?$", description="YYYY-MM")]


class Paging(Schema):
    """``?page=&page_size=`` of a list endpoint (page size capped by the settings)."""

    page: int = Field(1, ge=1, le=MAX_PAGE)
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
