"""What the register adds to the organisation's pages (ADR 0012): entity counts of units and
grids, an officer's claims, the grid API's ``entities``; and the grid map, a register page."""

from __future__ import annotations

from django.utils import timezone

from tests.conftest import County, client_for
from tests.registry.factories import make_entity
from xiaoneng.registry.models import Entity


def east_entities(county: County) -> list[Entity]:
    """Two entities in the east grid and a third one archived (it counts nowhere)."""
    lon, lat = county.east_point()
    made = [make_entity(longitude=lon, latitude=lat, name=f"城东{n}号店") for n in range(3)]
    Entity.objects.filter(pk=made[2].pk).update(archived_at=timezone.now())
    return made


def page(county: County, path: str) -> str:
    return client_for(county.east_director).get(path).content.decode()


def test_the_unit_list_counts_each_units_entities(county: County) -> None:
    east_entities(county)
    html = page(county, "/units/")
    assert '<th class="text-end">在册主体</th>' in html
    row = html[html.index('href="/units/S-E/"') :].split("</tr>")[0]
    assert row.endswith('<td class="text-end">1</td><td class="text-end">2</td>')


def test_the_unit_page_shows_its_entities_and_each_grids(county: County) -> None:
    east_entities(county)
    html = page(county, "/units/S-E/")
    assert (
        'href="/entities/?unit=S-E"><div class="card p-3"><div class="stat-value">2</div>' in html
    )
    row = html[html.index('href="/grids/G-E/"') :].split("</tr>")[0]
    # the register's 在册主体 is the first of the columns later domains add to the grid rows
    assert row.split('<td class="text-end">')[1] == "2</td>"


def test_the_officer_page_links_each_grids_entities_and_counts_claims(county: County) -> None:
    made = east_entities(county)
    Entity.objects.filter(pk=made[0].pk).update(claimed_by=county.east_director)
    html = page(county, f"/officers/{county.east_officer.username}/")
    assert '<td class="text-end"><a href="/entities/?grid=G-E">2</a></td>' in html
    html = page(county, f"/officers/{county.east_director.username}/")
    assert '<div class="stat-value">1</div><div class="stat-label">已认领的主体</div>' in html


def test_the_grid_page_counts_entities_by_risk_class(county: County) -> None:
    made = east_entities(county)
    html = page(county, "/grids/G-E/")
    assert '<div class="stat-value mb-2"><a href="/entities/?grid=G-E">2</a></div>' in html
    risk_class = made[0].risk_class
    assert f'href="/entities/?grid=G-E&amp;risk_class={risk_class}">' in html


def test_the_grid_api_counts_the_entities_of_each_grid(county: County) -> None:
    east_entities(county)
    client = client_for(county.leader)
    features = {f["id"]: f for f in client.get("/api/v1/grids").json()["features"]}
    assert features["G-E"]["properties"]["entities"] == 2
    assert features["G-W"]["properties"]["entities"] == 0
    one = client.get("/api/v1/grids/G-E").json()
    assert one["properties"]["entities"] == 2


def test_the_grid_map_is_a_register_page(county: County) -> None:
    html = page(county, "/map/")
    assert 'data-testid="grid-map"' in html and 'id="map-risk"' in html
