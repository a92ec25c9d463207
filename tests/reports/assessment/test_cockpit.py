"""The cockpit (效能驾驶舱): the leader's home, a station's and an officer's month, on made-up
indicators."""

from __future__ import annotations

import json
from decimal import Decimal as D

import pytest

from tests.conftest import County, client_for
from tests.reports.assessment.fake import STATION_VALUES, VALUES
from xiaoneng.reports.assessment import cockpit, services
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


def test_the_cockpit_shows_the_months_efficiency_and_open_flags(county: County) -> None:
    assessed(county, "2026-11")
    found = cockpit.cockpit(county.leader)
    efficiency, flags = found.extras
    # no ledger entry in November: no data, never 0
    assert (efficiency.label, efficiency.value) == ("执法效能（每工时检查户次）", None)
    assert efficiency.url == "/ledger/efficiency/?from=2026-11-01&to=2026-11-30"
    assert (flags.label, flags.value) == ("痕迹疑点待核实", D(0))
    assert flags.url == "/trace/?status=open"
    assert cockpit.cockpit(county.east_officer).extras == []  # "my month" is the officer's own
