"""API of supervision items (督办): /supervision-items, scoped to the user's units."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from xiaoneng.core.api_paging import OneOf, Paging, paged
from xiaoneng.core.errors import InvalidInput
from xiaoneng.core.scoping import get_scoped, scoped
from xiaoneng.inspections.models import Inspection
from xiaoneng.org.models import Unit
from xiaoneng.org.requests import OfficerRequest
from xiaoneng.oversight.supervision import services as supervision
from xiaoneng.oversight.supervision.models import SupervisionItem
from xiaoneng.registry.models import Entity

router = Router(tags=["oversight"])


class StepOut(Schema):
    at: dt.datetime
    actor: str
    action: str
    text: str


class SupervisionOut(Schema):
    id: int
    title: str
    description: str
    issued_by_unit: str
    issued_by: str
    unit: str
    entity: str | None = Field(description="USCC")
    inspection_id: int | None
    issued_on: dt.date
    deadline: dt.date
    status: str
    overdue: bool
    response: str
    responded_at: dt.datetime | None
    closed_on: dt.date | None

    @staticmethod
    def resolve_issued_by_unit(obj: SupervisionItem) -> str:
        return obj.issued_by_unit.code

    @staticmethod
    def resolve_issued_by(obj: SupervisionItem) -> str:
        return obj.issued_by.get_username()

    @staticmethod
    def resolve_unit(obj: SupervisionItem) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_entity(obj: SupervisionItem) -> str | None:
        return obj.entity.uscc if obj.entity else None

    @staticmethod
    def resolve_overdue(obj: SupervisionItem) -> bool:
        return supervision.is_overdue(obj)


class SupervisionDetail(SupervisionOut):
    exchange: list[StepOut]

    @staticmethod
    def resolve_exchange(obj: SupervisionItem) -> list[supervision.Step]:
        return supervision.exchange(obj)


class SupervisionPage(Schema):
    count: int
    count_exact: bool
    page: int
    page_size: int
    items: list[SupervisionOut]


class SupervisionFilter(Paging):
    status: Annotated[str, OneOf([*SupervisionItem.Status.values, "overdue"])] = ""
    unit: str = Field("", description="station code")


def _items(request: OfficerRequest) -> QuerySet[SupervisionItem]:
    return scoped(
        SupervisionItem.objects.select_related("unit", "issued_by_unit", "issued_by", "entity"),
        request.user,
    )


@router.get("/supervision-items", response=SupervisionPage, summary="Supervision items (督办)")
def list_items(request: OfficerRequest, filters: Query[SupervisionFilter]) -> dict[str, Any]:
    items = _items(request)
    if filters.unit:
        items = items.filter(unit__code=filters.unit)
    if filters.status == "overdue":
        items = supervision.overdue(items, timezone.localdate())
    elif filters.status:
        items = items.filter(status=filters.status)
    return paged(items.order_by("deadline", "id"), filters)


class SupervisionIssueIn(Schema):
    unit: str = Field(description="station code")
    title: str
    description: str
    deadline: dt.date | None = Field(None, description="after today")
    entity: str | None = Field(None, description="USCC of the entity concerned")
    inspection: int | None = Field(None, description="id of the inspection concerned")


@router.post(
    "/supervision-items",
    response={201: SupervisionDetail},
    summary="Put a matter to a station with a deadline",
)
def issue(request: OfficerRequest, payload: SupervisionIssueIn) -> Status[SupervisionItem]:
    station = get_scoped(Unit.objects.all(), request.user, code=payload.unit)
    entity = inspection = None
    if payload.entity:
        entity = scoped(Entity.objects.all(), request.user).filter(uscc=payload.entity).first()
        if entity is None:
            raise InvalidInput.single(
                "entity", _("未找到该统一社会信用代码的主体：%(v)s") % {"v": payload.entity}
            )
    if payload.inspection is not None:
        inspection = (
            scoped(Inspection.objects.all(), request.user).filter(pk=payload.inspection).first()
        )
        if inspection is None:
            raise InvalidInput.single(
                "inspection", _("未找到该检查记录：%(v)s") % {"v": payload.inspection}
            )
    item = supervision.issue_supervision(
        actor=request.user,
        unit=station,
        title=payload.title,
        description=payload.description,
        deadline=payload.deadline,
        entity=entity,
        inspection=inspection,
    )
    return Status(201, item)


@router.get(
    "/supervision-items/{int:item_id}",
    response=SupervisionDetail,
    summary="One item with its exchange",
)
def get_item(request: OfficerRequest, item_id: int) -> SupervisionItem:
    return get_scoped(_items(request), request.user, pk=item_id)


class AnswerIn(Schema):
    response: str


@router.post(
    "/supervision-items/{int:item_id}/answer",
    response=SupervisionDetail,
    summary="The station director's answer",
)
def answer(request: OfficerRequest, item_id: int, payload: AnswerIn) -> SupervisionItem:
    item = get_scoped(_items(request), request.user, pk=item_id)
    return supervision.answer_supervision(item=item, actor=request.user, response=payload.response)


class SupervisionCloseIn(Schema):
    accepted: bool = Field(description="true: closed; false: returned to be done again")
    note: str = ""


@router.post(
    "/supervision-items/{int:item_id}/close",
    response=SupervisionDetail,
    summary="The issuer closes the item or returns it (note required)",
)
def close(request: OfficerRequest, item_id: int, payload: SupervisionCloseIn) -> SupervisionItem:
    item = get_scoped(_items(request), request.user, pk=item_id)
    return supervision.close_supervision(
        item=item, actor=request.user, accepted=payload.accepted, note=payload.note
    )
