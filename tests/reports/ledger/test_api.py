"""The ledger API: entries with outputs, ratios and the total; one entry; recording with bad
input refused whole; efficiency; quotas; scope."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import County, client_for
from tests.reports.ledger.factories import dataset
from xiaoneng.reports.ledger.models import LedgerEntry

pytestmark = pytest.mark.django_db
BASE = "/api/v1/ledger"
PERIOD = {"from": "2026-01-01", "to": "2026-06-30"}


def test_entries_with_outputs_ratios_and_total(county: County) -> None:
    data = dataset(county)
    body = client_for(county.division_staff).get(f"{BASE}/entries", PERIOD).json()
    assert body["count"] == 3
    assert body["total"]["inputs"]["money"] == "2050.00"
    assert body["total"]["ratios"]["cost_per_inspection"] == "512.50"
    patrol = next(e for e in body["items"] if e["id"] == data.patrol.pk)
    assert patrol["outputs"] == {
        "inspections": 2,
        "findings": 1,
        "rectified": 1,
        "cases": 1,
        "fines": "2000.00",
        "goods": 1,
    }
    assert patrol["ratios"]["inspections_per_hour"] == "0.25"
    division = next(e for e in body["items"] if e["id"] == data.campaign_division.pk)
    assert division["ratios"]["cost_per_finding"] is None


def test_one_entry_and_scope(county: County) -> None:
    data = dataset(county)
    url = f"{BASE}/entries/{data.patrol.pk}"
    assert client_for(county.east_officer).get(url).json()["outputs"]["inspections"] == 2
    assert client_for(county.west_officer).get(url).status_code == 404
    west = client_for(county.west_director).get(f"{BASE}/entries", {**PERIOD, "unit": "S-E"})
    assert west.status_code == 403


def body(county: County, **values: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "unit": county.east.code,
        "kind": "patrol_day",
        "officer": county.east_officer.pk,
        "started_on": "2026-03-02",
        "ended_on": "2026-03-02",
        "officers": 1,
        "person_hours": "6",
        "vehicles": 1,
        "kilometres": "22.5",
        "money": "15",
    }
    data.update(values)
    return data


def test_recording_an_entry(county: County) -> None:
    answer = client_for(county.east_director).post(
        f"{BASE}/entries", body(county), content_type="application/json"
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["kilometres"] == "22.5"
    again = client_for(county.east_director).post(
        f"{BASE}/entries", body(county), content_type="application/json"
    )
    assert again.status_code == 409
    assert LedgerEntry.objects.count() == 1


def test_bad_input_by_the_api_is_refused_whole(county: County) -> None:
    client = client_for(county.east_director)
    answer = client.post(
        f"{BASE}/entries",
        body(county, person_hours="-1", money="-5", started_on="2026-03-03"),
        content_type="application/json",
    )
    assert answer.status_code == 422
    assert {e["field"]: e["message"] for e in answer.json()["errors"]} == {
        "ended_on": "结束日期 2026-03-02 早于开始日期 2026-03-03",
        "person_hours": "投入工时不能为负数：-1",
        "money": "经费支出不能为负数：-5",
    }
    answer = client.post(
        f"{BASE}/entries", body(county, unit="nope"), content_type="application/json"
    )
    assert answer.json()["errors"] == [{"field": "unit", "message": "未知的单位代码：nope"}]
    other = body(county, kind="other", officer=None, title="宣传咨询")
    answer = client_for(county.west_director).post(
        f"{BASE}/entries", other, content_type="application/json"
    )
    assert answer.status_code == 403
    answer = client_for(county.west_director).post(
        f"{BASE}/entries", body(county, unit="S-W"), content_type="application/json"
    )
    assert answer.json()["errors"] == [
        {"field": "officer", "message": f"未找到该人员：{county.east_officer.pk}"}
    ]
    assert LedgerEntry.objects.count() == 0


def test_efficiency_and_quotas(county: County) -> None:
    dataset(county)
    client = client_for(county.leader)
    body = client.get(f"{BASE}/efficiency", {**PERIOD, "by": "kind"}).json()
    assert [line["key"] for line in body["lines"]] == ["campaign", "patrol_day"]
    assert body["total"]["outputs"]["inspections"] == 4
    assert client.get(f"{BASE}/efficiency", {**PERIOD, "by": "grid"}).status_code == 422
    bad = client.get(f"{BASE}/efficiency", {"from": "x", "to": "2026-01-01"})
    assert bad.json()["errors"] == [
        {"field": "from", "message": "开始日期应为 YYYY-MM-DD 格式的日期：x"}
    ]
    assert client.get(f"{BASE}/quotas").json() == []
