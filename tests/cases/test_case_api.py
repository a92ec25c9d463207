"""The case API: list, detail, create, transitions, collections, goods, warnings; scoped."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from tests.cases.factories import east_entity, make_case
from tests.conftest import County, client_for
from tests.inspections.factories import make_inspection
from xiaoneng.cases.models import Case, Collection
from xiaoneng.core.models import AuditEvent
from xiaoneng.inspections.followup.consequences import record_findings

D = dt.date
S = Case.Status


def post(client: Any, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, json.dumps(body), content_type="application/json")


def test_the_list_is_scoped_and_filtered(county: County) -> None:
    make_case(unit=county.east, number="E1", kind="food", major=True)
    make_case(unit=county.east, number="E2", status=S.FILED)
    make_case(unit=county.west, number="W1")
    client = client_for(county.east_officer)
    body = client.get("/api/v1/cases").json()
    assert body["count"] == 2 and {i["number"] for i in body["items"]} == {"E1", "E2"}
    assert [i["number"] for i in client.get("/api/v1/cases?status=filed").json()["items"]] == ["E2"]
    assert [i["number"] for i in client.get("/api/v1/cases?major=true").json()["items"]] == ["E1"]
    leader = client_for(county.leader).get("/api/v1/cases?unit=S-W").json()
    assert [i["number"] for i in leader["items"]] == ["W1"]


def test_the_detail_gives_money_allowed_moves_and_warning(county: County) -> None:
    case = make_case(unit=county.east, status=S.DECIDED, fine="5000", decided_on=D(2026, 4, 15))
    body = client_for(county.east_officer).get(f"/api/v1/cases/{case.pk}").json()
    assert body["allowed"] == ["executing", "closed"]
    assert body["money"][0] == {
        "kind": "fine",
        "decided": "5000.00",
        "collected": "0.00",
        "outstanding": "5000.00",
    }
    assert body["warning"]["level"] == "red"


@pytest.mark.parametrize(
    ("method", "suffix"),
    [
        ("get", ""),
        ("get", "/collections"),
        ("get", "/goods"),
        ("post", "/transitions"),
        ("post", "/collections"),
        ("post", "/goods"),
        ("post", "/extension"),
    ],
)
def test_another_stations_case_answers_404(county: County, method: str, suffix: str) -> None:
    case = make_case(unit=county.east, status=S.DECIDED, fine="100")
    client = client_for(county.west_director)
    path = f"/api/v1/cases/{case.pk}{suffix}"
    answer = (
        client.get(path)
        if method == "get"
        else post(client, path, {"to": "closed", "reason": "理由"})
    )
    assert answer.status_code == 404
    assert Case.objects.get(pk=case.pk).status == "decided"


def test_a_case_is_created_from_a_finding_and_the_finding_escalates(county: County) -> None:
    inspection = make_inspection(
        entity=east_entity(county, name="城东某农资店"),
        officers=[county.east_officer, county.east_director],
        results=["fail", "pass", "pass"],
        visited_on=D(2026, 3, 2),
    )
    finding = record_findings(inspection=inspection)[0]
    answer = post(
        client_for(county.east_officer),
        "/api/v1/cases",
        {
            "title": "销售不合格化肥案",
            "kind": "agricultural",
            "received_on": "2026-03-10",
            "finding": finding.pk,
            "case_value": 412000,
        },
    )
    assert answer.status_code == 201
    body = answer.json()
    assert (body["number"], body["party"], body["source"], body["case_value"]) == (
        "伊市监城东所案〔2026〕0001号",
        "城东某农资店",
        {"kind": "finding", "id": finding.pk},
        "412000.00",
    )
    finding.refresh_from_db()
    assert finding.status == "escalated"


def test_bad_input_answers_422_naming_the_field_and_writes_nothing(county: County) -> None:
    answer = post(
        client_for(county.east_officer),
        "/api/v1/cases",
        {
            "title": "某案",
            "kind": "food",
            "party": "某店",
            "received_on": "2026-03-10",
            "case_value": -5,
        },
    )
    assert answer.status_code == 422
    assert answer.json()["errors"] == [{"field": "case_value", "message": "案值不能为负数：-5"}]
    assert not Case.objects.exists()


def test_a_case_moves_through_its_stages_by_the_api(county: County) -> None:
    case = make_case(unit=county.east, received_on=D(2026, 3, 2))
    client = client_for(county.east_officer)
    path = f"/api/v1/cases/{case.pk}/transitions"
    steps: list[dict[str, Any]] = [
        {"to": "filed", "filed_on": "2026-03-04"},
        {"to": "investigating", "started_on": "2026-03-05"},
        {"to": "notified", "notified_on": "2026-04-01", "proposed_fine": "6000"},
        {"to": "decided", "decided_on": "2026-04-15", "decision_number": "伊市监罚〔2026〕9号",
         "fine": 6000, "confiscation": "0"},
    ]  # fmt: skip
    for step in steps:
        answer = post(client, path, step)
        assert answer.status_code == 200, answer.json()
        assert answer.json()["status"] == step["to"]
    paid = post(
        client,
        f"/api/v1/cases/{case.pk}/collections",
        {"kind": "fine", "amount": "6000", "collected_on": "2026-04-20", "receipt_number": "JK9"},
    )
    assert paid.status_code == 201 and paid.json()["amount"] == "6000.00"
    closed = post(client, path, {"to": "closed", "closed_on": "2026-04-21"})
    assert closed.json()["status"] == "closed"
    assert client.get(f"/api/v1/cases/{case.pk}/collections").json()[0]["receipt_number"] == "JK9"


def test_an_illegal_move_answers_409_with_the_tables_message(county: County) -> None:
    case = make_case(unit=county.east)
    events = AuditEvent.objects.count()
    answer = post(
        client_for(county.east_officer),
        f"/api/v1/cases/{case.pk}/transitions",
        {"to": "closed", "closed_on": "2026-04-21"},
    )
    assert answer.status_code == 409
    assert answer.json()["detail"] == "案件状态为“线索”，不能改为“结案”"
    assert AuditEvent.objects.count() == events


def test_over_collection_answers_422_with_both_figures(county: County) -> None:
    case = make_case(unit=county.east, status=S.DECIDED, fine="100", decided_on=D(2026, 4, 15))
    answer = post(
        client_for(county.east_officer),
        f"/api/v1/cases/{case.pk}/collections",
        {"kind": "fine", "amount": "100.01", "collected_on": "2026-04-20", "receipt_number": "J"},
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["message"].startswith(
        "罚款入库合计 100.01 元 将超过决定的罚款 100.00 元"
    )
    assert not Collection.objects.exists()


def test_goods_are_recorded_and_listed(county: County) -> None:
    case = make_case(unit=county.east, status=S.EXECUTING)
    client = client_for(county.east_officer)
    path = f"/api/v1/cases/{case.pk}/goods"
    answer = post(client, path, {"description": "不合格农药", "quantity": "33", "measure": "吨"})
    assert answer.status_code == 201
    assert client.get(path).json()[0]["quantity"] == "33.000"


def test_warnings_are_listed_for_the_users_scope(county: County) -> None:
    make_case(unit=county.east, received_on=D(2026, 3, 2), number="E1")
    make_case(unit=county.west, received_on=D(2026, 3, 2), number="W1")
    rows = client_for(county.east_officer).get("/api/v1/cases/warnings?today=2026-03-18").json()
    assert [(r["number"], r["level"], r["days"]) for r in rows] == [("E1", "yellow", 3)]


def test_the_director_extends_a_time_limit_by_the_api(county: County) -> None:
    case = make_case(unit=county.east, status=S.FILED)
    path = f"/api/v1/cases/{case.pk}/extension"
    assert post(client_for(county.east_officer), path, {"reason": "需鉴定"}).status_code == 403
    answer = post(client_for(county.east_director), path, {"reason": "需鉴定"})
    assert answer.status_code == 200 and answer.json()["decision_extended"] is True
