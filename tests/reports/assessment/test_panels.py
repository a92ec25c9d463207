"""The assessment's figure of a grid (ADR 0012): its responsible officer's total in the latest
month's officer assessment, in the grid API, the grid tables and the grid map."""

from __future__ import annotations

import pytest

from tests.conftest import County, client_for
from tests.reports.assessment.test_cockpit import assessed
from xiaoneng.reports.assessment.models import Result

pytestmark = pytest.mark.usefixtures("fake_catalogue")


def grid_properties(county: County) -> dict[str, dict[str, object]]:
    collection = client_for(county.leader).get("/api/v1/grids").json()
    return {f["id"]: f["properties"] for f in collection["features"]}


def test_a_grids_score_is_its_officers_total_of_the_latest_month(county: County) -> None:
    assert "score" not in grid_properties(county)["G-E"]  # nothing assessed: no column
    assessed(county, "2026-10", "2026-11")
    east = Result.objects.get(
        assessment__period="2026-11", assessment__subject_kind="officer",
        officer=county.east_officer,
    )  # fmt: skip
    grids = grid_properties(county)
    assert grids["G-E"]["score"] == float(east.total)
    assert grids["G-E"]["score"] != float(
        Result.objects.get(assessment__period="2026-10", officer=county.east_officer).total
    )
    # the officer's page: the score links to that result
    page = (
        client_for(county.east_director)
        .get(f"/officers/{county.east_officer.username}/")
        .content.decode()
    )
    assert f'<a href="/assessment/results/{east.pk}/">{east.total}</a>' in page


def test_a_grid_whose_officer_has_no_total_has_no_score(county: County) -> None:
    assessed(county, "2026-11")
    Result.objects.filter(officer=county.west_officer).update(total=None)
    county.east_grid.officer = None
    county.east_grid.save()
    grids = grid_properties(county)
    assert (grids["G-E"]["score"], grids["G-W"]["score"]) == (None, None)  # never 0
