"""Patrol plans: due entities on working days within capacity, overflow with reasons, 六定."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest
from django.utils import timezone

from tests.conftest import County
from tests.planning.patrol.test_schedule import (  # noqa: F401
    calendar_known_ahead,
    done_task,
    east_entity,
    expected,
)
from tests.registry.factories import make_entity
from xiaoneng.core.calendar import WorkingCalendar
from xiaoneng.core.models import AuditEvent
from xiaoneng.org import services as org_services
from xiaoneng.planning.patrol.models import Plan, Task
from xiaoneng.planning.patrol.services import generate_patrol_plan
from xiaoneng.planning.patrol.tasks import complete_task
from xiaoneng.planning.policy import services as policies
from xiaoneng.registry.models import Entity

D = dt.date
BEFORE_OCTOBER = D(2026, 9, 20)  # "today" when the October 2026 plan is made
# October 2026: National Day 1–7 October, Saturday 10 October a working day (调休).
OCTOBER_WORKING_DAYS = [D(2026, 10, d) for d in (8, 9, 10, 12, 13, 14, 15, 16)] + [
    D(2026, 10, d) for d in (19, 20, 21, 22, 23, 26, 27, 28, 29, 30)
]


def due_east(county: County, n: int, **values: Any) -> list[Entity]:
    """``n`` entities of the east grid, all long overdue (entered 2018, never inspected)."""
    return [east_entity(county, registered_on=D(2018, 1, 1), **values) for _ in range(n)]


def october(**options: Any) -> Any:
    options.setdefault("today", BEFORE_OCTOBER)
    return generate_patrol_plan(period="2026-10", **options)


def test_working_days_of_october_2026_skip_national_day_and_include_the_saturday(
    db: Any,
) -> None:
    calendar = WorkingCalendar.load()
    days = [D(2026, 10, 1) + dt.timedelta(days=n) for n in range(31)]
    assert [d for d in days if calendar.is_working_day(d)] == OCTOBER_WORKING_DAYS


def test_plan_puts_tasks_on_working_days_only_most_overdue_first(county: County) -> None:
    oldest = east_entity(county, registered_on=D(2016, 1, 1))
    rest = due_east(county, 24)
    report = october(capacity=2)
    tasks = list(Task.objects.filter(plan_id=report.plan_id).order_by("scheduled_on", "id"))
    assert len(tasks) == 25 and report.created == 25 and report.overflow_total == 0
    assert {t.scheduled_on for t in tasks} <= set(OCTOBER_WORKING_DAYS)
    assert tasks[0].entity_id == oldest.pk and tasks[0].scheduled_on == D(2026, 10, 8)
    per_day = Counter(t.scheduled_on for t in tasks)
    # 25 tasks over 18 days, at most 2 a day: level loading gives 2 on the first 7 days.
    assert max(per_day.values()) == 2 and len(per_day) == 18
    assert {e.pk for e in rest} | {oldest.pk} == {t.entity_id for t in tasks}


def test_plan_records_the_six_fixes(county: County) -> None:
    due_east(county, 1)
    report = october()
    task = Task.objects.get(plan_id=report.plan_id)
    assert task.grid == county.east_grid  # 定片区
    assert task.post == "城东所责任区干部（G-E 网格责任人）"  # 定岗位
    assert task.officer == county.east_officer  # 定人员
    assert task.description == (  # 定任务
        "日常巡查：Ⅰ类·B级，近距离监管，每 548 天一次；应查日 2019-07-03，入册以来未检查"
    )
    assert task.standard.startswith("Ⅰ类重点监控：许可证在有效期内")  # 定标准
    assert task.responsibility == (  # 定责任
        f"网格责任人{county.east_officer.name}对本网格巡查结果负责，城东所所长抽查"
    )
    assert task.unit == county.east and task.period == "2026-10"
    plan = Plan.objects.get(pk=report.plan_id)
    assert (plan.kind, plan.unit, plan.policy.version) == ("patrol", county.bureau, 1)


def test_entities_not_due_by_the_end_of_the_period_get_no_task(county: County) -> None:
    (due,) = due_east(county, 1)
    fresh = east_entity(county, registered_on=D(2026, 1, 5))  # due 2027-07-07
    inspected = east_entity(county, registered_on=D(2018, 1, 1))
    done_task(inspected, D(2026, 5, 1))
    closed = east_entity(county, registered_on=D(2018, 1, 1), status=Entity.Status.SUSPENDED)
    report = october()
    planned = set(Task.objects.filter(plan_id=report.plan_id).values_list("entity_id", flat=True))
    assert planned == {due.pk}
    assert not {fresh.pk, inspected.pk, closed.pk} & planned
    assert report.due == 1


def test_capacity_overflow_is_recorded_with_its_reason_never_dropped(county: County) -> None:
    entities = due_east(county, 20)
    report = october(capacity=1)
    tasks = Task.objects.filter(plan_id=report.plan_id)
    assert tasks.count() == 20
    assert report.created == 18 and report.overflow == {"capacity": 2}
    overflow = list(tasks.filter(status=Task.Status.OVERFLOW).order_by("id"))
    # The least overdue (same entry date: the highest ids) are the ones that did not fit.
    assert [t.entity_id for t in overflow] == [e.pk for e in entities[-2:]]
    assert all(t.scheduled_on is None and t.officer is None for t in overflow)
    assert {t.overflow_reason for t in overflow} == {"capacity"}


def test_no_officer_and_outside_every_grid_overflow_with_their_reasons(county: County) -> None:
    org_services.set_grid_officer(grid=county.west_grid, officer=None)
    lon, lat = county.west_point()
    west = make_entity(longitude=lon, latitude=lat, registered_on=D(2018, 1, 1))
    lon, lat = county.outside_point()
    outside = make_entity(longitude=lon, latitude=lat, registered_on=D(2018, 1, 1))
    report = october()
    reasons = dict(
        Task.objects.filter(plan_id=report.plan_id).values_list("entity_id", "overflow_reason")
    )
    assert reasons == {west.pk: "no_officer", outside.pk: "outside_grids"}
    assert report.overflow == {"no_officer": 1, "outside_grids": 1}
    assert Task.objects.get(entity=outside).unit == county.bureau


def test_a_station_plan_covers_only_the_stations_entities(county: County) -> None:
    due_east(county, 2)
    lon, lat = county.west_point()
    make_entity(longitude=lon, latitude=lat, registered_on=D(2018, 1, 1))
    report = october(unit_code="S-W")
    tasks = Task.objects.filter(plan_id=report.plan_id)
    assert tasks.count() == 1 and tasks.get().officer == county.west_officer
    assert report.unit_code == "S-W"


def test_rerunning_a_period_is_idempotent_and_leaves_done_tasks_alone(county: County) -> None:
    due_east(county, 20)
    first = october(capacity=1)
    task = Task.objects.filter(plan_id=first.plan_id, status=Task.Status.PLANNED).first()
    assert task is not None
    Task.objects.filter(pk=task.pk).update(status=Task.Status.DONE, done_on=D(2026, 10, 8))
    before = list(Task.objects.order_by("id").values())
    events = AuditEvent.objects.count()
    again = october(capacity=1)
    assert again.plan_id == first.plan_id
    assert list(Task.objects.order_by("id").values()) == before
    assert AuditEvent.objects.count() == events
    assert Plan.objects.count() == 1
    assert (again.created, again.kept, again.overflow) == (0, 18, {"capacity": 2})


def test_a_new_policy_version_applies_to_later_periods_and_never_rewrites_a_plan(
    county: County,
) -> None:
    due_east(county, 1, credit_grade="D")
    first = october()
    before = list(Task.objects.order_by("id").values())
    cells = policies.default_cells()
    cells["I-D"]["patrol_interval_days"] = 30
    effective = timezone.localdate() + dt.timedelta(days=3)
    policies.create_policy(effective_from=effective, cells=cells, actor=county.admin)
    again = october()
    assert (again.policy_version, Plan.objects.get(pk=first.plan_id).policy.version) == (1, 1)
    assert list(Task.objects.order_by("id").values()) == before
    later = generate_patrol_plan(
        period=f"{effective + dt.timedelta(days=40):%Y-%m}", today=effective, dry_run=True
    )
    assert later.policy_version == 2


def test_rerun_places_earlier_overflow_that_fits_now(county: County) -> None:
    due_east(county, 20)
    october(capacity=1)
    again = october(capacity=2)
    assert again.placed_again == 2 and again.overflow == {}
    assert not Task.objects.filter(status=Task.Status.OVERFLOW).exists()
    assert Task.objects.count() == 20


def test_an_entity_with_an_open_task_of_an_earlier_period_is_not_planned_again(
    county: County,
) -> None:
    due_east(county, 1)
    october()
    november = generate_patrol_plan(period="2026-11", today=D(2026, 10, 20))
    assert (november.due, november.created, november.elsewhere) == (1, 0, 1)
    assert not Task.objects.filter(period="2026-11").exists()


def test_a_plan_made_mid_month_schedules_from_today(county: County) -> None:
    due_east(county, 3)
    report = october(today=D(2026, 10, 27))
    days = set(Task.objects.filter(plan_id=report.plan_id).values_list("scheduled_on", flat=True))
    assert days == {D(2026, 10, 27), D(2026, 10, 28), D(2026, 10, 29)}
    assert report.working_days == 4


def test_no_working_day_left_overflows_with_that_reason(county: County) -> None:
    due_east(county, 1)
    report = october(today=D(2026, 10, 31))  # a Saturday, the last day
    assert report.overflow == {"no_working_day": 1}


def test_existing_tasks_of_an_officer_count_against_the_capacity(county: County) -> None:
    due_east(county, 18)
    october(unit_code="S-E", capacity=1)
    due_east(county, 1)
    report = october(capacity=1)  # the bureau plan: the officer's days are full
    assert report.elsewhere == 18 and report.overflow == {"capacity": 1}


def test_dry_run_reports_and_writes_nothing(county: County) -> None:
    due_east(county, 3)
    report = october(dry_run=True)
    assert report.dry_run and report.created == 3 and report.plan_id is None
    assert not Plan.objects.exists() and not Task.objects.exists()
    assert [(o.name, o.tasks) for o in report.officers] == [(county.east_officer.name, 3)]


def test_tasks_are_traced_in_bulk_with_their_creator(county: County) -> None:
    due_east(county, 2)
    report = october(actor=county.east_director, unit_code="S-E")
    events = AuditEvent.objects.filter(content_type__model="task")
    assert events.count() == 2
    assert {e.actor_id for e in events} == {county.east_director.pk}
    assert Plan.objects.get(pk=report.plan_id).created_by == county.east_director


def test_a_task_done_is_the_next_plans_last_inspection(county: County) -> None:
    (entity,) = due_east(county, 1)
    report = october()
    task = Task.objects.get(plan_id=report.plan_id)
    complete_task(task=task, officer=county.east_officer, done_on=D(2026, 10, 8), note="无问题")
    november = generate_patrol_plan(period="2026-11", today=D(2026, 10, 20))
    assert november.due == 0 and not Task.objects.filter(period="2026-11").exists()
    assert entity.pk == task.entity_id


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"period": "2026-13"}, "period: 期间的年份或月份超出范围：2026-13"),
        ({"period": "26-12"}, "period: 期间应为 YYYY-MM 格式的年月（如 2026-12）：26-12"),
        ({"period": "2026/12"}, "period: 期间应为 YYYY-MM 格式的年月（如 2026-12）：2026/12"),
        ({"period": ""}, "period: 期间应为 YYYY-MM 格式的年月（如 2026-12）："),
        ({"period": "2025-09"}, "period: 期间 2025-09 已经结束，不能再制定计划"),
        ({"period": "2026-10", "unit_code": "NOPE"}, "unit: 未知的单位代码：NOPE"),
        ({"period": "2026-10", "capacity": 0}, "capacity: 每人每日上限应为 1 至 50 之间的整数：0"),
        (
            {"period": "2026-10", "capacity": -3},
            "capacity: 每人每日上限应为 1 至 50 之间的整数：-3",
        ),
        (
            {"period": "2026-10", "capacity": "many"},
            "capacity: 每人每日上限应为 1 至 50 之间的整数：many",
        ),
        (
            {"period": "2026-10", "capacity": 51},
            "capacity: 每人每日上限应为 1 至 50 之间的整数：51",
        ),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_written(
    county: County, options: dict[str, Any], message: str
) -> None:
    due_east(county, 2)
    events = AuditEvent.objects.count()
    with pytest.raises(Exception) as refused:
        generate_patrol_plan(today=BEFORE_OCTOBER, **options)
    assert refused.value.message == expected(message)  # type: ignore[attr-defined]
    assert not Plan.objects.exists() and not Task.objects.exists()
    assert AuditEvent.objects.count() == events


def test_only_planners_of_the_unit_may_generate(county: County) -> None:
    due_east(county, 1)
    with pytest.raises(Exception) as refused:
        october(actor=county.east_officer)
    assert refused.value.message == "您的角色无权执行此操作。"  # type: ignore[attr-defined]
    with pytest.raises(Exception) as refused:
        october(actor=county.west_director, unit_code="S-E")
    assert refused.value.message == "该记录不属于您所在单位的辖区。"  # type: ignore[attr-defined]
    assert not Plan.objects.exists()
    assert october(actor=county.east_director, unit_code="S-E").created == 1
