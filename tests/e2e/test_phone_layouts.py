"""Phone and desktop layouts in a real browser (issue 9, items 23–24): no page wider than the
screen at 390 and 1280 px, lists as cards below 576 px, the case list's subject and party
readable on a desktop, chart texts that do not run over each other on a phone, and the grid
map with its clusters, grid labels and colouring, without a console error.

Screenshots go to ``tmp_path`` (``--basetemp`` keeps them) for a person to look at.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.conftest import County
from tests.e2e.conftest import PASSWORD
from tests.registry.factories import make_entity
from tests.reports.helpers import make_case
from xiaoneng.cases.models import Case
from xiaoneng.registry import clusters

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
WIDTHS = {"phone": PHONE, "desktop": DESKTOP}
LIST_PAGES = ("/entities/", "/cases/", "/oversight/", "/supervision/", "/reviews/")
PAGES = ("/", *LIST_PAGES, "/map/")
LONG_TITLE = "伊宁示范县某某商贸有限公司经营无中文标签进口预包装食品案"
LONG_PARTY = "伊宁示范县某某商贸有限公司"

OVERFLOW = "() => [document.documentElement.scrollWidth, window.innerWidth]"
# Pairs of texts of an SVG chart whose boxes overlap by more than a pixel each way.
OVERLAPPING_TEXTS = """(selector) => {
  const boxes = Array.from(document.querySelectorAll(`${selector} svg text`))
    .filter((t) => t.textContent.trim() && t.getBBox().width > 0)
    .map((t) => [t.textContent.trim(), t.getBoundingClientRect()]);
  const found = [];
  for (let i = 0; i < boxes.length; i += 1)
    for (let j = i + 1; j < boxes.length; j += 1) {
      const [a, p] = boxes[i], [b, q] = boxes[j];
      const x = Math.min(p.right, q.right) - Math.max(p.left, q.left);
      const y = Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top);
      if (x > 1 && y > 1) found.push(`${a} / ${b}`);
    }
  return [boxes.length, found];
}"""


@pytest.fixture
def county_with_records(e2e_county: County) -> County:
    """Entities in both grids and a case with a long subject and party."""
    for n, point in enumerate([e2e_county.east_point(), e2e_county.west_point()] * 3):
        lon, lat = point
        make_entity(longitude=lon + n * 1e-4, latitude=lat, name=f"示范县第{n}号便民超市")
    case = make_case(e2e_county.east, e2e_county.east_officer)
    Case.objects.filter(pk=case.pk).update(title=LONG_TITLE, party=LONG_PARTY)
    return e2e_county


@pytest.fixture
def open_as(browser: Any, live_server: Any) -> Iterator[Callable[[str, dict[str, int]], Any]]:
    """A logged-in page of the given size; console errors are kept in ``page.errors``."""
    contexts: list[Any] = []

    def open_page(username: str, viewport: dict[str, int], language: str = "") -> Any:
        context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=viewport)
        if language:
            cookie = {"name": "django_language", "value": language, "url": live_server.url}
            context.add_cookies([cookie])
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.goto("/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        with page.expect_navigation():
            page.click("button[type=submit]")
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.mark.parametrize("size", WIDTHS)
def test_no_page_is_wider_than_the_screen(
    county_with_records: County, open_as: Any, size: str, tmp_path: Path
) -> None:
    page = open_as("leader", WIDTHS[size])
    for path in PAGES:
        response = page.goto(path)
        assert response is not None and response.ok, path
        page.wait_for_load_state("networkidle")
        scroll_width, width = page.evaluate(OVERFLOW)
        page.screenshot(path=tmp_path / f"{size}{path.replace('/', '_')}.png", full_page=True)
        assert scroll_width <= width, f"{path} at {size}: {scroll_width} > {width}"
    assert page.errors == []


def test_the_english_menu_wraps_instead_of_widening_the_page(
    county_with_records: County, open_as: Any
) -> None:
    """English menu labels are longer than the Chinese ones: at 1280 px the menu takes a second
    row; the page stays as wide as the screen."""
    page = open_as("admin", DESKTOP, language="en")
    page.goto("/entities/")
    assert page.locator("html").get_attribute("lang") == "en"
    scroll_width, width = page.evaluate(OVERFLOW)
    assert scroll_width <= width, f"{scroll_width} > {width}"


@pytest.mark.parametrize(
    ("path", "table"),
    [
        ("/entities/", "table.table-entities"),
        ("/cases/", "table[data-testid=cases]"),
        ("/oversight/", "table[data-testid=by-unit]"),
    ],
)
def test_lists_are_cards_on_a_phone_and_tables_on_a_desktop(
    county_with_records: County, open_as: Any, path: str, table: str
) -> None:
    phone = open_as("leader", PHONE)
    phone.goto(path)
    first_row = phone.locator(f"{table} tbody tr").first
    expect(phone.locator(f"{table} thead")).to_be_hidden()
    assert first_row.evaluate("r => getComputedStyle(r).display") == "block"
    labelled = phone.locator(f"{table} tbody tr td[data-label]").first
    label = labelled.evaluate("c => getComputedStyle(c, '::before').content")
    assert label.strip('"') == labelled.get_attribute("data-label")
    desktop = open_as("leader", DESKTOP)
    desktop.goto(path)
    expect(desktop.locator(f"{table} thead")).to_be_visible()
    row = desktop.locator(f"{table} tbody tr").first
    assert row.evaluate("r => getComputedStyle(r).display") == "table-row"


def test_the_case_lists_subject_and_party_are_readable_on_a_desktop(
    county_with_records: County, open_as: Any
) -> None:
    page = open_as("leader", DESKTOP)
    page.goto("/cases/")
    row = page.locator("table[data-testid=cases] tbody tr", has_text=LONG_TITLE)
    title = row.locator("td.case-title")
    party = row.locator("td.case-party")
    # at least 12 characters a line (not one character a line), and two lines at most
    font = float(title.evaluate("c => parseFloat(getComputedStyle(c).fontSize)"))
    for cell, text in ((title, LONG_TITLE), (party, LONG_PARTY)):
        box = cell.bounding_box()
        assert box is not None and box["width"] >= 9 * font, (text, box)
    title_lines = title.evaluate(
        "c => Math.round(c.getBoundingClientRect().height / parseFloat(getComputedStyle(c).lineHeight))"
    )
    assert title_lines <= 3


@pytest.mark.parametrize("size", WIDTHS)
def test_the_overview_charts_texts_do_not_overlap(
    county_with_records: County, open_as: Any, size: str, tmp_path: Path
) -> None:
    page = open_as("leader", WIDTHS[size])
    page.goto("/?overview=1")  # the leader's home is the cockpit; the overview stays here
    page.wait_for_function(
        "() => document.querySelectorAll('#matrix-chart svg text').length > 3", timeout=10_000
    )
    count, overlapping = page.evaluate(OVERLAPPING_TEXTS, "#matrix-chart")
    page.locator("#matrix-chart").screenshot(path=tmp_path / f"chart-{size}.png")
    assert count > 3 and overlapping == []


@pytest.fixture
def few_points_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    """The live server runs in this process: gather the map's points from three on."""
    monkeypatch.setattr(clusters, "SHOW_POINTS_UP_TO", 2)


@pytest.mark.parametrize("size", WIDTHS)
def test_the_map_draws_clusters_grid_labels_and_a_choropleth(
    county_with_records: County, few_points_shown: None, open_as: Any, size: str, tmp_path: Path
) -> None:
    page = open_as("leader", WIDTHS[size])
    page.goto("/map/")
    grid_map = page.locator("#grid-map")
    expect(grid_map).to_have_attribute("data-grids", "2")
    page.wait_for_function("() => document.querySelector('#grid-map').dataset.total === '6'")
    expect(page.locator("#grid-map .map-cluster").first).to_be_visible()
    clusters_shown = page.locator("#grid-map .map-cluster")
    total = sum(int(text) for text in clusters_shown.all_inner_texts())
    assert total + int(grid_map.get_attribute("data-points") or 0) == 6
    expect(page.locator("#grid-map .grid-label span", has_text="G-E")).to_be_visible()
    expect(page.locator("#map-status")).to_contain_text("共 6 户")
    page.screenshot(path=tmp_path / f"map-{size}.png")

    page.select_option("#map-colour", "high_risk")
    expect(grid_map).to_have_attribute("data-colour", "high_risk")
    expect(page.locator("#map-legend .map-legend-item").first).to_be_visible()
    page.select_option("#map-colour", "overdue")
    expect(grid_map).to_have_attribute("data-colour", "overdue")

    clusters_shown.first.click()  # zooms in on the cluster
    page.wait_for_function("() => document.querySelector('#grid-map').dataset.points !== undefined")
    page.screenshot(path=tmp_path / f"map-{size}-colour.png")
    scroll_width, width = page.evaluate(OVERFLOW)
    assert scroll_width <= width
    assert page.errors == []
