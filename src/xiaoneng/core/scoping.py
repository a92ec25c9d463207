"""Unit scoping: the one filter every list, detail, export and API endpoint goes through.

An officer sees and changes only the records of their unit's subtree; a bureau leader, the
whole bureau; an administrator, everything. The user model answers which units that is
(``visible_unit_ids``); each scoped model names the path to its unit in ``unit_scope_field``.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.http import Http404

from xiaoneng.core.actors import Actor, Viewer

Q = TypeVar("Q", bound=models.Model)
QS = TypeVar("QS", bound=models.QuerySet[Any])  # a model's own queryset keeps its methods


def _logged_in(user: Viewer) -> Actor | None:
    """``user`` if logged in; None for nobody or an anonymous visitor (who sees nothing)."""
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
        return None
    return user


def visible_unit_ids(user: Viewer) -> list[int] | None:
    """Ids of the units whose records ``user`` may see; None means every unit."""
    actor = _logged_in(user)
    return [] if actor is None else actor.visible_unit_ids()


def scoped(queryset: QS, user: Viewer) -> QS:
    """``queryset`` restricted to the records of the units ``user`` may see.

    A model with ``unit_scope_reads_ancestors`` holds bureau-wide records (a responsibility
    table): those of the units above the user's are readable too.
    """
    if getattr(queryset.model, "unit_scope_reads_ancestors", False):
        actor = _logged_in(user)
        ids = [] if actor is None else actor.readable_unit_ids()
    else:
        ids = visible_unit_ids(user)
    if ids is None:
        return queryset
    field = queryset.model.unit_scope_field
    return queryset.filter(**{f"{field}__in": ids})


def get_scoped(queryset: models.QuerySet[Q], user: Viewer, **lookup: Any) -> Q:
    """The one record matching ``lookup`` that ``user`` may see; 404 otherwise.

    Another unit's record answers 404 like a missing one, so its existence does not leak.
    """
    found = scoped(queryset, user).filter(**lookup).first()
    if found is None:
        raise Http404
    return found


def in_scope(user: Viewer, unit_id: int | None) -> bool:
    """Whether ``user`` may see the records of the unit ``unit_id``."""
    ids = visible_unit_ids(user)
    return ids is None or unit_id in ids
