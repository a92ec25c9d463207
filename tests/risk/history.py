"""A small Chicago-format history whose violations follow the entity: some businesses are
careless (a critical violation half the time), the rest rarely fail, so a model that reads the
register's history can learn it."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from xiaoneng.risk.chicago_rows import COLUMNS

HEADER = COLUMNS  # every column the importer reads, in its order
GROUPS = ("blue", "green", "orange")
START = np.datetime64("2012-01-02")


def careless(licence: int) -> bool:
    return licence % 4 == 0


def rows(days: int = 500, per_day: int = 5, *, seed: int = 7) -> list[dict[str, str]]:
    rng = np.random.default_rng(seed)
    out = []
    for i in range(days * per_day):
        licence = int(rng.integers(1, 300))
        p = 0.55 if careless(licence) else 0.06
        critical = int(rng.random() < p) * int(rng.integers(1, 3))
        out.append(
            {
                "Inspection_ID": str(10_000 + i),
                "Inspection_Date": str(START + np.timedelta64(i // per_day, "D")),
                "License": str(licence),
                "DBA_Name": f"Shop {licence}",
                "Address": f"{licence} N STATE ST",
                "Zip": f"606{licence % 10}{licence % 7}.0",
                "Latitude": f"{41.80 + (licence % 17) * 0.01:.5f}",
                "Longitude": f"{-87.70 + (licence % 13) * 0.01:.5f}",
                "Risk": f"Risk {1 + licence % 3} (x)",
                "Facility_Type": "Restaurant" if (licence // 4) % 2 else "Grocery_Store",
                "Inspector_Assigned": GROUPS[licence % 3],
                "criticalCount": f"{critical}.0",
                "seriousCount": f"{int(rng.integers(0, 2))}.0",
                "minorCount": f"{int(rng.integers(0, 4))}.0",
                "criticalFound": f"{int(critical > 0)}.0",
                "ageAtInspection": f"{1 + licence % 9}.5",
            }
        )
    return out


def write(path: Path, data: list[dict[str, str]], columns: tuple[str, ...] = HEADER) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        writer.writerows(data)
    return path
