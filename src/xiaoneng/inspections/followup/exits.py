"""Exit supervision (退出督查, 篇7): deregistered or revoked entities found still operating.

A signed inspection that finds such an entity operating opens an exit check; an officer may
also report one found without a record. Either way the credit feedback hears of it
(EXIT_OPERATING). The check closes when the business has ceased, or becomes a case
(``cases.services.open_case``).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import audit
from xiaoneng.core.errors import Conflict, FieldError, InvalidInput
from xiaoneng.core.scoping import scoped
from xiaoneng.inspections.followup import transitions
from xiaoneng.inspections.followup.models import ExitCheck
from xiaoneng.inspections.followup.services import url_or_blank
from xiaoneng.inspections.records.models import Inspection
from xiaoneng.org import access
from xiaoneng.org.models import Officer
from xiaoneng.planning.patrol.models import Task
from xiaoneng.registry.credit.services import credit_event
from xiaoneng.registry.models import CreditTrigger, Entity

EXITED = (Entity.Status.DEREGISTERED, Entity.Status.REVOKED)
E = ExitCheck.Status


def _report(check: ExitCheck, source: str, actor: Officer) -> None:
    credit_event(
        entity=Entity.objects.get(pk=check.entity_id),
        trigger=CreditTrigger.EXIT_OPERATING,
        source=source,
        source_url=url_or_blank("inspections:exit_detail", check.pk),
        actor=actor,
    )


def exit_from_inspection(*, inspection: Inspection, actor: Officer) -> ExitCheck | None:
    """The exit check a signed inspection opens: the entity is deregistered or revoked and
    was found operating. Idempotent; an entity with an open check does not get a second."""
    entity = inspection.entity
    if entity.status not in EXITED or not inspection.entity_operating:
        return None
    existing = ExitCheck.objects.filter(
        Q(inspection=inspection) | Q(entity=entity, status=E.OPEN)
    ).first()
    if existing is not None:
        return existing
    with transaction.atomic(), audit.attributed(actor):
        check = ExitCheck.objects.create(
            entity=entity,
            unit_id=inspection.unit_id,
            inspection=inspection,
            found_on=inspection.visited_on,
            found_by_id=inspection.lead_officer_id,
            circumstances=inspection.summary.strip()
            or _("检查时发现仍在经营（%(status)s）") % {"status": entity.get_status_display()},
        )
        _report(
            check,
            _("检查记录 #%(id)s：%(status)s后仍在经营")
            % {"id": inspection.pk, "status": entity.get_status_display()},
            actor,
        )
    return check


def _check_found_on(found_on: dt.date | None, today: dt.date) -> list[FieldError]:
    if found_on is None:
        return [FieldError("found_on", _("请填写发现日期（YYYY-MM-DD）"))]
    if found_on > today:
        return [FieldError("found_on", _("发现日期不能晚于今天：%(date)s") % {"date": found_on})]
    return []


def report_exit_operating(
    *,
    entity: Entity,
    actor: Officer,
    circumstances: str,
    found_on: dt.date | None,
    today: dt.date | None = None,
) -> ExitCheck:
    """Open an exit check for a deregistered or revoked ``entity`` found operating without an
    inspection record (a tip-off, a patrol past the door)."""
    access.require(actor, access.INSPECT)
    access.require_unit(actor, entity.unit_id)
    today = today or timezone.localdate()
    errors = []
    if entity.status not in EXITED:
        errors.append(
            FieldError(
                "entity",
                _("%(name)s 的登记状态为“%(status)s”，不属于退出督查对象")
                % {"name": entity.name, "status": entity.get_status_display()},
            )
        )
    if not (circumstances or "").strip():
        errors.append(FieldError("circumstances", _("请填写经营情况")))
    errors += _check_found_on(found_on, today)
    if errors:
        raise InvalidInput(f"{errors[0].field}: {errors[0].message}", errors=errors)
    assert found_on is not None
    open_check = ExitCheck.objects.filter(entity=entity, status=E.OPEN).first()
    if open_check is not None:
        raise Conflict(
            _("%(name)s 已有待处置的退出督查（%(day)s 发现）")
            % {"name": entity.name, "day": f"{open_check.found_on:%Y-%m-%d}"}
        )
    with transaction.atomic(), audit.attributed(actor):
        check = ExitCheck.objects.create(
            entity=entity,
            unit_id=entity.unit_id,
            found_on=found_on,
            found_by=actor,
            circumstances=circumstances.strip(),
        )
        _report(
            check,
            _("退出督查 %(day)s：%(status)s后仍在经营")
            % {"day": f"{found_on:%Y-%m-%d}", "status": entity.get_status_display()},
            actor,
        )
    return check


def close_exit_check(
    *, exit_check: ExitCheck, actor: Officer, outcome: str, today: dt.date | None = None
) -> ExitCheck:
    """Close an exit check: the business has ceased (停止经营), with how it was dealt with."""
    access.require(actor, access.INSPECT)
    access.require_unit(actor, exit_check.unit_id)
    outcome = (outcome or "").strip()
    if not outcome:
        raise InvalidInput.single("outcome", _("请填写处置结果"))
    transitions.EXIT_CHECK.check(exit_check, E.CEASED)
    with transaction.atomic(), audit.attributed(actor):
        transitions.EXIT_CHECK.move(exit_check, E.CEASED)
        exit_check.closed_on = today or timezone.localdate()
        exit_check.outcome = outcome
        exit_check.save()
    return exit_check


OPEN_TASK = Q(tasks__status__in=[Task.Status.PLANNED, Task.Status.OVERFLOW])


def exited_entities(user: Officer) -> QuerySet[Entity]:
    """Deregistered or revoked entities of ``user``'s units that still have open tasks or an
    open exit check: patrols that should be cancelled, or businesses still running."""
    return (
        scoped(Entity.objects.filter(status__in=EXITED), user)
        .annotate(
            open_tasks=Count("tasks", filter=OPEN_TASK, distinct=True),
            open_checks=Count("exit_checks", filter=Q(exit_checks__status=E.OPEN), distinct=True),
        )
        .filter(Q(open_tasks__gt=0) | Q(open_checks__gt=0))
        .select_related("grid", "unit")
        .order_by("-open_checks", "name", "pk")
    )


def checks_open_first(queryset: QuerySet[ExitCheck]) -> QuerySet[ExitCheck]:
    """Exit checks, the open ones first, newest first within each."""
    closed = Case(When(status=E.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField())
    return queryset.annotate(closed=closed).order_by("closed", "-found_on", "-pk")
