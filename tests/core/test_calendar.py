"""Working days under the Chinese holiday calendar, loaded from chinesecalendar by a migration."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest

from xiaoneng.core.calendar import CalendarUnknown, WorkingCalendar, load_from_chinesecalendar
from xiaoneng.core.models import CalendarException, CalendarYear

D = dt.date


@pytest.fixture
def calendar(db) -> WorkingCalendar:  # type: ignore[no-untyped-def]
    return WorkingCalendar.load()


def test_national_day_is_not_a_working_day(calendar: WorkingCalendar) -> None:
    assert calendar.is_working_day(D(2026, 10, 1)) is False
    assert chinese_calendar.is_workday(D(2026, 10, 1)) is False


def test_adjusted_saturday_after_national_day_is_a_working_day(calendar: WorkingCalendar) -> None:
    saturday = D(2026, 10, 10)
    assert saturday.weekday() == 5
    assert chinese_calendar.is_workday(saturday) is True
    assert calendar.is_working_day(saturday) is True


def test_ordinary_weekdays_and_weekends(calendar: WorkingCalendar) -> None:
    assert calendar.is_working_day(D(2026, 3, 4)) is True  # Wednesday
    assert calendar.is_working_day(D(2026, 3, 7)) is False  # Saturday


def test_every_day_of_2025_and_2026_agrees_with_chinesecalendar(calendar: WorkingCalendar) -> None:
    day = D(2025, 1, 1)
    disagreements = []
    while day <= D(2026, 12, 31):
        if calendar.is_working_day(day) != chinese_calendar.is_workday(day):
            disagreements.append(day)
        day += dt.timedelta(days=1)
    assert disagreements == []


def test_add_working_days_skips_the_national_day_week(calendar: WorkingCalendar) -> None:
    # Working days after 30 Sep: 8, 9, 10 (adjusted Saturday), 12 October.
    assert calendar.add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert calendar.add_working_days(D(2026, 9, 30), 3) == D(2026, 10, 10)
    assert calendar.add_working_days(D(2026, 9, 30), 4) == D(2026, 10, 12)


def test_add_zero_working_days_is_the_start_itself(calendar: WorkingCalendar) -> None:
    assert calendar.add_working_days(D(2026, 10, 3), 0) == D(2026, 10, 3)


def test_working_days_between_counts_after_start_up_to_end(calendar: WorkingCalendar) -> None:
    assert calendar.working_days_between(D(2026, 9, 30), D(2026, 10, 12)) == 4
    assert calendar.working_days_between(D(2026, 10, 12), D(2026, 9, 30)) == 0


def test_a_strict_calendar_refuses_a_date_after_the_last_year_naming_it(db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CalendarUnknown) as raised:
        WorkingCalendar.load(strict=True).is_working_day(D(2027, 1, 4))
    assert raised.value.message == (
        "工作日历中没有 2027 年的节假日安排（已知年份：2004–2026），请管理员补充。"
    )


def test_counting_into_an_unknown_year_is_an_error_when_strict(db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CalendarUnknown, match="2027 年"):
        WorkingCalendar.load(strict=True).add_working_days(D(2026, 12, 28), 10)


def test_a_year_after_the_last_is_provisional_weekdays_only(calendar: WorkingCalendar) -> None:
    assert calendar.last_known_year == 2026
    assert calendar.is_provisional(D(2027, 1, 1)) and not calendar.is_provisional(D(2026, 12, 31))
    assert calendar.is_working_day(D(2027, 1, 1)) is True  # a Friday: 元旦 not yet loaded
    assert calendar.is_working_day(D(2027, 1, 2)) is False
    # 28 Dec 2026 (Mon) + 10 working days: 29–31 Dec, then 1, 4–8, 11 Jan 2027.
    assert calendar.add_working_days(D(2026, 12, 28), 10) == D(2027, 1, 11)


def test_a_date_before_the_first_year_is_an_error_even_when_not_strict(
    calendar: WorkingCalendar,
) -> None:
    with pytest.raises(CalendarUnknown, match="2003 年"):
        calendar.is_working_day(D(2003, 12, 31))


def test_an_empty_calendar_names_no_known_years() -> None:
    with pytest.raises(CalendarUnknown) as raised:
        WorkingCalendar([], {}).is_working_day(D(2026, 1, 5))
    assert (
        raised.value.message == "工作日历中没有 2026 年的节假日安排（已知年份：无），请管理员补充。"
    )


def test_a_year_added_by_an_administrator_becomes_known(db) -> None:  # type: ignore[no-untyped-def]
    CalendarYear.objects.create(year=2027, source="国办发明电〔2026〕")
    CalendarException.objects.create(date=D(2027, 1, 1), is_working_day=False, name="元旦")
    calendar = WorkingCalendar.load()
    assert calendar.is_working_day(D(2027, 1, 1)) is False
    assert calendar.is_working_day(D(2027, 1, 4)) is True


def test_loading_chinesecalendar_again_adds_nothing(db) -> None:  # type: ignore[no-untyped-def]
    counts = CalendarYear.objects.count(), CalendarException.objects.count()
    years = load_from_chinesecalendar()
    assert (years[0], years[-1]) == (2004, 2026)
    assert (CalendarYear.objects.count(), CalendarException.objects.count()) == counts


@pytest.mark.parametrize("days", [1, 5, 15])
def test_latest_start_due_before_is_the_boundary_of_add_working_days(
    calendar: WorkingCalendar, days: int
) -> None:
    """For every ``today``, starts up to the returned date are overdue and later ones are not."""
    today = D(2026, 9, 1)
    while today <= D(2026, 11, 15):
        latest = calendar.latest_start_due_before(today, days)
        assert latest < today
        assert calendar.add_working_days(latest, days) < today, (today, latest)
        following = latest + dt.timedelta(days=1)
        assert calendar.add_working_days(following, days) >= today, (today, following)
        today += dt.timedelta(days=1)


def test_latest_start_due_before_after_national_day(calendar: WorkingCalendar) -> None:
    # Due in 3 working days: started 28 Sep → due 8 Oct, overdue from 9 Oct; started 29 Sep →
    # due 9 Oct, overdue from 10 Oct.
    assert calendar.add_working_days(D(2026, 9, 28), 3) == D(2026, 10, 8)
    assert calendar.latest_start_due_before(D(2026, 10, 9), 3) == D(2026, 9, 28)
    assert calendar.latest_start_due_before(D(2026, 10, 10), 3) == D(2026, 9, 29)
