"""What patrol planning adds to the organisation's grids (ADR 0012): each grid's entities
overdue for patrol by the one due rule, in the grid API (the grid map's choropleth)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tests.conftest import County, client_for
from tests.registry.factories import make_entity
from xiaoneng.planning.patrol import schedule
from xiaoneng.planning.patrol.panels import overdue_by_grid


def grid_properties(county: County) -> dict[str, dict[str, object]]:
    collection = client_for(county.leader).get("/api/v1/grids").json()
    return {f["id"]: f["properties"] for f in collection["features"]}


def test_registered_long_ago_and_never_inspected_is_overdue_on_the_map(county: County) -> None:
    lon, lat = county.east_point()
    make_entity(longitude=lon, latitude=lat, registered_on=dt.date(2020, 1, 1))
    make_entity(longitude=lon, latitude=lat, registered_on=timezone.localdate())
    grids = grid_properties(county)
    assert (grids["G-E"]["overdue"], grids["G-W"]["overdue"]) == (1, 0)


def test_overdue_per_grid_is_the_overdue_list_of_the_due_rule(county: County) -> None:
    lon, lat = county.east_point()
    for year in (2019, 2020, timezone.localdate().year):
        make_entity(longitude=lon, latitude=lat, registered_on=dt.date(year, 1, 1))
    today = timezone.localdate()
    due = schedule.due_in_period(unit=None, start=today, end=today - dt.timedelta(days=1))
    assert len(due) >= 2
    assert overdue_by_grid([county.east_grid.pk, county.west_grid.pk], on=today) == {
        county.east_grid.pk: len(due)
    }
