"""Which draws, and which of their rows, a user sees (docs/access.md, *双随机抽查*).

A draw belongs to its organising unit (a division's draw is county-wide), so unit scoping
alone hid from a station the draws that send its officers out or choose its entities. A user
sees a draw of a unit in scope in full; and a draw that assigns an officer of a unit in scope,
or chooses an entity of one, with only those rows: the rows of another station's entities
and officers stay hidden, like every other record of another unit.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Exists, OuterRef, Q, QuerySet

from xiaoneng.core.actors import Viewer
from xiaoneng.core.scoping import in_scope, visible_unit_ids
from xiaoneng.planning.draws.models import DrawInspector, DrawSelection, RandomDraw

D = TypeVar("D", bound=QuerySet[RandomDraw])


def _touching(ids: list[int]) -> Q:
    """Rows (selections) of an entity of, or with an inspector from, the units ``ids``."""
    staffed = DrawInspector.objects.filter(selection=OuterRef("pk"), officer__unit__in=ids)
    return Q(entity__unit__in=ids) | Q(Exists(staffed))


def visible_draws(queryset: D, user: Viewer) -> D:
    """``queryset`` restricted to the draws ``user`` sees: of a unit in scope, or with a row
    of an entity or an inspector of one."""
    ids = visible_unit_ids(user)
    if ids is None:
        return queryset
    touching = DrawSelection.objects.filter(_touching(ids)).values("draw_id")
    return queryset.filter(Q(unit__in=ids) | Q(pk__in=touching))


def sees_in_full(user: Viewer, draw: RandomDraw) -> bool:
    """Whether ``user`` sees all of ``draw`` (its organising unit is in scope): every row, its
    snapshots, its verification's details, and the actions their capability allows."""
    return in_scope(user, draw.unit_id)


def visible_rows(rows: QuerySet[DrawSelection], user: Viewer, draw: RandomDraw) -> Any:
    """The rows of ``draw`` that ``user`` sees: all of them, or those of his units."""
    if sees_in_full(user, draw):
        return rows
    ids = visible_unit_ids(user)
    return rows.filter(_touching(ids or []))
