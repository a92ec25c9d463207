"""API of ad notices and confiscations: /ad-notices, /ad-confiscations, scoped."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Query, Router, Schema
from pydantic import Field

from xiaoneng.ads.notices.models import AdNotice, Confiscation
from xiaoneng.ads.notices.views import confiscations_for, notices_for
from xiaoneng.core.api_paging import OneOf, Paging, paged
from xiaoneng.core.scoping import get_scoped
from xiaoneng.org.requests import OfficerRequest

router = Router(tags=["ads"])


class AdNoticeOut(Schema):
    id: int
    kind: str
    number: str
    entity: str | None = Field(description="USCC")
    party: str
    ad: int | None = Field(description="monitored ad id")
    issued_on: dt.date
    deadline: dt.date
    status: str
    outcome_on: dt.date | None
    unit: str

    @staticmethod
    def resolve_entity(obj: AdNotice) -> str | None:
        return obj.entity.uscc if obj.entity else None

    @staticmethod
    def resolve_ad(obj: AdNotice) -> int | None:
        return obj.ad_id

    @staticmethod
    def resolve_unit(obj: AdNotice) -> str:
        return obj.unit.code


class AdNoticeDetail(AdNoticeOut):
    content: str
    outcome_note: str


class AdNoticePage(Schema):
    count: int
    count_exact: bool
    page: int
    page_size: int
    items: list[AdNoticeOut]


class AdNoticeFilter(Paging):
    kind: Annotated[str, OneOf(AdNotice.Kind.values)] = ""
    status: Annotated[str, OneOf(AdNotice.Status.values)] = ""


class ConfiscationOut(Schema):
    id: int
    entity: str | None = Field(description="USCC")
    party: str
    seized_on: dt.date
    description: str
    quantity: int
    notice: str | None = Field(description="notice number")
    unit: str

    @staticmethod
    def resolve_entity(obj: Confiscation) -> str | None:
        return obj.entity.uscc if obj.entity else None

    @staticmethod
    def resolve_notice(obj: Confiscation) -> str | None:
        return obj.notice.number if obj.notice else None

    @staticmethod
    def resolve_unit(obj: Confiscation) -> str:
        return obj.unit.code


class ConfiscationPage(Schema):
    count: int
    count_exact: bool
    page: int
    page_size: int
    items: list[ConfiscationOut]


@router.get("/ad-notices", response=AdNoticePage, summary="Ad notices (警示、责令改正、停止发布)")
def list_notices(request: OfficerRequest, filters: Query[AdNoticeFilter]) -> dict[str, Any]:
    rows = notices_for(request.user)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.status:
        rows = rows.filter(status=filters.status)
    return paged(rows.order_by("-issued_on", "-id"), filters)


@router.get("/ad-notices/{int:notice_id}", response=AdNoticeDetail, summary="One ad notice")
def get_notice(request: OfficerRequest, notice_id: int) -> AdNotice:
    return get_scoped(notices_for(request.user), request.user, pk=notice_id)


@router.get(
    "/ad-confiscations",
    response=ConfiscationPage,
    summary="Confiscated illegal printed matter (违法印刷品)",
)
def list_confiscations(request: OfficerRequest, filters: Query[Paging]) -> dict[str, Any]:
    return paged(confiscations_for(request.user).order_by("-seized_on", "-id"), filters)
