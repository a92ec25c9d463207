"""API of follow-up: /findings, /rectifications, /exit-checks, /unlicensed-operators,
/credit-proposals (all scoped to the user; actions go through the services)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field

from xiaoneng.core.paging import capped_count, first_page_and_count
from xiaoneng.core.scoping import get_scoped, scoped
from xiaoneng.inspections import exits, followup, unlicensed
from xiaoneng.inspections.models import (
    ExitCheck,
    Finding,
    Inspection,
    Rectification,
    UnlicensedOperator,
)
from xiaoneng.registry.feedback import decide_proposal
from xiaoneng.registry.models import CreditProposal, CreditRule, Entity

router = Router(tags=["follow-up"])


class Paging(Schema):
    page: int = Field(1, ge=1)
    page_size: int = Field(settings.PAGE_SIZE, ge=1, le=settings.API_MAX_PAGE_SIZE)


def _paged(queryset: QuerySet[Any], paging: Paging) -> dict[str, Any]:
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


def _entity(request: HttpRequest, uscc: str) -> Entity:
    return get_scoped(Entity.objects.all(), request.user, uscc=uscc.strip().upper())


# Findings -----------------------------------------------------------------------------------


class FindingOut(Schema):
    id: int
    inspection_id: int
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
    status: str = Field("", description="open / rectifying / resolved / escalated")
    severity: str = Field("", description="minor / major / critical")
    inspection: int | None = None
    uscc: str = ""


def _findings(request: HttpRequest) -> QuerySet[Finding]:
    return scoped(Finding.objects.select_related("entity", "unit", "item"), request.user)


@router.get("/findings", response=FindingPage, summary="Findings of the user's units")
def list_findings(request: HttpRequest, filters: Query[FindingFilter]) -> dict[str, Any]:
    findings = _findings(request)
    if filters.status:
        findings = findings.filter(status=filters.status)
    if filters.severity:
        findings = findings.filter(severity=filters.severity)
    if filters.inspection:
        findings = findings.filter(inspection_id=filters.inspection)
    if filters.uscc:
        findings = findings.filter(entity__uscc=filters.uscc.strip().upper())
    return _paged(findings.order_by("-found_on", "-id"), filters)


@router.get("/findings/{int:finding_id}", response=FindingOut, summary="One finding")
def get_finding(request: HttpRequest, finding_id: int) -> Finding:
    return get_scoped(_findings(request), request.user, pk=finding_id)


# Rectifications -----------------------------------------------------------------------------


class RectificationOut(Schema):
    id: int
    number: str
    uscc: str
    entity: str
    unit: str
    inspection_id: int
    requirements: str
    issued_on: dt.date
    working_days: int
    deadline: dt.date
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
    def resolve_finding_ids(obj: Rectification) -> list[int]:
        return sorted(f.pk for f in obj.findings.all())


class RectificationPage(Paging):
    count: int
    count_exact: bool
    items: list[RectificationOut]


class RectificationFilter(Paging):
    state: str = Field(
        "", description="open / due_soon / overdue / warned / failed / rectified / escalated"
    )
    uscc: str = ""


class IssueIn(Schema):
    inspection_id: int
    finding_ids: list[int] = Field(description="open findings of that inspection")
    requirements: str
    working_days: int | None = Field(None, description="1–60 working days (or deadline)")
    deadline: dt.date | None = Field(None, description="YYYY-MM-DD after today (or working_days)")


class OutcomeIn(Schema):
    outcome: str


def _rectifications(request: HttpRequest) -> QuerySet[Rectification]:
    return scoped(
        Rectification.objects.select_related("entity", "unit", "issued_by").prefetch_related(
            "findings"
        ),
        request.user,
    )


@router.get("/rectifications", response=RectificationPage, summary="Rectification orders")
def list_rectifications(
    request: HttpRequest, filters: Query[RectificationFilter]
) -> dict[str, Any]:
    orders = followup.filter_state(_rectifications(request), filters.state, timezone.localdate())
    if filters.uscc:
        orders = orders.filter(entity__uscc=filters.uscc.strip().upper())
    return _paged(orders.order_by("deadline", "id"), filters)


@router.get(
    "/rectifications/{int:rectification_id}", response=RectificationOut, summary="One order"
)
def get_rectification(request: HttpRequest, rectification_id: int) -> Rectification:
    return get_scoped(_rectifications(request), request.user, pk=rectification_id)


@router.post(
    "/rectifications",
    response={201: RectificationOut},
    summary="Issue an order for findings of a signed inspection (re-inspection task planned)",
)
def issue(request: HttpRequest, payload: IssueIn) -> Status[Rectification]:
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
def rectified(request: HttpRequest, rectification_id: int, payload: OutcomeIn) -> Rectification:
    order = get_scoped(_rectifications(request), request.user, pk=rectification_id)
    return followup.record_rectified(
        rectification=order, actor=request.user, outcome=payload.outcome
    )


# Exit checks --------------------------------------------------------------------------------


class ExitCheckOut(Schema):
    id: int
    uscc: str
    entity: str
    entity_status: str
    unit: str
    inspection_id: int | None
    found_on: dt.date
    found_by: str
    circumstances: str
    status: str
    closed_on: dt.date | None
    outcome: str

    @staticmethod
    def resolve_uscc(obj: ExitCheck) -> str:
        return obj.entity.uscc

    @staticmethod
    def resolve_entity(obj: ExitCheck) -> str:
        return obj.entity.name

    @staticmethod
    def resolve_entity_status(obj: ExitCheck) -> str:
        return obj.entity.status

    @staticmethod
    def resolve_unit(obj: ExitCheck) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_found_by(obj: ExitCheck) -> str:
        return obj.found_by.get_username()


class ExitCheckPage(Paging):
    count: int
    count_exact: bool
    items: list[ExitCheckOut]


class ExitCheckIn(Schema):
    uscc: str
    circumstances: str
    found_on: dt.date | None = None


def _exit_checks(request: HttpRequest) -> QuerySet[ExitCheck]:
    return scoped(ExitCheck.objects.select_related("entity", "unit", "found_by"), request.user)


@router.get("/exit-checks", response=ExitCheckPage, summary="Exit checks, open first")
def list_exit_checks(
    request: HttpRequest, paging: Query[Paging], status: str = ""
) -> dict[str, Any]:
    checks = _exit_checks(request)
    if status:
        checks = checks.filter(status=status)
    return _paged(exits.checks_open_first(checks), paging)


@router.get("/exit-checks/{int:check_id}", response=ExitCheckOut, summary="One exit check")
def get_exit_check(request: HttpRequest, check_id: int) -> ExitCheck:
    return get_scoped(_exit_checks(request), request.user, pk=check_id)


@router.post(
    "/exit-checks",
    response={201: ExitCheckOut},
    summary="Report a deregistered or revoked entity found operating",
)
def report_exit(request: HttpRequest, payload: ExitCheckIn) -> Status[ExitCheck]:
    check = exits.report_exit_operating(
        entity=_entity(request, payload.uscc),
        actor=request.user,
        circumstances=payload.circumstances,
        found_on=payload.found_on,
    )
    return Status(201, check)


@router.post(
    "/exit-checks/{int:check_id}/close",
    response=ExitCheckOut,
    summary="Close an exit check: the business has ceased",
)
def close_exit(request: HttpRequest, check_id: int, payload: OutcomeIn) -> ExitCheck:
    check = get_scoped(_exit_checks(request), request.user, pk=check_id)
    return exits.close_exit_check(exit_check=check, actor=request.user, outcome=payload.outcome)


# Unlicensed operators -----------------------------------------------------------------------


class UnlicensedOut(Schema):
    id: int
    name: str
    operator: str
    address: str
    business: str
    longitude: float | None
    latitude: float | None
    region_code: str
    unit: str
    found_on: dt.date
    found_by: str
    status: str
    uscc: str | None
    closed_on: dt.date | None
    outcome: str

    @staticmethod
    def resolve_unit(obj: UnlicensedOperator) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_found_by(obj: UnlicensedOperator) -> str:
        return obj.found_by.get_username()

    @staticmethod
    def resolve_uscc(obj: UnlicensedOperator) -> str | None:
        return obj.entity.uscc if obj.entity else None


class UnlicensedPage(Paging):
    count: int
    count_exact: bool
    items: list[UnlicensedOut]


class UnlicensedIn(Schema):
    name: str
    address: str
    business: str
    found_on: dt.date | None = None
    operator: str = ""
    longitude: float | None = None
    latitude: float | None = None


class NoteIn(Schema):
    note: str


class LicensedIn(Schema):
    uscc: str = Field(description="the entity registered when the operator obtained its licence")


def _unlicensed(request: HttpRequest) -> QuerySet[UnlicensedOperator]:
    return scoped(
        UnlicensedOperator.objects.select_related("unit", "found_by", "entity"), request.user
    )


@router.get("/unlicensed-operators", response=UnlicensedPage, summary="Unlicensed operators")
def list_unlicensed(
    request: HttpRequest, paging: Query[Paging], status: str = ""
) -> dict[str, Any]:
    records = _unlicensed(request)
    if status:
        records = records.filter(status=status)
    return _paged(records.order_by("-found_on", "-id"), paging)


@router.get("/unlicensed-operators/{int:record_id}", response=UnlicensedOut, summary="One record")
def get_unlicensed(request: HttpRequest, record_id: int) -> UnlicensedOperator:
    return get_scoped(_unlicensed(request), request.user, pk=record_id)


@router.post(
    "/unlicensed-operators",
    response={201: UnlicensedOut},
    summary="Record an operator found without a business licence",
)
def record(request: HttpRequest, payload: UnlicensedIn) -> Status[UnlicensedOperator]:
    found = unlicensed.record_unlicensed(actor=request.user, **payload.dict())
    return Status(201, found)


@router.post(
    "/unlicensed-operators/{int:record_id}/guide",
    response=UnlicensedOut,
    summary="Guide the operator to obtain a licence (引导办照)",
)
def guide(request: HttpRequest, record_id: int, payload: NoteIn) -> UnlicensedOperator:
    found = get_scoped(_unlicensed(request), request.user, pk=record_id)
    return unlicensed.guide_unlicensed(record=found, actor=request.user, note=payload.note)


@router.post(
    "/unlicensed-operators/{int:record_id}/licensed",
    response=UnlicensedOut,
    summary="The operator obtained its licence: link the new entity",
)
def licensed(request: HttpRequest, record_id: int, payload: LicensedIn) -> UnlicensedOperator:
    found = get_scoped(_unlicensed(request), request.user, pk=record_id)
    entity = _entity(request, payload.uscc)
    return unlicensed.mark_licensed(record=found, entity=entity, actor=request.user)


@router.post(
    "/unlicensed-operators/{int:record_id}/ceased",
    response=UnlicensedOut,
    summary="The operator stopped the business (取缔)",
)
def ceased(request: HttpRequest, record_id: int, payload: OutcomeIn) -> UnlicensedOperator:
    found = get_scoped(_unlicensed(request), request.user, pk=record_id)
    return unlicensed.mark_ceased(record=found, actor=request.user, outcome=payload.outcome)


# Credit proposals ---------------------------------------------------------------------------


class ProposalOut(Schema):
    id: int
    uscc: str
    entity: str
    trigger: str
    current_grade: str
    proposed_grade: str
    source: str
    source_url: str
    status: str
    proposed_at: dt.datetime
    decided_by: str | None
    decided_at: dt.datetime | None
    decision_reason: str

    @staticmethod
    def resolve_uscc(obj: CreditProposal) -> str:
        return obj.entity.uscc

    @staticmethod
    def resolve_entity(obj: CreditProposal) -> str:
        return obj.entity.name

    @staticmethod
    def resolve_decided_by(obj: CreditProposal) -> str | None:
        return obj.decided_by.get_username() if obj.decided_by else None


class ProposalPage(Paging):
    count: int
    count_exact: bool
    items: list[ProposalOut]


class DecisionIn(Schema):
    confirm: bool
    reason: str


class RuleOut(Schema):
    trigger: str
    label: str
    grade: str
    automatic: bool
    active: bool
    note: str

    @staticmethod
    def resolve_label(obj: CreditRule) -> str:
        return str(obj.get_trigger_display())


def _proposals(request: HttpRequest) -> QuerySet[CreditProposal]:
    return scoped(CreditProposal.objects.select_related("entity", "decided_by"), request.user)


@router.get(
    "/credit-proposals", response=ProposalPage, summary="Credit grade proposals (default pending)"
)
def list_proposals(
    request: HttpRequest, paging: Query[Paging], status: str = "pending"
) -> dict[str, Any]:
    proposals = _proposals(request)
    if status:
        proposals = proposals.filter(status=status)
    return _paged(proposals.order_by("-proposed_at", "-id"), paging)


@router.get("/credit-proposals/rules", response=list[RuleOut], summary="The feedback rule table")
def list_rules(request: HttpRequest) -> list[CreditRule]:
    return list(CreditRule.objects.order_by("trigger"))


@router.get("/credit-proposals/{int:proposal_id}", response=ProposalOut, summary="One proposal")
def get_proposal(request: HttpRequest, proposal_id: int) -> CreditProposal:
    return get_scoped(_proposals(request), request.user, pk=proposal_id)


@router.post(
    "/credit-proposals/{int:proposal_id}/decide",
    response=ProposalOut,
    summary="Confirm (the grade changes, with history) or reject a proposal, with a reason",
)
def decide(request: HttpRequest, proposal_id: int, payload: DecisionIn) -> CreditProposal:
    proposal = get_scoped(_proposals(request), request.user, pk=proposal_id)
    return decide_proposal(
        proposal=proposal, confirm=payload.confirm, reason=payload.reason, actor=request.user
    )
