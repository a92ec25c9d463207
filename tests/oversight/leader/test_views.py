"""The leader's view as a page and an API: each count is what its link lists, scoped to the
user; grid officers are refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import County, client_for
from tests.oversight.leader.helpers import API, URL, counts, listed
from tests.reports.helpers import collect, make_case
from xiaoneng.cases.models import Case
from xiaoneng.org.models import Unit


def test_the_overdue_count_is_what_the_case_list_shows_as_red(county: County) -> None:
    today = timezone.localdate()
    S = Case.Status

    def decided(unit: Unit, officer: Any, days_ago: int) -> Case:
        return make_case(
            unit,
            officer,
            status=S.DECIDED,
            filed_on=today - dt.timedelta(days=days_ago + 40),
            decided_on=today - dt.timedelta(days=days_ago),
            fine_decided=Decimal("5000"),
        )

    east, west = county.east, county.west
    paid = decided(east, county.east_officer, 30)
    collect(paid, "5000", today - dt.timedelta(days=20))  # in full, within 15 days
    decided(east, county.east_officer, 30)  # unpaid after 15 days
    decided(west, county.west_officer, 16)  # unpaid, one day late
    decided(west, county.west_officer, 15)  # due today
    make_case(east, county.east_officer, filed_on=today - dt.timedelta(days=100))
    make_case(east, county.east_officer, filed_on=today - dt.timedelta(days=10))
    expected = {"leader": 3, "division_staff": 3, "east_director": 2, "west_director": 1}
    for who, count in expected.items():
        user = getattr(county, who)
        response = client_for(user).get(URL)
        item = response.context["view"].item("cases_overdue")
        assert item.link == "/cases/?warning=red"
        assert item.count == count == listed(client_for(user), item.link), who


# Each card counts what its link lists --------------------------------------------------------


@pytest.mark.parametrize("who", ["leader", "division_staff", "east_director", "west_director"])
def test_every_card_counts_what_its_link_lists(live: County, who: str) -> None:
    user = getattr(live, who)
    client = client_for(user)
    response = client.get(URL)
    assert response.status_code == 200
    view = response.context["view"]
    for item in view.items:
        assert item.link is not None and f'href="{item.link}"'.replace("&", "&amp;") in (
            response.content.decode()
        ), item.key
        assert item.count == listed(client, item.link), item.key
    if who == "leader":
        assert counts(view) == {
            "rectifications_overdue": 2,
            "rectifications_warned": 1,
            "trace_open": 2,
            "supervision_overdue": 3,
            "reviews_pending": 2,
            "cases_overdue": 1,
            "findings_escalated": 2,
            "samples_open": 2,
        }


# Page and API ---------------------------------------------------------------------------------


def test_the_url_is_named_for_the_menu() -> None:
    assert reverse("oversight:leader_view") == URL


def test_the_page_shows_counts_units_and_lists(troubles: County) -> None:
    response = client_for(troubles.leader).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for label in ("责令整改已逾期", "痕迹疑点待核实", "科室督办逾期未办结", "案件超过办案时限"):
        assert label in html
    assert 'data-testid="by-unit"' in html and 'data-testid="trace-groups"' in html
    assert "城西所" in html


def test_a_directors_page_shows_nothing_of_another_station(troubles: County) -> None:
    response = client_for(troubles.west_director).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "城西所" in html
    assert "城东所" not in html


def test_the_page_refuses_a_grid_officer_and_asks_strangers_to_log_in(troubles: County) -> None:
    response = client_for(troubles.east_officer).get(URL)
    assert response.status_code == 403
    assert "督查总览仅供局领导、科室人员和所长查看。" in response.content.decode()
    assert Client().get(URL).status_code == 302


def test_api_counts_by_unit(troubles: County) -> None:
    response = client_for(troubles.leader).get(API)
    assert response.status_code == 200, response.content
    items = {i["key"]: i for i in response.json()["items"]}
    assert items["trace_open"]["count"] == 3
    assert items["trace_open"]["by_unit"] == [
        {"unit": "S-E", "unit_name": "城东所", "count": 2},
        {"unit": "S-W", "unit_name": "城西所", "count": 1},
    ]


def test_api_is_scoped_and_refuses_grid_officers(troubles: County) -> None:
    body = client_for(troubles.west_director).get(API).json()
    units = {u["unit"] for i in body["items"] for u in i["by_unit"]}
    assert units == {"S-W"}
    response = client_for(troubles.west_officer).get(API)
    assert response.status_code == 403
    assert response.json()["detail"] == "督查总览仅供局领导、科室人员和所长查看。"
