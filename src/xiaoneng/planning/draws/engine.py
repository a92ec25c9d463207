"""The double-random draw itself: the selection rule and team assignment.

Pure functions on plain values (no database), so that the rule is easy to re-implement and to
check: docs/draws.md states it step by step. Nothing here depends on a library's random
number generator or on its version: every choice comes from SHA-256 and integer arithmetic.
The inputs are the canonical snapshots of ``draw_snapshots``.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

from xiaoneng.core.bulk import paused_gc
from xiaoneng.planning.draws.snapshots import Pool, Population

ALGORITHM = "sha256-rank-stride/1"
ALL = "*"  # the one stratum of a draw by count


# The rule ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """How many to draw: a ratio per stratum (grade, or class-grade), or one count overall."""

    selection: str  # "ratio" (strata: grades), "policy" (strata: "I-A"…), "count"
    ratios: Mapping[str, Decimal] = field(default_factory=dict)
    count: int | None = None
    team_size: int = 2
    workload_cap: int = 1

    def key(self, grade: str, risk_class: str) -> str:
        """The stratum of an entity of this grade and class."""
        if self.selection == "count":
            return ALL
        return f"{risk_class}-{grade}" if self.selection == "policy" else grade

    def canonical(self) -> bytes:
        """The parameters as canonical JSON (sorted keys, no spaces), for their digest."""
        values = {
            "algorithm": ALGORITHM,
            "selection": self.selection,
            "ratios": {k: str(v) for k, v in sorted(self.ratios.items())},
            "count": self.count,
            "team_size": self.team_size,
            "workload_cap": self.workload_cap,
        }
        return json.dumps(values, sort_keys=True, separators=(",", ":")).encode("utf-8")


def round_half_up(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_HALF_UP))


def strata(population: Population, rule: Rule) -> list[bytes]:
    """Each entity's stratum under ``rule`` (as bytes, like the population's columns)."""
    _usccs, grades, classes, _grids = population.raw
    if rule.selection == "count":
        return [ALL.encode()] * len(grades)
    if rule.selection == "policy":
        return [c + b"-" + g for g, c in zip(grades, classes, strict=True)]
    return grades


def stratum_sizes(population: Population, rule: Rule) -> dict[str, int]:
    """Entities per stratum under ``rule`` (from the counts kept at commit, when there)."""
    if population.counts is None:
        return {k.decode(): n for k, n in Counter(strata(population, rule)).items()}
    sizes: dict[str, int] = {}
    for (grade, risk_class), n in population.counts.items():
        key = rule.key(grade, risk_class)
        sizes[key] = sizes.get(key, 0) + n
    return sizes


def targets(sizes: Mapping[str, int], rule: Rule) -> dict[str, int]:
    """k per stratum: round-half-up(ratio × N); a stratum without a ratio gives 0."""
    if rule.selection == "count":
        return {ALL: min(rule.count or 0, sizes.get(ALL, 0))}
    return {
        key: round_half_up(Decimal(size) * rule.ratios.get(key, Decimal(0)))
        for key, size in sizes.items()
    }


def _keys(prefix: bytes, usccs: Sequence[bytes]) -> bytes:
    """SHA-256(prefix ‖ uscc) of every USCC, concatenated."""
    sha256 = hashlib.sha256
    with paused_gc():
        return b"".join([sha256(prefix + u).digest() for u in usccs])


def rank_order(seed: str, usccs: Sequence[str]) -> np.ndarray:
    """Indices of ``usccs`` by ascending SHA-256(seed ":" uscc), read as 256-bit numbers."""
    return _rank(seed, [u.encode("ascii") for u in usccs])


def _rank(seed: str, usccs: Sequence[bytes]) -> np.ndarray:
    if not usccs:
        return np.zeros(0, dtype=np.int64)
    keys = np.frombuffer(_keys(seed.encode("utf-8") + b":", usccs), dtype=">u8")
    words = keys.reshape(-1, 4)
    order = np.argsort(words[:, 0], kind="stable")
    first = words[order, 0]
    if np.any(first[1:] == first[:-1]):
        # Equal leading 64 bits (about once in 10¹³ draws of a million): full comparison.
        order = np.lexsort((words[:, 3], words[:, 2], words[:, 1], words[:, 0]))
    return order


def select(seed: str, population: Population, rule: Rule) -> tuple[list[int], dict[str, int]]:
    """Indices of the chosen entities in rank order, and k per stratum."""
    keys = strata(population, rule)
    counted = Counter(keys)
    wanted = targets({k.decode(): n for k, n in counted.items()}, rule)
    order = _rank(seed, population.raw[0])
    code = {name: i for i, name in enumerate(sorted(counted))}
    codes = np.fromiter(map(code.__getitem__, keys), dtype=np.int32, count=len(keys))
    ranked = codes[order]
    chosen = np.zeros(len(order), dtype=bool)
    for name, i in code.items():
        chosen[np.flatnonzero(ranked == i)[: wanted[name.decode()]]] = True
    return order[chosen].tolist(), wanted


# Teams -------------------------------------------------------------------------------------


@dataclass
class TeamShortfall(Exception):
    """No full team can be formed for one entity: why each pool member was passed over."""

    uscc: str
    team_size: int
    pool_size: int
    own_grid: int
    conflicted: int
    previous: int
    at_cap: int


def _strides(size: int) -> list[int]:
    return [s for s in range(1, size) if math.gcd(s, size) == 1] or [1]


def assign_teams(
    seed: str,
    usccs: Sequence[str],
    grids: Sequence[str],
    pool: Pool,
    conflicts: set[tuple[str, str]],
    previous: Mapping[str, Collection[str]],
    rule: Rule,
) -> list[list[str]]:
    """A team for each entity, in the order given (rank order), by the avoidance rules.

    For each entity, t = SHA-256(seed ":team:" uscc); the candidates are pool positions
    start, start + stride, … (mod P), start = t[0:8] mod P, stride = the (t[8:16] mod m)-th of
    the m numbers in 1…P−1 coprime with P; the first ``team_size`` eligible ones form the team.
    """
    size = len(pool)
    position, holders = _positions(pool)
    avoided: dict[str, set[int]] = {}
    for certificate, uscc in conflicts:
        if certificate in position:
            avoided.setdefault(uscc, set()).add(position[certificate])
    strides = _strides(size)
    load = [0] * size
    cap, team_size = rule.workload_cap, rule.team_size
    prefix = seed.encode("utf-8") + b":team:"
    empty: set[int] = set()
    teams = []
    for uscc, grid in zip(usccs, grids, strict=True):
        key = hashlib.sha256(prefix + uscc.encode("ascii")).digest()
        start = int.from_bytes(key[:8], "big") % size
        stride = strides[int.from_bytes(key[8:16], "big") % len(strides)]
        own = holders.get(grid, empty) if grid else empty
        conflicted = avoided.get(uscc, empty)
        before = {position[c] for c in previous.get(uscc, ()) if c in position}
        team: list[int] = []
        j = start
        for _ in range(size):
            if j not in own and j not in conflicted and j not in before and load[j] < cap:
                team.append(j)
                if len(team) == team_size:
                    break
            j = (j + stride) % size
        if len(team) < team_size:
            raise _shortfall(uscc, size, own, conflicted, before, load, rule)
        for j in team:
            load[j] += 1
        teams.append([pool.certificates[j] for j in team])
    return teams


def _shortfall(
    uscc: str,
    size: int,
    own: set[int],
    conflicted: set[int],
    before: set[int],
    load: list[int],
    rule: Rule,
) -> TeamShortfall:
    counts = [0, 0, 0, 0]
    for j in range(size):
        if j in own:
            counts[0] += 1
        elif j in conflicted:
            counts[1] += 1
        elif j in before:
            counts[2] += 1
        elif load[j] >= rule.workload_cap:
            counts[3] += 1
    return TeamShortfall(uscc, rule.team_size, size, *counts)


def _positions(pool: Pool) -> tuple[dict[str, int], dict[str, set[int]]]:
    """Each certificate's position, and the positions of the officers holding each grid."""
    position = {c: i for i, c in enumerate(pool.certificates)}
    holders: dict[str, set[int]] = {}
    for i, grid_codes in enumerate(pool.grids):
        for grid in grid_codes:
            holders.setdefault(grid, set()).add(i)
    return position, holders


def unavoidable_shortfall(inputs: Inputs) -> TeamShortfall | None:
    """The first entity (by USCC) that no seed could give a full team, if any.

    Seed-independent: an entity is short when its own grid's officers, the officers who
    declared a conflict with it and its previous inspectors leave fewer than a team.
    """
    pool, population, rule = inputs.pool, inputs.population, inputs.rule
    size = len(pool)
    position, holders = _positions(pool)
    avoided: dict[str, set[int]] = {}
    for certificate, uscc in inputs.conflicts:
        if certificate in position:
            avoided.setdefault(uscc, set()).add(position[certificate])
    crowded = {g for g, h in holders.items() if size - len(h) < rule.team_size}
    suspects = set(avoided) | set(inputs.previous)
    if crowded:
        grids = population.grids
        suspects |= {u for u, g in zip(population.usccs, grids, strict=True) if g in crowded}
    empty: set[int] = set()
    most_own = max((len(h) for h in holders.values()), default=0)
    short = []
    for uscc in suspects:
        previous = inputs.previous.get(uscc, ())
        excluded = most_own + len(avoided.get(uscc, empty)) + len(previous)
        if size - excluded >= rule.team_size:
            continue  # enough officers even if every exclusion were distinct
        grid = population.grid_of(uscc) or ""
        own = holders.get(grid, empty) if grid else empty
        conflicted = avoided.get(uscc, empty) - own
        before = {position[c] for c in previous if c in position} - own - conflicted
        if size - len(own) - len(conflicted) - len(before) < rule.team_size:
            short.append(
                TeamShortfall(uscc, rule.team_size, size, len(own), len(conflicted), len(before), 0)
            )
    return min(short, key=lambda s: s.uscc) if short else None


# The whole draw ----------------------------------------------------------------------------


@dataclass
class Inputs:
    """Everything a draw depends on besides its seed: the four snapshots and the rule."""

    population: Population
    pool: Pool
    conflicts: set[tuple[str, str]]
    previous: Mapping[str, Collection[str]]
    rule: Rule


@dataclass
class Result:
    """The chosen entities in draw order, each with its team and stratum."""

    usccs: list[str]
    strata: list[str]
    teams: list[list[str]]
    wanted: dict[str, int]

    def canonical(self) -> bytes:
        """``order,uscc,cert;cert`` lines in draw order (teams in their own order)."""
        lines = (
            f"{n},{u},{';'.join(t)}\n"
            for n, (u, t) in enumerate(zip(self.usccs, self.teams, strict=True), start=1)
        )
        return "".join(lines).encode("utf-8")


def run(seed: str, inputs: Inputs) -> Result:
    """The draw: selection by rank within each stratum, then a team for each chosen entity."""
    chosen, wanted = select(seed, inputs.population, inputs.rule)
    population = inputs.population
    raw_usccs, _grades, _classes, raw_grids = population.raw
    keys = strata(population, inputs.rule)
    usccs = [raw_usccs[i].decode() for i in chosen]
    chosen_strata = [keys[i].decode() for i in chosen]
    grids = [raw_grids[i].decode("utf-8") for i in chosen]
    teams = assign_teams(
        seed, usccs, grids, inputs.pool, inputs.conflicts, inputs.previous, inputs.rule
    )
    return Result(usccs, chosen_strata, teams, wanted)
