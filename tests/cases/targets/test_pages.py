"""Target pages and API: completion per unit and metric, and setting targets (MANAGE_TARGETS)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from django.urls import reverse

from tests.cases.factories import make_case, make_collection, make_target
from tests.conftest import County, client_for
from tests.org.factories import UnitFactory
from xiaoneng.cases.models import Case, Target

D = dt.date


def post(client: Any, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, json.dumps(body), content_type="application/json")


def seed(county: County) -> None:
    make_target(county.bureau, "fines_collected", "1205000")
    case = make_case(unit=county.east, status=Case.Status.DECIDED, fine="1542200")
    for amount, day in (("600000", 5), ("542200", 6), ("400000", 7)):
        make_collection(case, amount, collected_on=D(2026, 5, day))


def test_the_targets_page_shows_target_achieved_rate_and_bar(county: County) -> None:
    seed(county)
    page = client_for(county.leader).get(reverse("cases:target_list") + "?year=2026")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="targets-B"' in html
    assert "120.50万元" in html and "154.22万元" in html and "128.0%" in html
    assert "罚没款入库154.22万元，完成全年目标的128.0%" in html
    assert reverse("cases:target_set") in html  # the leader may change it


def test_a_station_reads_its_bureaus_targets_but_not_another_bureaus(county: County) -> None:
    seed(county)
    other = UnitFactory(code="B2", name="另一局", kind="bureau")
    make_target(other, "cases", 10)
    html = client_for(county.east_officer).get(reverse("cases:target_list")).content.decode()
    assert 'data-testid="targets-B"' in html and 'data-testid="targets-B2"' not in html
    assert reverse("cases:target_set") not in html


def test_the_leader_sets_a_target_through_the_form(county: County) -> None:
    client = client_for(county.leader)
    url = reverse("cases:target_set")
    assert client.get(url).status_code == 200
    done = client.post(
        url, {"unit": "S-E", "year": "2026", "metric": "cases", "value": "30", "note": "上级下达"}
    )
    assert done.status_code == 302
    assert Target.objects.get().value == Decimal("30.00")
    bad = client.post(url, {"unit": "S-E", "year": "2026", "metric": "cases", "value": "-1"})
    assert bad.status_code == 200 and "目标值不能为负数：-1" in bad.content.decode()


def test_a_grid_officer_cannot_reach_the_target_form(county: County) -> None:
    client = client_for(county.east_officer)
    url = reverse("cases:target_set")
    assert client.get(url).status_code == 403
    assert (
        client.post(
            url, {"unit": "S-E", "year": "2026", "metric": "cases", "value": "3"}
        ).status_code
        == 403
    )
    assert not Target.objects.exists()


def test_the_api_lists_targets_with_their_completion(county: County) -> None:
    seed(county)
    rows = client_for(county.leader).get("/api/v1/targets?year=2026").json()
    assert rows == [
        {
            "unit": "B",
            "name": "示范县市场监督管理局",
            "year": 2026,
            "targets": [
                {
                    "metric": "fines_collected",
                    "label": "罚没款入库（元）",
                    "target": "1205000.00",
                    "achieved": "1542200.00",
                    "rate": "128.0",
                    "elapsed": rows[0]["targets"][0]["elapsed"],
                    "sentence": "罚没款入库154.22万元，完成全年目标的128.0%",
                }
            ],
        }
    ]


def test_the_api_sets_targets_for_managers_only(county: County) -> None:
    body = {"unit": "B", "year": 2026, "metric": "fines_collected", "value": "1205000"}
    refused = post(client_for(county.east_officer), "/api/v1/targets", {**body, "unit": "S-E"})
    assert refused.status_code == 403
    assert post(client_for(county.east_officer), "/api/v1/targets", body).status_code == 404
    done = post(client_for(county.leader), "/api/v1/targets", body)
    assert done.status_code == 200 and done.json()["targets"][0]["target"] == "1205000.00"
    bad = post(client_for(county.leader), "/api/v1/targets", {**body, "value": "0"})
    assert bad.status_code == 422
    assert bad.json()["errors"] == [{"field": "value", "message": "目标值应大于 0：0"}]
