"""Each demo entity's hidden propensity to break the rules, which the demo's failure draws follow.

Without it every visit would fail at one rate whatever the entity, and the risk model
(``xiaoneng.risk``) would have nothing to learn. The propensity is a multiplier of a source's
failure rate: higher for risk class Ⅰ, a poor credit grade (C/D) and the trades that fail
most in practice (catering, small food shops, food makers), times a hidden factor of the
entity's own (from a hash of its USCC, so that every step of the demo sees the same one and a
seed builds the same county). ``draw_failures`` keeps about a source's overall rate and adds
persistence: an entity already found failing this year fails more often again. The rates and
factors are set so that about one signed inspection in ten finds a serious (严重) problem and
the model of a 20,000-entity demo validates at an AUC of about 0.75.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from xiaoneng.core import bulk
from xiaoneng.registry.models import Entity

HIDDEN_SPREAD = 0.6  # σ of the log of the hidden factor: what no feature shows
CLASS_FACTOR = {"I": 2.2, "II": 1.0, "III": 0.55}  # 篇2: class Ⅰ is the key watch
GRADE_FACTOR = {"A": 0.5, "B": 1.0, "C": 2.0, "D": 3.5}  # 篇2: C 轻微失信, D 严重失信
TRADE_FACTOR = (  # GB/T 4754 prefixes, the first that matches counts
    ("H62", 2.2),  # catering (餐饮)
    ("F5213", 1.7),  # small shops (便利店、小卖部)
    ("F522", 1.7),  # food shops (粮油、肉、果蔬、糕点…)
    ("F5124", 1.6),  # meat wholesale
    ("C13", 1.6),  # food processing and making
    ("C14", 1.6),
    ("F525", 1.3),  # medicines and medical devices
    ("F5265", 1.3),  # fuel and gas: hazardous chemicals
    ("F5266", 1.3),
    ("F5296", 1.3),
)
REPEAT_FACTOR = 1.8  # each failure already found this year multiplies the chance
CRITICAL_HALF = 0.7  # the propensity at which half of the failed visits are serious (严重)
MOST = 0.9  # no visit fails surely


def _key(uscc: str) -> int:
    """64 bits of the entity's USCC: the same for the same seed on every database (row ids are
    not: PostgreSQL's sequences go on after a reset)."""
    return int.from_bytes(hashlib.blake2b(uscc.encode(), digest_size=8).digest(), "little")


def _hidden(keys: np.ndarray) -> np.ndarray:
    """A log-normal factor per key (splitmix64 of it), the same in every step."""
    x = keys.astype(np.uint64) + np.uint64(0x9E3779B97F4A7C15)
    with np.errstate(over="ignore"):
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        x = x ^ (x >> np.uint64(31))
    first = ((x >> np.uint64(11)).astype(np.float64) + 0.5) / float(1 << 53)
    second = ((x & np.uint64(0x7FF)).astype(np.float64) + 0.5) / 2048.0
    normal = np.sqrt(-2.0 * np.log(first)) * np.cos(2.0 * np.pi * second)  # Box–Muller
    return np.asarray(np.exp(HIDDEN_SPREAD * normal - HIDDEN_SPREAD**2 / 2), dtype=np.float64)


def _trade(industry: Sequence[str]) -> np.ndarray:
    codes = np.asarray(industry, dtype=str)
    factor = np.ones(codes.size)
    unset = np.ones(codes.size, dtype=bool)
    for prefix, value in TRADE_FACTOR:
        hit = unset & np.char.startswith(codes, prefix)
        factor[hit] = value
        unset &= ~hit
    return factor


def propensity(entity_ids: np.ndarray | Sequence[int]) -> np.ndarray:
    """Each entity's propensity (1 is an ordinary one), from the register as it is now."""
    ids = np.asarray(entity_ids, dtype=np.int64)
    if not ids.size:
        return np.zeros(0)
    entities = bulk.of_ids(Entity.objects.all(), "id", set(ids.tolist()))
    rows = {
        pk: (risk, grade, industry, uscc)
        for pk, risk, grade, industry, uscc in entities.values_list(
            "id", "risk_class", "credit_grade", "industry_id", "uscc"
        ).iterator(chunk_size=20_000)
    }
    known = [rows.get(int(pk), ("", "", "", str(pk))) for pk in ids.tolist()]
    risk = np.array([CLASS_FACTOR.get(r, 1.0) for r, _g, _i, _u in known])
    grade = np.array([GRADE_FACTOR.get(g, 1.0) for _r, g, _i, _u in known])
    trade = _trade([i or "" for _r, _g, i, _u in known])
    keys = np.array([_key(u) for _r, _g, _i, u in known], dtype=np.uint64)
    return risk * grade * trade * _hidden(keys)


def draw_failures(
    uniform: np.ndarray,
    rate: float,
    weight: np.ndarray,
    entity: np.ndarray | None = None,
    day: np.ndarray | None = None,
) -> np.ndarray:
    """Which visits fail, from one ``uniform`` draw each: ``rate`` on average over the visits,
    in proportion to their ``weight`` (propensity); with ``entity`` and ``day``, each
    failure already drawn for the entity earlier in the year raises its later chances."""
    n = uniform.size
    if not n:
        return np.zeros(0, dtype=bool)
    chance = rate * weight / max(float(weight.mean()), 1e-9)
    if entity is None or day is None:
        return np.asarray(uniform < np.minimum(chance, MOST))
    found = np.zeros(n, dtype=bool)
    failed: dict[int, int] = {}
    # The repeats add failures: scaled down so that the average rate stays near ``rate``.
    chance = chance / (1.0 + rate * (REPEAT_FACTOR - 1.0) * 2.0)
    for k in np.lexsort((entity, day)).tolist():
        e = int(entity[k])
        times = failed.get(e, 0)
        if uniform[k] < min(float(chance[k]) * REPEAT_FACTOR**times, MOST):
            found[k] = True
            failed[e] = times + 1
    return found


def critical_chance(weight: np.ndarray) -> np.ndarray:
    """The chance that a failed visit's problems include a serious (严重) one: the higher the
    propensity, the more serious what is found."""
    return np.asarray(weight / (weight + CRITICAL_HALF), dtype=np.float64)
