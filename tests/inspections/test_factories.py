"""The shared factories build what the other tests rely on."""

from __future__ import annotations

from tests.conftest import County
from tests.inspections.factories import make_checklist, make_inspection
from tests.registry.factories import make_entity


def test_make_inspection_builds_a_signed_record_with_its_team_and_results(county: County) -> None:
    lon, lat = county.east_point()
    entity = make_entity(longitude=lon, latitude=lat)
    checklist = make_checklist(items=3)
    inspection = make_inspection(
        entity=entity,
        officers=[county.east_officer, county.east_director],
        checklist=checklist,
        results=["pass", "fail", "na"],
    )
    assert inspection.status == "signed"
    assert inspection.unit_id == county.east.pk
    assert inspection.items_failed == 1
    assert not inspection.uniform
    assert inspection.team.count() == 2
    assert [r.result for r in inspection.results.order_by("item__position")] == [
        "pass",
        "fail",
        "na",
    ]
    assert (inspection.checkin_longitude, inspection.checkin_latitude) == (lon, lat)
