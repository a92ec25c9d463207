"""API of pre-publication filings: /ad-filings, scoped."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Query, Router, Schema
from pydantic import Field

from xiaoneng.ads.filings.models import Filing, FilingKind
from xiaoneng.ads.filings.views import filings_for
from xiaoneng.core.api_paging import OneOf, Paging, paged
from xiaoneng.core.scoping import get_scoped
from xiaoneng.org.requests import OfficerRequest

router = Router(tags=["ads"])


class FilingHitOut(Schema):
    rule: str
    category: str
    law: str
    severity: str = ""
    match: str
    start: int
    end: int


class FilingOut(Schema):
    id: int
    number: str
    advertiser: str = Field(description="USCC")
    kind: str
    title: str
    medium: str
    approval_number: str
    approval_expires_on: dt.date | None
    submitted_on: dt.date
    status: str
    decided_on: dt.date | None
    library_version: int
    hit_count: int

    @staticmethod
    def resolve_advertiser(obj: Filing) -> str:
        return obj.advertiser.uscc

    @staticmethod
    def resolve_hit_count(obj: Filing) -> int:
        return len(obj.hits)


class FilingDetail(FilingOut):
    text: str
    reason: str
    hits: list[FilingHitOut]


class FilingPage(Schema):
    count: int
    count_exact: bool
    page: int
    page_size: int
    items: list[FilingOut]


class FilingFilter(Paging):
    kind: Annotated[str, OneOf(FilingKind.values)] = ""
    status: Annotated[str, OneOf(Filing.Status.values)] = ""


@router.get("/ad-filings", response=FilingPage, summary="Pre-publication ad filings (发布前备案)")
def list_filings(request: OfficerRequest, filters: Query[FilingFilter]) -> dict[str, Any]:
    rows = filings_for(request.user)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.status:
        rows = rows.filter(status=filters.status)
    return paged(rows.order_by("-submitted_on", "-id"), filters)


@router.get(
    "/ad-filings/{int:filing_id}", response=FilingDetail, summary="One filing with its hits"
)
def get_filing(request: OfficerRequest, filing_id: int) -> Filing:
    return get_scoped(filings_for(request.user), request.user, pk=filing_id)
