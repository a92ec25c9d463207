"""``POST /api/v1/inspections/sync``: a batch of offline inspections, an outcome per item."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import pytest

from tests.conftest import County, client_for
from tests.inspections.records.helpers import draft
from tests.inspections.records.test_sync import offline, state
from xiaoneng.inspections.models import Inspection, SyncReceipt

URL = "/api/v1/inspections/sync"

pytestmark = pytest.mark.usefixtures("media")


def jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    return value


def post(client: Any, body: Any) -> Any:
    return client.post(URL, json.dumps(jsonable(body)), content_type="application/json")


def test_a_batch_answers_each_items_outcome_in_order(county: County) -> None:
    good, signed_elsewhere = draft(county), draft(county)
    tampered = offline(good, photos=1)
    tampered["photos"][0]["data"] = offline(good, photos=1)["photos"][0]["data"][:-8] + "AAAAAAA="
    client = client_for(county.east_officer)
    item = offline(good, photos=2, sign=True)
    response = post(client, {"items": [item, tampered]})
    assert response.status_code == 200, response.content
    body = response.json()
    assert [a["outcome"] for a in body["items"]] == ["applied", "refused"]
    assert [a["client_id"] for a in body["items"]] == [item["client_id"], tampered["client_id"]]
    applied = body["items"][0]
    assert (applied["inspection_id"], applied["status"]) == (good.pk, "signed")
    assert len(applied["photos"]) == 2 and applied["late_sync"] is False
    assert body["items"][1]["errors"][0]["field"] in ("photos.0.sha256", "photos.0.data")
    # The answer was lost: the phone sends the batch again.
    again = post(client, {"items": [item]}).json()["items"]
    assert again[0]["outcome"] == "duplicate"
    assert again[0]["inspection_id"] == good.pk
    assert SyncReceipt.objects.count() == 1
    assert signed_elsewhere.status == "draft"


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"items": "none"}, "items", "应为列表"),
        ([], "items", "必填"),
        ({"items": [{"client_id": "x", "captured_at": "2026-03-02T09:00"}]}, None, "应为 UUID：x"),
    ],
)
def test_a_malformed_batch_answers_422_and_writes_nothing(
    county: County, body: Any, field: str | None, message: str | None
) -> None:
    record = draft(county)
    before = state(record)
    response = post(client_for(county.east_officer), body)
    assert response.status_code == 422, response.content
    answer = response.json()
    assert set(answer) == {"detail", "errors"}
    if field is not None:
        assert answer["errors"][0]["field"] == field
    if message is not None:
        assert answer["errors"][0]["message"] == message
    assert state(record) == before


def test_a_duplicate_client_id_in_the_batch_answers_422_before_any_item(county: County) -> None:
    record = draft(county)
    item = offline(record)
    before = state(record)
    response = post(client_for(county.east_officer), {"items": [item, dict(item)]})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "items.1.client_id",
            "message": f"同一批次中 client_id 重复：{item['client_id']}",
        }
    ]
    assert state(record) == before


def test_more_than_fifty_items_answer_422(county: County) -> None:
    items = [{"client_id": str(uuid.uuid4())} for _ in range(51)]
    response = post(client_for(county.east_officer), {"items": items})
    assert response.status_code == 422
    assert (
        response.json()["detail"] == "items: 一次最多同步 50 条离线记录，本批有 51 条，请分批同步"
    )
    assert not Inspection.objects.exists()


def test_another_units_draft_is_refused_as_not_found(county: County) -> None:
    record = draft(county)
    before = state(record)
    response = post(client_for(county.west_officer), {"items": [offline(record)]})
    assert response.status_code == 200
    [answer] = response.json()["items"]
    assert answer["outcome"] == "refused"
    assert answer["detail"] == f"检查记录 #{record.pk} 不存在，或不在您的辖区内"
    assert state(record) == before


def test_an_anonymous_sync_answers_401(county: County) -> None:
    from django.test import Client

    response = post(Client(), {"items": []})
    assert response.status_code == 401


def test_a_body_over_the_servers_limit_answers_413(county: County, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2_000
    record = draft(county)
    before = state(record)
    response = post(client_for(county.east_officer), {"items": [offline(record, photos=3)]})
    assert response.status_code == 413
    message = "提交的内容超过上限 2.0 KB（不含上传的文件）。"
    assert response.json() == {"detail": message, "errors": [{"field": "body", "message": message}]}
    assert state(record) == before
