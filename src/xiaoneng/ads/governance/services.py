"""The accountability ladders' writes and reads (篇1): register a reviewer, record an event,
read a subject's history with what it proposes (``ladder.propose``), and decide a proposal.

Recording an event takes SUPERVISE_ADS (grid officers, station directors, division staff) and
the subject in scope. Deciding a step takes SUPERVISE_ADS and the role of station director or
division staff: 篇1's steps are measures of the bureau (and of the media outlet it writes to),
decided by those who answer for a unit, not by the grid officer who records the facts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.ads.governance import ladder as ladders
from xiaoneng.ads.governance.models import AdReviewer, LadderDecision, LadderEvent
from xiaoneng.ads.governance.models import Ladder as LadderKind
from xiaoneng.core import audit
from xiaoneng.core.errors import Conflict, FieldError, InvalidInput, NotPermitted
from xiaoneng.org import access
from xiaoneng.org.models import Officer, Role
from xiaoneng.registry.models import Entity

DECIDER_ROLES = (Role.STATION_DIRECTOR, Role.DIVISION_STAFF)
DOCUMENT_LENGTH = 100


@dataclass(frozen=True)
class Subject:
    """Whose ladder: a reviewer (reviewer ladder) or an entity (party ladder)."""

    reviewer: AdReviewer | None = None
    party: Entity | None = None

    @property
    def ladder(self) -> ladders.Ladder:
        return ladders.REVIEWER if self.reviewer is not None else ladders.PARTY

    @property
    def key(self) -> str:
        if self.reviewer is not None:
            return f"reviewer:{self.reviewer.pk}"
        assert self.party is not None
        return f"party:{self.party.pk}"

    @property
    def unit_id(self) -> int:
        if self.reviewer is not None:
            return self.reviewer.unit_id
        assert self.party is not None
        return self.party.unit_id

    @property
    def entity(self) -> Entity:
        """The registered entity whose existence bounds the history: the outlet or the party."""
        if self.reviewer is not None:
            return self.reviewer.outlet
        assert self.party is not None
        return self.party

    def events(self) -> list[LadderEvent]:
        rows = LadderEvent.objects.select_related("recorded_by", "decision")
        if self.reviewer is not None:
            return list(rows.filter(reviewer=self.reviewer))
        return list(rows.filter(party=self.party, ladder=LadderKind.PARTY))

    def decisions(self) -> list[LadderDecision]:
        return list(
            LadderDecision.objects.filter(subject=self.key).select_related("decided_by", "trigger")
        )


@dataclass(frozen=True)
class History:
    """A subject's recorded events and decisions, and the steps they propose now."""

    subject: Subject
    events: list[LadderEvent]
    decisions: list[LadderDecision]
    proposals: list[ladders.Proposal]


def history(subject: Subject) -> History:
    """The subject's history and its pending proposals (the one rule: ``ladder.propose``)."""
    events = subject.events()
    decisions = subject.decisions()
    happened = [ladders.Happened(e.pk, e.kind, e.occurred_on) for e in events]
    decided = {d.key: d.confirmed for d in decisions}
    return History(subject, events, decisions, ladders.propose(subject.ladder, happened, decided))


def may_record(actor: Officer, unit_id: int | None = None) -> bool:
    """Whether ``actor`` may record ladder events (of ``unit_id``'s subjects if given)."""
    if not access.can(actor, access.SUPERVISE_ADS):
        return False
    return unit_id is None or access.in_scope(actor, unit_id)


def may_decide(actor: Officer, unit_id: int | None = None) -> bool:
    """Whether ``actor`` may confirm or decline proposed steps (station directors, division
    staff holding SUPERVISE_ADS)."""
    return may_record(actor, unit_id) and actor.has_role(*DECIDER_ROLES)


def _required_text(value: str | None, field: str, message: str) -> tuple[str, list[FieldError]]:
    text = (value or "").strip()
    return text, [] if text else [FieldError(field, message)]


def register_reviewer(
    *, name: str, outlet: Entity | None, certificate_no: str, actor: Officer
) -> AdReviewer:
    """Register an ad reviewer (广告审查员) of a media outlet in the actor's scope."""
    access.require(actor, access.SUPERVISE_ADS)
    name, errors = _required_text(name, "name", _("请填写审查员姓名"))
    number, more = _required_text(certificate_no, "certificate_no", _("请填写审查员证号"))
    errors += more
    if len(name) > 50:
        errors.append(FieldError("name", _("姓名不能超过 50 个字")))
    if len(number) > 40:
        errors.append(FieldError("certificate_no", _("审查员证号不能超过 40 个字符")))
    if outlet is None:
        errors.append(FieldError("outlet", _("请选择所在媒体")))
    elif outlet.archived_at is not None:
        errors.append(FieldError("outlet", _("该主体已归档：%(n)s") % {"n": outlet.name}))
    if errors:
        raise InvalidInput(f"{errors[0].field}: {errors[0].message}", errors=errors)
    assert outlet is not None
    access.require_unit(actor, outlet.unit_id)
    if AdReviewer.objects.filter(certificate_no=number).exists():
        raise Conflict(_("该审查员证号已登记：%(n)s") % {"n": number})
    with transaction.atomic(), audit.attributed(actor):
        return AdReviewer.objects.create(
            name=name, outlet=outlet, certificate_no=number, unit_id=outlet.unit_id
        )


def _day_errors(subject: Subject, occurred_on: dt.date | None) -> list[FieldError]:
    today = timezone.localdate()
    if occurred_on is None:
        return [FieldError("occurred_on", _("请填写事件日期（YYYY-MM-DD）"))]
    if occurred_on > today:
        message = _("事件日期不能晚于今天（%(today)s）：%(day)s")
        return [FieldError("occurred_on", message % {"today": today, "day": occurred_on})]
    entity = subject.entity
    founded = entity.established or entity.registered_on
    if founded and occurred_on < founded:
        message = _("事件日期不能早于%(name)s的成立日期（%(founded)s）：%(day)s")
        values = {"name": entity.name, "founded": founded, "day": occurred_on}
        return [FieldError("occurred_on", message % values)]
    return []


def record_event(
    *,
    subject: Subject,
    kind: str,
    occurred_on: dt.date | None,
    facts: str,
    source_document: str,
    actor: Officer,
) -> LadderEvent:
    """Record an event of the subject's ladder history (with its date, facts and source)."""
    access.require(actor, access.SUPERVISE_ADS)
    access.require_unit(actor, subject.unit_id)
    known = subject.ladder.events
    kind = (kind or "").strip()
    errors: list[FieldError] = []
    if kind not in known:
        allowed = "、".join(known.values())
        message = _("事件类型应为%(allowed)s之一：%(v)s") % {"allowed": allowed, "v": kind}
        errors.append(FieldError("kind", message if kind else _("请选择事件类型")))
    facts, more = _required_text(facts, "facts", _("请填写事实"))
    errors += more
    document, more = _required_text(source_document, "source_document", _("请填写来源文书"))
    errors += more
    if len(document) > DOCUMENT_LENGTH:
        message = _("来源文书不能超过 %(n)d 个字") % {"n": DOCUMENT_LENGTH}
        errors.append(FieldError("source_document", message))
    errors += _day_errors(subject, occurred_on)
    if errors:
        raise InvalidInput(f"{errors[0].field}: {errors[0].message}", errors=errors)
    twin = [
        e
        for e in subject.events()
        if (e.kind, e.occurred_on, e.source_document) == (kind, occurred_on, document)
    ]
    if twin:
        raise Conflict(
            _("该事件已登记：%(day)s %(kind)s（%(doc)s）")
            % {"day": occurred_on, "kind": known[kind], "doc": document}
        )
    with transaction.atomic(), audit.attributed(actor):
        return _create_event(subject, kind, occurred_on, facts, document, actor)


def _create_event(
    subject: Subject,
    kind: str,
    occurred_on: dt.date | None,
    facts: str,
    document: str,
    actor: Officer | None,
    decision: LadderDecision | None = None,
) -> LadderEvent:
    assert occurred_on is not None
    return LadderEvent.objects.create(
        ladder=subject.ladder.code,
        reviewer=subject.reviewer,
        party=subject.party,
        unit_id=subject.unit_id,
        kind=kind,
        occurred_on=occurred_on,
        facts=facts,
        source_document=document,
        decision=decision,
        recorded_by=actor,
    )


def _decision_errors(
    step: ladders.Step,
    proposal: ladders.Proposal,
    *,
    confirm: bool,
    outcome: str,
    reason: str,
    document: str,
    decided_on: dt.date | None,
) -> list[FieldError]:
    errors: list[FieldError] = []
    outcomes = dict(step.outcomes)
    if confirm and outcomes and outcome not in outcomes:
        allowed = "、".join(outcomes.values())
        message = _("处理结果应为%(allowed)s之一：%(v)s") % {"allowed": allowed, "v": outcome}
        errors.append(FieldError("outcome", message if outcome else _("请选择处理结果")))
    if not confirm and not reason:
        errors.append(FieldError("reason", _("不采纳提议须填写理由")))
    if len(document) > DOCUMENT_LENGTH:
        message = _("文书编号不能超过 %(n)d 个字") % {"n": DOCUMENT_LENGTH}
        errors.append(FieldError("document", message))
    today = timezone.localdate()
    if decided_on is None:
        errors.append(FieldError("decided_on", _("请填写决定日期（YYYY-MM-DD）")))
    elif decided_on > today:
        message = _("决定日期不能晚于今天（%(today)s）：%(day)s")
        errors.append(FieldError("decided_on", message % {"today": today, "day": decided_on}))
    elif decided_on < proposal.trigger.on:
        message = _("决定日期不能早于触发事件的日期（%(first)s）：%(day)s")
        values = {"first": proposal.trigger.on, "day": decided_on}
        errors.append(FieldError("decided_on", message % values))
    return errors


def decide_step(
    *,
    subject: Subject,
    key: str,
    confirm: bool,
    actor: Officer,
    decided_on: dt.date | None,
    reason: str = "",
    outcome: str = "",
    document: str = "",
) -> LadderDecision:
    """Confirm or decline (with a reason) the pending proposal ``key`` of the subject.

    A confirmed step that issues a notice adds it to the history; a confirmed dismissal
    cancels the reviewer's qualification (篇1: 工商部门同时取消广告审查员资格).
    """
    access.require(actor, access.SUPERVISE_ADS)
    access.require_unit(actor, subject.unit_id)
    if not actor.has_role(*DECIDER_ROLES):
        raise NotPermitted(_("责任阶梯的步骤由所长或科室人员决定。"))
    key = (key or "").strip()
    earlier = LadderDecision.objects.filter(subject=subject.key, key=key).first()
    if earlier is not None:
        raise Conflict(_("该提议已于 %(day)s 作出决定") % {"day": earlier.decided_on})
    found = {p.key: p for p in history(subject).proposals}
    proposal = found.get(key)
    if proposal is None:
        raise InvalidInput.single("key", _("该步骤当前未被提议：%(k)s") % {"k": key})
    step = subject.ladder.step(proposal.step)
    reason, outcome, document = (reason or "").strip(), (outcome or "").strip(), document or ""
    document = document.strip()
    errors = _decision_errors(
        step,
        proposal,
        confirm=confirm,
        outcome=outcome,
        reason=reason,
        document=document,
        decided_on=decided_on,
    )
    if errors:
        raise InvalidInput(f"{errors[0].field}: {errors[0].message}", errors=errors)
    assert decided_on is not None
    with transaction.atomic(), audit.attributed(actor):
        decision = LadderDecision.objects.create(
            ladder=subject.ladder.code,
            subject=subject.key,
            reviewer=subject.reviewer,
            party=subject.party,
            unit_id=subject.unit_id,
            step=step.code,
            key=key,
            trigger_id=proposal.trigger.id,
            confirmed=confirm,
            outcome=outcome if confirm else "",
            reason=reason,
            document=document,
            decided_on=decided_on,
            decided_by=actor,
        )
        if confirm and step.records:
            facts = _("确认提议：%(step)s（%(measure)s）") % {
                "step": step.label,
                "measure": step.measure,
            }
            number = document or _("责任阶梯决定 #%(pk)d") % {"pk": decision.pk}
            _create_event(subject, step.records, decided_on, facts, number, actor, decision)
        if confirm and step.final and subject.reviewer is not None:
            subject.reviewer.qualification_cancelled_on = decided_on
            subject.reviewer.save()
    return decision
