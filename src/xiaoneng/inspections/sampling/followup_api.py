"""API of the follow-up of failed spot-check batches (不合格后处理, 篇4) under
/api/v1/sampling/follow-ups: rectification, re-inspection, closing; scoped to the user."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.db.models import QuerySet
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from xiaoneng.core.api_paging import Paging, paged
from xiaoneng.core.scoping import get_scoped
from xiaoneng.inspections.sampling import followup as sampling_followup
from xiaoneng.inspections.sampling.models import SampleFollowUp
from xiaoneng.org.requests import OfficerRequest

router = Router(tags=["sampling"])


class FollowUpOut(Schema):
    id: int
    sample_id: int
    firm_name: str
    product: str
    batch_number: str
    failed_items: str
    unit: str
    status: str = Field(description="open / rectifying / reinspected / closed / escalated")
    overdue: bool
    deadline: dt.date | None
    ordered_on: dt.date | None
    reinspection_due: dt.date | None
    actions: str
    reinspected_on: dt.date | None
    reinspection_passed: bool | None
    reinspection_note: str
    closed_on: dt.date | None
    closing_note: str
    escalate_url: str

    @staticmethod
    def resolve_firm_name(obj: SampleFollowUp) -> str:
        return obj.sample.firm_name

    @staticmethod
    def resolve_product(obj: SampleFollowUp) -> str:
        return obj.sample.product

    @staticmethod
    def resolve_batch_number(obj: SampleFollowUp) -> str:
        return obj.sample.batch_number

    @staticmethod
    def resolve_failed_items(obj: SampleFollowUp) -> str:
        return obj.sample.failed_items

    @staticmethod
    def resolve_unit(obj: SampleFollowUp) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_overdue(obj: SampleFollowUp) -> bool:
        today = timezone.localdate()
        return sampling_followup.overdue(SampleFollowUp.objects.filter(pk=obj.pk), today).exists()

    @staticmethod
    def resolve_reinspection_due(obj: SampleFollowUp) -> dt.date | None:
        return sampling_followup.reinspection_due(obj)

    @staticmethod
    def resolve_escalate_url(obj: SampleFollowUp) -> str:
        return sampling_followup.escalate_url(obj)


class FollowUpPage(Schema):
    count: int
    count_exact: bool
    page: int
    page_size: int
    items: list[FollowUpOut]


class FollowUpFilter(Paging):
    state: Literal["open", "overdue", "closed", "all"] = "open"


class RectifyIn(Schema):
    actions: str = Field(description="处理措施")
    deadline: dt.date | None = Field(None, description="no later than 60 days after the order")
    ordered_on: dt.date | None = Field(None, description="责令整改日期 (default today)")


class ReinspectIn(Schema):
    passed: bool
    reinspected_on: dt.date | None = None
    note: str = ""


class FollowUpCloseIn(Schema):
    note: str = ""


def _follow_ups(request: OfficerRequest) -> QuerySet[SampleFollowUp]:
    return sampling_followup.visible_follow_ups(request.user).select_related("sample", "unit")


def _follow_up(request: OfficerRequest, follow_up_id: int) -> SampleFollowUp:
    return get_scoped(_follow_ups(request), request.user, pk=follow_up_id)


@router.get("/sampling/follow-ups", response=FollowUpPage, summary="Follow-ups of failed batches")
def list_follow_ups(request: OfficerRequest, filters: Query[FollowUpFilter]) -> dict[str, Any]:
    rows = _follow_ups(request)
    if filters.state == "open":
        rows = rows.filter(status__in=sampling_followup.OPEN_STATES)
    elif filters.state == "overdue":
        rows = sampling_followup.overdue(rows, timezone.localdate())
    elif filters.state == "closed":
        rows = rows.filter(status__in=sampling_followup.DONE_STATES)
    return paged(rows.order_by("deadline", "id"), filters)


@router.get(
    "/sampling/follow-ups/{int:follow_up_id}", response=FollowUpOut, summary="One follow-up"
)
def get_follow_up(request: OfficerRequest, follow_up_id: int) -> SampleFollowUp:
    return _follow_up(request, follow_up_id)


@router.post(
    "/sampling/follow-ups/{int:follow_up_id}/rectify",
    response=FollowUpOut,
    summary="Order the firm to rectify (责令整改)",
)
def rectify(request: OfficerRequest, follow_up_id: int, payload: RectifyIn) -> SampleFollowUp:
    follow_up = _follow_up(request, follow_up_id)
    return sampling_followup.start_rectifying(
        follow_up=follow_up, actor=request.user, **payload.dict()
    )


@router.post(
    "/sampling/follow-ups/{int:follow_up_id}/reinspect",
    response=FollowUpOut,
    summary="Record the re-inspection (复查)",
)
def reinspect(request: OfficerRequest, follow_up_id: int, payload: ReinspectIn) -> SampleFollowUp:
    follow_up = _follow_up(request, follow_up_id)
    return sampling_followup.record_reinspection(
        follow_up=follow_up, actor=request.user, **payload.dict()
    )


@router.post(
    "/sampling/follow-ups/{int:follow_up_id}/close",
    response=FollowUpOut,
    summary="Close the follow-up (办结)",
)
def close(request: OfficerRequest, follow_up_id: int, payload: FollowUpCloseIn) -> SampleFollowUp:
    follow_up = _follow_up(request, follow_up_id)
    return sampling_followup.close_follow_up(
        follow_up=follow_up, actor=request.user, note=payload.note
    )
