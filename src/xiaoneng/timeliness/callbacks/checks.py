"""What the callback services share: who may record a callback or a problem's outcome, the
unit subtree a callback's records and owners come from, and the refusal of bad input."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from xiaoneng.core.errors import FieldError, InvalidInput, NotPermitted
from xiaoneng.org import access
from xiaoneng.org.models import Officer, Unit
from xiaoneng.timeliness.callbacks.models import Callback, CallbackProblem

TEXT_LENGTH = 2000


def refuse(errors: list[FieldError]) -> None:
    """Raise the first of ``errors`` (all of them carried), if any."""
    if errors:
        raise InvalidInput(f"{errors[0].field}: {errors[0].message}", errors=errors)


def within(unit: Unit) -> Q:
    """Records of ``unit``'s subtree."""
    ids = Unit.objects.subtree_ids(unit)
    return Q() if ids is None else Q(unit_id__in=ids)


def may_call(actor: Any, callback: Callback) -> bool:
    """Staff with RUN_CALLBACKS (station directors, division staff) of the callback's unit, who
    are not the officer whose work is asked about. 篇9: callbacks are made by the bureau's
    supervision staff (由纪检监察室……逐一电话回访), not by the officers who served the party, so a
    grid officer records none, and no one calls back their own work."""
    if not getattr(actor, "is_authenticated", False):
        return False
    if not access.can(actor, access.RUN_CALLBACKS):
        return False
    return access.in_scope(actor, callback.unit_id) and actor.pk != callback.officer_id


def require_call(actor: Officer | None, callback: Callback) -> None:
    """Refuse unless ``actor`` may record the callback (``may_call``); the demo acts as nobody."""
    if actor is not None and not may_call(actor, callback):
        raise NotPermitted(
            _("只有回访管理人员（所长、科室人员）可以登记回访，承办人不能回访自己办理的事项。")
        )


def may_rectify(actor: Any, problem: CallbackProblem) -> bool:
    """The problem's owner, or staff with RUN_CALLBACKS of its unit."""
    if not getattr(actor, "is_authenticated", False) or not access.in_scope(actor, problem.unit_id):
        return False
    return actor.pk == problem.owner_id or access.can(actor, access.RUN_CALLBACKS)
