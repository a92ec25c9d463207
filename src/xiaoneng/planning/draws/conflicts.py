"""Conflicts of interest (回避): an officer is never drawn onto an entity they declared one with."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from xiaoneng.core.audit import attributed
from xiaoneng.core.errors import Conflict, InvalidInput
from xiaoneng.org import access
from xiaoneng.org.models import Officer
from xiaoneng.planning.draws import services as draws
from xiaoneng.planning.draws.models import ConflictDeclaration
from xiaoneng.registry.models import Entity


def declare_conflict(
    *,
    officer: Officer,
    entity: Entity,
    reason: str,
    actor: Officer | None,
    at: dt.datetime | None = None,
) -> ConflictDeclaration:
    """``officer`` will not be drawn onto ``entity`` in draws committed from now on.

    An officer declares for themself; division staff and administrators may record a
    declaration for an officer of their scope.
    """
    if actor is not None:
        if actor.pk != officer.pk:
            access.require(actor, access.RUN_DRAWS)
            access.require_unit(actor, officer.unit_id)
        access.require_unit(actor, entity.unit_id)
    if not reason.strip():
        raise InvalidInput.single("reason", _("请填写回避理由"))
    if not officer.certificate_number:
        raise InvalidInput.single(
            "officer",
            _("%(officer)s 没有执法证号，不会被抽为检查人员，无需声明回避") % {"officer": officer},
        )
    if ConflictDeclaration.objects.filter(officer=officer, entity=entity).exists():
        raise Conflict(
            _("%(officer)s 已声明对 %(entity)s 回避") % {"officer": officer, "entity": entity}
        )
    with transaction.atomic(), attributed(actor):
        return ConflictDeclaration.objects.create(
            officer=officer, entity=entity, reason=reason.strip(), declared_at=draws.moment(at)
        )
