"""The grid map (ADR 0016): the entities in view as points, or gathered into clusters when
many; the grids coloured by what later domains count per grid; bad parameters refused."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import County, client_for
from tests.registry.factories import make_entity
from xiaoneng.org.models import Officer
from xiaoneng.registry import clusters
from xiaoneng.registry.models import Entity


@pytest.fixture
def few_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    """Up to three points are shown one by one; more are gathered."""
    monkeypatch.setattr(clusters, "SHOW_POINTS_UP_TO", 3)


def shop(point: tuple[float, float], name: str, industry: str = "F5211") -> Entity:
    """A shop at ``point``: a grocery (class Ⅲ), or a restaurant (H6210, class Ⅰ)."""
    lon, lat = point
    return make_entity(longitude=lon, latitude=lat, name=name, industry=industry)


def four_east_shops(county: County) -> list[Entity]:
    """Four shops within a few metres of each other in the east grid, one of class Ⅰ."""
    lon, lat = county.east_point()
    return [
        shop((lon + n * 1e-5, lat), f"城东{n}号店", "H6210" if n == 0 else "F5211")
        for n in range(4)
    ]


def points(user: Officer, **query: Any) -> Any:
    response = client_for(user).get("/entities/points.json", query)
    assert response.status_code == 200, response.content
    return response.json()


def test_many_points_in_view_come_as_one_cluster_counting_its_class_one(
    county: County, few_shown: None
) -> None:
    made = four_east_shops(county)
    data = points(county.leader, zoom=10)
    assert data["points"] == [] and data["total"] == 4
    [(lon, lat, count, high)] = data["clusters"]
    assert (count, high) == (4, 1)
    assert lon == pytest.approx(sum(e.longitude for e in made) / 4)  # type: ignore[misc]
    assert lat == pytest.approx(made[0].latitude)


def test_a_point_alone_in_its_square_comes_as_the_point_itself(
    county: County, few_shown: None
) -> None:
    four_east_shops(county)
    alone = shop(county.west_point(), "城西小店")
    data = points(county.leader, zoom=14)
    assert data["points"] == [[alone.longitude, alone.latitude, "III", alone.uscc]]
    assert [c[2] for c in data["clusters"]] == [4]


def test_zoomed_in_to_a_street_every_point_is_shown(county: County, few_shown: None) -> None:
    four_east_shops(county)
    data = points(county.leader, zoom=clusters.POINT_ZOOM)
    assert len(data["points"]) == 4 and data["clusters"] == []


def test_few_points_are_shown_one_by_one_whatever_the_zoom(county: County) -> None:
    four_east_shops(county)
    data = points(county.leader, zoom=3)
    assert len(data["points"]) == 4 and data["clusters"] == [] and data["total"] == 4


def test_clusters_hold_only_the_users_scope_and_the_box(county: County, few_shown: None) -> None:
    four_east_shops(county)
    shop(county.west_point(), "城西小店")
    assert points(county.east_officer, zoom=10)["total"] == 4
    lon, lat = county.west_point()
    box = f"{lon - 0.001},{lat - 0.001},{lon + 0.001},{lat + 0.001}"
    assert points(county.leader, zoom=10, bbox=box)["total"] == 1


def test_clusters_follow_the_class_filter(county: County, few_shown: None) -> None:
    four_east_shops(county)
    data = points(county.leader, zoom=10, risk_class="I")
    assert data["total"] == 1 and len(data["points"]) == 1


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"zoom": "23"}, "zoom 应为 0 到 22 的整数"),
        ({"zoom": "-1"}, "zoom 应为 0 到 22 的整数"),
        ({"zoom": "1.5"}, "zoom 应为 0 到 22 的整数"),
        ({"zoom": ""}, "zoom 应为 0 到 22 的整数"),
        ({"zoom": "99999999999999999999"}, "zoom 应为 0 到 22 的整数"),
        ({"zoom": "²"}, "zoom 应为 0 到 22 的整数"),
        ({"bbox": "nan,0,1,1"}, "bbox 应为 西,南,东,北"),
        ({"bbox": "1,2,3"}, "bbox 应为 西,南,东,北"),
        ({"bbox": "0,0,inf,1", "zoom": "5"}, "bbox 应为 西,南,东,北"),
    ],
)
def test_a_bad_zoom_or_box_is_refused_with_a_json_error(
    county: County, query: dict[str, str], message: str
) -> None:
    response = client_for(county.leader).get("/entities/points.json", query)
    assert response.status_code == 400
    assert response.json() == {"detail": message, "errors": []}


def test_without_zoom_the_points_come_as_before(county: County) -> None:
    made = four_east_shops(county)
    data = points(county.leader)
    assert len(data["points"]) == 4 and not data["truncated"]
    assert {row[3] for row in data["points"]} == {e.uscc for e in made}


def test_the_grid_api_counts_each_grids_class_one_entities(county: County) -> None:
    four_east_shops(county)
    features = {
        f["id"]: f for f in client_for(county.leader).get("/api/v1/grids").json()["features"]
    }
    assert features["G-E"]["properties"]["high_risk"] == 1
    assert features["G-W"]["properties"]["high_risk"] == 0


def test_the_map_offers_to_colour_grids_by_each_share_later_domains_count(county: County) -> None:
    html = client_for(county.leader).get("/map/").content.decode()
    assert (
        '<option value="high_risk" data-header="Ⅰ类主体" data-scale="count">按Ⅰ类主体占比着色</option>'
    ) in html
    assert (
        '<option value="overdue" data-header="逾期未查" data-scale="count">按逾期未查占比着色</option>'
    ) in html
    assert '<option value="entities"' not in html
    # no model has scored the register and no month is assessed: nothing to colour by yet
    assert 'value="risk"' not in html and 'value="score"' not in html
    # the labels come as data attributes: no inline script (Content-Security-Policy)
    assert 'data-map="full"' in html and "<script>" not in html


def test_the_unit_page_heads_each_grid_column(county: County) -> None:
    html = client_for(county.east_director).get("/units/S-E/").content.decode()
    assert '<th class="text-end">在册主体</th><th class="text-end">Ⅰ类主体</th>' in html
    assert '<th class="text-end">逾期未查</th>' in html


def test_the_map_can_open_coloured_by_a_figure_it_offers(county: County) -> None:
    client = client_for(county.leader)
    html = client.get("/map/?colour=overdue").content.decode()
    assert 'value="overdue" data-header="逾期未查" data-scale="count" selected>' in html
    # a figure it does not offer: coloured by station, as without it
    html = client.get("/map/?colour=entities").content.decode()
    assert " selected>" not in html.split('id="map-colour"')[1].split("</select>")[0]
