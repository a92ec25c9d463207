"""一次性告知 and suspensions: a notice lists every missing material and stops the clock for
补正; the materials arriving restart it; a second notice is a breach; other suspensions carry
their reason."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.timeliness.permits.factories import day, make_case
from xiaoneng.core.errors import Conflict, InvalidInput
from xiaoneng.timeliness.clocks.models import Suspension
from xiaoneng.timeliness.permits import checks, suspensions
from xiaoneng.timeliness.permits import services as permits
from xiaoneng.timeliness.permits.models import OneTimeNotice

pytestmark = pytest.mark.django_db


def test_a_notice_lists_the_materials_once_and_suspends_the_clock_for_correction(county):
    case = make_case(county.east_officer, accepted=day(1))
    notice = suspensions.issue_notice(
        case=case,
        actor=county.east_officer,
        materials=["营业执照复印件", " 设备布局和操作流程 ", "", "营业执照复印件"],
        on=day(2),
    )
    assert notice.sequence == 1 and not notice.breach
    assert notice.materials == "营业执照复印件\n设备布局和操作流程"
    suspension = notice.suspension
    assert suspension.reason == "correction" and suspension.started_on == day(2)
    assert "一次性告知补正（第 1 次）" in suspension.note
    assert checks.clock_of(case).suspended_since == day(2)


def test_materials_received_resume_the_clock_and_move_the_due_date(county):
    case = make_case(county.east_officer, accepted=day(1))  # Tue 3 March, due Tue 10
    suspensions.issue_notice(case=case, actor=county.east_officer, materials="申请书", on=day(2))
    # Wed 4 → Mon 9 March: Thu, Fri, Mon = 3 working days stood still
    clock = suspensions.materials_received(case=case, actor=county.east_officer, on=day(7))
    assert clock.suspended_days == 3 and clock.suspended_since is None
    assert clock.due_on == dt.date(2026, 3, 13)
    assert OneTimeNotice.objects.get().suspension.ended_on == day(7)


def test_a_second_notice_is_allowed_but_recorded_as_a_breach(county):
    case = make_case(county.east_officer, accepted=day(1))
    suspensions.issue_notice(case=case, actor=county.east_officer, materials="申请书", on=day(2))
    suspensions.materials_received(case=case, actor=county.east_officer, on=day(3))
    second = suspensions.issue_notice(
        case=case, actor=county.east_officer, materials=["法定代表人身份证明"], on=day(4)
    )
    assert second.sequence == 2 and second.breach
    assert list(case.notices.values_list("breach", flat=True)) == [False, True]


def test_a_notice_without_materials_is_refused_and_writes_nothing(county):
    case = make_case(county.east_officer, accepted=day(1))
    with pytest.raises(InvalidInput) as refused:
        suspensions.issue_notice(
            case=case, actor=county.east_officer, materials=["", " "], on=day(2)
        )
    assert refused.value.by_field == {"materials": "请列明需要补正的全部材料"}
    assert not OneTimeNotice.objects.exists() and not Suspension.objects.exists()


def test_a_notice_needs_a_running_clock_and_a_day_not_before_the_last_stage(county):
    received = make_case(county.east_officer)
    with pytest.raises(Conflict) as unaccepted:
        suspensions.issue_notice(case=received, actor=county.east_officer, materials="x", on=day(1))
    assert unaccepted.value.message == "办件状态为“收件”，时限未在计算"
    case = make_case(county.east_officer, accepted=day(3))
    with pytest.raises(InvalidInput) as early:
        suspensions.issue_notice(case=case, actor=county.east_officer, materials="x", on=day(2))
    assert early.value.by_field == {
        "on": "告知日期不得早于上一环节的日期（2026-03-05）：2026-03-04"
    }
    suspensions.issue_notice(case=case, actor=county.east_officer, materials="x", on=day(3))
    with pytest.raises(Conflict) as twice:
        suspensions.issue_notice(case=case, actor=county.east_officer, materials="y", on=day(4))
    assert twice.value.message == "该时限已于 2026-03-05 中止，尚未恢复"
    assert OneTimeNotice.objects.count() == 1


def test_materials_received_without_a_notice_is_refused(county):
    case = make_case(county.east_officer, accepted=day(1))
    with pytest.raises(Conflict) as refused:
        suspensions.materials_received(case=case, actor=county.east_officer, on=day(2))
    assert refused.value.message == "办件没有等待补正的中止"


def test_other_suspensions_carry_their_reason_and_note(county):
    case = make_case(county.east_officer, accepted=day(1))
    with pytest.raises(InvalidInput) as correction:
        suspensions.suspend_case(
            case=case, actor=county.east_officer, reason="correction", note="x", on=day(2)
        )
    assert correction.value.by_field == {"reason": "补正材料请通过“一次性告知”中止时限"}
    with pytest.raises(InvalidInput) as unknown:
        suspensions.suspend_case(
            case=case, actor=county.east_officer, reason="holiday", note="x", on=day(2)
        )
    assert unknown.value.by_field == {"reason": "中止原因无效：holiday"}
    with pytest.raises(InvalidInput) as noteless:
        suspensions.suspend_case(
            case=case, actor=county.east_officer, reason="testing", note=" ", on=day(2)
        )
    assert noteless.value.by_field == {"note": "请说明中止的理由"}
    assert not Suspension.objects.exists()
    suspensions.suspend_case(
        case=case, actor=county.east_officer, reason="testing", note="送检样品", on=day(2)
    )
    clock = suspensions.resume_case(case=case, actor=county.east_officer, on=day(3))
    assert clock.suspended_days == 1
    (span,) = Suspension.objects.all()
    assert (span.reason, span.note, span.working_days) == ("testing", "送检样品", 1)


def test_a_suspension_may_not_overlap_the_one_before(county):
    case = make_case(county.east_officer, accepted=day(1))
    suspensions.suspend_case(
        case=case, actor=county.east_officer, reason="announcement", note="公告", on=day(2)
    )
    suspensions.resume_case(case=case, actor=county.east_officer, on=day(7))
    with pytest.raises(InvalidInput):
        suspensions.suspend_case(
            case=case, actor=county.east_officer, reason="testing", note="送检", on=day(3)
        )
    assert Suspension.objects.count() == 1


def test_completing_a_suspended_case_ends_its_suspension(county):
    case = make_case(county.east_officer, accepted=day(1))
    permits.review_case(case=case, actor=county.east_officer, on=day(1))
    permits.approve_case(case=case, actor=county.east_director, on=day(1))
    suspensions.suspend_case(
        case=case, actor=county.east_director, reason="expert_review", note="专家论证", on=day(2)
    )
    permits.complete_case(case=case, actor=county.east_director, on=day(3), outcome="refused")
    span = Suspension.objects.get()
    assert span.ended_on == day(3)
    assert checks.clock_of(case).stopped_on == day(3)
