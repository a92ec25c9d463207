"""The production app servers (issue 14): gunicorn with two workers, started from
deploy/gunicorn.conf.py as a bureau would start it, answers over HTTP through the proxy-header
path — pages, static files, and the log-in throttle, whose counts the workers share through
the database (a refusal after the limit, whichever worker counted the failures).

It runs on its own SQLite database in a temporary XIAONENG_VAR, migrated by the CLI."""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    var = tmp_path_factory.mktemp("var")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env |= {
        "XIAONENG_VAR": str(var),
        "XIAONENG_SECRET_KEY": "x" * 50,
        "XIAONENG_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "XIAONENG_BEHIND_HTTPS_PROXY": "1",
        "XIAONENG_TRUSTED_PROXIES": "127.0.0.1",
        "XIAONENG_LOGIN_FAILURE_LIMIT": "3",
    }
    env.pop("REDIS_URL", None)
    subprocess.run([BIN / "xiaoneng", "manage", "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    server = subprocess.Popen(
        [BIN / "gunicorn", "-c", ROOT / "deploy" / "gunicorn.conf.py"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("gunicorn did not start")
        yield port
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def request(port: int, method: str, path: str, body: str = "", cookies: str = "") -> Any:
    """One request as nginx passes it on: over HTTPS for the client, from 10.1.2.3."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {
        "Host": f"127.0.0.1:{port}",
        "X-Forwarded-Proto": "https",
        "X-Forwarded-For": "10.1.2.3",
        "Referer": f"https://127.0.0.1:{port}/login/",
        "Cookie": cookies,
    }
    if body:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, path, body=body or None, headers=headers)
    response = connection.getresponse()
    response.text = response.read().decode()
    connection.close()
    return response


def test_two_workers_serve_pages_and_static_files(stack: int) -> None:
    login = request(stack, "GET", "/login/")
    assert login.status == 200 and "登录" in login.text
    # a plain-HTTP request (no proxy saying https) is sent to HTTPS
    plain = http.client.HTTPConnection("127.0.0.1", stack, timeout=30)
    plain.request("GET", "/login/", headers={"Host": f"127.0.0.1:{stack}"})
    assert plain.getresponse().status == 301
    static = request(stack, "GET", "/static/web/site.js")
    assert static.status == 200 and "data-autosubmit" in static.text


def test_the_workers_share_the_log_in_throttle(stack: int) -> None:
    page = request(stack, "GET", "/login/")
    cookie = re.search(r"csrftoken=([^;]+)", page.getheader("Set-Cookie", "")).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    form = urlencode({"csrfmiddlewaretoken": token, "username": "nobody", "password": "wrong"})
    answers = [
        request(stack, "POST", "/login/", form, cookies=f"csrftoken={cookie}") for _ in range(5)
    ]
    # the first two failures are told so; the third, counted by either worker, reaches the
    # limit of three; every later try is refused
    assert [a.status for a in answers] == [200, 200, 429, 429, 429]
    assert "和密码。注意，两者都区分大小写。" in answers[0].text
    assert "登录失败次数过多" in answers[4].text
