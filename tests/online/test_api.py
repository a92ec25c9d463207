"""The online-monitoring API: batches (import), listings (search), sellers and decisions,
networks, referrals; paged, scoped, bad input answered 422 with the message."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.conftest import County, client_for
from tests.online.conftest import jsonl, listing
from xiaoneng.online.models import Batch, Listing, Referral, Seller

pytestmark = pytest.mark.django_db


def upload(client, rows_or_bytes, name="a.jsonl", **form):  # type: ignore[no-untyped-def]
    data = rows_or_bytes if isinstance(rows_or_bytes, bytes) else jsonl(rows_or_bytes)
    return client.post("/api/v1/online/batches", {"file": SimpleUploadedFile(name, data), **form})


def test_import_search_and_read(county: County) -> None:
    client = client_for(county.division_staff)
    rows = [
        listing(1, title="高仿手表", ip="8.8.8.8"),
        listing(2, title="普通手表", ip="8.8.8.8"),
        listing(3, title="纯棉袜子"),
    ]
    response = upload(client, rows)
    assert response.status_code == 201, response.content
    batch = response.json()
    assert (batch["listing_count"], batch["hit_count"], batch["unit"]) == (3, 1, "D1")
    found = client.get("/api/v1/online/listings", {"q": "手表", "page_size": 1}).json()
    assert found["count"] == 2 and len(found["items"]) == 1
    hits = client.get("/api/v1/online/listings", {"category": "prohibited_goods"}).json()
    assert [i["title"] for i in hits["items"]] == ["高仿手表"]
    one = client.get(f"/api/v1/online/listings/{hits['items'][0]['id']}").json()
    assert one["hits"][0]["match"] == "高仿" and one["hits"][0]["start"] == 0
    sellers = client.get("/api/v1/online/sellers", {"flagged": True}).json()
    assert [s["seller_id"] for s in sellers["items"]] == ["s1"]
    networks = client.get("/api/v1/online/networks").json()
    assert networks["count"] == 1
    assert networks["items"][0]["shared"][0]["value"] == "8.8.8.8"
    s1 = sellers["items"][0]["id"]
    assert client.get(f"/api/v1/online/sellers/{s1}/network").json()["size"] == 2
    assert client.get(f"/api/v1/online/batches/{batch['id']}").json()["hit_count"] == 1


def test_a_bad_file_is_refused_with_its_lines(county: County) -> None:
    client = client_for(county.division_staff)
    response = upload(client, jsonl([listing(1)]) + b"\n{bad")
    assert response.status_code == 422
    body = response.json()
    assert body["errors"] == [{"field": "line 2", "message": body["errors"][0]["message"]}]
    assert body["errors"][0]["message"].startswith("第 2 行：不是有效的 JSON")
    assert not Batch.objects.exists()
    kept = upload(client, jsonl([listing(1)]) + b"\n{bad", keep_good_lines="true")
    assert kept.status_code == 201 and kept.json()["error_count"] == 1
    assert upload(client, b"", "e.csv").json()["detail"] == "file: 文件为空"


def test_bad_query_values_answer_422(county: County) -> None:
    client = client_for(county.division_staff)
    assert client.get("/api/v1/online/listings", {"from": "2026-02-30"}).status_code == 422
    assert client.get("/api/v1/online/sellers", {"status": "bogus"}).status_code == 422
    assert client.get("/api/v1/online/listings", {"category": "bogus"}).status_code == 422
    assert client.get("/api/v1/online/listings", {"page": 0}).status_code == 422


def test_decisions_through_the_api(county: County) -> None:
    client = client_for(county.division_staff)
    upload(client, [listing(1, title="处方药直售")])
    seller = Seller.objects.get()
    url = f"/api/v1/online/sellers/{seller.pk}/decision"
    bad = client.post(url, {"action": "burn"}, content_type="application/json")
    assert bad.status_code == 422
    assert bad.json()["detail"] == "action: 处理方式应为 task、referral 或 dismiss：burn"
    task = client.post(url, {"action": "task"}, content_type="application/json")
    assert task.status_code == 409
    body = {
        "action": "referral",
        "to_kind": "jurisdiction",
        "to_name": "某市市场监管局",
        "referred_on": timezone.localdate().isoformat(),
    }
    done = client.post(url, body, content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == "referral"
    referral = Referral.objects.get()
    answer = client.post(
        f"/api/v1/online/referrals/{referral.pk}/answer",
        {"status": "answered", "on": timezone.localdate().isoformat(), "answer": "已立案"},
        content_type="application/json",
    )
    assert answer.status_code == 200 and answer.json()["status"] == "answered"


def test_another_station_sees_nothing(county: County) -> None:
    upload(client_for(county.east_director), [listing(1, title="最好")])
    west = client_for(county.west_director)
    assert west.get("/api/v1/online/sellers").json()["count"] == 0
    assert west.get("/api/v1/online/listings").json()["count"] == 0
    assert west.get("/api/v1/online/batches").json()["count"] == 0
    seller = Seller.objects.get()
    assert west.get(f"/api/v1/online/sellers/{seller.pk}").status_code == 404
    listing_id = Listing.objects.get().pk
    assert west.get(f"/api/v1/online/listings/{listing_id}").status_code == 404
    leader = client_for(county.leader)
    assert leader.get("/api/v1/online/sellers").json()["count"] == 1
    refused = leader.post(
        f"/api/v1/online/sellers/{seller.pk}/decision",
        {"action": "dismiss", "reason": "无"},
        content_type="application/json",
    )
    assert refused.status_code == 403
