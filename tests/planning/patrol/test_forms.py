"""The plan and task forms: they type the counts, the day and the checkboxes; a value they
cannot read is refused on its field and nothing is written."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from tests.conftest import County, client_for
from tests.planning.patrol import test_pages
from tests.planning.patrol.test_schedule import calendar_known_ahead, east_entity  # noqa: F401
from xiaoneng.core.models import AuditEvent
from xiaoneng.planning.patrol.forms import CompleteForm, PlanForm
from xiaoneng.planning.patrol.models import Plan, Task
from xiaoneng.planning.patrol.services import period_of

TODAY = dt.date(2026, 3, 10)
planned = test_pages.planned  # the plans and the campaign of the page tests


def test_the_complete_form_types_its_values() -> None:
    form = CompleteForm(data={"done_on": "2026-03-10", "note": " 已检查 ", "violation_found": "1"})
    assert form.is_valid()
    assert form.cleaned_data == {
        "done_on": TODAY,
        "note": "已检查",
        "violation_found": True,
        "notices_issued": 0,
        "items_confiscated": "",
        "items_confiscated_quantity": 0,
        "items_confiscated_measure": "",
    }


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"notices_issued": "两份"}, "notices_issued", "通知书份数应为整数：两份"),
        ({"notices_issued": "1.5"}, "notices_issued", "通知书份数应为整数：1.5"),
        ({"items_confiscated_quantity": "x"}, "items_confiscated_quantity", "收缴数量应为整数：x"),
        ({"done_on": "2026-02-30"}, "done_on", "请填写检查日期（YYYY-MM-DD）"),
    ],
)
def test_the_complete_form_refuses_what_it_cannot_read(
    change: dict[str, str], field: str, message: str
) -> None:
    form = CompleteForm(data={"done_on": "2026-03-10", "note": "x"} | change)
    assert not form.is_valid() and form.field_errors == {field: message}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"notices_issued": "两份"}, "通知书份数应为整数：两份"),
        ({"items_confiscated_quantity": "x"}, "收缴数量应为整数：x"),
        ({"done_on": "昨天"}, "请填写检查日期（YYYY-MM-DD）"),
        ({"done_on": ""}, "请填写检查日期（YYYY-MM-DD）"),  # missing: the service's message
        ({"notices_issued": "100", "violation_found": "1"}, "通知书份数应在 0 至 99 之间：100"),
        # 500 of what: a count without its measure is refused, never taken as 件.
        (
            {"items_confiscated": "违法印刷品广告", "items_confiscated_quantity": "500"},
            "请填写收缴数量的计量单位（如：件、份、千克）",
        ),
        (
            {
                "items_confiscated": "违法印刷品广告",
                "items_confiscated_quantity": "500",
                "items_confiscated_measure": "份" * 11,
            },
            "计量单位不能超过 10 个字",
        ),
    ],
)
def test_the_complete_page_shows_the_error_and_writes_nothing(
    county: County, planned: dict[str, Any], change: dict[str, str], message: str
) -> None:
    task = planned["east_task"]
    events = AuditEvent.objects.count()
    values = {"done_on": timezone.localdate().isoformat(), "note": "已检查"} | change
    response = client_for(county.east_officer).post(f"/plans/tasks/{task.pk}/", values)
    assert response.status_code == 200 and message in response.content.decode()
    task.refresh_from_db()
    assert task.status == Task.Status.PLANNED and AuditEvent.objects.count() == events


def test_the_complete_page_records_the_quantity_in_its_measure(
    county: County, planned: dict[str, Any]
) -> None:
    task = planned["east_task"]
    values = {
        "done_on": timezone.localdate().isoformat(),
        "note": "发现违法印刷品广告，当场收缴",
        "violation_found": "1",
        "items_confiscated": "违法印刷品广告",
        "items_confiscated_quantity": "500",
        "items_confiscated_measure": " 份 ",
    }
    client = client_for(county.east_officer)
    response = client.post(f"/plans/tasks/{task.pk}/", values)
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.items_confiscated_quantity, task.items_confiscated_measure) == (500, "份")
    assert "违法印刷品广告 500份" in client.get(f"/plans/tasks/{task.pk}/").content.decode()


def test_the_plan_form_passes_its_text_on_and_reads_the_dry_run_button() -> None:
    initial = {"period": "2026-03", "unit": "S-E", "capacity": "6"}
    form = PlanForm(data={"period": " 2026-04 ", "capacity": "x", "dry_run": "0"}, initial=initial)
    assert form.is_valid()
    assert form.cleaned_data == {
        "period": "2026-04",
        "unit": "S-E",  # left out of the POST: as the page shows it
        "capacity": "x",  # the service says what is wrong with it
        "dry_run": False,
    }
    assert PlanForm(data={"dry_run": "1"}, initial=initial).is_valid()


def test_a_dry_run_of_the_plan_form_writes_nothing(county: County) -> None:
    east_entity(county, registered_on=dt.date(2018, 1, 1))
    values = {"period": period_of(timezone.localdate()), "unit": "S-E", "dry_run": "1"}
    response = client_for(county.east_director).post("/plans/generate/", values)
    assert response.status_code == 200 and 'data-testid="plan-report"' in response.content.decode()
    assert not Plan.objects.exists()


def test_a_task_is_cancelled_only_with_a_reason(county: County, planned: dict[str, Any]) -> None:
    task = planned["east_task"]
    client = client_for(county.east_director)
    refused = client.post(f"/plans/tasks/{task.pk}/cancel/", {"reason": " "}, follow=True)
    assert "请填写取消理由" in refused.content.decode()
    task.refresh_from_db()
    assert task.status == Task.Status.PLANNED
    client.post(f"/plans/tasks/{task.pk}/cancel/", {"reason": "已停业"})
    task.refresh_from_db()
    assert task.status == Task.Status.CANCELLED
