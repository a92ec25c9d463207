"""What the benchmarks share: a throwaway database, Django set up on it, a small organisation,
timing helpers and the figures each script prints.

Every benchmark owns its database: an SQLite file under ``benchmarks/out/`` (git-ignored) or,
with ``--postgres``, the PostgreSQL database ``xiaoneng_bench_<name>``, dropped and created afresh.
The project's own databases (``var/xiaoneng.sqlite3``, ``test``) are never touched.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
PG_SERVER = os.environ.get("XIAONENG_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
# Each benchmark has a PostgreSQL database of its own (xiaoneng_bench_<name>), so that one kept
# with --keep is not dropped by another run; a benchmark may set PG_DATABASE to share one.
PG_DATABASE = ""
RESULT_PREFIX = "BENCH-RESULT "
REGION = "654002"
# The demo county's neighbourhood (伊宁, Xinjiang): a box of about 0.3° × 0.25°.
BOX = (81.15, 43.80, 81.45, 44.05)

if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))


def arguments(description: str, *, database: bool = True) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true", help="smaller smoke-test sizes")
    if database:
        parser.add_argument(
            "--postgres",
            action="store_true",
            help=f"run on PostgreSQL ({PG_SERVER}/xiaoneng_bench_<name>, dropped and re-created)",
        )
        parser.add_argument(
            "--keep", action="store_true", help="keep the benchmark database afterwards"
        )
    return parser


# Databases -------------------------------------------------------------------------------


def pg_database(name: str) -> str:
    """The PostgreSQL database of benchmark ``name``."""
    return PG_DATABASE or f"xiaoneng_bench_{name}"


def database_url(name: str, *, postgres: bool) -> str:
    if postgres:
        return f"{PG_SERVER}/{pg_database(name)}"
    return f"sqlite:///{OUT / (name + '.sqlite3')}"


def _sqlite_files(name: str) -> list[Path]:
    base = OUT / f"{name}.sqlite3"
    return [base, base.with_name(base.name + "-wal"), base.with_name(base.name + "-shm")]


def _pg_admin(statement: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(statement)


def create_database(name: str, *, postgres: bool) -> str:
    """An empty database for benchmark ``name``; returns its URL."""
    if postgres:
        _pg_admin(f"DROP DATABASE IF EXISTS {pg_database(name)} WITH (FORCE)")
        _pg_admin(f"CREATE DATABASE {pg_database(name)}")
    else:
        OUT.mkdir(parents=True, exist_ok=True)
        for path in _sqlite_files(name):
            path.unlink(missing_ok=True)
    return database_url(name, postgres=postgres)


def drop_database(name: str, *, postgres: bool) -> None:
    from django.db import connections

    connections.close_all()
    if postgres:
        _pg_admin(f"DROP DATABASE IF EXISTS {pg_database(name)} WITH (FORCE)")
    else:
        for path in _sqlite_files(name):
            path.unlink(missing_ok=True)


def setup_django(url: str) -> None:
    """Point the settings at ``url`` (and var/ at benchmarks/out/var) and start Django."""
    os.environ["DATABASE_URL"] = url
    os.environ["XIAONENG_VAR"] = str(OUT / "var")
    os.environ["DJANGO_SETTINGS_MODULE"] = "xiaoneng.settings"
    import django

    django.setup()


def migrate() -> float:
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    return time.perf_counter() - started


def fresh_django(name: str, *, postgres: bool) -> str:
    """Create the benchmark's own database, start Django on it and migrate; returns the URL."""
    url = create_database(name, postgres=postgres)
    setup_django(url)
    seconds = migrate()
    say(f"database {describe(url)} migrated in {seconds:.1f} s")
    return url


def clear_media(folder: str) -> None:
    """Remove ``MEDIA_ROOT/<folder>``, the files a benchmark's records stored."""
    import shutil

    from django.conf import settings

    shutil.rmtree(f"{settings.MEDIA_ROOT}/{folder}", ignore_errors=True)


def run_on_fresh_media(
    name: str, options: argparse.Namespace, media: str, work: Callable[[], list[Figure]]
) -> None:
    """Run ``work`` on the benchmark's own fresh database with ``MEDIA_ROOT/<media>`` cleared
    before and after, drop the database (unless --keep) and report the figures."""
    fresh_django(name, postgres=options.postgres)
    clear_media(media)
    try:
        figures = work()
    finally:
        clear_media(media)
        if not options.keep:
            drop_database(name, postgres=options.postgres)
    report(figures)


def describe(url: str) -> str:
    return url.split("@")[-1] if url.startswith("postgres") else url.removeprefix("sqlite:///")


def vendor() -> str:
    from django.db import connection

    return "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"


# A small organisation ----------------------------------------------------------------------


def voronoi_cells(count: int, *, seed: int, box: tuple[float, ...] = BOX) -> list[Any]:
    """``count`` polygons tiling ``box``: Voronoi cells of random seeds, clipped to the box."""
    import numpy as np
    import shapely

    rng = np.random.default_rng(seed)
    minx, miny, maxx, maxy = box
    seeds = shapely.multipoints(
        np.column_stack([rng.uniform(minx, maxx, count), rng.uniform(miny, maxy, count)])
    )
    frame = shapely.box(*box)
    cells = shapely.get_parts(shapely.voronoi_polygons(seeds, extend_to=frame))
    clipped = shapely.intersection(cells, frame)
    return [cell for cell in clipped if cell.geom_type == "Polygon" and not cell.is_empty]


@dataclass
class Organisation:
    bureau: Any
    stations: list[Any]
    grids: list[Any]


def build_organisation(grid_count: int = 73, *, stations: int = 1, seed: int = 7) -> Organisation:
    """A bureau, ``stations`` stations (one zone and section each) and ``grid_count`` Voronoi
    grids, dealt to the stations in bands from west to east."""
    from shapely.geometry import mapping

    from xiaoneng.org import services

    bureau = services.create_unit(
        code="BENCH",
        name="基准测试县市场监督管理局",
        kind="bureau",
        parent=None,
        region_code=REGION,
    )
    sections = []
    for number in range(1, stations + 1):
        station = services.create_unit(
            code=f"BENCH-S{number}",
            name=f"第{number}市场监管所",
            kind="station",
            parent=bureau,
            region_code=REGION,
        )
        zone = services.create_zone(
            code=f"BZ{number:02d}", name=f"第{number}责任区", station=station
        )
        sections.append(
            services.create_section(code=f"BZ{number:02d}-S1", name=f"第{number}区间", zone=zone)
        )
    cells = sorted(voronoi_cells(grid_count, seed=seed), key=lambda cell: cell.centroid.x)
    grids = [
        services.create_grid(
            code=f"BG{number:03d}",
            name=f"第{number}网格",
            section=sections[(number - 1) * stations // len(cells)],
            boundary=mapping(cell),
            region_code=REGION,
        )
        for number, cell in enumerate(cells, start=1)
    ]
    return Organisation(bureau, [s.zone.station for s in sections], grids)


# Timing and figures --------------------------------------------------------------------


def say(line: str) -> None:
    print(line, flush=True)


def timed(work: Callable[[], Any]) -> tuple[float, Any]:
    """Seconds ``work`` took, and what it returned."""
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def median_seconds(work: Callable[[], Any], *, runs: int, warmup: int = 2) -> float:
    for _ in range(warmup):
        work()
    return statistics.median(timed(work)[0] for _ in range(runs))


@dataclass
class Figure:
    """One measured figure, its target, and its ratio against the baseline run alongside it."""

    benchmark: str
    case: str
    value: float
    unit: str
    limit: float | None = None
    baseline: float | None = None
    baseline_label: str = ""
    ratio_target: float | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.baseline is None or not self.value:
            return None
        return self.baseline / self.value

    @property
    def verdict(self) -> str:
        misses = []
        if self.limit is not None and self.value > self.limit:
            misses.append("time")
        if self.ratio_target is not None and (self.ratio or 0) < self.ratio_target:
            misses.append("ratio")
        if self.limit is None and self.ratio_target is None:
            return "—"
        return "MISSED (" + ", ".join(misses) + ")" if misses else "met"


def number(value: float | None, unit: str = "") -> str:
    if value is None:
        return "—"
    text = f"{value:,.0f}" if value >= 100 else f"{value:.3g}" if value < 10 else f"{value:.1f}"
    return f"{text} {unit}".strip()


def table(figures: Iterable[Figure]) -> str:
    head = ("benchmark", "case", "figure", "target", "baseline", "ratio", "verdict")
    rows = [
        (
            f.benchmark,
            f.case,
            number(f.value, f.unit),
            "≤ " + number(f.limit, f.unit) if f.limit is not None else "—",
            number(f.baseline, f.unit),
            (number(f.ratio) + "×" if f.ratio is not None else "—")
            + (f" (≥ {f.ratio_target:g}×)" if f.ratio_target else ""),
            f.verdict,
        )
        for f in figures
    ]
    widths = [max(_width(r[i]) for r in [head, *rows]) for i in range(len(head))]
    lines = ["  ".join(_pad(cell, w) for cell, w in zip(r, widths, strict=True)) for r in [head]]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(_pad(cell, w) for cell, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(lines)


def _width(text: str) -> int:
    # CJK characters take two columns in a terminal.
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def report(figures: list[Figure]) -> None:
    """Print the figures as a table, then one machine-readable line for run.py."""
    say("")
    say(table(figures))
    for f in figures:
        if f.note:
            say(f"  note — {f.case}: {f.note}")
    payload = [asdict(f) for f in figures]
    print(RESULT_PREFIX + json.dumps(payload, ensure_ascii=False), flush=True)


def figures_from(line: str) -> list[Figure]:
    return [Figure(**item) for item in json.loads(line.removeprefix(RESULT_PREFIX))]
