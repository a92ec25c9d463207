"""A month after the last loaded year: planned on weekdays, marked 暂定, and tasks on what turns
out to be a holiday moved when that year's schedule is loaded."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import County, client_for
from tests.planning.factories import PlanFactory, TaskFactory
from tests.planning.patrol.test_schedule import east_entity
from tests.planning.patrol.test_services import due_east
from xiaoneng.core import audit
from xiaoneng.core.calendar import recompute_year
from xiaoneng.core.models import CalendarException, CalendarYear
from xiaoneng.planning.patrol.models import Plan, Task, Visit
from xiaoneng.planning.patrol.services import generate_patrol_plan

D = dt.date


@pytest.fixture(autouse=True)
def calendar_ends_in_2026(db: None) -> None:
    CalendarYear.objects.filter(year__gt=2026).delete()
    CalendarException.objects.filter(date__year__gt=2026).delete()


def task_on(county: County, day: dt.date, **values: object) -> Task:
    entity = east_entity(county)
    plan = Plan.objects.filter(unit=county.east, period=f"{day:%Y-%m}").first()
    plan = plan or PlanFactory(unit=county.east, period=f"{day:%Y-%m}")
    task: Task = TaskFactory(
        plan=plan, entity=entity, officer=county.east_officer, scheduled_on=day, **values
    )
    return task


def load_2027() -> dict[str, int]:
    CalendarYear.objects.create(year=2027, source="国务院办公厅通知")
    CalendarException.objects.create(date=D(2027, 1, 1), is_working_day=False, name="元旦")
    return recompute_year(2027)


def test_a_plan_for_a_month_of_an_unloaded_year_is_made_on_weekdays(county: County) -> None:
    due_east(county, 3)
    report = generate_patrol_plan(
        period="2027-01", unit_code="S-E", capacity=1, today=D(2026, 12, 20)
    )
    days = sorted(
        Task.objects.filter(plan_id=report.plan_id).values_list("scheduled_on", flat=True)
    )
    # Friday 1 January counts as a working day until 2027's holidays are loaded.
    assert days == [D(2027, 1, 1), D(2027, 1, 4), D(2027, 1, 5)]


def test_a_month_of_an_unloaded_year_is_marked_provisional(county: County) -> None:
    client = client_for(county.east_director)
    page = client.get("/plans/calendar/station/S-E/?month=2027-01").content.decode()
    assert 'data-testid="provisional"' in page
    known = client.get("/plans/calendar/station/S-E/?month=2026-12").content.decode()
    assert 'data-testid="provisional"' not in known
    body = client.get("/api/v1/calendar/station/S-E?month=2027-01").json()
    assert body["working_days_provisional"] is True
    assert D(2027, 1, 1).isoformat() in body["working_days"]  # a Friday, counted for now


def test_loading_the_year_moves_a_planned_task_off_the_new_holiday(county: County) -> None:
    task = task_on(county, D(2027, 1, 1))
    visit = Visit.objects.create(
        entity=task.entity, period="2027-01", unit=county.east, scheduled_on=D(2027, 1, 1)
    )
    Task.objects.filter(pk=task.pk).update(visit=visit)
    kept = task_on(county, D(2027, 1, 5))
    assert load_2027()["巡查任务日期"] == 1
    task.refresh_from_db()
    visit.refresh_from_db()
    kept.refresh_from_db()
    assert (task.scheduled_on, visit.scheduled_on, kept.scheduled_on) == (
        D(2027, 1, 4),
        D(2027, 1, 4),
        D(2027, 1, 5),
    )
    event = audit.history(task).first()
    assert event is not None
    assert event.reason == "2027 年节假日安排已载入，2027-01-01 为休息日，改至 2027-01-04"
    assert recompute_year(2027)["巡查任务日期"] == 0


def test_a_done_task_stays_where_it_was(county: County) -> None:
    task = task_on(county, D(2027, 1, 1), status=Task.Status.DONE, done_on=D(2027, 1, 1))
    assert load_2027()["巡查任务日期"] == 0
    task.refresh_from_db()
    assert task.scheduled_on == D(2027, 1, 1)
