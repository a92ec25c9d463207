"""Opening an inspection draft and saving it: scope, tasks, results, times, check-in, lock."""

from __future__ import annotations

import datetime as dt
import sys
import types
from typing import Any

import pytest
from django.utils import timezone

from tests.conftest import County
from tests.inspections.factories import at, make_checklist
from tests.org.factories import OfficerFactory
from tests.registry.factories import make_entity
from xiaoneng.core.errors import Conflict, InvalidInput, NotPermitted
from xiaoneng.core.models import AuditEvent
from xiaoneng.inspections.models import Checklist, Inspection, InspectionKind, ItemResult
from xiaoneng.inspections.records.drafts import save_draft
from xiaoneng.inspections.records.services import local_time, open_inspection
from xiaoneng.org.models import Officer, Role
from xiaoneng.planning.patrol.models import Plan, Task, Visit
from xiaoneng.planning.patrol.tasks import not_open_yet
from xiaoneng.registry.models import Entity

D = dt.date
DAY = D(2026, 3, 2)


# Helpers shared by the other record tests ---------------------------------------------------


def east_entity(county: County, **values: Any) -> Entity:
    lon, lat = county.east_point()
    return make_entity(longitude=lon, latitude=lat, name="城东便民超市", **values)


def west_entity(county: County) -> Entity:
    lon, lat = county.west_point()
    return make_entity(longitude=lon, latitude=lat, name="城西副食店")


def east_task(
    county: County,
    entity: Entity,
    *,
    officer: Officer | None = None,
    kind: str = "patrol",
    period: str = "2026-03",
) -> Task:
    plan = Plan.objects.create(
        kind=kind, period=period, unit=county.east, title="三月巡查", capacity=6
    )
    return Task.objects.create(
        plan=plan,
        entity=entity,
        unit=county.east,
        period=period,
        officer=officer or county.east_officer,
        description="日常巡查",
        standard="按检查清单逐项检查",
        responsibility="责任区干部",
        scheduled_on=DAY,
    )


def next_period() -> tuple[str, D]:
    """The period after the current one (YYYY-MM) and its first day."""
    first = (timezone.localdate().replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return first.strftime("%Y-%m"), first


def second_officer(county: County, username: str = "east_second", **values: Any) -> Officer:
    """Another grid officer of the east station (certified unless told)."""
    return OfficerFactory(username=username, name="李四", unit=county.east, **values)


def draft(
    county: County,
    *,
    entity: Entity | None = None,
    items: int = 3,
    officer: Officer | None = None,
    **options: Any,
) -> Inspection:
    kind = options.pop("kind", InspectionKind.ONSITE)
    return open_inspection(
        entity=entity or east_entity(county),
        officer=officer or county.east_officer,
        kind=kind,
        checklist=options.pop("checklist", None) or make_checklist(items=items, kind=kind),
        **options,
    )


def filled_values(
    inspection: Inspection,
    marks: tuple[str, ...] | None = None,
    notes: tuple[str, ...] | None = None,
    day: D = DAY,
) -> dict[str, Any]:
    items = list(inspection.checklist.items.order_by("position"))
    marks = marks or tuple("pass" for _ in items)
    notes = notes or tuple("" for _ in items)
    lon, lat = inspection.entity.longitude, inspection.entity.latitude
    return {
        "results": {
            item.pk: {"result": mark, "note": note}
            for item, mark, note in zip(items, marks, notes, strict=False)
        },
        "started_at": at(day, 9),
        "finished_at": at(day, 9, 40),
        "checkin_at": at(day, 9, 2),
        "checkin_longitude": lon,
        "checkin_latitude": lat,
        "checkin_accuracy": 12.0,
        "summary": "证照齐全，经营正常",
    }


def fill(inspection: Inspection, officer: Officer, **options: Any) -> Inspection:
    return save_draft(
        inspection=inspection,
        officer=officer,
        revision=inspection.revision,
        values=filled_values(inspection, **options),
    )


def item_ids(inspection: Inspection) -> list[int]:
    return list(inspection.checklist.items.order_by("position").values_list("pk", flat=True))


# Opening --------------------------------------------------------------------------------------


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


def always_checklist(monkeypatch: pytest.MonkeyPatch, chosen: Checklist) -> list[tuple[int, str]]:
    """``checklists.checklist_for`` answering ``chosen``; the list records what was asked."""
    asked: list[tuple[int, str]] = []

    def checklist_for(*, entity: Entity, kind: str) -> Checklist:
        asked.append((entity.pk, kind))
        return chosen

    module = types.ModuleType("xiaoneng.inspections.checklists.services")
    module.checklist_for = checklist_for  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "xiaoneng.inspections.checklists.services", module)
    return asked


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


# Saving ----------------------------------------------------------------------------------------


def test_a_save_stores_results_times_and_check_in_and_increments_the_revision(
    county: County,
) -> None:
    inspection = draft(county)
    saved = fill(
        inspection,
        county.east_officer,
        marks=("pass", "fail", "na"),
        notes=("", "过期食品 3 袋", ""),
    )
    assert saved.revision == 2 and saved.updated_by == county.east_officer
    assert saved.visited_on == DAY
    assert saved.started_at == at(DAY, 9) and saved.finished_at == at(DAY, 9, 40)
    assert (saved.checkin_longitude, saved.checkin_latitude) == county.east_point()
    rows = list(saved.results.order_by("item__position").values_list("result", "note"))
    assert rows == [("pass", ""), ("fail", "过期食品 3 袋"), ("na", "")]
    trace = AuditEvent.objects.filter(object_id=str(saved.pk), changes__has_key="第 2 项")
    assert trace.exists()


def test_only_given_keys_change_and_text_times_are_read_as_local_time(county: County) -> None:
    inspection = fill(draft(county), county.east_officer)
    saved = save_draft(
        inspection=inspection,
        officer=county.east_officer,
        revision=inspection.revision,
        values={"finished_at": "2026-03-02T10:15", "summary": " 补充说明 "},
    )
    assert saved.finished_at == at(DAY, 10, 15) and saved.summary == "补充说明"
    assert saved.started_at == at(DAY, 9) and saved.results.filter(result="pass").count() == 3


def test_an_unknown_item_is_refused_and_nothing_is_written(county: County) -> None:
    inspection = draft(county)
    with pytest.raises(InvalidInput) as refused:
        save_draft(
            inspection=inspection,
            officer=county.east_officer,
            revision=1,
            values={
                "results": {item_ids(inspection)[0]: {"result": "pass"}, 999999: {"result": "pass"}}
            },
        )
    assert refused.value.errors[0].message == "检查事项 999999 不在本记录的检查清单中"
    inspection.refresh_from_db()
    assert inspection.revision == 1 and not inspection.results.exclude(result="").exists()


def test_a_failed_item_needs_a_note_saying_what_was_wrong(county: County) -> None:
    inspection = draft(county)
    first = item_ids(inspection)[0]
    with pytest.raises(InvalidInput) as refused:
        save_draft(
            inspection=inspection,
            officer=county.east_officer,
            revision=1,
            values={"results": {first: {"result": "fail", "note": "  "}}},
        )
    assert refused.value.errors[0].field == f"results.{first}"
    assert refused.value.errors[0].message == "第 1 项“检查事项1”不符合，请在说明中写明存在的问题"
    assert not ItemResult.objects.exclude(result="").exists()


def test_a_mark_other_than_pass_fail_or_na_is_refused(county: County) -> None:
    inspection = draft(county)
    with pytest.raises(InvalidInput) as refused:
        save_draft(
            inspection=inspection,
            officer=county.east_officer,
            revision=1,
            values={"results": {item_ids(inspection)[1]: {"result": "ok"}}},
        )
    assert refused.value.errors[0].message == (
        "第 2 项的结论应为 pass（符合）、fail（不符合）或 na（不适用）：ok"
    )


def test_the_end_before_the_start_is_refused(county: County) -> None:
    inspection = draft(county)
    with pytest.raises(InvalidInput) as refused:
        save_draft(
            inspection=inspection,
            officer=county.east_officer,
            revision=1,
            values={"started_at": at(DAY, 10), "finished_at": at(DAY, 9, 30)},
        )
    assert refused.value.message == (
        "finished_at: 结束时间 2026-03-02 09:30 早于开始时间 2026-03-02 10:00"
    )
    inspection.refresh_from_db()
    assert inspection.started_at is None and inspection.revision == 1


def test_a_time_in_the_future_or_unreadable_is_refused(county: County) -> None:
    inspection = draft(county)
    tomorrow = timezone.localtime() + dt.timedelta(days=1)
    with pytest.raises(InvalidInput) as refused:
        save_draft(
            inspection=inspection,
            officer=county.east_officer,
            revision=1,
            values={"started_at": tomorrow, "checkin_at": "yesterday"},
        )
    messages = {e.field: e.message for e in refused.value.errors}
    assert messages["started_at"] == f"开始时间不能晚于当前时间：{tomorrow:%Y-%m-%d %H:%M}"
    assert messages["checkin_at"] == "签到时间应为“YYYY-MM-DD HH:MM”格式的时间：yesterday"


def test_a_position_outside_china_is_refused(county: County) -> None:
    inspection = draft(county)
    with pytest.raises(InvalidInput) as refused:
        save_draft(
            inspection=inspection,
            officer=county.east_officer,
            revision=1,
            values={
                "checkin_at": at(DAY, 9),
                "checkin_longitude": 139.69,
                "checkin_latitude": 35.69,
            },
        )
    assert refused.value.errors[0].field == "checkin_longitude"
    assert refused.value.errors[0].message == "坐标 (139.69, 35.69) 不在中国境内"
    inspection.refresh_from_db()
    assert inspection.checkin_longitude is None and inspection.revision == 1


def test_a_position_needs_both_coordinates_and_a_time(county: County) -> None:
    inspection = draft(county)
    with pytest.raises(InvalidInput) as refused:
        save_draft(
            inspection=inspection,
            officer=county.east_officer,
            revision=1,
            values={"checkin_longitude": 81.2},
        )
    assert refused.value.message == "checkin_latitude: 经度和纬度须同时填写"
    lon, lat = county.east_point()
    with pytest.raises(InvalidInput) as refused:
        save_draft(
            inspection=inspection,
            officer=county.east_officer,
            revision=1,
            values={"checkin_longitude": lon, "checkin_latitude": lat},
        )
    assert refused.value.message == "checkin_at: 签到位置须同时记录签到时间"


def test_a_concurrent_edit_is_refused_naming_who_and_when_and_the_first_is_kept(
    county: County,
) -> None:
    helper = second_officer(county)
    inspection = draft(county, team=[helper])
    mine = Inspection.objects.get(pk=inspection.pk)
    theirs = Inspection.objects.get(pk=inspection.pk)
    first_item = item_ids(inspection)[0]
    save_draft(
        inspection=mine,
        officer=county.east_officer,
        revision=mine.revision,
        values={"summary": "甲的记录", "results": {first_item: {"result": "pass"}}},
    )
    stored = Inspection.objects.get(pk=inspection.pk)
    with pytest.raises(Conflict) as refused:
        save_draft(
            inspection=theirs,
            officer=helper,
            revision=theirs.revision,
            values={
                "summary": "乙的记录",
                "results": {first_item: {"result": "fail", "note": "无证"}},
            },
        )
    assert refused.value.message == (
        f"该草稿已被 {county.east_officer} 于 {local_time(stored.updated_at, '%H:%M')} 修改，"
        "请刷新后再编辑；您的修改未保存"
    )
    assert refused.value.status_code == 409
    after = Inspection.objects.get(pk=inspection.pk)
    assert (after.summary, after.revision) == ("甲的记录", 2)
    assert after.results.get(item_id=first_item).result == "pass"


def test_someone_outside_the_team_may_not_edit_but_the_director_may(county: County) -> None:
    inspection = draft(county)
    helper = second_officer(county)
    with pytest.raises(NotPermitted) as refused:
        save_draft(inspection=inspection, officer=helper, revision=1, values={"summary": "x"})
    assert refused.value.message == "只有检查组成员或本单位所长可以修改该检查记录。"
    saved = save_draft(
        inspection=inspection,
        officer=county.east_director,
        revision=1,
        values={"summary": "所长补记"},
    )
    assert saved.summary == "所长补记" and saved.updated_by == county.east_director


def test_the_team_changes_by_username_and_the_lead_stays(county: County) -> None:
    inspection = draft(county)
    helper = second_officer(county)
    saved = save_draft(
        inspection=inspection,
        officer=county.east_officer,
        revision=1,
        values={"team": ["east_second"]},
    )
    assert [r.officer for r in saved.team.order_by("id")] == [county.east_officer, helper]
    saved = save_draft(
        inspection=saved, officer=county.east_officer, revision=2, values={"team": []}
    )
    assert [r.officer for r in saved.team.order_by("id")] == [county.east_officer]
    with pytest.raises(InvalidInput) as refused:
        save_draft(
            inspection=saved,
            officer=county.east_officer,
            revision=3,
            values={"team": ["nobody", "west_officer"]},
        )
    messages = [e.message for e in refused.value.errors]
    assert messages == [
        "检查人员 nobody 不存在",
        f"{county.west_officer} 不属于本单位辖区，不能加入检查组",
    ]


def test_a_member_without_the_inspect_capability_cannot_join(county: County) -> None:
    clerk = OfficerFactory(username="clerk", unit=county.east, roles=[Role.BUREAU_LEADER])
    inspection = draft(county)
    with pytest.raises(InvalidInput) as refused:
        save_draft(
            inspection=inspection,
            officer=county.east_officer,
            revision=1,
            values={"team": ["clerk"]},
        )
    assert refused.value.errors[0].message == f"{clerk} 不是执法检查人员，不能加入检查组"


def test_an_unknown_field_is_refused(county: County) -> None:
    inspection = draft(county)
    with pytest.raises(InvalidInput) as refused:
        save_draft(
            inspection=inspection,
            officer=county.east_officer,
            revision=1,
            values={"status": "signed"},
        )
    assert refused.value.message == "status: 未知字段：status"


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
