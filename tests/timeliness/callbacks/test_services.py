"""Callback rules, seeded rounds, answers, problems: the rules and the refusals (nothing
written)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.cases.factories import east_entity
from tests.org.factories import OfficerFactory
from tests.timeliness.callbacks.factories import (
    IN_MONTH,
    MONTH,
    TODAY,
    drawn_round,
    make_closed_case,
    make_complaint,
    make_service_case,
    make_signed,
    pending,
)
from xiaoneng.core.errors import Conflict, InvalidInput, NotPermitted
from xiaoneng.core.months import parse_month
from xiaoneng.timeliness.callbacks import checks, problems, rounds, rules
from xiaoneng.timeliness.callbacks import services as callbacks
from xiaoneng.timeliness.callbacks.models import (
    Callback,
    CallbackProblem,
    CallbackRound,
    CallbackRule,
    SubjectKind,
)
from xiaoneng.timeliness.callbacks.rounds import verify_round

pytestmark = pytest.mark.django_db
CALLED = dt.date(2026, 5, 6)
GOOD = {"attitude": "satisfied", "quality": "basic", "overall": "satisfied"}


# Rules --------------------------------------------------------------------------------------------


def test_a_rule_takes_exactly_the_field_of_its_mode(county):
    d = county.east_director
    rule = rules.save_rule(
        actor=d, unit=county.east, subject_kind="service_case", mode="share", share="0.3"
    )
    assert rule.share == Decimal("0.30") and rule.count is None
    rule = rules.save_rule(
        actor=d, unit=county.east, subject_kind="service_case", mode="count", count="10"
    )
    assert rule.count == 10 and rule.share is None
    assert CallbackRule.objects.count() == 1


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"mode": "share"}, "share", "抽取比例应大于 0 且不超过 1：“”"),
        ({"mode": "share", "share": "0"}, "share", "抽取比例应大于 0 且不超过 1：“0”"),
        ({"mode": "share", "share": "1.5"}, "share", "抽取比例应大于 0 且不超过 1：“1.5”"),
        ({"mode": "share", "share": "abc"}, "share", "抽取比例应大于 0 且不超过 1：“abc”"),
        ({"mode": "share", "share": "0.3", "count": 2}, "count", "按比例抽取时不填抽取数量"),
        ({"mode": "count", "count": "0"}, "count", "抽取数量应为不小于 1 的整数：“0”"),
        ({"mode": "count", "count": "2.5"}, "count", "抽取数量应为不小于 1 的整数：“2.5”"),
        ({"mode": "count", "count": 3, "share": "0.2"}, "share", "按数量抽取时不填抽取比例"),
        ({"mode": "all", "count": 3}, "count", "全部回访时不填抽取数量"),
        ({"mode": "some"}, "mode", "抽取方式无效：“some”"),
        ({"mode": "all", "subject_kind": "x"}, "subject_kind", "回访对象无效：“x”"),
        ({"mode": "all", "channel": "sms"}, "channel", "回访方式无效：“sms”"),
    ],
)
def test_a_bad_rule_is_refused_naming_the_field(county, values, field, message):
    values = {"subject_kind": "service_case", **values}
    with pytest.raises(InvalidInput) as refused:
        rules.save_rule(actor=county.east_director, unit=county.east, **values)
    assert refused.value.by_field[field] == message
    assert not CallbackRule.objects.exists()


def test_rules_need_the_capability_and_the_unit(county):
    with pytest.raises(NotPermitted):
        rules.save_rule(
            actor=county.east_officer, unit=county.east, subject_kind="case", mode="all"
        )
    with pytest.raises(NotPermitted):
        rules.save_rule(
            actor=county.west_director, unit=county.east, subject_kind="case", mode="all"
        )
    assert not CallbackRule.objects.exists()


# Rounds -------------------------------------------------------------------------------------------


def test_a_round_draws_the_share_from_the_months_completed_records_and_verifies(county):
    for day in (dt.date(2026, 3, 31), dt.date(2026, 5, 1)):  # outside April
        make_service_case(unit=county.east, officer=county.east_officer, completed_on=day)
    make_service_case(unit=county.west, officer=county.west_officer)  # another subtree
    drawn = drawn_round(county, n=10, mode="share", share="0.3")
    assert drawn.population == 10 and drawn.callbacks.count() == 3  # ⌈0.3 × 10⌉
    assert len(drawn.seed) > 20 and len(drawn.population_digest) == 64
    first = drawn.callbacks.order_by("id").first()
    assert first.status == Callback.Status.PENDING
    assert first.party == "张三" and first.phone == "13900000001"
    assert first.officer == county.east_officer and first.unit == county.east
    assert verify_round(drawn)
    # the same seed over the same ids draws the same records
    month = parse_month(MONTH)
    ids = rounds.population("service_case", county.east, month, round_id=drawn.pk)
    assert rounds.draw(drawn.seed, ids, 3) == sorted(
        drawn.callbacks.values_list("service_case_id", flat=True)
    )


def test_verify_finds_a_tampered_round(county):
    drawn = drawn_round(county, n=6, mode="count", count=2)
    assert drawn.callbacks.count() == 2 and verify_round(drawn)
    month = parse_month(MONTH)
    ids = rounds.population("service_case", county.east, month, round_id=drawn.pk)
    chosen = sorted(drawn.callbacks.values_list("service_case_id", flat=True))
    other = next(f"x{i}" for i in range(100) if rounds.draw(f"x{i}", ids, 2) != chosen)
    CallbackRound.objects.filter(pk=drawn.pk).update(seed=other)
    drawn.refresh_from_db()
    assert not verify_round(drawn)
    assert rounds.check_round(drawn).problems == ["回访记录与种子抽取结果不符"]


def test_each_kind_takes_its_party_and_officer(county):
    entity = east_entity(county, name="城东饭店", legal_representative="王五")
    make_signed(entity, county.east_officer)
    make_closed_case(entity, county.east_director)
    make_complaint(unit=county.east, officer=county.east_director)
    make_complaint(unit=county.east, officer=county.east_director, real_name=False)  # anonymous
    make_complaint(
        unit=county.east, officer=county.east_director, status="agreed"
    )  # not yet closed
    for kind in SubjectKind.values:
        rules.save_rule(actor=None, unit=county.east, subject_kind=kind, mode="all")
    assert rounds.draw_due_rounds(today=TODAY) == 4
    inspection = Callback.objects.get(subject_kind="inspection")
    assert (inspection.party, inspection.officer) == ("王五", county.east_officer)
    case = Callback.objects.get(subject_kind="case")
    assert (case.party, case.officer) == ("王五", county.east_director)
    complaint = Callback.objects.get(subject_kind="complaint")
    assert (complaint.party, complaint.phone) == ("李四", "13900000002")
    assert Callback.objects.filter(subject_kind="service_case").count() == 0
    assert rounds.draw_due_rounds(today=TODAY) == 0  # drawn once


def test_a_month_is_drawn_only_once_it_has_ended_and_only_once(county):
    rules.save_rule(actor=None, unit=county.east, subject_kind="case", mode="all")
    with pytest.raises(InvalidInput) as refused:
        rounds.draw_round(
            unit=county.east, month="2026-05", subject_kind="case", actor=None, today=TODAY
        )
    assert refused.value.by_field["month"] == "2026-05 尚未结束，月份结束后才能抽取回访"
    with pytest.raises(InvalidInput) as refused:
        rounds.draw_round(
            unit=county.east, month="2026-4", subject_kind="case", actor=None, today=TODAY
        )
    assert refused.value.by_field["month"] == "月份应为 YYYY-MM：“2026-4”"
    with pytest.raises(InvalidInput) as refused:
        rounds.draw_round(
            unit=county.east, month=MONTH, subject_kind="complaint", actor=None, today=TODAY
        )
    assert refused.value.by_field["subject_kind"] == "城东所 没有启用的“投诉举报”回访规则"
    assert not CallbackRound.objects.exists()
    rounds.draw_round(unit=county.east, month=MONTH, subject_kind="case", actor=None, today=TODAY)
    with pytest.raises(Conflict):
        rounds.draw_round(
            unit=county.east, month=MONTH, subject_kind="case", actor=None, today=TODAY
        )
    assert CallbackRound.objects.count() == 1


def test_a_bureau_round_leaves_out_what_a_station_round_took(county):
    drawn = drawn_round(county, n=4, mode="count", count=1)
    rules.save_rule(actor=None, unit=county.bureau, subject_kind="service_case", mode="all")
    bureau = rounds.draw_round(
        unit=county.bureau, month=MONTH, subject_kind="service_case", actor=None, today=TODAY
    )
    assert bureau.population == 3 and bureau.callbacks.count() == 3
    assert verify_round(drawn) and verify_round(bureau)


# Answers ------------------------------------------------------------------------------------------


def test_a_callback_reached_records_its_answers(county):
    callback = pending(county)
    callbacks.record_callback(
        callback=callback,
        channel="on_site",
        called_on=CALLED,
        answers={**GOOD, "integrity": "满意"},
        remarks="对办事效率满意",
        actor=county.east_director,
        today=TODAY,
    )
    callback.refresh_from_db()
    assert callback.status == "done" and callback.channel == "on_site"
    assert (callback.overall, callback.integrity, callback.time_limit) == (
        "satisfied",
        "satisfied",
        "",
    )
    assert callback.caller == county.east_director


@pytest.mark.parametrize(
    ("answers", "field", "message"),
    [
        ({"overall": "很好"}, "overall", "“总体评价”的回答应为满意、基本满意或不满意：“很好”"),
        (
            {"attitude": "great", "overall": "satisfied"},
            "attitude",
            "“服务态度”的回答应为满意、基本满意或不满意：“great”",
        ),
        ({"attitude": "satisfied"}, "overall", "请填写“总体评价”（满意、基本满意或不满意）"),
        ({"overall": "satisfied", "mood": "satisfied"}, "mood", "未知的回访问题：“mood”"),
    ],
)
def test_an_answer_outside_the_allowed_values_is_refused_naming_the_question(
    county, answers, field, message
):
    callback = pending(county)
    with pytest.raises(InvalidInput) as refused:
        callbacks.record_callback(
            callback=callback,
            channel="phone",
            called_on=CALLED,
            answers=answers,
            actor=county.east_director,
            today=TODAY,
        )
    assert refused.value.by_field[field] == message
    callback.refresh_from_db()
    assert callback.status == "pending" and callback.overall == "" and callback.called_on is None


@pytest.mark.parametrize(
    ("channel", "called_on", "field", "message"),
    [
        ("fax", CALLED, "channel", "回访方式应为电话回访或上门回访：“fax”"),
        ("phone", None, "called_on", "请填写回访日期（YYYY-MM-DD）"),
        (
            "phone",
            dt.date(2026, 5, 21),
            "called_on",
            "回访日期不能晚于今天（2026-05-20）：2026-05-21",
        ),
        (
            "phone",
            dt.date(2026, 4, 9),
            "called_on",
            "回访日期不能早于事项办结日期（2026-04-10）：2026-04-09",
        ),
    ],
)
def test_a_bad_channel_or_day_is_refused(county, channel, called_on, field, message):
    callback = pending(county)
    with pytest.raises(InvalidInput) as refused:
        callbacks.record_callback(
            callback=callback,
            channel=channel,
            called_on=called_on,
            answers=GOOD,
            actor=county.east_director,
            today=TODAY,
        )
    assert refused.value.by_field[field] == message
    assert Callback.objects.get().status == "pending"


def test_unsatisfied_needs_a_problem_or_a_reason(county):
    callback = pending(county)
    args = {
        "callback": callback,
        "channel": "phone",
        "called_on": CALLED,
        "answers": {"overall": "不满意"},
        "actor": county.east_director,
        "today": TODAY,
    }
    with pytest.raises(InvalidInput) as refused:
        callbacks.record_callback(**args)
    assert refused.value.by_field["problem"] == (
        "总体评价为不满意时，应登记反映的问题并交办整改，或说明不交办的理由"
    )
    # a bad problem refuses the answer too
    with pytest.raises(InvalidInput):
        callbacks.record_callback(
            **args, problem={"description": "", "owner": county.east_officer, "deadline": CALLED}
        )
    assert Callback.objects.get().status == "pending" and not CallbackProblem.objects.exists()
    callbacks.record_callback(
        **args,
        problem={"description": "窗口等候太久", "owner": county.east_officer, "deadline": TODAY},
    )
    problem = CallbackProblem.objects.get()
    assert problem.unit == county.east and problem.status == "open"


def test_unsatisfied_with_a_reason_keeps_it_in_the_remarks(county):
    callback = pending(county)
    callbacks.record_callback(
        callback=callback,
        channel="phone",
        called_on=CALLED,
        answers={"overall": "unsatisfied"},
        no_problem_reason="对方不满的是法律规定的收费标准，已解释",
        actor=county.east_director,
        today=TODAY,
    )
    callback.refresh_from_db()
    assert "未交办整改：对方不满的是法律规定的收费标准" in callback.remarks


def test_the_officer_asked_about_may_not_call_nor_another_station(county):
    callback = pending(county)
    for actor in (county.east_officer, county.west_officer, county.leader):
        with pytest.raises(NotPermitted):
            callbacks.record_callback(
                callback=callback,
                channel="phone",
                called_on=CALLED,
                answers=GOOD,
                actor=actor,
                today=TODAY,
            )
    assert Callback.objects.get().status == "pending"


def test_a_grid_officer_may_not_call_even_about_another_officers_work(county):
    """篇9: callbacks are made by the supervision staff (RUN_CALLBACKS), not by grid officers."""
    callback = pending(county)
    colleague = OfficerFactory(username="east_colleague", unit=county.east)
    assert not checks.may_call(colleague, callback)
    with pytest.raises(NotPermitted):
        callbacks.record_callback(
            callback=callback,
            channel="phone",
            called_on=CALLED,
            answers=GOOD,
            actor=colleague,
            today=TODAY,
        )
    with pytest.raises(NotPermitted):
        callbacks.mark_unreachable(
            callback=callback, called_on=CALLED, actor=colleague, today=TODAY
        )
    callback = Callback.objects.get()
    assert (callback.status, callback.called_on, callback.caller, callback.overall) == (
        "pending",
        None,
        None,
        "",
    )


def test_the_supervision_staff_call_but_never_about_their_own_work(county):
    callback, own = drawn_round(county, n=2).callbacks.order_by("id")
    assert checks.may_call(county.east_director, callback)
    assert checks.may_call(county.division_staff, callback)
    callbacks.record_callback(
        callback=callback,
        channel="phone",
        called_on=CALLED,
        answers=GOOD,
        actor=county.division_staff,
        today=TODAY,
    )
    assert Callback.objects.get(pk=callback.pk).caller == county.division_staff
    Callback.objects.filter(pk=own.pk).update(officer=county.east_director)  # the director's case
    own.refresh_from_db()
    assert not checks.may_call(county.east_director, own)
    with pytest.raises(NotPermitted):
        callbacks.record_callback(
            callback=own,
            channel="phone",
            called_on=CALLED,
            answers=GOOD,
            actor=county.east_director,
            today=TODAY,
        )
    assert Callback.objects.get(pk=own.pk).status == "pending"


def test_unreachable_then_reached(county):
    callback = pending(county)
    callbacks.mark_unreachable(
        callback=callback,
        called_on=CALLED,
        remarks="电话无人接听",
        actor=county.east_director,
        today=TODAY,
    )
    assert callback.status == "unreachable"
    callbacks.record_callback(
        callback=callback,
        channel="phone",
        called_on=TODAY,
        answers=GOOD,
        actor=county.east_director,
        today=TODAY,
    )
    assert callback.status == "done"
    with pytest.raises(Conflict):
        callbacks.mark_unreachable(
            callback=callback, called_on=TODAY, actor=county.east_director, today=TODAY
        )


# Problems -----------------------------------------------------------------------------------------


def _done(county):
    callback = pending(county)
    return callbacks.record_callback(
        callback=callback,
        channel="phone",
        called_on=CALLED,
        answers=GOOD,
        actor=county.east_director,
        today=TODAY,
    )


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"description": " "}, "description", "请填写反映的问题"),
        ({"owner": None}, "owner", "请选择整改责任人"),
        ({"owner": "west"}, "owner", "整改责任人应为城东所的在职人员：west_officer"),
        ({"deadline": None}, "deadline", "请填写整改期限（YYYY-MM-DD）"),
        (
            {"deadline": dt.date(2026, 5, 5)},
            "deadline",
            "整改期限不能早于回访日期（2026-05-06）：2026-05-05",
        ),
    ],
)
def test_a_bad_problem_is_refused(county, values, field, message):
    callback = _done(county)
    if values.get("owner") == "west":
        values["owner"] = county.west_officer
    args = {"description": "办事窗口态度生硬", "owner": county.east_officer, "deadline": TODAY}
    with pytest.raises(InvalidInput) as refused:
        callbacks.raise_problem(callback=callback, actor=county.east_director, **{**args, **values})
    assert refused.value.by_field[field].startswith(message.split("：")[0])
    if field != "owner" or values["owner"] is None:
        assert refused.value.by_field[field] == message
    assert not CallbackProblem.objects.exists()


def test_a_problem_is_rectified_then_fed_back_in_order(county):
    callback = _done(county)
    problem = callbacks.raise_problem(
        callback=callback,
        description="办事窗口态度生硬",
        owner=county.east_officer,
        deadline=dt.date(2026, 5, 15),
        actor=county.east_director,
    )
    with pytest.raises(Conflict) as refused:
        problems.feed_back(
            problem=problem, on=TODAY, channel="phone", actor=county.east_director, today=TODAY
        )
    assert refused.value.message == "问题尚未整改，整改完成后才能反馈"
    with pytest.raises(InvalidInput) as bad:
        problems.rectify(
            problem=problem,
            outcome="已谈话提醒",
            on=dt.date(2026, 5, 1),
            actor=county.east_officer,
            today=TODAY,
        )
    assert bad.value.by_field["on"] == "整改完成日期不能早于回访日期（2026-05-06）：2026-05-01"
    assert problems.is_overdue(problem, TODAY)
    problems.rectify(
        problem=problem,
        outcome="已谈话提醒",
        on=dt.date(2026, 5, 12),
        actor=county.east_officer,
        today=TODAY,
    )
    assert not problems.is_overdue(problem, TODAY)
    with pytest.raises(InvalidInput) as bad:
        problems.feed_back(
            problem=problem,
            on=dt.date(2026, 5, 11),
            channel="phone",
            actor=county.east_officer,
            today=TODAY,
        )
    assert bad.value.by_field["on"] == "反馈日期不能早于整改完成日期（2026-05-12）：2026-05-11"
    with pytest.raises(InvalidInput) as bad:
        problems.feed_back(
            problem=problem, on=TODAY, channel="pigeon", actor=county.east_officer, today=TODAY
        )
    assert bad.value.by_field["channel"] == "反馈方式应为电话、上门、短信或书面：“pigeon”"
    problem.refresh_from_db()
    assert problem.status == "rectified" and problem.fed_back_on is None
    problems.feed_back(
        problem=problem, on=TODAY, channel="phone", actor=county.east_officer, today=TODAY
    )
    problem.refresh_from_db()
    assert (problem.status, problem.fed_back_on, problem.fed_back_by) == (
        "fed_back",
        TODAY,
        county.east_officer,
    )


def test_only_the_owner_or_callback_staff_rectify(county):
    callback = _done(county)
    problem = callbacks.raise_problem(
        callback=callback,
        description="态度生硬",
        owner=county.east_director,
        deadline=TODAY,
        actor=county.east_director,
    )
    with pytest.raises(NotPermitted):
        problems.rectify(
            problem=problem, outcome="x", on=TODAY, actor=county.east_officer, today=TODAY
        )
    with pytest.raises(NotPermitted):
        problems.rectify(
            problem=problem, outcome="x", on=TODAY, actor=county.west_director, today=TODAY
        )
    assert CallbackProblem.objects.get().status == "open"


def test_months_are_parsed_like_the_reviews():
    assert parse_month(MONTH).first == IN_MONTH.replace(day=1)
