"""Signing an inspection record: preconditions, the team signing in turn, what follows."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
from django.utils import timezone

from tests.conftest import County
from tests.inspections.factories import at, make_checklist
from tests.inspections.records.helpers import (
    DAY,
    draft,
    east_entity,
    east_task,
    fill,
    item_ids,
    second_officer,
)
from xiaoneng.core.errors import Conflict, InvalidInput, NotPermitted
from xiaoneng.inspections.models import Finding, Inspection, InspectionKind
from xiaoneng.inspections.records.drafts import save_draft
from xiaoneng.inspections.records.services import amend_inspection, open_inspection
from xiaoneng.inspections.records.signing import sign_inspection
from xiaoneng.planning.patrol import schedule
from xiaoneng.planning.patrol.models import Task

SIGN_AT = at(DAY, 10)


def test_a_team_of_two_signs_in_turn_and_the_last_signature_makes_it_final(
    county: County,
) -> None:
    helper = second_officer(county)
    inspection = fill(draft(county, team=[helper]), county.east_officer)
    first = sign_inspection(inspection=inspection, officer=county.east_officer, at=SIGN_AT)
    assert first.status == Inspection.Status.DRAFT and first.signed_at is None
    assert first.team.get(officer=county.east_officer).signed_at == SIGN_AT
    assert first.team.get(officer=helper).signed_at is None
    final = sign_inspection(inspection=first, officer=helper, at=at(DAY, 10, 5))
    assert final.status == Inspection.Status.SIGNED and final.signed_at == at(DAY, 10, 5)
    assert (final.items_failed, final.uniform) == (0, True)


def test_a_member_signs_once_and_an_outsider_not_at_all(county: County) -> None:
    helper = second_officer(county)
    inspection = fill(draft(county, team=[helper]), county.east_officer)
    sign_inspection(inspection=inspection, officer=county.east_officer, at=SIGN_AT)
    with pytest.raises(Conflict) as twice:
        sign_inspection(inspection=inspection, officer=county.east_officer, at=SIGN_AT)
    assert twice.value.message == "您已于 2026-03-02 10:00 签名，等待其他检查人员签名。"
    with pytest.raises(NotPermitted) as outsider:
        sign_inspection(inspection=inspection, officer=county.east_director, at=SIGN_AT)
    assert outsider.value.message == "只有检查组成员可以在检查记录上签名。"


def test_an_enforcement_check_with_one_officer_is_refused(county: County) -> None:
    inspection = fill(draft(county, enforcement=True), county.east_officer)
    with pytest.raises(InvalidInput) as refused:
        sign_inspection(inspection=inspection, officer=county.east_officer, at=SIGN_AT)
    assert refused.value.errors[0].field == "team"
    assert refused.value.errors[0].message == (
        "执法检查须由两名以上执法人员进行（《行政处罚法》第四十二条），检查组现有 1 人"
    )
    assert inspection.team.get().signed_at is None
    assert Inspection.objects.get(pk=inspection.pk).status == Inspection.Status.DRAFT


def test_an_enforcement_check_needs_each_officer_certified(county: County) -> None:
    helper = second_officer(county, certificate_number=None)
    inspection = fill(draft(county, enforcement=True, team=[helper]), county.east_officer)
    with pytest.raises(InvalidInput) as refused:
        sign_inspection(inspection=inspection, officer=county.east_officer, at=SIGN_AT)
    assert [e.message for e in refused.value.errors] == [
        f"执法检查的检查人员须持有执法证，{helper} 没有执法证号"
    ]


def test_an_item_without_a_result_is_refused_naming_its_number(county: County) -> None:
    inspection = draft(county)
    fill(inspection, county.east_officer, marks=("pass",))
    with pytest.raises(InvalidInput) as refused:
        sign_inspection(inspection=inspection, officer=county.east_officer, at=SIGN_AT)
    assert refused.value.message == "results: 以下检查事项尚无结论：第 2、3 项"
    assert inspection.team.get().signed_at is None


def test_an_on_site_check_needs_a_check_in_and_times_a_documentary_one_not(
    county: County,
) -> None:
    onsite = draft(county)
    marks = {pk: {"result": "pass"} for pk in item_ids(onsite)}
    save_draft(
        inspection=onsite, officer=county.east_officer, revision=1, values={"results": marks}
    )
    with pytest.raises(InvalidInput) as refused:
        sign_inspection(inspection=onsite, officer=county.east_officer)
    assert [e.message for e in refused.value.errors] == [
        "实地检查须在现场签到（签到位置和时间）",
        "实地检查须填写开始时间和结束时间",
    ]
    documentary = draft(county, kind=InspectionKind.DOCUMENTARY)
    marks = {pk: {"result": "pass"} for pk in item_ids(documentary)}
    save_draft(
        inspection=documentary, officer=county.east_officer, revision=1, values={"results": marks}
    )
    signed = sign_inspection(inspection=documentary, officer=county.east_officer)
    assert signed.status == Inspection.Status.SIGNED


def test_a_signature_before_the_visit_ended_is_refused(county: County) -> None:
    inspection = fill(draft(county), county.east_officer)
    with pytest.raises(InvalidInput) as refused:
        sign_inspection(inspection=inspection, officer=county.east_officer, at=at(DAY, 9, 10))
    assert refused.value.errors[0].message == (
        "签名时间 2026-03-02 09:10 早于检查结束时间 2026-03-02 09:40"
    )


def test_a_signature_on_a_stale_revision_is_refused(county: County) -> None:
    inspection = fill(draft(county), county.east_officer)
    with pytest.raises(Conflict):
        sign_inspection(inspection=inspection, officer=county.east_officer, revision=1)
    signed = sign_inspection(
        inspection=inspection, officer=county.east_officer, at=SIGN_AT, revision=2
    )
    assert signed.status == Inspection.Status.SIGNED


def test_a_change_after_a_signature_clears_it(county: County) -> None:
    helper = second_officer(county)
    inspection = fill(draft(county, team=[helper]), county.east_officer)
    sign_inspection(inspection=inspection, officer=county.east_officer, at=SIGN_AT)
    save_draft(inspection=inspection, officer=helper, revision=2, values={"summary": "补充"})
    assert not inspection.team.filter(signed_at__isnull=False).exists()


def test_findings_are_created_for_failed_items_and_counted(county: County) -> None:
    inspection = fill(
        draft(county),
        county.east_officer,
        marks=("fail", "pass", "fail"),
        notes=("未公示营业执照", "", "过期食品 3 袋"),
    )
    signed = sign_inspection(inspection=inspection, officer=county.east_officer, at=SIGN_AT)
    assert (signed.items_failed, signed.uniform) == (2, False)
    findings = Finding.objects.filter(inspection=signed).order_by("item__position")
    assert [f.description for f in findings] == ["未公示营业执照", "过期食品 3 袋"]
    assert {f.found_on for f in findings} == {DAY}


def test_a_record_with_notes_is_not_uniform(county: County) -> None:
    inspection = fill(draft(county), county.east_officer, notes=("", "", "货架整洁"))
    signed = sign_inspection(inspection=inspection, officer=county.east_officer, at=SIGN_AT)
    assert signed.uniform is False


def test_the_task_is_completed_when_its_record_is_signed(county: County) -> None:
    entity = east_entity(county)
    task = east_task(county, entity)
    inspection = open_inspection(
        officer=county.east_officer, kind="onsite", task=task, checklist=make_checklist()
    )
    fill(inspection, county.east_officer, marks=("pass", "fail", "pass"), notes=("", "无台账", ""))
    sign_inspection(inspection=inspection, officer=county.east_officer, at=SIGN_AT)
    task.refresh_from_db()
    assert task.status == Task.Status.DONE and task.done_on == DAY
    assert task.done_by == county.east_officer
    assert (task.note, task.violation_found) == ("证照齐全，经营正常", True)


def test_a_helper_who_cannot_record_the_task_still_completes_it_by_signing_last(
    county: County,
) -> None:
    helper = second_officer(county)
    task = east_task(county, east_entity(county))
    inspection = open_inspection(
        officer=county.east_officer,
        kind="onsite",
        task=task,
        checklist=make_checklist(),
        team=[helper],
    )
    fill(inspection, county.east_officer)
    sign_inspection(inspection=inspection, officer=county.east_officer, at=SIGN_AT)
    sign_inspection(inspection=inspection, officer=helper, at=SIGN_AT)
    task.refresh_from_db()
    assert task.status == Task.Status.DONE and task.done_by == county.east_officer


# Every signed record restarts the patrol interval ------------------------------------------------


def _due_this_month(entity_id: int) -> bool:
    today = timezone.localdate()
    first = today.replace(day=1)
    last = first.replace(day=calendar.monthrange(today.year, today.month)[1])
    due = schedule.due_in_period(unit=None, start=first, end=last)
    return entity_id in due.dates.register.entity_id[due.positions].tolist()


@pytest.mark.parametrize("origin", ["draw", "complaint", "ad_hoc", "joint"])
def test_an_entity_inspected_by_a_signed_record_last_week_is_not_due_this_month(
    county: County, origin: str
) -> None:
    entity = east_entity(county, registered_on=dt.date(2020, 1, 6))  # long overdue
    assert _due_this_month(entity.pk)
    last_week = timezone.localdate() - dt.timedelta(days=7)
    inspection = draft(county, entity=entity)
    Inspection.objects.filter(pk=inspection.pk).update(origin=origin)  # as its source opens it
    fill(inspection, county.east_officer, day=last_week)
    sign_inspection(inspection=inspection, officer=county.east_officer, at=at(last_week, 10))
    entity.refresh_from_db()
    assert entity.last_inspected_on == last_week
    assert not _due_this_month(entity.pk)


def test_a_drafts_visit_does_not_count_and_an_amendment_never_moves_it_back(
    county: County,
) -> None:
    entity = east_entity(county, registered_on=dt.date(2020, 1, 6))
    fill(draft(county, entity=entity), county.east_officer)
    entity.refresh_from_db()
    assert entity.last_inspected_on is None  # a draft is not an inspection yet
    record = fill(draft(county, entity=entity), county.east_officer, day=DAY)
    sign_inspection(inspection=record, officer=county.east_officer, at=SIGN_AT)
    earlier = DAY - dt.timedelta(days=3)
    correction = amend_inspection(
        inspection=record, officer=county.east_officer, reason="检查日期填写错误，更正"
    )
    fill(correction, county.east_officer, day=earlier)
    sign_inspection(inspection=correction, officer=county.east_officer, at=at(earlier, 10))
    entity.refresh_from_db()
    assert entity.last_inspected_on == DAY


# A signed record is immutable -------------------------------------------------------------------


@pytest.fixture
def signed(county: County) -> Inspection:
    inspection = fill(draft(county), county.east_officer)
    return sign_inspection(inspection=inspection, officer=county.east_officer, at=SIGN_AT)


def test_a_signed_record_refuses_a_save(county: County, signed: Inspection) -> None:
    with pytest.raises(Conflict) as refused:
        save_draft(
            inspection=signed, officer=county.east_officer, revision=signed.revision, values={}
        )
    assert refused.value.message == (
        "检查记录已于 2026-03-02 10:00 签名，不能再修改；如需更正，请提出更正。"
    )


def test_a_signed_record_refuses_another_signature(county: County, signed: Inspection) -> None:
    with pytest.raises(Conflict) as refused:
        sign_inspection(inspection=signed, officer=county.east_officer)
    assert refused.value.message == (
        "检查记录已于 2026-03-02 10:00 签名，不能再签名；如需更正，请提出更正。"
    )


def test_marking_a_draft_as_enforcement_later_needs_two_officers_to_sign(county: County) -> None:
    inspection = fill(draft(county), county.east_officer)
    save_draft(
        inspection=inspection, officer=county.east_officer, revision=2, values={"enforcement": True}
    )
    with pytest.raises(InvalidInput) as refused:
        sign_inspection(inspection=inspection, officer=county.east_officer, at=SIGN_AT)
    assert refused.value.errors[0].field == "team"
    save_draft(
        inspection=inspection,
        officer=county.east_officer,
        revision=3,
        values={"team": [second_officer(county).username]},
    )
    sign_inspection(inspection=inspection, officer=county.east_officer, at=SIGN_AT)
    assert inspection.team.filter(signed_at__isnull=False).count() == 1
