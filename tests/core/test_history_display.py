"""The trace as people read it: rounded coordinates, geometries summarised, choices labelled."""

from __future__ import annotations

from tests.conftest import County
from tests.registry.factories import make_entity
from xiaoneng.core.audit import history
from xiaoneng.core.history import readable
from xiaoneng.org import services
from xiaoneng.org.models import Grid
from xiaoneng.registry.models import Entity


def test_coordinates_are_shown_rounded_and_choices_by_label(county: County) -> None:
    entity = make_entity(longitude=81.205 + 1e-15, latitude=43.855000000000004)
    entity.status = Entity.Status.SUSPENDED
    entity.save()
    (created,) = [
        item for item in readable(history(entity), Entity) if item.event.action == "create"
    ]
    shown = {c.label: c.new for c in created.changes}
    assert shown["纬度"] == "43.855"
    assert shown["经度"] == "81.205"
    updated = readable(history(entity), Entity)[0]
    assert [(c.label, c.old, c.new) for c in updated.changes] == [
        ("登记状态", "存续（在营）", "停业（歇业）")
    ]


def test_a_grid_boundary_is_summarised_not_dumped(county: County) -> None:
    grid = county.east_grid
    services.set_grid_officer(grid=grid, officer=county.east_director)
    item = readable(history(grid), Grid)[-1]
    boundary = next(c for c in item.changes if c.label == "边界（GeoJSON）")
    assert boundary.new == "Polygon，5 个顶点"
    latest = readable(history(grid), Grid)[0]
    assert [(c.label, c.new) for c in latest.changes] == [("责任人", str(county.east_director))]
