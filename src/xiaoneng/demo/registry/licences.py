"""The demo entities' licences: those their trade holds, issued for five years, numbered in
the style of each licence."""

from __future__ import annotations

import numpy as np

from xiaoneng.demo.geography import REGION_CODE
from xiaoneng.demo.trades import TRADES
from xiaoneng.registry.models import LicenceKind


def _licence_numbers(
    kind: str, seq: np.ndarray, year: np.ndarray, catering: np.ndarray
) -> list[str]:
    """Numbers in the style of each licence (食品经营许可证 JY1 654002 …, 药品经营许可证 新DB…)."""
    region = REGION_CODE
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
