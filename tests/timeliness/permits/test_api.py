"""The API of service cases: receive, steps, the list's filters, refusals as 422/409, another
station's case 404."""

from __future__ import annotations

import pytest

from tests.conftest import client_for
from tests.timeliness.permits.factories import day, make_case, make_item
from xiaoneng.timeliness.permits.models import ServiceCase

pytestmark = pytest.mark.django_db
BASE = "/api/v1/service-cases"


def test_receive_accept_and_read_a_case(county):
    make_item()
    client = client_for(county.east_officer)
    created = client.post(
        BASE,
        {"item": "XK-T01", "applicant": "钱七", "received_on": "2026-03-02"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["number"] == "BJ2026-000001" and body["unit"] == "S-E"
    assert body["first_officer"] == body["responsible"] == "east_officer"
    accepted = client.post(
        f"{BASE}/{body['id']}/accept", {"on": "2026-03-03"}, content_type="application/json"
    )
    assert accepted.status_code == 200
    detail = accepted.json()
    assert detail["status"] == "accepted" and detail["clock"]["limit_days"] == 5
    assert detail["due_on"] == "2026-03-10"
    assert [s["stage"] for s in detail["stages"]] == ["received", "accepted"]
    notice = client.post(
        f"{BASE}/{body['id']}/notice",
        {"on": "2026-03-04", "materials": ["申请书"]},
        content_type="application/json",
    )
    assert notice.json()["notices"][0]["materials"] == ["申请书"]
    assert notice.json()["suspended"] is True
    listed = client.get(BASE, {"status": "accepted"}).json()
    assert listed["count"] == 1


def test_refusals_answer_with_the_field_and_write_nothing(county):
    make_item()
    client = client_for(county.east_officer)
    unknown = client.post(BASE, {"item": "NOPE", "applicant": "x"}, content_type="application/json")
    assert unknown.status_code == 422
    assert unknown.json()["errors"] == [{"field": "item", "message": "未找到该服务事项：NOPE"}]
    case = make_case(county.east_officer)
    closed = client.post(
        f"{BASE}/{case.pk}/complete",
        {"on": "2026-03-03", "outcome": "granted"},
        content_type="application/json",
    )
    assert closed.status_code == 409
    assert closed.json()["detail"] == "办件尚未受理，不能办结"
    assert client.get(BASE, {"status": "bogus"}).status_code == 422
    assert ServiceCase.objects.count() == 1


def test_another_stations_case_is_not_found(county):
    case = make_case(county.east_officer, accepted=day(1))
    client = client_for(county.west_officer)
    assert client.get(f"{BASE}/{case.pk}").status_code == 404
    answer = client.post(f"{BASE}/{case.pk}/review", {}, content_type="application/json")
    assert answer.status_code == 404
    assert client.get(BASE).json()["count"] == 0
    items = client.get("/api/v1/service-items").json()
    assert items[0]["code"] == "XK-T01"


def test_figures_by_unit_and_a_reversed_period(county):
    from tests.timeliness.permits.factories import approved
    from xiaoneng.timeliness.permits import services as permits

    make_item()
    case = make_case(county.east_officer, accepted=day(1))
    approved(case, county.east_officer, county.east_director, day(2))
    permits.complete_case(case=case, actor=county.east_director, on=day(2), outcome="granted")
    make_case(county.west_officer)
    client = client_for(county.division_staff)
    rows = client.get(f"{BASE}/figures", {"from": "2026-03-01", "to": "2026-03-31", "by": "unit"})
    assert rows.status_code == 200, rows.content
    by_unit = {row["group"]: row for row in rows.json()}
    assert by_unit["S-E"]["completed"] == 1 and by_unit["S-E"]["committed_rate"] == "100.0"
    assert by_unit["S-W"]["received"] == 1 and by_unit["S-W"]["average_days"] is None
    west = client_for(county.west_officer).get(
        f"{BASE}/figures", {"from": "2026-03-01", "to": "2026-03-31"}
    )
    assert [row["completed"] for row in west.json()] == [0]
    reversed_ = client.get(f"{BASE}/figures", {"from": "2026-03-31", "to": "2026-03-01"})
    assert reversed_.status_code == 422
    assert reversed_.json()["errors"] == [{"field": "to", "message": "结束日期不能早于开始日期"}]
