"""Service cases drafted in memory as the permits services would take them, and written at once.

A ``Draft`` follows ``timeliness.permits`` step by step (each stage's day not in the future nor
before the case's latest step, one suspension of its clock at a time, ``clocks.services.set_due``
keeping the due date as the clock services do); ``write`` inserts the cases, stages, clocks,
suspensions and one-time notices with ``core.bulk``, each row traced as created by the officer
who made it (source: system), as the services' trace records them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils import timezone

from xiaoneng.core import audit, bulk
from xiaoneng.core.calendar import WorkingCalendar
from xiaoneng.core.errors import InvalidInput
from xiaoneng.core.models import AuditEvent
from xiaoneng.org.models import Officer
from xiaoneng.timeliness.clocks.models import (
    Clock,
    ClockKind,
    SubjectType,
    Suspension,
    SuspensionReason,
)
from xiaoneng.timeliness.clocks.services import set_due
from xiaoneng.timeliness.permits.models import (
    OneTimeNotice,
    ServiceCase,
    ServiceItem,
    ServiceStage,
)

S = ServiceCase.Status


@dataclass
class Suspended:
    """A span of a drafted case's clock standing still (``clocks.services.suspend``)."""

    reason: str
    note: str
    started_on: dt.date
    officer: Officer
    ended_on: dt.date | None = None
    working_days: int = 0
    pk: int = 0  # once written


@dataclass
class Draft:
    """One service case drafted in memory: the rows the permits services would have written."""

    case: dict[str, Any]
    receiver: Officer
    today: dt.date
    last: dt.date  # the day of its latest step (permits.checks.last_stage_on)
    stages: list[tuple[str, Officer, dt.date, str]] = field(default_factory=list)
    clock: Clock | None = None
    suspensions: list[Suspended] = field(default_factory=list)
    notices: list[tuple[dt.date, Officer, str, Suspended]] = field(default_factory=list)
    pk: int = 0  # once written, and its name (``str(case)``)
    name: str = ""

    def day(self, on: dt.date, not_before: dt.date) -> dt.date:
        """Refuse a day in the future or before ``not_before``, as the services do."""
        if on > self.today or on < not_before:
            raise InvalidInput.single("on", f"{on} not in [{not_before}, {self.today}]")
        self.last = max(self.last, on)
        return on

    def stage(self, stage: str, officer: Officer, on: dt.date, opinion: str = "") -> None:
        """A ``ServiceStage``, the case moved to it (``transitions.SERVICE_CASE``)."""
        self.stages.append((stage, officer, self.day(on, self.last), opinion))
        self.case["status"] = stage

    def open_clock(self, item: ServiceItem, on: dt.date, calendar: WorkingCalendar) -> None:
        """``clocks.services.open_clock`` at acceptance, with the item's limits."""
        case = self.case
        self.clock = Clock(
            kind=ClockKind.SERVICE,
            subject_type=SubjectType.SERVICE_CASE,
            subject=f"{case['number']} {item.name}（{case['applicant']}）"[:200],
            unit_id=case["unit_id"],
            officer_id=case["responsible_id"],
            region_code=case["region_code"],
            started_on=on,
            limit_days=item.committed_days,
            statutory_days=item.statutory_days,
            basis=item.basis[:200],
        )
        set_due(self.clock, calendar, on)

    def suspend(
        self, reason: str, note: str, on: dt.date, officer: Officer, calendar: WorkingCalendar
    ) -> Suspended:
        """``clocks.services.suspend``: one suspension at a time, none overlapping."""
        clock = self.clock
        assert clock is not None and clock.stopped_on is None and clock.suspended_since is None
        ended = [s.ended_on for s in self.suspensions if s.ended_on is not None]
        self.day(on, max([clock.started_on, *ended]))
        suspension = Suspended(reason, note[:200], on, officer)
        self.suspensions.append(suspension)
        clock.suspended_since = on
        set_due(clock, calendar)
        return suspension

    def resume(self, on: dt.date, calendar: WorkingCalendar) -> None:
        """``clocks.services.resume``: the open suspension ends on ``on``."""
        clock, suspension = self.clock, self.suspensions[-1]
        assert clock is not None and suspension.ended_on is None
        self.day(on, suspension.started_on)
        suspension.ended_on = on
        suspension.working_days = calendar.working_days_between(suspension.started_on, on)
        clock.suspended_days += suspension.working_days
        clock.suspended_since = None
        set_due(clock, calendar, on)

    def stop(self, on: dt.date, calendar: WorkingCalendar) -> None:
        """``clocks.services.stop``: an open suspension ends that day."""
        clock = self.clock
        if clock is None or clock.stopped_on is not None:
            return
        self.day(on, clock.started_on)
        if clock.suspended_since is not None:
            self.resume(max(on, clock.suspended_since), calendar)
        clock.stopped_on = on
        set_due(clock, calendar, on)


def _traced(
    model: type[models.Model],
    columns: dict[str, list[Any]],
    reprs: Sequence[str],
    actors: Sequence[Officer],
    now: dt.datetime,
) -> list[int]:
    """Insert the rows (``core.bulk``) and their trace: created by ``actors``, one a row."""
    ids = bulk.insert(model, columns, len(reprs), now=now)
    events = audit.event_columns(
        model,
        object_ids=ids,
        reprs=list(reprs),
        changes=audit.changes_from_columns(model, columns, len(ids)),
        action=AuditEvent.Action.CREATE,
        at=now,
        actor=None,
        source=AuditEvent.Source.SYSTEM,
        actor_ids=[a.pk for a in actors],
        actor_names=[a.name or a.username for a in actors],
    )
    bulk.insert(AuditEvent, events, len(ids))
    return ids


def write(drafts: list[Draft]) -> None:
    """The drafted cases with their stages, clocks, suspensions and one-time notices."""
    now = timezone.now()
    _write_cases(drafts, now)
    _write_stages(drafts, now)
    _write_clocks(drafts, now)
    _write_suspensions(drafts, now)
    _write_notices(drafts, now)


def _write_cases(drafts: list[Draft], now: dt.datetime) -> None:
    if not drafts:
        return
    items = {i.pk: i for i in ServiceItem.objects.all()}
    for draft in drafts:
        draft.name = f"{draft.case['number']} {items[draft.case['item_id']]}"  # str(case)
    columns = {name: [d.case[name] for d in drafts] for name in drafts[0].case}
    columns["created_at"] = [now] * len(drafts)
    ids = _traced(ServiceCase, columns, [d.name for d in drafts], [d.receiver for d in drafts], now)
    for draft, pk in zip(drafts, ids, strict=True):
        draft.pk = pk


def _write_stages(drafts: list[Draft], now: dt.datetime) -> None:
    stages = [(d, *stage) for d in drafts for stage in d.stages]
    labels = dict(S.choices)
    _traced(
        ServiceStage,
        {
            "case_id": [d.pk for d, *_rest in stages],
            "stage": [stage for _d, stage, *_rest in stages],
            "officer_id": [officer.pk for _d, _stage, officer, *_rest in stages],
            "done_on": [on for *_first, on, _opinion in stages],
            # Recorded one after another, as the services did: ``done_at`` keeps their order.
            "done_at": [now + dt.timedelta(microseconds=n) for n in range(len(stages))],
            "opinion": [opinion for *_first, opinion in stages],
        },
        [f"{d.name} {labels[stage]}" for d, stage, *_rest in stages],
        [officer for _d, _stage, officer, *_rest in stages],
        now,
    )


def _write_clocks(drafts: list[Draft], now: dt.datetime) -> None:
    timed = [(d, d.clock) for d in drafts if d.clock is not None]
    for draft, clock in timed:
        clock.subject_id, clock.created_at = draft.pk, now
    fields = [f.attname for f in Clock._meta.concrete_fields if not f.primary_key]
    ids = _traced(
        Clock,
        {name: [getattr(clock, name) for _d, clock in timed] for name in fields},
        [str(clock) for _d, clock in timed],
        [d.receiver for d, _clock in timed],  # who accepted the case opened its clock
        now,
    )
    for (_draft, clock), pk in zip(timed, ids, strict=True):
        clock.pk = pk


def _write_suspensions(drafts: list[Draft], now: dt.datetime) -> None:
    held = [(d.clock, s) for d in drafts if d.clock is not None for s in d.suspensions]
    reasons = dict(SuspensionReason.choices)
    ids = _traced(
        Suspension,
        {
            "clock_id": [clock.pk for clock, _s in held],
            "reason": [s.reason for _clock, s in held],
            "note": [s.note for _clock, s in held],
            "started_on": [s.started_on for _clock, s in held],
            "ended_on": [s.ended_on for _clock, s in held],
            "working_days": [s.working_days for _clock, s in held],
            "created_by_id": [s.officer.pk for _clock, s in held],
            "created_at": [now] * len(held),
        },
        [f"{reasons[s.reason]} {s.started_on}" for _clock, s in held],
        [s.officer for _clock, s in held],
        now,
    )
    for (_clock, suspension), pk in zip(held, ids, strict=True):
        suspension.pk = pk


def _write_notices(drafts: list[Draft], now: dt.datetime) -> None:
    notices = [(d, n, *notice) for d in drafts for n, notice in enumerate(d.notices, start=1)]
    _traced(
        OneTimeNotice,
        {
            "case_id": [d.pk for d, *_rest in notices],
            "sequence": [n for _d, n, *_rest in notices],
            "issued_on": [on for _d, _n, on, *_rest in notices],
            "officer_id": [officer.pk for _d, _n, _on, officer, *_rest in notices],
            "materials": [materials for *_first, materials, _s in notices],
            "breach": [n > 1 for _d, n, *_rest in notices],  # told twice: a breach
            "suspension_id": [s.pk for *_first, s in notices],
            "created_at": [now] * len(notices),
        },
        [f"{d.name} #{n}" for d, n, *_rest in notices],
        [officer for _d, _n, _on, officer, *_rest in notices],
        now,
    )
