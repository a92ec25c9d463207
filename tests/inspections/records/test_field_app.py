"""The installable field app (离线外勤): its page, web app manifest and service worker."""

from __future__ import annotations

import json

import pytest

from tests.conftest import County, client_for
from xiaoneng.inspections.records.field_views import SHELL_FILES, shell_version

PAGE = "/inspections/field/"
MANIFEST = "/inspections/field/manifest.webmanifest"
WORKER = "/inspections/field/sw.js"

pytestmark = pytest.mark.django_db


def test_the_page_is_a_shell_configured_for_the_officer(county: County) -> None:
    response = client_for(county.east_officer).get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<link rel="manifest" href="{MANIFEST}">' in html
    assert "inspections/field/app.js" in html
    assert "vendor/idb/umd.js" in html
    config = response.context["config"]
    assert config["username"] == county.east_officer.username
    assert config["pack_url"] == "/api/v1/inspections/offline-pack?days=3"
    assert config["sync_url"] == "/api/v1/inspections/sync"
    assert config["worker_url"] == WORKER
    assert config["scope"] == PAGE
    # Every word the script shows comes from the page, translated on the server.
    assert config["strings"]["offline"] == "离线：记录保存在手机上，联网后自动同步"
    assert 'id="field-config"' in html


def test_the_menu_offers_the_app_only_to_those_who_inspect(county: County) -> None:
    officer = client_for(county.east_officer).get("/").content.decode()
    assert 'href="/inspections/field/"' in officer
    leader = client_for(county.leader)
    assert 'href="/inspections/field/"' not in leader.get("/").content.decode()
    assert leader.get(PAGE).status_code == 403


def test_the_page_needs_a_login(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_the_manifest_makes_it_installable_without_a_login(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get(MANIFEST)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["start_url"] == PAGE
    assert manifest["scope"] == PAGE
    assert manifest["display"] == "standalone"
    assert manifest["short_name"] == "离线外勤"
    assert [icon["sizes"] for icon in manifest["icons"]] == ["192x192", "512x512"]
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200


def test_the_worker_keeps_the_shell_and_its_files_under_a_versioned_cache(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get(WORKER)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert "no-cache" in response["Cache-Control"]
    script = response.content.decode()
    assert f'var CACHE = "xiaoneng-field-{shell_version()}";' in script
    assert f'var SHELL = "{PAGE}";' in script
    files = json.loads(script.split("var FILES = ", 1)[1].split(";\n", 1)[0])
    assert files[:2] == [PAGE, MANIFEST]
    assert files[2:] == [f"/static/{name}" for name in SHELL_FILES]
    # Every file it keeps exists: a missing one would make the worker's installation fail.
    for name in files[2:]:
        assert client.get(name).status_code == 200, name
