"""The case list's filters: one function for the page and the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from tests.cases.factories import make_case
from tests.conftest import County, client_for
from xiaoneng.cases.models import Case
from xiaoneng.cases.queries import filter_cases

D = dt.date
S = Case.Status


@pytest.fixture
def cases(county: County) -> dict[str, Case]:
    return {
        "A": make_case(unit=county.east, number="A", status=S.FILED, kind="food", major=True),
        "B": make_case(unit=county.east, number="B", received_on=D(2025, 6, 1)),
        "C": make_case(unit=county.west, number="C", kind="food"),
    }


def numbers(county: County, **filters: Any) -> set[str]:
    found = filter_cases(Case.objects.all(), user=county.leader, **filters)
    return set(found.values_list("number", flat=True))


def test_each_filter_narrows_and_empty_ones_do_not(county: County, cases: dict[str, Case]) -> None:
    assert numbers(county) == {"A", "B", "C"}
    assert numbers(county, status="filed") == {"A"}
    assert numbers(county, kind="food") == {"A", "C"}
    assert numbers(county, major=True) == {"A"}
    assert numbers(county, major=False) == {"B", "C"}
    assert numbers(county, year=2025) == {"B"}
    assert numbers(county, status="filed", kind="food", year=2026) == {"A"}


def test_a_unit_keeps_its_subtree_within_the_users_scope(
    county: County, cases: dict[str, Case]
) -> None:
    assert numbers(county, unit="B") == {"A", "B", "C"}  # the bureau: both stations
    assert numbers(county, unit="S-W") == {"C"}
    assert numbers(county, unit="nowhere") == set()
    own = filter_cases(Case.objects.all(), user=county.east_officer, unit="S-W")
    assert not own.exists()  # another station's code filters to nothing, not to everything


def test_a_value_no_case_can_have_matches_nothing(county: County, cases: dict[str, Case]) -> None:
    assert numbers(county, status="bogus") == set()
    assert numbers(county, year=99999) == set()


@pytest.mark.parametrize("year", ["0", "99999"])
def test_a_year_no_date_can_have_answers_the_list_not_a_server_error(
    county: County, cases: dict[str, Case], year: str
) -> None:
    """Both the page and the API used to build dt.date(year, 1, 1) and fail with a 500: the
    page lists as if no year were given, the API refuses the year by name (ADR 0015)."""
    page = client_for(county.leader).get(f"{reverse('cases:case_list')}?year={year}")
    assert page.status_code == 200
    api = client_for(county.leader).get(f"/api/v1/cases?year={year}")
    assert api.status_code == 422
    assert [error["field"] for error in api.json()["errors"]] == ["year"]
