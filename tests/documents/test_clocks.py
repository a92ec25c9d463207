"""The periods a delivery starts: counted from the day after delivery, a last day on a rest day
moved to the next working day, working days from the working calendar."""

from __future__ import annotations

import datetime as dt

import pytest

from xiaoneng.core.calendar import WorkingCalendar
from xiaoneng.core.models import CalendarYear
from xiaoneng.documents.clocks import periods

D = dt.date


@pytest.fixture
def calendar(db: object) -> WorkingCalendar:
    CalendarYear.objects.get_or_create(year=2026, defaults={"source": "测试"})
    CalendarYear.objects.get_or_create(year=2027, defaults={"source": "测试"})
    return WorkingCalendar.load()


def table(kind: str, day: D, calendar: WorkingCalendar) -> list[tuple[str, D]]:
    return [(p.label, p.ends_on) for p in periods(kind, day, calendar)]


def test_a_decision_delivered_starts_payment_review_and_litigation(
    calendar: WorkingCalendar,
) -> None:
    # Delivered Wed Sep 16 2026: +15 days is Thu Oct 1 (国庆, Oct 1–7 off) → Thu Oct 8;
    # +60 days is Sun Nov 15 → Mon Nov 16; six months later is Tue Mar 16 2027.
    assert table("case-decision", D(2026, 9, 16), calendar) == [
        ("缴纳罚没款", D(2026, 10, 8)),
        ("申请行政复议", D(2026, 11, 16)),
        ("提起行政诉讼", D(2027, 3, 16)),
    ]


def test_a_notice_delivered_starts_five_working_days_to_state_and_defend(
    calendar: WorkingCalendar,
) -> None:
    # Delivered Sun Apr 5 2026 (清明, Apr 4–6 off): Apr 7, 8, 9, 10, 13.
    assert table("case-notice", D(2026, 4, 5), calendar) == [
        ("陈述、申辩或者要求听证", D(2026, 4, 13))
    ]


def test_six_months_from_the_last_day_of_a_month_end_on_the_shorter_months_last_day(
    calendar: WorkingCalendar,
) -> None:
    # Aug 31 + 6 months: Feb 28 2027 is a Sunday → Mon Mar 1.
    found = dict(table("rectification", D(2026, 8, 31), calendar))
    assert found["提起行政诉讼"] == D(2027, 3, 1)


def test_a_warning_and_a_receipt_start_no_period(calendar: WorkingCalendar) -> None:
    assert table("warning", D(2026, 9, 16), calendar) == []
    assert table("service", D(2026, 9, 16), calendar) == []
