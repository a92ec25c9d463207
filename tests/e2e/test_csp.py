"""In a real browser, with the Content-Security-Policy on: no page logs a violation or an error."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.conftest import County
from tests.e2e.test_browser import Login, east_entity

pytestmark = pytest.mark.e2e

# Pages outside the navigation bar that carry their own script.
EXTRA_PAGES = ["/api/v1/docs", "/admin/"]


def watch(page: Any) -> list[str]:
    """Console errors (CSP violations are logged there) and uncaught page errors."""
    problems: list[str] = []
    page.on(
        "console",
        lambda message: (
            problems.append(f"{page.url}: {message.text}") if message.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))
    return problems


def navigation_links(page: Any) -> list[str]:
    hrefs = page.locator("#nav a.nav-link[href^='/'], #nav a.dropdown-item[href^='/']")
    return sorted({h for h in hrefs.evaluate_all("els => els.map(e => e.getAttribute('href'))")})


def test_every_page_passes_the_content_security_policy(
    e2e_county: County, page: Any, login: Login
) -> None:
    entity = east_entity(e2e_county)
    problems = watch(page)
    login("admin")
    pages = navigation_links(page)
    assert len(pages) > 15, pages
    pages += [f"/entities/{entity.uscc}/", f"/grids/{e2e_county.east_grid.code}/", *EXTRA_PAGES]

    for url in pages:
        response = page.goto(url)
        assert response is not None and response.ok, (
            f"{url} answered {response and response.status}"
        )
        assert "content-security-policy" in response.headers, url
        page.wait_for_load_state("load")

    assert problems == []


def test_the_api_docs_render_from_the_sites_own_files(
    e2e_county: County, page: Any, login: Login, live_server: Any
) -> None:
    problems = watch(page)
    outside: list[str] = []
    page.on(
        "request",
        lambda request: (
            None
            if request.url.startswith(live_server.url) or request.url.startswith("data:")
            else outside.append(request.url)
        ),
    )
    login("admin")

    page.goto("/api/v1/docs")

    expect(page.locator(".swagger-ui .info .title")).to_contain_text("xiaoneng")
    assert outside == []
    assert problems == []


def test_the_language_menu_still_switches_without_an_inline_handler(
    e2e_county: County, page: Any, login: Login
) -> None:
    problems = watch(page)
    login("east_officer")
    page.get_by_test_id("user-menu").click()

    with page.expect_navigation():
        page.select_option("select[name=language]", "en")

    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert problems == []
