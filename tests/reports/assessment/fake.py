"""A small catalogue of made-up indicators with values set by the test, so that the scheme,
scoring, ranking and pages are tested apart from what the real indicators count."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal

import pytest

from xiaoneng.reports.assessment import catalogue
from xiaoneng.reports.assessment.catalogue import (
    HIGHER,
    LOWER,
    OFFICER,
    STATION,
    Indicator,
    Measure,
    RecordRow,
)
from xiaoneng.reports.assessment.periods import Period

# subject id → value (None: no data), per indicator code, of officers and of stations (their
# ids may coincide); the tests fill them
VALUES: dict[str, dict[int, Decimal | None]] = {"rate": {}, "warnings": {}, "stations_only": {}}
STATION_VALUES: dict[str, dict[int, Decimal | None]] = {
    "rate": {},
    "warnings": {},
    "stations_only": {},
}


def _measure(code: str):  # type: ignore[no-untyped-def]
    def measure(kind: str, subjects: Sequence[int], period: Period) -> dict[int, Measure]:
        out = {}
        table = VALUES if kind == OFFICER else STATION_VALUES
        for subject in subjects:
            value = table[code].get(subject)
            out[subject] = Measure(
                value=value,
                numerator=None if value is None else value,
                denominator=None if value is None else 100,
                detail=f"{code} {value}",
            )
        return out

    return measure


def _records(kind: str, subject: int, period: Period) -> list[RecordRow]:
    return [RecordRow(period.start, "巡查任务", "某某商店", "已完成", "/entities/1/", "numerator")]


FAKE = {
    "rate": Indicator(
        "rate",
        "完成率",
        "%",
        HIGHER,
        (OFFICER, STATION),
        Decimal(100),
        Decimal(50),
        "计划任务中已完成的比例",
        _measure("rate"),
        _records,
    ),
    "warnings": Indicator(
        "warnings",
        "预警",
        "件/百件",
        LOWER,
        (OFFICER, STATION),
        Decimal(0),
        Decimal(10),
        "每百件办件的预警",
        _measure("warnings"),
        _records,
    ),
    "stations_only": Indicator(
        "stations_only",
        "应检尽检率",
        "%",
        HIGHER,
        (STATION,),
        Decimal(100),
        Decimal(70),
        "应检主体中已检的比例",
        _measure("stations_only"),
        _records,
    ),
}


@pytest.fixture
def fake_catalogue(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Indicator]]:
    monkeypatch.setattr(catalogue, "load", lambda: FAKE)
    for values in (*VALUES.values(), *STATION_VALUES.values()):
        values.clear()
    yield FAKE
