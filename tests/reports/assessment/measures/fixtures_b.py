"""Records for the tests of the followup, cases, service and integrity indicators, written
directly (clocks, warnings, callbacks, copies of an inspection), and the check that a measure's
drill-down rows agree with its counts."""

from __future__ import annotations

import copy
import datetime as dt
import itertools
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from xiaoneng.core.states import unlocked
from xiaoneng.inspections.records.models import Inspection
from xiaoneng.org.models import Officer, Unit
from xiaoneng.reports.assessment.catalogue import CATALOGUE, Indicator, Measure, load, score
from xiaoneng.reports.assessment.periods import Period, parse_period
from xiaoneng.timeliness.callbacks.models import Callback, Channel, SubjectKind
from xiaoneng.timeliness.clocks.models import Clock, ClockKind, Level, SubjectType, Warning

D = dt.date
APRIL = parse_period("2026-04")
_subjects = itertools.count(1)


def indicator(code: str) -> Indicator:
    """The real indicator ``code`` (the catalogue loaded)."""
    load()
    return CATALOGUE[code]


def measure_of(code: str, kind: str, ids: list[int], period: Period = APRIL) -> dict[int, Measure]:
    load()
    return CATALOGUE[code].measure(kind, ids, period)


def score_of(code: str, value: Decimal | None) -> Decimal | None:
    indicator = CATALOGUE[code]
    return score(
        value, target=indicator.target, floor=indicator.floor, direction=indicator.direction
    )


def assert_rows_agree(
    code: str, kind: str, subject_id: int, period: Period = APRIL, *, rows_are: str = "ratio"
) -> None:
    """The drill-down lists exactly the records the measure counted, newest first.

    ``ratio``: every row is in the denominator and the numerator rows are the numerator;
    ``mean``: a row per record averaged (the denominator), none marked; ``count``: a row per
    record counted (the numerator).
    """
    measured = measure_of(code, kind, [subject_id], period)[subject_id]
    rows = CATALOGUE[code].records(kind, subject_id, period)
    numerator_rows = sum(1 for r in rows if r.counts == "numerator")
    if rows_are == "ratio":
        assert len(rows) == measured.denominator
        assert numerator_rows == measured.numerator
    elif rows_are == "mean":
        assert len(rows) == measured.denominator
        assert all(r.counts == "" for r in rows)
    else:
        assert len(rows) == numerator_rows == measured.numerator
    days = [r.day for r in rows if r.day is not None]
    assert days == sorted(days, reverse=True)
    assert all(r.url.startswith("/") for r in rows)


def queries_for(code: str, kind: str, ids: list[int], period: Period = APRIL) -> int:
    """How many queries measuring ``ids`` took (the same for one subject as for many)."""
    load()
    with CaptureQueriesContext(connection) as context:
        CATALOGUE[code].measure(kind, ids, period)
    return len(context)


def assert_bulk(code: str, kind: str, ids: list[int], period: Period = APRIL) -> None:
    """A measure counts all its subjects in a few queries, never one per subject."""
    many = queries_for(code, kind, ids, period)
    assert many == queries_for(code, kind, ids[:1], period)
    assert many <= 4


def make_clock(
    unit: Unit,
    officer: Officer | None,
    started_on: dt.date,
    stopped_on: dt.date | None = None,
    subject: str = "食品经营许可",
) -> Clock:
    return Clock.objects.create(
        kind=ClockKind.SERVICE,
        subject_type=SubjectType.SERVICE_CASE,
        subject_id=next(_subjects),
        subject=subject,
        unit=unit,
        officer=officer,
        region_code="654002",
        started_on=started_on,
        limit_days=10,
        statutory_days=20,
        basis="《食品经营许可和备案管理办法》",
        due_on=started_on + dt.timedelta(days=14),
        stopped_on=stopped_on,
    )


def warn(clock: Clock, level: str, raised_on: dt.date) -> Warning:
    return Warning.objects.create(
        clock=clock,
        level=level,
        unit=clock.unit,
        officer=clock.officer,
        raised_on=raised_on,
        raised_at=timezone.now(),
        due_on=clock.due_on,
        used_days=8 if level == Level.YELLOW else 11,
        limit_days=clock.limit_days,
    )


def make_callback(
    unit: Unit,
    officer: Officer | None,
    called_on: dt.date,
    overall: str = "",
    status: str = Callback.Status.DONE,
) -> Callback:
    callback = Callback(
        subject_kind=SubjectKind.SERVICE_CASE,
        subject="食品经营许可",
        unit=unit,
        officer=officer,
        party="张三",
        channel=Channel.PHONE,
        called_on=called_on,
        overall=overall,
    )
    with unlocked(callback):
        callback.status = status
    callback.save()
    return callback


def copies(inspection: Inspection, days: list[dt.date]) -> list[Inspection]:
    """Copies of a signed inspection on other days (rows only: enough to be counted)."""
    made = []
    for day in days:
        clone = copy.copy(inspection)
        clone.pk = None
        clone.visited_on = day
        made.append(clone)
    return Inspection.objects.bulk_create(made)
