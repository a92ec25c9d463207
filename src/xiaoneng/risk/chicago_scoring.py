"""Score a Chicago-format file of coming visits, without outcomes: ``Inspection_ID,score``.

Each row is a visit on its day. A licence already imported is that entity, and its history is
what the register holds strictly before the row's day; a new licence has no history. What the
row itself says of the business (Risk, Facility_Type, the group that will visit, its place and
age) is taken from the row, the rest (credit grade, licences, complaints, cases as of the day)
from the register. The latest stored model version scores every row; the outcome columns, if
the file has them, are not read.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from xiaoneng.core.errors import Missing
from xiaoneng.org.models import Unit
from xiaoneng.risk.chicago_rows import ChicagoRow, read_rows
from xiaoneng.risk.chicago_setup import BUREAU_CODE, SOURCE, industry_for
from xiaoneng.risk.models import ExternalEntity
from xiaoneng.risk.records import RISK_CODES, entity_features, read_history
from xiaoneng.risk.services import latest, load
from xiaoneng.risk.threads import single_threaded
from xiaoneng.targeting.records import ENTITY_FEATURES, Visits, history_features


def visits_of(rows: list[ChicagoRow]) -> Visits:
    """The rows as visits: known licences keep their entity, new ones get ids below zero."""
    known = dict(
        ExternalEntity.objects.filter(source=SOURCE).values_list("external_id", "entity_id")
    )
    n = len(rows)
    entity = np.array([known.get(r.licence, -(k + 1)) for k, r in enumerate(rows)], dtype=np.int64)
    dates = np.array([r.day.isoformat() for r in rows], dtype="datetime64[D]")
    units = dict(Unit.objects.filter(code__startswith=f"{BUREAU_CODE}-").values_list("code", "id"))
    unit = [str(units.get(f"{BUREAU_CODE}-{r.group}", "")) for r in rows]
    numeric = {name: np.zeros(n) for name in ENTITY_FEATURES}
    numeric["credit"] = np.full(n, np.nan)
    numeric["age_years"] = np.full(n, np.nan)
    latitude = np.array([np.nan if r.latitude is None else r.latitude for r in rows])
    longitude = np.array([np.nan if r.longitude is None else r.longitude for r in rows])
    old = np.flatnonzero(entity > 0)
    if old.size:
        described = entity_features(entity[old], dates[old], [unit[k] for k in old])
        lat, lon = described.latitude, described.longitude
        for name in ENTITY_FEATURES:
            numeric[name][old] = described.numeric[name]
        latitude[old] = np.where(np.isfinite(latitude[old]), latitude[old], lat)
        longitude[old] = np.where(np.isfinite(longitude[old]), longitude[old], lon)
    row_age = np.array([np.nan if r.age_years is None else r.age_years for r in rows])
    numeric["age_years"] = np.where(np.isfinite(row_age), row_age, numeric["age_years"])
    numeric["risk_class"] = np.array([RISK_CODES[r.risk_class] for r in rows])
    visits = Visits(
        ids=np.array([r.inspection_id for r in rows], dtype=np.int64),
        entity=entity,
        dates=dates,
        latitude=latitude,
        longitude=longitude,
        numeric=numeric,
        categorical={"industry": [industry_for(r.facility) for r in rows], "unit": unit},
    )
    history = read_history().history
    visits.numeric.update(history_features(visits, history))
    return visits


@single_threaded
def score_file(*, source: Path, output: Path) -> tuple[int, int]:
    """Write ``Inspection_ID,score`` for every row of ``source``; (model version, rows)."""
    record = latest()
    if record is None:
        raise Missing("no model trained yet: run xiaoneng targeting train first")
    loaded = load(record)
    rows = read_rows(source, with_outcome=False)
    visits = visits_of(rows)
    scores = loaded.score(visits)
    with output.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Inspection_ID", "score"])
        for inspection_id, score in zip(visits.ids.tolist(), scores.tolist(), strict=True):
            writer.writerow([inspection_id, f"{score:.6f}"])
    return record.version, len(rows)
