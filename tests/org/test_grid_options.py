"""Grid suggestions in filter forms: listed for a county, searched as typed for a province."""

from __future__ import annotations

import pytest

from tests.conftest import County, client_for
from xiaoneng.org import views

pytestmark = pytest.mark.django_db

URL = "/grid-options/"


def test_the_options_are_the_users_grids_matching_what_was_typed(county: County) -> None:
    leader = client_for(county.leader)
    assert leader.get(URL).content.decode().strip() == (
        f'<option value="G-E">{county.east_grid.name}</option>'
        f'<option value="G-W">{county.west_grid.name}</option>'
    )
    # By the code's start, or anywhere in the name; case does not matter.
    assert leader.get(URL, {"grid": "g-w"}).content.decode().count("<option") == 1
    assert 'value="G-W"' in leader.get(URL, {"grid": "g-w"}).content.decode()
    assert leader.get(URL, {"q": county.east_grid.name}).content.decode().count("<option") == 1
    assert leader.get(URL, {"grid": "nothing-like-it"}).content.decode().strip() == ""


def test_a_station_finds_only_its_own_grids(county: County) -> None:
    west = client_for(county.west_officer).get(URL, {"grid": "G-"}).content.decode()
    assert 'value="G-W"' in west
    assert "G-E" not in west


def test_at_most_thirty_are_offered(county: County, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(views, "GRID_MATCHES", 1)
    assert client_for(county.leader).get(URL).content.decode().count("<option") == 1


def test_the_entity_list_lists_a_countys_grids_and_searches_a_provinces(
    county: County, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = client_for(county.leader).get("/entities/").content.decode()
    assert '<option value="G-E">' in page
    assert 'data-testid="grid-search"' not in page
    monkeypatch.setattr(views, "GRID_SUGGESTIONS", 1)
    page = client_for(county.leader).get("/entities/").content.decode()
    assert '<option value="G-E">' not in page
    assert 'data-testid="grid-search"' in page
    assert f'hx-get="{URL}"' in page
    # The station's own page still lists its one grid.
    page = client_for(county.west_officer).get("/entities/").content.decode()
    assert '<option value="G-W">' in page


def test_the_options_need_a_login(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get(URL).status_code == 302


def _placing(county: County):  # type: ignore[no-untyped-def]
    from tests.registry.factories import make_entity

    lon, lat = county.west_point()
    return make_entity(longitude=lon, latitude=lat, name="西片便民店")


def test_placing_by_hand_names_a_code_that_is_not_one_of_the_users_grids(
    county: County,
) -> None:
    entity = _placing(county)
    before = entity.grid_id
    director = client_for(county.west_director)
    for code in ("NOPE", "G-E"):  # no such grid; another station's grid
        response = director.post(
            f"/entities/{entity.uscc}/grid/",
            {"grid": code, "reason": "现场核实所在网格"},
            follow=True,
        )
        assert f"网格 {code} 不存在，或不在您的辖区内" in response.content.decode()
        entity.refresh_from_db()
        assert entity.grid_id == before and not entity.grid_overridden
    response = director.post(
        f"/entities/{entity.uscc}/grid/",
        {"grid": " G-W ", "reason": "现场核实所在网格"},
        follow=True,
    )
    entity.refresh_from_db()
    assert entity.grid_id == county.west_grid.pk and entity.grid_overridden


def test_the_dossier_and_the_outside_list_search_grids_past_the_limit(
    county: County, monkeypatch: pytest.MonkeyPatch
) -> None:
    entity = _placing(county)
    leader = client_for(county.leader)
    dossier = leader.get(f"/entities/{entity.uscc}/").content.decode()
    assert '<option value="G-E">G-E ' in dossier and 'data-testid="grid-search"' not in dossier
    monkeypatch.setattr(views, "GRID_SUGGESTIONS", 1)
    dossier = leader.get(f"/entities/{entity.uscc}/").content.decode()
    assert '<option value="G-E">' not in dossier and 'data-testid="grid-search"' in dossier
    outside = leader.get("/entities/outside-grids/")
    assert outside.status_code == 200
    assert '<option value="G-W">' not in outside.content.decode()
