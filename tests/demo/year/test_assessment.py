"""`xiaoneng demo`: the year's assessments (效能考核) — every whole month assessed for officers
and stations, the directors scored by their own scheme, and the cockpit's figures present."""

from __future__ import annotations

import pytest

from xiaoneng.org.models import Role
from xiaoneng.reports.assessment.models import Assessment, Result

pytestmark = [pytest.mark.slow, pytest.mark.django_db, pytest.mark.usefixtures("demo_year")]


def test_every_month_is_assessed_and_directors_by_their_own_scheme() -> None:
    months = Assessment.objects.filter(period_kind="month")
    officers = set(months.filter(subject_kind="officer").values_list("period", flat=True))
    stations = set(months.filter(subject_kind="station").values_list("period", flat=True))
    assert officers == stations and len(officers) >= 11
    latest = months.filter(subject_kind="officer").order_by("-start").first()
    assert latest is not None
    results = Result.objects.filter(assessment=latest).select_related("scheme")
    directors = results.filter(officer__roles__code=Role.STATION_DIRECTOR)
    others = results.exclude(officer__roles__code=Role.STATION_DIRECTOR)
    assert directors.exists() and others.exists()
    assert {r.scheme.role for r in directors} == {Role.STATION_DIRECTOR}
    assert {r.scheme_id for r in others} == {latest.scheme_id}
    # the ranking is not empty: a good part of the officers have data on half the weight (in
    # this 2,000-entity county 37 of 91; in the 20,000 of `make run`, about two thirds)
    assert results.exclude(rank=None).count() >= results.count() // 3
