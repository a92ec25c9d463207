"""The cockpit (效能驾驶舱): the leader's home, a station's and an officer's month, on made-up
indicators."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal as D

import pytest

from tests.conftest import County, client_for
from tests.oversight.leader.conftest import flag, inspection_of
from tests.oversight.leader.helpers import TODAY
from tests.registry.factories import make_entity
from tests.reports.assessment.fake import STATION_VALUES, VALUES
from tests.reports.helpers import rectification
from xiaoneng.reports.assessment import cockpit, services
from xiaoneng.reports.assessment.models import Result
from xiaoneng.reports.assessment.periods import parse_period
from xiaoneng.reports.assessment.services import Item

pytestmark = pytest.mark.usefixtures("fake_catalogue")


def assessed(county: County, *months: str) -> None:
    for kind in ("officer", "station"):
        services.save_scheme(
            kind=kind,
            year=2026,
            name="方案",
            items=[Item("rate", D("0.6"), D(100), D(50)), Item("warnings", D("0.4"), D(0), D(10))],
            actor=None,
        )
    for k, month in enumerate(months):
        VALUES["rate"].update({county.east_officer.pk: D(80 + k), county.west_officer.pk: D(100)})
        VALUES["warnings"].update({county.east_officer.pk: D(0), county.west_officer.pk: D(5)})
        STATION_VALUES["rate"].update({county.east.pk: D(75), county.west.pk: D(100)})
        STATION_VALUES["rate"][county.bureau.pk] = D(90)
        STATION_VALUES["warnings"].update({county.east.pk: D(2), county.west.pk: D(10)})
        for kind in ("officer", "station"):
            services.compute(kind=kind, period=parse_period(month), actor=None)


def test_the_leaders_home_is_the_bureaus_cockpit(county: County) -> None:
    assessed(county, "2026-10", "2026-11")
    client = client_for(county.leader)
    home = client.get("/")
    assert home.status_code == 302 and home["Location"] == "/assessment/cockpit/"
    assert client.get("/?overview=1").status_code == 200
    page = client.get("/assessment/cockpit/").content.decode()
    assert "2026-11 效能考核" in page
    found = cockpit.cockpit(county.leader)
    # the bureau's own row: rate 90 → 80 × 0.6, warnings no data → 80 over the weight 0.6
    assert (found.focus_name, found.focus.total) == ("示范县市场监督管理局", D("80.00"))
    assert [c.label for c in found.cards] == ["完成率", "预警"]
    assert found.cards[0].url == f"/assessment/results/{found.focus.pk}/rate/"
    assert found.trend["months"] == ["2026-10", "2026-11"]
    assert [s["name"] for s in found.trend["series"]] == ["城东所", "城西所"]
    # the total or any indicator's value over the months, each point leading to its records
    assert [m["code"] for m in found.trend["measures"]] == ["total", "rate", "warnings"]
    east = found.trend["series"][0]
    assert east["values"]["rate"] == [75.0, 75.0]
    assert east["values"]["warnings"] == [2.0, 2.0]
    november = Result.objects.get(
        assessment__period="2026-11", assessment__subject_kind="station", unit=county.east
    )
    assert east["values"]["total"][1] == float(november.total)
    assert east["links"]["total"][1] == f"/assessment/results/{november.pk}/"
    assert east["links"]["rate"][1] == f"/assessment/results/{november.pk}/rate/"
    assert found.grid["rows"] == ["城东所", "城西所"]  # the bureau row is not a station
    assert found.grid["cells"][0]["value"] == [0, 0, 50.0]  # east's rate 75 → 50
    data = json.loads(page.split('id="grid-chart" class="chart-box chart-box-tall" data-chart="')[1]
                      .split('"')[0].replace("&quot;", '"'))  # fmt: skip
    assert data["indicators"] == ["完成率", "预警"]


def test_a_station_sees_itself_and_its_officers_and_an_officer_their_month(county: County) -> None:
    assessed(county, "2026-11")
    station = cockpit.cockpit(county.east_director)
    assert station.focus_name == "城东所" and station.focus.unit == county.east
    assert [name for _r, name in station.others] == [
        str(county.east_officer),
        str(county.east_director),
    ]
    assert not station.grid
    mine = cockpit.cockpit(county.east_officer)
    assert mine.focus.officer == county.east_officer
    assert [s["name"] for s in mine.trend["series"]] == [str(county.east_officer)]
    page = client_for(county.west_officer).get("/assessment/cockpit/").content.decode()
    assert str(county.east_officer) not in page


def test_nothing_computed_yet_and_a_bad_month(county: County) -> None:
    page = client_for(county.east_officer).get("/assessment/cockpit/").content.decode()
    assert "尚无已计算的月度效能考核。" in page and "每月初自动计算上月结果" in page
    bad = client_for(county.leader).get("/assessment/cockpit/?month=2026Q4")
    assert bad.status_code == 400 and "月份应为 YYYY-MM：2026Q4" in bad.content.decode()


def test_the_cockpit_shows_the_months_efficiency(county: County) -> None:
    assessed(county, "2026-11")
    found = cockpit.cockpit(county.leader)
    (efficiency,) = found.extras
    # no ledger entry in November: no data, never 0
    assert (efficiency.label, efficiency.value) == ("执法效能（每工时检查户次）", None)
    assert efficiency.url == "/ledger/efficiency/?from=2026-11-01&to=2026-11-30"
    assert cockpit.cockpit(county.east_officer).extras == []  # "my month" is the officer's own


def long_overdue(county: County) -> None:
    """One entity of each grid, registered long ago and never inspected: overdue for patrol."""
    for point in (county.east_point(), county.west_point()):
        make_entity(longitude=point[0], latitude=point[1], registered_on=dt.date(2020, 1, 1))


def test_todays_cards_count_what_their_lists_show_in_the_users_scope(county: County) -> None:
    long_overdue(county)
    east, west = inspection_of(county, county.east), inspection_of(county, county.west)
    rectification(east, deadline=TODAY - dt.timedelta(days=14))  # overdue
    rectification(east, deadline=TODAY + dt.timedelta(days=3))  # in time
    rectification(west, deadline=TODAY - dt.timedelta(days=1))  # overdue
    flag(east, "far")
    flag(west, "far", status="cleared")
    cards = cockpit.today_cards(county.leader, TODAY)
    assert [(c.label, c.value, c.unit) for c in cards] == [
        ("逾期未查", D(2), "户"),
        ("责令整改已逾期", D(2), "份"),
        ("痕迹疑点待核实", D(1), "条"),
        ("案件超过办案时限", D(0), "件"),
        ("科室督办逾期未办结", D(0), "件"),
    ]
    assert cards[0].url == "/plans/due/?overdue=1"
    assert cards[0].detail == "已过应查日期仍未检查的主体（辖区全部）"
    assert cards[1].detail == "城东所 1、城西所 1"
    station = cockpit.today_cards(county.east_director, TODAY)
    assert [c.value for c in station] == [D(1), D(1), D(1), D(0), D(0)]
    assert station[0].url == "/plans/due/?station=S-E&overdue=1"
    # a grid officer: their own grids' overdue entities, and no 督查总览 counts
    (mine,) = cockpit.today_cards(county.east_officer, TODAY)
    assert (mine.value, mine.url) == (
        D(1),
        f"/plans/due/?officer={county.east_officer.username}&overdue=1",
    )


def test_the_page_loads_todays_cards_and_shows_the_grid_map(county: County) -> None:
    assessed(county, "2026-11")
    long_overdue(county)
    client = client_for(county.east_director)
    page = client.get("/assessment/cockpit/").content.decode()
    assert 'data-url="/assessment/cockpit/today/"' in page
    # the map starts coloured by the grids' scores, and offers the overdue share and others
    assert 'data-map="full"' in page
    assert '<option value="score" data-header="责任人考核得分" data-scale="score" selected>' in page
    assert 'value="overdue" data-header="逾期未查" data-scale="count">按逾期未查占比着色' in page
    fragment = client.get("/assessment/cockpit/today/").content.decode()
    assert 'href="/plans/due/?station=S-E&amp;overdue=1"' in fragment
    assert "逾期未查" in fragment and "<html" not in fragment
    # every card's link opens for the user who sees it
    for card in cockpit.today_cards(county.east_director):
        assert client.get(card.url).status_code == 200, card.url
