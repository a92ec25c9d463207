"""Writes of the service-case API (办件): receiving an application (收件) and the steps of a case,
through the same services as the pages, which check the capability, the scope and every rule.
A case outside the user's scope answers 404 before anything is checked. ``api`` imports this
module last: the operations join its router (a path's reads and writes must share one)."""

from __future__ import annotations

from typing import Any, Literal

from django.utils.translation import gettext as _
from ninja import Schema, Status
from pydantic import Field

from xiaoneng.core.api_paging import Day
from xiaoneng.core.errors import InvalidInput
from xiaoneng.core.scoping import scoped
from xiaoneng.org.models import Officer, Unit
from xiaoneng.org.requests import OfficerRequest
from xiaoneng.registry.models import Entity
from xiaoneng.timeliness.permits import handover, suspensions
from xiaoneng.timeliness.permits import services as permits
from xiaoneng.timeliness.permits.api import ServiceCaseDetail, case_of, router
from xiaoneng.timeliness.permits.models import ServiceCase, ServiceItem


class ServiceCaseIn(Schema):
    item: str = Field(description="item code")
    applicant: str
    applicant_phone: str = ""
    entity: str | None = Field(None, description="USCC of the entity concerned")
    unit: str | None = Field(None, description="station code (default: the user's station)")
    received_on: Day | None = Field(None, description="default today")
    note: str = ""


@router.post(
    "/service-cases", response={201: ServiceCaseDetail}, summary="收件: receive an application"
)
def receive(request: OfficerRequest, payload: ServiceCaseIn) -> Status[Any]:
    item = ServiceItem.objects.filter(code=payload.item).first()
    if item is None:
        raise InvalidInput.single("item", _("未找到该服务事项：%(v)s") % {"v": payload.item})
    unit = None
    if payload.unit:
        unit = scoped(Unit.objects.all(), request.user).filter(code=payload.unit).first()
        if unit is None:
            raise InvalidInput.single("unit", _("请选择办理所"))
    entity = None
    if payload.entity:
        entity = scoped(Entity.objects.all(), request.user).filter(uscc=payload.entity).first()
        if entity is None:
            raise InvalidInput.single(
                "entity", _("未找到该统一社会信用代码的主体：%(v)s") % {"v": payload.entity}
            )
    case = permits.receive_case(
        actor=request.user,
        item=item,
        applicant=payload.applicant,
        applicant_phone=payload.applicant_phone,
        entity=entity,
        unit=unit,
        received_on=payload.received_on,
        note=payload.note,
    )
    return Status(201, case_of(request, case.pk))


Action = Literal[
    "accept",
    "reject",
    "review",
    "approve",
    "complete",
    "withdraw",
    "hand_on",
    "notice",
    "materials",
    "suspend",
    "resume",
]


class ServiceCaseActionIn(Schema):
    on: Day | None = Field(None, description="the day of the step (hand_on: not used)")
    opinion: str = ""
    reason: str = Field("", description="reject, withdraw, hand_on: required; suspend: the reason")
    outcome: str = Field("", description="complete: granted or refused")
    officer: str = Field("", description="hand_on: user name of the officer taking over")
    materials: list[str] = Field(default_factory=list, description="notice: every missing item")
    note: str = Field("", description="suspend: what is awaited")


def _step(
    request: OfficerRequest, case: ServiceCase, action: str, data: ServiceCaseActionIn
) -> None:
    user, on = request.user, data.on
    if action == "accept":
        permits.accept_case(case=case, actor=user, on=on, opinion=data.opinion)
    elif action == "reject":
        permits.reject_case(case=case, actor=user, on=on, reason=data.reason)
    elif action == "review":
        permits.review_case(case=case, actor=user, on=on, opinion=data.opinion)
    elif action == "approve":
        permits.approve_case(case=case, actor=user, on=on, opinion=data.opinion)
    elif action == "complete":
        permits.complete_case(
            case=case, actor=user, on=on, outcome=data.outcome, opinion=data.opinion
        )
    elif action == "withdraw":
        permits.withdraw_case(case=case, actor=user, on=on, reason=data.reason)
    elif action == "hand_on":
        officer = None
        if data.officer:
            officers = scoped(Officer.objects.filter(is_active=True), user)
            officer = officers.filter(username=data.officer).first()
            if officer is None:
                raise InvalidInput.single("officer", _("未找到该人员：%(v)s") % {"v": data.officer})
        handover.hand_on_case(case=case, actor=user, officer=officer, reason=data.reason)
    elif action == "notice":
        suspensions.issue_notice(case=case, actor=user, materials=data.materials, on=on)
    elif action == "materials":
        suspensions.materials_received(case=case, actor=user, on=on)
    elif action == "suspend":
        suspensions.suspend_case(case=case, actor=user, reason=data.reason, note=data.note, on=on)
    else:
        suspensions.resume_case(case=case, actor=user, on=on)


@router.post(
    "/service-cases/{int:service_case_id}/{action}",
    response=ServiceCaseDetail,
    summary="A step of a case: accept, reject, review, approve, complete, withdraw, hand_on, "
    "notice (一次性告知), materials (补正到位), suspend, resume",
)
def case_action(
    request: OfficerRequest, service_case_id: int, action: Action, payload: ServiceCaseActionIn
) -> Any:
    case = case_of(request, service_case_id)
    _step(request, case, action, payload)
    return case_of(request, service_case_id)
