"""API of campaigns (专项整治): /api/v1/campaigns, scoped to the user's units."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.db.models import QuerySet
from ninja import Query, Router, Schema, Status
from pydantic import Field

from xiaoneng.core.api_paging import Paging, paged
from xiaoneng.core.scoping import get_scoped, scoped
from xiaoneng.org.requests import OfficerRequest
from xiaoneng.planning.campaigns import services as campaigns
from xiaoneng.planning.campaigns.risk_share import risk_share_used
from xiaoneng.planning.patrol.models import Campaign

router = Router(tags=["plans"])


class CampaignOut(Schema):
    id: int
    title: str
    theme: str
    checkpoints: str
    partners: str
    unit: str
    start_on: dt.date
    end_on: dt.date
    population: dict[str, Any]
    plan_id: int
    status: str
    risk_share: float | None = Field(
        None, description="按风险抽取比例 (%): the highest-risk share taken; null: not targeted"
    )
    risk_model_version: int | None = Field(None, description="the risk model version used")

    @staticmethod
    def resolve_unit(obj: Campaign) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_risk_share(obj: Campaign) -> float | None:
        used = risk_share_used(obj)
        return used["share"] if used else None

    @staticmethod
    def resolve_risk_model_version(obj: Campaign) -> int | None:
        used = risk_share_used(obj)
        return used["model_version"] if used else None

    @staticmethod
    def resolve_status(obj: Campaign) -> str:
        return campaigns.status(obj)


class CampaignPage(Schema):
    count: int
    count_exact: bool
    page: int
    page_size: int
    items: list[CampaignOut]


class AmountOut(Schema):
    quantity: int
    measure: str = Field(description="计量单位: 件, 份, 千克…")


class StatisticsOut(Schema):
    tasks: int
    checked: int = Field(description="entities checked (tasks done)")
    violations: int
    notices: int
    confiscated: list[AmountOut] = Field(
        description="items confiscated: quantities summed per measure, largest first"
    )
    planned: int
    late: int
    overflow: int
    cancelled: int
    progress: int


class CampaignDetail(CampaignOut):
    description: str
    statistics: StatisticsOut


class CampaignIn(Schema):
    title: str
    theme: str = Field(description="industry / area / theme / list")
    checkpoints: str = Field(description="检查要点 (定标准)")
    start_on: dt.date
    end_on: dt.date
    description: str = ""
    partners: str = ""
    unit: str | None = Field(None, description="leading unit code (default: the user's)")
    filters: dict[str, Any] | None = Field(
        None, description="q, grid, industry, risk_class, credit_grade, unit, hot_industry"
    )
    usccs: list[str] | None = None
    capacity: int | str | None = None
    risk_share: int | float | str | None = Field(
        None,
        description="按风险抽取比例: a percentage above 0 and at most 100; given, only the "
        "highest-risk share of the population (by the risk model's score) is taken",
    )


def _campaigns(request: OfficerRequest) -> QuerySet[Campaign]:
    return scoped(Campaign.objects.select_related("unit"), request.user)


@router.get("/campaigns", response=CampaignPage, summary="Campaigns of the user's units")
def list_campaigns(request: OfficerRequest, paging: Query[Paging]) -> dict[str, Any]:
    return paged(_campaigns(request).order_by("-start_on", "-id"), paging)


def _detail(campaign: Any) -> Campaign:
    stats = campaigns.statistics(campaign)
    values = {f.name: getattr(stats, f.name) for f in dataclasses.fields(stats)}
    campaign.statistics = values | {"progress": stats.progress}
    return campaign


@router.get("/campaigns/{int:campaign_id}", response=CampaignDetail, summary="A campaign's figures")
def get_campaign(request: OfficerRequest, campaign_id: int) -> Campaign:
    return _detail(get_scoped(_campaigns(request), request.user, pk=campaign_id))


@router.post("/campaigns", response={201: CampaignDetail}, summary="Start a campaign")
def create_campaign(request: OfficerRequest, payload: CampaignIn) -> Status[Campaign]:
    data = campaigns.CampaignInput(
        title=payload.title,
        theme=payload.theme,
        checkpoints=payload.checkpoints,
        start_on=payload.start_on,
        end_on=payload.end_on,
        description=payload.description,
        partners=payload.partners,
        unit_code=payload.unit,
        filters=payload.filters,
        usccs=payload.usccs,
        capacity=payload.capacity,
        risk_share=payload.risk_share,
    )
    campaign = campaigns.create_campaign(data=data, actor=request.user)
    return Status(201, _detail(campaign))
