"""Division supervision (督办, 篇2: 机关科室督办): items a division sets a station with a deadline,
the station's answer, and the division's close or return."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import audit
from xiaoneng.core.errors import FieldError, InvalidInput, NotPermitted
from xiaoneng.inspections.models import Inspection
from xiaoneng.org import access
from xiaoneng.org.models import Officer, Role, Unit
from xiaoneng.oversight.supervision.models import SupervisionItem
from xiaoneng.oversight.supervision.transitions import SUPERVISION
from xiaoneng.registry.models import Entity

TITLE_LENGTH = 200


@dataclass(frozen=True)
class Step:
    """One turn of a supervision item's exchange, from its trace."""

    at: dt.datetime
    actor: str
    action: str
    text: str


def _issue_errors(
    *,
    unit: Unit,
    title: str,
    description: str,
    deadline: dt.date | None,
    entity: Entity | None,
    inspection: Inspection | None,
) -> list[FieldError]:
    errors = []
    if unit.kind != Unit.Kind.STATION:
        errors.append(FieldError("unit", _("督办对象应为所：%(unit)s") % {"unit": unit}))
    if not title:
        errors.append(FieldError("title", _("请填写督办事项")))
    elif len(title) > TITLE_LENGTH:
        errors.append(FieldError("title", _("督办事项不能超过 %(n)d 个字") % {"n": TITLE_LENGTH}))
    if not description:
        errors.append(FieldError("description", _("请填写督办要求")))
    today = timezone.localdate()
    if deadline is None:
        errors.append(FieldError("deadline", _("请填写办结期限（YYYY-MM-DD）")))
    elif deadline <= today:
        errors.append(
            FieldError(
                "deadline",
                _("办结期限应晚于今天（%(today)s）：%(date)s") % {"today": today, "date": deadline},
            )
        )
    if entity is not None and entity.unit_id != unit.pk:
        errors.append(
            FieldError("entity", _("该主体不归承办单位监管：%(name)s") % {"name": entity.name})
        )
    if inspection is not None and inspection.unit_id != unit.pk:
        errors.append(
            FieldError("inspection", _("该检查记录不属于承办单位：#%(pk)d") % {"pk": inspection.pk})
        )
    elif inspection is not None and entity is not None and inspection.entity_id != entity.pk:
        errors.append(
            FieldError(
                "inspection", _("该检查记录不是对所选主体的检查：#%(pk)d") % {"pk": inspection.pk}
            )
        )
    return errors


def issue_supervision(
    *,
    actor: Officer,
    unit: Unit,
    title: str,
    description: str,
    deadline: dt.date | None,
    entity: Entity | None = None,
    inspection: Inspection | None = None,
) -> SupervisionItem:
    """Put a matter to a station to deal with by a deadline (机关科室督办, 篇2).

    Needs SUPERVISE and a seat in the bureau or a division; the station must be in scope and
    the deadline after today.
    """
    access.require(actor, access.SUPERVISE)
    home = getattr(actor, "unit", None)
    if home is None or home.kind not in (Unit.Kind.DIVISION, Unit.Kind.BUREAU):
        raise NotPermitted(_("只有局机关或科室可以督办。"))
    access.require_unit(actor, unit.pk)
    title, description = (title or "").strip(), (description or "").strip()
    errors = _issue_errors(
        unit=unit,
        title=title,
        description=description,
        deadline=deadline,
        entity=entity,
        inspection=inspection,
    )
    if errors:
        raise InvalidInput(f"{errors[0].field}: {errors[0].message}", errors=errors)
    assert deadline is not None
    with transaction.atomic(), audit.attributed(actor):
        return SupervisionItem.objects.create(
            title=title,
            description=description,
            issued_by_unit=home,
            issued_by=actor,
            unit=unit,
            entity=entity if entity is not None else getattr(inspection, "entity", None),
            inspection=inspection,
            issued_on=timezone.localdate(),
            deadline=deadline,
        )


def may_answer(actor: Officer, item: SupervisionItem) -> bool:
    """The director of the station the item was put to."""
    return bool(
        getattr(actor, "is_authenticated", False)
        and actor.has_role(Role.STATION_DIRECTOR)
        and access.in_scope(actor, item.unit_id)
    )


def answer_supervision(*, item: SupervisionItem, actor: Officer, response: str) -> SupervisionItem:
    """The station director's account of what was done (open or returned → answered)."""
    if not may_answer(actor, item):
        raise NotPermitted(_("只有承办所的所长可以回复督办事项。"))
    SUPERVISION.check(item, SupervisionItem.Status.ANSWERED)
    response = (response or "").strip()
    if not response:
        raise InvalidInput.single("response", _("请填写办理情况"))
    with transaction.atomic(), audit.attributed(actor):
        SUPERVISION.move(item, SupervisionItem.Status.ANSWERED)
        item.response = response
        item.responded_at = timezone.now()
        item.save()
    return item


def may_close(actor: Officer, item: SupervisionItem) -> bool:
    """Staff with SUPERVISE of the issuing unit or a unit above it."""
    if not access.can(actor, access.SUPERVISE) or not access.in_scope(actor, item.unit_id):
        return False
    home = getattr(actor, "unit", None)
    return bool(actor.is_superuser or (home and item.issued_by_unit.path.startswith(home.path)))


def close_supervision(
    *, item: SupervisionItem, actor: Officer, accepted: bool, note: str
) -> SupervisionItem:
    """The issuer accepts the answer (closed) or returns it to be done again (a note needed)."""
    if not may_close(actor, item):
        raise NotPermitted(_("只有督办单位可以办结或退回督办事项。"))
    to = SupervisionItem.Status.CLOSED if accepted else SupervisionItem.Status.RETURNED
    SUPERVISION.check(item, to)
    note = (note or "").strip()
    if not accepted and not note:
        raise InvalidInput.single("note", _("退回重办时请写明理由"))
    with transaction.atomic(), audit.attributed(actor):
        SUPERVISION.move(item, to)
        if accepted:
            item.closed_on = timezone.localdate()
        audit.set_reason(item, note)
        item.save()
    return item


def is_overdue(item: SupervisionItem, today: dt.date | None = None) -> bool:
    """Not closed, and the deadline has passed."""
    today = today or timezone.localdate()
    return item.status != SupervisionItem.Status.CLOSED and item.deadline < today


def overdue(items: QuerySet[SupervisionItem], today: dt.date | None = None) -> QuerySet[Any]:
    """The items of ``items`` not closed by their deadline (as of ``today``)."""
    today = today or timezone.localdate()
    return items.exclude(status=SupervisionItem.Status.CLOSED).filter(deadline__lt=today)


def closed_late(items: QuerySet[SupervisionItem]) -> QuerySet[Any]:
    """The items closed, but after their deadline."""
    return items.filter(status=SupervisionItem.Status.CLOSED, closed_on__gt=F("deadline"))


def exchange(item: SupervisionItem) -> list[Step]:
    """The item's exchange, oldest first, read from its trace: issued, answered, returned…"""
    labels = dict(SupervisionItem.Status.choices)
    steps = []
    for event in reversed(list(audit.history(item))):
        changes = event.changes or {}
        if event.action == "create":
            steps.append(Step(event.at, event.actor_name, _("督办"), item.description))
            continue
        status = changes.get("status")
        if not status:
            continue
        to = status[1]
        if to == SupervisionItem.Status.ANSWERED:
            text = (changes.get("response") or [None, item.response])[1] or ""
        else:
            text = event.reason
        steps.append(Step(event.at, event.actor_name, str(labels.get(to, to)), text))
    return steps
