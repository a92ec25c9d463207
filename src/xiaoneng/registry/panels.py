"""What the register adds to the pages of the organisation (ADR 0012): entity counts of units
and grids, and an officer's claimed entities.

Registered from ``RegistryConfig.ready()``. A count is of entities in the register
(``Entity.objects.active()``); it links to the entity list filtered the same way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xiaoneng.core import panels
from xiaoneng.org.models import Grid, Officer, Unit
from xiaoneng.registry.models import Entity, RiskClass


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
