"""The production stack as it runs (issue 14, item 2): gunicorn with two workers from
deploy/gunicorn.conf.py and the job consumer ``xiaoneng worker``, on PostgreSQL and Redis,
driven over HTTP with the headers nginx sets.

One scenario, because each step needs the one before: an administrator logs in through the form
and changes an entity through the API (session and CSRF token); an officer opens, fills in and
signs an inspection through the API with a token from ``xiaoneng token create`` and reads it
back signed; a job handed to the consumer by ``xiaoneng jobs run trace-check --enqueue`` checks
that record and its run shows on the jobs page; and a user's failed log-ins, counted by one
worker while the other is held busy, are refused by that other worker (counts in the database).

The stack gets a PostgreSQL database of its own (``xiaoneng_stack_<pid>``, on the server of
DATABASE_URL when that is PostgreSQL, else postgres://postgres@127.0.0.1:5432; dropped at the
end), migrated by the CLI, and Redis database 13 (flushed first). Without either the test is
skipped, unless ``XIAONENG_REQUIRE_E2E=1`` (set in CI), in which case it fails.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import urlencode, urlsplit, urlunsplit

import pytest

pytestmark = pytest.mark.slow  # migrates PostgreSQL and starts the stack in subprocesses

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
REDIS_URL = "redis://127.0.0.1:6379/13"
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432"
LIMIT = 3  # XIAONENG_LOGIN_FAILURE_LIMIT of the stack
WAIT_SECONDS = 30
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


# The services: PostgreSQL and Redis ------------------------------------------------------------


def unavailable(reason: str) -> NoReturn:
    if os.environ.get("XIAONENG_REQUIRE_E2E") == "1":
        pytest.fail(f"{reason} (XIAONENG_REQUIRE_E2E=1)", pytrace=False)
    pytest.skip(reason)


def server_url() -> str:
    """The PostgreSQL server of DATABASE_URL when that is PostgreSQL, without its database."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        url = DEFAULT_SERVER
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "", "", ""))


def pg_admin(server: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=3) as admin:
        admin.execute(statement)


@pytest.fixture(scope="module")
def database() -> Iterator[str]:
    """A PostgreSQL database of the stack's own; its URL."""
    import psycopg

    server = server_url()
    name = f"xiaoneng_stack_{os.getpid()}"
    try:
        pg_admin(server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        pg_admin(server, f"CREATE DATABASE {name}")
    except psycopg.Error as error:
        first = str(error).splitlines()[0]
        unavailable(f"PostgreSQL not reachable at {server} ({first}): start it to run this")
    try:
        yield f"{server}/{name}"
    finally:
        pg_admin(server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="module")
def redis_url() -> str:
    import redis

    try:
        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
        client.ping()
        client.flushdb()  # database 13 is this test's own
    except redis.RedisError as error:
        unavailable(f"Redis not reachable at {REDIS_URL} ({error}): start redis-server to run this")
    return REDIS_URL


# The stack: gunicorn and the job consumer ------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Stack:
    port: int
    env: dict[str, str]
    var: Path
    world: dict[str, Any]

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        """``xiaoneng ARGS`` with the stack's environment, as an operator runs it."""
        done = subprocess.run(
            [BIN / "xiaoneng", *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, f"xiaoneng {' '.join(args)}: {done.stderr}"
        return done

    def logs(self) -> str:
        return "\n".join(
            f"--- {log.name}\n{log.read_text()[-3000:]}" for log in sorted(self.var.glob("*.log"))
        )


def start(command: list[Any], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        # a session of its own: the whole process group (gunicorn's workers too) is stopped
        return subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@pytest.fixture(scope="module")
def stack(
    database: str, redis_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    var = tmp_path_factory.mktemp("stack-var")
    port = free_port()
    drop = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL", "REDIS_URL"}
    clean = {k: v for k, v in os.environ.items() if not k.startswith("XIAONENG_") and k not in drop}
    env = clean | {
        "DATABASE_URL": database,
        "REDIS_URL": redis_url,
        "XIAONENG_VAR": str(var),
        "XIAONENG_SECRET_KEY": "stack-test-" + "k" * 40,
        "XIAONENG_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "XIAONENG_BEHIND_HTTPS_PROXY": "1",
        "XIAONENG_TRUSTED_PROXIES": "127.0.0.1",
        "XIAONENG_LOGIN_FAILURE_LIMIT": str(LIMIT),
        "PYTHONPATH": str(ROOT),  # the shell below imports tests.web.stack_world
    }
    stack = Stack(port=port, env=env, var=var, world={})
    stack.cli("manage", "migrate", "--noinput", "-v", "0")
    built = stack.cli(
        "manage", "shell", "-v", "0", "-c", "from tests.web.stack_world import build; build()"
    )
    stack.world = json.loads(built.stdout.strip().splitlines()[-1])
    stack.world["token"] = stack.cli("token", "create", stack.world["officer"]).stdout.strip()
    web = start(
        [BIN / "gunicorn", "-c", ROOT / "deploy" / "gunicorn.conf.py"], env, var / "web.log"
    )
    worker = None
    try:
        worker = start([BIN / "xiaoneng", "worker", "--max-delay", "0.5"], env, var / "worker.log")
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                assert web.poll() is None and time.monotonic() < deadline, stack.logs()
                time.sleep(0.1)  # waiting for gunicorn to bind
        yield stack
    finally:
        if worker is not None:
            stop(worker)
        stop(web)


# HTTP as nginx passes it on ---------------------------------------------------------------------


@dataclass
class Browser:
    """A client behind nginx: HTTPS for it, from ``address``, keeping its cookies."""

    port: int
    address: str = "10.1.2.3"
    cookies: dict[str, str] = field(default_factory=dict)

    def raw(self, method: str, path: str, body: bytes = b"", **headers: str) -> bytes:
        """The request's bytes exactly as nginx sends them to gunicorn."""
        host = f"127.0.0.1:{self.port}"
        lines = [
            f"{method} {path} HTTP/1.1",
            f"Host: {host}",
            "X-Forwarded-Proto: https",
            f"X-Forwarded-For: {self.address}",
            f"Referer: https://{host}/login/",
            "Connection: close",
            f"Content-Length: {len(body)}",
        ]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        lines += [f"{name.replace('_', '-')}: {value}" for name, value in headers.items()]
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + body

    def send(self, connection: socket.socket, request: bytes) -> Any:
        """Finish sending ``request`` on ``connection`` and read the answer."""
        connection.sendall(request)
        response = http.client.HTTPResponse(connection)
        response.begin()
        response.text = response.read().decode()  # type: ignore[attr-defined]
        connection.close()
        for header in response.msg.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response

    def request(self, method: str, path: str, body: bytes = b"", **headers: str) -> Any:
        connection = socket.create_connection(("127.0.0.1", self.port), timeout=30)
        return self.send(connection, self.raw(method, path, body, **headers))

    def form(self, path: str, values: dict[str, str]) -> bytes:
        """A form post's bytes, with the CSRF token of the page (read first)."""
        page = self.request("GET", path)
        assert page.status == 200, page.text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert token, page.text
        body = urlencode({"csrfmiddlewaretoken": token.group(1), **values}).encode()
        return self.raw("POST", path, body, Content_Type="application/x-www-form-urlencoded")

    def json(self, method: str, path: str, payload: Any = None, **headers: str) -> Any:
        body = json.dumps(payload).encode() if payload is not None else b""
        response = self.request(method, path, body, Content_Type="application/json", **headers)
        response.data = json.loads(response.text) if response.text else None
        return response


def post_form(browser: Browser, path: str, values: dict[str, str]) -> Any:
    request = browser.form(path, values)
    return browser.send(socket.create_connection(("127.0.0.1", browser.port), timeout=30), request)


# The scenario -----------------------------------------------------------------------------------


def test_the_stack_signs_runs_jobs_and_shares_the_throttle(stack: Stack) -> None:
    world = stack.world
    api = "/api/v1"

    # The administrator logs in through the form, over the proxy's HTTPS.
    admin = Browser(stack.port)
    login = post_form(admin, "/login/", {"username": world["admin"], "password": world["password"]})
    assert login.status == 302, login.text
    assert "sessionid" in admin.cookies and "Secure" in str(login.msg.get_all("Set-Cookie"))

    # ... and changes an entity through the API with the session: the CSRF token is required.
    entity = f"{api}/entities/{world['uscc']}"
    change = {"address": "伊宁市解放路 18 号"}
    refused = admin.json("PATCH", entity, change)
    assert refused.status == 403, refused.text
    changed = admin.json("PATCH", entity, change, X_CSRFToken=admin.cookies["csrftoken"])
    assert changed.status == 200, changed.text
    assert changed.data["address"] == change["address"]

    # An officer opens an inspection with a token, fills it in, signs it and reads it back.
    officer = Browser(stack.port, address="10.1.2.7")
    bearer = {"Authorization": f"Bearer {world['token']}"}
    seen = officer.json("GET", entity, **bearer)
    assert seen.status == 200 and seen.data["address"] == change["address"]
    opened = officer.json(
        "POST",
        f"{api}/inspections",
        {"uscc": world["uscc"], "kind": "onsite", "checklist_id": world["checklist_id"]},
        **bearer,
    )
    assert opened.status == 201, opened.text
    record = opened.data
    now = dt.datetime.now(SHANGHAI).replace(microsecond=0)
    draft = {
        "revision": record["revision"],
        "results": [{"item": r["item"], "result": "pass", "note": ""} for r in record["results"]],
        "started_at": (now - dt.timedelta(minutes=31)).isoformat(),
        "checkin_at": (now - dt.timedelta(minutes=30)).isoformat(),
        "finished_at": (now - dt.timedelta(minutes=1)).isoformat(),
        "checkin_longitude": world["longitude"],
        "checkin_latitude": world["latitude"],
        "summary": "证照齐全，经营正常",
    }
    path = f"{api}/inspections/{record['id']}"
    saved = officer.json("PUT", path, draft, **bearer)
    assert saved.status == 200, saved.text
    signed = officer.json("POST", f"{path}/sign", {"revision": saved.data["revision"]}, **bearer)
    assert signed.status == 200, signed.text
    again = officer.json("GET", path, **bearer)
    assert again.status == 200 and again.data["status"] == "signed"
    assert again.data["signed_at"] and all(m["signed_at"] for m in again.data["team"])

    # The consumer runs the trace check handed to it and records its result: the signed record.
    enqueued = stack.cli("jobs", "run", "trace-check", "--enqueue")
    assert "enqueued" in enqueued.stdout
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        jobs = admin.request("GET", "/jobs/")
        assert jobs.status == 200, jobs.text
        runs = jobs.text.split('data-testid="job-runs"')[1]
        if "痕迹监控检查" in runs:
            break
        assert time.monotonic() < deadline, stack.logs()
        time.sleep(0.3)  # waiting for another process, not for wall-clock speed
    row = next(r for r in runs.split("<tr>") if "痕迹监控检查" in r)
    assert "成功" in row and "检查记录 1" in row, row
    status = stack.cli("jobs", "status").stdout
    assert re.search(r"^trace-check .*成功", status, re.MULTILINE), status

    # Another user's failed log-ins: one worker is held by a request not yet finished, so the
    # other answers every failure; then the held one, which counted none, refuses the next.
    guesser = Browser(stack.port, address="10.9.8.7")
    wrong = {"username": world["other"], "password": "wrong password"}
    held_request = guesser.form("/login/", wrong)
    held = socket.create_connection(("127.0.0.1", stack.port), timeout=30)
    held.sendall(held_request[:20])
    time.sleep(0.3)  # let a worker accept the connection (and wait for the rest)
    answers = [post_form(guesser, "/login/", wrong) for _ in range(LIMIT)]
    assert [a.status for a in answers] == [200] * (LIMIT - 1) + [429], answers[-1].text
    refused_by_other = guesser.send(held, held_request[20:])
    assert refused_by_other.status == 429, refused_by_other.text
    assert "登录失败次数过多" in refused_by_other.text
