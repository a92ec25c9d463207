"""Read the Chicago inspections CSV (../shared/data/chicago/README.md) into arrays.

Only the columns the engine names are read: the identity of each inspection, the columns of
``features.NUMERIC`` and ``features.CATEGORICAL``, and, when asked, the outcome.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from xiaoneng.targeting.errors import TargetingError
from xiaoneng.targeting.features import CATEGORICAL, NUMERIC

OUTCOME = "criticalFound"
# What an inspection found: never a feature (and absent from a file to be scored).
OUTCOME_COLUMNS = (
    "criticalFound",
    "criticalCount",
    "seriousCount",
    "minorCount",
    "pass_flag",
    "fail_flag",
)
IDENTITY = ("Inspection_ID", "Inspection_Date", "Zip")


@dataclass
class Inspections:
    """One row per inspection, as parallel arrays."""

    ids: npt.NDArray[np.int64]
    dates: npt.NDArray[np.datetime64]
    zips: list[str]
    numeric: dict[str, npt.NDArray[np.float64]]
    categorical: dict[str, list[str]]
    outcome: npt.NDArray[np.float64] | None = None

    def __len__(self) -> int:
        return len(self.ids)

    def take(self, mask: npt.NDArray[np.bool_]) -> Inspections:
        """The inspections where ``mask`` holds."""
        idx = np.flatnonzero(mask)
        return Inspections(
            ids=self.ids[idx],
            dates=self.dates[idx],
            zips=[self.zips[i] for i in idx],
            numeric={k: v[idx] for k, v in self.numeric.items()},
            categorical={k: [v[i] for i in idx] for k, v in self.categorical.items()},
            outcome=None if self.outcome is None else self.outcome[idx],
        )


def _float(text: str, column: str, line: int) -> float:
    if text in ("", "NA"):
        return float("nan")
    try:
        return float(text)
    except ValueError:
        raise TargetingError(f"line {line}, column {column}: not a number: {text!r}") from None


def read_inspections(path: str | Path, *, with_outcome: bool = True) -> Inspections:
    """Read the CSV; a missing column, an empty file or a bad cell raises TargetingError."""
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        if not header:
            raise TargetingError(f"{path}: empty file (no header)")
        needed = [*IDENTITY, *NUMERIC, *CATEGORICAL, *((OUTCOME,) if with_outcome else ())]
        missing = [c for c in needed if c not in header]
        if missing:
            raise TargetingError(f"{path}: missing column(s): {', '.join(missing)}")
        ids: list[int] = []
        dates: list[str] = []
        zips: list[str] = []
        numeric: dict[str, list[float]] = {c: [] for c in NUMERIC}
        categorical: dict[str, list[str]] = {c: [] for c in CATEGORICAL}
        outcome: list[float] = []
        for line, row in enumerate(reader, start=2):
            try:
                ids.append(int(float(row["Inspection_ID"])))
                dates.append(str(np.datetime64(row["Inspection_Date"], "D")))
            except ValueError:
                raise TargetingError(
                    f"line {line}: bad Inspection_ID or Inspection_Date: "
                    f"{row['Inspection_ID']!r}, {row['Inspection_Date']!r}"
                ) from None
            zips.append((row["Zip"] or "").split(".")[0])
            for c in NUMERIC:
                numeric[c].append(_float(row[c], c, line))
            for c in CATEGORICAL:
                categorical[c].append(row[c] or "")
            if with_outcome:
                value = _float(row[OUTCOME], OUTCOME, line)
                if value not in (0.0, 1.0):
                    raise TargetingError(f"line {line}, column {OUTCOME}: must be 0 or 1")
                outcome.append(value)
    if not ids:
        raise TargetingError(f"{path}: no inspections in the file")
    if len(set(ids)) != len(ids):
        raise TargetingError(f"{path}: duplicate Inspection_ID")
    return Inspections(
        ids=np.array(ids, dtype=np.int64),
        dates=np.array(dates, dtype="datetime64[D]"),
        zips=zips,
        numeric={c: np.array(v, dtype=np.float64) for c, v in numeric.items()},
        categorical=categorical,
        outcome=np.array(outcome, dtype=np.float64) if with_outcome else None,
    )
