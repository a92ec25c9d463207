"""The register the database benchmarks fill: entities generated as arrays (the demo's shares of
kinds, statuses, credit grades and risk classes; names, USCCs and positions clustered around a
dozen market towns), placed in the organisation's grids and written in bulk (``COPY`` on
PostgreSQL, ``INSERT … executemany`` on SQLite), or everything ``xiaoneng demo`` writes.

Shared by ``bench_entity_list``, ``bench_coverage``, ``bench_plan``, ``bench_draw``,
``bench_trace`` and ``bench_report``; not a benchmark itself (``run.py`` names the scripts it
runs).
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np

import common
from common import say, timed

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
