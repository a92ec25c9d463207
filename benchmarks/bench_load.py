"""Load figures (issue 14): the production stack against the single waitress process, over HTTP,
on PostgreSQL with 1,000,000 entities.

In one run, on one database (``xiaoneng_load``; ``xiaoneng_load_quick`` with ``--quick``):

1. the list page's **server time** per request: the median of the Django test client in
   process (as ``bench_entity_list``), unfiltered first page, leader and station director;
2. the **single process**, ``xiaoneng serve`` (waitress, 8 threads) as a single office runs it,
   then the **production stack**, gunicorn from ``deploy/gunicorn.conf.py`` with
   ``WEB_CONCURRENCY`` sync workers (default 3) behind the proxy settings
   (``XIAONENG_BEHIND_HTTPS_PROXY``; the client sends the headers nginx sets), each driven by
   ``load_client.py`` in a process of its own: 50 clients without think time on each of the
   entity list page, the list API, a dossier, an inspection draft saved through the API (PUT
   with a token) and the leader's cockpit; req/s, p50/p95/p99, errors;
3. the **paced** scenario on each: 300 users each sending a request every 5 s (60 req/s),
   cycling through the five endpoints, for 60 s: p95.

Figures (for ``run.py``): per endpoint, the stack's time per request at 50 clients (1 / its
throughput) against the single process's (ratio = stack throughput / single, target ≥ 1.7×),
the stack's p99 (≤ 1 s) and errors (0); the paced p95 (≤ 200 ms); the list page's server time
(≤ 10 ms). The client's CPU, the servers' and the machine's are printed beside each phase: on
2 cores the client competes with the server it measures.

    python benchmarks/bench_load.py [--quick] [--keep] [--reuse] [--entities N]
        [--seconds S] [--workers N] [--clients N] [--paced-seconds S] [--server-time-only]

Always PostgreSQL (``--postgres`` is accepted for ``run.py``); no Redis: no endpoint measured
uses the cache or the job queue.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import common
from common import Figure, say, timed
from load_client import ENDPOINTS
from load_world import World, fill, people

NAME = "load"
BIN = Path(sys.executable).parent
SECRET = "load-benchmark-" + "k" * 40
STACK_GOAL = 1.7
P99_LIMIT_MS = 1000.0
PACED_LIMIT_MS = 200.0
SERVER_TIME_LIMIT_MS = 10.0
READY_SECONDS = 120


def database(quick: bool) -> str:
    return "xiaoneng_load_quick" if quick else "xiaoneng_load"


# The list page's server time, in process -----------------------------------------------------


def server_time(runs: int) -> dict[str, float]:
    """Median ms of the list page and the API (first page, unfiltered and class Ⅰ) per user."""
    from django.test import Client

    from xiaoneng.org.models import Officer

    found = {}
    for who in ("leader", "director"):
        client = Client()
        client.force_login(Officer.objects.get(username=f"load_{who}"))
        for label, path in (
            ("page", "/entities/"),
            ("page class I", "/entities/?risk_class=I"),
            ("API", "/api/v1/entities"),
        ):

            def get(path: str = path, client: Any = client) -> None:
                response = client.get(path)
                assert response.status_code == 200, (path, response.status_code)

            found[f"{label}, {who}"] = common.median_seconds(get, runs=runs, warmup=3) * 1000
    return found


# The servers ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def environment(url: str) -> dict[str, str]:
    """The servers' environment: this database, benchmarks/out/var, nothing of the caller's."""
    drop = {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL"}
    clean = {k: v for k, v in os.environ.items() if not k.startswith("XIAONENG_") and k not in drop}
    return clean | {
        "DATABASE_URL": url,
        "XIAONENG_VAR": str(common.OUT / "load-var"),
        "XIAONENG_SECRET_KEY": SECRET,
    }


@contextmanager
def server(kind: str, url: str, workers: int) -> Iterator[tuple[int, int]]:
    """A running server (``single`` or ``stack``): its port and process group."""
    port = free_port()
    env = environment(url)
    if kind == "single":
        command = [str(BIN / "xiaoneng"), "serve", "--port", str(port)]
    else:
        command = [str(BIN / "gunicorn"), "-c", str(common.ROOT / "deploy" / "gunicorn.conf.py")]
        env |= {
            "XIAONENG_BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": str(workers),
            "XIAONENG_BEHIND_HTTPS_PROXY": "1",
            "XIAONENG_TRUSTED_PROXIES": "127.0.0.1",
        }
    log = common.OUT / f"load-{kind}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            command,
            env=env,
            cwd=common.ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + READY_SECONDS
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"{kind} did not start: {log.read_text()[-2000:]}") from None
                time.sleep(0.2)  # waiting for the server to bind
        warm(port, log, 2 * workers + 2)
        yield port, process.pid
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def warm(port: int, log: Path, answers: int) -> None:
    """Wait until ``answers`` log-in pages in a row come back within a second: gunicorn binds
    before its workers have loaded Django, and each worker's first request loads the rest."""
    deadline = time.monotonic() + READY_SECONDS
    quick = 0
    while quick < answers:
        if time.monotonic() > deadline:
            raise SystemExit(f"no quick answers from port {port}: {log.read_text()[-2000:]}")
        started = time.monotonic()
        with socket.create_connection(("127.0.0.1", port), timeout=READY_SECONDS) as s:
            s.sendall(b"GET /login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-Proto: https\r\n"
                      b"Connection: close\r\n\r\n")  # fmt: skip
            answer = s.recv(64)
            while s.recv(65536):
                pass
        ok = answer.startswith(b"HTTP/1.1 200") and time.monotonic() - started < 1
        quick = quick + 1 if ok else 0


def _ticks() -> float:
    return float(os.sysconf("SC_CLK_TCK"))


def group_cpu(group: int) -> float:
    """CPU seconds used so far by the processes of process group ``group``: the live ones' own
    and, through their parent's count of its children, those that exited (gunicorn replaces a
    worker after ``max_requests``)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group:
            total += sum(int(value) for value in fields[11:15])
    return total / _ticks()


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the machine since boot, all cores."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return (sum(values) - idle) / _ticks(), sum(values) / _ticks()


def phase(kind: str, port: int, group: int, world: Path, options: Any, **what: str) -> Any:
    """One run of the client against one server; its results and the CPU each side used."""
    command = [
        sys.executable, str(common.ROOT / "benchmarks" / "load_client.py"),
        "--world", str(world), "--port", str(port), "--clients", str(options.clients),
        "--seconds", str(options.seconds), "--warmup", str(options.warmup),
        "--paced-seconds", str(options.paced_seconds),
        *(f"--{k.replace('_', '-')}={v}" for k, v in what.items()),
    ]  # fmt: skip
    cpu, (busy, total) = group_cpu(group), machine_busy()
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    busy_after, total_after = machine_busy()
    if done.returncode != 0:
        raise SystemExit(f"the client failed against {kind}: {done.stderr[-2000:]}")
    results: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    for found in [*results["endpoints"].values(), results.get("paced")]:
        if found is not None:
            found["server_cpu"] = (group_cpu(group) - cpu) / wall
            found["machine_busy"] = (busy_after - busy) / (total_after - total)
    return results


def drive(url: str, world: Path, options: Any) -> dict[str, dict[str, Any]]:
    """Both servers up side by side; each endpoint measured on one then at once on the other,
    so that the load of other processes on the machine falls alike on both."""
    results: dict[str, dict[str, Any]] = {"single": {"endpoints": {}}, "stack": {"endpoints": {}}}
    with (
        server("single", url, options.workers) as single,
        server("stack", url, options.workers) as stack,
    ):
        ports = {"single": single, "stack": stack}
        say(f"single: xiaoneng serve on port {single[0]}; stack: gunicorn on port {stack[0]}")
        for endpoint in ENDPOINTS:
            for kind, (port, group) in ports.items():
                found = phase(kind, port, group, world, options, endpoints=endpoint)
                results[kind]["endpoints"][endpoint] = found["endpoints"][endpoint]
                row(kind, endpoint, found["endpoints"][endpoint])
        for kind, (port, group) in ports.items():
            found = phase(
                kind, port, group, world, options, endpoints="",
                paced_users=str(options.paced_users),
            )  # fmt: skip
            results[kind]["paced"] = found["paced"]
            row(kind, f"paced {options.paced_users}", found["paced"])
    return results


# Figures -----------------------------------------------------------------------------------------


HEADER = (
    f"{'server':<7} {'endpoint':<16} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
    f"{'max ms':>7} {'errors':>6}  CPU (cores): client, server; machine busy"
)


def row(kind: str, endpoint: str, r: dict[str, Any]) -> None:
    say(
        f"{kind:<7} {endpoint:<16} {r['rps']:7.1f} {r['p50']:7.0f} {r['p95']:7.0f} "
        f"{r['p99']:7.0f} {r['max']:7.0f} {r['errors']:6d}  {r['client_cpu']:.2f}, "
        f"{r['server_cpu']:.2f}; {r['machine_busy']:.0%}"
        + (f"  {r['first_error']}" if r["errors"] else "")
    )


def print_results(results: dict[str, dict[str, Any]], options: Any) -> None:
    say("")
    say(HEADER)
    for kind, found in results.items():
        for endpoint in ENDPOINTS:
            row(kind, endpoint, found["endpoints"][endpoint])
        row(kind, f"paced {options.paced_users}", found["paced"])
    single, stack = results["single"]["endpoints"], results["stack"]["endpoints"]
    say("stack / single throughput: " + ", ".join(
        f"{e} {stack[e]['rps'] / single[e]['rps']:.2f}×" for e in ENDPOINTS
    ))  # fmt: skip


def figures(results: dict[str, dict[str, Any]], times: dict[str, float], workers: int,
            options: Any) -> list[Figure]:  # fmt: skip
    single, stack = results["single"], results["stack"]
    label = f"gunicorn ×{workers}"
    out = []
    for endpoint in ENDPOINTS:
        s, g = single["endpoints"][endpoint], stack["endpoints"][endpoint]
        out.append(
            Figure(
                benchmark=NAME,
                case=f"{endpoint}: time per request at {options.clients} clients "
                f"(1/throughput), {label}",
                value=1000 / g["rps"] if g["rps"] else float("inf"),
                unit="ms",
                baseline=1000 / s["rps"] if s["rps"] else None,
                baseline_label="xiaoneng serve (waitress, one process)",
                ratio_target=STACK_GOAL,
                note=f"{g['rps']:.1f} req/s against {s['rps']:.1f}",
            )
        )
        out.append(
            Figure(
                benchmark=NAME,
                case=f"{endpoint}: p99 at {options.clients} clients, {label}",
                value=g["p99"],
                unit="ms",
                limit=P99_LIMIT_MS,
                baseline=s["p99"],
                baseline_label="xiaoneng serve",
                note=f"p50 {g['p50']:.0f} ms, p95 {g['p95']:.0f} ms; {g['errors']} errors "
                f"(single process: {s['errors']})",
            )
        )
    errors = sum(r["errors"] for r in stack["endpoints"].values()) + stack["paced"]["errors"]
    out.append(
        Figure(benchmark=NAME, case=f"errors, {label}, every phase", value=errors, unit="", limit=0)
    )
    out.append(
        Figure(
            benchmark=NAME,
            case=f"paced: {options.paced_users} users, a request every 5 s, p95, {label}",
            value=stack["paced"]["p95"],
            unit="ms",
            limit=PACED_LIMIT_MS,
            baseline=single["paced"]["p95"],
            baseline_label="xiaoneng serve",
            note=f"{stack['paced']['rps']:.1f} req/s, p99 {stack['paced']['p99']:.0f} ms",
        )
    )
    for case, value in times.items():
        if case.startswith("page,"):
            out.append(
                Figure(
                    benchmark=NAME,
                    case=f"list {case}: server time (test client, median)",
                    value=value,
                    unit="ms",
                    limit=SERVER_TIME_LIMIT_MS,
                )
            )
    return out


def main() -> None:
    parser = common.arguments(__doc__.splitlines()[0])
    parser.add_argument("--reuse", action="store_true", help="reuse a database kept by --keep")
    parser.add_argument("--entities", type=int, help="default 1,000,000 (20,000 with --quick)")
    parser.add_argument("--seconds", type=float, help="per endpoint (default 30; 10 --quick)")
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn's WEB_CONCURRENCY")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--paced-users", type=int, default=300)
    parser.add_argument("--paced-seconds", type=float, help="default 60 (20 --quick)")
    parser.add_argument("--runs", type=int, default=30, help="server time: requests per median")
    parser.add_argument(
        "--server-time-only", action="store_true", help="measure the server time, no load"
    )
    options = parser.parse_args()
    count = options.entities or (20_000 if options.quick else 1_000_000)
    options.seconds = options.seconds or (10.0 if options.quick else 30.0)
    options.paced_seconds = options.paced_seconds or (20.0 if options.quick else 60.0)
    name = database(options.quick)
    url = f"{common.PG_SERVER}/{name}"
    world_file = common.OUT / f"{name}.world.json"
    os.environ["XIAONENG_SECRET_KEY"] = SECRET  # the servers must accept the sessions made here
    if options.reuse:
        common.setup_django(url)
        world = World.load(world_file)
        say(f"reusing {name}: {world.entities:,} entities")
    else:
        common._pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        common._pg_admin(f"CREATE DATABASE {name}")
        common.setup_django(url)
        say(f"database {name} migrated in {common.migrate():.1f} s")
        spent, _ = timed(lambda: fill(count))
        sessions = max(options.clients, options.paced_users) // 2 + 1
        world = people(sessions)
        world.save(world_file)
        say(f"filled {world.entities:,} entities and the users in {spent:.0f} s")
    say(f"load average before: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    try:
        times = server_time(options.runs)
        say("server time, median ms: " + ", ".join(f"{k} {v:.1f}" for k, v in times.items()))
        if options.server_time_only:
            return
        from django.db import connections

        connections.close_all()
        say(HEADER)
        results = drive(url, world_file, options)
    finally:
        say(f"load average after: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
        if not options.keep:
            from django.db import connections as open_connections

            open_connections.close_all()
            common._pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            world_file.unlink(missing_ok=True)
    print_results(results, options)
    common.report(figures(results, times, options.workers, options))


if __name__ == "__main__":
    main()
