"""Small synthetic Chicago-shaped files for the fast tests."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from xiaoneng.targeting.chicago import OUTCOME_COLUMNS
from xiaoneng.targeting.features import CATEGORICAL, NUMERIC

COLUMNS = ["Inspection_Date", "Inspection_ID", "License", *OUTCOME_COLUMNS, "Zip"]
COLUMNS += [*NUMERIC, *CATEGORICAL]
GROUPS = ("blue", "green", "orange")


def rows(n: int = 1500, *, seed: int = 1, start: str = "2012-01-02") -> list[dict[str, str]]:
    """``n`` inspections, three a day from ``start``; risk rises with pastCritical."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        past = int(rng.integers(0, 3))
        group = GROUPS[i % 3]
        p = 0.08 + 0.25 * past + (0.1 if group == "blue" else 0.0)
        found = int(rng.random() < p)
        row = {c: f"{rng.random():.3f}" for c in NUMERIC}
        row.update(
            {
                "Inspection_Date": str(np.datetime64(start) + np.timedelta64(i // 3, "D")),
                "Inspection_ID": str(1000 + i),
                "License": str(50 + i % 400),
                "criticalFound": f"{found}.0",
                "criticalCount": str(found * int(rng.integers(1, 3))),
                "seriousCount": "0.0",
                "minorCount": "1.0",
                "pass_flag": str(1 - found),
                "fail_flag": str(found),
                "Zip": f"606{i % 5}{i % 7}.0",
                "pastCritical": str(past),
                "Risk": ["Risk 1 (High)", "Risk 2 (Medium)", "Risk 3 (Low)"][i % 3],
                "Facility_Type": ["Restaurant", "Grocery_Store", "Other"][i % 5 % 3],
                "Inspector_Assigned": group,
            }
        )
        out.append(row)
    return out


def write(path: Path, data: list[dict[str, str]], columns: list[str] | None = None) -> Path:
    columns = columns or COLUMNS
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(data)
    return path
