"""API of follow-up: /findings, /rectifications, /exit-checks, /unlicensed-operators,
/credit-proposals (all scoped to the user; actions go through the services).

Here: the one ``router`` (registered in ``xiaoneng.api``), findings and rectification orders;
exit checks and unlicensed operators: ``exit_api``; credit proposals: ``credit_api``."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.db.models import QuerySet
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field

from xiaoneng.core.api_paging import Id, OneOf, Paging, paged
from xiaoneng.core.scoping import get_scoped, scoped
from xiaoneng.core.templatetags.calendar_tags import is_provisional, last_known_year_for
from xiaoneng.inspections.checklists.models import Severity
from xiaoneng.inspections.followup import queries as followup_queries
from xiaoneng.inspections.followup import services as followup
from xiaoneng.inspections.followup.api_base import OutcomeIn
from xiaoneng.inspections.followup.exit_api import router as exit_router
from xiaoneng.inspections.followup.models import Finding, Rectification
from xiaoneng.inspections.records.models import Inspection
from xiaoneng.org.requests import OfficerRequest
from xiaoneng.registry.credit.api import router as credit_router

router = Router(tags=["follow-up"])


# Findings -----------------------------------------------------------------------------------


class FindingOut(Schema):
    id: int
    inspection_id: int | None = Field(description="null for a finding from another source")
    source: str = Field(description="where a finding without an inspection came from")
    uscc: str
    entity: str
    unit: str
    item_number: str
    item: str
    legal_basis: str
    severity: str
    description: str
    status: str
    found_on: dt.date
    rectification_id: int | None

    @staticmethod
    def resolve_uscc(obj: Finding) -> str:
        return obj.entity.uscc

    @staticmethod
    def resolve_entity(obj: Finding) -> str:
        return obj.entity.name

    @staticmethod
    def resolve_unit(obj: Finding) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_item_number(obj: Finding) -> str:
        return obj.item.number

    @staticmethod
    def resolve_item(obj: Finding) -> str:
        return obj.item.title

    @staticmethod
    def resolve_legal_basis(obj: Finding) -> str:
        return obj.item.legal_basis


class FindingPage(Paging):
    count: int
    count_exact: bool
    items: list[FindingOut]


class FindingFilter(Paging):
    status: Annotated[str, OneOf(Finding.Status.values)] = ""
    severity: Annotated[str, OneOf(Severity.values)] = ""
    inspection: Id | None = None
    uscc: str = ""


def _findings(request: OfficerRequest) -> QuerySet[Finding]:
    return scoped(Finding.objects.select_related("entity", "unit", "item"), request.user)


@router.get("/findings", response=FindingPage, summary="Findings of the user's units")
def list_findings(request: OfficerRequest, filters: Query[FindingFilter]) -> dict[str, Any]:
    findings = _findings(request)
    if filters.status:
        findings = findings.filter(status=filters.status)
    if filters.severity:
        findings = findings.filter(severity=filters.severity)
    if filters.inspection:
        findings = findings.filter(inspection_id=filters.inspection)
    if filters.uscc:
        findings = findings.filter(entity__uscc=filters.uscc.strip().upper())
    return paged(findings.order_by("-found_on", "-id"), filters)


@router.get("/findings/{int:finding_id}", response=FindingOut, summary="One finding")
def get_finding(request: OfficerRequest, finding_id: int) -> Finding:
    return get_scoped(_findings(request), request.user, pk=finding_id)


# Rectifications -----------------------------------------------------------------------------


class RectificationOut(Schema):
    id: int
    number: str
    uscc: str
    entity: str
    unit: str
    inspection_id: int | None = Field(description="null for an order on another source")
    source: str = Field(description="where an order without an inspection came from")
    requirements: str
    issued_on: dt.date
    working_days: int
    deadline: dt.date
    deadline_provisional: bool = Field(
        description="the deadline lies in a year whose holidays are not loaded yet (weekdays "
        "only); recomputed when they are"
    )
    deadline_by_date: bool = Field(description="set as a date (kept) rather than working days")
    issued_by: str
    status: str
    reinspection_task_id: int | None
    warned_on: dt.date | None
    closed_on: dt.date | None
    outcome: str
    finding_ids: list[int]

    @staticmethod
    def resolve_uscc(obj: Rectification) -> str:
        return obj.entity.uscc

    @staticmethod
    def resolve_entity(obj: Rectification) -> str:
        return obj.entity.name

    @staticmethod
    def resolve_unit(obj: Rectification) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_issued_by(obj: Rectification) -> str:
        return obj.issued_by.get_username()

    @staticmethod
    def resolve_deadline_provisional(obj: Rectification, context: dict[str, Any]) -> bool:
        last_year = last_known_year_for(context.get("request"))
        return is_provisional(obj.deadline, last_year)

    @staticmethod
    def resolve_finding_ids(obj: Rectification) -> list[int]:
        return sorted(f.pk for f in obj.findings.all())


class RectificationPage(Paging):
    count: int
    count_exact: bool
    items: list[RectificationOut]


class RectificationFilter(Paging):
    state: Annotated[str, OneOf(followup_queries.STATES)] = ""
    uscc: str = ""


class RectificationIssueIn(Schema):
    inspection_id: int
    finding_ids: list[int] = Field(description="open findings of that inspection")
    requirements: str
    working_days: int | None = Field(None, description="1–60 working days (or deadline)")
    deadline: dt.date | None = Field(None, description="YYYY-MM-DD after today (or working_days)")


def _rectifications(request: OfficerRequest) -> QuerySet[Rectification]:
    return scoped(
        Rectification.objects.select_related("entity", "unit", "issued_by").prefetch_related(
            "findings"
        ),
        request.user,
    )


@router.get("/rectifications", response=RectificationPage, summary="Rectification orders")
def list_rectifications(
    request: OfficerRequest, filters: Query[RectificationFilter]
) -> dict[str, Any]:
    orders = followup_queries.filter_state(
        _rectifications(request), filters.state, timezone.localdate()
    )
    if filters.uscc:
        orders = orders.filter(entity__uscc=filters.uscc.strip().upper())
    return paged(orders.order_by("deadline", "id"), filters)


@router.get(
    "/rectifications/{int:rectification_id}", response=RectificationOut, summary="One order"
)
def get_rectification(request: OfficerRequest, rectification_id: int) -> Rectification:
    return get_scoped(_rectifications(request), request.user, pk=rectification_id)


@router.post(
    "/rectifications",
    response={201: RectificationOut},
    summary="Issue an order for findings of a signed inspection (re-inspection task planned)",
)
def issue(request: OfficerRequest, payload: RectificationIssueIn) -> Status[Rectification]:
    inspection = get_scoped(Inspection.objects.all(), request.user, pk=payload.inspection_id)
    order = followup.issue_rectification(
        inspection=inspection,
        findings=followup.select_findings(inspection=inspection, ids=payload.finding_ids),
        actor=request.user,
        requirements=payload.requirements,
        working_days=payload.working_days,
        deadline=payload.deadline,
    )
    return Status(201, order)


@router.post(
    "/rectifications/{int:rectification_id}/rectified",
    response=RectificationOut,
    summary="Record that the order was complied with (documentary proof)",
)
def rectified(request: OfficerRequest, rectification_id: int, payload: OutcomeIn) -> Rectification:
    order = get_scoped(_rectifications(request), request.user, pk=rectification_id)
    return followup.record_rectified(
        rectification=order, actor=request.user, outcome=payload.outcome
    )


router.add_router("", exit_router)
router.add_router("", credit_router)
