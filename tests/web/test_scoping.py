"""Every list, detail, export and API endpoint is scoped to the user's unit.

The west station's officer must never see or change the east station's records; the bureau
leader sees both. Another unit's record answers 404, like one that does not exist: every URL
pattern and API operation is checked so by ``test_scoping_all.py``; the cases here assert what
a list holds (its own unit's records, the bureau's, export formats) and that the same requests
succeed inside one's own unit.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import County, client_for
from tests.registry.factories import make_entity
from xiaoneng.registry.models import Entity

EAST_NAME = "城东专属餐馆"
WEST_NAME = "城西专属超市"


@pytest.fixture
def entities(county: County) -> dict[str, Entity]:
    east = make_entity(
        name=EAST_NAME, longitude=county.east_point()[0], latitude=county.east_point()[1]
    )
    west = make_entity(
        name=WEST_NAME,
        industry="F5212",
        longitude=county.west_point()[0],
        latitude=county.west_point()[1],
    )
    bureau = make_entity(
        name="网格外小卖部",
        industry="F5211",
        longitude=county.outside_point()[0],
        latitude=county.outside_point()[1],
    )
    return {"east": east, "west": west, "bureau": bureau}


LIST_PAGES = [
    "/",
    "/entities/?q=专属",
    "/entities/unclaimed/",
    "/entities/outside-grids/",
    "/entities/points.json",
    "/units/",
    "/officers/",
    "/transfer/export/entities/?format=csv",
    "/transfer/export/units/?format=csv",
    "/transfer/export/officers/?format=csv",
    "/transfer/export/grids/?format=geojson",
    "/api/v1/entities?page_size=500",
    "/api/v1/units",
    "/api/v1/officers",
    "/api/v1/grids",
    "/api/v1/export/entities?format=csv",
]


def _content(response: Any) -> str:
    return response.content.decode("utf-8")


@pytest.mark.parametrize("path", LIST_PAGES)
def test_lists_and_exports_hide_another_units_records(
    county: County, entities: dict[str, Entity], path: str
) -> None:
    east, west = entities["east"], entities["west"]
    response = client_for(county.west_officer).get(path)
    assert response.status_code == 200
    text = _content(response)
    for secret in (EAST_NAME, east.uscc, "城东所", "east_officer", "G-E"):
        assert secret not in text, f"{path} shows {secret}"
    assert entities["bureau"].uscc not in text
    if path in {
        "/entities/?q=专属",
        "/api/v1/entities?page_size=500",
        "/transfer/export/entities/?format=csv",
    }:
        assert west.uscc in text


@pytest.mark.parametrize(
    "path", ["/entities/?q=专属", "/api/v1/entities?page_size=500", "/entities/points.json"]
)
def test_bureau_leader_sees_every_station(
    county: County, entities: dict[str, Entity], path: str
) -> None:
    text = _content(client_for(county.leader).get(path))
    assert entities["east"].uscc in text and entities["west"].uscc in text


def test_division_staff_see_the_whole_bureau(county: County, entities: dict[str, Entity]) -> None:
    data = client_for(county.division_staff).get("/api/v1/entities").json()
    assert data["count"] == 3


def test_the_same_requests_succeed_inside_ones_own_unit(
    county: County, entities: dict[str, Entity]
) -> None:
    client = client_for(county.east_director)
    uscc = entities["east"].uscc
    assert client.get(f"/entities/{uscc}/").status_code == 200
    assert client.get(f"/api/v1/entities/{uscc}").status_code == 200
    assert client.get("/grids/G-E/").status_code == 200
