"""Every value of the demo county's entities, generated as arrays (``plan_register``): the
columns of ``identity.py``, ``dates.py``, ``licences.py``, ``classification.py`` and
``marks.py`` gathered into one ``Register``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np

from xiaoneng.demo.geography import REGION_CODE
from xiaoneng.demo.names import person_names
from xiaoneng.demo.org import Organisation
from xiaoneng.demo.registry.classification import (
    initial_changes,
    merge_changes,
    plan_grades,
    plan_risk,
)
from xiaoneng.demo.registry.dates import SHANGHAI, entry_dates
from xiaoneng.demo.registry.identity import (
    coordinates,
    entity_names,
    grid_places,
    registered_capital,
    street_addresses,
    uscc_codes,
)
from xiaoneng.demo.registry.licences import plan_licences
from xiaoneng.demo.registry.marks import plan_archive, plan_claims, plan_hot
from xiaoneng.demo.trades import TRADES
from xiaoneng.org import services as org_services
from xiaoneng.registry.models import Entity

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


@dataclass
class Register:
    """Every generated column, one entry per entity, and the licence and change side tables."""

    columns: dict[str, list[Any]]
    licences: dict[str, np.ndarray]  # entity (sorted), kind, number, issued, expires
    changes: dict[str, np.ndarray]  # entity (sorted), field, old, new, reason, at, actor


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
    lon, lat = coordinates(rng, count)
    grid = org_services.grid_index().assign(lon, lat)
    places = grid_places(organisation, grid, lon, lat)
    established, registered, recent = entry_dates(rng, count, today)
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
        "name": entity_names(rng, kinds, trades, places),
        "kind": [KINDS[k] for k in kinds.tolist()],
        "industry_id": [TRADES[t].code for t in trades.tolist()],
        "address": street_addresses(rng, places),
        "longitude": lon.tolist(),
        "latitude": lat.tolist(),
        "region_code": [REGION_CODE] * count,
        "legal_representative": person_names(rng, count)[0],
        "registered_capital": registered_capital(rng, kinds),
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
