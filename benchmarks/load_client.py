"""The load benchmark's client: many users on one asyncio loop, HTTP/1.1 over stdlib streams.

Run in a process of its own by ``bench_load`` (so that its CPU is its own and measured), once
per server; prints one JSON line of results:

    python benchmarks/load_client.py --world FILE --port P [--clients 50] [--seconds 30]
        [--warmup 3] [--paced-users 300] [--paced-every 5] [--paced-seconds 60]

Closed loop: for each endpoint in turn, ``clients`` users send requests back to back (no think
time) for ``seconds``, after ``warmup`` seconds not counted. Paced: ``paced-users`` users each
send one request every ``paced-every`` seconds on a fixed schedule (a random phase each),
cycling through the endpoints; a request's time runs from when it was due, so a server that
falls behind is charged with the wait (no coordinated omission).

Connections are kept alive when the server allows (waitress); gunicorn's sync workers close
each one, so a request there includes the TCP connect, as it would behind nginx's own pool.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import random
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load_world import World

TIMEOUT = 30.0
ENDPOINTS = ("list page", "list API", "dossier", "inspection save", "leader overview")
# The filters the list page and the API cycle through (first pages, and a second page).
LIST_QUERIES = ("", "risk_class=I", "credit_grade=D", "status=suspended", "grid={grid}", "page=2")


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes = b""
    expect: int = 200
    after: Callable[[bytes], None] | None = None


class Connection:
    """One HTTP/1.1 connection to the server, reopened when the server closes it."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None

    async def send(self, request: Request) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        head = [f"{request.method} {request.path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}"]
        head += [f"{k}: {v}" for k, v in request.headers.items()]
        if request.body or request.method in {"POST", "PUT", "PATCH"}:
            head.append(f"Content-Length: {len(request.body)}")
        self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + request.body)
        await self.writer.drain()
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionError("closed by the server")
        status = int(status_line.split()[1])
        headers: dict[str, str] = {}
        while (line := await self.reader.readline()) not in (b"\r\n", b"\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        if headers.get("transfer-encoding", "").lower() == "chunked":
            body = await self._chunked()
        elif "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        else:
            body = await self.reader.read()
            headers["connection"] = "close"
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return status, body

    async def _chunked(self) -> bytes:
        assert self.reader is not None
        parts = []
        while size := int((await self.reader.readline()).split(b";")[0], 16):
            parts.append(await self.reader.readexactly(size))
            await self.reader.readline()
        while (await self.reader.readline()) not in (b"\r\n", b"\n", b""):
            pass
        return b"".join(parts)


class Workload:
    """The requests of each endpoint, as each user sends them (their cookies and tokens)."""

    def __init__(self, world: World, port: int) -> None:
        self.world = world
        self.port = port
        self.revisions: dict[int, int] = {}
        self.queries = [q.format(grid=world.grid) for q in LIST_QUERIES]

    def _session(self, user: int) -> dict[str, str]:
        """Even users are the leader, odd ones the station director; each its own session."""
        sessions = self.world.director_sessions if user % 2 else self.world.leader_sessions
        return self._proxied(user) | {"Cookie": f"sessionid={sessions[user // 2 % len(sessions)]}"}

    @staticmethod
    def _proxied(user: int) -> dict[str, str]:
        # As nginx passes a request on: the browser's address and scheme.
        return {"X-Forwarded-Proto": "https", "X-Forwarded-For": f"10.0.{user // 250}.{user % 250}"}

    def requests(self, endpoint: str, user: int) -> Iterator[Request]:
        """An endless sequence of the user's requests to ``endpoint``."""
        rng = random.Random(user)
        queries = itertools.cycle(self.queries[user % len(self.queries) :] + self.queries)
        while True:
            if endpoint == "list page":
                yield Request("GET", f"/entities/?{next(queries)}", self._session(user))
            elif endpoint == "list API":
                yield Request("GET", f"/api/v1/entities?{next(queries)}", self._session(user))
            elif endpoint == "dossier":
                uscc = rng.choice(self.world.usccs)
                yield Request("GET", f"/entities/{uscc}/", self._session(user))
            elif endpoint == "leader overview":
                yield Request("GET", "/assessment/cockpit/", self._session(user * 2))
            elif endpoint == "inspection save":
                yield self._save(user, rng)
            else:
                raise ValueError(endpoint)

    def _save(self, user: int, rng: random.Random) -> Request:
        """A PUT of the user's own draft (revision from the previous answer), with a token."""
        record, token, items = self.world.drafts[user % len(self.world.drafts)]
        # A failed item needs its note (save_draft refuses it without one).
        results = [
            {"item": item, "result": "fail", "note": "现场发现问题，已当场指出"}
            if rng.random() < 0.2
            else {"item": item, "result": "pass", "note": ""}
            for item in items
        ]
        body = {
            "revision": self.revisions.get(record, 0),
            "results": results,
            "summary": f"现场检查第{rng.randrange(10**6)}次保存",
        }

        def after(answer: bytes) -> None:
            self.revisions[record] = json.loads(answer)["revision"]

        headers = self._proxied(user) | {
            "Authorization": f"Bearer {self.world.tokens[token]}",
            "Content-Type": "application/json",
        }
        return Request(
            "PUT", f"/api/v1/inspections/{record}", headers, json.dumps(body).encode(), after=after
        )

    async def read_revisions(self, users: int) -> None:
        """Each draft's stored revision, before the saves begin (an earlier run saved them)."""
        connection = Connection(self.port)
        for user in range(min(users, len(self.world.drafts))):
            record, token, _ = self.world.drafts[user]
            headers = self._proxied(user) | {"Authorization": f"Bearer {self.world.tokens[token]}"}
            status, body = await connection.send(
                Request("GET", f"/api/v1/inspections/{record}", headers)
            )
            if status != 200:
                raise SystemExit(f"reading draft {record}: {status} {body[:300]!r}")
            self.revisions[record] = json.loads(body)["revision"]
        await connection.close()


@dataclass
class Tally:
    """The times (seconds) of the answered requests and the errors, by kind."""

    times: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    first_error: str = ""

    def error(self, kind: str, detail: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1
        self.first_error = self.first_error or f"{kind}: {detail[:300]}"

    def summary(self, seconds: float, cpu: float) -> dict[str, Any]:
        times = sorted(self.times)

        def percentile(p: float) -> float:
            return times[min(len(times) - 1, int(p / 100 * len(times)))] * 1000 if times else 0.0

        return {
            "requests": len(times),
            "seconds": seconds,
            "rps": len(times) / seconds,
            "p50": percentile(50),
            "p95": percentile(95),
            "p99": percentile(99),
            "max": times[-1] * 1000 if times else 0.0,
            "errors": sum(self.errors.values()),
            "error_kinds": self.errors,
            "first_error": self.first_error,
            "client_cpu": cpu / seconds,
        }


async def exchange(
    connection: Connection, request: Request, tally: Tally, started: float, counting: bool
) -> None:
    """Send one request and count its time from ``started`` (or its error)."""
    try:
        status, body = await asyncio.wait_for(connection.send(request), TIMEOUT)
    except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as error:
        await connection.close()
        if counting:
            tally.error(type(error).__name__, f"{request.method} {request.path}: {error}")
        return
    if status != request.expect:
        if counting:
            tally.error(str(status), f"{request.method} {request.path}: {body[:300]!r}")
    elif request.after is not None:
        request.after(body)
    if counting and status == request.expect:
        tally.times.append(time.perf_counter() - started)


async def closed_loop(
    workload: Workload, endpoint: str, clients: int, seconds: float, warmup: float
) -> dict[str, Any]:
    """``clients`` users without think time; the figures of the last ``seconds``."""
    tally = Tally()
    begin = time.perf_counter()
    measure_from, end = begin + warmup, begin + warmup + seconds
    cpu_at: list[float] = []

    async def user(number: int) -> None:
        connection = Connection(workload.port)
        requests = workload.requests(endpoint, number)
        while (now := time.perf_counter()) < end:
            await exchange(connection, next(requests), tally, now, now >= measure_from)
        await connection.close()

    async def mark() -> None:
        await asyncio.sleep(warmup)
        cpu_at.append(time.process_time())

    await asyncio.gather(mark(), *(user(n) for n in range(clients)))
    elapsed = time.perf_counter() - measure_from
    return tally.summary(elapsed, time.process_time() - cpu_at[0])


async def paced(workload: Workload, users: int, every: float, seconds: float) -> dict[str, Any]:
    """``users`` users, each a request every ``every`` seconds, cycling through the endpoints."""
    tally = Tally()
    begin = time.perf_counter() + 0.5
    cpu = time.process_time()

    async def user(number: int) -> None:
        rng = random.Random(1000 + number)
        connection = Connection(workload.port)
        streams = {e: workload.requests(e, number) for e in ENDPOINTS}
        order = itertools.cycle(ENDPOINTS[number % len(ENDPOINTS) :] + ENDPOINTS)
        due = begin + rng.uniform(0, every)
        while due < begin + seconds:
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            await exchange(connection, next(streams[next(order)]), tally, due, True)
            due += every
        await connection.close()

    await asyncio.gather(*(user(n) for n in range(users)))
    elapsed = time.perf_counter() - begin
    return tally.summary(elapsed, time.process_time() - cpu)


async def run(options: argparse.Namespace) -> dict[str, Any]:
    workload = Workload(World.load(options.world), options.port)
    endpoints = [e for e in options.endpoints.split(",") if e]
    if "inspection save" in endpoints or options.paced_users:
        await workload.read_revisions(max(options.clients, options.paced_users))
    results: dict[str, Any] = {"endpoints": {}}
    for endpoint in endpoints:
        results["endpoints"][endpoint] = await closed_loop(
            workload, endpoint, options.clients, options.seconds, options.warmup
        )
        print(f"    {endpoint}: {json.dumps(results['endpoints'][endpoint])}", file=sys.stderr)
    if options.paced_users:
        results["paced"] = await paced(
            workload, options.paced_users, options.paced_every, options.paced_seconds
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--world", type=Path, required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--endpoints", default=",".join(ENDPOINTS))
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--paced-users", type=int, default=0)
    parser.add_argument("--paced-every", type=float, default=5.0)
    parser.add_argument("--paced-seconds", type=float, default=60.0)
    options = parser.parse_args()
    os.environ.setdefault("PYTHONHASHSEED", "0")
    print(json.dumps(asyncio.run(run(options))), flush=True)


if __name__ == "__main__":
    main()
