"""The indicator catalogue (指标体系): what each indicator measures, for which subjects, and how
its value becomes a score.

An indicator is code, never a typed-in figure: its ``measure`` function reads the records of a
period for many subjects at once (a few aggregate queries, never a query per subject) and
returns a ``Measure`` per subject: the numerator and denominator it counted, the value, a
sentence saying what was counted, and the links to the records behind it (the list pages,
filtered). A subject with nothing to count has ``value`` None: "no data" is shown as such and
never scored as 0 or 100.

Subjects are officers (``OFFICER``: the grid officers and everyone who inspects) and units
(``STATION``: a station's work as a whole). Each family of indicators lives in a module of
``measures/`` and registers itself here with ``register``.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.functional import Promise

from xiaoneng.reports.assessment.periods import Period

OFFICER = "officer"
STATION = "station"
SUBJECT_KINDS = (OFFICER, STATION)

HIGHER = "higher"  # the larger the value, the better (a completion rate)
LOWER = "lower"  # the smaller the better (warnings per hundred cases)

MODULES = (
    "plans",
    "findings",
    "followup",
    "cases",
    "service",
    "integrity",
    "training",
)


@dataclass(frozen=True)
class Link:
    """A page listing records behind a measure: its label and URL (already filtered)."""

    label: str
    url: str


@dataclass(frozen=True)
class Measure:
    """What an indicator counted for one subject over one period.

    ``value`` is in the indicator's unit (a percentage 0–100, a ratio, hours, days); None when
    there was nothing to count (no data). ``numerator`` and ``denominator`` are the counts the
    value comes from (``denominator`` None when the value is not a ratio). ``detail`` says in
    a sentence what was counted ("巡查任务40项，按期完成36项").
    """

    value: Decimal | None
    numerator: Decimal | int | None = None
    denominator: Decimal | int | None = None
    detail: str = ""
    links: tuple[Link, ...] = field(default=())

    @property
    def has_data(self) -> bool:
        return self.value is not None


NO_DATA = Measure(value=None)


@dataclass(frozen=True)
class RecordRow:
    """One record behind a measure, for the drill-down ("why is my score 82?").

    ``counts`` says where it counted: "numerator" (and so in the denominator too, for a
    ratio), "denominator" only, or "" when the measure is not a ratio.
    """

    day: dt.date | None
    kind: str  # 巡查任务, 检查记录, 责令整改通知书…
    title: str  # the entity's name, the case's number…
    state: str  # 已完成（逾期3天）, 已整改…
    url: str  # the record's own page ("" if it has none)
    counts: str = ""


# subjects: the ids of the officers (OFFICER) or units (STATION) to measure
MeasureFunction = Callable[[str, Sequence[int], Period], dict[int, Measure]]
# (subject kind, subject id, period) → the records one subject's measure counted
RecordsFunction = Callable[[str, int, Period], list[RecordRow]]


@dataclass(frozen=True)
class Indicator:
    """One indicator of the catalogue.

    ``target`` and ``floor`` are the defaults a scheme starts from: a value at the target (or
    better) scores 100, at the floor (or worse) 0, linearly in between.
    """

    code: str
    label: str | Promise
    unit: str  # "%", "倍", "天", "小时", "件/百件"
    direction: str  # HIGHER or LOWER
    subjects: tuple[str, ...]
    target: Decimal
    floor: Decimal
    definition: str | Promise  # one sentence: what is counted, from which records
    measure: MeasureFunction
    records: RecordsFunction


CATALOGUE: dict[str, Indicator] = {}


def register(indicator: Indicator) -> Indicator:
    if indicator.code in CATALOGUE:
        raise ValueError(f"indicator {indicator.code} registered twice")
    if indicator.direction not in (HIGHER, LOWER):
        raise ValueError(f"indicator {indicator.code}: direction {indicator.direction}")
    if not set(indicator.subjects) <= set(SUBJECT_KINDS) or not indicator.subjects:
        raise ValueError(f"indicator {indicator.code}: subjects {indicator.subjects}")
    CATALOGUE[indicator.code] = indicator
    return indicator


def load() -> dict[str, Indicator]:
    """Every indicator (importing each family's module registers its indicators)."""
    for name in MODULES:
        importlib.import_module(f"xiaoneng.reports.assessment.measures.{name}")
    return CATALOGUE


def indicators_for(kind: str) -> list[Indicator]:
    return [i for i in load().values() if kind in i.subjects]


HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def rounded(value: Decimal, places: Decimal = CENT) -> Decimal:
    return value.quantize(places, rounding=ROUND_HALF_UP)


def percent(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    """``part`` of ``whole`` in percent with two decimals; None when ``whole`` is 0."""
    if not whole:
        return None
    return rounded(Decimal(part) * HUNDRED / Decimal(whole))


def ratio(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    """``part`` ÷ ``whole`` with two decimals; None when ``whole`` is 0."""
    if not whole:
        return None
    return rounded(Decimal(part) / Decimal(whole))


def score(
    value: Decimal | None, *, target: Decimal, floor: Decimal, direction: str
) -> Decimal | None:
    """0–100, two decimals: 100 at the target or better, 0 at the floor or worse, linear in
    between; None for no data."""
    if value is None:
        return None
    if direction == LOWER:
        value, target, floor = -value, -target, -floor
    if value >= target:
        return HUNDRED.quantize(CENT)
    if value <= floor:
        return Decimal(0).quantize(CENT)
    return rounded((value - floor) * HUNDRED / (target - floor))
