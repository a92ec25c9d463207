"""A declared status changes only along its table of transitions."""

from __future__ import annotations

import pytest

from tests.conftest import County
from tests.registry.factories import make_entity
from xiaoneng.core.errors import Conflict
from xiaoneng.planning.patrol import tasks
from xiaoneng.planning.patrol.models import Plan, Task
from xiaoneng.planning.policy import services as policies


def make_task(county: County) -> Task:
    plan = Plan.objects.create(
        kind=Plan.Kind.PATROL, period="2026-11", unit=county.east, title="测试计划",
        policy=policies.policy_in_force(), capacity=6,
    )  # fmt: skip
    entity = make_entity(longitude=county.east_point()[0], latitude=county.east_point()[1])
    return Task.objects.create(
        plan=plan, entity=entity, officer=county.east_officer, grid=county.east_grid,
        unit=county.east, period="2026-11", description="日常巡查", standard="—", responsibility="—",
    )  # fmt: skip


def test_a_plain_assignment_cannot_change_the_status(county: County) -> None:
    task = make_task(county)
    with pytest.raises(AttributeError, match="changes only through its transition service"):
        task.status = Task.Status.DONE
    assert Task.objects.get(pk=task.pk).status == Task.Status.PLANNED


def test_a_move_the_table_allows_happens_and_a_final_state_stays(county: County) -> None:
    task = make_task(county)
    tasks.transition(task, Task.Status.CANCELLED)
    assert task.status == Task.Status.CANCELLED
    with pytest.raises(Conflict) as refused:
        tasks.transition(task, Task.Status.PLANNED)
    assert refused.value.message == "任务状态为“已取消”，不能改为“待检查”"
