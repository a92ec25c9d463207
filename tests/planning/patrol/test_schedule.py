"""Due dates: (last inspection or entry) + the policy's interval for class × grade, on arrays."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest
from django.utils import timezone

from tests.conftest import County
from tests.registry.factories import make_entity
from xiaoneng.core.models import CalendarYear
from xiaoneng.org.models import Officer
from xiaoneng.planning.patrol import queries, schedule
from xiaoneng.planning.patrol.models import Plan, Task
from xiaoneng.planning.patrol.services import parse_period
from xiaoneng.planning.policy import services as policies
from xiaoneng.registry import services as registry_services
from xiaoneng.registry.models import Entity

D = dt.date
UNKNOWN_2099 = "<the calendar does not know 2099>"  # replaced by unknown_year_message(2099)


@pytest.fixture(autouse=True)
def calendar_known_ahead(db: Any) -> None:
    """Plans are made for next month, so the calendar knows this year and the next, as an
    administrator extends it when the State Council announces the holidays."""
    today = timezone.localdate()
    for year in (today.year, today.year + 1):
        CalendarYear.objects.get_or_create(year=year, defaults={"source": "测试"})


def unknown_year_message(year: int) -> str:
    years = list(CalendarYear.objects.values_list("year", flat=True))
    return (
        f"工作日历中没有 {year} 年的节假日安排（已知年份：{min(years)}–{max(years)}），"
        "请管理员补充。"
    )


def expected(message: str) -> str:
    return unknown_year_message(2099) if message == UNKNOWN_2099 else message


def east_entity(county: County, **values: Any) -> Entity:
    lon, lat = county.east_point()
    return make_entity(longitude=lon, latitude=lat, **values)


def done_task(entity: Entity, day: dt.date, officer: Officer | None = None) -> Task:
    """A completed task on ``day``, as an earlier plan would have left it."""
    plan, _created = Plan.objects.get_or_create(
        kind=Plan.Kind.PATROL,
        period=f"{day:%Y-%m}",
        unit=entity.unit,
        defaults={"title": "历史巡查", "capacity": 6},
    )
    return Task.objects.create(
        plan=plan,
        entity=entity,
        unit=entity.unit,
        period=plan.period,
        grid=entity.grid,
        officer=officer,
        description="日常巡查",
        standard="亮照经营",
        responsibility="网格责任人负责",
        scheduled_on=day,
        status=Task.Status.DONE,
        done_on=day,
        note="未发现问题",
    )


def due_of(entity: Entity, on: dt.date) -> tuple[dt.date | None, dt.date, int]:
    """(last inspection, due date, overdue days) of one entity, through the array path."""
    dates = schedule.due_dates(Entity.objects.filter(pk=entity.pk), on=on)
    assert len(dates.register) == 1
    last = None if dates.last[0] == schedule.NEVER else schedule.to_date(dates.last[0])
    return last, schedule.to_date(dates.due[0]), int(dates.overdue_days[0])


def test_never_inspected_entity_is_due_an_interval_after_it_entered_the_register(
    county: County,
) -> None:
    entity = east_entity(county, registered_on=D(2026, 1, 5))  # H6210 → class Ⅰ, grade B
    assert (entity.risk_class, entity.credit_grade) == ("I", "B")
    # Ⅰ × B: every 548 days. 2026-01-05 + 548 days = 2027-07-07.
    assert due_of(entity, D(2026, 11, 26)) == (None, D(2027, 7, 7), 0)


def test_the_latest_done_task_is_the_last_inspection(county: County) -> None:
    entity = east_entity(county, registered_on=D(2020, 1, 5))
    done_task(entity, D(2025, 12, 1))
    done_task(entity, D(2026, 3, 10))
    cancelled = done_task(entity, D(2026, 6, 1))
    Task.objects.filter(pk=cancelled.pk).update(status=Task.Status.CANCELLED)
    # 2026-03-10 + 548 days = 2027-09-09.
    assert due_of(entity, D(2026, 11, 26)) == (D(2026, 3, 10), D(2027, 9, 9), 0)


def test_a_grade_change_moves_the_due_date_and_overdue_days(county: County) -> None:
    entity = east_entity(county, registered_on=D(2020, 1, 5))
    done_task(entity, D(2026, 3, 10))
    registry_services.change_credit_grade(
        entity=entity, grade="D", reason="被列入严重违法失信名单", actor=county.admin
    )
    # Ⅰ × D: every 182 days. 2026-03-10 + 182 = 2026-09-08; on 2026-11-26 that is 79 days ago.
    assert due_of(entity, D(2026, 11, 26)) == (D(2026, 3, 10), D(2026, 9, 8), 79)


def test_a_later_policy_version_applies_from_its_date_and_not_before(county: County) -> None:
    entity = east_entity(county, registered_on=D(2020, 1, 5), credit_grade="D")
    done_task(entity, D(2026, 3, 10))
    effective = timezone.localdate() + dt.timedelta(days=5)
    cells = policies.default_cells()
    cells["I-D"]["patrol_interval_days"] = 90
    policies.create_policy(effective_from=effective, cells=cells, actor=county.admin)
    day_before = effective - dt.timedelta(days=1)
    assert due_of(entity, day_before)[1] == D(2026, 3, 10) + dt.timedelta(days=182)
    assert due_of(entity, effective)[1] == D(2026, 3, 10) + dt.timedelta(days=90)


def test_order_puts_the_most_overdue_first_and_ties_by_id(county: County) -> None:
    old = east_entity(county, registered_on=D(2018, 1, 1))
    newer = east_entity(county, registered_on=D(2019, 1, 1))
    same = east_entity(county, registered_on=D(2018, 1, 1))
    dates = schedule.due_dates(Entity.objects.all(), on=D(2026, 11, 26))
    ids = dates.register.entity_id[dates.order()].tolist()
    assert ids == [old.pk, same.pk, newer.pk]


def test_register_loads_entities_outside_every_grid_with_grid_minus_one(county: County) -> None:
    lon, lat = county.outside_point()
    outside = make_entity(longitude=lon, latitude=lat, industry="F5211")
    register = schedule.load_register(Entity.objects.filter(pk=outside.pk))
    assert register.grid_id.tolist() == [-1]
    assert register.class_index.tolist() == [2]  # Ⅲ
    assert register.unit_id.tolist() == [county.bureau.pk]


@pytest.mark.parametrize(
    ("seek_below", "restrict_below"),
    [(20_000, 300_000), (0, 300_000), (0, 1)],
    ids=["by id", "sub-query", "every done task"],
)
def test_last_inspections_are_the_same_whichever_way_they_are_read(
    county: County, monkeypatch: pytest.MonkeyPatch, seek_below: int, restrict_below: int
) -> None:
    monkeypatch.setattr(schedule, "SEEK_BELOW", seek_below)
    monkeypatch.setattr(schedule, "RESTRICT_BELOW", restrict_below)
    first = east_entity(county, registered_on=D(2020, 1, 5))
    second = east_entity(county, registered_on=D(2020, 1, 5))
    done_task(second, D(2026, 2, 2))
    done_task(first, D(2026, 3, 3))
    dates = schedule.due_dates(Entity.objects.filter(pk=second.pk), on=D(2026, 11, 26))
    assert dates.last.tolist() == [schedule.day_number(D(2026, 2, 2))]
    both = schedule.due_dates(Entity.objects.all(), on=D(2026, 11, 26))
    assert both.last.tolist() == [
        schedule.day_number(D(2026, 3, 3)),
        schedule.day_number(D(2026, 2, 2)),
    ]
    assert both.register.entity_id.tolist() == [first.pk, second.pk]
    assert np.array_equal(both.interval, [548, 548])


@pytest.mark.parametrize(
    ("seek_below", "restrict_below"),
    [(20_000, 300_000), (0, 300_000), (0, 1)],
    ids=["by id", "sub-query", "every done task"],
)
def test_the_registers_last_inspection_counts_with_the_done_tasks_the_later_wins(
    county: County, monkeypatch: pytest.MonkeyPatch, seek_below: int, restrict_below: int
) -> None:
    monkeypatch.setattr(schedule, "SEEK_BELOW", seek_below)
    monkeypatch.setattr(schedule, "RESTRICT_BELOW", restrict_below)
    # A signed record without a task (a draw, a complaint): the register carries its day.
    record_later = east_entity(county, registered_on=D(2020, 1, 5))
    done_task(record_later, D(2026, 3, 10))
    registry_services.note_inspection(entity=record_later, on=D(2026, 10, 20))
    task_later = east_entity(county, registered_on=D(2020, 1, 5))
    registry_services.note_inspection(entity=task_later, on=D(2026, 2, 1))
    done_task(task_later, D(2026, 4, 1))
    only_record = east_entity(county, registered_on=D(2020, 1, 5))
    registry_services.note_inspection(entity=only_record, on=D(2026, 11, 2))
    never = east_entity(county, registered_on=D(2020, 1, 5))
    dates = schedule.due_dates(Entity.objects.all(), on=D(2026, 11, 26))
    assert dates.register.entity_id.tolist() == [
        record_later.pk,
        task_later.pk,
        only_record.pk,
        never.pk,
    ]
    assert dates.last.tolist() == [
        schedule.day_number(D(2026, 10, 20)),
        schedule.day_number(D(2026, 4, 1)),
        schedule.day_number(D(2026, 11, 2)),
        schedule.NEVER,
    ]
    # Ⅰ × B every 548 days: only the entity never inspected is due this month.
    due = schedule.due_in_period(unit=None, start=D(2026, 11, 1), end=D(2026, 11, 30))
    assert due_ids(due) == [never.pk]


def test_the_register_keeps_the_latest_inspection_day(county: County) -> None:
    entity = east_entity(county, registered_on=D(2020, 1, 5))
    registry_services.note_inspection(entity=entity, on=D(2026, 10, 20))
    registry_services.note_inspection(entity=entity, on=D(2026, 9, 1))  # a late record
    entity.refresh_from_db()
    assert entity.last_inspected_on == D(2026, 10, 20)
    moved = registry_services.note_inspections(days={entity.pk: D(2026, 11, 3)})
    entity.refresh_from_db()
    assert (moved, entity.last_inspected_on) == (1, D(2026, 11, 3))


# due_in_period: the one definition of "due" --------------------------------------------------


def west_entity(county: County, **values: Any) -> Entity:
    lon, lat = county.west_point()
    return make_entity(longitude=lon, latitude=lat, **values)


def due_ids(due: schedule.Due) -> list[int]:
    return due.dates.register.entity_id[due.positions].tolist()


def test_due_in_period_takes_what_falls_due_by_its_last_day_overdue_first(county: County) -> None:
    # Ⅰ × B: every 548 days, so each entity is due 548 days after it entered the register.
    late = east_entity(county, registered_on=D(2024, 1, 1))  # due 2025-07-02: overdue
    on_last_day = east_entity(county, registered_on=D(2025, 5, 31))  # due 2026-11-30
    east_entity(county, registered_on=D(2025, 6, 1))  # due 2026-12-01: next period
    due = schedule.due_in_period(unit=None, start=D(2026, 11, 1), end=D(2026, 11, 30))
    assert due_ids(due) == [late.pk, on_last_day.pk] and len(due) == 2
    assert int(due.dates.overdue_days[due.positions[0]]) == (D(2026, 11, 1) - D(2025, 7, 2)).days


def test_due_in_period_leaves_out_archived_and_closed_entities(county: County) -> None:
    kept = east_entity(county, registered_on=D(2020, 1, 5))
    archived = east_entity(county, registered_on=D(2020, 1, 5))
    registry_services.archive_entity(entity=archived, reason="迁出本县", actor=county.admin)
    east_entity(county, registered_on=D(2020, 1, 5), status=Entity.Status.DEREGISTERED)
    due = schedule.due_in_period(unit=None, start=D(2026, 11, 1), end=D(2026, 11, 30))
    assert due_ids(due) == [kept.pk]


def test_due_in_period_keeps_to_the_units_subtree_and_the_entities_given(county: County) -> None:
    east = east_entity(county, registered_on=D(2020, 1, 5))
    west = west_entity(county, registered_on=D(2020, 1, 5))
    period = {"start": D(2026, 11, 1), "end": D(2026, 11, 30)}
    assert due_ids(schedule.due_in_period(unit=county.east, **period)) == [east.pk]
    assert due_ids(schedule.due_in_period(unit=county.bureau, **period)) == [east.pk, west.pk]
    given = Entity.objects.filter(pk=west.pk)
    assert due_ids(schedule.due_in_period(unit=None, entities=given, **period)) == [west.pk]
    assert due_ids(schedule.due_in_period(unit=county.east, entities=given, **period)) == []


def test_an_entity_due_today_is_in_this_months_plan_but_not_yet_overdue(county: County) -> None:
    today = timezone.localdate()
    due_today = east_entity(county, registered_on=today - dt.timedelta(days=548))
    overdue = east_entity(county, registered_on=today - dt.timedelta(days=549))
    month = parse_period(f"{today:%Y-%m}")
    plan = schedule.due_in_period(unit=None, start=month.first, end=month.last)
    assert {overdue.pk, due_today.pk} <= set(due_ids(plan))
    selection = queries.due_selection(county.east_officer, station="S-E")
    listed = queries.due_list(selection, only_overdue=True, on=today)
    assert [row.entity.pk for row in listed] == [overdue.pk]
    every = queries.due_list(selection, only_overdue=False, on=today)
    assert [row.entity.pk for row in every] == [overdue.pk, due_today.pk]
