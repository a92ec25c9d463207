"""Service cases (办件): receipt, the stages in order with who and when, 一审一核, 首问 hand-on,
and the refusals (closed before accepted, dates in the future, wrong order) writing nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.timeliness.permits.factories import MONDAY, approved, day, make_case, make_item
from xiaoneng.core.calendar import WorkingCalendar
from xiaoneng.core.errors import Conflict, InvalidInput, NotPermitted
from xiaoneng.timeliness.clocks.models import Clock
from xiaoneng.timeliness.permits import checks, handover
from xiaoneng.timeliness.permits import services as permits
from xiaoneng.timeliness.permits.models import ServiceCase, ServiceStage

pytestmark = pytest.mark.django_db
S = ServiceCase.Status


def test_receipt_numbers_the_case_and_makes_the_receiver_first_and_responsible(county):
    first = make_case(county.east_officer)
    second = make_case(county.east_director, applicant="李四")
    assert (first.number, second.number) == ("BJ2026-000001", "BJ2026-000002")
    assert first.first_officer == first.responsible == county.east_officer
    assert first.unit == county.east and first.status == S.RECEIVED
    assert list(first.stages.values_list("stage", "done_on")) == [(S.RECEIVED, MONDAY)]


def test_numbers_restart_each_year(county):
    make_case(county.east_officer)
    old = make_case(county.east_officer, received=dt.date(2025, 12, 30))
    assert old.number == "BJ2025-000001"


def test_acceptance_opens_the_clock_with_the_items_limits(county):
    case = make_case(county.east_officer, accepted=day(1))
    clock = Clock.objects.get(subject_type="service_case", subject_id=case.pk)
    assert (clock.limit_days, clock.statutory_days, clock.started_on) == (5, 10, day(1))
    assert clock.basis == "《食品经营许可和备案管理办法》"
    assert clock.officer == county.east_officer and clock.unit == county.east
    # Tuesday 3 March + 5 working days = Tuesday 10 March
    assert clock.due_on == dt.date(2026, 3, 10)


def test_a_case_goes_through_review_approval_and_completion_and_the_clock_stops(county):
    case = make_case(county.east_officer, accepted=day(1))
    approved(case, county.east_officer, county.east_director, day(2))
    permits.complete_case(
        case=case, actor=county.east_director, on=day(3), outcome="granted", opinion="准予许可"
    )
    case.refresh_from_db()
    assert case.status == S.COMPLETED and case.outcome == "granted"
    assert list(case.stages.values_list("stage", "officer__username")) == [
        (S.RECEIVED, "east_officer"),
        (S.ACCEPTED, "east_officer"),
        (S.REVIEWING, "east_officer"),
        (S.APPROVING, "east_director"),
        (S.COMPLETED, "east_director"),
    ]
    clock = checks.clock_of(case)
    assert clock is not None and clock.stopped_on == day(3)


def test_the_reviewer_may_not_approve_an_item_without_single_review(county):
    case = make_case(county.east_officer, accepted=day(1))
    permits.review_case(case=case, actor=county.east_officer, on=day(2))
    with pytest.raises(Conflict) as refused:
        permits.approve_case(case=case, actor=county.east_officer, on=day(2))
    assert refused.value.message == "该事项实行审核分离：审查人不能同时核准，请由另一名工作人员核准"
    case.refresh_from_db()
    assert case.status == S.REVIEWING
    assert not case.stages.filter(stage=S.APPROVING).exists()


def test_single_review_lets_one_officer_review_and_approve_in_one_step(county):
    item = make_item(
        code="DJ-T01",
        name="公司设立登记",
        statutory_days=3,
        committed_days=1,
        category="registration",
        single_review=True,
    )
    case = make_case(county.east_officer, item=item, accepted=day(0))
    permits.approve_case(case=case, actor=county.east_officer, on=day(0), opinion="符合")
    assert case.status == S.APPROVING
    assert list(case.stages.values_list("stage", "officer__username"))[-2:] == [
        (S.REVIEWING, "east_officer"),
        (S.APPROVING, "east_officer"),
    ]
    with pytest.raises(Conflict):
        permits.review_case(
            case=make_case(county.east_officer, item=item, accepted=day(0)),
            actor=county.east_officer,
            on=day(0),
        )


def test_a_case_never_accepted_cannot_be_completed(county):
    case = make_case(county.east_officer)
    with pytest.raises(Conflict) as refused:
        permits.complete_case(case=case, actor=county.east_officer, on=day(1), outcome="granted")
    assert refused.value.message == "办件尚未受理，不能办结"
    case.refresh_from_db()
    assert case.status == S.RECEIVED and case.completed_on is None
    assert case.stages.count() == 1


def test_a_case_cannot_be_closed_before_it_was_accepted(county):
    case = make_case(county.east_officer, accepted=day(2))
    approved(case, county.east_officer, county.east_director, day(2))
    stages = case.stages.count()
    with pytest.raises(InvalidInput) as refused:
        permits.complete_case(case=case, actor=county.east_director, on=day(1), outcome="granted")
    assert refused.value.by_field == {
        "completed_on": "办结日期（2026-03-03）不得早于受理日期（2026-03-04）"
    }
    case.refresh_from_db()
    assert case.status == S.APPROVING and case.completed_on is None
    assert case.stages.count() == stages
    assert checks.clock_of(case).stopped_on is None


def test_acceptance_before_receipt_or_in_the_future_is_refused(county):
    case = make_case(county.east_officer, received=day(3))
    with pytest.raises(InvalidInput) as early:
        permits.accept_case(case=case, actor=county.east_officer, on=day(2))
    assert early.value.by_field == {
        "accepted_on": "受理日期不得早于上一环节的日期（2026-03-05）：2026-03-04"
    }
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    with pytest.raises(InvalidInput) as future:
        permits.accept_case(case=case, actor=county.east_officer, on=tomorrow)
    assert future.value.by_field == {"accepted_on": f"受理日期不能是将来的日期：{tomorrow}"}
    with pytest.raises(InvalidInput) as missing:
        permits.accept_case(case=case, actor=county.east_officer, on=None)
    assert missing.value.by_field == {"accepted_on": "请填写受理日期（YYYY-MM-DD）"}
    assert not Clock.objects.exists()
    case.refresh_from_db()
    assert case.status == S.RECEIVED


def test_stages_out_of_order_are_refused(county):
    case = make_case(county.east_officer)
    with pytest.raises(Conflict) as refused:
        permits.review_case(case=case, actor=county.east_officer, on=day(1))
    assert refused.value.message == "办件状态为“收件”，不能改为“审查”"
    accepted = make_case(county.east_officer, accepted=day(1))
    with pytest.raises(Conflict) as unreviewed:
        permits.approve_case(case=accepted, actor=county.east_director, on=day(1))
    assert unreviewed.value.message == "办件尚未审查，不能核准"
    with pytest.raises(Conflict) as unapproved:
        permits.complete_case(
            case=accepted, actor=county.east_director, on=day(1), outcome="granted"
        )
    assert unapproved.value.message == "办件尚未核准，不能办结"


def test_completion_needs_a_known_outcome(county):
    case = make_case(county.east_officer, accepted=day(1))
    approved(case, county.east_officer, county.east_director, day(2))
    with pytest.raises(InvalidInput) as refused:
        permits.complete_case(case=case, actor=county.east_director, on=day(2), outcome="maybe")
    assert refused.value.by_field == {
        "outcome": "办理结果应为 granted（准予）或 refused（不予准予）：maybe"
    }


def test_rejection_and_withdrawal_need_a_reason(county):
    case = make_case(county.east_officer)
    with pytest.raises(InvalidInput) as refused:
        permits.reject_case(case=case, actor=county.east_officer, on=day(0), reason=" ")
    assert refused.value.by_field == {"reason": "请填写不予受理的理由"}
    permits.reject_case(case=case, actor=county.east_officer, on=day(0), reason="不属于本机关职权")
    assert case.status == S.REJECTED and case.completed_on == day(0)
    other = make_case(county.east_officer, accepted=day(1))
    with pytest.raises(InvalidInput):
        permits.withdraw_case(case=other, actor=county.east_officer, on=day(2), reason="")
    permits.withdraw_case(case=other, actor=county.east_officer, on=day(2), reason="申请人撤回")
    assert checks.clock_of(other).stopped_on == day(2)


def test_another_station_may_not_act_on_the_case(county):
    case = make_case(county.east_officer)
    with pytest.raises(NotPermitted):
        permits.accept_case(case=case, actor=county.west_officer, on=day(1))
    with pytest.raises(NotPermitted):
        permits.accept_case(case=case, actor=county.leader, on=day(1))


def test_receipt_refuses_missing_and_future_values_writing_nothing(county):
    item = make_item()
    with pytest.raises(InvalidInput) as refused:
        permits.receive_case(
            actor=county.east_officer,
            item=None,
            applicant="",
            received_on=dt.date.today() + dt.timedelta(days=3),
        )
    assert set(refused.value.by_field) == {"item", "applicant", "received_on"}
    assert refused.value.by_field["applicant"] == "请填写申请人"
    with pytest.raises(InvalidInput) as long:
        permits.receive_case(
            actor=county.east_officer, item=item, applicant="张" * 101, applicant_phone="1" * 21
        )
    assert long.value.by_field == {
        "applicant": "申请人不能超过 100 个字",
        "applicant_phone": "联系电话不能超过 20 位",
    }
    assert not ServiceCase.objects.exists() and not ServiceStage.objects.exists()


def test_a_division_officer_must_name_a_station(county):
    item = make_item()
    with pytest.raises(InvalidInput) as refused:
        permits.receive_case(actor=county.division_staff, item=item, applicant="王五")
    assert refused.value.by_field == {"unit": "请选择办理所"}
    case = permits.receive_case(
        actor=county.division_staff, item=item, applicant="王五", unit=county.west
    )
    assert case.unit == county.west


def test_hand_on_changes_the_responsible_officer_keeps_the_first_and_moves_the_clock(county):
    case = make_case(county.east_officer, accepted=day(1))
    handover.hand_on_case(
        case=case, actor=county.east_officer, officer=county.east_director, reason="需所长协调"
    )
    case.refresh_from_db()
    assert case.first_officer == county.east_officer
    assert case.responsible == county.east_director and case.handed_on_at is not None
    assert checks.clock_of(case).officer == county.east_director
    (handed,) = handover.hand_ons(case)
    assert (handed["to"], handed["reason"]) == (county.east_director.name, "需所长协调")


def test_hand_on_to_another_station_moves_the_case_there(county):
    case = make_case(county.division_staff, unit=county.east, accepted=day(1))
    handover.hand_on_case(
        case=case, actor=county.division_staff, officer=county.west_officer, reason="属地办理"
    )
    case.refresh_from_db()
    assert case.unit == county.west
    assert checks.clock_of(case).unit == county.west


def test_hand_on_refusals(county):
    case = make_case(county.east_officer)
    with pytest.raises(InvalidInput) as nobody:
        handover.hand_on_case(case=case, actor=county.east_officer, officer=None, reason="x")
    assert nobody.value.by_field == {"officer": "请选择接办人"}
    with pytest.raises(InvalidInput) as same:
        handover.hand_on_case(
            case=case, actor=county.east_officer, officer=county.east_officer, reason="x"
        )
    assert same.value.by_field["officer"].startswith("接办人就是当前责任人")
    with pytest.raises(InvalidInput) as leader:
        handover.hand_on_case(
            case=case, actor=county.east_officer, officer=county.leader, reason="x"
        )
    assert leader.value.by_field["officer"].startswith("该人员不能承办办件")
    with pytest.raises(InvalidInput) as reasonless:
        handover.hand_on_case(
            case=case, actor=county.east_officer, officer=county.east_director, reason=""
        )
    assert reasonless.value.by_field == {"reason": "请填写移交的理由"}
    with pytest.raises(NotPermitted):
        handover.hand_on_case(
            case=case, actor=county.east_officer, officer=county.west_officer, reason="x"
        )
    case.refresh_from_db()
    assert case.responsible == county.east_officer and handover.hand_ons(case) == []


def test_used_days_exclude_nothing_without_suspension(county):
    case = make_case(county.east_officer, accepted=day(1))
    approved(case, county.east_officer, county.east_director, day(7))
    permits.complete_case(case=case, actor=county.east_director, on=day(8), outcome="granted")
    clock = checks.clock_of(case)
    from xiaoneng.timeliness.clocks.services import used_days

    # Tue 3 → Tue 10 March: 5 working days; the committed limit met exactly
    assert used_days(clock, day(20), WorkingCalendar.load()) == 5
