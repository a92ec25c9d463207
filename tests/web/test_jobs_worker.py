"""The scheduler for real: ``xiaoneng worker`` in a subprocess, on huey's SQLite storage and on
Redis, runs a job handed to it by ``xiaoneng jobs run NAME --enqueue`` and records its run.

Both processes use a database migrated for this module under its own ``XIAONENG_VAR``, the way
``tests/web/test_deployment.py`` runs the CLI. Without Redis on 127.0.0.1:6379 the Redis case is
skipped, unless ``XIAONENG_REQUIRE_E2E=1`` (set in CI), in which case it fails.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # migrates a database and starts the CLI in subprocesses

REDIS_URL = "redis://127.0.0.1:6379/15"
WAIT_SECONDS = 30


def environment(var: Path, **extra: str) -> dict[str, str]:
    """The CLI's environment: this test's var folder, nothing of the test run's own settings."""
    drop = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL", "REDIS_URL"}
    clean = {k: v for k, v in os.environ.items() if not k.startswith("XIAONENG_") and k not in drop}
    return {**clean, "XIAONENG_VAR": str(var), "XIAONENG_SECRET_KEY": "jobs-test-key", **extra}


def xiaoneng(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "xiaoneng.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    var = tmp_path_factory.mktemp("jobs-var")
    done = xiaoneng(environment(var), "manage", "migrate", "--noinput", "-v", "0")
    assert done.returncode == 0, done.stderr
    return var


@pytest.fixture
def var(migrated: Path, tmp_path: Path) -> Path:
    """A copy of the migrated database of its own for each test."""
    shutil.copy(migrated / "xiaoneng.sqlite3", tmp_path / "xiaoneng.sqlite3")
    return tmp_path


def redis_reachable() -> None:
    import redis

    try:
        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
        client.ping()
        client.flushdb()  # database 15 is this test's own
    except redis.RedisError as error:
        reason = f"Redis not reachable at {REDIS_URL} ({error}): start redis-server to run this"
        if os.environ.get("XIAONENG_REQUIRE_E2E") == "1":
            pytest.fail(f"{reason} (XIAONENG_REQUIRE_E2E=1)", pytrace=False)
        pytest.skip(reason)


@pytest.fixture
def worker(request: pytest.FixtureRequest, var: Path) -> Iterator[dict[str, str]]:
    """A running ``xiaoneng worker`` on the storage the test is parametrised with."""
    extra = {}
    if request.param == "redis":
        redis_reachable()
        extra["REDIS_URL"] = REDIS_URL
    env = environment(var, **extra)
    with (var / "worker.log").open("w") as log:
        process = subprocess.Popen(
            # --no-periodic: the schedule's own runs (followup-warn at 01:30…) would add runs
            # to those the test enqueues when the suite runs at that minute.
            [sys.executable, "-m", "xiaoneng.cli", "worker", "--max-delay", "0.5", "--no-periodic"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            yield env
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def recorded_runs(var: Path, name: str) -> list[tuple[str, str]]:
    with sqlite3.connect(var / "xiaoneng.sqlite3", timeout=5) as db:
        rows = db.execute("SELECT status, counts FROM core_jobrun WHERE name = ?", (name,))
        return [(status, counts) for status, counts in rows]


@pytest.mark.parametrize("worker", ["sqlite", "redis"], indirect=True)
def test_the_worker_runs_an_enqueued_job_and_records_it(worker: dict[str, str], var: Path) -> None:
    done = xiaoneng(worker, "jobs", "run", "followup-warn", "--enqueue")
    assert done.returncode == 0, done.stderr
    assert "enqueued" in done.stdout
    deadline = time.monotonic() + WAIT_SECONDS
    runs = recorded_runs(var, "followup-warn")
    while not runs and time.monotonic() < deadline:
        time.sleep(0.2)  # waiting for another process, not for wall-clock speed
        runs = recorded_runs(var, "followup-warn")
    assert runs == [("ok", '{"warned": 0}')], (var / "worker.log").read_text()
    status = xiaoneng(worker, "jobs", "status")
    assert status.returncode == 0, status.stderr
    line = next(x for x in status.stdout.splitlines() if x.startswith("followup-warn"))
    assert "成功" in line and "OVERDUE" not in line
