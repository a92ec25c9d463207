"""The credit feedback of the demo county's year (篇2 信用分类监管), by the rule table.

Every event the year recorded — major and critical findings, orders warned, deregistered
entities found operating, failed samples, cases filed, penalised or major — goes through the
rules of ``registry.feedback.credit_event`` in the order they happened: an automatic rule
lowers the grade at once (``applied``); the others propose, and the credit division confirms
most proposals a few days later (the grade falls then), rejects some, and has the last
fortnight's still to decide. Each change is kept in the entity's classification history.
An entity whose grade the register's own history changed after an event is left as it is, and
so is one that a double-random draw committed after the event froze in its population: the
draws were committed (``demo.planning.draws``) before the year's events were generated, and
their snapshots must stay the grade history at their commit.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max

from xiaoneng.cases.models import Case
from xiaoneng.core import audit, bulk
from xiaoneng.core.models import AuditEvent
from xiaoneng.demo.days import local_moment
from xiaoneng.demo.inspections.context import Context
from xiaoneng.demo.rows import REASON, Rows
from xiaoneng.inspections.followup.services import url_or_blank
from xiaoneng.inspections.models import ExitCheck, Finding, Rectification, Sample, Severity
from xiaoneng.planning.draws.inputs import snapshot_text
from xiaoneng.planning.draws.models import RandomDraw
from xiaoneng.registry.credit.services import worse
from xiaoneng.registry.models import (
    ClassificationChange,
    CreditProposal,
    CreditRule,
    CreditTrigger,
    Entity,
)

T = CreditTrigger
P = CreditProposal.Status
CONFIRM_SHARE = 0.85
CONFIRM_REASONS = ("经核实，情况属实，同意调整", "依据检查、处罚记录，同意调整信用等级")
REJECT_REASONS = ("违法情节轻微且已及时改正，暂不调整", "已完成信用修复，暂不调整")
SEVERITY_RANK: dict[str, int] = {Severity.MAJOR: 1, Severity.CRITICAL: 2}


@dataclass(order=True)
class Event:
    """Something that bears on an entity's credit grade, when it happened."""

    at: dt.datetime
    entity: int = field(compare=False)
    triggers: tuple[str, ...] = field(compare=False)  # tried in order until one applies
    source: str = field(compare=False)
    url: str = field(compare=False, default="")


def _at(day: dt.date | None, hour: int, minute: int = 0) -> dt.datetime:
    assert day is not None, "read with a filter that excludes no date"
    return local_moment(day, hour, minute)


def _later(moment: dt.datetime | None, seconds: int) -> dt.datetime:
    assert moment is not None, "a signed inspection has its signing time"
    return moment + dt.timedelta(seconds=seconds)


def _findings() -> Iterator[Event]:
    """The worst major or critical finding of each record (consequences.report_findings)."""
    labels = dict(Severity.choices)
    worst: dict[int, tuple[Any, ...]] = {}
    for row in Finding.objects.filter(severity__in=list(SEVERITY_RANK)).values_list(
        "inspection_id",
        "severity",
        "item__number",
        "item__title",
        "entity_id",
        "inspection__signed_at",
    ):
        if row[0] not in worst or SEVERITY_RANK[row[1]] > SEVERITY_RANK[worst[row[0]][1]]:
            worst[row[0]] = row
    for inspection, severity, number, title, entity, signed in worst.values():
        critical = severity == Severity.CRITICAL
        yield Event(
            _later(signed, 1),
            entity,
            (T.FINDING_CRITICAL, T.FINDING_MAJOR) if critical else (T.FINDING_MAJOR,),
            f"检查记录 #{inspection} 第{number}项（{labels[severity]}）：{title}",
            url_or_blank("inspections:inspection_detail", inspection),
        )


def _orders_and_exits() -> Iterator[Event]:
    """Orders warned (the daily job, in the morning) and deregistered entities found open."""
    for pk, entity, number, warned in Rectification.objects.filter(
        warned_on__isnull=False
    ).values_list("pk", "entity_id", "number", "warned_on"):
        url = url_or_blank("inspections:rectification_detail", pk)
        yield Event(_at(warned, 7), entity, (T.RECTIFICATION_OVERDUE,), f"{number} 逾期未整改", url)
    statuses = dict(Entity.Status.choices)
    for pk, entity, inspection, status, signed in ExitCheck.objects.values_list(
        "pk", "entity_id", "inspection_id", "entity__status", "inspection__signed_at"
    ):
        source = f"检查记录 #{inspection}：{statuses.get(status, status)}后仍在经营"
        url = url_or_blank("inspections:exit_detail", pk)
        yield Event(_later(signed, 2), entity, (T.EXIT_OPERATING,), source, url)


def _samples_and_cases() -> Iterator[Event]:
    """Failed samples when reported; cases when filed (and major) and when penalised."""
    for entity, product, batch, items, reported, plan in Sample.objects.filter(
        result=Sample.Result.FAIL, entity__isnull=False, reported_on__isnull=False
    ).values_list("entity_id", "product", "batch_number", "failed_items", "reported_on", "plan_id"):
        source = f"监督抽查不合格：{product} 批号 {batch}（{items}）"
        url = url_or_blank("inspections:sampling_plan_detail", plan)
        yield Event(_at(reported, 16), entity, (T.SAMPLE_FAILED,), source, url)
    for pk, entity, number, title, filed, decided, major, fine, gains in Case.objects.filter(
        entity__isnull=False, filed_on__isnull=False
    ).values_list(
        "pk",
        "entity_id",
        "number",
        "title",
        "filed_on",
        "decided_on",
        "major",
        "fine_decided",
        "confiscation_decided",
    ):
        source, url = f"案件 {number} {title}", url_or_blank("cases:case_detail", pk)
        yield Event(_at(filed, 17), entity, (T.CASE_FILED,), source, url)
        if major:
            yield Event(_at(filed, 17, 1), entity, (T.MAJOR_CASE,), source, url)
        if decided and (fine > 0 or gains > 0):
            yield Event(_at(decided, 17), entity, (T.CASE_PENALISED,), source, url)


class Feedback:
    """The rule table applied to the year's events in order, with the credit staff's
    decisions on the proposals made along the way."""

    def __init__(self, ctx: Context, entities: list[int]) -> None:
        self.ctx = ctx
        self.rules = {r.trigger: r for r in CreditRule.objects.filter(active=True)}
        self.grade = dict(Entity.objects.filter(pk__in=entities).values_list("pk", "credit_grade"))
        self.start = dict(self.grade)
        self.history = dict(
            ClassificationChange.objects.filter(
                entity_id__in=entities, field=ClassificationChange.Field.CREDIT_GRADE
            )
            .values("entity_id")
            .annotate(last=Max("changed_at"))
            .values_list("entity_id", "last")
        )
        self.frozen = _frozen_until(entities)
        self.staff = ctx.people.credit_staff or list(ctx.people.directors.values())
        self.proposals = Rows(
            "entity_id trigger current_grade proposed_grade source source_url status proposed_at "
            "decided_by_id decided_at decision_reason"
        )
        # (entity, old, new, reason, by, at) of each grade change
        self.changes: list[tuple[int, str, str, str, int | None, dt.datetime]] = []
        self.pending: dict[tuple[int, str], int] = {}
        self.decisions: list[tuple[dt.datetime, int, int, str]] = []  # a heap, soonest first

    def apply(self, event: Event) -> None:
        """``credit_event``: the first trigger whose rule would lower the grade proposes or
        lowers it; an open proposal for the same grade is not repeated."""
        self.decide_until(event.at)
        if event.entity in self.history and self.history[event.entity] > event.at:
            return
        if event.entity in self.frozen and self.frozen[event.entity] > event.at:
            return
        grade = self.grade[event.entity]
        for trigger in event.triggers:
            rule = self.rules.get(trigger)
            if rule is None or not worse(rule.grade, grade):
                continue
            if (event.entity, rule.grade) in self.pending and not rule.automatic:
                return
            self.proposals.add(
                event.at,
                entity_id=event.entity,
                trigger=trigger,
                current_grade=grade,
                proposed_grade=rule.grade,
                source=event.source[:200],
                source_url=event.url[:200],
                status=P.APPLIED if rule.automatic else P.PENDING,
                proposed_at=event.at,
                decision_reason="",
            )
            index = len(self.proposals) - 1
            if rule.automatic:
                reason = f"{rule.get_trigger_display()}（{event.source}）"
                self._lower(event.entity, rule.grade, reason, None, event.at)
                return
            self.pending[(event.entity, rule.grade)] = index
            when = event.at + dt.timedelta(days=float(self.ctx.rng.uniform(2, 15)))
            if when < self.ctx.now - dt.timedelta(hours=1):
                heapq.heappush(self.decisions, (when, index, event.entity, rule.grade))
            return

    def decide_until(self, moment: dt.datetime) -> None:
        """``decide_proposal`` for each proposal the staff got to by ``moment``."""
        rng, columns = self.ctx.rng, self.proposals.columns
        while self.decisions and self.decisions[0][0] <= moment:
            when, index, entity, proposed = heapq.heappop(self.decisions)
            confirm = rng.random() < CONFIRM_SHARE
            reasons = CONFIRM_REASONS if confirm else REJECT_REASONS
            reason = reasons[int(rng.integers(len(reasons)))]
            officer = self.staff[int(rng.integers(len(self.staff)))]
            columns["status"][index] = P.CONFIRMED if confirm else P.REJECTED
            columns["decided_by_id"][index], columns["decided_at"][index] = officer, when
            columns["decision_reason"][index] = reason
            self.pending.pop((entity, proposed), None)
            if confirm and worse(proposed, self.grade[entity]):
                self._lower(
                    entity, proposed, f"{columns['source'][index]}：{reason}", officer, when
                )

    def _lower(self, entity: int, grade: str, reason: str, by: int | None, at: dt.datetime) -> None:
        self.changes.append((entity, self.grade[entity], grade, reason, by, at))
        self.grade[entity] = grade

    def write(self) -> int:
        """The proposals, the history, the grades and their trace; how many proposals."""
        c = self.proposals.columns
        reprs = [
            f"{e}: {old}→{new}"
            for e, old, new in zip(
                c["entity_id"], c["current_grade"], c["proposed_grade"], strict=True
            )
        ]
        self.proposals.write(CreditProposal, reprs)
        changes = self.changes
        columns: dict[str, list[Any]] = {
            "entity_id": [c[0] for c in changes],
            "field": [ClassificationChange.Field.CREDIT_GRADE] * len(changes),
            "old_value": [c[1] for c in changes],
            "new_value": [c[2] for c in changes],
            "reason": [c[3] for c in changes],
            "changed_by_id": [c[4] for c in changes],
            "changed_at": [c[5] for c in changes],
        }
        bulk.insert(ClassificationChange, columns, len(changes))
        for value in "ABCD":
            moved = [e for e, g in self.grade.items() if g == value and self.start[e] != g]
            for offset in range(0, len(moved), 5000):
                Entity.objects.filter(pk__in=moved[offset : offset + 5000]).update(
                    credit_grade=value
                )
        population = self.ctx.population
        events = audit.event_columns(
            Entity,
            object_ids=columns["entity_id"],
            reprs=[population.name[r] for r in population.rows(columns["entity_id"]).tolist()],
            changes=[{"credit_grade": [c[1], c[2]]} for c in changes],
            action=AuditEvent.Action.UPDATE,
            at=columns["changed_at"],
            actor=None,
            source=AuditEvent.Source.SYSTEM,
            reason=[f"{c[3]}（{REASON}）" for c in changes],
            actor_ids=columns["changed_by_id"],
            actor_names=[""] * len(changes),
        )
        bulk.insert(AuditEvent, events, len(changes))
        return len(self.proposals)


def _frozen_until(entities: list[int]) -> dict[int, dt.datetime]:
    """The last commit of a draw whose population list holds each entity (its grade frozen)."""
    uscc_of = dict(Entity.objects.filter(pk__in=entities).values_list("uscc", "pk"))
    frozen: dict[int, dt.datetime] = {}
    for draw in RandomDraw.objects.filter(committed_at__isnull=False).order_by("committed_at"):
        assert draw.committed_at is not None
        for line in snapshot_text(draw, "population").decode("utf-8").splitlines():
            entity = uscc_of.get(line.split(",", 1)[0])
            if entity is not None:
                frozen[entity] = draw.committed_at
    return frozen


def build_credit(ctx: Context) -> int:
    """Run the year's events through the rule table; the number of proposals."""
    events = sorted([*_findings(), *_orders_and_exits(), *_samples_and_cases()])
    feedback = Feedback(ctx, sorted({e.entity for e in events}))
    for event in events:
        feedback.apply(event)
    feedback.decide_until(ctx.now)
    return feedback.write()
