"""What the register adds to the pages of the organisation (ADR 0012): entity counts of units
and grids, and an officer's claimed entities.

Registered from ``RegistryConfig.ready()``. A count is of entities in the register
(``Entity.objects.active()``); it links to the entity list filtered the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xiaoneng.core import panels
from xiaoneng.org.models import Grid, Officer, Unit
from xiaoneng.registry.models import CreditProposal, Entity, RiskClass

# Rows of each history card on the dossier: the newest, the rest behind "全部" where a list is.
DOSSIER_ROWS = 10


def entity_list_url(**filters: str) -> str:
    """The entity list filtered by ``filters`` (``unit=code``, ``grid=code``…)."""
    query = "&".join(f"{name}={value}" for name, value in filters.items())
    return f"{reverse('registry:entity_list')}?{query}"


def _active_counts(field: str, ids: Sequence[Any]) -> dict[Any, int]:
    """Entities in the register per ``field`` (``unit`` or ``grid``) for the ``ids`` given."""
    return dict(
        Entity.objects.active()
        .filter(**{f"{field}_id__in": list(ids)})
        .order_by()
        .values_list(field)
        .annotate(n=Count("id"))
    )


@panels.register
class UnitEntities(panels.Column):
    """在册主体 of each unit: the entities it supervises."""

    models = ("org.unit",)
    name = "entities"
    header = _("在册主体")

    def values(self, rows: Sequence[Any]) -> Mapping[Any, Any]:
        return _active_counts("unit", [row.pk for row in rows])

    def link(self, row: Any) -> str:
        return entity_list_url(unit=row.code)


@panels.register
class GridEntities(panels.Column):
    """在册主体 of each grid (the grid API's ``entities`` too)."""

    models = ("org.grid",)
    name = "entities"
    header = _("在册主体")

    def values(self, rows: Sequence[Any]) -> Mapping[Any, Any]:
        return _active_counts("grid", [row.pk for row in rows])

    def link(self, row: Any) -> str:
        return entity_list_url(grid=row.code)


@panels.register
class GridHighRisk(panels.Column):
    """Ⅰ类主体 of each grid: the high-risk entities in the register (the grid map's colouring)."""

    models = ("org.grid",)
    name = "high_risk"
    header = _("Ⅰ类主体")

    def values(self, rows: Sequence[Any]) -> Mapping[Any, Any]:
        return dict(
            Entity.objects.active()
            .filter(grid_id__in=[row.pk for row in rows], risk_class=RiskClass.I)
            .order_by()
            .values_list("grid")
            .annotate(n=Count("id"))
        )

    def link(self, row: Any) -> str:
        return entity_list_url(grid=row.code, risk_class=RiskClass.I.value)


@panels.register
class UnitEntityCount(panels.Panel):
    """The unit page's figure of its entities, leading to their list."""

    models = ("org.unit",)

    def stats(self) -> str:
        unit = self.object
        assert isinstance(unit, Unit)
        count = Entity.objects.active().filter(unit=unit).count()
        return self.render(
            "registry/panels/unit_entities.html",
            {"count": count, "url": entity_list_url(unit=unit.code)},
        )


@panels.register
class OfficerClaims(panels.Panel):
    """The officer page's figure of the entities they claimed (认领)."""

    models = ("org.officer",)

    def right(self) -> str:
        officer = self.object
        assert isinstance(officer, Officer)
        count = Entity.objects.filter(claimed_by=officer).count()
        return self.render("registry/panels/officer_claims.html", {"count": count})


@panels.register
class GridEntitiesByClass(panels.Panel):
    """The grid page's entities, in all and by risk class, each leading to their list."""

    models = ("org.grid",)

    def right(self) -> str:
        grid = self.object
        assert isinstance(grid, Grid)
        entities = Entity.objects.active().filter(grid=grid)
        by_class = dict(entities.order_by().values_list("risk_class").annotate(n=Count("id")))
        rows = [
            (RiskClass(c), by_class.get(c, 0), entity_list_url(grid=grid.code, risk_class=c))
            for c in RiskClass.values
        ]
        return self.render(
            "registry/panels/grid_entities.html",
            {
                "count": sum(by_class.values()),
                "url": entity_list_url(grid=grid.code),
                "by_class": rows,
            },
        )


# The dossier's supervision history (经济户口): each later domain adds a card with its own
# panel for ``registry.entity``, scoped by its own checks, in the dossier's "full" slot.


@dataclass
class HistoryRow:
    """One line of a history card: when, what (linked), a note, and a status badge."""

    day: dt.date | dt.datetime | None
    text: str
    url: str = ""
    note: str = ""
    status: str = ""
    tone: str = "light"  # the badge's Bootstrap colour


@dataclass
class HistoryCard:
    """A card of the dossier's supervision history."""

    key: str  # data-testid="dossier-<key>"
    title: str
    rows: list[HistoryRow] = field(default_factory=list)
    total: int = 0
    more_url: str = ""  # the full list, where there is one
    summary: str = ""
    empty: str = ""  # shown when there are no rows (else an empty card is left out)


def newest(queryset: QuerySet[Any], *order: str) -> tuple[list[Any], int]:
    """The first ``DOSSIER_ROWS`` of ``queryset`` in ``order``, and how many there are."""
    return list(queryset.order_by(*order)[:DOSSIER_ROWS]), queryset.count()


class DossierPanel(panels.Panel):
    """Base of the dossier's history cards: ``card()`` gives the card, or None for nothing."""

    def entity(self) -> Entity:
        entity = self.object
        assert isinstance(entity, Entity)
        return entity

    def card(self) -> HistoryCard | None:
        raise NotImplementedError

    def full(self) -> str:
        card = self.card()
        if card is None or not (card.rows or card.summary or card.empty):
            return ""
        return self.render("registry/panels/dossier_card.html", {"card": card})


@panels.register
class CreditHistory(DossierPanel):
    """信用反馈: the credit-grade changes proposed or made for the entity, newest first."""

    models = ("registry.entity",)

    def card(self) -> HistoryCard | None:
        found, total = newest(
            CreditProposal.objects.filter(entity=self.entity()), "-proposed_at", "-id"
        )
        rows = [
            HistoryRow(
                day=p.proposed_at,
                text=f"{p.get_trigger_display()}：{p.current_grade} → {p.proposed_grade}",
                note=p.source,
                status=p.get_status_display(),
            )
            for p in found
        ]
        return HistoryCard("credit", str(_("信用反馈")), rows, total)
