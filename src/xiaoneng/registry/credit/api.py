"""API of credit grade proposals (信用反馈, 篇2): /credit-proposals, scoped to the user; a
decision goes through ``registry.feedback``. Mounted on the follow-up router (``followup_api``),
operation ids unchanged."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.db.models import QuerySet
from ninja import Query, Router, Schema

from xiaoneng.core.api_paging import OneOf, Paging, paged
from xiaoneng.core.scoping import get_scoped, scoped
from xiaoneng.org.requests import OfficerRequest
from xiaoneng.registry.credit.services import decide_proposal
from xiaoneng.registry.models import CreditProposal, CreditRule

# Mounted on the follow-up router, so tagged "follow-up"; the operation ids are those these
# handlers had when they lived in the follow-up API, which generated clients call.
router = Router()


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


class CreditRuleOut(Schema):
    trigger: str
    label: str
    grade: str
    automatic: bool
    active: bool
    note: str

    @staticmethod
    def resolve_label(obj: CreditRule) -> str:
        return str(obj.get_trigger_display())


def _proposals(request: OfficerRequest) -> QuerySet[CreditProposal]:
    return scoped(CreditProposal.objects.select_related("entity", "decided_by"), request.user)


@router.get(
    "/credit-proposals",
    response=ProposalPage,
    summary="Credit grade proposals (default pending)",
    operation_id="xiaoneng_inspections_followup_api_list_proposals",
)
def list_proposals(
    request: OfficerRequest,
    paging: Query[Paging],
    status: Annotated[str, OneOf(CreditProposal.Status.values)] = "pending",
) -> dict[str, Any]:
    proposals = _proposals(request)
    if status:
        proposals = proposals.filter(status=status)
    return paged(proposals.order_by("-proposed_at", "-id"), paging)


@router.get(
    "/credit-proposals/rules",
    response=list[CreditRuleOut],
    summary="The feedback rule table",
    operation_id="xiaoneng_inspections_followup_api_list_rules",
)
def list_rules(request: OfficerRequest) -> list[CreditRule]:
    return list(CreditRule.objects.order_by("trigger"))


@router.get(
    "/credit-proposals/{int:proposal_id}",
    response=ProposalOut,
    summary="One proposal",
    operation_id="xiaoneng_inspections_followup_api_get_proposal",
)
def get_proposal(request: OfficerRequest, proposal_id: int) -> CreditProposal:
    return get_scoped(_proposals(request), request.user, pk=proposal_id)


@router.post(
    "/credit-proposals/{int:proposal_id}/decide",
    response=ProposalOut,
    summary="Confirm (the grade changes, with history) or reject a proposal, with a reason",
    operation_id="xiaoneng_inspections_followup_api_decide",
)
def decide(request: OfficerRequest, proposal_id: int, payload: DecisionIn) -> CreditProposal:
    proposal = get_scoped(_proposals(request), request.user, pk=proposal_id)
    return decide_proposal(
        proposal=proposal, confirm=payload.confirm, reason=payload.reason, actor=request.user
    )
