"""Starting an inspection record from the pages: ad hoc by searching the entity, or from a task."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.conftest import County, client_for
from tests.inspections.factories import make_checklist
from tests.inspections.records.helpers import (
    DAY,
    always_checklist,
    east_entity,
    east_task,
    next_period,
    text,
    url,
)
from xiaoneng.inspections.models import Inspection
from xiaoneng.inspections.records.services import open_inspection
from xiaoneng.planning.patrol.models import Task

pytestmark = pytest.mark.usefixtures("media")


def test_starting_ad_hoc_by_searching_the_entity(county: County) -> None:
    entity = east_entity(county)
    make_checklist()
    client = client_for(county.east_officer)
    found = client.get(url("inspection_start"), {"q": "便民"})
    assert entity.uscc in text(found)
    chosen = client.get(url("inspection_start"), {"q": "便民", "uscc": entity.uscc})
    assert 'data-testid="start-form"' in text(chosen)
    checklist = make_checklist()
    response = client.post(
        url("inspection_start"),
        {"uscc": entity.uscc, "kind": "onsite", "origin": "complaint", "checklist": checklist.pk},
    )
    inspection = Inspection.objects.get()
    assert response["Location"] == url("inspection_edit", inspection.pk)
    assert (inspection.origin, inspection.checklist) == ("complaint", checklist)


def test_starting_from_the_task_page(county: County) -> None:
    task = east_task(county, east_entity(county))
    client = client_for(county.east_officer)
    page = text(client.get(reverse("planning:task_detail", args=[task.pk])))
    assert 'data-testid="start-inspection"' in page
    assert url("inspection_from_task", task.pk) in page


def test_the_task_page_does_not_offer_a_task_of_a_period_not_yet_begun(county: County) -> None:
    period, first = next_period()
    task = east_task(county, east_entity(county), period=period)
    client = client_for(county.east_officer)
    page = text(client.get(reverse("planning:task_detail", args=[task.pk])))
    sentence = f"该任务属于 {period} 期间，{first:%Y-%m-%d} 起才能检查"
    assert 'data-testid="not-open-yet"' in page and sentence in page
    assert 'data-testid="start-inspection"' not in page
    response = client.post(url("inspection_from_task", task.pk), {"kind": "onsite"}, follow=True)
    assert response.redirect_chain == [(reverse("planning:task_detail", args=[task.pk]), 302)]
    assert sentence in text(response) and not Inspection.objects.exists()


def test_a_cancelled_task_or_one_done_by_hand_offers_no_start(county: County) -> None:
    task = east_task(county, east_entity(county))
    client = client_for(county.east_officer)
    for status in (Task.Status.CANCELLED, Task.Status.DONE):
        Task.objects.filter(pk=task.pk).update(status=status, done_on=DAY)
        page = text(client.get(reverse("planning:task_detail", args=[task.pk])))
        assert 'data-testid="start-inspection"' not in page
        response = client.post(url("inspection_from_task", task.pk), follow=True)
        label = Task.Status(status).label
        assert f"任务状态为“{label}”，不能再开始检查" in text(response)
    assert not Inspection.objects.exists()


def test_the_task_page_links_to_its_record(county: County) -> None:
    task = east_task(county, east_entity(county))
    inspection = open_inspection(
        officer=county.east_officer, kind="onsite", task=task, checklist=make_checklist()
    )
    page = text(
        client_for(county.east_officer).get(reverse("planning:task_detail", args=[task.pk]))
    )
    assert url("inspection_edit", inspection.pk) in page and "继续检查" in page
    page = text(client_for(county.leader).get(reverse("planning:task_detail", args=[task.pk])))
    assert url("inspection_detail", inspection.pk) in page and "查看检查记录" in page


def test_the_task_button_opens_the_draft(county: County, monkeypatch: Any) -> None:
    task = east_task(county, east_entity(county))
    always_checklist(monkeypatch, make_checklist())
    response = client_for(county.east_officer).post(
        url("inspection_from_task", task.pk), {"kind": "onsite"}
    )
    inspection = Inspection.objects.get(task=task)
    assert response["Location"] == url("inspection_edit", inspection.pk)
    again = client_for(county.east_director).post(url("inspection_from_task", task.pk))
    assert again["Location"] == url("inspection_edit", inspection.pk)
