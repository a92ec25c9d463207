"""Production settings from the environment (docs/operations.md): behind an HTTPS proxy."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, override_settings

from tests.conftest import County

HOST = "xn.example.gov.cn"
# The production variables of docs/operations.md, as an operator sets them.
PRODUCTION = {
    "XIAONENG_SECRET_KEY": "k8Zq3v9-Yt2WmR5xN7pL0sJ4hD6fG1bC8eA3uI9oK2qW5tE7yU0iP4aS6dF8gH1j",
    "XIAONENG_ALLOWED_HOSTS": HOST,
    "XIAONENG_BEHIND_HTTPS_PROXY": "1",
    "XIAONENG_CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
    "XIAONENG_HSTS_SECONDS": "31536000",
    "XIAONENG_HSTS_INCLUDE_SUBDOMAINS": "1",
    "XIAONENG_HSTS_PRELOAD": "1",
    "XIAONENG_TRUSTED_PROXIES": "127.0.0.1",
}


def manage(tmp_path: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("XIAONENG_")}
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    # Set by the end-to-end fixtures of this test run (Playwright's event loop), never in production.
    clean.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [sys.executable, "-m", "xiaoneng.cli", "manage", *args],
        env={**clean, "XIAONENG_VAR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.slow
def test_the_deploy_checks_pass_with_the_documented_production_variables(
    tmp_path: Path,
) -> None:
    done = manage(tmp_path, PRODUCTION, "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode == 0, done.stderr
    assert "System check identified no issues" in done.stdout


@pytest.mark.slow
def test_without_the_production_variables_the_deploy_checks_warn(tmp_path: Path) -> None:
    done = manage(tmp_path, {}, "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode == 1
    for check in ["security.W004", "security.W008", "security.W012", "security.W016"]:
        assert check in done.stderr


def test_the_documented_variables_are_all_in_the_operations_guide() -> None:
    guide = (Path(__file__).parents[2] / "docs" / "operations.md").read_text(encoding="utf-8")
    for name in PRODUCTION:
        assert f"`{name}" in guide, name


PROXIED = {
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
    "CSRF_TRUSTED_ORIGINS": [f"https://{HOST}"],
    "ALLOWED_HOSTS": [HOST],
}


def post_login_through_the_proxy(county: County) -> int:
    client = Client(enforce_csrf_checks=True)
    headers = {"HTTP_HOST": HOST, "HTTP_X_FORWARDED_PROTO": "https"}
    client.get("/login/", **headers)  # type: ignore[arg-type]
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/login/",
        {"username": "east_officer", "password": "correct horse 1", "csrfmiddlewaretoken": token},
        HTTP_ORIGIN=f"https://{HOST}",
        HTTP_REFERER=f"https://{HOST}/login/",
        **headers,  # type: ignore[arg-type]
    )
    return response.status_code


def test_a_form_posted_through_the_https_proxy_passes_the_csrf_check(county: County) -> None:
    with override_settings(**PROXIED):
        assert post_login_through_the_proxy(county) == 302


def test_the_proxy_header_alone_makes_the_https_origin_the_sites_own(county: County) -> None:
    with override_settings(**{**PROXIED, "CSRF_TRUSTED_ORIGINS": []}):
        assert post_login_through_the_proxy(county) == 302


def test_without_the_proxy_settings_the_same_post_fails_the_csrf_check(county: County) -> None:
    with override_settings(
        **{**PROXIED, "SECURE_PROXY_SSL_HEADER": None, "CSRF_TRUSTED_ORIGINS": []}
    ):
        assert post_login_through_the_proxy(county) == 403
