"""Every list, detail, export and API endpoint is scoped to the user's unit.

The west station's officer must never see or change the east station's records; the bureau
leader sees both. Another unit's record answers 404, like one that does not exist.
"""

from __future__ import annotations

import json
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


def _detail_paths(entities: dict[str, Entity]) -> list[tuple[str, str, dict[str, Any] | None]]:
    uscc = entities["east"].uscc
    return [
        ("get", f"/entities/{uscc}/", None),
        ("get", f"/entities/{uscc}/edit/", None),
        ("post", f"/entities/{uscc}/claim/", {}),
        ("post", f"/entities/{uscc}/credit-grade/", {"credit_grade": "D", "reason": "越权尝试"}),
        ("post", f"/entities/{uscc}/risk-class/", {"risk_class": "III", "reason": "越权尝试"}),
        ("post", f"/entities/{uscc}/grid/", {"grid": "G-W", "reason": "越权尝试"}),
        ("post", f"/entities/{uscc}/archive/", {"reason": "越权尝试"}),
        ("get", "/units/S-E/", None),
        ("get", "/officers/east_officer/", None),
        ("get", "/grids/G-E/", None),
        ("get", f"/api/v1/entities/{uscc}", None),
        ("get", f"/api/v1/entities/{uscc}/history", None),
        ("patch", f"/api/v1/entities/{uscc}", {"name": "越权修改"}),
        ("post", f"/api/v1/entities/{uscc}/archive", {"reason": "越权尝试"}),
        ("post", f"/api/v1/entities/{uscc}/claim", {}),
        (
            "post",
            f"/api/v1/entities/{uscc}/credit-grade",
            {"credit_grade": "D", "reason": "越权尝试"},
        ),
        (
            "post",
            f"/api/v1/entities/{uscc}/risk-class",
            {"risk_class": "III", "reason": "越权尝试"},
        ),
        ("post", f"/api/v1/entities/{uscc}/grid", {"grid": "G-W", "reason": "越权尝试"}),
        ("get", "/api/v1/units/S-E", None),
        ("get", "/api/v1/officers/east_officer", None),
        ("get", "/api/v1/grids/G-E", None),
    ]


def test_details_and_actions_on_another_units_record_answer_404(
    county: County, entities: dict[str, Entity]
) -> None:
    client = client_for(county.west_director)
    for method, path, body in _detail_paths(entities):
        if path.startswith("/api/") and body is not None:
            response = getattr(client, method)(
                path, data=json.dumps(body), content_type="application/json"
            )
        elif body is not None:
            response = getattr(client, method)(path, data=body)
        else:
            response = getattr(client, method)(path)
        assert response.status_code == 404, f"{method} {path} answered {response.status_code}"
    east = Entity.objects.get(pk=entities["east"].pk)
    assert (east.name, east.credit_grade, east.archived_at, east.claimed_at) == (
        EAST_NAME,
        "B",
        None,
        None,
    )


def test_the_same_requests_succeed_inside_ones_own_unit(
    county: County, entities: dict[str, Entity]
) -> None:
    client = client_for(county.east_director)
    uscc = entities["east"].uscc
    assert client.get(f"/entities/{uscc}/").status_code == 200
    assert client.get(f"/api/v1/entities/{uscc}").status_code == 200
    assert client.get("/grids/G-E/").status_code == 200
