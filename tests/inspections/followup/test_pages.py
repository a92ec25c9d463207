"""Follow-up pages: they render for their unit's staff, answer 404 to another station's, and
their forms act through the services (refusals shown, nothing written)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from tests.conftest import County, client_for
from tests.inspections.followup.test_services import (  # noqa: F401
    calendar_known_ahead,
    east_entity,
    inspected,
    order,
)
from xiaoneng.inspections.followup.exits import report_exit_operating
from xiaoneng.inspections.followup.unlicensed import record_unlicensed
from xiaoneng.inspections.models import ExitCheck, Finding, Rectification, UnlicensedOperator
from xiaoneng.registry.credit.services import credit_event
from xiaoneng.registry.models import CreditProposal


@pytest.fixture
def world(county: County) -> dict[str, Any]:
    """An east inspection with an order, one with open findings, an exit check, an unlicensed
    operator and a credit proposal."""
    today = timezone.localdate()
    ordered = order(county, inspected(county, east_entity(county, name="城东饭店")), today=today)
    waiting = inspected(county, east_entity(county, name="城东超市"))
    exited = east_entity(county, name="城东已注销店", status="deregistered")
    check = report_exit_operating(
        entity=exited, actor=county.east_officer, circumstances="仍在营业", found_on=today
    )
    lon, lat = county.east_point()
    found = record_unlicensed(
        actor=county.east_officer,
        name="城东无照摊",
        address="夜市",
        business="烧烤",
        found_on=today,
        longitude=lon,
        latitude=lat,
    )
    proposal = credit_event(entity=waiting.entity, trigger="finding_critical", source="测试")
    return {
        "order": ordered,
        "waiting": waiting,
        "check": check,
        "found": found,
        "proposal": proposal,
    }


def detail_pages(w: dict[str, Any]) -> list[str]:
    return [
        f"/rectifications/{w['order'].pk}/",
        f"/rectifications/new/?inspection={w['waiting'].pk}",
        f"/exits/{w['check'].pk}/",
        f"/unlicensed/{w['found'].pk}/",
    ]


LISTS = [
    ("/findings/", "城东超市"),
    ("/findings/?status=all", "城东饭店"),
    ("/rectifications/", "城东饭店"),
    ("/rectifications/?state=all", "城东饭店"),
    ("/exits/", "城东已注销店"),
    ("/exits/entities/", "城东已注销店"),
    ("/unlicensed/", "城东无照摊"),
    ("/credit/", "城东超市"),
]


def test_every_page_renders_for_its_units_staff(county: County, world: dict[str, Any]) -> None:
    client = client_for(county.east_director)
    for path in [*detail_pages(world), "/exits/new/", "/unlicensed/new/"]:
        assert client.get(path).status_code == 200, path
    for path, name in LISTS:
        response = client.get(path)
        assert response.status_code == 200, path
        assert name in response.content.decode(), path


def test_another_stations_staff_get_404_and_empty_lists(
    county: County, world: dict[str, Any]
) -> None:
    client = client_for(county.west_director)
    for path in detail_pages(world):
        assert client.get(path).status_code == 404, path
    for path, name in LISTS:
        response = client.get(path)
        assert response.status_code == 200, path
        assert name not in response.content.decode(), path


def test_another_stations_actions_answer_404_and_change_nothing(
    county: County, world: dict[str, Any]
) -> None:
    client = client_for(county.west_director)
    posts = [
        (f"/rectifications/{world['order'].pk}/rectified/", {"outcome": "已整改"}),
        (f"/rectifications/new/?inspection={world['waiting'].pk}", {"working_days": "5"}),
        (f"/exits/{world['check'].pk}/close/", {"outcome": "已停业"}),
        (f"/unlicensed/{world['found'].pk}/guide/", {"note": "引导"}),
        (f"/unlicensed/{world['found'].pk}/ceased/", {"outcome": "取缔"}),
        (f"/credit/{world['proposal'].pk}/decide/", {"decision": "confirm", "reason": "是"}),
    ]
    for path, data in posts:
        assert client.post(path, data).status_code == 404, path
    assert Rectification.objects.get().status == "open"
    assert ExitCheck.objects.get().status == "open"
    assert UnlicensedOperator.objects.get().status == "found"
    assert set(CreditProposal.objects.values_list("status", flat=True)) == {"pending"}


def test_leader_sees_everything_but_may_not_act(county: County, world: dict[str, Any]) -> None:
    client = client_for(county.leader)
    assert client.get(f"/rectifications/{world['order'].pk}/").status_code == 200
    refused = client.post(f"/rectifications/{world['order'].pk}/rectified/", {"outcome": "已整改"})
    assert refused.status_code == 403
    assert client.get("/unlicensed/new/").status_code == 403
    assert Rectification.objects.get().status == "open"


def test_order_is_issued_from_the_form(county: County, world: dict[str, Any]) -> None:
    inspection = world["waiting"]
    client = client_for(county.east_officer)
    form = client.get(f"/rectifications/new/?inspection={inspection.pk}").content.decode()
    ids = [str(f.pk) for f in inspection.findings.all()]
    assert all(f'value="{pk}"' in form for pk in ids)
    response = client.post(
        f"/rectifications/new/?inspection={inspection.pk}",
        {"findings": ids, "requirements": "下架过期商品", "term": "days", "working_days": "5"},
    )
    created = Rectification.objects.get(inspection=inspection)
    assert response.status_code == 302
    assert response["Location"] == f"/rectifications/{created.pk}/"
    assert created.working_days == 5 and created.issued_by == county.east_officer
    detail = client.get(response["Location"]).content.decode()
    assert created.number in detail
    assert f"/plans/tasks/{created.reinspection_task_id}/" in detail
    assert f"/cases/new/?rectification={created.pk}" in detail


def test_bad_form_shows_the_error_and_writes_nothing(county: County, world: dict[str, Any]) -> None:
    inspection = world["waiting"]
    ids = [str(f.pk) for f in inspection.findings.all()]
    response = client_for(county.east_officer).post(
        f"/rectifications/new/?inspection={inspection.pk}",
        {"findings": ids, "requirements": "整改", "term": "days", "working_days": "61"},
    )
    assert response.status_code == 200
    assert "整改期限应为 1 至 60 个工作日：61" in response.content.decode()
    assert not Rectification.objects.filter(inspection=inspection).exists()
    assert set(inspection.findings.values_list("status", flat=True)) == {"open"}


def test_past_deadline_from_the_form_is_refused(county: County, world: dict[str, Any]) -> None:
    inspection = world["waiting"]
    yesterday = timezone.localdate() - timezone.timedelta(days=1)
    response = client_for(county.east_officer).post(
        f"/rectifications/new/?inspection={inspection.pk}",
        {
            "findings": [str(f.pk) for f in inspection.findings.all()],
            "requirements": "整改",
            "term": "date",
            "deadline": yesterday.isoformat(),
            "working_days": "10",
        },
    )
    assert f"整改期限应晚于今天：{yesterday:%Y-%m-%d}" in response.content.decode()
    assert not Rectification.objects.filter(inspection=inspection).exists()


def test_rectified_from_the_detail_page(county: County, world: dict[str, Any]) -> None:
    rectification = world["order"]
    client = client_for(county.east_officer)
    client.post(f"/rectifications/{rectification.pk}/rectified/", {"outcome": "整改到位"})
    rectification.refresh_from_db()
    assert rectification.status == "rectified"
    page = client.get(f"/rectifications/{rectification.pk}/").content.decode()
    assert "整改中 → 已整改" in page and "rectified-form" not in page


def test_findings_list_filters_by_status_and_severity(
    county: County, world: dict[str, Any]
) -> None:
    client = client_for(county.east_officer)
    rectifying = client.get("/findings/?status=rectifying").content.decode()
    assert "城东饭店" in rectifying and "城东超市" not in rectifying
    assert "城东超市" not in client.get("/findings/?status=all&severity=critical").content.decode()
    assert Finding.objects.filter(status="open").count() == 2


def test_rectification_states_filter_the_list(county: County, world: dict[str, Any]) -> None:
    client = client_for(county.east_officer)
    assert "城东饭店" in client.get("/rectifications/?state=open").content.decode()
    assert "城东饭店" not in client.get("/rectifications/?state=warned").content.decode()
    assert "城东饭店" not in client.get("/rectifications/?state=rectified").content.decode()


def test_exit_check_reported_and_closed_from_the_pages(county: County) -> None:
    entity = east_entity(county, name="吊销仍营业", status="revoked")
    client = client_for(county.east_officer)
    today = timezone.localdate().isoformat()
    bad = client.post("/exits/new/", {"uscc": entity.uscc, "found_on": today, "circumstances": ""})
    assert "请填写经营情况" in bad.content.decode() and not ExitCheck.objects.exists()
    unknown = client.post("/exits/new/", {"uscc": "X", "found_on": today, "circumstances": "营业"})
    assert "辖区内没有该统一社会信用代码的主体：X" in unknown.content.decode()
    created = client.post(
        "/exits/new/", {"uscc": entity.uscc, "found_on": today, "circumstances": "仍在营业"}
    )
    check = ExitCheck.objects.get()
    assert created["Location"] == f"/exits/{check.pk}/"
    assert f"/cases/new/?exit_check={check.pk}" in client.get(created["Location"]).content.decode()
    client.post(f"/exits/{check.pk}/close/", {"outcome": "已停止经营"})
    check.refresh_from_db()
    assert check.status == "ceased"


def test_unlicensed_operator_recorded_and_dealt_with_from_the_pages(county: County) -> None:
    client = client_for(county.east_officer)
    today = timezone.localdate().isoformat()
    bad = client.post(
        "/unlicensed/new/",
        {"name": "", "address": "夜市", "business": "烧烤", "found_on": today},
    )
    assert "请填写经营者（字号）" in bad.content.decode()
    assert not UnlicensedOperator.objects.exists()
    created = client.post(
        "/unlicensed/new/",
        {"name": "无照摊", "address": "夜市", "business": "烧烤", "found_on": today},
    )
    record = UnlicensedOperator.objects.get()
    assert created["Location"] == f"/unlicensed/{record.pk}/"
    client.post(f"/unlicensed/{record.pk}/guide/", {"note": "已告知办照流程"})
    entity = east_entity(county, name="新办照烧烤店")
    client.post(f"/unlicensed/{record.pk}/licensed/", {"uscc": entity.uscc})
    record.refresh_from_db()
    assert (record.status, record.entity) == ("licensed", entity)


def test_reinspection_plan_and_task_show_on_the_planning_pages(
    county: County, world: dict[str, Any]
) -> None:
    task = world["order"].reinspection_task
    client = client_for(county.east_officer)
    plans = client.get("/plans/?kind=reinspection").content.decode()
    assert task.plan.title in plans
    assert client.get(f"/plans/{task.plan_id}/").status_code == 200
    page = client.get(f"/plans/tasks/{task.pk}/").content.decode()
    assert f"整改复查：{world['order'].number}" in page
    assert client_for(county.west_officer).get(f"/plans/tasks/{task.pk}/").status_code == 404
