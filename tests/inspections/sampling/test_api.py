"""The spot-check API under /api/v1/sampling: plans, samples, results, follow-ups, pass rates."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from tests.conftest import County, client_for
from tests.inspections.sampling.test_pages import (  # noqa: F401 (sampling_data: a fixture)
    reported,
    sampled,
    sampling_data,
    today,
    year,
)
from tests.inspections.sampling.test_services import east_entity, written
from xiaoneng.inspections.models import Sample, SampleFollowUp, SamplingPlan
from xiaoneng.registry.models import CreditProposal

API = "/api/v1/sampling"


def post(client: Any, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, json.dumps(body, default=str), content_type="application/json")


def plan_body(**values: Any) -> dict[str, Any]:
    body = {
        "year": year(),
        "title": "化肥产品质量监督抽查",
        "category": "化肥",
        "region_code": "654002",
        "unit": "D1",
        "planned_batches": 20,
    }
    return body | values


def test_the_whole_flow_through_the_api(county: County) -> None:
    client = client_for(county.division_staff)
    firm = east_entity(county, name="城东农资经营部")
    created = post(client, f"{API}/plans", plan_body())
    assert created.status_code == 201
    plan = created.json()
    assert (plan["unit"], plan["sampled"], plan["planned_batches"]) == ("D1", 0, 20)
    sample = post(
        client,
        f"{API}/plans/{plan['id']}/samples",
        {"uscc": firm.uscc, "product": "复合肥料", "batch_number": "A1", "sampled_on": sampled()},
    )
    assert sample.status_code == 201
    body = sample.json()
    assert (body["firm_name"], body["unit"], body["result"]) == ("城东农资经营部", "S-E", "pending")
    result = post(
        client,
        f"{API}/samples/{body['id']}/result",
        {"result": "fail", "failed_items": "总养分、标识", "reported_on": reported()},
    )
    assert result.status_code == 200 and result.json()["follow_up_id"] is not None
    assert CreditProposal.objects.filter(entity=firm, trigger="sample_failed").exists()
    follow_up_id = result.json()["follow_up_id"]
    officer = client_for(county.east_officer)
    listed = officer.get(f"{API}/follow-ups?state=overdue").json()
    assert [f["id"] for f in listed["items"]] == [follow_up_id]
    assert listed["items"][0]["overdue"] is True
    deadline = today() + dt.timedelta(days=30)
    rectified = post(
        officer,
        f"{API}/follow-ups/{follow_up_id}/rectify",
        {"actions": "责令停止销售，限期整改", "deadline": deadline},
    )
    assert rectified.status_code == 200
    assert (rectified.json()["status"], rectified.json()["reinspection_due"]) == (
        "rectifying",
        str(today() + dt.timedelta(days=75)),
    )
    reinspected = post(
        officer,
        f"{API}/follow-ups/{follow_up_id}/reinspect",
        {"passed": True, "reinspected_on": today()},
    )
    assert reinspected.json()["status"] == "reinspected"
    closed = post(officer, f"{API}/follow-ups/{follow_up_id}/close", {})
    assert (closed.status_code, closed.json()["status"]) == (200, "closed")
    rates = client.get(f"{API}/rates?year={year()}&by=category").json()
    assert rates["rows"][0]["key"] == "化肥"
    assert rates["overall"]["pass_rate"] == "0.0"
    assert rates["overall"]["sentence"] == (
        f"{year()}年共抽查1家企业的1批次产品，合格0批次，合格率0.0%。"
    )
    assert rates["follow_up"]["closed"] == 1


@pytest.mark.parametrize(
    ("values", "detail", "status"),
    [
        ({"planned_batches": 0}, "planned_batches: 计划批次应为不小于 1 的整数：0", 422),
        ({"planned_batches": -1}, "planned_batches: 计划批次应为不小于 1 的整数：-1", 422),
        ({"region_code": "12345"}, "region_code: 行政区划代码应为 6 位数字：12345", 422),
        ({"unit": "S-X"}, "unit: 未知的单位代码：S-X", 422),
        ({"year": 1990}, None, 422),
    ],
)
def test_a_bad_plan_answers_with_its_message_and_writes_nothing(
    county: County, values: dict[str, Any], detail: str | None, status: int
) -> None:
    before = written()
    response = post(client_for(county.division_staff), f"{API}/plans", plan_body(**values))
    assert response.status_code == status
    if detail:
        assert response.json()["detail"] == detail
    else:
        assert response.json()["errors"][0]["field"] == "year"
    assert written() == before


def test_a_grid_officer_cannot_create_a_plan(county: County) -> None:
    response = post(client_for(county.east_officer), f"{API}/plans", plan_body(unit="S-E"))
    assert response.status_code == 403
    assert response.json()["detail"] == "您的角色无权执行此操作。"
    assert not SamplingPlan.objects.exists()


def test_sample_errors_answer_422_or_409(county: County, data: dict[str, Any]) -> None:
    client = client_for(county.division_staff)
    path = f"{API}/plans/{data['county_plan'].pk}/samples"
    future = today() + dt.timedelta(days=1)
    before = written()
    bad = post(
        client,
        path,
        {"firm_name": "某店", "product": "尿素", "batch_number": "X", "sampled_on": future},
    )
    assert bad.status_code == 422
    assert bad.json()["errors"] == [
        {"field": "sampled_on", "message": f"抽样日期不能晚于今天：{future}"}
    ]
    duplicate = post(
        client,
        path,
        {
            "firm_name": "城东农资经营部",
            "product": "复合肥料",
            "batch_number": "A1",
            "sampled_on": sampled(),
        },
    )
    assert duplicate.status_code == 409
    assert duplicate.json()["detail"] == (
        "该批次已抽样：城东农资经营部 复合肥料 批号 A1（全县化肥抽查）"
    )
    assert written() == before


def test_a_second_result_answers_409(county: County, data: dict[str, Any]) -> None:
    sample = data["east_sample"]  # failed in the fixture
    response = post(
        client_for(county.division_staff),
        f"{API}/samples/{sample.pk}/result",
        {"result": "pass", "reported_on": reported()},
    )
    assert response.status_code == 409
    assert response.json()["detail"] == "抽样批次状态为“不合格”，不能改为“合格”"


def test_a_fail_without_items_answers_422(county: County, data: dict[str, Any]) -> None:
    sample = data["west_sample"]
    before = written()
    response = post(
        client_for(county.division_staff),
        f"{API}/samples/{sample.pk}/result",
        {"result": "fail", "reported_on": reported()},
    )
    assert response.status_code == 422
    assert response.json()["detail"] == (
        "failed_items: 不合格产品请填写不合格项目（如：总养分、标识）"
    )
    assert written() == before
    assert not SampleFollowUp.objects.filter(sample=sample).exists()


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("get", "/plans/{west_plan}", None),
        (
            "post",
            "/plans/{west_plan}/samples",
            {"firm_name": "x", "product": "x", "batch_number": "x"},
        ),
        ("get", "/samples/{west_only}", None),
        ("get", "/samples/{west_sample}", None),
        ("post", "/samples/{west_sample}/result", {"result": "pass"}),
        ("get", "/follow-ups/{west_follow_up}", None),
        ("post", "/follow-ups/{west_follow_up}/rectify", {"actions": "x"}),
        ("post", "/follow-ups/{west_follow_up}/reinspect", {"passed": True}),
        ("post", "/follow-ups/{west_follow_up}/close", {"note": "x"}),
    ],
)
def test_another_stations_records_answer_404(
    county: County, data: dict[str, Any], method: str, path: str, body: dict[str, Any] | None
) -> None:
    client = client_for(county.east_director)
    url = API + path.format(**{k: v.pk for k, v in data.items()})
    before = written()
    response = client.get(url) if method == "get" else post(client, url, body or {})
    assert response.status_code == 404
    assert written() == before


def test_lists_show_only_the_users_records(county: County, data: dict[str, Any]) -> None:
    client = client_for(county.east_officer)
    plans = client.get(f"{API}/plans").json()
    assert [p["title"] for p in plans["items"]] == ["全县化肥抽查"]
    assert plans["items"][0]["sampled"] == 1  # the east batch only
    samples = client.get(f"{API}/samples").json()
    assert [s["firm_name"] for s in samples["items"]] == ["城东农资经营部"]
    follow_ups = client.get(f"{API}/follow-ups?state=all").json()
    assert [f["firm_name"] for f in follow_ups["items"]] == ["城东农资经营部"]
    rates = client.get(f"{API}/rates?year={year()}&by=unit").json()
    assert [r["key"] for r in rates["rows"]] == ["S-E"]
    division = client_for(county.division_staff).get(f"{API}/samples").json()
    assert division["count"] == Sample.objects.count() == 3


def test_rates_refuse_an_unknown_grouping(county: County) -> None:
    response = client_for(county.leader).get(f"{API}/rates?by=product")
    assert response.status_code == 422
