"""A station director on a phone (390 px) opens a callback, taps the answers and saves; no page of
callbacks is wider than the screen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import County
from tests.e2e.conftest import PASSWORD
from tests.timeliness.callbacks.factories import make_service_case
from xiaoneng.timeliness.callbacks import rounds, rules

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
OVERFLOW = "() => [document.documentElement.scrollWidth, window.innerWidth]"


def test_a_caller_answers_on_a_phone(
    e2e_county: County,
    browser: Any,
    live_server: Any,
    tmp_path: Path,
) -> None:
    county = e2e_county
    make_service_case(unit=county.east, officer=county.east_officer)
    rules.save_rule(actor=None, unit=county.east, subject_kind="service_case", mode="all")
    drawn = rounds.draw_round(
        unit=county.east, month="2026-04", subject_kind="service_case", actor=None
    )
    callback = drawn.callbacks.get()
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=PHONE)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto("/login/")
    page.fill("#id_username", "east_director")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    for path in (
        "/callbacks/",
        f"/callbacks/{callback.pk}/",
        "/callbacks/problems/",
        "/callbacks/rounds/",
        "/callbacks/rules/",
        "/callbacks/satisfaction/",
    ):
        response = page.goto(path)
        assert response is not None and response.ok, path
        scroll_width, width = page.evaluate(OVERFLOW)
        page.screenshot(path=tmp_path / f"{path.strip('/').replace('/', '_')}.png", full_page=True)
        assert scroll_width <= width, f"{path}: {scroll_width} > {width}"
    page.goto(f"/callbacks/{callback.pk}/")
    page.click("label[for=attitude-satisfied]")
    page.click("label[for=overall-basic]")
    page.fill("input[name=called_on]", "2026-05-06")
    with page.expect_navigation():
        page.click("[data-testid=answer-form] button.btn-primary")
    callback.refresh_from_db()
    assert (callback.status, callback.attitude, callback.overall) == ("done", "satisfied", "basic")
    assert callback.caller == county.east_director
    assert errors == []
    context.close()
