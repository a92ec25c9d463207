"""Reading assessments as a user may see them: the results of the units in their scope."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, QuerySet
from django.http import Http404

from xiaoneng.core.scoping import visible_unit_ids
from xiaoneng.org.models import Officer
from xiaoneng.reports.assessment import catalogue
from xiaoneng.reports.assessment.models import (
    Assessment,
    Result,
    ResultItem,
    Scheme,
    SchemeIndicator,
)
from xiaoneng.reports.assessment.periods import Period, parse_period


def default_period(today: dt.date) -> Period:
    """The last whole month."""
    last = today.replace(day=1) - dt.timedelta(days=1)
    return parse_period(f"{last.year}-{last.month:02d}")


def offered_periods(today: dt.date) -> list[str]:
    """The periods a user picks from: the last twelve months, the last four quarters and the
    last two years (whole periods and the current one)."""
    months, quarters, years = [], [], []
    day = today
    for _ in range(12):
        months.append(f"{day.year}-{day.month:02d}")
        day = day.replace(day=1) - dt.timedelta(days=1)
    year, quarter = today.year, (today.month - 1) // 3 + 1
    for _ in range(4):
        quarters.append(f"{year}Q{quarter}")
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    years = [str(today.year), str(today.year - 1)]
    return months + quarters + years


# The ranked first, by rank; the unranked after them (SQLite would put NULL first).
RANK_ORDER = F("rank").asc(nulls_last=True)


def latest_month(kind: str) -> Assessment | None:
    """The latest computed assessment of the latest month assessed for subjects of ``kind``."""
    return (
        Assessment.objects.filter(subject_kind=kind, period_kind="month")
        .order_by("-start", "-computed_at", "-id")
        .first()
    )


def weighting(assessment: Assessment) -> list[SchemeIndicator]:
    """The indicators of an assessment's ranking: its scheme's, then those that only a role's
    scheme weighs (each once, in the order of the first scheme that has it)."""
    rows = list(assessment.scheme.items.all())
    seen = {row.indicator for row in rows}
    for scheme in role_schemes(assessment):
        for row in scheme.items.all():
            if row.indicator not in seen:
                seen.add(row.indicator)
                rows.append(row)
    return rows


def role_schemes(assessment: Assessment) -> list[Scheme]:
    """The schemes for one role that scored some of an assessment's subjects."""
    used = assessment.results.exclude(scheme_id=assessment.scheme_id).exclude(scheme=None)
    return list(
        Scheme.objects.filter(pk__in=used.values("scheme_id")).order_by("role", "-year", "-version")
    )


def visible_results(assessment: Assessment, user: Officer) -> QuerySet[Result]:
    results = assessment.results.filter(whole=False).select_related("officer", "unit")
    results = results.order_by(RANK_ORDER, "id")
    ids = visible_unit_ids(user)
    return results if ids is None else results.filter(unit_id__in=ids)


def result_for(user: Officer, result_id: int) -> Result:
    """One result the user may see (another unit's is not found)."""
    try:
        result = Result.objects.select_related("assessment", "officer", "unit").get(pk=result_id)
    except Result.DoesNotExist:
        raise Http404 from None
    ids = visible_unit_ids(user)
    if ids is not None and result.unit_id not in ids:
        raise Http404
    return result


@dataclass(frozen=True)
class Line:
    """One indicator of a result, as the page shows it."""

    item: ResultItem
    indicator: catalogue.Indicator | None
    points: Decimal | None  # weight × score, the share of the total before the division

    @property
    def label(self) -> str:
        return str(self.indicator.label) if self.indicator else self.item.indicator

    @property
    def unit(self) -> str:
        return self.indicator.unit if self.indicator else ""


def lines(result: Result) -> list[Line]:
    known = catalogue.load()
    out = []
    for item in result.items.all():
        points = None if item.score is None else catalogue.rounded(item.weight * item.score)
        out.append(Line(item, known.get(item.indicator), points))
    return out


def trend(result: Result, count: int = 6) -> list[Result]:
    """The subject's results in the latest assessment of each of the ``count`` periods of the
    same kind up to this one, oldest first."""
    assessment = result.assessment
    earlier = Result.objects.filter(
        assessment__subject_kind=assessment.subject_kind,
        assessment__period_kind=assessment.period_kind,
        assessment__start__lte=assessment.start,
    ).select_related("assessment")
    if result.officer_id is not None:
        earlier = earlier.filter(officer_id=result.officer_id)
    else:
        earlier = earlier.filter(unit_id=result.unit_id, officer__isnull=True, whole=result.whole)
    by_period: dict[str, Result] = {}
    for row in earlier.order_by("-assessment__start", "-assessment__computed_at", "-id"):
        by_period.setdefault(row.assessment.period, row)
        if len(by_period) >= count:
            break
    return sorted(by_period.values(), key=lambda r: r.assessment.start)


def subject_name(result: Result) -> str:
    return str(result.officer) if result.officer is not None else result.unit.name
