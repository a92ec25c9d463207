"""The task page's inspection record is a panel of inspections (ADR 0012): planning's page
names no inspection URL or status, and offers its plain result form only while no record
of the visit exists."""

from __future__ import annotations

from django.urls import reverse

from tests.conftest import County, client_for
from tests.inspections.factories import make_checklist
from tests.inspections.records.helpers import east_entity, east_task
from xiaoneng.inspections.records.services import open_inspection
from xiaoneng.org.models import Officer
from xiaoneng.planning.patrol.models import Task


def task_page(user: Officer, task: Task) -> str:
    response = client_for(user).get(reverse("planning:task_detail", args=[task.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_tasks_officer_may_start_the_record_or_record_the_result(county: County) -> None:
    task = east_task(county, east_entity(county))
    page = task_page(county.east_officer, task)
    assert 'data-testid="inspection"' in page and 'data-testid="start-inspection"' in page
    assert 'data-testid="complete-form"' in page


def test_who_may_not_record_sees_neither_button_nor_form(county: County) -> None:
    task = east_task(county, east_entity(county))
    for user in (county.leader, county.division_staff):
        page = task_page(user, task)
        assert 'data-testid="inspection"' not in page
        assert 'data-testid="start-inspection"' not in page
        assert 'data-testid="complete-form"' not in page


def test_once_a_record_exists_the_plain_result_form_is_gone(county: County) -> None:
    task = east_task(county, east_entity(county))
    record = open_inspection(
        officer=county.east_officer, kind="onsite", task=task, checklist=make_checklist()
    )
    page = task_page(county.east_officer, task)
    assert 'data-testid="complete-form"' not in page
    assert reverse("inspections:inspection_edit", args=[record.pk]) in page
    page = task_page(county.division_staff, task)
    assert reverse("inspections:inspection_detail", args=[record.pk]) in page
