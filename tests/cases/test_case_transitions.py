"""The case state machine: each allowed move (one test per edge) and every refused pair."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.cases.factories import east_entity, make_case, make_collection
from tests.conftest import County
from xiaoneng.cases import services
from xiaoneng.cases.models import Case
from xiaoneng.cases.transitions import CASE
from xiaoneng.core.errors import Conflict
from xiaoneng.core.models import AuditEvent

D = dt.date
S = Case.Status


def reload(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def test_the_table_is_the_one_the_procedure_rules_describe() -> None:
    assert {state: set(CASE[state]) for state in S.values} == {
        "lead": {"filed", "not_filed"},
        "filed": {"investigating", "withdrawn"},
        "investigating": {"notified", "withdrawn"},
        "notified": {"decided", "investigating", "withdrawn"},
        "decided": {"executing", "closed"},
        "executing": {"closed"},
        "closed": set(),
        "not_filed": set(),
        "withdrawn": set(),
    }


def test_a_lead_is_filed(county: County) -> None:
    case = make_case(entity=east_entity(county), received_on=D(2026, 3, 2))
    services.file_case(case=case, actor=county.east_officer, filed_on=D(2026, 3, 4))
    case = reload(case)
    assert (case.status, case.filed_on, case.stage_started_on) == (
        "filed",
        D(2026, 3, 4),
        D(2026, 3, 4),
    )


def test_a_lead_is_not_filed_with_its_reason(county: County) -> None:
    case = make_case(unit=county.east, received_on=D(2026, 3, 2))
    services.refuse_filing(
        case=case,
        actor=county.east_officer,
        reason="违法行为轻微并及时改正",
        refused_on=D(2026, 3, 5),
    )
    case = reload(case)
    assert (case.status, case.ended_reason, case.stage_started_on) == (
        "not_filed",
        "违法行为轻微并及时改正",
        D(2026, 3, 5),
    )


def test_a_filed_case_is_investigated(county: County) -> None:
    case = make_case(unit=county.east, status=S.FILED, filed_on=D(2026, 3, 4))
    services.start_investigation(case=case, actor=county.east_officer, started_on=D(2026, 3, 5))
    case = reload(case)
    assert (case.status, case.stage_started_on) == ("investigating", D(2026, 3, 5))


def test_a_filed_case_is_withdrawn(county: County) -> None:
    case = make_case(unit=county.east, status=S.FILED, filed_on=D(2026, 3, 4))
    services.withdraw(
        case=case, actor=county.east_officer, reason="管辖错误，移送", withdrawn_on=D(2026, 3, 6)
    )
    case = reload(case)
    assert (case.status, case.ended_reason) == ("withdrawn", "管辖错误，移送")


def test_an_investigation_ends_in_the_notice_of_the_proposed_penalty(county: County) -> None:
    case = make_case(unit=county.east, status=S.INVESTIGATING, filed_on=D(2026, 3, 4))
    services.notify(
        case=case, actor=county.east_officer, notified_on=D(2026, 4, 1), proposed_fine="5000"
    )
    case = reload(case)
    assert (case.status, case.notified_on, case.proposed_fine) == (
        "notified",
        D(2026, 4, 1),
        Decimal("5000.00"),
    )


def test_an_investigating_case_is_withdrawn(county: County) -> None:
    case = make_case(unit=county.east, status=S.INVESTIGATING)
    services.withdraw(case=case, actor=county.east_officer, reason="当事人已注销，无法追究")
    assert reload(case).status == "withdrawn"


def test_a_notified_case_is_decided_once_the_statement_period_has_run(county: County) -> None:
    # Notified on Monday 2 March 2026: five working days run to Monday 9 March.
    case = make_case(unit=county.east, status=S.NOTIFIED, notified_on=D(2026, 3, 2))
    services.decide(
        case=case,
        actor=county.east_officer,
        decided_on=D(2026, 3, 10),
        decision_number="伊市监罚〔2026〕12号",
        fine="8000.00",
        confiscation="1200.5",
    )
    case = reload(case)
    assert (case.status, case.decided_on, case.decision_number) == (
        "decided",
        D(2026, 3, 10),
        "伊市监罚〔2026〕12号",
    )
    assert (case.fine_decided, case.confiscation_decided) == (
        Decimal("8000.00"),
        Decimal("1200.50"),
    )


def test_a_notified_case_goes_back_to_investigation_when_the_statement_brings_new_facts(
    county: County,
) -> None:
    case = make_case(unit=county.east, status=S.NOTIFIED, notified_on=D(2026, 3, 2))
    services.start_investigation(
        case=case,
        actor=county.east_officer,
        started_on=D(2026, 3, 4),
        reason="当事人陈述提供了新的进货凭证",
    )
    case = reload(case)
    assert (case.status, case.stage_started_on) == ("investigating", D(2026, 3, 4))


def test_a_notified_case_is_withdrawn(county: County) -> None:
    case = make_case(unit=county.east, status=S.NOTIFIED)
    services.withdraw(case=case, actor=county.east_officer, reason="证据不足")
    assert reload(case).status == "withdrawn"


def test_a_decided_case_goes_to_execution(county: County) -> None:
    case = make_case(unit=county.east, status=S.DECIDED, decided_on=D(2026, 4, 15), fine=5000)
    services.start_execution(
        case=case,
        actor=county.east_officer,
        started_on=D(2026, 5, 6),
        note="逾期未缴，申请强制执行",
    )
    case = reload(case)
    assert (case.status, case.stage_started_on) == ("executing", D(2026, 5, 6))


def test_a_decision_with_nothing_to_execute_is_closed(county: County) -> None:
    case = make_case(unit=county.east, status=S.DECIDED, decided_on=D(2026, 4, 15))  # 不予处罚
    services.close_case(case=case, actor=county.east_officer, closed_on=D(2026, 4, 16))
    case = reload(case)
    assert (case.status, case.closed_on) == ("closed", D(2026, 4, 16))


def test_an_executing_case_is_closed_once_the_money_is_in(county: County) -> None:
    case = make_case(unit=county.east, status=S.EXECUTING, fine=5000, decided_on=D(2026, 4, 15))
    make_collection(case, "5000", collected_on=D(2026, 5, 8))
    services.close_case(case=case, actor=county.east_officer, closed_on=D(2026, 5, 20))
    case = reload(case)
    assert (case.status, case.closed_on, case.shortfall_reason) == ("closed", D(2026, 5, 20), "")


# Every pair the table does not allow -----------------------------------------------------------

ALLOWED = {(current, to) for current in S.values for to in CASE[current]}
REFUSED = [(current, to) for current in S.values for to in S.values if (current, to) not in ALLOWED]
# Values that would satisfy every service, so that only the table can refuse.
VALID = {
    "filed_on": "2026-06-01",
    "refused_on": "2026-06-01",
    "started_on": "2026-06-01",
    "notified_on": "2026-06-01",
    "decided_on": "2026-06-30",
    "closed_on": "2026-06-30",
    "withdrawn_on": "2026-06-30",
    "reason": "测试理由",
    "decision_number": "测试罚〔2026〕1号",
    "fine": "0",
    "confiscation": "0",
    "proposed_fine": "0",
    "shortfall_reason": "测试理由",
}


@pytest.mark.parametrize(("current", "to"), REFUSED)
def test_a_move_the_table_does_not_allow_is_refused_and_writes_nothing(
    county: County, current: str, to: str
) -> None:
    case = make_case(unit=county.east, status=current, received_on=D(2026, 3, 2))
    events = AuditEvent.objects.count()
    with pytest.raises(Conflict) as refused:
        services.apply_transition(case=case, actor=county.east_officer, to=to, values=VALID)
    assert refused.value.message == f"案件状态为“{S(current).label}”，不能改为“{S(to).label}”"
    assert AuditEvent.objects.count() == events
    assert reload(case).status == current


def test_an_unknown_target_status_is_refused_naming_it(county: County) -> None:
    case = make_case(unit=county.east)
    with pytest.raises(Exception) as refused:
        services.apply_transition(case=case, actor=county.east_officer, to="archived", values={})
    assert refused.value.errors[0].field == "to"  # type: ignore[attr-defined]
    assert "archived" in refused.value.errors[0].message  # type: ignore[attr-defined]


def test_moves_allowed_for_the_page_follow_the_table(county: County) -> None:
    case = make_case(unit=county.east, status=S.NOTIFIED)
    assert services.allowed_moves(case, county.east_officer) == [
        "investigating",
        "decided",
        "withdrawn",
    ]
    assert services.allowed_moves(case, county.leader) == []  # leaders do not handle cases


def test_a_case_moved_by_someone_else_meanwhile_is_refused(county: County) -> None:
    case = make_case(unit=county.east, status=S.FILED, filed_on=D(2026, 3, 4))
    stale = Case.objects.get(pk=case.pk)
    services.start_investigation(case=case, actor=county.east_officer, started_on=D(2026, 3, 5))
    with pytest.raises(Conflict) as refused:
        services.withdraw(case=stale, actor=county.east_officer, reason="重复立案")
    assert refused.value.message == "案件已被他人更新，请刷新后重试"
    assert reload(case).status == "investigating"
