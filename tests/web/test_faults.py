"""Faults the production stack survives, and nothing lost (issue 14, item 5).

The stack of test_stack.py (gunicorn's two workers, ``xiaoneng worker`` on Redis, PostgreSQL),
each fault made on purpose at a known point, with no hook in the code: the test takes, from a
connection of its own, a lock that the operation needs late in its transaction, waits until
PostgreSQL shows the operation's session waiting for it, and kills the process then
(SIGKILL: no clean-up runs). Then it checks that nothing of the operation was kept, and that
doing it again does it once.

- a gunicorn worker killed while signing an inspection: the record stays a draft (no
  signature, no trace event, no trace flag); signed once on retry;
- a worker killed while importing an entity file through the API, and the CLI ``xiaoneng
  import`` killed: none of the file's entities; the whole file on retry, and a third try is
  refused (they exist);
- the job consumer killed during the monthly review draw and during the warnings recompute:
  no round, no warning; rerun, the same result as an uninterrupted run on a copy of the
  database taken before (same counts, the same warnings), and a further run adds nothing;
- PostgreSQL (a throwaway cluster, not the shared server) restarted under load: the requests it
  cut are answered 503 with Retry-After (the client may retry), none hangs, requests succeed
  again after, and every record is whole (pg_amcheck, the trace check);
- the media disk full (a small tmpfs, when this process may mount one; else skipped) and the
  storage refusing a write (in-process): a clear Chinese error, no attachment row, no part of the
  file left behind, and the same photo uploaded whole once there is room.

The stack's database is ``xiaoneng_fault_<pid>`` (dropped at the end), Redis database 12 (or the
xdist worker's own below it: ``stack_kit.worker_redis``).
"""

from __future__ import annotations

import csv
import errno
import hashlib
import http.client
import io
import json
import os
import shutil
import signal
import subprocess
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.test import RequestFactory

from tests.conftest import County, client_for
from tests.inspections.factories import make_inspection
from tests.inspections.records.helpers import draft as record_draft
from tests.inspections.records.helpers import form_post, url
from tests.inspections.records.helpers import text as page_text
from tests.registry.factories import make_entity
from tests.web.pg_cluster import Cluster, ClusterUnavailable, throwaway_cluster
from tests.web.stack_kit import (
    BIN,
    Browser,
    Stack,
    free_port,
    multipart,
    own_database,
    own_redis,
    pg_admin,
    stack_env,
    start,
    unavailable,
    worker_redis,
)
from xiaoneng.core.models import AuditEvent, JobRun
from xiaoneng.inspections.records.models import (
    Attachment,
    Inspection,
    InspectionOfficer,
    ItemResult,
    TraceFlag,
)
from xiaoneng.inspections.trace.write import LOCK_KEY as TRACE_LOCK
from xiaoneng.oversight.reviews.models import DirectorReview, ReviewRound
from xiaoneng.registry.models import Entity
from xiaoneng.timeliness.clocks.models import Clock, Warning, WarningPolicy
from xiaoneng.web import unavailable as database_unavailable

REDIS_URL = "redis://127.0.0.1:6379/12"
WAIT_SECONDS = 120  # generous: a loaded CI machine may take long to start a job
API = "/api/v1"


def table(model: Any) -> str:
    return str(model._meta.db_table)


# The stack, and a copy of its database before any fault --------------------------------------


@pytest.fixture(scope="module")
def database() -> Iterator[str]:
    with own_database(f"xiaoneng_fault_{os.getpid()}") as url:
        yield url


@pytest.fixture(scope="module")
def stack(database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The stack on its own database, built from tests/web/fault_world.py; ``world["calm"]`` is
    a copy of that database taken before the stack started, for uninterrupted runs."""
    redis_url = own_redis(REDIS_URL)
    var = tmp_path_factory.mktemp("fault-var")
    port = free_port()
    env = stack_env(database, redis_url, var, port, XIAONENG_DIRECTOR_REVIEW_RATE="0.5")
    stack = Stack(port=port, env=env, var=var, world={})
    stack.build("tests.web.fault_world")
    server, name = database.rsplit("/", 1)
    pg_admin(server, f"CREATE DATABASE {name}_calm TEMPLATE {name}")
    media = mount_small_disk(var / "media")
    try:
        stack.world |= {
            "calm": f"{database}_calm",
            "media_mounted": media,
            "officer_token": stack.cli("token", "create", stack.world["officer"]).stdout.strip(),
            "admin_token": stack.cli("token", "create", stack.world["admin"]).stdout.strip(),
        }
        stack.start_web()
        stack.start_worker()
        yield stack
    finally:
        stack.stop()
        pg_admin(server, f"DROP DATABASE IF EXISTS {name}_calm WITH (FORCE)")
        if media:
            subprocess.run(["umount", str(var / "media")], check=False)


@pytest.fixture
def pg(stack: Stack) -> Iterator[Any]:
    """A connection of the test's own to the stack's database, to look at it."""
    import psycopg

    with psycopg.connect(stack.env["DATABASE_URL"], autocommit=True) as connection:
        yield connection


def count(pg: Any, sql: str, *params: Any) -> int:
    return int(pg.execute(sql, params).fetchone()[0])


# Making a fault at a known point ---------------------------------------------------------------


@contextmanager
def holding(database: str, statement: str) -> Iterator[None]:
    """``statement`` (a lock) held by an open transaction of the test's own; rolled back at the
    end, which releases it."""
    import psycopg

    with psycopg.connect(database) as locker:
        locker.execute(statement)
        yield
        locker.rollback()


@dataclass(frozen=True)
class Waiting:
    """A session of the stack waiting for the test's lock."""

    pid: int
    query: str
    client_port: int


def waiting(pg: Any) -> Waiting:
    """The session that waits for a lock (the test's), once it does."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        row = pg.execute(
            "SELECT pid, query, client_port FROM pg_stat_activity WHERE datname = "
            "current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        ).fetchone()
        if row is not None:
            return Waiting(int(row[0]), str(row[1]), int(row[2]))
        assert time.monotonic() < deadline, "nothing reached the lock"
        time.sleep(0.05)  # waiting for another process to get there


def has_written(pg: Any, session: Waiting, model: Any) -> bool:
    """Whether ``session``'s transaction holds the lock of a writer on ``model``'s table."""
    return bool(
        pg.execute(
            "SELECT 1 FROM pg_locks WHERE pid = %s AND relation = %s::regclass "
            "AND mode = 'RowExclusiveLock' AND granted",
            (session.pid, table(model)),
        ).fetchone()
    )


def ended(pg: Any, session: Waiting) -> None:
    """Wait for PostgreSQL to end ``session`` (its client is gone: its transaction is rolled
    back when it next speaks to it)."""
    deadline = time.monotonic() + WAIT_SECONDS
    while pg.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", (session.pid,)).fetchone():
        assert time.monotonic() < deadline, f"session {session.pid} still there"
        time.sleep(0.05)


def owner_of(port: int, pids: list[int]) -> int:
    """Which of ``pids`` has the TCP socket bound to local ``port`` (from /proc)."""
    inodes = set()
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        with suppress(OSError):
            for line in Path(name).read_text().splitlines()[1:]:
                fields = line.split()
                if int(fields[1].rsplit(":", 1)[1], 16) == port:
                    inodes.add(f"socket:[{fields[9]}]")
    for pid in pids:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            with suppress(OSError):
                if os.readlink(fd) in inodes:
                    return pid
    raise AssertionError(f"no process among {pids} has port {port}")


def kill_web_worker(stack: Stack, session: Waiting) -> None:
    """SIGKILL the gunicorn worker whose database session is ``session``."""
    os.kill(owner_of(session.client_port, stack.web_workers()), signal.SIGKILL)


def kill_job_worker(stack: Stack) -> None:
    assert stack.worker is not None
    os.killpg(stack.worker.pid, signal.SIGKILL)
    stack.worker.wait(timeout=WAIT_SECONDS)


def cut_off(browser: Browser, connection: Any) -> None:
    """The client whose worker was killed gets no answer (nginx would say 502): it may retry."""
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        browser.answer(connection)


# A worker killed while signing -----------------------------------------------------------------


def sign_events(pg: Any, inspection: int) -> int:
    """The inspection's trace events of a signature."""
    return count(
        pg,
        f"SELECT count(*) FROM {table(AuditEvent)} e JOIN django_content_type t "
        "ON t.id = e.content_type_id WHERE t.app_label = 'inspections' AND t.model = "
        "'inspection' AND e.object_id = %s AND e.changes ? '签名'",
        str(inspection),
    )


def signed_state(pg: Any, inspection: int) -> tuple[str, int, int, int]:
    """(status, signed members, trace flags, signature events) of the inspection."""
    status = pg.execute(
        f"SELECT status FROM {table(Inspection)} WHERE id = %s", (inspection,)
    ).fetchone()[0]
    members = count(
        pg,
        f"SELECT count(*) FROM {table(InspectionOfficer)} WHERE inspection_id = %s "
        "AND signed_at IS NOT NULL",
        inspection,
    )
    flags = count(
        pg, f"SELECT count(*) FROM {table(TraceFlag)} WHERE inspection_id = %s", inspection
    )
    return str(status), members, flags, sign_events(pg, inspection)


@pytest.mark.slow
def test_a_worker_killed_while_signing_leaves_a_draft_and_the_retry_signs_once(
    stack: Stack, pg: Any
) -> None:
    officer = Browser(stack.port, address="10.1.2.7")
    bearer = {"Authorization": f"Bearer {stack.world['officer_token']}"}
    draft = stack.world["draft"]
    path = f"{API}/inspections/{draft}"
    record = officer.json("GET", path, **bearer)
    assert record.status == 200 and record.data["status"] == "draft", record.text
    body = json.dumps({"revision": record.data["revision"]}).encode()
    sign = officer.raw("POST", f"{path}/sign", body, Content_Type="application/json", **bearer)

    # The trace check, the last step of a signature, takes this lock before writing flags.
    with holding(stack.env["DATABASE_URL"], f"SELECT pg_advisory_xact_lock({TRACE_LOCK})"):
        connection = officer.connect()
        connection.sendall(sign)
        session = waiting(pg)
        assert "pg_advisory_xact_lock" in session.query
        # By now the transaction has signed the member and the record, and traced it.
        assert has_written(pg, session, InspectionOfficer) and has_written(pg, session, Inspection)
        kill_web_worker(stack, session)
        cut_off(officer, connection)
    ended(pg, session)
    assert signed_state(pg, draft) == ("draft", 0, 0, 0)

    # The same request again (gunicorn has replaced the worker): signed once.
    retried = officer.request(
        "POST", f"{path}/sign", body, Content_Type="application/json", **bearer
    )
    assert retried.status == 200, retried.text
    again = officer.request("POST", f"{path}/sign", body, Content_Type="application/json", **bearer)
    assert again.status == 409, again.text
    status, members, _flags, events = signed_state(pg, draft)
    assert (status, members, events) == ("signed", 1, 1)


# A worker, or the CLI, killed while importing --------------------------------------------------


def usccs(text: str) -> list[str]:
    return [row[0] for row in list(csv.reader(io.StringIO(text)))[1:]]


def imported(pg: Any, text: str) -> tuple[int, int]:
    """(entities of the file, their creation events)."""
    found = usccs(text)
    entities = count(pg, f"SELECT count(*) FROM {table(Entity)} WHERE uscc = ANY(%s)", found)
    events = count(
        pg,
        f"SELECT count(*) FROM {table(AuditEvent)} e JOIN {table(Entity)} x "
        "ON e.object_id = x.id::text JOIN django_content_type t ON t.id = e.content_type_id "
        "WHERE t.app_label = 'registry' AND t.model = 'entity' AND e.action = 'create' "
        "AND x.uscc = ANY(%s)",
        found,
    )
    return entities, events


# The import writes the entities, then their trace: held there, the entities are written.
TRACE_WRITERS_WAIT = f"LOCK TABLE {table(AuditEvent)} IN SHARE MODE"


@pytest.mark.slow
def test_a_worker_killed_while_importing_leaves_no_entity_and_the_retry_imports_the_file(
    stack: Stack, pg: Any
) -> None:
    admin = Browser(stack.port)
    bearer = {"Authorization": f"Bearer {stack.world['admin_token']}"}
    text, rows = stack.world["web_import"], stack.world["import_rows"]
    body, content_type = multipart({}, {"file": ("主体.csv", text.encode("utf-8-sig"))})
    upload = admin.raw("POST", f"{API}/import/entities", body, Content_Type=content_type, **bearer)

    with holding(stack.env["DATABASE_URL"], TRACE_WRITERS_WAIT):
        connection = admin.connect()
        connection.sendall(upload)
        session = waiting(pg)
        assert table(AuditEvent) in session.query and has_written(pg, session, Entity)
        kill_web_worker(stack, session)
        cut_off(admin, connection)
    ended(pg, session)
    assert imported(pg, text) == (0, 0)

    done = admin.request(
        "POST", f"{API}/import/entities", body, Content_Type=content_type, **bearer
    )
    assert done.status == 200 and json.loads(done.text)["created"] == rows, done.text
    assert imported(pg, text) == (rows, rows)
    refused = admin.request(
        "POST", f"{API}/import/entities", body, Content_Type=content_type, **bearer
    )
    assert refused.status == 422, refused.text
    assert all("已存在" in e["message"] for e in json.loads(refused.text)["errors"])
    assert imported(pg, text) == (rows, rows)


@pytest.mark.slow
def test_the_cli_import_killed_leaves_no_entity_and_the_rerun_imports_the_file(
    stack: Stack, pg: Any
) -> None:
    text, rows = stack.world["cli_import"], stack.world["import_rows"]
    path = stack.var / "主体.csv"
    path.write_text(text, encoding="utf-8-sig")

    with holding(stack.env["DATABASE_URL"], TRACE_WRITERS_WAIT):
        process = start(
            [BIN / "xiaoneng", "import", "entities", path], stack.env, stack.var / "import.log"
        )
        session = waiting(pg)
        assert has_written(pg, session, Entity)
        process.kill()
        assert process.wait(timeout=WAIT_SECONDS) == -signal.SIGKILL
    ended(pg, session)
    assert imported(pg, text) == (0, 0)

    assert f"created {rows}" in stack.cli("import", "entities", str(path)).stdout
    assert imported(pg, text) == (rows, rows)


# The job consumer killed during a job ----------------------------------------------------------


def runs(pg: Any, name: str) -> list[tuple[str, dict[str, int]]]:
    """The job's runs, oldest first: (status, counts)."""
    rows = pg.execute(
        f"SELECT status, counts FROM {table(JobRun)} WHERE name = %s ORDER BY started_at, id",
        (name,),
    ).fetchall()
    return [(str(status), dict(counts)) for status, counts in rows]


def run_by_worker(stack: Stack, pg: Any, name: str) -> dict[str, int]:
    """Hand the job to the consumer and wait for its run to end; the run's counts."""
    before = len(runs(pg, name))
    stack.cli("jobs", "run", name, "--enqueue")
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        found = runs(pg, name)
        if len(found) > before and found[-1][0] != JobRun.Status.RUNNING:
            status, counts = found[-1]
            assert status == JobRun.Status.OK, stack.logs()
            return counts
        assert time.monotonic() < deadline, stack.logs()
        time.sleep(0.2)  # waiting for another process


def run_calmly(stack: Stack, name: str) -> subprocess.Popen[str]:
    """The job run from the command line on the copy taken before any fault (started now, beside
    the faults: its counts are ``counts_of`` it)."""
    return subprocess.Popen(
        [BIN / "xiaoneng", "jobs", "run", name],
        env=stack.env | {"DATABASE_URL": stack.world["calm"]},
        stdout=subprocess.PIPE,
        text=True,
    )


def counts_of(run: subprocess.Popen[str]) -> dict[str, int]:
    """The counts ``xiaoneng jobs run`` printed (``NAME: 成功 {counts}``)."""
    out, _err = run.communicate(timeout=120)
    assert run.returncode == 0, out
    counts: dict[str, int] = json.loads(out.split(" ", 2)[2])
    return counts


def interrupted(
    stack: Stack, pg: Any, name: str, lock: str, written: tuple[Any, ...]
) -> list[tuple[str, dict[str, int]]]:
    """Kill the consumer while job ``name`` waits for ``lock`` (having written the tables of
    ``written``); the job's runs then. The consumer is started again."""
    with holding(stack.env["DATABASE_URL"], lock):
        stack.cli("jobs", "run", name, "--enqueue")
        session = waiting(pg)
        assert all(has_written(pg, session, model) for model in written), session.query
        kill_job_worker(stack)
    ended(pg, session)
    found = runs(pg, name)
    stack.start_worker()
    return found


def test_each_xdist_worker_has_a_redis_database_of_its_own() -> None:
    """Two workers' stacks on one Redis database share one huey queue: a job one test enqueues
    may run on the other stack's database (why both tests below failed under ``make test``)."""
    faults = [worker_redis(REDIS_URL, worker) for worker in ("", "gw0", "gw1", "gw2")]
    assert [url.rsplit("/", 1)[1] for url in faults] == ["12", "12", "10", "8"]
    stack = {worker_redis("redis://127.0.0.1:6379/13", f"gw{n}") for n in range(6)}
    assert not stack & {worker_redis(REDIS_URL, f"gw{n}") for n in range(6)}


def draws(pg: Any) -> tuple[list[tuple[str, str, int]], list[tuple[int, int]]]:
    """(unit, month, population) of each round, (round, inspection) of each review."""
    rounds = pg.execute(
        f"SELECT u.code, r.month, r.population FROM {table(ReviewRound)} r "
        "JOIN org_unit u ON u.id = r.unit_id ORDER BY u.code"
    ).fetchall()
    reviews = pg.execute(
        f"SELECT round_id, inspection_id FROM {table(DirectorReview)} ORDER BY 1, 2"
    ).fetchall()
    return rounds, reviews


@pytest.mark.slow
def test_the_consumer_killed_during_the_review_draw_leaves_no_round_and_the_rerun_draws_once(
    stack: Stack, pg: Any
) -> None:
    calm = run_calmly(stack, "review-draw")
    # Each station's round is written, then its reviews: held there, a round is written.
    found = interrupted(
        stack,
        pg,
        "review-draw",
        f"LOCK TABLE {table(DirectorReview)} IN SHARE MODE",
        (ReviewRound,),
    )
    assert draws(pg) == ([], [])
    assert found == [(JobRun.Status.RUNNING, {})]  # the run that never ended

    counts = run_by_worker(stack, pg, "review-draw")
    # Uninterrupted, on the copy: the same rounds and as many drawn (the sample itself differs:
    # each round draws with a new random seed, which it records).
    assert counts == counts_of(calm) == {"stations": 2, "drawn": 5}
    rounds, reviews = draws(pg)
    assert [population for _unit, _month, population in rounds] == [6, 4]
    assert len(reviews) == len(set(reviews)) == 5

    assert run_by_worker(stack, pg, "review-draw") == counts
    assert draws(pg) == (rounds, reviews)


def warnings_state(url: str) -> list[tuple[Any, ...]]:
    """Each clock's level and its warnings, by subject: comparable between databases."""
    import psycopg

    with psycopg.connect(url) as connection:
        clocks = connection.execute(
            f"SELECT subject_id, level, escalation, due_on FROM {table(Clock)} ORDER BY 1"
        ).fetchall()
        warned = connection.execute(
            f"SELECT c.subject_id, w.level, w.escalation, w.handle_by, w.cleared_at IS NULL "
            f"FROM {table(Warning)} w JOIN {table(Clock)} c ON c.id = w.clock_id ORDER BY 1, 2"
        ).fetchall()
        through = connection.execute(
            f"SELECT evaluated_through FROM {table(WarningPolicy)}"
        ).fetchall()
    return [*clocks, *warned, *through]


@pytest.mark.slow
def test_the_consumer_killed_during_the_warnings_recompute_is_rerun_to_the_same_warnings(
    stack: Stack, pg: Any
) -> None:
    url = stack.env["DATABASE_URL"]
    before = warnings_state(url)
    calm = run_calmly(stack, "warnings-recompute")
    # The recompute raises the warnings, then moves the clocks: held there, it has raised them.
    found = interrupted(
        stack, pg, "warnings-recompute", f"LOCK TABLE {table(Clock)} IN SHARE MODE", (Warning,)
    )
    assert found == [(JobRun.Status.RUNNING, {})]
    assert warnings_state(url) == before
    assert count(pg, f"SELECT count(*) FROM {table(Warning)}") == 0

    counts = run_by_worker(stack, pg, "warnings-recompute")
    assert counts == counts_of(calm)
    assert counts["yellow"] + counts["red"] > 0, counts
    assert warnings_state(url) == warnings_state(stack.world["calm"])
    state = warnings_state(url)

    again = run_by_worker(stack, pg, "warnings-recompute")
    assert again["changed"] == again["yellow"] == again["red"] == 0, again
    assert warnings_state(url) == state


# A full media disk ------------------------------------------------------------------------------


def mount_small_disk(directory: Path) -> bool:
    """A 1 MB tmpfs at ``directory`` when this process may mount one (root in a container that
    allows it); whether it did."""
    directory.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(directory)],
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


def noise_png(size: int = 160) -> bytes:
    """A PNG of random pixels: it does not compress, so it is about 3 × size² bytes."""
    raw = b"".join(b"\x00" + os.urandom(size * 3) for _ in range(size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    header = size.to_bytes(4, "big") * 2 + b"\x08\x02\x00\x00\x00"
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 0))
        + chunk(b"IEND", b"")
    )


def stored_files(media: Path) -> list[Path]:
    return sorted(p for p in (media / "inspections").rglob("*") if p.is_file())


@pytest.mark.slow
def test_a_full_media_disk_refuses_the_photo_clearly_and_keeps_no_part_of_it(
    stack: Stack, pg: Any
) -> None:
    if not stack.world["media_mounted"]:
        pytest.skip("cannot mount a small tmpfs here (not root, or not allowed)")
    media = stack.var / "media"
    officer = Browser(stack.port, address="10.1.2.7")
    bearer = {"Authorization": f"Bearer {stack.world['officer_token']}"}
    draft = stack.world["photo_draft"]
    path = f"{API}/inspections/{draft}"
    revision = officer.json("GET", path, **bearer).data["revision"]
    photo = noise_png()
    body, content_type = multipart({"kind": "photo"}, {"file": ("现场.png", photo)})
    # The disk filled up to less than the photo needs.
    filler = media / "filler"
    free = shutil.disk_usage(media).free
    filler.write_bytes(b"\0" * (free - len(photo) // 2))
    before = stored_files(media)

    full = officer.request("POST", f"{path}/attachments", body, Content_Type=content_type, **bearer)
    assert full.status == 507, full.text
    assert "存储空间已满" in json.loads(full.text)["detail"]
    assert stored_files(media) == before  # no part of the photo left
    attachments = f"SELECT count(*) FROM {table(Attachment)} WHERE inspection_id = %s"
    assert count(pg, attachments, draft) == 0
    assert officer.json("GET", path, **bearer).data["revision"] == revision

    filler.unlink()  # room again: the same photo is stored whole
    stored = officer.request(
        "POST", f"{path}/attachments", body, Content_Type=content_type, **bearer
    )
    assert stored.status == 201, stored.text
    assert count(pg, attachments, draft) == 1
    (kept,) = stored_files(media)
    assert hashlib.sha256(kept.read_bytes()).hexdigest() == hashlib.sha256(photo).hexdigest()


def east_draft(county: County) -> Inspection:
    """A draft inspection of an entity on the east station's grid, by its officer."""
    longitude, latitude = county.east_point()
    entity = make_entity(longitude=longitude, latitude=latitude)
    return make_inspection(entity=entity, officers=[county.east_officer], signed=False)


def test_a_storage_that_runs_out_of_room_refuses_the_photo_and_keeps_no_part_of_it(
    county: County, settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same fault in-process, wherever mounting a disk is not allowed: the storage writes
    half the file, then the disk is full."""
    settings.MEDIA_ROOT = tmp_path
    draft = east_draft(county)
    photo = noise_png(40)
    write = FileSystemStorage._save  # type: ignore[attr-defined]

    def half_then_full(storage: FileSystemStorage, name: str, content: Any) -> str:
        write(storage, name, ContentFile(photo[: len(photo) // 2]))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", half_then_full)
    client = client_for(county.east_officer)
    path = f"{API}/inspections/{draft.pk}/attachments"

    full = client.post(path, {"kind": "photo", "file": SimpleUploadedFile("现场.png", photo)})
    assert full.status_code == 507
    assert "存储空间已满" in full.json()["detail"] and "现场.png" in full.json()["detail"]
    assert not Attachment.objects.exists() and not list(tmp_path.rglob("*.png"))
    assert Inspection.objects.get(pk=draft.pk).revision == draft.revision

    monkeypatch.undo()  # room again
    settings.MEDIA_ROOT = tmp_path
    stored = client.post(path, {"kind": "photo", "file": SimpleUploadedFile("现场.png", photo)})
    assert stored.status_code == 201, stored.content
    kept = Attachment.objects.get().file.read()
    assert hashlib.sha256(kept).hexdigest() == hashlib.sha256(photo).hexdigest()


def test_the_inspection_page_on_a_full_disk_comes_back_with_what_was_typed(
    county: County, settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.MEDIA_ROOT = tmp_path

    def full(storage: FileSystemStorage, name: str, content: Any) -> str:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", full)
    inspection = record_draft(county)
    body = form_post(inspection, summary="门店整洁")
    body["photos"] = SimpleUploadedFile("门头.png", noise_png(20), "image/png")
    response = client_for(county.east_officer).post(url("inspection_edit", inspection.pk), body)
    assert response.status_code == 200
    assert "存储空间已满" in page_text(response) and "门店整洁" in page_text(response)
    inspection.refresh_from_db()
    assert (inspection.revision, inspection.summary) == (1, "")  # the draft not saved either
    assert not Attachment.objects.exists()


def test_a_part_left_by_an_earlier_failed_write_is_replaced_not_reused(
    county: County, settings: Any, tmp_path: Path
) -> None:
    """A worker killed mid-write leaves a part of the file under the photo's digest: the next
    upload of the photo writes it whole instead of pointing at the part."""
    settings.MEDIA_ROOT = tmp_path
    draft = east_draft(county)
    photo = noise_png(40)
    digest = hashlib.sha256(photo).hexdigest()
    part = tmp_path / "inspections" / digest[:2] / f"{digest}.png"
    part.parent.mkdir(parents=True)
    part.write_bytes(photo[:100])

    path = f"{API}/inspections/{draft.pk}/attachments"
    stored = client_for(county.east_officer).post(
        path, {"kind": "photo", "file": SimpleUploadedFile("现场.png", photo)}
    )
    assert stored.status_code == 201, stored.content
    assert Attachment.objects.get().file.name == f"inspections/{digest[:2]}/{digest}.png"
    assert part.read_bytes() == photo


# PostgreSQL restarted under load ----------------------------------------------------------------


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    """A throwaway PostgreSQL cluster (tests/web/pg_cluster.py): restarted, it cuts no one
    else's test."""
    made = throwaway_cluster()
    try:
        running = made.__enter__()
    except ClusterUnavailable as reason:
        unavailable(f"no throwaway PostgreSQL cluster: {reason}")
    try:
        yield running
    finally:
        made.__exit__(None, None, None)


@dataclass
class Answer:
    status: int  # 0: no answer (the connection failed)
    seconds: float
    retry_after: str | None
    inspection: int | None


def timed(send: Callable[[], Any]) -> Answer:
    """Send a request: its answer and how long it took."""
    began = time.monotonic()
    try:
        response = send()
    except (OSError, http.client.HTTPException):
        return Answer(0, time.monotonic() - began, None, None)
    created = response.data["id"] if response.status == 201 else None
    return Answer(
        response.status, time.monotonic() - began, response.getheader("Retry-After"), created
    )


def open_inspection(browser: Browser, world: dict[str, Any], **headers: str) -> Answer:
    """An officer opens an inspection: one transaction writes the record, its items and team."""
    payload = {"uscc": world["uscc"], "kind": "onsite", "checklist_id": world["checklist_id"]}
    return timed(lambda: browser.json("POST", f"{API}/inspections", payload, **headers))


def copy_database(stack: Stack, cluster: Cluster, name: str) -> str:
    """The stack's database as it stands, restored into ``cluster`` (no second migration)."""
    dump = stack.var / "stack.dump"
    source = stack.env["DATABASE_URL"]
    subprocess.run(
        [cluster.bindir / "pg_dump", "-Fc", "-f", dump, "-d", source], check=True, timeout=120
    )
    pg_admin(cluster.url, f"CREATE DATABASE {name}")
    target = f"{cluster.url}/{name}"
    subprocess.run(
        [cluster.bindir / "pg_restore", "--no-owner", "-d", target, dump], check=True, timeout=120
    )
    return target


@pytest.mark.slow
def test_postgresql_restarted_under_load_answers_503_and_keeps_every_record_whole(
    stack: Stack, cluster: Cluster, tmp_path: Path
) -> None:
    import psycopg

    name = "xiaoneng_fault_restart"
    target = copy_database(stack, cluster, name)
    port = free_port()
    env = stack.env | {"DATABASE_URL": target, "XIAONENG_BIND": f"127.0.0.1:{port}"}
    moved = Stack(port=port, env=env, var=tmp_path, world=stack.world)
    moved.start_web()
    try:
        officer = Browser(port, address="10.1.2.7", timeout=WAIT_SECONDS)
        bearer = {"Authorization": f"Bearer {stack.world['officer_token']}"}
        answers: list[Answer] = []
        restarted = threading.Event()

        def load() -> None:
            # Clients without pause until the restart is over and a few more succeed.
            after = 0
            while after < 5:
                answer = open_inspection(officer, stack.world, **bearer)
                answers.append(answer)
                after += restarted.is_set() and answer.status == 201
                assert len(answers) < 2000, "no success after the restart"

        clients = [threading.Thread(target=load) for _ in range(3)]
        for client in clients:
            client.start()
        deadline = time.monotonic() + WAIT_SECONDS
        while len(answers) < 10:
            assert time.monotonic() < deadline and all(c.is_alive() for c in clients)
            time.sleep(0.05)  # the load under way
        # A signature certainly in PostgreSQL when it stops: held at its trace check's lock.
        locker = psycopg.connect(target)
        locker.execute(f"SELECT pg_advisory_xact_lock({TRACE_LOCK})")
        held = Browser(port, address="10.1.2.8", timeout=WAIT_SECONDS)
        draft = stack.world["photo_draft"]
        sign = f"{API}/inspections/{draft}/sign"
        cut: list[Answer] = []
        holder = threading.Thread(
            target=lambda: cut.append(timed(lambda: held.json("POST", sign, {}, **bearer)))
        )
        holder.start()
        with psycopg.connect(target, autocommit=True) as watcher:
            assert "pg_advisory_xact_lock" in waiting(watcher).query
        cluster.restart()
        restarted.set()
        with suppress(psycopg.Error):
            locker.close()
        holder.join(WAIT_SECONDS)
        for client in clients:
            client.join(WAIT_SECONDS)
        assert not holder.is_alive() and not any(c.is_alive() for c in clients)
    finally:
        moved.stop()

    # The request cut in its transaction, and any other the restart failed: 503, retry later.
    (held_answer,) = cut
    assert held_answer.status == 503 and held_answer.retry_after, held_answer
    failed = [a for a in answers if a.status != 201]
    assert all(a.status == 503 and a.retry_after for a in failed), failed
    assert max(a.seconds for a in [*answers, *cut]) < WAIT_SECONDS
    assert answers[-1].status == 201

    # Every record whole: as many items and members as it should have, none half-written.
    created = {a.inspection for a in answers if a.inspection}
    with psycopg.connect(target, autocommit=True) as after:
        rows = after.execute(
            f"SELECT i.id, (SELECT count(*) FROM {table(ItemResult)} r WHERE r.inspection_id = "
            f"i.id), (SELECT count(*) FROM {table(InspectionOfficer)} m WHERE m.inspection_id = "
            f"i.id) FROM {table(Inspection)} i WHERE i.status = 'draft'"
        ).fetchall()
        unsigned = after.execute(
            f"SELECT status FROM {table(Inspection)} WHERE id = %s", (draft,)
        ).fetchone()
    assert unsigned == ("draft",)  # the cut signature left nothing
    whole = {pk for pk, items, members in rows if (items, members) == (3, 1)}
    assert {pk for pk, _items, _members in rows} == whole
    assert created <= whole
    # PostgreSQL's own check of every table and index, and the trace check, find nothing wrong.
    amcheck = subprocess.run(
        [
            str(cluster.bindir / "pg_amcheck"),
            *["--install-missing", "--heapallindexed", "-h", "127.0.0.1"],
            *["-p", str(cluster.port), "-U", "postgres", name],
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert amcheck.returncode == 0 and not amcheck.stdout, amcheck.stdout + amcheck.stderr
    moved.cli("trace", "check")


def test_a_page_cut_off_from_the_database_is_the_503_page_to_retry() -> None:
    request = RequestFactory().get("/entities/")
    try:
        raise OperationalError("terminating connection due to administrator command")
    except OperationalError:
        response = database_unavailable.server_error(request)
    assert response.status_code == 503 and response["Retry-After"] == "5"
    page = response.content.decode()
    assert "暂时无法访问" in page and "本次操作未保存" in page
    try:
        raise ValueError("a fault of ours")
    except ValueError:
        other = database_unavailable.server_error(request)
    assert other.status_code == 500 and not other.has_header("Retry-After")
