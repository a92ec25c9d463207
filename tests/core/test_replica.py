"""Reads that may be stale go to the read replica (issue 14, item 6; core/routing.py).

The router's rules are tested on any database; which views say their reads may be stale is
tested with a spy router on the suite's database; and one slow test starts a real PostgreSQL
primary and streaming replica with deploy/pg-replica.sh, runs the application against the pair
in a subprocess (``_drive``, below) and checks, query by query,
which server answered: the map, its points and an export on the replica; the entity list and a
claim (a write) on the primary. It is skipped when the PostgreSQL binaries (or, as root,
runuser and the user postgres) are missing, unless ``XIAONENG_REQUIRE_E2E=1``.
"""

from __future__ import annotations

import json
import os
import pwd
import runpy
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from xiaoneng.core import routing
from xiaoneng.core.models import ApiToken, AuditEvent, JobRun
from xiaoneng.core.routing import REPLICA, ReplicaRouter, stale_ok, stale_reads
from xiaoneng.org.models import Grid, Officer, Role, Unit
from xiaoneng.registry.models import Entity

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "deploy" / "pg-replica.sh"
SETTINGS = ROOT / "src" / "xiaoneng" / "settings.py"
PRIMARY = "default"
# The subprocess of the slow test: Django set up first, then this module's _drive.
DRIVE = (
    "import json, django; django.setup(); "
    "from tests.core.test_replica import _drive; print(json.dumps(_drive()))"
)


@pytest.fixture
def router(monkeypatch: pytest.MonkeyPatch) -> ReplicaRouter:
    """The router, with a replica configured (this process may have none)."""
    router = ReplicaRouter()
    monkeypatch.setattr(router, "replica_configured", lambda: True)
    return router


# The router's rules ----------------------------------------------------------------------------


def test_reads_go_to_the_primary_unless_the_code_says_they_may_be_stale(
    router: ReplicaRouter,
) -> None:
    assert router.db_for_read(Entity) == PRIMARY
    with stale_ok():
        assert router.db_for_read(Entity) == REPLICA
        assert router.db_for_read(Grid) == REPLICA
        assert router.db_for_read(Unit) == REPLICA
    assert router.db_for_read(Entity) == PRIMARY


@pytest.mark.parametrize(
    "model",
    [
        Session,
        Permission,
        Group,
        ContentType,
        LogEntry,
        Officer,
        Role,
        Officer.roles.through,
        AuditEvent,
        ApiToken,
        JobRun,
    ],
)
def test_login_session_throttle_token_job_and_trace_tables_stay_on_the_primary(
    router: ReplicaRouter, model: type[Model]
) -> None:
    with stale_ok():
        assert router.db_for_read(model) == PRIMARY


def test_the_login_throttles_table_stays_on_the_primary(router: ReplicaRouter) -> None:
    from axes.models import AccessAttempt

    with stale_ok():
        assert router.db_for_read(AccessAttempt) == PRIMARY


def test_writes_go_to_the_primary_and_the_rest_of_the_scope_reads_there(
    router: ReplicaRouter,
) -> None:
    assert router.db_for_write(Entity) == PRIMARY
    with stale_ok():
        assert router.db_for_read(Entity) == REPLICA
        assert router.db_for_write(Grid) == PRIMARY
        # Read-your-writes: what was just written is on the primary only.
        assert router.db_for_read(Entity) == PRIMARY
    with stale_ok():  # a new scope starts clean
        assert router.db_for_read(Entity) == REPLICA


def test_a_write_in_a_nested_scope_holds_for_the_whole_outer_scope(router: ReplicaRouter) -> None:
    with stale_ok():
        with stale_ok():
            assert router.db_for_read(Entity) == REPLICA
            router.db_for_write(Entity)
        assert router.db_for_read(Entity) == PRIMARY
    assert not routing.in_stale_ok_scope()


def test_stale_ok_decorates_a_function(router: ReplicaRouter) -> None:
    @stale_ok()
    def report() -> str:
        return router.db_for_read(Entity)

    assert report() == REPLICA
    assert report() == REPLICA  # each call its own scope
    assert router.db_for_read(Entity) == PRIMARY


def test_the_scope_does_not_reach_another_thread(router: ReplicaRouter) -> None:
    seen: list[str] = []
    with stale_ok():
        worker = threading.Thread(target=lambda: seen.append(router.db_for_read(Entity)))
        worker.start()
        worker.join()
        assert router.db_for_read(Entity) == REPLICA
    assert seen == [PRIMARY]


@pytest.mark.django_db
def test_a_tests_transaction_keeps_every_read_on_the_primary(router: ReplicaRouter) -> None:
    """Each test runs in a transaction: with a replica configured, the suite reads default."""
    with stale_ok():
        assert router.db_for_read(Entity) == PRIMARY


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reads_inside_transaction_atomic_stay_on_the_primary(router: ReplicaRouter) -> None:
    with stale_ok():
        assert router.db_for_read(Entity) == REPLICA
        with transaction.atomic():
            assert router.db_for_read(Entity) == PRIMARY
        assert router.db_for_read(Entity) == REPLICA
    with transaction.atomic(), stale_ok():
        assert router.db_for_read(Entity) == PRIMARY


def test_stale_reads_on_a_view_holds_for_get_and_head_only(router: ReplicaRouter) -> None:
    @stale_reads
    def view(request: HttpRequest) -> HttpResponse:
        return HttpResponse(router.db_for_read(Entity))

    factory = RequestFactory()
    assert view(factory.get("/")).content.decode() == REPLICA
    assert view(factory.head("/")).content.decode() == REPLICA
    assert view(factory.post("/")).content.decode() == PRIMARY
    assert router.db_for_read(Entity) == PRIMARY


def test_only_the_primary_is_migrated_and_rows_of_both_may_be_related() -> None:
    router = ReplicaRouter()
    assert router.allow_migrate(PRIMARY, "registry", "entity") is True
    assert router.allow_migrate(REPLICA, "registry", "entity") is False
    ours, theirs, other = Unit(), Unit(), Unit()
    ours._state.db, theirs._state.db, other._state.db = PRIMARY, REPLICA, "archive"
    assert router.allow_relation(ours, theirs) is True
    assert router.allow_relation(ours, other) is None


def test_the_replica_is_used_only_as_configured_not_as_the_test_runners_mirror(
    monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    """Django's test runner renames a TEST MIRROR to the test database: then reads stay on
    default (the same database), and the suite runs the same with DATABASE_REPLICA_URL set."""
    router = ReplicaRouter()
    monkeypatch.delitem(settings.DATABASES, REPLICA, raising=False)
    with stale_ok():
        assert router.db_for_read(Entity) == PRIMARY  # no replica at all
        settings.DATABASE_REPLICA_NAME = "xiaoneng"
        monkeypatch.setitem(settings.DATABASES, REPLICA, {"NAME": "xiaoneng"})
        assert routing.replica_configured()
        assert router.db_for_read(Entity) == REPLICA
        monkeypatch.setitem(settings.DATABASES, REPLICA, {"NAME": "test_xiaoneng"})
        assert not routing.replica_configured()
        assert router.db_for_read(Entity) == PRIMARY


# settings.py -----------------------------------------------------------------------------------


def _settings_with(monkeypatch: pytest.MonkeyPatch, tmp: Path, **env: str) -> dict[str, Any]:
    for name in ("DATABASE_URL", "DATABASE_REPLICA_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XIAONENG_VAR", str(tmp))
    monkeypatch.setenv("XIAONENG_SECRET_KEY", "test")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))


def test_without_database_replica_url_nothing_changes(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    values = _settings_with(monkeypatch, tmp_path)
    assert list(values["DATABASES"]) == ["default"]
    assert values["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert "DATABASE_ROUTERS" not in values


def test_database_replica_url_adds_the_replica_and_the_router(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    values = _settings_with(
        monkeypatch,
        tmp_path,
        DATABASE_URL="postgres://app@db1.example:5432/xiaoneng",
        DATABASE_REPLICA_URL="postgres://app@db2.example:5433/xiaoneng",
    )
    replica = values["DATABASES"][REPLICA]
    assert (replica["HOST"], replica["PORT"], replica["NAME"]) == ("db2.example", 5433, "xiaoneng")
    assert replica["ENGINE"] == values["DATABASES"]["default"]["ENGINE"]
    assert replica["TEST"] == {"MIRROR": "default"}
    assert values["DATABASE_REPLICA_NAME"] == "xiaoneng"
    assert values["DATABASE_ROUTERS"] == ["xiaoneng.core.routing.ReplicaRouter"]


# Which views read stale ------------------------------------------------------------------------


class SpyRouter:
    """Records, for every read, the model and whether the code said it may be stale."""

    reads: list[tuple[str, bool]] = []

    def db_for_read(self, model: type[Model], **hints: Any) -> None:
        self.reads.append((model._meta.label_lower, routing.in_stale_ok_scope()))


@pytest.fixture
def spy(settings: Any) -> Iterator[list[tuple[str, bool]]]:
    SpyRouter.reads = []
    settings.DATABASE_ROUTERS = [f"{__name__}.SpyRouter"]
    yield SpyRouter.reads


STALE_PAGES = [
    ("registry:map", {}, "admin"),
    ("registry:entity_points", {}, "admin"),
    ("registry:export", {"kind": "entities"}, "admin"),
    ("reports:period_report", {}, "admin"),
    ("reports:timeliness_bulletin", {}, "admin"),
    ("assessment:ranking", {}, "admin"),
    ("assessment:bulletin", {}, "admin"),
    ("assessment:cockpit", {}, "admin"),
    ("assessment:cockpit_today", {}, "admin"),
    ("ledger:efficiency", {}, "admin"),
    ("oversight:leader_view", {}, "leader"),
    ("planning:coverage", {}, "admin"),
    ("planning:staffing", {}, "admin"),
    ("ads:ad_stats", {}, "admin"),
    ("timeliness:complaint_stats", {}, "admin"),
]


@pytest.mark.parametrize(("name", "kwargs", "who"), STALE_PAGES)
def test_reports_exports_dashboards_and_the_map_read_stale(
    county: Any,
    spy: list[tuple[str, bool]],
    client: Any,
    name: str,
    kwargs: dict[str, str],
    who: str,
) -> None:
    client.force_login(getattr(county, who))
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200
    assert any(may_be_stale for _, may_be_stale in spy), f"{name}: no read may be stale"
    # Who is logged in was read before the view, outside its scope.
    assert ("sessions.session", False) in spy


@pytest.mark.parametrize(
    ("url", "who"),
    [
        ("/api/v1/reports/period?from=2026-01-01&to=2026-06-30", "admin"),
        ("/api/v1/oversight", "leader"),
        ("/api/v1/export/entities?format=csv", "admin"),
    ],
)
def test_report_dashboard_and_export_api_read_stale(
    county: Any, spy: list[tuple[str, bool]], client: Any, url: str, who: str
) -> None:
    client.force_login(getattr(county, who))
    assert client.get(url).status_code == 200
    assert any(may_be_stale for _, may_be_stale in spy)


def test_ordinary_pages_and_writes_read_the_primary(
    county: Any, spy: list[tuple[str, bool]], client: Any
) -> None:
    from tests.registry.factories import make_entity

    entity = make_entity(longitude=county.east_point()[0], latitude=county.east_point()[1])
    client.force_login(county.east_officer)
    assert client.get(reverse("registry:entity_list")).status_code == 200
    claimed = client.post(reverse("registry:entity_claim", kwargs={"uscc": entity.uscc}))
    assert claimed.status_code == 302
    entity.refresh_from_db()
    assert entity.claimed_by == county.east_officer
    assert spy and not any(may_be_stale for _, may_be_stale in spy)


# A real streaming replica ----------------------------------------------------------------------


def unavailable(reason: str) -> NoReturn:
    if os.environ.get("XIAONENG_REQUIRE_E2E") == "1":
        pytest.fail(f"{reason} (XIAONENG_REQUIRE_E2E=1)", pytrace=False)
    pytest.skip(reason)


def _postgres_binaries() -> str | None:
    """The folder of initdb, pg_ctl and pg_basebackup, as deploy/pg-replica.sh finds it."""
    candidates = [os.environ.get("PG_BINDIR", "")]
    if shutil.which("pg_config"):
        found = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True)
        candidates.append(found.stdout.strip())
    candidates += sorted(str(p) for p in Path("/usr/lib/postgresql").glob("*/bin"))[::-1]
    for folder in filter(None, candidates):
        if all((Path(folder) / name).exists() for name in ("initdb", "pg_ctl", "pg_basebackup")):
            return folder
    return None


def _free_ports(count: int, start: int = 55432) -> list[int]:
    ports: list[int] = []
    for port in range(start, start + 200):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        ports.append(port)
        if len(ports) == count:
            return ports
    unavailable(f"no {count} free ports from {start}")


@dataclass
class Pair:
    """The folder and ports of a primary and its replica, and the URLs the script prints."""

    folder: str
    primary_port: int
    replica_port: int

    def urls(self) -> dict[str, str]:
        server = "postgres://postgres@127.0.0.1:{}/xiaoneng_replica"
        return {
            "DATABASE_URL": server.format(self.primary_port),
            "DATABASE_REPLICA_URL": server.format(self.replica_port),
        }

    def start(self) -> None:
        started = subprocess.run(
            ["bash", str(SCRIPT), "start", self.folder, *map(str, self.ports)],
            capture_output=True,
            text=True,
            timeout=90,
        )
        if started.returncode != 0:
            pytest.fail(f"pg-replica.sh start failed:\n{started.stdout}\n{started.stderr}")
        printed = dict(line.split("=", 1) for line in started.stdout.split() if "=" in line)
        assert printed == self.urls()

    @property
    def ports(self) -> tuple[int, int]:
        return self.primary_port, self.replica_port


@pytest.fixture
def replica_pair() -> Iterator[Pair]:
    """A primary and its streaming replica, for the script to start; stopped and removed after."""
    if _postgres_binaries() is None:
        unavailable("PostgreSQL's initdb, pg_ctl and pg_basebackup are not installed")
    if os.geteuid() == 0:
        if shutil.which("runuser") is None:
            unavailable("runuser is missing: the clusters cannot run as postgres")
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            unavailable("there is no user postgres to run the clusters")
    folder = tempfile.mkdtemp(prefix="xiaoneng_replica_", dir="/tmp")
    try:
        yield Pair(folder, *_free_ports(2))
    finally:
        subprocess.run(["bash", str(SCRIPT), "stop", folder], capture_output=True, timeout=90)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.slow
def test_a_real_streaming_replica_answers_the_map_and_exports_and_the_primary_the_rest(
    replica_pair: Pair, tmp_path: Path
) -> None:
    ready = tmp_path / "ready"
    env = {
        **os.environ,
        **replica_pair.urls(),
        "DJANGO_SETTINGS_MODULE": "xiaoneng.settings",
        "XIAONENG_VAR": str(tmp_path),
        "XIAONENG_SECRET_KEY": "replica-test",
        "XIAONENG_REPLICA_READY": str(ready),
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "src")]),
    }
    # The application sets itself up while the script starts the servers; then it goes on.
    driver = subprocess.Popen(
        [sys.executable, "-c", DRIVE],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        began = time.monotonic()
        replica_pair.start()
        started_in = time.monotonic() - began
        ready.touch()
        out, err = driver.communicate(timeout=120)
    finally:
        if driver.poll() is None:
            driver.kill()
            driver.wait()
    assert driver.returncode == 0, err[-3000:]
    seen = json.loads(out.strip().splitlines()[-1])
    print(
        f"pg-replica.sh start: {started_in:.1f} s; the application: {seen['timings']}; replica caught up in {seen['seconds_to_catch_up']} s"
    )

    assert seen["recovery"] == {"default": False, "replica": True}
    assert seen["streaming"] == ["xiaoneng_replica streaming"]
    for page in ("points", "export"):
        answer = seen[page]
        assert answer["status"] == 200, page
        assert any("org_grid" in q or "registry_entity" in q for q in answer["replica"]), page
        # The primary answered only who is logged in (session, officer, roles).
        assert not any("registry_entity" in q or "org_grid" in q for q in answer["primary"]), page
    assert seen["points_count"] == seen["entities"]
    assert seen["export_rows"] == seen["entities"]
    for page in ("list", "claim"):
        assert seen[page]["replica"] == [], page
        assert any("registry_entity" in q for q in seen[page]["primary"]), page
    assert seen["claim"]["status"] == 302
    assert any(q.startswith("UPDATE") for q in seen["claim"]["primary"])
    assert seen["claimed_on_replica"] is True  # the write streamed to the replica afterwards
    assert seen["seconds_to_catch_up"] < 10


# The subprocess's side: the application against the pair --------------------------------------


def _drive() -> dict[str, Any]:
    """Build a small county on the primary, wait for the replica, and record which server
    answered each query of a few requests."""
    from django.core.management import call_command
    from django.db import connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tests.conftest import make_county
    from tests.registry.factories import make_entity

    timings: dict[str, float] = {}
    began = time.monotonic()
    ready = Path(os.environ["XIAONENG_REPLICA_READY"])
    while not ready.exists():
        if time.monotonic() - began > 90:
            raise TimeoutError("the servers were not started in 90 s")
        time.sleep(0.05)
    timings["waited for the servers"] = time.monotonic() - began
    began = time.monotonic()
    for app in ("core", "org", "registry", "sessions", "axes"):  # what these pages need
        call_command("migrate", app, verbosity=0)
    timings["migrate"] = time.monotonic() - began
    county = make_county()
    lon, lat = county.east_point()
    entities = [
        make_entity(name=f"副本测试{i}号店", longitude=lon + i * 1e-4, latitude=lat)
        for i in range(5)
    ]
    seconds = _catch_up(connections)

    def answered(client: Client, method: str, url: str) -> dict[str, Any]:
        with (
            CaptureQueriesContext(connections["default"]) as primary,
            CaptureQueriesContext(connections[REPLICA]) as replica,
        ):
            response = client.get(url) if method == "GET" else client.post(url)
        return {
            "status": response.status_code,
            "primary": [q["sql"] for q in primary.captured_queries],
            "replica": [q["sql"] for q in replica.captured_queries],
            "body": response.content.decode("utf-8", "replace"),
        }

    timings["county"] = time.monotonic() - began - timings["migrate"]
    admin, officer = Client(), Client()
    admin.force_login(county.admin)
    officer.force_login(county.east_officer)
    seen: dict[str, Any] = {
        "entities": len(entities),
        "seconds_to_catch_up": seconds,
        "points": answered(admin, "GET", reverse("registry:entity_points")),
        "export": answered(
            admin, "GET", reverse("registry:export", kwargs={"kind": "entities"}) + "?format=csv"
        ),
        "list": answered(admin, "GET", reverse("registry:entity_list")),
        "claim": answered(
            officer, "POST", reverse("registry:entity_claim", kwargs={"uscc": entities[0].uscc})
        ),
    }
    seen["points_count"] = len(json.loads(seen["points"]["body"])["points"])
    seen["export_rows"] = sum(entity.uscc in seen["export"]["body"] for entity in entities)
    _catch_up(connections)
    seen["claimed_on_replica"] = (
        Entity.objects.using(REPLICA).get(pk=entities[0].pk).claimed_by_id == county.east_officer.pk
    )
    recovery = {}
    for alias in ("default", REPLICA):
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT pg_is_in_recovery()")
            recovery[alias] = cursor.fetchone()[0]
    seen["recovery"] = recovery
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT application_name || ' ' || state FROM pg_stat_replication")
        seen["streaming"] = [row[0] for row in cursor.fetchall()]
    for page in ("points", "export", "list", "claim"):
        del seen[page]["body"]
    seen["timings"] = {name: round(value, 1) for name, value in timings.items()}
    return seen


def _catch_up(connections: Any, timeout: float = 20.0) -> float:
    """Seconds until the replica has replayed the primary's WAL as it is now."""
    began = time.monotonic()
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        target = cursor.fetchone()[0]
    while time.monotonic() - began < timeout:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(
                "SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), %s::pg_lsn) >= 0", [target]
            )
            if cursor.fetchone()[0]:
                return round(time.monotonic() - began, 3)
        time.sleep(0.05)
    raise TimeoutError(f"the replica did not replay up to {target} in {timeout} s")
