"""The risk model's figure of a grid (ADR 0012): the mean stored score of its scored entities,
in the grid API and the grid tables, and as a colouring of the grid map."""

from __future__ import annotations

import datetime as dt

from tests.conftest import County, client_for
from tests.registry.factories import make_entity
from xiaoneng.registry.risk_scores import set_risk_scores


def grid_properties(county: County) -> dict[str, dict[str, object]]:
    collection = client_for(county.leader).get("/api/v1/grids").json()
    return {f["id"]: f["properties"] for f in collection["features"]}


def test_a_grids_risk_is_the_mean_score_of_its_scored_entities(county: County) -> None:
    east = [make_entity(longitude=county.east_point()[0], latitude=county.east_point()[1])
            for _ in range(3)]  # fmt: skip
    assert "risk" not in grid_properties(county)["G-E"]  # nothing scored yet: no column
    # two of the three east entities scored; none of the west grid's
    set_risk_scores(scores={east[0].pk: 0.1, east[1].pk: 0.25}, version=1, on=dt.date(2026, 11, 2))
    grids = grid_properties(county)
    assert grids["G-E"]["risk"] == 0.175
    assert grids["G-W"]["risk"] is None  # no data, never 0
    html = client_for(county.leader).get("/map/").content.decode()
    assert 'value="risk" data-header="平均违法风险" data-scale="rate">按平均违法风险着色' in html
    # the unit page's grid table shows it as a percentage, and "—" where there is none
    page = client_for(county.leader).get("/units/S-E/").content.decode()
    assert '<th class="text-end">平均违法风险</th>' in page
    assert '<td class="text-end">17.5%</td>' in page
    west = client_for(county.leader).get("/units/S-W/").content.decode()
    assert '<td class="text-end">—</td>' in west
