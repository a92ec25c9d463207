"""Writes of the ad ladders and joint meetings (篇1), under /ad-governance: what the pages do,
through the same services (``services`` for the ladders, ``meetings`` for the meetings), which
check the capability, the scope and every rule. A subject or a meeting outside the user's scope
answers 404 before anything is checked. ``api`` imports this module last: the operations join
its router (a path's reads and writes must share one)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.utils.translation import gettext as _
from ninja import Schema, Status
from pydantic import Field

from xiaoneng.ads.governance import meetings, queries
from xiaoneng.ads.governance import services as ladders
from xiaoneng.ads.governance.api import (
    JointMeetingFollowUpOut,
    JointMeetingLeadOut,
    JointMeetingOut,
    LadderDecisionOut,
    LadderEventOut,
    LadderReviewerOut,
    router,
)
from xiaoneng.ads.governance.models import FollowUpItem, JointMeeting
from xiaoneng.core.errors import InvalidInput
from xiaoneng.core.scoping import get_scoped, scoped
from xiaoneng.org import access
from xiaoneng.org.requests import OfficerRequest
from xiaoneng.registry.models import Entity

# The ladders -----------------------------------------------------------------------------------


class LadderReviewerIn(Schema):
    name: str
    outlet: str = Field(description="uscc of the media outlet, in the user's scope")
    certificate_no: str = Field(description="the reviewer's certificate no. (unique)")


class LadderEventIn(Schema):
    kind: str = Field(description="one of the ladder's event kinds (``event_kinds``)")
    occurred_on: dt.date | None = Field(None, description="not after today")
    facts: str
    source_document: str = Field(description="the document it comes from (at most 100)")


class LadderDecisionIn(Schema):
    key: str = Field(description="the pending proposal's key")
    decision: Literal["confirm", "decline"]
    decided_on: dt.date | None = Field(None, description="not before the trigger, not after today")
    outcome: str = Field("", description="one of the proposal's outcomes, when it lists any")
    reason: str = Field("", description="required when declining")
    document: str = Field("", description="no. of the decision's document (at most 100)")


@router.post(
    "/ad-governance/reviewers",
    response={201: LadderReviewerOut},
    summary="Register an ad reviewer (广告审查员) of an outlet",
)
def register_reviewer(request: OfficerRequest, payload: LadderReviewerIn) -> Status[Any]:
    access.require(request.user, access.SUPERVISE_ADS)
    code = payload.outlet.strip().upper()
    outlet = None
    if code:
        outlet = scoped(Entity.objects.all(), request.user).filter(uscc=code).first()
        if outlet is None:
            raise InvalidInput.single("outlet", _("未找到该主体：%(v)s") % {"v": code})
    reviewer = ladders.register_reviewer(
        name=payload.name,
        outlet=outlet,
        certificate_no=payload.certificate_no,
        actor=request.user,
    )
    return Status(201, reviewer)


def _event(request: OfficerRequest, subject: ladders.Subject, payload: LadderEventIn) -> Any:
    event = ladders.record_event(subject=subject, actor=request.user, **payload.dict())
    rows = queries.ladder_view(subject)["events"]
    return Status(201, next(row for row in rows if row["id"] == event.pk))


def _decision(request: OfficerRequest, subject: ladders.Subject, payload: LadderDecisionIn) -> Any:
    decision = ladders.decide_step(
        subject=subject,
        actor=request.user,
        key=payload.key,
        confirm=payload.decision == "confirm",
        decided_on=payload.decided_on,
        reason=payload.reason,
        outcome=payload.outcome,
        document=payload.document,
    )
    rows = queries.ladder_view(subject)["decisions"]
    return Status(201, next(row for row in rows if row["id"] == decision.pk))


@router.post(
    "/ad-governance/reviewers/{int:reviewer_id}/events",
    response={201: LadderEventOut},
    summary="Record an event of a reviewer's ladder",
)
def record_reviewer_event(
    request: OfficerRequest, reviewer_id: int, payload: LadderEventIn
) -> Status[Any]:
    return _event(request, queries.reviewer_subject(request.user, reviewer_id), payload)


@router.post(
    "/ad-governance/parties/{int:entity_id}/events",
    response={201: LadderEventOut},
    summary="Record an event of a party's ladder",
)
def record_party_event(
    request: OfficerRequest, entity_id: int, payload: LadderEventIn
) -> Status[Any]:
    return _event(request, queries.party_subject(request.user, entity_id), payload)


@router.post(
    "/ad-governance/reviewers/{int:reviewer_id}/decisions",
    response={201: LadderDecisionOut},
    summary="Confirm or decline a proposed step of a reviewer's ladder",
)
def decide_reviewer_step(
    request: OfficerRequest, reviewer_id: int, payload: LadderDecisionIn
) -> Status[Any]:
    return _decision(request, queries.reviewer_subject(request.user, reviewer_id), payload)


@router.post(
    "/ad-governance/parties/{int:entity_id}/decisions",
    response={201: LadderDecisionOut},
    summary="Confirm or decline a proposed step of a party's ladder",
)
def decide_party_step(
    request: OfficerRequest, entity_id: int, payload: LadderDecisionIn
) -> Status[Any]:
    return _decision(request, queries.party_subject(request.user, entity_id), payload)


# The joint meetings ----------------------------------------------------------------------------


class JointMeetingFollowUpIn(Schema):
    task: str
    owner_department: str = Field(description="code of a department (``departments``)")
    deadline: dt.date | None = Field(None, description="not before the meeting")


class JointMeetingIn(Schema):
    held_on: dt.date | None = Field(None, description="not after today")
    title: str = Field(description="unique per day (at most 100)")
    convening_department: str = Field(description="code of a department")
    member_departments: list[str] = Field(description="codes of departments, no repeats")
    attendees: str
    topics: str
    decisions: str = ""
    follow_ups: list[JointMeetingFollowUpIn] = Field(
        default_factory=list, description="errors name them follow_ups.<n>. from 1"
    )


class JointMeetingLeadIn(Schema):
    from_department: str = Field(description="code of a member department of the meeting")
    content: str
    party_name: str = Field("", description="the party concerned (at most 200)")


class JointMeetingCompletionIn(Schema):
    done_on: dt.date | None = Field(None, description="not before the meeting, not after today")
    result: str


@router.post(
    "/ad-governance/meetings",
    response={201: JointMeetingOut},
    summary="Record a joint meeting (联席会议) with its follow-ups",
)
def record_meeting(request: OfficerRequest, payload: JointMeetingIn) -> Status[JointMeeting]:
    drafts = [
        meetings.FollowUpDraft(item.task, item.owner_department, item.deadline)
        for item in payload.follow_ups
    ]
    meeting = meetings.record_meeting(
        actor=request.user,
        held_on=payload.held_on,
        title=payload.title,
        convening_department=payload.convening_department,
        member_departments=payload.member_departments,
        attendees=payload.attendees,
        topics=payload.topics,
        decisions=payload.decisions,
        follow_ups=drafts,
    )
    return Status(201, meeting)


@router.post(
    "/ad-governance/meetings/{int:meeting_id}/follow-ups",
    response={201: JointMeetingFollowUpOut},
    summary="Add a follow-up (落实事项) to a joint meeting",
)
def add_follow_up(
    request: OfficerRequest, meeting_id: int, payload: JointMeetingFollowUpIn
) -> Status[FollowUpItem]:
    meeting = get_scoped(JointMeeting.objects.all(), request.user, pk=meeting_id)
    draft = meetings.FollowUpDraft(payload.task, payload.owner_department, payload.deadline)
    item = meetings.add_follow_up(meeting=meeting, draft=draft, actor=request.user)
    return Status(201, item)


@router.post(
    "/ad-governance/meetings/{int:meeting_id}/leads",
    response={201: JointMeetingLeadOut},
    summary="Record a lead a member department shared at a joint meeting",
)
def share_lead(request: OfficerRequest, meeting_id: int, payload: JointMeetingLeadIn) -> Any:
    meeting = get_scoped(JointMeeting.objects.all(), request.user, pk=meeting_id)
    lead = meetings.share_lead(meeting=meeting, actor=request.user, **payload.dict())
    return Status(201, lead)


@router.post(
    "/ad-governance/follow-ups/{int:item_id}/done",
    response=JointMeetingFollowUpOut,
    summary="Mark a joint meeting's follow-up done (办结)",
)
def complete_follow_up(
    request: OfficerRequest, item_id: int, payload: JointMeetingCompletionIn
) -> FollowUpItem:
    items = FollowUpItem.objects.select_related("meeting")
    item = get_scoped(items, request.user, pk=item_id)
    return meetings.complete_follow_up(item=item, actor=request.user, **payload.dict())
