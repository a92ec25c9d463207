"""Staffing balance (篇5): workload in inspection-hours, imbalance, the 70 % rule, moves."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import County, client_for
from tests.org.factories import OfficerFactory
from tests.registry.factories import make_entity
from xiaoneng.core.errors import InvalidInput
from xiaoneng.org.models import Role
from xiaoneng.planning.analysis import staffing as staffings
from xiaoneng.registry.models import Entity


def place(county: County, side: str, risk_class: str, grade: str, **values: Any) -> Entity:
    point = county.east_point() if side == "east" else county.west_point()
    made = make_entity(longitude=point[0], latitude=point[1], credit_grade=grade, **values)
    Entity.objects.filter(pk=made.pk).update(risk_class=risk_class)  # as if adjusted by hand
    return made


@pytest.fixture
def workload(county: County) -> None:
    # Default policy intervals: Ⅰ-A 730, Ⅰ-D 182, Ⅲ-C 730, Ⅱ-C 365, Ⅲ-A 1825 days.
    place(county, "east", "I", "A")  # 365/730 × 2.0 = 1.0 h
    place(county, "east", "I", "D")  # 365/182 × 2.0 = 4.010989 h
    place(county, "east", "III", "C")  # 365/730 × 1.0 = 0.5 h
    place(county, "west", "II", "C")  # 365/365 × 1.5 = 1.5 h
    place(county, "west", "III", "A")  # 365/1825 × 1.0 = 0.2 h
    place(county, "west", "I", "D", status=Entity.Status.DEREGISTERED)  # not active: no work
    outside = county.outside_point()  # in no grid: the bureau's, counted apart
    made = make_entity(longitude=outside[0], latitude=outside[1], credit_grade="B")
    Entity.objects.filter(pk=made.pk).update(risk_class="III")


EAST_HOURS = 1.0 + 365 / 182 * 2.0 + 0.5
WEST_HOURS = 1.5 + 0.2


def test_workload_by_grid_and_station_matches_a_hand_computation(
    county: County, workload: None
) -> None:
    result = staffings.compute(user=county.leader, settings=staffings.Settings())
    grids = {g.grid.code: (g.entities, g.hours) for g in result.grids}
    assert grids["G-E"][0] == 3 and grids["G-E"][1] == pytest.approx(EAST_HOURS)
    assert grids["G-W"][0] == 2 and grids["G-W"][1] == pytest.approx(WEST_HOURS)
    stations = {s.station.code: s for s in result.stations}
    assert stations["S-E"].hours == pytest.approx(EAST_HOURS) and stations["S-E"].officers == 2
    assert stations["S-W"].per_officer == pytest.approx(WEST_HOURS / 2)
    assert result.outside_entities == 1 and result.outside_hours == pytest.approx(365 / 1095)
    assert result.average == pytest.approx((EAST_HOURS + WEST_HOURS) / 4)
    assert result.ratio == pytest.approx(EAST_HOURS / WEST_HOURS)
    loads = [EAST_HOURS / 2, WEST_HOURS / 2]
    mean = sum(loads) / 2
    assert result.variation == pytest.approx(abs(loads[0] - mean) / mean)
    east_grid = next(g for g in result.grids if g.grid.code == "G-E")
    assert east_grid.officer_hours == pytest.approx(EAST_HOURS)
    assert east_grid.utilisation(1200) == pytest.approx(EAST_HOURS / 1200)


def test_hours_per_inspection_are_configurable(county: County, workload: None) -> None:
    settings = staffings.read_settings({"hours_I": "3", "hours_II": "1", "hours_III": "0.5"})
    result = staffings.compute(user=county.leader, settings=settings)
    east = next(s for s in result.stations if s.station.code == "S-E")
    assert east.hours == pytest.approx(365 / 730 * 3 + 365 / 182 * 3 + 365 / 730 * 0.5)


def test_the_seventy_percent_rule_fails_then_passes(county: County) -> None:
    # admin, leader, division staff at the bureau; four at the stations: 4 / 7.
    [rule] = staffings.grassroots(county.leader)
    assert (rule.station_officers, rule.officers, rule.passed) == (4, 7, False)
    for n in range(3):
        OfficerFactory(username=f"extra{n}", unit=county.east, roles=[Role.GRID_OFFICER])
    [rule] = staffings.grassroots(county.leader)
    assert (rule.station_officers, rule.officers) == (7, 10)
    assert rule.share == pytest.approx(0.7) and rule.passed  # exactly 70 % passes
    inactive = OfficerFactory(username="retired", unit=county.bureau, roles=[Role.BUREAU_LEADER])
    inactive.is_active = False
    inactive.save()
    assert staffings.grassroots(county.leader)[0].officers == 10


def test_station_users_see_no_bureau_wide_share(county: County) -> None:
    assert staffings.grassroots(county.east_director) == []
    assert [g.bureau.code for g in staffings.grassroots(county.division_staff)] == ["B"]


# ---------------------------------------------------------------- settings


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"hours_I": "abc"}, "hours_I", "不是有效的数字：abc"),
        ({"hours_II": "0"}, "hours_II", "每次检查用时应大于 0、不超过 24 小时：0"),
        ({"hours_III": "25"}, "hours_III", "每次检查用时应大于 0、不超过 24 小时：25"),
        ({"capacity": "-5"}, "capacity", "每人年度检查工时应大于 0、不超过 8760 小时：-5"),
        ({"capacity": "nan"}, "capacity", "不是有效的数字：nan"),
        ({"tolerance": "1"}, "tolerance", "容差应大于 0、小于 1：1"),
        ({"tolerance": "0"}, "tolerance", "容差应大于 0、小于 1：0"),
    ],
)
def test_bad_settings_are_refused(
    county: County, params: dict[str, str], field: str, message: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        staffings.read_settings(params)
    assert [(e.field, e.message) for e in refused.value.errors] == [(field, message)]
    query = "&".join(f"{k}={v}" for k, v in params.items())
    api = client_for(county.leader).get(f"/api/v1/staffing?{query}")
    assert api.status_code == 422 and api.json()["errors"] == [{"field": field, "message": message}]
    page = client_for(county.leader).get(f"/staffing/?{query}")
    assert page.status_code == 400
    assert f'data-testid="error-{field}">{message}</div>' in page.content.decode()


def test_defaults_apply_when_settings_are_absent() -> None:
    assert staffings.read_settings({}) == staffings.Settings((2.0, 1.5, 1.0), 1200.0, 0.15)


# ---------------------------------------------------------------- pages, API, scope


def test_staffing_page_shows_charts_tables_and_the_share(county: County, workload: None) -> None:
    page = client_for(county.leader).get("/staffing/").content.decode()
    assert 'id="station-chart"' in page and "vendor/echarts/echarts.min.js" in page
    assert "城东所" in page and "城西所" in page and "G-E" in page and "G-W" in page
    assert 'data-testid="grassroots"' in page and "4 人 / 全局 7 人" in page and "未达到" in page
    data = page.split('id="staffing-chart-data" type="application/json">')[1].split("</script>")[0]
    chart = json.loads(data)
    assert chart["stations"] == ["城东所", "城西所"] and chart["grids"] == ["G-E", "G-W"]


@pytest.mark.parametrize("path", ["/staffing/", "/api/v1/staffing"])
def test_a_station_director_sees_only_their_station(
    county: County, workload: None, path: str
) -> None:
    response = client_for(county.west_director).get(path)
    assert response.status_code == 200
    text = (
        json.dumps(response.json(), ensure_ascii=False)
        if path.startswith("/api/")
        else response.content.decode()
    )
    assert "城西所" in text and "G-W" in text
    for secret in ("城东所", "G-E", "S-E", "east_officer"):
        assert secret not in text, f"{path} shows {secret}"


def test_staffing_api_gives_the_page_figures(county: County, workload: None) -> None:
    body = client_for(county.leader).get("/api/v1/staffing?tolerance=0.5").json()
    assert body["hours_per_inspection"] == {"I": 2.0, "II": 1.5, "III": 1.0}
    assert [(s["code"], s["officers"], s["entities"]) for s in body["stations"]] == [
        ("S-E", 2, 3),
        ("S-W", 2, 2),
    ]
    assert body["stations"][0]["hours"] == pytest.approx(EAST_HOURS)
    assert body["grassroots"] == [
        {
            "bureau": "B",
            "station_officers": 4,
            "officers": 7,
            "share": pytest.approx(4 / 7),
            "required": 0.7,
            "passed": False,
        }
    ]
    assert body["max_min_ratio"] == pytest.approx(EAST_HOURS / WEST_HOURS)
    # 7.21 h over 4 officers, ± 50 %: the east needs 3–6 (2.04–6.11), the west 1 (0.63–1.89).
    assert body["reallocation_feasible"] is True
    assert body["moves"] == [{"source": "S-W", "target": "S-E", "count": 1}]
    director = client_for(county.east_director).get("/api/v1/staffing").json()
    assert director["grassroots"] == [] and director["moves"] == []
    assert director["reallocation_feasible"] is None
