"""Opening an inspection draft: scope, checklist, kind and team; from a task, who may and when."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.conftest import County
from tests.inspections.factories import make_checklist
from tests.inspections.records.helpers import (
    DAY,
    D,
    always_checklist,
    draft,
    east_entity,
    east_task,
    next_period,
    second_officer,
    west_entity,
)
from xiaoneng.core.errors import Conflict, InvalidInput, NotPermitted
from xiaoneng.inspections.models import Checklist, Inspection, InspectionKind
from xiaoneng.inspections.records.services import open_inspection
from xiaoneng.planning.patrol.models import Plan, Task, Visit
from xiaoneng.planning.patrol.tasks import not_open_yet


def test_an_ad_hoc_draft_has_a_blank_result_per_item_and_the_lead_first(county: County) -> None:
    helper = second_officer(county)
    inspection = draft(county, team=[helper])
    assert inspection.status == Inspection.Status.DRAFT
    assert inspection.origin == Inspection.Origin.AD_HOC and inspection.revision == 1
    assert (inspection.unit, inspection.lead_officer) == (county.east, county.east_officer)
    rows = list(inspection.results.order_by("item__position"))
    assert [r.item.number for r in rows] == ["1", "2", "3"]
    assert all(r.result == "" for r in rows)
    team = [row.officer for row in inspection.team.order_by("id")]
    assert team == [county.east_officer, helper]


def test_the_draft_keeps_the_checklist_version_it_was_opened_with(county: County) -> None:
    first = make_checklist(code="test-versioned", version=1)
    inspection = draft(county, checklist=first)
    make_checklist(code="test-versioned", version=2, items=5)
    inspection.refresh_from_db()
    assert inspection.checklist == first and inspection.results.count() == 3


def test_no_checklist_means_the_current_one_for_the_entitys_industry(
    county: County, monkeypatch: pytest.MonkeyPatch
) -> None:
    chosen = make_checklist(kind=InspectionKind.DOCUMENTARY)
    asked = always_checklist(monkeypatch, chosen)
    entity = east_entity(county)
    inspection = open_inspection(
        entity=entity, officer=county.east_officer, kind=InspectionKind.DOCUMENTARY
    )
    assert inspection.checklist == chosen and asked == [(entity.pk, "documentary")]


def test_a_grid_officer_cannot_open_an_inspection_outside_their_scope(county: County) -> None:
    entity = west_entity(county)
    with pytest.raises(NotPermitted) as refused:
        draft(county, entity=entity)
    assert refused.value.message == "市场主体“城西副食店”不在您的辖区内，不能对其开展检查。"
    assert not Inspection.objects.exists()


def test_a_role_without_the_inspect_capability_cannot_open_one(county: County) -> None:
    with pytest.raises(NotPermitted):
        draft(county, officer=county.leader)
    assert not Inspection.objects.exists()


def test_a_checklist_for_another_kind_of_check_is_refused(county: County) -> None:
    documentary = make_checklist(kind=InspectionKind.DOCUMENTARY)
    with pytest.raises(InvalidInput) as refused:
        draft(county, checklist=documentary, kind=InspectionKind.ONSITE)
    assert refused.value.errors[0].field == "checklist"
    assert refused.value.errors[0].message == (
        "清单“测试检查清单（第1版）”用于书式检查，与检查方式“实地检查”不符"
    )
    assert not Inspection.objects.exists()


@pytest.mark.parametrize(
    ("dates", "message"),
    [
        ({"retired_on": 0}, "清单“测试检查清单（第1版）”已于 {day} 停用"),
        ({"effective_on": 1}, "清单“测试检查清单（第1版）”自 {day} 起施行，尚未生效"),
    ],
    ids=["retired today", "in force from tomorrow"],
)
def test_only_a_checklist_in_force_today_is_filled_in(
    county: County, dates: dict[str, int], message: str
) -> None:
    """The draft used to refuse a retired version only; a version not yet in force is refused
    too, as the start page (``checklists.in_force``) never offers it."""
    checklist = make_checklist()
    (name, days), today = next(iter(dates.items())), timezone.localdate()
    Checklist.objects.filter(pk=checklist.pk).update(**{name: today + dt.timedelta(days=days)})
    checklist.refresh_from_db()
    with pytest.raises(InvalidInput) as refused:
        draft(county, checklist=checklist)
    assert refused.value.errors[0].field == "checklist"
    assert refused.value.errors[0].message == message.format(day=getattr(checklist, name))
    assert not Inspection.objects.exists()


def test_an_unknown_kind_is_refused(county: County) -> None:
    with pytest.raises(InvalidInput) as refused:
        open_inspection(
            entity=east_entity(county),
            officer=county.east_officer,
            kind="phone",
            checklist=make_checklist(),
        )
    assert refused.value.message == (
        "kind: 检查方式应为 onsite（实地）或 documentary（书式）：phone"
    )


def test_a_team_member_from_another_station_is_refused(county: County) -> None:
    with pytest.raises(InvalidInput) as refused:
        draft(county, team=[county.west_officer])
    assert refused.value.errors[0].message == (
        f"{county.west_officer} 不属于本单位辖区，不能加入检查组"
    )
    assert not Inspection.objects.exists()


def test_from_a_task_the_entity_and_origin_come_from_it_and_one_draft_is_kept(
    county: County,
) -> None:
    entity = east_entity(county)
    task = east_task(county, entity, kind=Plan.Kind.CAMPAIGN)
    checklist = make_checklist()
    first = open_inspection(
        officer=county.east_officer, kind="onsite", task=task, checklist=checklist
    )
    assert (first.entity, first.task, first.origin) == (entity, task, "campaign")
    again = open_inspection(
        officer=county.east_director, kind="onsite", task=task, checklist=checklist
    )
    assert again.pk == first.pk and Inspection.objects.count() == 1


def test_a_joint_inspection_tasks_record_is_labelled_a_joint_inspection(county: County) -> None:
    task = east_task(county, east_entity(county), kind=Plan.Kind.JOINT)
    record = open_inspection(
        officer=county.east_officer, kind="onsite", task=task, checklist=make_checklist()
    )
    assert record.origin == Inspection.Origin.JOINT == "joint"
    assert record.get_origin_display() == "部门联合检查"


def test_only_the_tasks_officer_a_joint_visit_member_or_the_director_open_from_a_task(
    county: County,
) -> None:
    entity = east_entity(county)
    task = east_task(county, entity)
    helper = second_officer(county)
    for outsider in (helper, county.west_officer, county.west_director):
        with pytest.raises(NotPermitted) as refused:
            open_inspection(officer=outsider, kind="onsite", task=task, checklist=make_checklist())
        assert refused.value.message == (
            "只有任务责任人、联合检查组成员或本单位所长可以开始该任务的检查。"
        )
    visit = Visit.objects.create(
        entity=entity, period="2026-03", unit=county.east, scheduled_on=DAY
    )
    Task.objects.filter(pk=task.pk).update(visit=visit)
    other_plan = Plan.objects.create(
        kind="campaign", period="2026-03", unit=county.division, title="专项", capacity=6
    )
    Task.objects.create(
        plan=other_plan,
        entity=entity,
        unit=county.east,
        period="2026-03",
        officer=helper,
        description="专项整治",
        standard="要点",
        responsibility="责任",
        visit=visit,
    )
    task.refresh_from_db()
    inspection = open_inspection(
        officer=helper, kind="onsite", task=task, checklist=make_checklist()
    )
    assert inspection.lead_officer == helper and inspection.origin == "patrol"


def test_a_cancelled_task_cannot_be_inspected(county: County) -> None:
    task = east_task(county, east_entity(county))
    Task.objects.filter(pk=task.pk).update(status=Task.Status.CANCELLED)
    task.refresh_from_db()
    with pytest.raises(Conflict) as refused:
        open_inspection(
            officer=county.east_officer, kind="onsite", task=task, checklist=make_checklist()
        )
    assert refused.value.message == "任务状态为“已取消”，不能再开始检查"
    assert not Inspection.objects.exists()


def test_a_task_done_without_a_record_cannot_be_inspected(county: County) -> None:
    task = east_task(county, east_entity(county))
    Task.objects.filter(pk=task.pk).update(status=Task.Status.DONE, done_on=DAY)
    with pytest.raises(Conflict) as refused:
        open_inspection(
            officer=county.east_director, kind="onsite", task=task, checklist=make_checklist()
        )
    assert refused.value.message == "任务状态为“已完成”，不能再开始检查"
    assert not Inspection.objects.exists()


def test_a_task_of_a_period_not_yet_begun_cannot_be_inspected(county: County) -> None:
    period, first = next_period()
    task = east_task(county, east_entity(county), period=period)
    for officer in (county.east_officer, county.east_director):
        with pytest.raises(Conflict) as refused:
            open_inspection(officer=officer, kind="onsite", task=task, checklist=make_checklist())
        assert refused.value.message == f"该任务属于 {period} 期间，{first:%Y-%m-%d} 起才能检查"
    assert not Inspection.objects.exists()


def test_a_task_may_be_inspected_from_the_first_day_of_its_period(county: County) -> None:
    task = east_task(county, east_entity(county), period="2026-12")
    assert not_open_yet(task, today=D(2026, 12, 1)) is None
    assert not_open_yet(task, today=D(2027, 1, 15)) is None
    assert not_open_yet(task, today=D(2026, 11, 30)) == (
        "该任务属于 2026-12 期间，2026-12-01 起才能检查"
    )


@pytest.mark.parametrize("origin", ["patrol", "draw", "campaign", "reinspection"])
def test_an_ad_hoc_record_cannot_claim_an_origin_that_comes_from_a_task(
    county: County, origin: str
) -> None:
    from xiaoneng.inspections.records.services import open_inspection

    with pytest.raises(InvalidInput) as refused:
        open_inspection(
            entity=east_entity(county),
            officer=county.east_officer,
            kind="onsite",
            origin=origin,
            checklist=make_checklist(),
        )
    assert refused.value.message == (
        f"origin: 不按任务的检查，来源应为临时检查或投诉举报：{origin}"
    )
    assert not Inspection.objects.exists()
