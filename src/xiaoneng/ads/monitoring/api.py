"""API of monitored ads: /monitored-ads, scoped; a confirmed violation ordered rectified."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.db.models import Count
from ninja import Query, Router, Schema, Status
from pydantic import Field

from xiaoneng.ads.common import AD_KINDS
from xiaoneng.ads.monitoring import findings
from xiaoneng.ads.monitoring.models import AdHit, MonitoredAd
from xiaoneng.ads.monitoring.views import ads_for
from xiaoneng.ads.operators.models import Medium
from xiaoneng.core.api_paging import OneOf, Paging, paged
from xiaoneng.core.scoping import get_scoped
from xiaoneng.org.requests import OfficerRequest

router = Router(tags=["ads"])


class AdHitOut(Schema):
    id: int
    rule: str
    category: str
    law: str
    severity: str
    match: str
    start: int
    end: int
    decision: str
    decided_by: str | None
    decided_at: dt.datetime | None
    note: str

    @staticmethod
    def resolve_decided_by(obj: AdHit) -> str | None:
        return obj.decided_by.get_username() if obj.decided_by else None


class MonitoredAdOut(Schema):
    id: int
    medium: str
    outlet: str
    advertiser: str | None = Field(description="USCC of a local advertiser")
    advertiser_name: str
    kind: str
    captured_at: dt.datetime
    review: str
    library_version: int
    case: str | None = Field(description="case number")
    finding_id: int | None = Field(description="the finding (GET /findings/{id}) when ordered")
    rectification: str | None = Field(description="number of the rectification order (责令改正)")
    rectification_id: int | None = Field(description="GET /rectifications/{id}")
    unit: str

    @staticmethod
    def resolve_advertiser(obj: MonitoredAd) -> str | None:
        return obj.advertiser.uscc if obj.advertiser else None

    @staticmethod
    def resolve_case(obj: MonitoredAd) -> str | None:
        return obj.case.number if obj.case else None

    @staticmethod
    def resolve_rectification(obj: MonitoredAd) -> str | None:
        order = obj.finding.rectification if obj.finding else None
        return order.number if order else None

    @staticmethod
    def resolve_rectification_id(obj: MonitoredAd) -> int | None:
        return obj.finding.rectification_id if obj.finding else None

    @staticmethod
    def resolve_unit(obj: MonitoredAd) -> str:
        return obj.unit.code


class MonitoredAdDetail(MonitoredAdOut):
    text: str
    hits: list[AdHitOut]

    @staticmethod
    def resolve_hits(obj: MonitoredAd) -> list[AdHit]:
        return list(obj.hits.select_related("decided_by"))


class MonitoredAdPage(Schema):
    count: int
    count_exact: bool
    page: int
    page_size: int
    items: list[MonitoredAdOut]


class MonitoredAdFilter(Paging):
    medium: Annotated[str, OneOf(Medium.values)] = ""
    review: Annotated[str, OneOf(MonitoredAd.Review.values)] = ""
    kind: Annotated[str, OneOf(list(AD_KINDS))] = ""


@router.get("/monitored-ads", response=MonitoredAdPage, summary="Monitored ads (广告监测)")
def list_ads(request: OfficerRequest, filters: Query[MonitoredAdFilter]) -> dict[str, Any]:
    rows = ads_for(request.user).annotate(hit_count=Count("hits"))
    for name in ("medium", "review", "kind"):
        if getattr(filters, name):
            rows = rows.filter(**{name: getattr(filters, name)})
    return paged(rows.order_by("-captured_at", "-id"), filters)


@router.get(
    "/monitored-ads/{int:ad_id}",
    response=MonitoredAdDetail,
    summary="One monitored ad with its hits and their decisions",
)
def get_ad(request: OfficerRequest, ad_id: int) -> MonitoredAd:
    return get_scoped(ads_for(request.user), request.user, pk=ad_id)


class MonitoredAdRectifyIn(Schema):
    working_days: int | None = Field(None, description="1–60 working days (or deadline)")
    deadline: dt.date | None = Field(
        None, description="YYYY-MM-DD after the day of issue (or working_days)"
    )
    description: str | None = Field(
        None, description="the finding; default: the confirmed wording and their laws"
    )
    requirements: str | None = Field(None, description="default: stop, correct and report")


@router.post(
    "/monitored-ads/{int:ad_id}/rectification",
    response={201: MonitoredAdDetail},
    summary="Order the local advertiser of a confirmed violation to rectify it (责令改正)",
)
def rectify_ad(
    request: OfficerRequest, ad_id: int, payload: MonitoredAdRectifyIn
) -> Status[MonitoredAd]:
    ad = get_scoped(ads_for(request.user), request.user, pk=ad_id)
    findings.order_rectification(
        ad=ad,
        actor=request.user,
        working_days=payload.working_days,
        deadline=payload.deadline,
        description=payload.description,
        requirements=payload.requirements,
    )
    return Status(201, ad)
