"""Reads shared by the pages and the API: the scoped reviewers, parties and meetings, and a
subject's ladder as plain rows (history, decisions, pending proposals)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from xiaoneng.ads.governance.departments import department_name
from xiaoneng.ads.governance.models import AdReviewer, JointMeeting, LadderEvent
from xiaoneng.ads.governance.models import Ladder as LadderKind
from xiaoneng.ads.governance.services import History, Subject, history
from xiaoneng.core.actors import Viewer
from xiaoneng.core.scoping import get_scoped, scoped
from xiaoneng.registry.models import Entity


def reviewers(user: Viewer, *, search: str = "") -> QuerySet[AdReviewer]:
    """The reviewers of the outlets in ``user``'s scope, by name or certificate no."""
    rows = scoped(AdReviewer.objects.select_related("outlet", "unit"), user)
    if search:
        rows = rows.filter(name__contains=search) | rows.filter(certificate_no__contains=search)
    return rows.order_by("name", "id")


def parties(user: Viewer) -> QuerySet[Entity]:
    """The entities in ``user``'s scope that have a party-ladder history, latest first."""
    events = scoped(LadderEvent.objects.filter(ladder=LadderKind.PARTY), user)
    return (
        scoped(Entity.objects.all(), user)
        .filter(pk__in=events.values("party_id"))
        .order_by("name", "id")
    )


def party_event_counts(entity_ids: list[int]) -> dict[int, int]:
    """Entity id → number of its party-ladder events."""
    rows = (
        LadderEvent.objects.filter(ladder=LadderKind.PARTY, party_id__in=entity_ids)
        .values("party_id")
        .annotate(n=Count("id"))
    )
    return {row["party_id"]: row["n"] for row in rows}


def reviewer_subject(user: Viewer, pk: int) -> Subject:
    return Subject(reviewer=get_scoped(AdReviewer.objects.select_related("outlet"), user, pk=pk))


def party_subject(user: Viewer, pk: int) -> Subject:
    return Subject(party=get_scoped(Entity.objects.all(), user, pk=pk))


def meetings(user: Viewer, *, year: int | None = None) -> QuerySet[JointMeeting]:
    """The joint meetings of ``user``'s bureau (stations read them), newest first."""
    rows = scoped(JointMeeting.objects.all(), user)
    if year:
        rows = rows.filter(held_on__year=year)
    return rows.order_by("-held_on", "-id")


def ladder_view(subject: Subject) -> dict[str, Any]:
    """The subject's ladder as rows: events, decisions and pending proposals, labelled."""
    found: History = history(subject)
    ladder = subject.ladder
    kinds = ladder.events
    events = [
        {
            "id": e.pk,
            "kind": e.kind,
            "kind_label": kinds.get(e.kind, e.kind),
            "occurred_on": e.occurred_on,
            "facts": e.facts,
            "source_document": e.source_document,
            "decision_id": e.decision_id,
            "recorded_by": str(e.recorded_by) if e.recorded_by else "",
        }
        for e in found.events
    ]
    decisions = [
        {
            "id": d.pk,
            "step": d.step,
            "step_label": ladder.step(d.step).label,
            "key": d.key,
            "confirmed": d.confirmed,
            "outcome": d.outcome,
            "outcome_label": dict(ladder.step(d.step).outcomes).get(d.outcome, ""),
            "reason": d.reason,
            "document": d.document,
            "decided_on": d.decided_on,
            "decided_by": str(d.decided_by) if d.decided_by else "",
            "trigger_id": d.trigger_id,
        }
        for d in found.decisions
    ]
    proposals = []
    for p in found.proposals:
        step = ladder.step(p.step)
        proposals.append(
            {
                "key": p.key,
                "step": step.code,
                "step_label": step.label,
                "measure": step.measure,
                "period": p.period,
                "trigger_id": p.trigger.id,
                "trigger_on": p.trigger.on,
                "because": [e.id for e in p.because],
                "outcomes": [{"code": c, "label": label} for c, label in step.outcomes],
            }
        )
    return {
        "ladder": ladder.code,
        "ladder_label": ladder.label,
        "basis": ladder.basis,
        "event_kinds": [{"code": c, "label": label} for c, label in kinds.items()],
        "events": events,
        "decisions": decisions,
        "proposals": proposals,
    }


def members_text(meeting: JointMeeting) -> str:
    return "、".join(department_name(code) for code in meeting.member_departments)
