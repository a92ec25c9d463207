"""A province-wide scope searches its grids as the user types, instead of listing thousands."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.conftest import County
from tests.e2e.test_browser import Login
from xiaoneng.org import views

pytestmark = pytest.mark.e2e


def test_the_grid_filter_suggests_what_matches_the_typed_code(
    e2e_county: County, page: Any, login: Login, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "GRID_SUGGESTIONS", 1)  # the county's two grids are "too many"
    login("leader")
    page.goto("/entities/")
    options = page.locator("#grid-codes option")
    expect(options).to_have_count(0)
    page.get_by_test_id("grid-search").fill("G-W")
    expect(options).to_have_count(1)
    expect(options.first).to_have_attribute("value", "G-W")
