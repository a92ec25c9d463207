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
import os
import re
import socket
import time
from collections.abc import Iterator

import pytest

from tests.web.stack_kit import (
    WAIT_SECONDS,
    Browser,
    Stack,
    own_database,
    own_redis,
    post_form,
    running_stack,
)

pytestmark = pytest.mark.slow  # migrates PostgreSQL and starts the stack in subprocesses

REDIS_URL = "redis://127.0.0.1:6379/13"
LIMIT = 3  # XIAONENG_LOGIN_FAILURE_LIMIT of the stack
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture(scope="module")
def database() -> Iterator[str]:
    """A PostgreSQL database of the stack's own; its URL."""
    with own_database(f"xiaoneng_stack_{os.getpid()}") as url:
        yield url


@pytest.fixture(scope="module")
def redis_url() -> str:
    return own_redis(REDIS_URL)  # database 13 is this test's own


@pytest.fixture(scope="module")
def stack(
    database: str, redis_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    var = tmp_path_factory.mktemp("stack-var")
    with running_stack(
        database,
        redis_url,
        var,
        "tests.web.stack_world",
        XIAONENG_LOGIN_FAILURE_LIMIT=str(LIMIT),
    ) as stack:
        stack.world["token"] = stack.cli("token", "create", stack.world["officer"]).stdout.strip()
        yield stack


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
