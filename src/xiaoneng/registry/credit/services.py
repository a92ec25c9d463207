"""Feedback into classification: findings, cases and failed samples lower a credit grade.

Later modules report an event with ``credit_event``; the rule table (``CreditRule``) says how
far the grade falls and whether it falls at once or is proposed to a person, who confirms or
rejects it with ``decide_proposal``. Either way the change is kept in the entity's
classification history, so the next plan sees it (DESIGN.md: the closed loop).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import audit
from xiaoneng.core.errors import Conflict, InvalidInput
from xiaoneng.org import access
from xiaoneng.org.models import Officer
from xiaoneng.registry.models import (
    CreditProposal,
    CreditRule,
    Entity,
)
from xiaoneng.registry.services import write_credit_grade

# Grades from best to worst: a rule only ever moves an entity to the right.
ORDER = "ABCD"


def worse(grade: str, than: str) -> bool:
    """Whether ``grade`` is a worse credit grade than ``than``."""
    return ORDER.index(grade) > ORDER.index(than)


def _rule(trigger: str) -> CreditRule | None:
    return CreditRule.objects.filter(trigger=trigger, active=True).first()


def credit_event(
    *, entity: Entity, trigger: str, source: str, source_url: str = "", actor: Officer | None = None
) -> CreditProposal | None:
    """Apply the rule for ``trigger`` to ``entity``: lower its grade, or propose to.

    Returns the proposal (status ``applied`` when the rule is automatic), or None when no
    active rule covers the trigger or the entity's grade is already as low. An open proposal
    for the same entity and grade is not repeated.
    """
    rule = _rule(trigger)
    if rule is None or not worse(rule.grade, entity.credit_grade):
        return None
    pending = CreditProposal.objects.filter(
        entity=entity, proposed_grade=rule.grade, status=CreditProposal.Status.PENDING
    ).first()
    if pending is not None and not rule.automatic:
        return pending
    now = timezone.now()
    with transaction.atomic(), audit.attributed(actor):
        proposal = CreditProposal.objects.create(
            entity=entity,
            trigger=trigger,
            current_grade=entity.credit_grade,
            proposed_grade=rule.grade,
            source=source[:200],
            source_url=source_url[:200],
            proposed_at=now,
            status=(
                CreditProposal.Status.APPLIED if rule.automatic else CreditProposal.Status.PENDING
            ),
        )
        if rule.automatic:
            write_credit_grade(
                entity=entity,
                grade=rule.grade,
                reason=_("%(rule)s（%(source)s）")
                % {
                    "rule": rule.get_trigger_display(),
                    "source": source,
                },
                actor=actor,
                at=now,
            )
    return proposal


def decide_proposal(
    *, proposal: CreditProposal, confirm: bool, reason: str, actor: Officer
) -> CreditProposal:
    """Confirm (the grade changes, with history) or reject a pending proposal, with a reason."""
    access.require(actor, access.EDIT_REGISTER)
    access.require_unit(actor, proposal.entity.unit_id)
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise InvalidInput.single("reason", _("请填写确认意见"))
    if proposal.status != CreditProposal.Status.PENDING:
        raise Conflict(_("该建议已处理（%(status)s）") % {"status": proposal.get_status_display()})
    now = timezone.now()
    with transaction.atomic(), audit.attributed(actor):
        entity = Entity.objects.select_for_update().get(pk=proposal.entity_id)
        if confirm and worse(proposal.proposed_grade, entity.credit_grade):
            write_credit_grade(
                entity=entity,
                grade=proposal.proposed_grade,
                reason=f"{proposal.source}：{reason}",
                actor=actor,
                at=now,
            )
        proposal.status = (
            CreditProposal.Status.CONFIRMED if confirm else CreditProposal.Status.REJECTED
        )
        proposal.decided_by = actor
        proposal.decided_at = now
        proposal.decision_reason = reason
        proposal.save()
    return proposal
