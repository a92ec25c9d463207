"""The demo county's register (经济户口): entities, licences, classification history, claims.

Every column is generated as an array from the one seeded generator (``plan_register``),
then written in batches of plain INSERTs, one transaction per batch, with the trace of
every row (``write_register``, ``core.bulk``). A million entities take about three
minutes on SQLite.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
from django.db import connection, models, transaction

from xiaoneng.core import audit, bulk
from xiaoneng.core.models import AuditEvent
from xiaoneng.demo import county
from xiaoneng.demo.county import TRADES
from xiaoneng.demo.org import REASON, Organisation
from xiaoneng.org import services as org_services
from xiaoneng.org.models import Officer
from xiaoneng.registry import uscc
from xiaoneng.registry.classification import RiskRules
from xiaoneng.registry.models import ClassificationChange, Entity, Licence, LicenceKind, RiskClass

BATCH = 10000
KINDS = (Entity.Kind.INDIVIDUAL, Entity.Kind.ENTERPRISE, Entity.Kind.COOPERATIVE)
KIND_SHARE = (0.65, 0.33, 0.02)
USCC_KIND_DIGIT = (2, 1, 3)  # 个体工商户 92…, 企业 91…, 农民专业合作社 93…
STATUSES = (
    Entity.Status.OPERATING,
    Entity.Status.SUSPENDED,
    Entity.Status.DEREGISTERED,
    Entity.Status.REVOKED,
)
STATUS_SHARE = (0.895, 0.04, 0.045, 0.02)
GRADE_SHARE = (0.45, 0.45, 0.08, 0.02)  # A B C D
RECENT_SHARE, RECENT_DAYS = 0.015, 30  # ≈ 300 of 20 000 entered in the last 30 days
OUTSIDE_SHARE = 0.005
HOT_SHARE = 0.05
OVERRIDE_SHARE = 0.005
SHANGHAI = dt.timezone(dt.timedelta(hours=8))
CHANGE_KEYS = ("entity", "field", "old", "new", "reason", "at")

DOWNGRADE_REASONS = (
    "抽查发现未亮照经营",
    "年报逾期未报",
    "抽查发现未按规定公示即时信息",
    "消费者投诉查实，经营行为不规范",
    "检查发现超范围经营",
    "逾期未履行责令整改事项",
)
SEVERE_REASONS = (
    "被列入严重违法失信名单",
    "食品安全严重违法被立案查处",
    "提供虚假材料骗取登记",
    "拒不履行行政处罚决定",
)
UPGRADE_REASONS = ("年度信用评价：连续三年无违法违规记录", "年度信用评价：守法经营、无投诉举报")
REPAIR_REASONS = ("整改到位，完成信用修复", "补报年报并公示，信用修复")
RAISE_REASONS = (
    "近一年两次检查发现问题，提级监管",
    "消费投诉集中，提级监管",
    "校园周边经营，提级监管",
)
LOWER_REASONS = ("经营规模小、连续三年无违法记录，降级监管", "已停止食品经营，仅保留登记")


@dataclass
class Register:
    """Every generated column, one entry per entity, and the licence and change side tables."""

    columns: dict[str, list[Any]]
    licences: dict[str, np.ndarray]  # entity (sorted), kind, number, issued, expires
    changes: dict[str, np.ndarray]  # entity (sorted), field, old, new, reason, at, actor


# ---------------------------------------------------------------- identity and place


def uscc_codes(rng: np.random.Generator, kind_digits: np.ndarray) -> list[str]:
    """Distinct valid USCCs (GB 32100): 9, kind, 654002, MA + 7 characters, check character."""
    n, space = kind_digits.size, 31**7
    values = rng.integers(0, space, n)
    while True:
        repeat = np.setdiff1d(np.arange(n), np.unique(values, return_index=True)[1])
        if repeat.size == 0:
            break
        values[repeat] = rng.integers(0, space, repeat.size)
    return uscc.make_codes(kind_digits, county.REGION_CODE, values)


def _locations(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Coordinates (degrees, 6 decimals): clustered inside the county, a few just outside it."""
    outside = max(2, round(n * OUTSIDE_SHARE)) if n >= 20 else 0
    outline = county.outline_km()
    x, y = county.sample_locations(rng, outline, n - outside)
    ox, oy = county.sample_outside(rng, outline, outside)
    order = rng.permutation(n)
    lon, lat = county.to_degrees(np.concatenate([x, ox])[order], np.concatenate([y, oy])[order])
    return np.round(lon, 6), np.round(lat, 6)


def _places(
    organisation: Organisation, grid: np.ndarray, lon: np.ndarray, lat: np.ndarray
) -> list[county.Place]:
    """Each entity's grid's place; for one outside every grid, the nearest grid's."""
    by_pk = {g.pk: g.place for g in organisation.grids}
    centroids = np.array([g.centroid for g in organisation.grids])
    places = [by_pk.get(pk) for pk in grid.tolist()]
    for i in np.flatnonzero(grid < 0).tolist():
        nearest = int(((centroids - [lon[i], lat[i]]) ** 2).sum(axis=1).argmin())
        places[i] = organisation.grids[nearest].place
    return places  # type: ignore[return-value]


def _names(
    rng: np.random.Generator, kinds: np.ndarray, trades: np.ndarray, places: list[county.Place]
) -> list[str]:
    """张记牛肉面馆, 伊犁鑫源餐饮有限公司, 红旗村丰收蔬菜种植农民专业合作社…"""
    n = kinds.size
    people, _latin = county.person_names(rng, n)
    style = rng.choice(4, n, p=[0.35, 0.25, 0.15, 0.25]).tolist()
    brands = county.BRAND_CHARS
    first = rng.integers(0, len(brands), n)
    second = ((first + rng.integers(1, len(brands), n)) % len(brands)).tolist()
    region = rng.choice(3, n, p=[0.75, 0.15, 0.10]).tolist()
    pick = rng.random(n).tolist()
    farm_word = rng.integers(0, len(county.COOPERATIVE_WORDS), n).tolist()
    names = []
    for i, (kind, trade_index, place) in enumerate(
        zip(kinds.tolist(), trades.tolist(), places, strict=True)
    ):
        trade = TRADES[trade_index]
        brand = brands[first[i]] + brands[second[i]]
        if kind == 0:
            stem = trade.stems[int(pick[i] * len(trade.stems))]
            person = people[i]
            prefix = [f"{person[0]}记", brand, person.split("·")[0], place.name][style[i]]
            if style[i] == 2 and "·" not in person:
                prefix = brand
            names.append(f"{county.COUNTY}{prefix}{stem}")
        elif kind == 1:
            word = county.enterprise_word(trade.words[int(pick[i] * len(trade.words))])
            names.append(f"{(county.COUNTY, '伊犁', '新疆')[region[i]]}{brand}{word}")
        else:
            word = county.cooperative_word(trade.words[int(pick[i] * len(trade.words))])
            village = "" if place.urban else place.name
            farm = county.COOPERATIVE_WORDS[farm_word[i]]
            names.append(f"{county.COUNTY}{village}{farm}{word}农民专业合作社")
    return names


def _addresses(rng: np.random.Generator, places: list[county.Place]) -> list[str]:
    n = len(places)
    number = rng.integers(1, 400, n).tolist()
    group = rng.integers(1, 13, n).tolist()
    suffix = rng.choice(3, n, p=[0.8, 0.1, 0.1]).tolist()
    shop = rng.integers(1, 30, n).tolist()
    endings = ("", "附{}号", "{}号商铺")
    return [
        place.address(number[i], group[i]) + endings[suffix[i]].format(shop[i])
        for i, place in enumerate(places)
    ]


def _capital(rng: np.random.Generator, kinds: np.ndarray) -> list[Decimal | None]:
    """Enterprises 10万–5000万 yuan, cooperatives 10万–500万, individuals small or none."""
    low = np.where(kinds == 0, 4.0, 5.0)
    high = np.select([kinds == 1, kinds == 2], [7.7, 6.7], 5.7)
    step = np.where(kinds == 0, 1000, 10000)
    amount = np.maximum(np.round(10 ** rng.uniform(low, high) / step), 1) * step
    missing = (kinds == 0) & (rng.random(kinds.size) < 0.4)
    return [
        None if m else Decimal(int(a))
        for a, m in zip(amount.tolist(), missing.tolist(), strict=True)
    ]


# ---------------------------------------------------------------- time


def _dates(
    rng: np.random.Generator, n: int, today: np.datetime64
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Established and entry dates, 2000 → today, recent years more common; and who is recent."""
    span = int((today - np.datetime64("2000-01-01")) // np.timedelta64(1, "D"))
    age = RECENT_DAYS + ((span - RECENT_DAYS) * rng.random(n) ** 1.6).astype(np.int64)
    recent = rng.random(n) < RECENT_SHARE
    age[recent] = rng.integers(0, RECENT_DAYS, int(recent.sum()))
    established = today - age.astype("timedelta64[D]")
    # A few entered some days after they were founded, never into the last 30 days.
    late = (~recent) & (rng.random(n) < 0.1)
    delay = np.where(late, np.minimum(rng.integers(1, 15, n), age - RECENT_DAYS), 0)
    return established, established + delay.astype("timedelta64[D]"), recent


def _office_time(rng: np.random.Generator, days: np.ndarray, now: dt.datetime) -> np.ndarray:
    """A moment in office hours (09:00–18:30 Beijing time) of each day, never after ``now``."""
    minutes = rng.integers(9 * 60, 18 * 60 + 30, days.size).astype("timedelta64[m]")
    utc = days.astype("datetime64[m]") + minutes - np.timedelta64(8 * 60, "m")
    latest = np.datetime64(now.astimezone(dt.UTC).replace(tzinfo=None), "m")
    return np.minimum(utc, latest)


def _aware(moments: np.ndarray) -> list[dt.datetime]:
    return [m.replace(tzinfo=dt.UTC) for m in moments.astype("datetime64[s]").tolist()]


def _past_year_days(
    rng: np.random.Generator, registered: np.ndarray, today: np.datetime64, pairs: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """One (or two ordered) days in the past year after each entity's entry."""
    start = np.maximum(registered, today - np.timedelta64(365, "D"))
    width = np.maximum((today - start).astype(np.int64), 1)
    a = (rng.random(registered.size) * width).astype(np.int64)
    b = (rng.random(registered.size) * width).astype(np.int64) if pairs else a
    return start + np.minimum(a, b).astype("timedelta64[D]"), start + np.maximum(a, b).astype(
        "timedelta64[D]"
    )


# ---------------------------------------------------------------- licences


def _licence_numbers(
    kind: str, seq: np.ndarray, year: np.ndarray, catering: np.ndarray
) -> list[str]:
    """Numbers in the style of each licence (食品经营许可证 JY1 654002 …, 药品经营许可证 新DB…)."""
    region = county.REGION_CODE
    formats = {
        LicenceKind.FOOD_BUSINESS: lambda s, y, c: f"JY{2 if c else 1}{region}{s:06d}{s * 7 % 10}",
        LicenceKind.FOOD_PRODUCTION: lambda s, y, c: (
            f"SC1{s % 30 + 1:02d}{region}{s:04d}{s * 3 % 10}"
        ),
        LicenceKind.DRUG_RETAIL: lambda s, y, c: f"新DB{9910000 + s}",
        LicenceKind.MEDICAL_DEVICE: lambda s, y, c: f"新伊食药监械经营许{y}{s:04d}号",
        LicenceKind.HAZARDOUS_CHEMICALS: lambda s, y, c: f"新伊危化经字〔{y}〕{s:06d}",
        LicenceKind.PESTICIDE: lambda s, y, c: f"农药经许（新）{region}{s:05d}",
        LicenceKind.SEED: lambda s, y, c: f"D（新伊）农种许字（{y}）第{s:04d}号",
        LicenceKind.TOBACCO: lambda s, y, c: f"{region}{s:06d}",
        LicenceKind.ALCOHOL: lambda s, y, c: f"新伊酒零字第{region}{s:06d}号",
        LicenceKind.PUBLICATION: lambda s, y, c: f"新出发伊字第{s:05d}号",
        LicenceKind.REFINED_OIL: lambda s, y, c: f"油零售证书第{6500000000 + s}号",
        LicenceKind.INDUSTRIAL_PRODUCT: lambda s, y, c: f"（新）XK13-{s:06d}",
        LicenceKind.OTHER: lambda s, y, c: f"（{y}）新伊兽药经营证字{s:05d}号",
    }
    make = formats[LicenceKind(kind)]
    return [
        make(s, y, c)
        for s, y, c in zip(seq.tolist(), year.tolist(), catering.tolist(), strict=True)
    ]


def plan_licences(
    rng: np.random.Generator, trades: np.ndarray, established: np.ndarray, today: np.datetime64
) -> dict[str, np.ndarray]:
    """The licences each trade holds, issued for 5 years; about one in ten has expired."""
    entity_parts, kind_parts = [], []
    for index, trade in enumerate(TRADES):
        rows = np.flatnonzero(trades == index)
        for kind, probability in trade.licences:
            chosen = rows[rng.random(rows.size) < probability]
            entity_parts.append(chosen)
            kind_parts.append(np.full(chosen.size, kind, dtype=object))
    entity = np.concatenate(entity_parts) if entity_parts else np.zeros(0, dtype=np.int64)
    kinds = np.concatenate(kind_parts) if kind_parts else np.zeros(0, dtype=object)
    order = np.argsort(entity, kind="stable")
    entity, kinds = entity[order], kinds[order]
    founded = established[entity]
    young = founded > today - np.timedelta64(5 * 365, "D")
    renewed = today - rng.integers(0, 5 * 365, entity.size).astype("timedelta64[D]")
    lapsed = today - rng.integers(5 * 365 + 10, 7 * 365, entity.size).astype("timedelta64[D]")
    old_issue = np.where(rng.random(entity.size) < 0.1, lapsed, renewed)
    first_issue = np.minimum(
        founded + rng.integers(0, 30, entity.size).astype("timedelta64[D]"), today
    )
    issued = np.maximum(np.where(young, first_issue, old_issue), founded)
    month = issued.astype("datetime64[M]")
    expires = (month + 60).astype("datetime64[D]") + (issued - month.astype("datetime64[D]")) - 1
    catering = np.array(
        [TRADES[t].code.startswith("H") for t in trades[entity].tolist()], dtype=bool
    )
    year = issued.astype("datetime64[Y]").astype(np.int64) + 1970
    number = np.empty(entity.size, dtype=object)
    for value in np.unique(kinds).tolist():
        rows = np.flatnonzero(kinds == value)
        number[rows] = _licence_numbers(
            value, np.arange(1, rows.size + 1), year[rows], catering[rows]
        )
    return {"entity": entity, "kind": kinds, "number": number, "issued": issued, "expires": expires}


# ---------------------------------------------------------------- classification


def _changes(
    entity: np.ndarray, field: str, old: Any, new: Any, reasons: Any, at: np.ndarray
) -> dict[str, np.ndarray]:
    n = entity.size
    return {
        "entity": entity,
        "field": np.full(n, field, dtype=object),
        "old": np.broadcast_to(np.asarray(old, dtype=object), (n,)).copy(),
        "new": np.broadcast_to(np.asarray(new, dtype=object), (n,)).copy(),
        "reason": np.asarray(reasons, dtype=object) if n else np.zeros(0, dtype=object),
        "at": at,
    }


def _reasons(rng: np.random.Generator, choices: tuple[str, ...], n: int) -> np.ndarray:
    return np.array(choices, dtype=object)[rng.integers(0, len(choices), n)]


def plan_risk(
    rng: np.random.Generator,
    trades: np.ndarray,
    licences: dict[str, np.ndarray],
    registered: np.ndarray,
    recent: np.ndarray,
    today: np.datetime64,
    now: dt.datetime,
) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """Risk class by the rule table (篇2), a few set by hand with a reason."""
    rules = RiskRules.load()
    kinds = list(LicenceKind.values)
    held = np.zeros(trades.size, dtype=np.int64)
    bits = np.array([1 << kinds.index(k) for k in licences["kind"].tolist()], dtype=np.int64)
    np.bitwise_or.at(held, licences["entity"], bits)
    key = trades * (1 << len(kinds)) + held
    unique, inverse = np.unique(key, return_inverse=True)
    derived = [
        rules.derive(TRADES[k >> len(kinds)].code, [c for i, c in enumerate(kinds) if k >> i & 1])
        for k in unique.tolist()
    ]
    risk = np.array(derived, dtype=object)[inverse]
    overridden = (~recent) & (rng.random(trades.size) < OVERRIDE_SHARE)
    rows = np.flatnonzero(overridden)
    old = risk[rows].copy()
    severity = np.array([RiskClass.values.index(c) for c in old.tolist()], dtype=np.int64)
    step = np.where(severity == 0, 1, np.where(severity == 2, -1, rng.choice([-1, 1], rows.size)))
    new = np.array(RiskClass.values, dtype=object)[severity + step]
    reasons = np.where(
        step < 0, _reasons(rng, RAISE_REASONS, rows.size), _reasons(rng, LOWER_REASONS, rows.size)
    )
    risk[rows] = new
    day, _later = _past_year_days(rng, registered[rows], today)
    return (
        risk,
        overridden,
        _changes(rows, "risk_class", old, new, reasons, _office_time(rng, day, now)),
    )


def plan_grades(
    rng: np.random.Generator,
    status: np.ndarray,
    registered: np.ndarray,
    recent: np.ndarray,
    today: np.datetime64,
    now: dt.datetime,
) -> tuple[list[str], list[dict[str, np.ndarray]]]:
    """Credit grades, mostly A/B, and the past year's changes that led to them (篇2)."""
    n = status.size
    grade = rng.choice(4, n, p=GRADE_SHARE)
    grade[recent] = 1
    grade[(status == 3) & (rng.random(n) < 0.5)] = 3
    first, second = _past_year_days(rng, registered, today, pairs=True)
    t1, t2 = _office_time(rng, first, now), _office_time(rng, second, now)
    draw = rng.random(n)
    c = np.flatnonzero(grade == 2)
    d_via_c = np.flatnonzero((grade == 3) & (draw < 0.5))
    d_direct = np.flatnonzero((grade == 3) & (draw >= 0.5))
    a = np.flatnonzero((grade == 0) & (draw < 0.1))
    repaired = np.flatnonzero((grade == 1) & ~recent & (draw < 0.05))
    parts = [
        _changes(c, "credit_grade", "B", "C", _reasons(rng, DOWNGRADE_REASONS, c.size), t1[c]),
        _changes(
            d_via_c,
            "credit_grade",
            "B",
            "C",
            _reasons(rng, DOWNGRADE_REASONS, d_via_c.size),
            t1[d_via_c],
        ),
        _changes(
            d_via_c,
            "credit_grade",
            "C",
            "D",
            _reasons(rng, SEVERE_REASONS, d_via_c.size),
            t2[d_via_c],
        ),
        _changes(
            d_direct,
            "credit_grade",
            "B",
            "D",
            _reasons(rng, SEVERE_REASONS, d_direct.size),
            t1[d_direct],
        ),
        _changes(a, "credit_grade", "B", "A", _reasons(rng, UPGRADE_REASONS, a.size), t1[a]),
        _changes(
            repaired,
            "credit_grade",
            "B",
            "C",
            _reasons(rng, DOWNGRADE_REASONS, repaired.size),
            t1[repaired],
        ),
        _changes(
            repaired,
            "credit_grade",
            "C",
            "B",
            _reasons(rng, REPAIR_REASONS, repaired.size),
            t2[repaired],
        ),
    ]
    return np.array(["A", "B", "C", "D"])[grade].tolist(), parts


def initial_changes(
    rng: np.random.Generator,
    recent: np.ndarray,
    registered: np.ndarray,
    risk: np.ndarray,
    now: dt.datetime,
) -> list[dict[str, np.ndarray]]:
    """The first class and grade of each entity entered through the system (as create_entity)."""
    rows = np.flatnonzero(recent)
    at = _office_time(rng, registered[rows], now)
    reasons = np.full(rows.size, "按风险分类规则判定", dtype=object)
    return [
        _changes(rows, "risk_class", "", risk[rows], reasons, at),
        _changes(
            rows, "credit_grade", "", "B", np.full(rows.size, "登记时初始评定", dtype=object), at
        ),
    ]


def merge_changes(
    rng: np.random.Generator,
    parts: list[dict[str, np.ndarray]],
    organisation: Organisation,
    unit_ids: list[int],
) -> dict[str, np.ndarray]:
    """All changes by entity and time, each made by the station director or credit staff."""
    table = {key: np.concatenate([p[key] for p in parts]) for key in CHANGE_KEYS}
    order = np.lexsort((table["at"], table["entity"]))
    table = {key: value[order] for key, value in table.items()}
    units = np.asarray(unit_ids, dtype=np.int64)[table["entity"]]
    director = np.array([organisation.directors.get(u, 0) for u in units.tolist()], dtype=np.int64)
    staff = np.asarray(organisation.credit_staff, dtype=np.int64)
    credit = (
        staff[rng.integers(0, staff.size, units.size)]
        if staff.size
        else np.zeros(units.size, np.int64)
    )
    table["actor"] = np.where((director > 0) & (rng.random(units.size) < 0.5), director, credit)
    table["at"] = np.array(_aware(table["at"]), dtype=object)
    return table


# ---------------------------------------------------------------- status, marks, claims


def plan_archive(
    rng: np.random.Generator, status: np.ndarray, registered: np.ndarray, now: dt.datetime
) -> dict[str, list[Any]]:
    """Most deregistered entities have left the register (篇7: 退出), with the reason."""
    n = status.size
    archived = (status == 2) & (rng.random(n) < 0.8)
    today = np.datetime64(now.astimezone(SHANGHAI).date(), "D")
    days = registered + (rng.random(n) * (today - registered).astype(np.int64)).astype(
        "timedelta64[D]"
    )
    moments = _aware(_office_time(rng, days, now))
    return {
        "archived_at": [m if a else None for m, a in zip(moments, archived.tolist(), strict=True)],
        "archive_reason": [
            "已办理注销登记，退出经济户口管理" if a else "" for a in archived.tolist()
        ],
    }


def plan_hot(rng: np.random.Generator, trades: np.ndarray) -> dict[str, list[Any]]:
    """About 5 % marked as hot-industry entities (篇7: 重热点行业), with the reason."""
    notes = np.array([t.hot_note for t in TRADES], dtype=object)[trades]
    eligible = notes != ""
    share = min(0.6, HOT_SHARE * trades.size / max(int(eligible.sum()), 1))
    hot = eligible & (rng.random(trades.size) < share)
    return {"hot_industry": hot.tolist(), "hot_industry_note": np.where(hot, notes, "").tolist()}


def plan_claims(
    rng: np.random.Generator,
    officers: list[int | None],
    registered: np.ndarray,
    recent: np.ndarray,
    now: dt.datetime,
) -> dict[str, list[Any]]:
    """Claimed by the grid's officer within days; some new ones still waiting, some overdue."""
    n = registered.size
    today = np.datetime64(now.astimezone(SHANGHAI).date(), "D")
    age = (today - registered).astype(np.int64)
    waiting = np.select([age <= 1, age <= 6], [0.7, 0.25], 0.08)
    unclaimed = recent & (rng.random(n) < waiting)
    delay = np.minimum(rng.choice(3, n, p=[0.3, 0.5, 0.2]), age).astype("timedelta64[D]")
    moments = _office_time(rng, registered + delay, now)
    at = _aware(moments)
    claimed_by, claimed_at = [], []
    for officer, skip, when in zip(officers, unclaimed.tolist(), at, strict=True):
        keep = officer is not None and not skip
        claimed_by.append(officer if keep else None)
        claimed_at.append(when if keep else None)
    return {"claimed_by_id": claimed_by, "claimed_at": claimed_at}


# ---------------------------------------------------------------- plan and write


def _trades(rng: np.random.Generator, kinds: np.ndarray) -> np.ndarray:
    trades = np.empty(kinds.size, dtype=np.int64)
    for k in range(len(KINDS)):
        rows = np.flatnonzero(kinds == k)
        weights = np.array([t.weights[k] for t in TRADES], dtype=float)
        trades[rows] = rng.choice(len(TRADES), rows.size, p=weights / weights.sum())
    return trades


def plan_register(
    rng: np.random.Generator, organisation: Organisation, count: int, now: dt.datetime
) -> Register:
    """Every value of ``count`` entities, generated as arrays."""
    today = np.datetime64(now.astimezone(SHANGHAI).date(), "D")
    kinds = rng.choice(len(KINDS), count, p=KIND_SHARE)
    trades = _trades(rng, kinds)
    lon, lat = _locations(rng, count)
    grid = org_services.grid_index().assign(lon, lat)
    places = _places(organisation, grid, lon, lat)
    established, registered, recent = _dates(rng, count, today)
    status = np.where(recent, 0, rng.choice(len(STATUSES), count, p=STATUS_SHARE))
    licences = plan_licences(rng, trades, established, today)
    risk, overridden, risk_changes = plan_risk(
        rng, trades, licences, registered, recent, today, now
    )
    station = {g.pk: g.station_id for g in organisation.grids}
    officer = {g.pk: g.officer_id for g in organisation.grids}
    grids = grid.tolist()
    columns: dict[str, list[Any]] = {
        "uscc": uscc_codes(rng, np.array(USCC_KIND_DIGIT, dtype=np.int64)[kinds]),
        "name": _names(rng, kinds, trades, places),
        "kind": [KINDS[k] for k in kinds.tolist()],
        "industry_id": [TRADES[t].code for t in trades.tolist()],
        "address": _addresses(rng, places),
        "longitude": lon.tolist(),
        "latitude": lat.tolist(),
        "region_code": [county.REGION_CODE] * count,
        "legal_representative": county.person_names(rng, count)[0],
        "registered_capital": _capital(rng, kinds),
        "established": established.tolist(),
        "registered_on": registered.tolist(),
        "status": [STATUSES[s] for s in status.tolist()],
        "risk_class": risk.tolist(),
        "risk_class_overridden": overridden.tolist(),
        "grid_id": [g if g > 0 else None for g in grids],
        "unit_id": [station.get(g, organisation.bureau.pk) for g in grids],
    }
    grades, grade_changes = plan_grades(rng, status, registered, recent, today, now)
    columns["credit_grade"] = grades
    columns |= plan_archive(rng, status, registered, now)
    columns |= plan_hot(rng, trades)
    columns |= plan_claims(rng, [officer.get(g) for g in grids], registered, recent, now)
    parts = [risk_changes, *grade_changes, *initial_changes(rng, recent, registered, risk, now)]
    changes = merge_changes(rng, parts, organisation, columns["unit_id"])
    return Register(columns=columns, licences=licences, changes=changes)


# ---------------------------------------------------------------- writing


def write_register(
    register: Register,
    *,
    now: dt.datetime,
    progress: Callable[[str], None] = print,
    batch: int = BATCH,
) -> None:
    """Write entities, licences, classification changes and trace, one transaction a batch."""
    count = len(register.columns["uscc"])
    if connection.vendor == "sqlite":
        # The indexes of a million entities and their trace outgrow the default page cache.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -262144")
    actor_names = dict(Officer.objects.values_list("pk", "name"))
    report_every = max(batch, (count // 20) // batch * batch)
    for start in range(0, count, batch):
        stop = min(count, start + batch)
        with transaction.atomic():
            columns = {name: values[start:stop] for name, values in register.columns.items()}
            ids = bulk.insert(Entity, columns, stop - start, now=now)
            _trace_created(Entity, ids, columns["name"], columns, now)
            _write_licences(register.licences, ids, start, now)
            _write_changes(register.changes, ids, start, columns["name"], actor_names)
        if stop % report_every == 0 or stop == count:
            progress(f"市场主体 entities: {stop:,} / {count:,}")


def _trace_created(
    model: type[models.Model],
    ids: list[int],
    reprs: list[str],
    columns: dict[str, Any],
    now: dt.datetime,
) -> None:
    n = len(ids)
    trace = audit.event_columns(
        model,
        object_ids=ids,
        reprs=reprs,
        changes=audit.changes_from_columns(model, columns, n),
        action=AuditEvent.Action.CREATE,
        at=now,
        actor=None,
        source=AuditEvent.Source.SYSTEM,
        reason=REASON,
    )
    bulk.insert(AuditEvent, trace, n)


def _part(table: dict[str, np.ndarray], start: int, stop: int) -> tuple[slice, int]:
    first, last = np.searchsorted(table["entity"], [start, stop])
    return slice(int(first), int(last)), int(last - first)


def _write_licences(
    table: dict[str, np.ndarray], entity_ids: list[int], start: int, now: dt.datetime
) -> None:
    part, n = _part(table, start, start + len(entity_ids))
    columns = {
        "entity_id": [entity_ids[e - start] for e in table["entity"][part].tolist()],
        "kind": table["kind"][part].tolist(),
        "number": table["number"][part].tolist(),
        "issued": table["issued"][part].tolist(),
        "expires": table["expires"][part].tolist(),
    }
    ids = bulk.insert(Licence, columns, n, now=now)
    label = {kind: str(kind.label) for kind in LicenceKind}
    reprs = [
        f"{label[k]} {number}" for k, number in zip(columns["kind"], columns["number"], strict=True)
    ]  # Licence.__str__
    _trace_created(Licence, ids, reprs, columns, now)


def _write_changes(
    table: dict[str, np.ndarray],
    entity_ids: list[int],
    start: int,
    names: list[str],
    actor_names: dict[int, str],
) -> None:
    """History rows, and for each later change the entity's update event at its own time."""
    part, n = _part(table, start, start + len(entity_ids))
    rows = {key: table[key][part].tolist() for key in (*CHANGE_KEYS, "actor")}
    rows["actor"] = [a or None for a in rows["actor"]]
    columns = {
        "entity_id": [entity_ids[e - start] for e in rows["entity"]],
        "field": rows["field"],
        "old_value": rows["old"],
        "new_value": rows["new"],
        "reason": rows["reason"],
        "changed_by_id": rows["actor"],
        "changed_at": rows["at"],
    }
    bulk.insert(ClassificationChange, columns, n)
    later = [i for i in range(n) if rows["old"][i]]

    def pick(values: list[Any]) -> list[Any]:
        return [values[i] for i in later]

    trace = audit.event_columns(
        Entity,
        object_ids=pick(columns["entity_id"]),
        reprs=[names[e - start] for e in pick(rows["entity"])],
        changes=[{rows["field"][i]: [rows["old"][i], rows["new"][i]]} for i in later],
        action=AuditEvent.Action.UPDATE,
        at=pick(rows["at"]),
        actor=None,
        actor_ids=pick(rows["actor"]),
        actor_names=[actor_names.get(a, "") for a in pick(rows["actor"])],
        source=AuditEvent.Source.SYSTEM,
        reason=pick(rows["reason"]),
    )
    bulk.insert(AuditEvent, trace, len(later))


def build_register(
    rng: np.random.Generator,
    organisation: Organisation,
    *,
    count: int,
    now: dt.datetime,
    progress: Callable[[str], None] = print,
) -> None:
    """Generate and write ``count`` entities of the demo county."""
    register = plan_register(rng, organisation, count, now)
    progress(
        f"已生成 generated: {count:,} 市场主体, {len(register.licences['entity']):,} 许可证, "
        f"{len(register.changes['entity']):,} 分类分级变更; 写入 writing…"
    )
    write_register(register, now=now, progress=progress)
