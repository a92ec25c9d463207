"""The plan API: patrol plans, tasks, due dates, campaigns; bad input answers 422, writes nothing."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.utils import timezone

from tests.conftest import County, client_for
from tests.planning.patrol.test_schedule import (  # noqa: F401
    calendar_known_ahead,
    east_entity,
    expected,
)
from xiaoneng.core.models import AuditEvent
from xiaoneng.planning.patrol.models import Campaign, Plan, Task
from xiaoneng.planning.patrol.services import period_of

D = dt.date


def post(client: Any, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, json.dumps(body), content_type="application/json")


def next_month() -> str:
    return period_of(timezone.localdate().replace(day=28) + dt.timedelta(days=7))


def test_patrol_plan_dry_run_then_run_then_rerun(county: County) -> None:
    east_entity(county, registered_on=D(2018, 1, 1))
    client = client_for(county.east_director)
    body = {"period": next_month(), "unit": "S-E", "capacity": 4}
    dry = post(client, "/api/v1/plans/patrol", {**body, "dry_run": True})
    assert dry.status_code == 200 and dry.json()["created"] == 1 and dry.json()["plan_id"] is None
    assert not Plan.objects.exists()
    run = post(client, "/api/v1/plans/patrol", body)
    assert run.status_code == 201
    report = run.json()
    assert (report["created"], report["overflow_total"], report["capacity"]) == (1, 0, 4)
    again = post(client, "/api/v1/plans/patrol", body).json()
    assert (again["plan_id"], again["created"], again["kept"]) == (report["plan_id"], 0, 1)
    detail = client.get(f"/api/v1/plans/{report['plan_id']}").json()
    assert detail["tasks_by_status"]["planned"] == 1 and detail["unit"] == "S-E"
    tasks = client.get(f"/api/v1/tasks?plan={report['plan_id']}").json()
    assert tasks["count"] == 1
    task = tasks["items"][0]
    assert task["officer"] == "east_officer" and task["grid"] == "G-E"
    assert task["post"] == "城东所责任区干部（G-E 网格责任人）"


@pytest.mark.parametrize(
    ("body", "status", "detail"),
    [
        ({"period": "2026-13"}, 422, "period: 期间的年份或月份超出范围：2026-13"),
        ({"period": "26-12"}, 422, "period: 期间应为 YYYY-MM 格式的年月（如 2026-12）：26-12"),
        ({"period": "2026/12"}, 422, "period: 期间应为 YYYY-MM 格式的年月（如 2026-12）：2026/12"),
        ({"unit": "NOPE"}, 422, "unit: 未知的单位代码：NOPE"),
        ({"capacity": 0}, 422, "capacity: 每人每日上限应为 1 至 50 之间的整数：0"),
        ({"capacity": -1}, 422, "capacity: 每人每日上限应为 1 至 50 之间的整数：-1"),
        ({"unit": "S-W"}, 403, "该记录不属于您所在单位的辖区。"),
    ],
)
def test_patrol_plan_bad_input_answers_with_the_message_and_writes_nothing(
    county: County, body: dict[str, Any], status: int, detail: str
) -> None:
    east_entity(county, registered_on=D(2018, 1, 1))
    events = AuditEvent.objects.count()
    values = {"period": next_month(), "unit": "S-E"} | body
    response = post(client_for(county.east_director), "/api/v1/plans/patrol", values)
    assert response.status_code == status
    assert response.json()["detail"] == expected(detail)
    assert not Plan.objects.exists() and AuditEvent.objects.count() == events


def test_patrol_plan_without_a_period_is_a_validation_error(county: County) -> None:
    response = post(client_for(county.east_director), "/api/v1/plans/patrol", {"unit": "S-E"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "period"


def test_a_grid_officer_may_not_plan(county: County) -> None:
    response = post(client_for(county.east_officer), "/api/v1/plans/patrol", {"period": "2026-12"})
    assert response.status_code == 403


@pytest.fixture
def task(county: County) -> Task:
    east_entity(county, registered_on=D(2018, 1, 1))
    response = post(
        client_for(county.east_director),
        "/api/v1/plans/patrol",
        {"period": next_month(), "unit": "S-E"},
    )
    return Task.objects.get(plan_id=response.json()["plan_id"])


def test_complete_records_the_result(county: County, task: Task) -> None:
    Plan.objects.filter(pk=task.plan_id).update(period=period_of(timezone.localdate()))
    body = {
        "done_on": timezone.localdate().isoformat(),
        "note": "发现过期食品 3 件，当场下架",
        "violation_found": True,
        "notices_issued": 1,
        "items_confiscated": "过期食品",
        "items_confiscated_quantity": 3,
        "items_confiscated_measure": "千克",
    }
    response = post(client_for(county.east_officer), f"/api/v1/tasks/{task.pk}/complete", body)
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "done" and response.json()["done_by"] == "east_officer"
    assert response.json()["items_confiscated_measure"] == "千克"
    again = post(client_for(county.east_officer), f"/api/v1/tasks/{task.pk}/complete", body)
    assert again.status_code == 409
    assert again.json()["detail"] == "任务状态为“已完成”，不能改为“已完成”"


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"note": "x"}, "done_on: 请填写检查日期（YYYY-MM-DD）"),
        ({"done_on": "2099-01-01", "note": "x"}, "done_on: 检查日期不能晚于今天：2099-01-01"),
        ({"done_on": "2000-01-01", "note": "x"}, "done_on: 检查日期不能早于计划期间"),
        ({"note": " "}, "note: 请填写检查情况"),
        ({"note": "x", "notices_issued": 100}, "notices_issued: 通知书份数应在 0 至 99 之间：100"),
        ({"note": "x", "notices_issued": 1}, "notices_issued: 发出通知书时应勾选“发现违法行为”"),
        ({"note": "x", "items_confiscated_quantity": 5}, "items_confiscated: 请填写收缴物品名称"),
        (
            {"note": "x", "items_confiscated": "过期食品", "items_confiscated_quantity": 5},
            "items_confiscated_measure: 请填写收缴数量的计量单位",
        ),
    ],
)
def test_complete_refuses_bad_results_and_writes_nothing(
    county: County, task: Task, body: dict[str, Any], detail: str
) -> None:
    Plan.objects.filter(pk=task.plan_id).update(period=period_of(timezone.localdate()))
    values = {"done_on": timezone.localdate().isoformat()} | body
    if "done_on" not in body and detail.startswith("done_on"):
        values.pop("done_on")
    events = AuditEvent.objects.count()
    response = post(client_for(county.east_officer), f"/api/v1/tasks/{task.pk}/complete", values)
    assert response.status_code == 422
    assert response.json()["detail"].startswith(detail)
    task.refresh_from_db()
    assert task.status == Task.Status.PLANNED and AuditEvent.objects.count() == events


def test_complete_by_someone_else_is_refused(county: County, task: Task) -> None:
    body = {"done_on": timezone.localdate().isoformat(), "note": "x"}
    refused = post(client_for(county.leader), f"/api/v1/tasks/{task.pk}/complete", body)
    assert refused.status_code == 403
    hidden = post(client_for(county.west_director), f"/api/v1/tasks/{task.pk}/complete", body)
    assert hidden.status_code == 404


def test_cancel_needs_a_reason(county: County, task: Task) -> None:
    client = client_for(county.east_director)
    refused = post(client, f"/api/v1/tasks/{task.pk}/cancel", {"reason": ""})
    assert refused.status_code == 422 and refused.json()["detail"] == "reason: 请填写取消理由"
    done = post(client, f"/api/v1/tasks/{task.pk}/cancel", {"reason": "已停业"})
    assert done.status_code == 200 and done.json()["status"] == "cancelled"
    assert (
        post(
            client_for(county.east_officer), f"/api/v1/tasks/{task.pk}/cancel", {"reason": "x"}
        ).status_code
        == 403
    )


def test_due_list_is_most_overdue_first(county: County) -> None:
    newer = east_entity(county, registered_on=D(2019, 1, 1))
    older = east_entity(county, registered_on=D(2018, 1, 1))
    east_entity(county, registered_on=timezone.localdate())  # not due
    response = client_for(county.east_officer).get("/api/v1/due?officer=east_officer")
    body = response.json()
    assert [i["uscc"] for i in body["items"]] == [older.uscc, newer.uscc]
    assert body["items"][0]["due_on"] == "2019-07-03" and body["items"][0]["overdue_days"] > 0
    everything = client_for(county.east_officer).get("/api/v1/due?grid=G-E&overdue_only=false")
    assert everything.json()["count"] == 3


def campaign_body(county: County, **changes: Any) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "title": "校园周边食品安全专项整治",
        "theme": "area",
        "checkpoints": "食品经营许可、进货查验、从业人员健康证明",
        "start_on": today.isoformat(),
        "end_on": (today + dt.timedelta(days=20)).isoformat(),
        "filters": {"industry": "H62", "grid": "G-E"},
    } | changes


def test_campaign_create_and_statistics(county: County) -> None:
    east_entity(county)
    client = client_for(county.division_staff)
    response = post(client, "/api/v1/campaigns", campaign_body(county))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["statistics"]["tasks"] == 1 and body["statistics"]["checked"] == 0
    assert body["unit"] == "D1" and body["status"] == "进行中"
    listed = client.get("/api/v1/campaigns").json()
    assert [c["title"] for c in listed["items"]] == ["校园周边食品安全专项整治"]


@pytest.mark.parametrize(
    ("changes", "status", "detail"),
    [
        ({"title": ""}, 422, "title: 请填写名称"),
        ({"theme": "ads"}, 422, "theme: 整治方向应为 industry、area、theme 或 list：ads"),
        ({"end_on": "2000-01-01"}, 422, "end_on: 结束日期不能早于开始日期"),
        ({"filters": {"industry": "H62", "colour": "red"}}, 422, "colour: 未知的筛选条件：colour"),
        (
            {"filters": None, "usccs": ["91654002MA0000000X"]},
            422,
            "usccs: 统一社会信用代码无效：91654002MA0000000X",
        ),
        ({"usccs": ["x"]}, 422, "population: 请设定筛选条件或上传名单（二选一）"),
        ({"capacity": 0}, 422, "capacity: 每人每日上限应为 1 至 50 之间的整数：0"),
        ({"unit": "S-NONE"}, 422, "unit: 未知的单位代码：S-NONE"),
    ],
)
def test_campaign_bad_input_answers_with_the_message_and_writes_nothing(
    county: County, changes: dict[str, Any], status: int, detail: str
) -> None:
    east_entity(county)
    events = AuditEvent.objects.count()
    response = post(
        client_for(county.division_staff), "/api/v1/campaigns", campaign_body(county, **changes)
    )
    assert response.status_code == status
    assert response.json()["detail"] == detail
    assert not Campaign.objects.exists() and AuditEvent.objects.count() == events


def test_duplicate_campaign_answers_409(county: County) -> None:
    east_entity(county)
    client = client_for(county.division_staff)
    assert post(client, "/api/v1/campaigns", campaign_body(county)).status_code == 201
    again = post(client, "/api/v1/campaigns", campaign_body(county))
    assert again.status_code == 409 and Campaign.objects.count() == 1
