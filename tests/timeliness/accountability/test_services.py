"""Accountability actions (问责, 篇9): decided against an officer with facts, rule and deduction,
linked to the records they came from; every bad input refused with its message, nothing
written; revoked with a reason."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.conftest import County
from tests.timeliness.accountability.factories import (
    DAY,
    decide,
    make_callback,
    make_confirmed_flag,
    make_problem,
    make_warning,
)
from xiaoneng.core import audit
from xiaoneng.core.errors import Conflict, InvalidInput, NotPermitted
from xiaoneng.inspections.records.models import TraceFlag
from xiaoneng.timeliness.accountability import services
from xiaoneng.timeliness.accountability.models import AccountabilityAction

pytestmark = pytest.mark.django_db


def refused(county: County, **values: object) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        decide(county, **values)
    assert not AccountabilityAction.objects.exists()
    return caught.value


def test_an_action_takes_the_officers_unit_and_its_sources(county: County) -> None:
    warning = make_warning(county)
    callback = make_callback(county)
    problem = make_problem(callback)
    flag = make_confirmed_flag(county)
    action = decide(
        county,
        warning=warning,
        callback=callback,
        callback_problem=problem,
        trace_flag=flag,
        deduction="200.00",
    )
    assert action.unit == county.east
    assert action.decided_by == county.division_staff
    assert action.deduction == Decimal("200.00")
    assert (action.warning, action.callback, action.callback_problem, action.trace_flag) == (
        warning,
        callback,
        problem,
        flag,
    )
    assert audit.history(action).filter(action="create").exists()


def test_an_empty_deduction_is_none(county: County) -> None:
    assert decide(county, deduction="").deduction == Decimal("0.00")
    assert decide(county, deduction=None).deduction == Decimal("0.00")


@pytest.mark.parametrize(
    ("deduction", "message"),
    [
        ("-1", "扣发补助不能为负数：-1"),
        ("12.345", "扣发补助最多两位小数（元）：12.345"),
        ("10000.01", "扣发补助不能超过 10000.00 元：10000.01"),
        ("二百", "扣发补助应为金额（元），如 200.00：二百"),
        ("NaN", "扣发补助应为金额（元），如 200.00：NaN"),
        ("1e400", "扣发补助不能超过 10000.00 元：1e400"),
    ],
)
def test_a_bad_deduction_is_refused(county: County, deduction: str, message: str) -> None:
    error = refused(county, deduction=deduction)
    assert error.by_field == {"deduction": message}


def test_a_kind_outside_the_values_is_refused(county: County) -> None:
    error = refused(county, kind="fine")
    assert error.by_field == {
        "kind": "问责方式应为诫勉谈话、书面检查或公开道歉、通报批评、调整工作岗位、停职检查、"
        "降职使用、责令辞职、免职之一：fine"
    }
    assert refused(county, kind="").by_field == {"kind": "请选择问责方式"}


def test_no_facts_and_no_rule_are_refused_together(county: County) -> None:
    error = refused(county, facts="  ", rule="")
    assert error.by_field == {"facts": "请填写问责事实", "rule": "请填写依据条款"}


def test_a_rule_too_long_is_refused(county: County) -> None:
    assert refused(county, rule="条" * 201).by_field == {"rule": "依据条款不能超过 200 个字"}


def test_a_future_date_is_refused(county: County) -> None:
    today = timezone.localdate()
    tomorrow = today + dt.timedelta(days=1)
    error = refused(county, decided_on=tomorrow)
    assert error.by_field == {"decided_on": f"决定日期不能晚于今天（{today}）：{tomorrow}"}
    assert refused(county, decided_on=None).by_field == {
        "decided_on": "请填写决定日期（YYYY-MM-DD）"
    }


def test_a_decision_before_its_source_is_refused(county: County) -> None:
    warning = make_warning(county, raised_on=DAY)
    error = refused(county, warning=warning, decided_on=DAY - dt.timedelta(days=1))
    assert error.by_field == {
        "decided_on": "决定日期不能早于问责来源发生的日期（2026-03-02）：2026-03-01"
    }


def test_a_source_about_another_officer_is_refused(county: County) -> None:
    other = county.east_director
    warning = make_warning(county, officer=other)
    callback = make_callback(county, officer=other)
    problem = make_problem(make_callback(county), owner=other)
    flag = make_confirmed_flag(county, officers=[other])
    error = refused(
        county, warning=warning, callback=callback, callback_problem=problem, trace_flag=flag
    )
    assert error.by_field == {
        "warning": f"该预警不是被问责人承办的：#{warning.pk}",
        "callback": f"该回访所涉事项不是被问责人承办的：#{callback.pk}",
        "callback_problem": f"该回访问题的整改责任人不是被问责人：#{problem.pk}",
        "trace_flag": f"该痕迹疑点所涉检查不是被问责人做的：#{flag.pk}",
    }


def test_a_flag_of_an_inspection_the_officer_signed_as_a_member_counts(county: County) -> None:
    flag = make_confirmed_flag(county, officers=[county.east_director, county.east_officer])
    assert decide(county, trace_flag=flag).trace_flag == flag


def test_an_unconfirmed_flag_or_an_unanswered_callback_is_refused(county: County) -> None:
    flag = make_confirmed_flag(county)
    TraceFlag.objects.filter(pk=flag.pk).update(status=TraceFlag.Status.OPEN)
    flag.refresh_from_db()
    callback = make_callback(county, status="pending")
    error = refused(county, trace_flag=flag, callback=callback)
    assert error.by_field == {
        "callback": f"该回访尚未完成：#{callback.pk}",
        "trace_flag": f"该痕迹疑点尚未核实属实：#{flag.pk}",
    }


def test_a_problem_of_another_callback_is_refused(county: County) -> None:
    callback = make_callback(county)
    problem = make_problem(make_callback(county))
    error = refused(county, callback=callback, callback_problem=problem)
    assert error.by_field == {"callback_problem": f"该回访问题不是所选回访反映的：#{problem.pk}"}


def test_no_officer_is_refused(county: County) -> None:
    assert refused(county, officer=None).by_field == {"officer": "请选择被问责人"}


@pytest.mark.parametrize("actor", ["east_director", "east_officer", "admin"])
def test_only_leaders_and_division_staff_decide(county: County, actor: str) -> None:
    with pytest.raises(NotPermitted, match="您的角色无权执行此操作"):
        decide(county, actor=getattr(county, actor))
    assert not AccountabilityAction.objects.exists()


def test_the_leader_decides(county: County) -> None:
    assert decide(county, actor=county.leader).decided_by == county.leader


def test_revoke_keeps_the_record_with_its_reason(county: County) -> None:
    action = decide(county)
    services.revoke_action(action=action, reason="复核后事实不清", actor=county.leader)
    action.refresh_from_db()
    assert action.revoked_at is not None and action.revoked_reason == "复核后事实不清"
    assert audit.history(action).first().reason == "复核后事实不清"
    with pytest.raises(Conflict, match="该问责决定已于"):
        services.revoke_action(action=action, reason="再次撤销", actor=county.leader)


def test_revoke_needs_a_reason_and_the_capability(county: County) -> None:
    action = decide(county)
    with pytest.raises(InvalidInput) as caught:
        services.revoke_action(action=action, reason=" ", actor=county.leader)
    assert caught.value.by_field == {"reason": "请填写撤销理由"}
    with pytest.raises(NotPermitted):
        services.revoke_action(action=action, reason="x", actor=county.east_director)
    action.refresh_from_db()
    assert action.revoked_at is None
