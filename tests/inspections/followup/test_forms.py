"""The follow-up forms: the term of an order, days, coordinates and entities by USCC are read
by the form; input that cannot be read is shown on its field and nothing is written."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from tests.conftest import County, client_for
from tests.inspections.followup.test_services import (  # noqa: F401
    calendar_known_ahead,
    east_entity,
    inspected,
)
from xiaoneng.inspections.followup.unlicensed import guide_unlicensed, record_unlicensed
from xiaoneng.inspections.models import ExitCheck, Inspection, Rectification, UnlicensedOperator


@pytest.fixture
def waiting(county: County) -> Inspection:
    """A signed east inspection with open findings, no order yet."""
    return inspected(county, east_entity(county, name="城东超市"))


def _text(response: Any) -> str:
    return response.content.decode()


def _order_form(inspection: Any, **values: Any) -> dict[str, Any]:
    form = {
        "findings": [str(f.pk) for f in inspection.findings.all()],
        "requirements": "下架过期商品",
        "term": "days",
        "working_days": "5",
    }
    return form | values


def _issue(county: County, inspection: Any, **values: Any) -> Any:
    return client_for(county.east_officer).post(
        f"/rectifications/new/?inspection={inspection.pk}", _order_form(inspection, **values)
    )


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"term": "weeks"}, "term", "整改期限应按工作日数（days）或截止日期（date）：weeks"),
        (
            {"term": "date", "deadline": "2026-02-30"},
            "deadline",
            "日期格式应为 YYYY-MM-DD：2026-02-30",
        ),
        ({"term": "date", "deadline": "下月底"}, "deadline", "日期格式应为 YYYY-MM-DD：下月底"),
    ],
)
def test_an_order_term_that_cannot_be_read_issues_nothing(
    county: County, waiting: Inspection, values: dict[str, str], field: str, message: str
) -> None:
    inspection = waiting
    response = _issue(county, inspection, **values)
    assert response.status_code == 200
    assert response.context["errors"] == {field: message}
    assert message in _text(response)
    assert not Rectification.objects.filter(inspection=inspection).exists()
    assert set(inspection.findings.values_list("status", flat=True)) == {"open"}


def test_the_term_not_chosen_is_not_read(county: County, waiting: Inspection) -> None:
    inspection = waiting
    by_days = _issue(county, inspection, deadline="下月底")
    assert by_days.status_code == 302
    assert Rectification.objects.get(inspection=inspection).working_days == 5


def test_a_deadline_order_ignores_the_working_days_box(county: County, waiting: Inspection) -> None:
    inspection = waiting
    deadline = timezone.localdate() + dt.timedelta(days=21)
    response = _issue(
        county, inspection, term="date", deadline=deadline.isoformat(), working_days="十"
    )
    assert response.status_code == 302
    assert Rectification.objects.get(inspection=inspection).deadline == deadline


def test_a_finding_ticked_twice_is_ordered_once(county: County, waiting: Inspection) -> None:
    inspection = waiting
    ids = [str(f.pk) for f in inspection.findings.all()]
    response = _issue(county, inspection, findings=ids + ids)
    assert response.status_code == 302
    order = Rectification.objects.get(inspection=inspection)
    assert sorted(str(pk) for pk in order.findings.values_list("pk", flat=True)) == sorted(ids)


def test_no_finding_ticked_is_the_services_refusal(county: County, waiting: Inspection) -> None:
    inspection = waiting
    response = _issue(county, inspection, findings=[])
    assert response.context["errors"] == {"findings": "请选择至少一项检查发现"}
    assert not Rectification.objects.filter(inspection=inspection).exists()


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"found_on": "2026-02-30"}, "found_on", "请填写发现日期（YYYY-MM-DD）"),
        ({"uscc": ""}, "uscc", "辖区内没有该统一社会信用代码的主体："),
        (
            {"uscc": "91654002MA0000000X"},
            "uscc",
            "辖区内没有该统一社会信用代码的主体：91654002MA0000000X",
        ),
    ],
)
def test_an_exit_report_that_cannot_be_read_records_nothing(
    county: County, values: dict[str, str], field: str, message: str
) -> None:
    entity = east_entity(county, name="吊销仍营业", status="revoked")
    form = {
        "uscc": entity.uscc,
        "found_on": timezone.localdate().isoformat(),
        "circumstances": "营业",
    }
    response = client_for(county.east_officer).post("/exits/new/", form | values)
    assert response.status_code == 200
    assert response.context["errors"] == {field: message}
    assert not ExitCheck.objects.exists()


def test_an_exit_report_finds_the_entity_in_any_case(county: County) -> None:
    entity = east_entity(county, name="吊销仍营业", status="revoked")
    form = {
        "uscc": f" {entity.uscc.lower()} ",
        "found_on": timezone.localdate().isoformat(),
        "circumstances": "仍在营业",
    }
    response = client_for(county.east_officer).post("/exits/new/", form)
    assert response.status_code == 302
    assert ExitCheck.objects.get().entity == entity


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"longitude": "东经81度"}, "longitude", "经度应为数字：东经81度"),
        ({"latitude": "nan"}, "latitude", "纬度应为数字：nan"),
        ({"found_on": "昨天"}, "found_on", "请填写发现日期（YYYY-MM-DD）"),
    ],
)
def test_an_unlicensed_operator_that_cannot_be_read_records_nothing(
    county: County, values: dict[str, str], field: str, message: str
) -> None:
    lon, lat = county.east_point()
    form = {
        "name": "无照摊",
        "address": "夜市",
        "business": "烧烤",
        "found_on": timezone.localdate().isoformat(),
        "longitude": str(lon),
        "latitude": str(lat),
    }
    response = client_for(county.east_officer).post("/unlicensed/new/", form | values)
    assert response.status_code == 200
    assert {f["name"]: f["error"] for f in response.context["fields"] if f["error"]} == {
        field: message
    }
    assert not UnlicensedOperator.objects.exists()


def test_a_licence_for_an_unknown_entity_is_refused(county: County) -> None:
    lon, lat = county.east_point()
    found = record_unlicensed(
        actor=county.east_officer,
        name="城东无照摊",
        address="夜市",
        business="烧烤",
        found_on=timezone.localdate(),
        longitude=lon,
        latitude=lat,
    )
    guide_unlicensed(record=found, actor=county.east_officer, note="已告知办照流程")
    client = client_for(county.east_officer)
    response = client.post(
        f"/unlicensed/{found.pk}/licensed/", {"uscc": "91654002MA0000000X"}, follow=True
    )
    assert "辖区内没有该统一社会信用代码的主体：91654002MA0000000X" in _text(response)
    found.refresh_from_db()
    assert found.status == "guided" and found.entity is None
