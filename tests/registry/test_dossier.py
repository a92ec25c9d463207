"""The entity dossier shows its supervision history (issue 9 item 21): each later domain's
card through its panel, scoped by that domain's own checks."""

from __future__ import annotations

import re

import pytest

from tests.cases.factories import make_case
from tests.conftest import client_for
from tests.inspections.factories import make_inspection
from tests.planning.draws.factories import make_draw, run
from tests.scoping.world import World, build_world
from xiaoneng.cases.models import Case
from xiaoneng.inspections.models import Inspection
from xiaoneng.planning.draws.models import DrawSelection
from xiaoneng.registry.panels import DOSSIER_ROWS

CARDS = ("patrol", "inspections", "rectifications", "cases", "draws", "credit")


@pytest.fixture
def world(db: None) -> World:
    """One entity of the east station with one record of every kind (tests/scoping/world.py),
    and a draw of all the station's operating entities, that one among them."""
    world = build_world()
    county = world.county
    draw = make_draw(
        county,
        name="城东所在营主体抽查",
        unit=county.east,
        ratios="A=1,B=1,C=1,D=1",
        population_filter={"status": ["operating"]},
    )
    world.east["full_draw"] = run(draw, county)
    return world


def _card(page: str, key: str) -> str:
    found = re.search(rf'data-testid="dossier-{key}">(.*?)</div></div>', page, re.S)
    return found.group(1) if found else ""


def test_the_dossier_shows_one_of_each(world: World) -> None:
    county, east = world.county, world.east
    entity = east["entity"]
    assert DrawSelection.objects.filter(draw=east["full_draw"], entity=entity).exists()
    page = client_for(county.division_staff).get(f"/entities/{entity.uscc}/").content.decode()
    for key in CARDS:
        assert _card(page, key), key
    patrol = _card(page, "patrol")
    assert "下次应查" in patrol and "巡查间隔" in patrol
    assert east["plan"].title in patrol and f"/plans/tasks/{east['task'].pk}/" in patrol
    inspections = _card(page, "inspections")
    assert "1 项不合格" in inspections and f"/inspections/{east['inspection'].pk}/" in inspections
    assert f"/inspections/?q={entity.uscc}" in inspections
    assert east["rectification"].number in _card(page, "rectifications")
    assert east["case"].number in _card(page, "cases")
    draws = _card(page, "draws")
    assert "城东所在营主体抽查" in draws and f"/draws/{east['full_draw'].pk}/" in draws
    proposal = east["credit_proposal"]
    assert f"{proposal.current_grade} → {proposal.proposed_grade}" in _card(page, "credit")


def test_the_next_due_date_is_the_due_rule(world: World) -> None:
    from django.utils import timezone

    from xiaoneng.planning.patrol import schedule
    from xiaoneng.planning.patrol.panels import next_due

    entity = world.east["entity"]
    dates = next_due(entity, on=timezone.localdate())
    assert dates is not None
    due = schedule.to_date(dates.due[0]).isoformat()
    page = client_for(world.county.east_director).get(f"/entities/{entity.uscc}/")
    assert f"下次应查 {due}" in _card(page.content.decode(), "patrol")


def test_an_officer_sees_no_record_outside_his_scope(world: World) -> None:
    """The division's own inspection and case of an east entity: the division sees them, the
    east station (which sees the entity) does not."""
    county, entity = world.county, world.east["entity"]
    theirs = make_inspection(entity=entity, officers=[county.division_staff], results=["fail"])
    Inspection.objects.filter(pk=theirs.pk).update(unit=county.division)
    case = make_case(entity=entity, unit=county.division, title="科室专属立案", handler=None)
    east = client_for(county.east_director).get(f"/entities/{entity.uscc}/").content.decode()
    assert f"/inspections/{theirs.pk}/" not in east and case.number not in east
    assert f"/inspections/{world.east['inspection'].pk}/" in east
    division = client_for(county.division_staff).get(f"/entities/{entity.uscc}/").content.decode()
    assert f"/inspections/{theirs.pk}/" in division and case.number in division


def test_a_station_sees_no_card_of_another_stations_entity(world: World) -> None:
    """The dossier itself is 404 out of scope, so no panel content reaches the west station."""
    entity = world.east["entity"]
    assert (
        client_for(world.county.west_director).get(f"/entities/{entity.uscc}/").status_code == 404
    )


def test_a_card_shows_the_newest_rows_and_counts_the_rest(world: World) -> None:
    county, entity = world.county, world.east["entity"]
    for n in range(DOSSIER_ROWS + 2):
        make_case(entity=entity, title=f"第{n}号案", handler=county.east_officer)
    page = client_for(county.east_director).get(f"/entities/{entity.uscc}/").content.decode()
    cases = _card(page, "cases")
    assert cases.count("/cases/") == DOSSIER_ROWS
    assert f"最近 {DOSSIER_ROWS} 条，共 {Case.objects.filter(entity=entity).count()} 条" in cases
