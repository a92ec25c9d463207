"""In a real browser: log in, search an entity, open its dossier, see the map, claim."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.conftest import County
from tests.registry.factories import make_entity
from xiaoneng.registry.models import Entity

pytestmark = pytest.mark.e2e

EAST_NAME = "城东老王餐饮有限公司"
WEST_NAME = "城西小李餐饮有限公司"
OTHER_EAST_NAME = "城东便民超市"

Login = Callable[[str], Any]


def east_entity(county: County, name: str = EAST_NAME) -> Entity:
    lon, lat = county.east_point()
    return make_entity(longitude=lon, latitude=lat, name=name)


def west_entity(county: County, name: str = WEST_NAME) -> Entity:
    lon, lat = county.west_point()
    return make_entity(longitude=lon, latitude=lat, name=name)


def rows(page: Any) -> Any:
    return page.locator("table.table-entities tbody tr")


PAINTED = """(selector) => {
  const map = document.querySelector(selector);
  if (map.querySelector("path.leaflet-interactive")) return true;
  for (const canvas of map.querySelectorAll(".leaflet-overlay-pane canvas")) {
    if (!canvas.width || !canvas.height) continue;
    const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) return true;
  }
  return false;
}"""


def assert_styled(page: Any) -> None:
    """Bootstrap's stylesheet is loaded: the navigation bar has its primary background."""
    colour = page.locator("nav.navbar").evaluate("n => getComputedStyle(n).backgroundColor")
    assert colour not in ("rgba(0, 0, 0, 0)", "transparent"), colour


def test_log_in_lands_on_the_overview(e2e_county: County, page: Any, login: Login) -> None:
    login("east_officer")

    assert re.fullmatch(r"http://[^/]+/", page.url), page.url
    expect(page.locator("h1")).to_contain_text("概览")
    expect(page.get_by_test_id("user-menu")).to_contain_text(e2e_county.east_officer.name)
    expect(page.get_by_test_id("user-menu")).to_contain_text("城东所")
    assert_styled(page)


def test_wrong_password_shows_the_error_and_stays(
    e2e_county: County, page: Any, login: Any
) -> None:
    login("east_officer", "wrong horse 1")

    expect(page.get_by_test_id("login-error")).to_be_visible()
    assert page.url.endswith("/login/"), page.url
    expect(page.get_by_test_id("user-menu")).to_have_count(0)
    expect(page.locator("#id_username")).to_have_value("east_officer")


def test_search_then_open_the_dossier(
    e2e_county: County, page: Any, login: Login, tmp_path: Path
) -> None:
    entity = east_entity(e2e_county)
    east_entity(e2e_county, OTHER_EAST_NAME)
    west_entity(e2e_county)
    login("admin")

    page.goto("/entities/")
    expect(rows(page)).to_have_count(3)
    page.fill("#q", "老王")
    # htmx replaces the table (after its 400 ms delay) and pushes the query into the address.
    expect(rows(page)).to_have_count(1)
    expect(rows(page).first).to_contain_text(EAST_NAME)
    expect(page.locator("#entity-table")).not_to_contain_text(OTHER_EAST_NAME)
    expect(page.locator("#entity-table")).not_to_contain_text(WEST_NAME)
    expect(page).to_have_url(re.compile(r"/entities/\?q="))

    page.get_by_role("link", name=EAST_NAME).click()
    expect(page).to_have_url(re.compile(rf"/entities/{entity.uscc}/$"))
    expect(page.get_by_test_id("dossier-name")).to_have_text(EAST_NAME)
    expect(page.locator("main")).to_contain_text(entity.uscc)
    expect(page.get_by_test_id("dossier-grid")).to_contain_text("G-E")
    history = page.get_by_test_id("history")
    expect(history).to_be_visible()
    expect(history).to_contain_text("新建")
    expect(page.locator("#dossier-map.leaflet-container")).to_be_visible()
    assert_styled(page)
    page.screenshot(path=tmp_path / "dossier.png", full_page=True)


def test_dossier_map_draws_the_grid_and_the_entity(
    e2e_county: County, page: Any, login: Login
) -> None:
    entity = east_entity(e2e_county)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    login("admin")

    page.goto(f"/entities/{entity.uscc}/")
    expect(page.locator("#dossier-map.leaflet-container")).to_be_visible()
    page.wait_for_load_state("load")
    assert errors == []
    expect(page.locator("#dossier-map")).to_have_attribute("data-drawn", "2")
    page.wait_for_function(PAINTED, arg="#dossier-map", timeout=3_000)


def test_map_draws_grids_and_entities(
    e2e_county: County, page: Any, login: Login, tmp_path: Path
) -> None:
    east_entity(e2e_county)
    west_entity(e2e_county)
    login("admin")

    page.goto("/map/")
    grid_map = page.locator("#grid-map")
    expect(grid_map).to_have_attribute("data-grids", "2")
    page.wait_for_function(
        "() => Number(document.querySelector('#grid-map').dataset.points) >= 1",
        timeout=10_000,
    )
    # map.js uses Leaflet's canvas renderer (preferCanvas), which has no per-shape SVG paths
    # (.leaflet-interactive); accept those, or a canvas in the overlay pane with paint on it.
    page.wait_for_function(PAINTED, arg="#grid-map", timeout=10_000)
    expect(page.locator("#map-status")).to_contain_text("2")
    box = grid_map.bounding_box()
    assert box is not None and box["height"] > 200 and box["width"] > 200, box
    assert_styled(page)
    page.screenshot(path=tmp_path / "map.png", full_page=True)


def test_an_officer_does_not_see_another_stations_entity(
    e2e_county: County, page: Any, login: Login
) -> None:
    east = east_entity(e2e_county)
    west_entity(e2e_county)
    login("west_officer")

    page.goto("/entities/")
    expect(rows(page)).to_have_count(1)
    page.fill("#q", "餐饮")
    expect(page).to_have_url(re.compile(r"/entities/\?q="))
    expect(rows(page)).to_have_count(1)
    expect(rows(page).first).to_contain_text(WEST_NAME)
    expect(page.locator("#entity-table")).not_to_contain_text(EAST_NAME)

    page.fill("#q", "老王")
    expect(page.locator("#entity-table")).to_contain_text("没有符合条件的市场主体")

    response = page.goto(f"/entities/{east.uscc}/")
    assert response is not None and response.status == 404


def test_grid_officer_claims_a_new_entity(e2e_county: County, page: Any, login: Login) -> None:
    entity = east_entity(e2e_county)
    login("east_officer")

    page.goto(f"/entities/{entity.uscc}/")
    expect(page.locator("main")).to_contain_text("待认领")
    with page.expect_navigation():
        page.get_by_test_id("claim").click()

    expect(page.locator(".alert-success")).to_contain_text(f"已认领：{EAST_NAME}")
    claim_state = page.locator("dt:text-is('认领') + dd")
    expect(claim_state).to_contain_text(e2e_county.east_officer.name)
    expect(page.get_by_test_id("claim")).to_have_count(0)
    entity.refresh_from_db()
    assert entity.claimed_by_id == e2e_county.east_officer.pk
