"""Tasks move along their transition table; who may record a visit's result."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import County
from tests.planning.patrol.test_schedule import calendar_known_ahead  # noqa: F401
from tests.planning.patrol.test_services import due_east, october
from xiaoneng.core.errors import Conflict, NotPermitted
from xiaoneng.org import services as org_services
from xiaoneng.planning.patrol.models import Task, Visit
from xiaoneng.planning.patrol.tasks import (
    TASK_TRANSITIONS,
    cancel_task,
    complete_task,
    may_record,
    transition,
)

D = dt.date
S = Task.Status


def test_the_transition_table_ends_at_done_and_cancelled() -> None:
    assert TASK_TRANSITIONS[S.PLANNED] == {S.DONE, S.CANCELLED}
    assert TASK_TRANSITIONS[S.OVERFLOW] == {S.PLANNED, S.DONE, S.CANCELLED}
    assert TASK_TRANSITIONS[S.DONE] == set() and TASK_TRANSITIONS[S.CANCELLED] == set()


def test_a_move_outside_the_table_is_refused() -> None:
    task = Task(status=S.DONE)
    with pytest.raises(Conflict) as refused:
        transition(task, S.CANCELLED)
    assert refused.value.message == "任务状态为“已完成”，不能改为“已取消”"
    task = Task(status=S.OVERFLOW)
    transition(task, S.PLANNED)
    assert task.status == S.PLANNED


def test_the_director_of_the_unit_may_record_and_another_officer_may_not(
    county: County,
) -> None:
    due_east(county, 1)
    task = Task.objects.get(plan_id=october().plan_id)
    assert may_record(county.east_officer, task) and may_record(county.east_director, task)
    assert not may_record(county.west_director, task) and not may_record(county.leader, task)
    with pytest.raises(NotPermitted):
        complete_task(task=task, officer=county.west_officer, done_on=None, note="x")


def test_a_member_of_the_joint_visits_team_may_record(county: County) -> None:
    due_east(county, 1)
    task = Task.objects.get(plan_id=october().plan_id)
    helper = org_services.create_officer(
        username="helper", name="协查干部", unit=county.east, roles=["grid_officer"]
    )
    assert not may_record(helper, task)
    visit = Visit.objects.create(
        entity=task.entity, period="2026-10", unit=county.east, scheduled_on=D(2026, 10, 8)
    )
    Task.objects.filter(pk=task.pk).update(visit=visit)
    other = Task.objects.create(
        plan=task.plan.__class__.objects.create(
            kind="campaign", period="2026-10", unit=county.division, title="专项", capacity=6
        ),
        entity=task.entity,
        unit=county.east,
        period="2026-10",
        officer=helper,
        description="专项整治",
        standard="要点",
        responsibility="责任",
        scheduled_on=D(2026, 10, 8),
        visit=visit,
    )
    task.refresh_from_db()
    assert may_record(helper, task) and other.visit_id == visit.pk


def test_a_cancelled_task_cannot_be_completed(county: County) -> None:
    due_east(county, 1)
    task = Task.objects.get(plan_id=october().plan_id)
    cancel_task(task=task, actor=county.east_director, reason="已停业")
    with pytest.raises(Conflict) as refused:
        complete_task(task=task, officer=county.east_officer, done_on=D(2026, 10, 8), note="x")
    assert refused.value.message == "任务状态为“已取消”，不能改为“已完成”"


def test_cancel_is_for_planners_of_the_unit(county: County) -> None:
    due_east(county, 1)
    task = Task.objects.get(plan_id=october().plan_id)
    with pytest.raises(NotPermitted):
        cancel_task(task=task, actor=county.west_director, reason="已停业")
    with pytest.raises(NotPermitted):
        cancel_task(task=task, actor=county.east_officer, reason="已停业")
    task.refresh_from_db()
    assert task.status == S.PLANNED


def test_a_re_inspection_task_never_joins_a_visit(county: County) -> None:
    from xiaoneng.planning.patrol.models import Plan
    from xiaoneng.planning.patrol.tasks import merge_visits

    due_east(county, 1)
    patrol = Task.objects.get(plan_id=october().plan_id)
    reinspection_plan = Plan.objects.create(
        kind=Plan.Kind.REINSPECTION,
        period=patrol.period,
        unit=county.east,
        title="整改复查",
        capacity=6,
    )
    Task.objects.create(
        plan=reinspection_plan,
        entity=patrol.entity,
        unit=county.east,
        period=patrol.period,
        officer=county.east_officer,
        description="整改复查",
        standard="按责令整改要求逐项复查",
        responsibility="网格责任人",
        scheduled_on=D(2026, 10, 30),
        due_on=D(2026, 10, 30),
    )
    assert merge_visits(period=patrol.period) == []
    assert not Visit.objects.exists()
