"""A deadline after the last loaded year: provisional (weekdays only), marked 暂定 on the page
and in the API, and recomputed — traced — when that year's holidays are loaded."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import County, client_for
from tests.inspections.followup.test_services import inspected, order
from xiaoneng.core import audit
from xiaoneng.core.calendar import recompute_year
from xiaoneng.core.models import CalendarException, CalendarYear

D = dt.date
ISSUED = D(2026, 12, 20)  # a Sunday; 2027's holidays are not loaded
# 15 working days: 21–25 and 28–31 December (9), then 1 January 2027 and 4–8 January on
# weekdays only.
PROVISIONAL = D(2027, 1, 8)
# 2027 loaded with 1 January (元旦) a holiday: one working day later.
LOADED = D(2027, 1, 11)
TITLE = "该年节假日安排尚未载入，暂按周一至周五计算"


@pytest.fixture(autouse=True)
def calendar_ends_in_2026(db: None) -> None:
    """The calendar as chinesecalendar left it: nothing after 2026."""
    CalendarYear.objects.filter(year__gt=2026).delete()
    CalendarException.objects.filter(date__year__gt=2026).delete()


def load_2027() -> dict[str, int]:
    """An administrator enters 2027's schedule (元旦 only, for the test) and it is applied."""
    CalendarYear.objects.create(
        year=2027, source="国务院办公厅通知", notice="国办发明电〔2026〕X号"
    )
    CalendarException.objects.create(date=D(2027, 1, 1), is_working_day=False, name="元旦")
    return recompute_year(2027)


def test_an_order_into_an_unloaded_year_gets_a_provisional_deadline(county: County) -> None:
    rectification = order(county, working_days=15, today=ISSUED)
    assert (rectification.deadline, rectification.working_days) == (PROVISIONAL, 15)
    assert rectification.reinspection_task.due_on == D(2027, 1, 11)


def test_the_provisional_deadline_is_marked_on_the_pages_and_in_the_api(county: County) -> None:
    rectification = order(county, working_days=15, today=ISSUED)
    client = client_for(county.east_director)
    detail = client.get(f"/rectifications/{rectification.pk}/").content.decode()
    assert "2027-01-08" in detail and "暂定" in detail and TITLE in detail
    listing = client.get("/rectifications/?state=all").content.decode()
    assert 'data-testid="provisional"' in listing
    body = client.get(f"/api/v1/rectifications/{rectification.pk}").json()
    assert (body["deadline"], body["deadline_provisional"]) == ("2027-01-08", True)
    assert body["deadline_by_date"] is False


def test_a_deadline_in_a_loaded_year_is_not_marked(county: County) -> None:
    rectification = order(county, working_days=5, today=D(2026, 12, 1))
    client = client_for(county.east_director)
    detail = client.get(f"/rectifications/{rectification.pk}/").content.decode()
    assert 'data-testid="provisional"' not in detail
    body = client.get(f"/api/v1/rectifications/{rectification.pk}").json()
    assert body["deadline_provisional"] is False


def test_loading_the_year_moves_the_deadline_and_the_reinspection_and_traces_it(
    county: County,
) -> None:
    rectification = order(county, working_days=15, today=ISSUED)
    counts = load_2027()
    assert counts["整改期限"] == 1
    rectification.refresh_from_db()
    assert rectification.deadline == LOADED
    task = rectification.reinspection_task
    assert task is not None and (task.due_on, task.scheduled_on) == (D(2027, 1, 12),) * 2
    last = audit.history(rectification).first()
    assert last is not None
    assert last.changes == {"deadline": ["2027-01-08", "2027-01-11"]}
    assert last.reason == "2027 年节假日安排已载入，按工作日重新计算整改期限"
    assert audit.history(task).first().reason == "整改期限重新计算，复查日期随之调整"
    body = client_for(county.east_director).get(f"/api/v1/rectifications/{rectification.pk}")
    assert (body.json()["deadline"], body.json()["deadline_provisional"]) == ("2027-01-11", False)


def test_loading_again_changes_nothing(county: County) -> None:
    order(county, working_days=15, today=ISSUED)
    load_2027()
    assert recompute_year(2027)["整改期限"] == 0


def test_a_deadline_given_as_a_date_is_kept_when_the_year_is_loaded(county: County) -> None:
    rectification = order(county, working_days=None, deadline=D(2027, 1, 8), today=ISSUED)
    assert rectification.deadline_by_date and rectification.working_days == 15
    assert load_2027()["整改期限"] == 0
    rectification.refresh_from_db()
    assert rectification.deadline == D(2027, 1, 8)


def test_an_order_closed_before_the_load_keeps_its_reinspection_task(county: County) -> None:
    from xiaoneng.inspections.followup.services import record_rectified

    rectification = order(county, working_days=15, today=ISSUED)
    record_rectified(
        rectification=rectification, actor=county.east_officer, outcome="已整改", today=ISSUED
    )
    load_2027()
    rectification.refresh_from_db()
    assert rectification.deadline == LOADED
    assert rectification.reinspection_task.status == "cancelled"
    assert rectification.reinspection_task.due_on == D(2027, 1, 11)


def test_an_order_within_the_known_years_is_left_alone(county: County) -> None:
    inspection = inspected(county, visited_on=D(2026, 11, 30))
    rectification = order(county, inspection, working_days=5, today=D(2026, 12, 1))
    before = list(audit.history(rectification))
    assert load_2027()["整改期限"] == 0
    assert list(audit.history(rectification)) == before


def test_a_reinspection_on_a_new_holiday_moves_though_the_dated_deadline_stays(
    county: County,
) -> None:
    rectification = order(county, working_days=None, deadline=D(2026, 12, 31), today=ISSUED)
    task = rectification.reinspection_task
    assert task is not None and task.due_on == D(2027, 1, 1)  # a Friday, for now
    assert load_2027()["整改期限"] == 1
    rectification.refresh_from_db()
    task.refresh_from_db()
    assert rectification.deadline == D(2026, 12, 31)
    assert (task.due_on, task.scheduled_on, task.period) == (
        D(2027, 1, 4),
        D(2027, 1, 4),
        "2027-01",
    )
