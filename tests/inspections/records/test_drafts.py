"""Saving an inspection draft: results, times and check-in checked, the team changed, and a
concurrent edit refused naming who and when."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.conftest import County
from tests.inspections.factories import at
from tests.inspections.records.helpers import DAY, draft, fill, item_ids, second_officer
from tests.org.factories import OfficerFactory
from xiaoneng.core.errors import Conflict, InvalidInput, NotPermitted
from xiaoneng.core.models import AuditEvent
from xiaoneng.inspections.models import Inspection, ItemResult
from xiaoneng.inspections.records.drafts import save_draft
from xiaoneng.inspections.records.services import local_time
from xiaoneng.org.models import Role


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
