"""The follow-up API: lists and details scoped to the user, actions through the services, bad
input answered 422 with the field named and nothing written."""

from __future__ import annotations

import json
from typing import Any

from django.utils import timezone

from tests.conftest import County, client_for
from tests.inspections.followup import test_pages as test_followup_pages
from tests.inspections.followup.test_services import (  # noqa: F401
    calendar_known_ahead,
    east_entity,
    inspected,
)
from xiaoneng.inspections.models import ExitCheck, Rectification, UnlicensedOperator

world = test_followup_pages.world  # the same records as the pages' tests


def post(client: Any, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, json.dumps(body), content_type="application/json")


def endpoints(w: dict[str, Any]) -> list[str]:
    finding = w["order"].findings.first()
    return [
        f"/api/v1/findings/{finding.pk}",
        f"/api/v1/rectifications/{w['order'].pk}",
        f"/api/v1/exit-checks/{w['check'].pk}",
        f"/api/v1/unlicensed-operators/{w['found'].pk}",
        f"/api/v1/credit-proposals/{w['proposal'].pk}",
    ]


LISTS = [
    "/api/v1/findings?status=open",
    "/api/v1/rectifications",
    "/api/v1/exit-checks",
    "/api/v1/unlicensed-operators",
    "/api/v1/credit-proposals",
]


def test_endpoints_answer_their_units_staff(county: County, world: dict[str, Any]) -> None:
    client = client_for(county.east_director)
    for path in endpoints(world):
        assert client.get(path).status_code == 200, path
    for path in LISTS:
        assert client.get(path).json()["count"] >= 1, path
    order = client.get(f"/api/v1/rectifications/{world['order'].pk}").json()
    assert order["number"] == world["order"].number
    assert order["finding_ids"] == sorted(f.pk for f in world["order"].findings.all())
    assert order["reinspection_task_id"] == world["order"].reinspection_task_id


def test_another_stations_staff_get_404_and_empty_lists(
    county: County, world: dict[str, Any]
) -> None:
    client = client_for(county.west_director)
    for path in endpoints(world):
        assert client.get(path).status_code == 404, path
    for path in LISTS:
        assert client.get(path).json()["count"] == 0, path
    actions = [
        (f"/api/v1/rectifications/{world['order'].pk}/rectified", {"outcome": "已整改"}),
        (f"/api/v1/exit-checks/{world['check'].pk}/close", {"outcome": "已停业"}),
        (f"/api/v1/unlicensed-operators/{world['found'].pk}/guide", {"note": "引导"}),
        (f"/api/v1/unlicensed-operators/{world['found'].pk}/ceased", {"outcome": "取缔"}),
        (
            "/api/v1/rectifications",
            {
                "inspection_id": world["waiting"].pk,
                "finding_ids": [],
                "requirements": "整改",
                "working_days": 5,
            },
        ),
        (
            "/api/v1/exit-checks",
            {"uscc": world["check"].entity.uscc, "circumstances": "营业"},
        ),
    ]
    for path, body in actions:
        assert post(client, path, body).status_code == 404, path
    assert Rectification.objects.get().status == "open"
    assert ExitCheck.objects.get().status == "open"
    assert UnlicensedOperator.objects.get().status == "found"


def test_order_issued_through_the_api(county: County, world: dict[str, Any]) -> None:
    inspection = world["waiting"]
    ids = sorted(f.pk for f in inspection.findings.all())
    body = {"inspection_id": inspection.pk, "finding_ids": ids, "requirements": "下架过期商品"}
    client = client_for(county.east_officer)
    created = post(client, "/api/v1/rectifications", {**body, "working_days": 5})
    assert created.status_code == 201
    data = created.json()
    assert data["working_days"] == 5 and data["finding_ids"] == ids and data["status"] == "open"
    done = post(client, f"/api/v1/rectifications/{data['id']}/rectified", {"outcome": "已整改"})
    assert done.status_code == 200 and done.json()["status"] == "rectified"


def test_bad_order_answers_422_and_writes_nothing(county: County, world: dict[str, Any]) -> None:
    inspection = world["waiting"]
    ids = [f.pk for f in inspection.findings.all()]
    client = client_for(county.east_officer)
    body = {"inspection_id": inspection.pk, "finding_ids": ids, "requirements": "整改"}
    both = post(
        client,
        "/api/v1/rectifications",
        {**body, "working_days": 5, "deadline": "2026-12-31"},
    )
    assert both.status_code == 422
    assert both.json()["errors"] == [
        {"field": "working_days", "message": "整改期限请填写工作日数或截止日期，二者只填一项"}
    ]
    past = post(client, "/api/v1/rectifications", {**body, "deadline": "2026-01-05"})
    assert past.json()["errors"] == [
        {"field": "deadline", "message": "整改期限应晚于今天：2026-01-05"}
    ]
    stranger = world["order"].findings.first().pk
    wrong = post(
        client, "/api/v1/rectifications", {**body, "finding_ids": [stranger], "working_days": 5}
    )
    assert wrong.json()["errors"] == [
        {"field": "findings", "message": f"检查发现 #{stranger} 不属于该检查记录"}
    ]
    assert Rectification.objects.count() == 1


def test_exit_check_and_unlicensed_operator_through_the_api(county: County) -> None:
    client = client_for(county.east_officer)
    today = timezone.localdate().isoformat()
    entity = east_entity(county, status="deregistered")
    created = post(
        client,
        "/api/v1/exit-checks",
        {"uscc": entity.uscc, "circumstances": "仍在营业", "found_on": today},
    )
    assert created.status_code == 201 and created.json()["entity_status"] == "deregistered"
    closed = post(client, f"/api/v1/exit-checks/{created.json()['id']}/close", {"outcome": "停业"})
    assert closed.json()["status"] == "ceased"
    outside = post(
        client,
        "/api/v1/unlicensed-operators",
        {
            "name": "无照摊",
            "address": "夜市",
            "business": "烧烤",
            "found_on": today,
            "longitude": 2.35,
            "latitude": 48.85,
        },
    )
    assert outside.status_code == 422
    assert outside.json()["errors"] == [
        {"field": "longitude", "message": "坐标 (2.35, 48.85) 不在中国境内"}
    ]
    lon, lat = county.east_point()
    record = post(
        client,
        "/api/v1/unlicensed-operators",
        {
            "name": "无照摊",
            "address": "夜市",
            "business": "烧烤",
            "found_on": today,
            "longitude": lon,
            "latitude": lat,
        },
    ).json()
    assert record["unit"] == "S-E" and record["status"] == "found"
    path = f"/api/v1/unlicensed-operators/{record['id']}"
    assert post(client, f"{path}/guide", {"note": "已告知"}).json()["status"] == "guided"
    licensed = east_entity(county, name="新办照烧烤店")
    linked = post(client, f"{path}/licensed", {"uscc": licensed.uscc}).json()
    assert (linked["status"], linked["uscc"]) == ("licensed", licensed.uscc)
