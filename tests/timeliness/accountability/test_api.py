"""/api/v1/accountability: the list and one action as the pages show them, and the decision with
its bad input answered 422 naming the field, nothing written."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import County, client_for
from tests.timeliness.accountability.factories import DAY, decide, make_warning
from xiaoneng.timeliness.accountability.models import AccountabilityAction

pytestmark = pytest.mark.django_db

PATH = "/api/v1/accountability"


def body(**values: Any) -> dict[str, Any]:
    return {
        "officer": "east_officer",
        "kind": "criticism",
        "facts": "红色预警逾期未处理。",
        "rule": "《行政问责办法》第五条",
        "deduction": "500.00",
        "decided_on": str(DAY),
    } | values


def test_an_officer_lists_his_own_and_reads_it(county: County) -> None:
    own = decide(county, deduction="200")
    decide(county, officer=county.east_director)
    client = client_for(county.east_officer)
    answer = client.get(PATH).json()
    assert [item["id"] for item in answer["items"]] == [own.pk]
    item = client.get(f"{PATH}/{own.pk}").json()
    assert item["officer"] == "east_officer" and item["unit"] == "S-E"
    assert item["kind_label"] == "诫勉谈话" and item["deduction"] == "200.00"


def test_a_colleagues_action_answers_404(county: County) -> None:
    other = decide(county, officer=county.east_director)
    assert client_for(county.east_officer).get(f"{PATH}/{other.pk}").status_code == 404
    assert client_for(county.west_director).get(f"{PATH}/{other.pk}").status_code == 404


def test_the_list_filters_by_kind_and_refuses_an_unknown_one(county: County) -> None:
    decide(county)
    client = client_for(county.leader)
    assert client.get(PATH, {"kind": "criticism"}).json()["count"] == 0
    assert client.get(PATH, {"kind": "admonition", "year": 2026}).json()["count"] == 1
    assert client.get(PATH, {"kind": "bogus"}).status_code == 422


def test_post_decides_an_action_from_a_warning(county: County) -> None:
    warning = make_warning(county)
    response = client_for(county.division_staff).post(
        PATH, body(warning=warning.pk), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    action = AccountabilityAction.objects.get()
    assert response.json()["id"] == action.pk and action.warning == warning


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"deduction": "-1"}, "deduction", "扣发补助不能为负数：-1"),
        ({"deduction": 1.234}, "deduction", "扣发补助最多两位小数（元）：1.234"),
        ({"kind": "fine"}, "kind", "之一：fine"),
        ({"facts": ""}, "facts", "请填写问责事实"),
        ({"decided_on": "2999-01-01"}, "decided_on", "决定日期不能晚于今天"),
        ({"officer": "west_nobody"}, "officer", "未找到该执法人员：west_nobody"),
        ({"warning": 999999}, "warning", "未找到该预警：999999"),
    ],
)
def test_bad_input_answers_422_naming_the_field(
    county: County, values: dict[str, Any], field: str, message: str
) -> None:
    response = client_for(county.division_staff).post(
        PATH, body(**values), content_type="application/json"
    )
    assert response.status_code == 422
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert message in errors[field]
    assert not AccountabilityAction.objects.exists()


def test_a_source_about_another_officer_answers_422(county: County) -> None:
    warning = make_warning(county, officer=county.east_director)
    response = client_for(county.division_staff).post(
        PATH, body(warning=warning.pk), content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "warning", "message": f"该预警不是被问责人承办的：#{warning.pk}"}
    ]


def test_a_station_director_may_not_decide(county: County) -> None:
    response = client_for(county.east_director).post(PATH, body(), content_type="application/json")
    assert response.status_code == 403
    assert not AccountabilityAction.objects.exists()
