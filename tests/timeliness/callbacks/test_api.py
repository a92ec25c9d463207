"""/api/v1/callbacks and /api/v1/callback-problems: lists and detail in scope, the answer with
its bad input answered 422 naming the question (nothing written), problems rectified and fed
back, and the satisfaction figures."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.conftest import client_for
from tests.org.factories import OfficerFactory
from tests.timeliness.callbacks.factories import drawn_round, pending
from xiaoneng.timeliness.callbacks.models import Callback, CallbackProblem

pytestmark = pytest.mark.django_db
CALLED = "2026-05-06"


def _post(client, path: str, body: dict[str, Any]):
    return client.post(path, body, content_type="application/json")


def _answer(client, callback, **values):
    body = {"channel": "phone", "called_on": CALLED, "answers": {"overall": "satisfied"}}
    return _post(client, f"/api/v1/callbacks/{callback.pk}/answer", body | values)


def test_list_and_detail_in_scope(county):
    drawn = drawn_round(county, n=2)
    client = client_for(county.east_director)
    answer = client.get("/api/v1/callbacks", {"status": "pending", "month": "2026-04"}).json()
    assert answer["count"] == 2 and answer["items"][0]["unit"] == "S-E"
    one = drawn.callbacks.first()
    item = client.get(f"/api/v1/callbacks/{one.pk}").json()
    assert item["party"] == "张三" and item["officer"] == "east_officer" and item["problems"] == []
    west = client_for(county.west_director)
    assert west.get(f"/api/v1/callbacks/{one.pk}").status_code == 404
    assert west.get("/api/v1/callbacks").json()["count"] == 0
    assert client.get("/api/v1/callbacks", {"status": "bogus"}).status_code == 422
    assert client.get("/api/v1/callbacks", {"month": "2026-4"}).status_code == 422


@pytest.mark.parametrize(
    ("answers", "field", "message"),
    [
        ({"overall": "ok"}, "overall", "“总体评价”的回答应为满意、基本满意或不满意：“ok”"),
        (
            {"overall": "satisfied", "integrity": 5},
            "integrity",
            "“廉洁自律”的回答应为满意、基本满意或不满意：“5”",
        ),
        ({}, "overall", "请填写“总体评价”（满意、基本满意或不满意）"),
        ({"overall": "satisfied", "x": "satisfied"}, "x", "未知的回访问题：“x”"),
    ],
)
def test_a_bad_answer_is_422_naming_the_question(county, answers, field, message):
    callback = pending(county)
    response = _answer(client_for(county.east_director), callback, answers=answers)
    assert response.status_code == 422
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert errors[field] == message
    assert Callback.objects.get().status == "pending"


def test_missing_or_malformed_body_is_refused(county):
    callback = pending(county)
    client = client_for(county.east_director)
    assert _post(client, f"/api/v1/callbacks/{callback.pk}/answer", {}).status_code == 422
    assert _answer(client, callback, called_on="2026-02-30").status_code == 422
    response = _answer(client, callback, called_on=None)
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == "请填写回访日期（YYYY-MM-DD）"
    assert Callback.objects.get().status == "pending"


def test_a_grid_officer_is_refused_403_the_supervision_staff_answer(county):
    callback = pending(county)
    colleague = client_for(OfficerFactory(username="east_colleague", unit=county.east))
    response = _answer(colleague, callback)
    assert response.status_code == 403
    assert "只有回访管理人员" in response.json()["detail"]
    callback.refresh_from_db()
    assert (callback.status, callback.called_on, callback.caller) == ("pending", None, None)
    assert _answer(client_for(county.east_officer), callback).status_code == 403  # their own work
    response = _answer(client_for(county.division_staff), callback)
    assert response.status_code == 200
    callback.refresh_from_db()
    assert (callback.status, callback.caller) == ("done", county.division_staff)


def test_answer_with_a_problem_then_rectify_and_feed_back(county):
    callback = pending(county)
    client = client_for(county.east_director)
    problem = {"description": "态度生硬", "owner": "nobody", "deadline": "2026-06-01"}
    bad = _answer(client, callback, answers={"overall": "unsatisfied"}, problem=problem)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "owner"
    assert not CallbackProblem.objects.exists()
    problem["owner"] = "east_officer"
    done = _answer(client, callback, answers={"overall": "unsatisfied"}, problem=problem)
    assert done.status_code == 200
    body = done.json()
    assert body["answers"]["overall"] == "unsatisfied" and len(body["problems"]) == 1
    pid = body["problems"][0]["id"]
    listed = client.get("/api/v1/callback-problems", {"status": "open"}).json()
    assert [p["id"] for p in listed["items"]] == [pid]
    early = _post(
        client, f"/api/v1/callback-problems/{pid}/feedback", {"channel": "phone", "on": CALLED}
    )
    assert early.status_code == 409
    rectified = _post(
        client,
        f"/api/v1/callback-problems/{pid}/rectify",
        {"outcome": "已整改", "on": "2026-05-10"},
    )
    assert rectified.json()["status"] == "rectified"
    fed = _post(
        client,
        f"/api/v1/callback-problems/{pid}/feedback",
        {"channel": "letter", "on": "2026-05-11"},
    )
    assert fed.json()["status"] == "fed_back" and fed.json()["fed_back_on"] == "2026-05-11"
    # a second problem through /problems
    second = _post(
        client,
        f"/api/v1/callbacks/{callback.pk}/problems",
        {"description": "办事指南不清", "owner": "east_director", "deadline": "2026-06-01"},
    )
    assert second.status_code == 201 and CallbackProblem.objects.count() == 2


def test_satisfaction(county):
    drawn = drawn_round(county, n=3)
    client = client_for(county.east_director)
    for callback, overall in zip(
        drawn.callbacks.order_by("id"), ["satisfied", "basic", "不满意"], strict=True
    ):
        extra = {"no_problem_reason": "已当场解释"} if overall == "不满意" else {}
        _answer(client, callback, answers={"overall": overall}, **extra)
    answer = client.get(
        "/api/v1/callbacks/satisfaction", {"from": "2026-05-01", "to": "2026-05-31"}
    ).json()
    assert answer["total"]["made"] == 3 and answer["total"]["satisfaction"] == "66.7"
    assert answer["by_unit"][0]["key"] == "S-E"
    assert answer["sentence"].endswith("回访满意率达66.7%。")
    bad = client.get("/api/v1/callbacks/satisfaction", {"from": "2026-06-01", "to": "2026-05-01"})
    assert bad.status_code == 422
    assert dt.date.fromisoformat(answer["start"]) == dt.date(2026, 5, 1)
