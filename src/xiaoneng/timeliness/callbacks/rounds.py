"""Callback rounds (回访抽取批次, 篇9): each month's reproducible draw under a unit's rule.

A round draws, for one unit, month and kind of work, the records of that kind completed in the
month in the unit's subtree (``population``), sorted by id. Its seed is fixed and stored before
drawing, with the SHA-256 of the sorted ids (the population digest). numpy's ``default_rng`` is
seeded with the SHA-256 of the seed string and draws one permutation of the population; the
first k of it are called back: all (k = n), a share (k = ⌈share × n⌉) or a number (k = min(count,
n)). ``verify_round`` draws again and compares.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import secrets
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
from django.db import IntegrityError, transaction
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.cases.models import Case
from xiaoneng.core import audit
from xiaoneng.core.errors import Conflict, InvalidInput
from xiaoneng.core.months import Month, parse_month
from xiaoneng.inspections.records.models import Inspection
from xiaoneng.org import access
from xiaoneng.org.models import Officer, Unit
from xiaoneng.timeliness.callbacks.checks import within
from xiaoneng.timeliness.callbacks.models import (
    Callback,
    CallbackRound,
    CallbackRule,
    SampleMode,
    SubjectKind,
)
from xiaoneng.timeliness.complaints.models import Complaint
from xiaoneng.timeliness.permits.models import ServiceCase


def last_month(today: dt.date | None = None) -> str:
    """The month before ``today``'s (the latest one that may be drawn)."""
    today = today or timezone.localdate()
    return (today.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")


def records(kind: str, unit: Unit, month: Month) -> QuerySet[Any]:
    """The records of ``kind`` completed in ``month`` in ``unit``'s subtree: service cases
    completed (办结), complaints and reports closed with the person told (告知日期, named
    persons only: an anonymous one cannot be called), inspections signed (amendments aside),
    cases closed (结案)."""
    scope = within(unit)
    if kind == SubjectKind.SERVICE_CASE:
        return ServiceCase.objects.filter(
            scope,
            status=ServiceCase.Status.COMPLETED,
            completed_on__range=(month.first, month.last),
        )
    if kind == SubjectKind.COMPLAINT:
        return Complaint.objects.filter(
            scope,
            status=Complaint.Status.CLOSED,
            notified_on__range=(month.first, month.last),
            real_name=True,
        ).exclude(person="")
    if kind == SubjectKind.INSPECTION:
        start, end = month.bounds()
        return Inspection.objects.filter(
            scope,
            status=Inspection.Status.SIGNED,
            signed_at__gte=start,
            signed_at__lt=end,
            amends__isnull=True,
        )
    if kind == SubjectKind.CASE:
        return Case.objects.filter(
            scope, status=Case.Status.CLOSED, closed_on__range=(month.first, month.last)
        )
    raise InvalidInput.single("subject_kind", _("回访对象无效：“%(v)s”") % {"v": kind})


def population(kind: str, unit: Unit, month: Month, *, round_id: int | None = None) -> list[int]:
    """The ids a round draws from, ascending: ``records``, less those already called back in
    a round drawn before it (a bureau's rule and a station's may cover the same record)."""
    taken = Callback.objects.filter(**{f"{kind}__isnull": False}, round__isnull=False)
    if round_id is not None:
        taken = taken.filter(round_id__lt=round_id)
    ids = records(kind, unit, month).exclude(pk__in=taken.values_list(f"{kind}_id", flat=True))
    return sorted(ids.values_list("pk", flat=True))


def digest(ids: list[int]) -> str:
    """SHA-256 of the sorted ids, comma-separated."""
    return hashlib.sha256(",".join(str(i) for i in sorted(ids)).encode()).hexdigest()


def sample_size(n: int, mode: str, share: Decimal | None, count: int | None) -> int:
    """How many of ``n`` a round calls back."""
    if mode == SampleMode.ALL:
        return n
    if mode == SampleMode.SHARE:
        return min(n, math.ceil(Decimal(share or 0) * n))
    return min(n, int(count or 0))


def draw(seed: str, ids: list[int], k: int) -> list[int]:
    """The first ``k`` of the seed's permutation of ``ids`` (ascending), as sorted ids."""
    rng = np.random.default_rng(int.from_bytes(hashlib.sha256(seed.encode()).digest(), "big"))
    order = rng.permutation(len(ids)).tolist()
    return sorted(ids[i] for i in order[:k])


def _party(kind: str, record: Any) -> tuple[str, str, Officer | None, str]:
    """Who is called about ``record``, their phone, the officer whose work it was, and the
    matter as the callback names it."""
    if kind == SubjectKind.SERVICE_CASE:
        return record.applicant, record.applicant_phone, record.responsible, str(record)
    if kind == SubjectKind.COMPLAINT:
        return record.person, record.phone, record.handler, str(record)
    entity = record.entity
    name = (entity.legal_representative or entity.name) if entity else ""
    if kind == SubjectKind.INSPECTION:
        subject = _("%(entity)s %(day)s 检查") % {"entity": entity.name, "day": record.visited_on}
        return name, "", record.lead_officer, subject
    return name or record.party, "", record.handler, f"{record.number} {record.title}"


def _rule(unit: Unit, kind: str) -> CallbackRule:
    rule = CallbackRule.objects.filter(unit=unit, subject_kind=kind, active=True).first()
    if rule is None:
        label = dict(SubjectKind.choices).get(kind, kind)
        raise InvalidInput.single(
            "subject_kind",
            _("%(unit)s 没有启用的“%(kind)s”回访规则") % {"unit": unit, "kind": label},
        )
    return rule


def draw_round(
    *,
    unit: Unit,
    month: str,
    subject_kind: str,
    actor: Officer | None,
    today: dt.date | None = None,
    seed: str | None = None,
) -> CallbackRound:
    """Draw a finished month's callbacks of one kind under ``unit``'s rule: pending callbacks
    of the records drawn, each to the party the record names. A (unit, month, kind) is drawn
    once."""
    if actor is not None:
        access.require(actor, access.RUN_CALLBACKS)
        access.require_unit(actor, unit.pk)
    today = today or timezone.localdate()
    period = parse_month(month)
    if subject_kind not in SubjectKind.values:
        raise InvalidInput.single("subject_kind", _("回访对象无效：“%(v)s”") % {"v": subject_kind})
    if period.last >= today:
        raise InvalidInput.single(
            "month", _("%(month)s 尚未结束，月份结束后才能抽取回访") % {"month": period.text}
        )
    rule = _rule(unit, subject_kind)
    if CallbackRound.objects.filter(
        unit=unit, month=period.text, subject_kind=subject_kind
    ).exists():
        raise Conflict(
            _("%(unit)s %(month)s 的“%(kind)s”回访已抽取")
            % {"unit": unit, "month": period.text, "kind": rule.get_subject_kind_display()}
        )
    seed = seed or f"{unit.code}:{period.text}:{subject_kind}:{secrets.token_hex(8)}"
    model = records(subject_kind, unit, period).model
    try:
        with transaction.atomic(), audit.attributed(actor):
            ids = population(subject_kind, unit, period)
            drawn = CallbackRound.objects.create(
                unit=unit,
                month=period.text,
                subject_kind=subject_kind,
                mode=rule.mode,
                share=rule.share,
                count=rule.count,
                seed=seed,
                population=len(ids),
                population_digest=digest(ids),
                drawn_at=timezone.now(),
                drawn_by=actor if getattr(actor, "pk", None) else None,
            )
            chosen = draw(seed, ids, sample_size(len(ids), rule.mode, rule.share, rule.count))
            related = _select(model)
            for record in model.objects.select_related(*related).filter(pk__in=chosen):
                party, phone, officer, subject = _party(subject_kind, record)
                Callback.objects.create(
                    round=drawn,
                    subject_kind=subject_kind,
                    **{subject_kind: record},
                    subject=str(subject)[:200],
                    unit_id=record.unit_id,
                    officer=officer,
                    party=(party or _("（未留姓名）"))[:100],
                    phone=(phone or "")[:20],
                    channel=rule.channel,
                )
    except IntegrityError:
        raise Conflict(_("该批次已由他人同时抽取")) from None
    return drawn


def _select(model: type[Model]) -> tuple[str, ...]:
    if model is ServiceCase:
        return ("responsible", "item")
    if model is Complaint:
        return ("handler",)
    if model is Inspection:
        return ("entity", "lead_officer")
    return ("entity", "handler")


def _subject_id(callback: Callback) -> int | None:
    return getattr(callback, f"{callback.subject_kind}_id", None)


@dataclass(frozen=True)
class Verification:
    """Whether drawing a round again gives the same callbacks, and what differs."""

    verified: bool
    problems: list[str]


def check_round(drawn: CallbackRound) -> Verification:
    """Draw ``drawn`` again from its seed and compare the population and the records."""
    period = parse_month(drawn.month)
    ids = population(drawn.subject_kind, drawn.unit, period, round_id=drawn.pk)
    problems = []
    if digest(ids) != drawn.population_digest:
        problems.append(
            _("可回访记录名单已变化：现为 %(now)d 条，抽取时为 %(then)d 条")
            % {"now": len(ids), "then": drawn.population}
        )
    expected = draw(drawn.seed, ids, sample_size(len(ids), drawn.mode, drawn.share, drawn.count))
    actual = sorted(i for c in drawn.callbacks.all() if (i := _subject_id(c)) is not None)
    if expected != actual:
        problems.append(_("回访记录与种子抽取结果不符"))
    return Verification(not problems, problems)


def verify_round(drawn: CallbackRound) -> bool:
    """Whether drawing ``drawn`` again from its seed gives the same records."""
    return check_round(drawn).verified


def draw_due_rounds(*, today: dt.date | None = None) -> int:
    """Draw last month's round of every active rule not drawn yet (the monthly job); the
    number of rounds drawn."""
    today = today or timezone.localdate()
    month = last_month(today)
    drawn = 0
    for rule in CallbackRule.objects.filter(active=True).select_related("unit").order_by("id"):
        exists = CallbackRound.objects.filter(
            unit=rule.unit, month=month, subject_kind=rule.subject_kind
        ).exists()
        if exists:
            continue
        draw_round(
            unit=rule.unit, month=month, subject_kind=rule.subject_kind, actor=None, today=today
        )
        drawn += 1
    return drawn
