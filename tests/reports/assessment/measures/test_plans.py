"""巡查计划完成率, 按期完成率 and 应检尽检率 on a small county computed by hand (March 2026)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.conftest import County
from tests.inspections.factories import make_inspection
from tests.reports.assessment.measures.fixtures_a import (
    MARCH,
    D,
    assert_rows_agree,
    east_entity,
    make_task,
    plan_of,
    scored,
    west_entity,
)
from xiaoneng.planning.patrol.models import Plan, Task
from xiaoneng.registry.models import Entity
from xiaoneng.reports.assessment.catalogue import OFFICER, STATION
from xiaoneng.reports.assessment.measures.plans import DUE_COVERAGE, ON_TIME, PLAN_COMPLETION

pytestmark = pytest.mark.django_db
DONE, PLANNED = Task.Status.DONE, Task.Status.PLANNED


@pytest.fixture
def tasks(county: County) -> County:
    """The east officer's six tasks due in March, and the tasks that must not count."""
    c, officer = county, county.east_officer
    make_task(
        east_entity(c, "甲"), officer, due_on=D(2026, 3, 10), status=DONE, done_on=D(2026, 3, 8)
    )
    make_task(
        east_entity(c, "乙"), officer, due_on=D(2026, 3, 20), status=DONE, done_on=D(2026, 3, 25)
    )
    make_task(east_entity(c, "丙"), officer, due_on=D(2026, 3, 31))  # last day: counts, undone
    make_task(
        east_entity(c, "丁"), officer, due_on=D(2026, 3, 31), status=DONE, done_on=D(2026, 4, 2)
    )
    campaign = plan_of(c.east, kind=Plan.Kind.CAMPAIGN)  # no due date: by the month's last day
    make_task(
        east_entity(c, "戊"),
        officer,
        due_on=None,
        plan=campaign,
        status=DONE,
        done_on=D(2026, 3, 31),
    )
    make_task(
        east_entity(c, "己"), officer, due_on=D(2026, 3, 1), status=DONE, done_on=D(2026, 2, 28)
    )
    # Not counted: due the day after, due the day before, cancelled.
    make_task(east_entity(c, "庚"), officer, due_on=D(2026, 4, 1), plan=plan_of(c.east, "2026-04"))
    make_task(
        east_entity(c, "辛"), officer, due_on=D(2026, 2, 28), plan=plan_of(c.east, "2026-02"),
        status=DONE, done_on=D(2026, 2, 28),
    )  # fmt: skip
    make_task(east_entity(c, "壬"), officer, due_on=D(2026, 3, 15), status=Task.Status.CANCELLED)
    # Overflow: the station's, nobody's own.
    make_task(
        east_entity(c, "癸"), None, due_on=D(2026, 3, 12), status=Task.Status.OVERFLOW,
        overflow_reason=Task.Overflow.CAPACITY,
    )  # fmt: skip
    make_task(
        west_entity(c, "西甲"),
        c.west_officer,
        due_on=D(2026, 3, 15),
        status=DONE,
        done_on=D(2026, 3, 15),
    )
    return c


def test_completion_of_officers_and_stations(tasks: County) -> None:
    c = tasks
    officers = PLAN_COMPLETION.measure(OFFICER, [c.east_officer.pk, c.west_officer.pk], MARCH)
    east = officers[c.east_officer.pk]
    # 甲 乙 丙 丁 戊 己 = 6; done by 31 March: 甲 乙 戊 己 = 4 (丁 done on 2 April) → 66.67 %
    assert (east.value, east.numerator, east.denominator) == (Decimal("66.67"), 4, 6)
    assert east.detail == "巡查任务6项，期末前完成4项"
    # (66.67 − 60) × 100 ÷ (100 − 60) = 16.675 → 16.68
    assert scored(PLAN_COMPLETION, east.value) == Decimal("16.68")
    assert officers[c.west_officer.pk].value == Decimal("100.00")
    stations = PLAN_COMPLETION.measure(STATION, [c.east.pk, c.west.pk, c.bureau.pk], MARCH)
    # the east station adds the overflow 癸: 4 of 7 = 57.14 %; the bureau 5 of 8 = 62.50 %
    assert (stations[c.east.pk].value, stations[c.east.pk].denominator) == (Decimal("57.14"), 7)
    assert stations[c.west.pk].value == Decimal("100.00")
    assert (stations[c.bureau.pk].value, stations[c.bureau.pk].numerator) == (Decimal("62.50"), 5)
    # (62.5 − 60) × 100 ÷ 40 = 6.25
    assert scored(PLAN_COMPLETION, stations[c.bureau.pk].value) == Decimal("6.25")


def test_on_time_fails_late_and_undone_tasks(tasks: County) -> None:
    c = tasks
    east = ON_TIME.measure(OFFICER, [c.east_officer.pk], MARCH)[c.east_officer.pk]
    # on time: 甲 (8th ≤ 10th), 戊 (31st ≤ month end), 己 (28 Feb ≤ 1 Mar) = 3 of 6 = 50 %
    assert (east.value, east.numerator, east.denominator) == (Decimal("50.00"), 3, 6)
    assert east.detail == "巡查任务6项，按期完成3项"
    # (50 − 30) × 100 ÷ (95 − 30) = 30.769… → 30.77
    assert scored(ON_TIME, east.value) == Decimal("30.77")
    stations = ON_TIME.measure(STATION, [c.east.pk, c.bureau.pk], MARCH)
    assert stations[c.east.pk].value == Decimal("42.86")  # 3 of 7
    assert stations[c.bureau.pk].value == Decimal("50.00")  # 4 of 8


def test_no_tasks_is_no_data(tasks: County) -> None:
    c = tasks
    for indicator in (PLAN_COMPLETION, ON_TIME):
        found = indicator.measure(OFFICER, [c.division_staff.pk], MARCH)[c.division_staff.pk]
        assert (found.value, found.numerator, found.denominator) == (None, 0, 0)
        assert found.detail == "期间内无应完成的巡查任务"
        assert scored(indicator, found.value) is None
    division = PLAN_COMPLETION.measure(STATION, [c.division.pk], MARCH)[c.division.pk]
    assert division.value is None


def test_drill_down_lists_the_tasks_counted(tasks: County) -> None:
    c = tasks
    for indicator in (PLAN_COMPLETION, ON_TIME):
        assert_rows_agree(indicator, OFFICER, c.east_officer.pk)
        assert_rows_agree(indicator, STATION, c.east.pk)
        assert_rows_agree(indicator, STATION, c.bureau.pk)
    rows = ON_TIME.records(OFFICER, c.east_officer.pk, MARCH)
    states = {r.title: (r.state, r.counts) for r in rows}
    assert states == {
        "甲": ("已完成（2026-03-08）", "numerator"),
        "乙": ("已完成（逾期5天）", "denominator"),
        "丙": ("未完成", "denominator"),
        "丁": ("期末后完成（2026-04-02）", "denominator"),
        "戊": ("已完成（2026-03-31）", "numerator"),
        "己": ("已完成（2026-02-28）", "numerator"),
    }
    assert rows[-1].title == "己" and rows[-1].url.startswith("/plans/tasks/")
    station = PLAN_COMPLETION.records(STATION, c.east.pk, MARCH)
    assert ("癸", "未排入（责任人每日上限已排满）") in {(r.title, r.state) for r in station}


@pytest.fixture
def due(county: County) -> County:
    """Class Ⅰ, grade D entities (182 days between patrols) entered on 1 January 2025."""
    c = county
    values = {"risk_class": "I", "credit_grade": "D", "registered_on": D(2025, 1, 1)}
    first = east_entity(c, "一号", **values)  # due 2025-07-02, inspected 10 March
    make_inspection(entity=first, officers=[c.east_officer], visited_on=D(2026, 3, 10))
    second = east_entity(c, "二号", **values)  # 2025-09-20 + 182 = due 2026-03-21
    make_inspection(entity=second, officers=[c.east_officer], visited_on=D(2025, 9, 20))
    make_inspection(entity=second, officers=[c.west_officer], visited_on=D(2026, 3, 31))
    third = east_entity(c, "三号", **values)  # task done 2025-09-30: due 31 March, the last day
    make_task(
        third,
        c.east_officer,
        due_on=None,
        plan=plan_of(c.east, "2025-09"),
        status=DONE,
        done_on=D(2025, 9, 30),
    )
    make_task(third, c.east_officer, due_on=D(2026, 3, 31), status=DONE, done_on=D(2026, 3, 20))
    fourth = east_entity(c, "四号", **values)  # 2025-10-01 + 182 = 1 April: not due in March
    make_inspection(entity=fourth, officers=[c.east_officer], visited_on=D(2025, 10, 1))
    make_inspection(entity=fourth, officers=[c.east_officer], visited_on=D(2026, 3, 5))
    sixth = east_entity(c, "六号", **values)  # due, a draft in March, signed the day after
    make_inspection(
        entity=sixth, officers=[c.east_officer], visited_on=D(2026, 3, 15), signed=False
    )
    make_inspection(entity=sixth, officers=[c.east_officer], visited_on=D(2026, 4, 1))
    west_entity(c, "西一号", **values)  # due, never inspected
    # The register's day is the latest signed visit: after the period's start it is not read.
    for entity, day in ((first, 10), (second, 31), (fourth, 5)):
        Entity.objects.filter(pk=entity.pk).update(last_inspected_on=D(2026, 3, day))
    Entity.objects.filter(pk=sixth.pk).update(last_inspected_on=D(2026, 4, 1))
    return c


def test_due_coverage_by_grid_officer_and_station(due: County) -> None:
    c = due
    officers = DUE_COVERAGE.measure(OFFICER, [c.east_officer.pk, c.division_staff.pk], MARCH)
    east = officers[c.east_officer.pk]
    # due: 一号 二号 三号 六号 (四号 only on 1 April); inspected: 一号 二号 三号 → 3 of 4
    assert (east.value, east.numerator, east.denominator) == (Decimal("75.00"), 3, 4)
    assert east.detail == "应检主体4户，期内已检查3户"
    # (75 − 50) × 100 ÷ (100 − 50) = 50
    assert scored(DUE_COVERAGE, east.value) == Decimal("50.00")
    nobody = officers[c.division_staff.pk]
    assert (nobody.value, nobody.detail) == (None, "期间内无应检主体")
    stations = DUE_COVERAGE.measure(STATION, [c.east.pk, c.west.pk, c.bureau.pk], MARCH)
    assert stations[c.east.pk].value == Decimal("75.00")
    assert (stations[c.west.pk].value, stations[c.west.pk].denominator) == (Decimal("0.00"), 1)
    assert stations[c.bureau.pk].value == Decimal("60.00")  # 3 of 5


def test_due_coverage_drill_down(due: County) -> None:
    c = due
    assert_rows_agree(DUE_COVERAGE, OFFICER, c.east_officer.pk)
    assert_rows_agree(DUE_COVERAGE, STATION, c.bureau.pk)
    rows = DUE_COVERAGE.records(STATION, c.east.pk, MARCH)
    assert [(r.title, r.day, r.counts) for r in rows] == [
        ("三号", D(2026, 3, 31), "numerator"),
        ("二号", D(2026, 3, 21), "numerator"),
        ("六号", D(2025, 7, 2), "denominator"),
        ("一号", D(2025, 7, 2), "numerator"),
    ]
    assert rows[0].url.startswith("/entities/")
