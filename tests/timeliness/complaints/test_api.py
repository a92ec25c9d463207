"""The complaints API: list, register, one, the actions and the figures."""

from __future__ import annotations

import pytest

from tests.conftest import County, client_for
from tests.timeliness.complaints.factories import east_entity, make_complaint
from xiaoneng.cases.models import Case
from xiaoneng.timeliness.complaints.models import Complaint

pytestmark = pytest.mark.django_db
API = "/api/v1/complaints"


def test_register_and_read(county: County) -> None:
    entity = east_entity(county)
    client = client_for(county.east_officer)
    body = {
        "kind": "report",
        "channel": "platform",
        "topic": "price",
        "received_on": "2026-06-01",
        "content": "明码标价不实",
        "person": "",
        "real_name": False,
        "entity": entity.uscc,
    }
    response = client.post(API, body, content_type="application/json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["number"] == "JB2026-000001" and data["status"] == "verifying"
    assert data["entity"] == entity.uscc and data["first_officer"] == "east_officer"
    assert data["clocks"][0]["kind"] == "report_filing"
    assert data["clocks"][0]["due_on"] == "2026-06-23"
    one = client.get(f"{API}/{data['id']}").json()
    assert one["number"] == data["number"]
    listed = client.get(API, {"kind": "report"}).json()
    assert [row["id"] for row in listed["items"]] == [data["id"]]


@pytest.mark.parametrize(
    ("change", "field", "text"),
    [
        ({"channel": "fax"}, "channel", "未知的来源渠道：fax"),
        ({"received_on": "2099-01-01"}, "received_on", "收到日期不能晚于今天：2099-01-01"),
        ({"entity": "NOPE"}, "entity", "未找到该统一社会信用代码的主体：NOPE"),
        ({"content": ""}, "content", "请填写投诉（举报）内容"),
    ],
)
def test_bad_bodies_are_refused(
    county: County, change: dict[str, str], field: str, text: str
) -> None:
    body = {
        "kind": "complaint",
        "channel": "platform",
        "topic": "food",
        "received_on": "2026-06-01",
        "content": "不新鲜",
        "person": "王五",
        "respondent": "某超市",
    } | change
    response = client_for(county.east_officer).post(API, body, content_type="application/json")
    assert response.status_code == 422
    assert {"field": field, "message": text} in response.json()["errors"]
    assert not Complaint.objects.exists()


def test_a_list_filter_it_does_not_know_is_refused(county: County) -> None:
    response = client_for(county.east_officer).get(API, {"status": "bogus"})
    assert response.status_code == 422


def test_the_report_route_to_a_case(county: County) -> None:
    report = make_complaint(county, kind="report")
    client = client_for(county.east_director)
    url = f"{API}/{report.pk}"
    extended = client.post(f"{url}/extend", {"note": "需检测"}, content_type="application/json")
    assert extended.status_code == 200 and extended.json()["extended"] is True
    decided = client.post(
        f"{url}/decide-filing",
        {"file": True, "on": "2026-06-10", "founded": "founded", "outcome": "属实"},
        content_type="application/json",
    )
    assert decided.status_code == 200, decided.content
    assert decided.json()["case"] == Case.objects.get().number
    told = client.post(f"{url}/notify", {"on": "2026-06-11"}, content_type="application/json")
    assert told.json()["status"] == "closed"
    twice = client.post(f"{url}/notify", {"on": "2026-06-11"}, content_type="application/json")
    assert twice.status_code == 409


def test_the_complaint_route_and_another_station(county: County) -> None:
    complaint = make_complaint(county)
    url = f"{API}/{complaint.pk}"
    assert client_for(county.west_officer).get(url).status_code == 404
    west = client_for(county.west_officer).post(
        f"{url}/accept", {"on": "2026-06-02"}, content_type="application/json"
    )
    assert west.status_code == 404
    client = client_for(county.east_officer)
    accepted = client.post(f"{url}/accept", {"on": "2026-06-02"}, content_type="application/json")
    assert accepted.json()["status"] == "mediating"
    ended = client.post(
        f"{url}/end-mediation",
        {"agreed": True, "on": "2026-06-05", "outcome": "退货", "amount_recovered": "88.00"},
        content_type="application/json",
    )
    assert ended.json()["amount_recovered"] == "88.00"
    stats = client.get(f"{API}/stats", {"from": "2026-06-01", "to": "2026-06-30"}).json()
    assert (stats["total"], stats["agreed"], stats["mediation_rate"]) == (1, 1, "100.0")
    assert stats["in_time_rate"] == "100.0"


def test_handing_on_by_api(county: County) -> None:
    complaint = make_complaint(county)
    response = client_for(county.east_director).post(
        f"{API}/{complaint.pk}/hand-on",
        {"officer": "east_director", "note": "所长亲办"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["handler"] == "east_director"
    assert response.json()["first_officer"] == "east_officer"
    unknown = client_for(county.east_director).post(
        f"{API}/{complaint.pk}/hand-on",
        {"officer": "west_officer"},
        content_type="application/json",
    )
    assert unknown.status_code == 422
    assert unknown.json()["errors"] == [
        {"field": "officer", "message": "未找到该执法人员：west_officer"}
    ]
