"""API of the ad ladders and joint meetings (篇1), under /ad-governance: the reviewers, a
reviewer's or a party's ladder (history, decisions and the pending proposals), the meetings
(paged, scoped to the bureau; its stations read them)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from ninja import Query, Router, Schema
from pydantic import Field

from xiaoneng.ads.governance import queries
from xiaoneng.ads.governance.departments import department_name
from xiaoneng.ads.governance.models import AdReviewer, JointMeeting
from xiaoneng.core.api_paging import Paging, Year, paged
from xiaoneng.core.scoping import get_scoped
from xiaoneng.org.requests import OfficerRequest

router = Router(tags=["ads"])


class LadderReviewerOut(Schema):
    id: int
    name: str
    certificate_no: str
    outlet_uscc: str
    outlet_name: str
    qualification_cancelled_on: dt.date | None

    @staticmethod
    def resolve_outlet_uscc(obj: AdReviewer) -> str:
        return obj.outlet.uscc

    @staticmethod
    def resolve_outlet_name(obj: AdReviewer) -> str:
        return obj.outlet.name


class LadderReviewerPage(Schema):
    count: int
    count_exact: bool
    page: int
    page_size: int
    items: list[LadderReviewerOut]


class LadderReviewerFilter(Paging):
    q: str = Field("", max_length=50, description="part of the name or certificate no.")


class LadderKindOut(Schema):
    code: str
    label: str


class LadderEventOut(Schema):
    id: int
    kind: str
    kind_label: str
    occurred_on: dt.date
    facts: str
    source_document: str
    decision_id: int | None
    recorded_by: str


class LadderDecisionOut(Schema):
    id: int
    step: str
    step_label: str
    key: str
    confirmed: bool
    outcome: str
    outcome_label: str
    reason: str
    document: str
    decided_on: dt.date
    decided_by: str
    trigger_id: int


class LadderProposalOut(Schema):
    key: str = Field(description="names the proposal when deciding it")
    step: str
    step_label: str
    measure: str
    period: str = Field(description="the calendar year, or e<id> of the triggering event")
    trigger_id: int
    trigger_on: dt.date
    because: list[int] = Field(description="ids of the events that make up the threshold")
    outcomes: list[LadderKindOut]


class AdLadderOut(Schema):
    ladder: str
    ladder_label: str
    basis: str
    subject: str = Field(description="the reviewer's name or the party's name")
    event_kinds: list[LadderKindOut]
    events: list[LadderEventOut]
    decisions: list[LadderDecisionOut]
    proposals: list[LadderProposalOut]


@router.get(
    "/ad-governance/reviewers", response=LadderReviewerPage, summary="Ad reviewers (广告审查员)"
)
def list_reviewers(request: OfficerRequest, filters: Query[LadderReviewerFilter]) -> dict[str, Any]:
    return paged(queries.reviewers(request.user, search=filters.q.strip()), filters)


@router.get(
    "/ad-governance/reviewers/{int:reviewer_id}/ladder",
    response=AdLadderOut,
    summary="A reviewer's accountability ladder: history and pending proposals",
)
def reviewer_ladder(request: OfficerRequest, reviewer_id: int) -> dict[str, Any]:
    subject = queries.reviewer_subject(request.user, reviewer_id)
    assert subject.reviewer is not None
    return queries.ladder_view(subject) | {"subject": subject.reviewer.name}


@router.get(
    "/ad-governance/parties/{int:entity_id}/ladder",
    response=AdLadderOut,
    summary="A party's accountability ladder (advertiser, operator or publisher)",
)
def party_ladder(request: OfficerRequest, entity_id: int) -> dict[str, Any]:
    subject = queries.party_subject(request.user, entity_id)
    assert subject.party is not None
    return queries.ladder_view(subject) | {"subject": subject.party.name}


class JointMeetingFollowUpOut(Schema):
    id: int
    task: str
    owner_department: str
    owner_department_name: str
    deadline: dt.date
    status: str
    done_on: dt.date | None
    result: str

    @staticmethod
    def resolve_owner_department_name(obj: Any) -> str:
        return department_name(obj.owner_department)


class JointMeetingLeadOut(Schema):
    id: int
    from_department: str
    content: str
    party_name: str


class JointMeetingOut(Schema):
    id: int
    held_on: dt.date
    title: str
    convening_department: str
    member_departments: list[str]
    attendees: str
    topics: str
    decisions: str
    follow_ups: list[JointMeetingFollowUpOut]
    leads: list[JointMeetingLeadOut]

    @staticmethod
    def resolve_follow_ups(obj: JointMeeting) -> list[Any]:
        return list(obj.follow_ups.all())

    @staticmethod
    def resolve_leads(obj: JointMeeting) -> list[Any]:
        return list(obj.leads.all())


class JointMeetingPage(Schema):
    count: int
    count_exact: bool
    page: int
    page_size: int
    items: list[JointMeetingOut]


class JointMeetingFilter(Paging):
    year: Year | None = Field(None, description="year held")


@router.get(
    "/ad-governance/meetings", response=JointMeetingPage, summary="Joint meetings (联席会议)"
)
def list_meetings(request: OfficerRequest, filters: Query[JointMeetingFilter]) -> dict[str, Any]:
    rows: QuerySet[JointMeeting] = queries.meetings(request.user, year=filters.year)
    return paged(rows.prefetch_related("follow_ups", "leads"), filters)


@router.get(
    "/ad-governance/meetings/{int:meeting_id}",
    response=JointMeetingOut,
    summary="One joint meeting",
)
def get_meeting(request: OfficerRequest, meeting_id: int) -> JointMeeting:
    return get_scoped(JointMeeting.objects.all(), request.user, pk=meeting_id)


# The writes (on this router: a path's reads and writes must share it) use the schemas above.
import xiaoneng.ads.governance.write_api  # noqa: E402, F401
