"""End-to-end fixtures: Debian's Chromium driven by Playwright against pytest-django's live server.

Playwright's own browser download is not used; the tests run Debian's ``chromium`` (or the
executable named by ``XIAONENG_CHROMIUM``). Without it they are skipped, unless
``XIAONENG_REQUIRE_E2E=1`` (set in CI), in which case they fail.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest

from tests.conftest import County

NOT_FOUND = (
    "Chromium not found: install Debian's chromium (apt-get install chromium) "
    "to run the end-to-end tests"
)
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "correct horse 1"
TIMEOUT_MS = 10_000


def chromium_executable() -> str | None:
    """``XIAONENG_CHROMIUM`` if set, else ``chromium`` on the PATH, else /usr/bin/chromium."""
    named = os.environ.get("XIAONENG_CHROMIUM")
    candidates = [named] if named else [shutil.which("chromium"), "/usr/bin/chromium"]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def _unavailable(reason: str) -> NoReturn:
    if os.environ.get("XIAONENG_REQUIRE_E2E") == "1":
        pytest.fail(f"{reason} (XIAONENG_REQUIRE_E2E=1)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def _allow_async_unsafe() -> Iterator[None]:
    """Playwright's sync API keeps an event loop running; let the ORM be used next to it."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser(_allow_async_unsafe: None) -> Iterator[Any]:
    executable = chromium_executable()
    if executable is None:
        _unavailable(NOT_FOUND)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed: pip install -e '.[dev]'")
    from django.db import connections

    wrappers = {alias: connections[alias] for alias in connections}
    with sync_playwright() as playwright:
        # While Playwright's event loop runs, Django's thread-critical connection storage
        # switches to a context variable and would open new database wrappers, losing the
        # test database's serialized contents (and sharing nothing with the live server).
        # Keep the wrappers the test database was set up with.
        for alias, wrapper in wrappers.items():
            connections[alias] = wrapper
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=LAUNCH_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def e2e_county(
    transactional_db: None, django_db_serialized_rollback: None, county: County
) -> County:
    """The county of tests/conftest.py in a database the live server can see.

    The reference data (industries, roles, calendar) comes from migrations; a transactional
    test flushes it at teardown, so the e2e tests restore it by serialized rollback.
    """
    return county


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    """A page in a fresh browser context (no cookies), with base URL of the live server."""
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def login(page: Any) -> Callable[[str], Any]:
    """Log in through the form as the given user name; returns the page on the overview."""

    def login_as(username: str, password: str = PASSWORD) -> Any:
        response = page.goto("/login/")
        assert response is not None and response.ok, (
            f"/login/ answered {response and response.status}"
        )
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        with page.expect_navigation():
            page.click("button[type=submit]")
        return page

    return login_as
