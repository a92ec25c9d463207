"""Who sees which accountability actions, and the list filters the page and the API share.

An action is visible to the officer concerned (篇9: the person held to account is told), and
to those who decide actions or watch the units (DECIDE_ACCOUNTABILITY, VIEW_OVERSIGHT, the
administrator) within their unit scope. Nobody else sees one: a colleague's action answers 404.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from xiaoneng.core.actors import Viewer
from xiaoneng.core.scoping import visible_unit_ids
from xiaoneng.org import access
from xiaoneng.org.models import Role, Unit
from xiaoneng.timeliness.accountability.models import AccountabilityAction


def oversees(user: Viewer) -> bool:
    """Whether ``user`` sees the actions of the officers in their scope, not only their own."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(
        access.can(user, access.DECIDE_ACCOUNTABILITY)  # type: ignore[arg-type]
        or access.can(user, access.VIEW_OVERSIGHT)  # type: ignore[arg-type]
        or user.has_role(Role.ADMINISTRATOR)  # type: ignore[union-attr]
    )


def visible_actions(user: Viewer) -> QuerySet[AccountabilityAction]:
    """The actions ``user`` may see: their own, and those of their scope if they oversee it."""
    rows = AccountabilityAction.objects.select_related(
        "officer", "unit", "decided_by", "warning", "callback", "callback_problem", "trace_flag"
    )
    if user is None or not getattr(user, "is_authenticated", False):
        return rows.none()
    own = Q(officer_id=user.pk)
    if not oversees(user):
        return rows.filter(own)
    ids = visible_unit_ids(user)
    return rows if ids is None else rows.filter(own | Q(unit_id__in=ids))


def get_visible(user: Viewer, pk: int) -> AccountabilityAction:
    """The action ``pk`` if ``user`` may see it; 404 otherwise, like one that does not exist."""
    found = visible_actions(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def filtered(
    actions: QuerySet[AccountabilityAction],
    *,
    kind: str = "",
    unit: str = "",
    year: int | str | None = None,
    revoked: bool | None = None,
) -> QuerySet[AccountabilityAction]:
    """``actions`` of a kind, of a unit's subtree (by code), decided in a year."""
    if kind:
        actions = actions.filter(kind=kind)
    if unit:
        found = Unit.objects.filter(code=unit).first()
        actions = actions.filter(unit__path__startswith=found.path) if found else actions.none()
    if year:
        actions = actions.filter(decided_on__year=int(year))
    if revoked is not None:
        actions = actions.filter(revoked_at__isnull=not revoked)
    return actions
