"""The demo entities' risk classes and credit grades, and the history of changes behind them
(篇2: 风险分类, 信用分级)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from xiaoneng.demo.org import Organisation
from xiaoneng.demo.registry.dates import aware, office_time, past_year_days
from xiaoneng.demo.trades import TRADES
from xiaoneng.registry.classification import RiskRules
from xiaoneng.registry.models import LicenceKind, RiskClass

GRADE_SHARE = (0.45, 0.45, 0.08, 0.02)  # A B C D
OVERRIDE_SHARE = 0.005
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
    day, _later = past_year_days(rng, registered[rows], today)
    return (
        risk,
        overridden,
        _changes(rows, "risk_class", old, new, reasons, office_time(rng, day, now)),
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
    first, second = past_year_days(rng, registered, today, pairs=True)
    t1, t2 = office_time(rng, first, now), office_time(rng, second, now)
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
    at = office_time(rng, registered[rows], now)
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
    table["at"] = np.array(aware(table["at"]), dtype=object)
    return table
