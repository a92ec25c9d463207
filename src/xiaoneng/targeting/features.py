"""The feature matrix: an explicit allow-list of what is known before a visit.

Nothing in ``NUMERIC`` or ``CATEGORICAL`` is computed from the visit itself: the CSV's
``past*``, ``timeSinceLast`` and ``firstRecord`` count earlier inspections only, the licence
flags and ``ageAtInspection`` describe the business, ``heat_*`` and the weather describe the
days before. The outcome columns (``chicago.OUTCOME_COLUMNS``) are never read into a feature.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from xiaoneng.targeting.errors import TargetingError

HISTORY = (
    "pastFail",
    "pastCritical",
    "pastSerious",
    "pastMinor",
    "timeSinceLast",
    "firstRecord",
    "ageAtInspection",
)
LICENCES = (
    "consumption_on_premises_incidental_activity",
    "tobacco_retail_over_counter",
    "package_goods",
    "limited_business_license",
    "outdoor_patio",
    "public_place_of_amusement",
    "childrens_services_facility_license",
    "tavern",
    "regulated_business_license",
    "filling_station",
    "caterers_liquor_license",
    "mobile_food_license",
)
SURROUNDINGS = ("heat_burglary", "heat_garbage", "heat_sanitation")
WEATHER = ("precipIntensity", "temperatureMax", "windSpeed", "humidity")
NUMERIC = (*HISTORY, *LICENCES, *SURROUNDINGS, *WEATHER)
CATEGORICAL = ("Risk", "Facility_Type", "Inspector_Assigned")
TOP_FACILITY_TYPES = 10

_RISK = re.compile(r"^\s*Risk\s*([123])\b")


class _Table(Protocol):
    """What the encoder reads of an inspection table (chicago.Inspections)."""

    dates: npt.NDArray[np.datetime64]
    numeric: dict[str, npt.NDArray[np.float64]]
    categorical: dict[str, list[str]]


def risk_class(values: list[str]) -> npt.NDArray[np.float64]:
    """'Risk 1 (High)' → 1 … 'Risk 3 (Low)' → 3; anything else is an error naming the column."""
    distinct, inverse = _codes(values)
    classes = np.empty(len(distinct), dtype=np.float64)
    for k, value in enumerate(distinct):
        match = _RISK.match(value)
        if match is None:
            row = values.index(value)
            raise TargetingError(f"column Risk: unknown value {value!r} (row {row + 1})")
        classes[k] = float(match.group(1))
    return classes[inverse]


def _codes(values: list[str]) -> tuple[list[str], npt.NDArray[np.intp]]:
    """The distinct values in order of appearance, and each row's index among them."""
    index: dict[str, int] = {}
    codes = [index.setdefault(value, len(index)) for value in values]
    return list(index), np.array(codes, dtype=np.intp)


def _one_hot(values: list[str], known: tuple[str, ...]) -> npt.NDArray[np.float64]:
    """One column per ``known`` value, 1.0 where the row has it (compared once per distinct
    value, not once per row)."""
    distinct, inverse = _codes(values)
    table = np.array([[float(value == k) for k in known] for value in distinct])
    return table.reshape(len(distinct), len(known))[inverse]


@dataclass(frozen=True)
class FeatureEncoder:
    """The encoding learnt from the training window: categories and fill-in values."""

    facility_types: tuple[str, ...]
    inspector_groups: tuple[str, ...]
    medians: tuple[float, ...]  # one per NUMERIC column, for missing cells

    @classmethod
    def fit(cls, table: _Table, *, inspector: bool = True) -> FeatureEncoder:
        """Learn the encoding; ``inspector=False`` leaves the inspector group out."""
        types, counts = np.unique(np.array(table.categorical["Facility_Type"]), return_counts=True)
        top = [str(t) for t in types[np.lexsort((types, -counts))][:TOP_FACILITY_TYPES]]
        groups = sorted(set(table.categorical["Inspector_Assigned"])) if inspector else []
        medians = []
        for c in NUMERIC:
            column = table.numeric[c]
            finite = column[np.isfinite(column)]
            medians.append(float(np.median(finite)) if len(finite) else 0.0)
        return cls(tuple(top), tuple(groups), tuple(medians))

    @property
    def names(self) -> list[str]:
        return [
            *NUMERIC,
            "risk_class",
            *(f"facility={t}" for t in self.facility_types),
            "facility=<other>",
            *(f"inspector={g}" for g in self.inspector_groups),
            *(f"month={m}" for m in range(1, 13)),
        ]

    def transform(self, table: _Table) -> npt.NDArray[np.float64]:
        """The feature matrix, one row per inspection, columns as ``names``."""
        for c in NUMERIC:
            if c not in table.numeric:
                raise TargetingError(f"feature column missing: {c}")
        for c in CATEGORICAL:
            if c not in table.categorical:
                raise TargetingError(f"feature column missing: {c}")
        n = len(table.dates)
        numeric = np.column_stack([table.numeric[c] for c in NUMERIC]).reshape(n, len(NUMERIC))
        numeric = np.where(np.isfinite(numeric), numeric, np.array(self.medians))
        facility_hot = _one_hot(table.categorical["Facility_Type"], self.facility_types)
        other = 1.0 - facility_hot.sum(axis=1, keepdims=True)
        inspector_hot = _one_hot(table.categorical["Inspector_Assigned"], self.inspector_groups)
        months = table.dates.astype("datetime64[M]").astype(np.int64) % 12  # 0 = January
        month_hot = (months[:, None] == np.arange(12)[None, :]).astype(np.float64)
        return np.hstack(
            [
                numeric,
                risk_class(table.categorical["Risk"])[:, None],
                facility_hot.reshape(n, len(self.facility_types)),
                other.reshape(n, 1),
                inspector_hot.reshape(n, len(self.inspector_groups)),
                month_hot,
            ]
        )
