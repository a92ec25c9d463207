"""The keyword API: /textscan/check, the rules and the versions."""

from __future__ import annotations

import pytest

from tests.conftest import County, client_for
from tests.keywords.factories import load

pytestmark = pytest.mark.django_db
CHECK = "/api/v1/textscan/check"


def post(client, body):  # type: ignore[no-untyped-def]
    return client.post(CHECK, body, content_type="application/json")


def test_check_one_text(county: County) -> None:
    load()
    client = client_for(county.east_officer)
    text = "全网最佳，药到病除"
    answer = post(client, {"text": text, "target": "ad"})
    assert answer.status_code == 200, answer.content
    data = answer.json()
    assert data["version"] == 1
    (result,) = data["results"]
    assert result["id"] is None
    assert {v["rule"] for v in result["violations"]} == {"ABS-001", "MED-001"}
    for v in result["violations"]:
        assert text[v["start"] : v["end"]] == v["match"]
    scoped = post(client, {"text": text, "target": "ad", "kind": "medical"}).json()
    assert {v["rule"] for v in scoped["results"][0]["violations"]} == {"ABS-001"}


def test_check_items_in_order(county: County) -> None:
    load()
    client = client_for(county.west_officer)
    items = [{"id": "x", "text": "干净"}, {"id": "y", "text": "无效退款", "kind": "general"}]
    data = post(client, {"items": items, "target": "listing"}).json()
    assert [r["id"] for r in data["results"]] == ["x", "y"]
    assert data["results"][0]["violations"] == []
    assert data["results"][1]["violations"][0]["category"] == "guarantee"


def fields(answer) -> list[str]:  # type: ignore[no-untyped-def]
    assert answer.status_code == 422, answer.content
    return [e["field"] for e in answer.json()["errors"]]


def test_bad_input_answers_422_naming_the_field(county: County) -> None:
    client = client_for(county.east_officer)
    unknown = post(client, {"text": "x", "target": "tv"}).json()["errors"]
    assert unknown == [{"field": "target", "message": "未知的取值，可选：ad、listing"}]
    missing = post(client, {"text": "x"}).json()["errors"]
    assert missing == [{"field": "target", "message": "必填"}]
    long = post(client, {"text": "长" * 100_001, "target": "ad"}).json()["errors"]
    assert long == [{"field": "text", "message": "不能超过 100000 个字符"}]
    assert "target" in fields(post(client, {"text": "x", "target": "tv"}))
    assert "target" in " ".join(fields(post(client, {"text": "x"})))
    assert "kind" in " ".join(fields(post(client, {"text": "x", "target": "ad", "kind": "x"})))
    assert "text" in " ".join(fields(post(client, {"text": "长" * 100_001, "target": "ad"})))
    assert fields(post(client, {"target": "ad"})) == ["text"]
    both = post(client, {"target": "ad", "text": "a", "items": []})
    assert both.json()["errors"] == [{"field": "items", "message": "text 与 items 只能提供其一"}]
    twice = [{"id": "a", "text": "x"}, {"id": "a", "text": "y"}]
    answer = post(client, {"target": "ad", "items": twice})
    assert answer.json()["errors"] == [{"field": "items", "message": "条目编号（id）重复"}]


def test_too_many_items_answer_422(county: County) -> None:
    client = client_for(county.east_officer)
    items = [{"id": str(n), "text": "x"} for n in range(1001)]
    answer = post(client, {"target": "ad", "items": items})
    assert answer.status_code == 422
    assert answer.json()["errors"] == [{"field": "items", "message": "一次最多检查1000条"}]
    items = [{"id": "1", "text": "长" * 100_001}]
    answer = post(client, {"target": "ad", "items": items})
    assert answer.json()["errors"] == [
        {"field": "items.0.text", "message": "不能超过 100000 个字符"}
    ]
    assert fields(post(client, {"target": "ad", "items": [{"text": "x"}]})) == ["items.0.id"]


def test_an_anonymous_visitor_is_refused() -> None:
    from django.test import Client

    assert (
        Client()
        .post(CHECK, {"text": "x", "target": "ad"}, content_type="application/json")
        .status_code
        == 401
    )


def test_rules_list_filters_and_one(county: County) -> None:
    load()
    client = client_for(county.east_officer)
    everything = client.get("/api/v1/keywords/rules").json()
    assert everything["count"] == 3
    assert [
        r["code"]
        for r in client.get("/api/v1/keywords/rules", {"category": "guarantee"}).json()["items"]
    ] == ["GUA-001"]
    assert [
        r["code"] for r in client.get("/api/v1/keywords/rules", {"q": "药到"}).json()["items"]
    ] == ["MED-001"]
    listing = client.get("/api/v1/keywords/rules", {"target": "listing"}).json()
    assert [r["code"] for r in listing["items"]] == ["ABS-001", "GUA-001"]
    assert client.get("/api/v1/keywords/rules", {"category": "bogus"}).status_code == 422
    one = client.get("/api/v1/keywords/rules/GUA-001").json()
    assert one["patterns"] == [{"anchors": ["有效率"], "regex": r"有效率\s*\d{2,3}%", "window": 10}]
    assert client.get("/api/v1/keywords/rules/NOPE").status_code == 404


def test_versions(county: County) -> None:
    load()
    load(reason="第二次")
    data = client_for(county.east_officer).get("/api/v1/keywords/versions").json()
    assert [v["number"] for v in data["items"]] == [2, 1]
    assert data["items"][0]["reason"] == "第二次" and data["items"][1]["rule_count"] == 3
