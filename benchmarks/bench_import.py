"""Entity import: 100,000 rows of CSV, validated, through ``registry.io.import_entities``.

Figure: the whole import of a generated file (read, check every cell, assign grids, write in
bulk with the trace; target ≤ 30 s). Baseline, in the same process and database: what a naive
importer does, each row checked by the same readers and then saved one by one in autocommit,
``Entity(...).save()`` and one ``Licence(...).save()`` per licence, the trace signals firing;
timed on 2,000 rows alike in every respect (half before the import, half after) and scaled
linearly (target ≥ 10× faster). The output also shows where the import's time went.

    python benchmarks/bench_import.py [--quick] [--postgres] [--keep]
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
from stdnum.cn import uscc as uscc_standard

import common
from common import Figure, say, timed

NAME = "import"
LIMIT_SECONDS = 30.0
RATIO_TARGET = 10.0

# (industry, name ending, licence kind and number prefix or None, share)
TRADES = [
    ("H6210", "拉面馆", ("食品经营许可证", "JY16540020"), 0.20),
    ("H6210", "餐厅", ("食品经营许可证", "JY16540021"), 0.10),
    ("F5212", "生活超市", ("食品经营许可证", "JY16540022"), 0.10),
    ("F5211", "百货商店", None, 0.12),
    ("F5251", "大药房", ("药品经营许可证", "新AA99100"), 0.04),
    ("F5281", "五金店", None, 0.10),
    ("F5231", "布艺店", None, 0.08),
    ("F5241", "文具店", None, 0.08),
    ("O8010", "家政服务部", None, 0.14),
    ("C1431", "面粉加工厂", ("食品生产许可证", "SC10165400"), 0.04),
]
KINDS = [("个体工商户", "2", 0.65), ("企业", "1", 0.33), ("农民专业合作社", "3", 0.02)]
WORDS = "顺锦嘉福昌航隆花园阿胡绿福民金利兴鑫盛泰和丰源宏达伊犁天山雪莲果子沟"
STREETS = ["解放路", "新华西路", "斯大林街", "飞机场路", "黑龙江街", "红旗路", "伊犁河路"]
SURNAMES = "王李张刘陈马阿买艾吐热努古"
GRADES = (["A", "B", "C", "D"], [0.45, 0.45, 0.08, 0.02])
HEADER = [
    "统一社会信用代码",
    "名称",
    "主体类型",
    "行业代码",
    "住所",
    "经度",
    "纬度",
    "行政区划代码",
    "法定代表人",
    "注册资本（元）",
    "成立日期",
    "登记状态",
    "许可证",
    "风险类别",
    "信用等级",
    "重热点行业",
    "网格",
    "入册日期",
]


def make_uscc(number: int, kind: str) -> str:
    """A valid USCC (registration authority 9 = market regulation), as tests/registry makes."""
    body = f"9{kind}{common.REGION}MA{number:07d}"
    return body + uscc_standard.calc_check_digit(body)


def _day(rng: np.random.Generator, start: dt.date, end: dt.date, n: int) -> list[str]:
    offsets = rng.integers(0, (end - start).days, n)
    return [(start + dt.timedelta(days=int(d))).isoformat() for d in offsets]


def entity_rows(start: int, count: int, seed: int) -> list[list[str]]:
    """``count`` realistic rows numbered from ``start``, every one of them valid."""
    rng = np.random.default_rng(seed)
    trades = rng.choice(len(TRADES), count, p=[t[3] for t in TRADES])
    kinds = rng.choice(len(KINDS), count, p=[k[2] for k in KINDS])
    grades = rng.choice(GRADES[0], count, p=GRADES[1])
    minx, miny, maxx, maxy = common.BOX
    lon = np.round(rng.uniform(minx, maxx, count), 6)
    lat = np.round(rng.uniform(miny, maxy, count), 6)
    words = rng.integers(0, len(WORDS), (count, 2))
    established = _day(rng, dt.date(2000, 1, 1), dt.date(2025, 12, 31), count)
    entered = _day(rng, dt.date(2021, 1, 1), dt.date(2026, 11, 1), count)
    capital = rng.integers(10, 5000, count) * 10000
    rows = []
    for i in range(count):
        number = start + i
        industry, ending, licence, _share = TRADES[trades[i]]
        kind_word, kind_digit, _share = KINDS[kinds[i]]
        trade_name = WORDS[words[i, 0]] + WORDS[words[i, 1]] + ending
        name = (
            f"伊宁示范县{trade_name}"
            if kind_digit == "2"
            else f"伊犁{trade_name}{'有限公司' if kind_digit == '1' else '专业合作社'}"
        )
        licences = f"{licence[0]}|{licence[1]}{number:07d}|2021-06-01|2026-05-31" if licence else ""
        rows.append(
            [
                make_uscc(number, kind_digit),
                name,
                kind_word,
                industry,
                f"伊宁示范县{STREETS[number % len(STREETS)]}{number % 300 + 1}号",
                f"{lon[i]:.6f}",
                f"{lat[i]:.6f}",
                common.REGION,
                SURNAMES[number % len(SURNAMES)] + WORDS[words[i, 1]] + WORDS[words[i, 0]],
                "" if kind_digit == "2" else f"{capital[i]}.00",
                established[i],
                "存续",
                licences,
                "",
                str(grades[i]),
                "否",
                "",
                entered[i],
            ]
        )
    return rows


def write_csv(path: Path, rows: list[list[str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)


def naive_import(path: Path) -> int:
    """Each row read by the same readers, then saved on its own (autocommit, signals fire)."""
    from xiaoneng.core.tabular import bind_columns, read_table, rows_as_dicts
    from xiaoneng.registry.fields import COLUMNS, read_values
    from xiaoneng.registry.models import Entity, Licence
    from xiaoneng.registry.placement import Resolver

    resolver = Resolver()
    table = read_table(path)
    positions, _errors = bind_columns(next(table), COLUMNS)
    saved = 0
    for _number, values in rows_as_dicts(table, positions):
        clean, errors = read_values(values, resolver.lookups)
        placement, more = resolver.resolve(clean, clean)
        if errors or more or placement is None:
            raise SystemExit(f"baseline row rejected: {errors + more}")
        entity = Entity(
            uscc=clean["uscc"],
            name=clean["name"],
            kind=clean["kind"],
            industry_id=clean["industry"],
            address=clean["address"],
            longitude=clean["longitude"],
            latitude=clean["latitude"],
            region_code=clean["region_code"],
            legal_representative=clean["legal_representative"],
            registered_capital=clean["registered_capital"],
            established=clean["established"],
            status=clean["status"],
            hot_industry=clean["hot_industry"],
            risk_class=placement.risk_class,
            grid_id=placement.grid_id,
            unit_id=placement.unit_id,
            credit_grade=clean["credit_grade"] or "B",
            registered_on=clean["registered_on"],
        )
        entity.save()
        for lic in clean["licences"]:
            Licence(
                entity=entity,
                kind=lic.kind,
                number=lic.number,
                issued=lic.issued,
                expires=lic.expires,
            ).save()
        saved += 1
    return saved


@contextmanager
def breakdown() -> Iterator[Counter[str]]:
    """Seconds spent in the import's main steps: reading cells, bulk inserts, the trace."""
    from django.db.models.query import QuerySet

    from xiaoneng.core import audit
    from xiaoneng.registry import io

    spent: Counter[str] = Counter()
    targets = [
        (io, "read_values", lambda args: "read and check the cells (read_values)"),
        (
            audit,
            "record_many",
            lambda args: "trace: audit.record_many, including bulk_create AuditEvent",
        ),
        (QuerySet, "bulk_create", lambda args: f"bulk_create {args[0].model.__name__}"),
    ]
    originals = [(owner, name, getattr(owner, name)) for owner, name, _label in targets]

    def timing(original: Callable[..., Any], label: Callable[[tuple[Any, ...]], str]) -> Any:
        @functools.wraps(original)
        def run(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                spent[label(args)] += time.perf_counter() - started

        return run

    for (owner, name, label), (_owner, _name, original) in zip(targets, originals, strict=True):
        setattr(owner, name, timing(original, label))
    try:
        yield spent
    finally:
        for owner, name, original in originals:
            setattr(owner, name, original)


def run(rows: int, sample: int, postgres: bool) -> Figure:
    from xiaoneng.core import audit
    from xiaoneng.core.models import AuditEvent
    from xiaoneng.registry.io import import_entities
    from xiaoneng.registry.models import Entity, Licence

    spent, organisation = timed(common.build_organisation)
    grids = len(organisation.grids)
    say(f"organisation: 1 bureau, 1 station, {grids} Voronoi grids ({spent:.1f} s)")
    common.OUT.mkdir(parents=True, exist_ok=True)
    path = common.OUT / f"import_{rows}.csv"
    spent, _ = timed(lambda: write_csv(path, entity_rows(1, rows, seed=1)))
    say(f"generated {path.name}: {rows:,} rows, {path.stat().st_size / 1e6:.1f} MB ({spent:.1f} s)")
    # The baseline's sample runs in two halves, before and after the import, so that a load
    # that comes and goes on the machine weighs on both sides of the ratio alike.
    halves = [common.OUT / f"import_sample_{half}.csv" for half in (1, 2)]
    for half, sample_path in enumerate(halves):
        write_csv(sample_path, entity_rows(5_000_000 + half * sample, sample // 2, seed=2 + half))

    with audit.acting_as(None, source=AuditEvent.Source.IMPORT):
        before, saved = timed(lambda: naive_import(halves[0]))
        events_before = AuditEvent.objects.count()
        with breakdown() as spent:
            seconds, result = timed(lambda: import_entities(source=path))
        events = AuditEvent.objects.count() - events_before
        after, more = timed(lambda: naive_import(halves[1]))
    loop, saved = before + after, saved + more
    baseline = loop * rows / saved
    say(
        f"baseline: {saved:,} rows one by one in {loop:.2f} s ({before:.2f} s before the "
        f"import, {after:.2f} s after; {loop / saved * 1000:.2f} ms a row) → {baseline:,.0f} s "
        f"scaled to {rows:,} rows"
    )
    placed = Entity.objects.filter(grid__isnull=False).count()
    say(
        f"import_entities: {result.created:,} entities, {result.licences:,} licences, "
        f"{events:,} trace events in {seconds:.2f} s ({rows / seconds:,.0f} rows/s); "
        f"{placed:,} entities placed in a grid"
    )
    for label, part in spent.most_common():
        say(f"  {part:6.1f} s  {part / seconds:4.0%}  {label}")
    if result.created != rows or Licence.objects.count() < result.licences:
        raise SystemExit("the import did not write every row")
    return Figure(
        benchmark=NAME,
        case=f"{rows:,} CSV rows ({common.vendor()})",
        value=seconds,
        unit="s",
        limit=LIMIT_SECONDS * rows / 100_000,
        baseline=baseline,
        baseline_label=f"per-row save() on {saved:,} rows, scaled",
        ratio_target=RATIO_TARGET,
        note=f"baseline: per-row Entity/Licence save() in autocommit, trace signals firing, "
        f"timed on {saved:,} rows and scaled linearly to {rows:,}",
    )


def main() -> None:
    options = common.arguments(__doc__.splitlines()[0]).parse_args()
    rows, sample = (10_000, 500) if options.quick else (100_000, 2_000)
    common.fresh_django(NAME, postgres=options.postgres)
    try:
        figure = run(rows, sample, options.postgres)
    finally:
        if not options.keep:
            common.drop_database(NAME, postgres=options.postgres)
            for generated in common.OUT.glob("import_*.csv"):
                generated.unlink()
    common.report([figure])


if __name__ == "__main__":
    main()
