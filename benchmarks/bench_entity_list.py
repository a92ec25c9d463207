"""Entity list page and API list endpoint with 1,000,000 entities in the database.

Figure: the median time of a filtered first page, ``GET /entities/?…`` (the HTML page) and
``GET /api/v1/entities?…``, served in process by Django's test client to a logged-in bureau
leader and to a station director (target ≤ 100 ms). Baseline, on the same database: the
unfiltered first page for the same user, printed beside each case (the ratio is baseline /
figure: below 1 the filter costs more than listing everything). A case that misses the target
is explained: its slowest SQL statement and that statement's plan (EXPLAIN) are printed.

The database is filled with realistic columns written in bulk (``--fill bulk``, the default:
entities only, no licences or trace) or by ``xiaoneng demo`` (``--fill demo``, everything the
demo writes, much slower).

    python benchmarks/bench_entity_list.py [--quick] [--postgres] [--keep] [--reuse]
        [--entities N] [--fill bulk|demo] [--runs N]
"""

from __future__ import annotations

import datetime as dt
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import numpy as np

import common
from common import Figure, say, timed

NAME = "entity_list"
LIMIT_MS = 100.0
BATCH = 50_000
# (industry, risk class by the default rules, ending of an individual's / a company's name, share)
TRADES = [
    ("H6210", "I", "拉面馆", "餐饮有限公司", 0.22),
    ("F5212", "I", "生活超市", "商贸有限公司", 0.12),
    ("C1431", "I", "面粉加工坊", "食品有限公司", 0.03),
    ("F5251", "II", "大药房", "医药连锁有限公司", 0.05),
    ("F5211", "III", "百货商店", "百货有限公司", 0.12),
    ("F5281", "III", "五金店", "建材有限公司", 0.10),
    ("F5231", "III", "布艺店", "纺织品有限公司", 0.08),
    ("F5241", "III", "文具店", "文化用品有限公司", 0.08),
    ("O8010", "III", "家政服务部", "家政服务有限公司", 0.12),
    ("F5261", "III", "汽车销售部", "汽车销售有限公司", 0.08),
]
WORDS = (
    "顺锦嘉福昌航隆花园阿胡绿民金利兴鑫盛泰和丰源宏达伊犁天山雪莲果子沟"
    "春华秋实永安康乐明月清风万家佳诚信德仁义美好新星光辉"
)
KIND_SHARE = {"individual": 0.65, "enterprise": 0.33, "cooperative": 0.02}
KIND_DIGIT = {"individual": "2", "enterprise": "1", "cooperative": "3"}
STATUS_SHARE = {"operating": 0.895, "suspended": 0.04, "deregistered": 0.045, "revoked": 0.02}
GRADE_SHARE = {"A": 0.45, "B": 0.45, "C": 0.08, "D": 0.02}
ARCHIVED_SHARE = 0.035
OUTSIDE_SHARE = 0.005
COLUMNS = [
    "uscc",
    "name",
    "kind",
    "industry_id",
    "address",
    "longitude",
    "latitude",
    "region_code",
    "legal_representative",
    "registered_capital",
    "established",
    "status",
    "risk_class",
    "risk_class_overridden",
    "credit_grade",
    "hot_industry",
    "hot_industry_note",
    "grid_id",
    "grid_overridden",
    "unit_id",
    "registered_on",
    "claimed_at",
    "archived_at",
    "archive_reason",
    "updated_at",
]


# Filling the database ----------------------------------------------------------------------


def uscc_codes(rng: np.random.Generator, digits: np.ndarray) -> list[str]:
    """Distinct valid USCCs: 9, kind digit, region, MA, 7 characters, check character."""
    n, space = digits.size, 31**7
    values = np.arange(n) * (space // n) + rng.integers(0, space // n, n)
    from xiaoneng.registry.uscc import make_codes

    return make_codes(digits, common.REGION, values)


def _pick(rng: np.random.Generator, shares: dict[str, float], n: int) -> np.ndarray:
    return rng.choice(list(shares), n, p=list(shares.values()))


def _locations(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Points clustered around a dozen market towns of the box, a few just outside it."""
    minx, miny, maxx, maxy = common.BOX
    towns = np.column_stack([rng.uniform(minx, maxx, 12), rng.uniform(miny, maxy, 12)])
    town = rng.choice(12, n, p=rng.dirichlet(np.ones(12)))
    lon = np.clip(towns[town, 0] + rng.normal(0, 0.03, n), minx, maxx)
    lat = np.clip(towns[town, 1] + rng.normal(0, 0.025, n), miny, maxy)
    outside = rng.random(n) < OUTSIDE_SHARE
    lon[outside] = maxx + rng.uniform(0.01, 0.05, outside.sum())
    return np.round(lon, 6), np.round(lat, 6)


def _days(rng: np.random.Generator, start: dt.date, end: dt.date, n: int) -> np.ndarray:
    return np.datetime64(start) + rng.integers(0, (end - start).days, n)


def entity_columns(n: int, organisation: common.Organisation, seed: int) -> dict[str, list[Any]]:
    """Every column of ``n`` entities, generated as arrays."""
    from django.db import connection

    from xiaoneng.org.geo import GridIndex

    rng = np.random.default_rng(seed)
    ops = connection.ops
    now = dt.datetime.now(dt.UTC)
    kinds = _pick(rng, KIND_SHARE, n)
    trades = rng.choice(len(TRADES), n, p=[t[4] for t in TRADES])
    words = np.array(list(WORDS))[rng.integers(0, len(WORDS), (n, 3))]
    stems = np.char.add(np.char.add(words[:, 0], words[:, 1]), words[:, 2]).tolist()
    names = [
        f"伊宁示范县{stem}{TRADES[t][2]}" if kind == "individual" else f"伊犁{stem}{TRADES[t][3]}"
        for stem, t, kind in zip(stems, trades.tolist(), kinds.tolist(), strict=True)
    ]
    lon, lat = _locations(rng, n)
    grid_by_key = {g.pk: g for g in organisation.grids}
    index = GridIndex(list(grid_by_key), [_shape(g.boundary) for g in organisation.grids])
    grids = index.assign(lon, lat)
    stations = {pk: g.station_id for pk, g in grid_by_key.items()}
    statuses = _pick(rng, STATUS_SHARE, n)
    gone = np.isin(statuses, ["deregistered", "revoked"])
    archived = gone & (rng.random(n) < ARCHIVED_SHARE / gone.mean())
    registered = _days(rng, dt.date(2015, 1, 1), dt.date(2026, 11, 20), n)
    established = registered - rng.integers(0, 3000, n)
    capital = rng.integers(1, 500, n) * 10000
    now_value = ops.adapt_datetimefield_value(now)
    return {
        "uscc": uscc_codes(rng, np.array([int(KIND_DIGIT[k]) for k in kinds.tolist()])),
        "name": names,
        "kind": kinds.tolist(),
        "industry_id": [TRADES[t][0] for t in trades.tolist()],
        "address": [f"伊宁示范县解放路{i % 500 + 1}号" for i in range(n)],
        "longitude": lon.tolist(),
        "latitude": lat.tolist(),
        "region_code": [common.REGION] * n,
        "legal_representative": [s[:2] for s in stems],
        "registered_capital": [
            None if k == "individual" else f"{c}.00"
            for k, c in zip(kinds.tolist(), capital.tolist(), strict=True)
        ],
        "established": established.astype(str).tolist(),
        "status": statuses.tolist(),
        "risk_class": [TRADES[t][1] for t in trades.tolist()],
        "risk_class_overridden": [False] * n,
        "credit_grade": _pick(rng, GRADE_SHARE, n).tolist(),
        "hot_industry": (rng.random(n) < 0.05).tolist(),
        "hot_industry_note": [""] * n,
        "grid_id": [None if g < 0 else g for g in grids.tolist()],
        "grid_overridden": [False] * n,
        "unit_id": [organisation.bureau.pk if g < 0 else stations[g] for g in grids.tolist()],
        "registered_on": registered.astype(str).tolist(),
        "claimed_at": [None] * n,
        "archived_at": [now_value if a else None for a in archived.tolist()],
        "archive_reason": ["注销" if a else "" for a in archived.tolist()],
        "updated_at": [now_value] * n,
    }


def _shape(geometry: dict[str, Any]) -> Any:
    from shapely.geometry import shape

    return shape(geometry)


def write_entities(columns: dict[str, list[Any]]) -> None:
    """Insert the rows in batches (COPY on PostgreSQL), one transaction a batch."""
    from django.db import connection, transaction

    n = len(columns["uscc"])
    rows = list(zip(*(columns[c] for c in COLUMNS), strict=True))
    names = ", ".join(COLUMNS)
    for start in range(0, n, BATCH):
        chunk = rows[start : start + BATCH]
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY registry_entity ({names}) FROM STDIN") as copy:
                    for row in chunk:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(COLUMNS))
                cursor.executemany(f"INSERT INTO registry_entity ({names}) VALUES ({marks})", chunk)
        if (start + BATCH) % (n // 4 or 1) < BATCH:
            say(f"  {min(n, start + BATCH):,} / {n:,} entities written")


def fill_bulk(count: int) -> None:
    organisation = common.build_organisation(73, stations=6)
    spent, columns = timed(lambda: entity_columns(count, organisation, seed=1))
    say(f"generated {count:,} entities in {spent:.1f} s")
    write_entities(columns)


def fill_demo(count: int) -> None:
    cli = Path(sys.executable).parent / "xiaoneng"
    command = [str(cli), "demo", "--entities", str(count), "--seed", "1"]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)


def analyze() -> None:
    """Statistics for the planner, as autovacuum (PostgreSQL) would gather after a bulk load;
    VACUUM also sets the visibility map that index-only scans rely on."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


# Measuring ---------------------------------------------------------------------------------


@dataclass
class Statement:
    sql: str
    params: Any
    seconds: float


@dataclass
class Recorder:
    """Every SQL statement a request runs, with its time."""

    statements: list[Statement] = field(default_factory=list)

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, ctx: Any
    ) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, ctx)
        finally:
            self.statements.append(Statement(sql, params, time.perf_counter() - started))


def explain(statement: Statement) -> str:
    from django.db import connection

    prefix = (
        "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)"
        if connection.vendor == "postgresql"
        else "EXPLAIN QUERY PLAN"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"{prefix} {statement.sql}", statement.params)
        rows = cursor.fetchall()
    if connection.vendor == "postgresql":
        return "\n".join(f"      {r[0]}" for r in rows)
    return "\n".join(f"      {r[-1]}" for r in rows)


@dataclass
class Case:
    label: str
    params: dict[str, str]
    # "filter": the target (one of grid, industry, class, grade, status);
    # "search" and "combined" are measured and reported apart, against the same 100 ms.
    group: str = "filter"


GROUPS = {"filter": "filters", "search": "searches", "combined": "combined filters"}


def cases_for(grid_code: str, rare_name: str, uscc_prefix: str) -> list[Case]:
    return [
        Case("risk_class=I", {"risk_class": "I"}),
        Case("credit_grade=D", {"credit_grade": "D"}),
        Case(f"grid={grid_code}", {"grid": grid_code}),
        Case("status=suspended", {"status": "suspended"}),
        Case("industry=H62", {"industry": "H62"}),
        Case("q=拉面 (common word)", {"q": "拉面"}, "search"),
        Case(f"q={rare_name} (rare name)", {"q": rare_name}, "search"),
        Case(f"q={uscc_prefix} (USCC prefix)", {"q": uscc_prefix}, "search"),
        Case("risk_class=I&credit_grade=D", {"risk_class": "I", "credit_grade": "D"}, "combined"),
    ]


class Timer:
    """Times GET requests of one logged-in user."""

    def __init__(self, user: Any, runs: int) -> None:
        from django.test import Client

        self.client = Client()
        self.client.force_login(user)
        self.runs = runs

    def get(self, path: str) -> Any:
        response = self.client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"GET {path} answered {response.status_code}")
        return response

    def median_ms(self, path: str) -> float:
        first, _ = timed(lambda: self.get(path))
        # Slow cases get fewer runs, so that a miss does not take minutes to measure.
        runs = self.runs if first < 0.3 else max(3, self.runs // 4)
        self.get(path)
        return statistics.median(timed(lambda: self.get(path))[0] for _ in range(runs)) * 1000

    def slowest(self, path: str) -> Statement:
        from django.db import connection

        recorder = Recorder()
        with connection.execute_wrapper(recorder):
            self.get(path)
        return max(recorder.statements, key=lambda s: s.seconds)


def endpoints(params: dict[str, str]) -> list[tuple[str, str]]:
    query = urlencode(params)
    return [("page", f"/entities/?{query}"), ("API", f"/api/v1/entities?{query}")]


def measure_user(
    who: str, timer: Timer, cases: list[Case], explained: set[tuple[str, str]]
) -> list[Figure]:
    """Time every case on the page and the API; one figure per endpoint: its slowest case."""
    base = {kind: timer.median_ms(path) for kind, path in endpoints({})}
    say(f"{who}: unfiltered first page {base['page']:.1f} ms, API {base['API']:.1f} ms")
    times: dict[tuple[str, str], list[tuple[float, str]]] = {}
    for case in cases:
        count = timer.get(endpoints(case.params)[1][1]).json()["count"]
        for kind, path in endpoints(case.params):
            value = timer.median_ms(path)
            times.setdefault((kind, case.group), []).append((value, case.label))
            verdict = "MISSED" if value > LIMIT_MS else "met"
            say(f"  {kind:<4} {case.label:<40} {value:8.1f} ms  {count:>9,} matches  {verdict}")
            if value > LIMIT_MS and (who, case.label) not in explained:
                explained.add((who, case.label))
                slow = timer.slowest(path)
                say(f"    slowest statement {slow.seconds * 1000:.0f} ms: {slow.sql[:400]}")
                say(explain(slow))
    figures = []
    for (kind, group), found in times.items():
        worst, label = max(found)
        missed = [case for value, case in found if value > LIMIT_MS]
        over = f"{len(missed)} over {LIMIT_MS:.0f} ms: {', '.join(missed)}" if missed else ""
        figures.append(
            Figure(
                benchmark=NAME,
                case=f"{common.vendor()} {kind}, {who}: slowest of {len(found)} {GROUPS[group]} "
                f"({len(found) - len(missed)} met)",
                value=worst,
                unit="ms",
                limit=LIMIT_MS,
                baseline=base[kind],
                baseline_label="unfiltered first page",
                note="; ".join(
                    [
                        f"slowest: {label}",
                        f"median {statistics.median(v for v, _ in found):.0f} ms",
                        over,
                    ]
                ).rstrip("; "),
            )
        )
    return figures


def users(organisation_station: Any, bureau: Any) -> tuple[Any, Any]:
    from xiaoneng.org import services
    from xiaoneng.org.models import Officer, Role

    Officer.objects.filter(username__in=["bench_leader", "bench_director"]).delete()
    leader = services.create_officer(
        username="bench_leader", name="局领导", unit=bureau, roles=[Role.BUREAU_LEADER]
    )
    director = services.create_officer(
        username="bench_director",
        name="所长",
        unit=organisation_station,
        roles=[Role.STATION_DIRECTOR],
    )
    return leader, director


def measure(runs: int) -> list[Figure]:
    from django.db.models import Count

    from xiaoneng.org.models import Grid, Unit
    from xiaoneng.registry.models import Entity

    bureau = Unit.objects.filter(kind=Unit.Kind.BUREAU).order_by("depth", "pk").first()
    busiest = (
        Entity.objects.filter(unit__kind=Unit.Kind.STATION)
        .values("unit")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    station = Unit.objects.get(pk=busiest["unit"])
    grid = (
        Grid.objects.filter(station=station)
        .annotate(n=Count("entities"))
        .order_by("-n")
        .values_list("code", flat=True)
        .first()
    )
    # The station's newest individual business: its name without the county is nearly unique.
    newest = (
        Entity.objects.filter(unit=station, kind=Entity.Kind.INDIVIDUAL, archived_at__isnull=True)
        .order_by("-id")
        .values("name", "uscc")
        .first()
    )
    rare_name = newest["name"].removeprefix("伊宁示范县")
    leader, director = users(station, bureau)
    say(f"users: bench_leader (局领导, {bureau.name}), bench_director (所长, {station.name})")
    cases = cases_for(grid, rare_name, newest["uscc"][:14])
    explained: set[tuple[str, str]] = set()
    figures = measure_user("leader", Timer(leader, runs), cases, explained)
    figures += measure_user("director", Timer(director, runs), cases, explained)
    return figures


def main() -> None:
    parser = common.arguments(__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, help="entities to fill (default 1,000,000)")
    parser.add_argument("--fill", choices=["bulk", "demo"], default="bulk")
    parser.add_argument("--runs", type=int, help="timed runs per case (median; default 20)")
    parser.add_argument(
        "--reuse", action="store_true", help="reuse a database kept (--keep) by an earlier run"
    )
    options = parser.parse_args()
    count = options.entities or (50_000 if options.quick else 1_000_000)
    runs = options.runs or (5 if options.quick else 20)
    url = common.database_url(NAME, postgres=options.postgres)
    if options.reuse:
        common.setup_django(url)
        from xiaoneng.registry.models import Entity

        say(f"reusing {common.describe(url)}: {Entity.objects.count():,} entities")
    else:
        common.fresh_django(NAME, postgres=options.postgres)
        fill = fill_bulk if options.fill == "bulk" else fill_demo
        spent, _ = timed(lambda: fill(count))
        analysed, _ = timed(analyze)
        say(
            f"filled {count:,} entities ({options.fill}) in {spent:.0f} s; ANALYZE {analysed:.1f} s"
        )
    try:
        figures = measure(runs)
    finally:
        if not options.keep:
            common.drop_database(NAME, postgres=options.postgres)
    common.report(figures)


if __name__ == "__main__":
    main()
