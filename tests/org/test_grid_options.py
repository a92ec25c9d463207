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
