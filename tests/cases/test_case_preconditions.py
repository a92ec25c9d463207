"""Each move's own preconditions: its date, its reason, the statement period, the money left to
collect, extensions; and the credit grade feedback of filing and penalising."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.cases.factories import east_entity, make_case, make_collection
from tests.conftest import County
from xiaoneng.cases import services
from xiaoneng.cases.models import Case
from xiaoneng.core.errors import Conflict, InvalidInput, NotPermitted
from xiaoneng.core.models import AuditEvent
from xiaoneng.registry.models import CreditProposal

D = dt.date
S = Case.Status


def reload(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def unchanged(case: Case, events: int) -> bool:
    fresh = reload(case)
    return fresh.status == case.status and AuditEvent.objects.count() == events


# Dates ------------------------------------------------------------------------------------------


def test_filing_before_the_lead_was_received_is_refused(county: County) -> None:
    case = make_case(unit=county.east, received_on=D(2026, 3, 2))
    events = AuditEvent.objects.count()
    with pytest.raises(InvalidInput) as refused:
        services.file_case(case=case, actor=county.east_officer, filed_on=D(2026, 3, 1))
    assert refused.value.errors[0].message == "立案日期不能早于线索登记日期 2026-03-02：2026-03-01"
    assert unchanged(case, events)


def test_filing_in_the_future_is_refused(county: County) -> None:
    case = make_case(unit=county.east)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(InvalidInput) as refused:
        services.file_case(case=case, actor=county.east_officer, filed_on=tomorrow)
    assert refused.value.errors[0].message == f"立案日期不能晚于今天：{tomorrow}"
    assert reload(case).status == "lead"


def test_a_move_without_its_date_is_refused(county: County) -> None:
    case = make_case(unit=county.east, status=S.FILED)
    with pytest.raises(InvalidInput) as refused:
        services.start_investigation(case=case, actor=county.east_officer, started_on=None)
    assert (refused.value.errors[0].field, refused.value.errors[0].message) == (
        "started_on",
        "请填写调查开始日期（YYYY-MM-DD）",
    )


def test_a_malformed_date_is_refused_naming_it(county: County) -> None:
    case = make_case(unit=county.east)
    with pytest.raises(InvalidInput) as refused:
        services.apply_transition(
            case=case, actor=county.east_officer, to="filed", values={"filed_on": "2026-02-30"}
        )
    assert refused.value.errors[0].message == "日期格式应为 YYYY-MM-DD：2026-02-30"


def test_a_notice_before_the_investigation_began_is_refused(county: County) -> None:
    case = make_case(unit=county.east, status=S.INVESTIGATING, stage_started_on=D(2026, 3, 10))
    with pytest.raises(InvalidInput) as refused:
        services.notify(case=case, actor=county.east_officer, notified_on=D(2026, 3, 9))
    assert refused.value.errors[0].message == "告知日期不能早于调查开始日期 2026-03-10：2026-03-09"


# Reasons ----------------------------------------------------------------------------------------


def test_refusing_to_file_needs_a_reason(county: County) -> None:
    case = make_case(unit=county.east)
    events = AuditEvent.objects.count()
    with pytest.raises(InvalidInput) as refused:
        services.refuse_filing(case=case, actor=county.east_officer, reason=" ")
    assert refused.value.errors[0].message == "请填写不予立案理由"
    assert unchanged(case, events)


def test_withdrawing_needs_a_reason(county: County) -> None:
    case = make_case(unit=county.east, status=S.INVESTIGATING)
    with pytest.raises(InvalidInput) as refused:
        services.withdraw(case=case, actor=county.east_officer, reason="")
    assert refused.value.errors[0].message == "请填写撤销理由"
    assert reload(case).status == "investigating"


def test_investigating_again_after_the_notice_needs_the_new_facts(county: County) -> None:
    case = make_case(unit=county.east, status=S.NOTIFIED, notified_on=D(2026, 3, 2))
    with pytest.raises(InvalidInput) as refused:
        services.start_investigation(case=case, actor=county.east_officer, started_on=D(2026, 3, 3))
    assert refused.value.errors[0].message == "请填写重新调查的理由（陈述申辩提出的新事实）"
    assert reload(case).status == "notified"


# Amounts ----------------------------------------------------------------------------------------


def test_a_negative_proposed_fine_is_refused(county: County) -> None:
    case = make_case(unit=county.east, status=S.INVESTIGATING)
    with pytest.raises(InvalidInput) as refused:
        services.notify(
            case=case, actor=county.east_officer, notified_on=D(2026, 4, 1), proposed_fine="-5"
        )
    assert (refused.value.errors[0].field, refused.value.errors[0].message) == (
        "proposed_fine",
        "拟罚款金额不能为负数：-5",
    )
    assert reload(case).status == "investigating"


@pytest.mark.parametrize(
    ("fine", "confiscation", "field", "message"),
    [
        ("-5", "0", "fine", "罚款金额不能为负数：-5"),
        ("五千", "0", "fine", "罚款金额格式不正确：五千"),
        ("0", "-0.01", "confiscation", "没收违法所得金额不能为负数：-0.01"),
        ("100.001", "0", "fine", "罚款金额最多 2 位小数：100.001"),
        ("1e30", "0", "fine", "罚款金额过大：1e30"),
    ],
)
def test_a_decision_with_a_bad_amount_is_refused_naming_the_field(
    county: County, fine: str, confiscation: str, field: str, message: str
) -> None:
    case = make_case(unit=county.east, status=S.NOTIFIED, notified_on=D(2026, 3, 2))
    events = AuditEvent.objects.count()
    with pytest.raises(InvalidInput) as refused:
        services.decide(
            case=case,
            actor=county.east_officer,
            decided_on=D(2026, 3, 20),
            decision_number="伊市监罚〔2026〕1号",
            fine=fine,
            confiscation=confiscation,
        )
    assert (refused.value.errors[0].field, refused.value.errors[0].message) == (field, message)
    assert unchanged(case, events)


# The statement period ---------------------------------------------------------------------------


def test_a_decision_inside_the_statement_period_is_refused(county: County) -> None:
    case = make_case(unit=county.east, status=S.NOTIFIED, notified_on=D(2026, 3, 2))
    events = AuditEvent.objects.count()
    with pytest.raises(InvalidInput) as refused:
        services.decide(
            case=case,
            actor=county.east_officer,
            decided_on=D(2026, 3, 9),  # the fifth working day: the period has not run
            decision_number="伊市监罚〔2026〕1号",
            fine="1000",
        )
    assert (refused.value.errors[0].field, refused.value.errors[0].message) == (
        "decided_on",
        "陈述、申辩期未满（告知于2026-03-02，须满 5 个工作日）",
    )
    assert unchanged(case, events)


def test_the_statement_period_counts_working_days_over_a_holiday(county: County) -> None:
    # Notified 30 Sep 2026; 1–7 Oct is the National Day holiday, Sat 10 Oct a working day:
    # the five working days are 8, 9, 10, 12 and 13 October.
    case = make_case(unit=county.east, status=S.NOTIFIED, notified_on=D(2026, 9, 30))
    with pytest.raises(InvalidInput):
        services.decide(
            case=case,
            actor=county.east_officer,
            decided_on=D(2026, 10, 13),
            decision_number="伊市监罚〔2026〕2号",
        )
    services.decide(
        case=case,
        actor=county.east_officer,
        decided_on=D(2026, 10, 14),
        decision_number="伊市监罚〔2026〕2号",
    )
    assert reload(case).status == "decided"


def test_a_decision_needs_its_number_and_the_number_is_unique(county: County) -> None:
    make_case(unit=county.east, status=S.DECIDED, decision_number="伊市监罚〔2026〕3号")
    case = make_case(unit=county.east, status=S.NOTIFIED, notified_on=D(2026, 3, 2))
    with pytest.raises(InvalidInput) as refused:
        services.decide(
            case=case, actor=county.east_officer, decided_on=D(2026, 3, 20), decision_number=""
        )
    assert refused.value.errors[0].message == "请填写处罚决定书文号"
    with pytest.raises(Conflict) as taken:
        services.decide(
            case=case,
            actor=county.east_officer,
            decided_on=D(2026, 3, 20),
            decision_number="伊市监罚〔2026〕3号",
        )
    assert taken.value.message == "处罚决定书文号已被使用：伊市监罚〔2026〕3号"
    assert reload(case).status == "notified"


def test_a_decision_may_update_the_case_value_and_major_flag(county: County) -> None:
    case = make_case(unit=county.east, status=S.NOTIFIED, notified_on=D(2026, 3, 2))
    services.decide(
        case=case,
        actor=county.east_officer,
        decided_on=D(2026, 3, 20),
        decision_number="伊市监罚〔2026〕4号",
        fine="20000",
        case_value="3201200",
        major=True,
    )
    case = reload(case)
    assert (case.case_value, case.major) == (Decimal("3201200.00"), True)


# Closing ----------------------------------------------------------------------------------------


def test_a_decided_case_with_money_outstanding_cannot_close(county: County) -> None:
    case = make_case(unit=county.east, status=S.DECIDED, fine="5000", decided_on=D(2026, 4, 15))
    make_collection(case, "3000")
    with pytest.raises(Conflict) as refused:
        services.close_case(case=case, actor=county.east_officer, closed_on=D(2026, 4, 20))
    assert refused.value.message == "尚有未入库的罚没款 2,000.00 元：请登记入库，或转入执行"
    assert reload(case).status == "decided"


def test_a_decided_case_paid_in_full_closes_without_execution(county: County) -> None:
    case = make_case(unit=county.east, status=S.DECIDED, fine="5000", decided_on=D(2026, 4, 15))
    make_collection(case, "5000")
    services.close_case(case=case, actor=county.east_officer, closed_on=D(2026, 4, 20))
    assert reload(case).status == "closed"


def test_an_executing_case_with_a_shortfall_needs_a_reason_to_close(county: County) -> None:
    case = make_case(
        unit=county.east,
        status=S.EXECUTING,
        fine="5000",
        confiscation="800",
        decided_on=D(2026, 4, 15),
    )
    make_collection(case, "5000")
    events = AuditEvent.objects.count()
    with pytest.raises(InvalidInput) as refused:
        services.close_case(case=case, actor=county.east_officer, closed_on=D(2026, 6, 1))
    assert refused.value.errors[0].field == "shortfall_reason"
    assert refused.value.errors[0].message.startswith(
        "尚有未入库的罚没款 800.00 元，结案须说明原因"
    )
    assert unchanged(case, events)
    services.close_case(
        case=case,
        actor=county.east_officer,
        closed_on=D(2026, 6, 1),
        shortfall_reason="已申请法院强制执行",
    )
    case = reload(case)
    assert (case.status, case.shortfall_reason) == ("closed", "已申请法院强制执行")


# Extensions -------------------------------------------------------------------------------------


def test_the_director_extends_a_leads_time_limit_once(county: County) -> None:
    case = make_case(unit=county.east)
    services.extend_time_limit(case=case, actor=county.east_director, reason="需检验鉴定")
    assert reload(case).filing_extended
    with pytest.raises(Conflict):
        services.extend_time_limit(case=reload(case), actor=county.east_director, reason="再次")


def test_a_grid_officer_cannot_extend_a_time_limit(county: County) -> None:
    case = make_case(unit=county.east, status=S.INVESTIGATING)
    with pytest.raises(NotPermitted):
        services.extend_time_limit(case=case, actor=county.east_officer, reason="案情复杂")
    assert not reload(case).decision_extended


def test_a_decided_case_has_no_time_limit_to_extend(county: County) -> None:
    case = make_case(unit=county.east, status=S.DECIDED)
    with pytest.raises(Conflict):
        services.extend_time_limit(case=case, actor=county.east_director, reason="案情复杂")


# Scope ------------------------------------------------------------------------------------------


def test_another_stations_officer_cannot_move_a_case(county: County) -> None:
    case = make_case(unit=county.east)
    with pytest.raises(NotPermitted):
        services.file_case(case=case, actor=county.west_officer, filed_on=D(2026, 3, 4))
    assert reload(case).status == "lead"


# Credit feedback --------------------------------------------------------------------------------


def proposals(case: Case) -> list[tuple[str, str]]:
    return sorted(
        CreditProposal.objects.filter(entity=case.entity).values_list("trigger", "status")
    )


def test_filing_proposes_a_lower_credit_grade(county: County) -> None:
    case = make_case(entity=east_entity(county))
    services.file_case(case=case, actor=county.east_officer, filed_on=D(2026, 3, 4))
    assert proposals(case) == [("case_filed", "pending")]


def test_filing_a_major_case_also_reports_the_major_case(county: County) -> None:
    case = make_case(entity=east_entity(county), major=True)
    services.file_case(case=case, actor=county.east_officer, filed_on=D(2026, 3, 4))
    assert proposals(case) == [("case_filed", "pending"), ("major_case", "pending")]


def test_a_penalty_lowers_the_credit_grade_at_once(county: County) -> None:
    entity = east_entity(county)
    case = make_case(entity=entity, status=S.NOTIFIED, notified_on=D(2026, 3, 2))
    services.decide(
        case=case,
        actor=county.east_officer,
        decided_on=D(2026, 3, 20),
        decision_number="伊市监罚〔2026〕5号",
        fine="3000",
    )
    entity.refresh_from_db()
    assert proposals(case) == [("case_penalised", "applied")]
    assert entity.credit_grade == "C"


def test_a_decision_without_penalty_leaves_the_credit_grade(county: County) -> None:
    entity = east_entity(county)
    grade = entity.credit_grade
    case = make_case(entity=entity, status=S.NOTIFIED, notified_on=D(2026, 3, 2))
    services.decide(
        case=case,
        actor=county.east_officer,
        decided_on=D(2026, 3, 20),
        decision_number="伊市监不罚〔2026〕1号",
    )
    entity.refresh_from_db()
    assert proposals(case) == [] and entity.credit_grade == grade


def test_a_case_found_major_at_its_decision_reports_the_major_case(county: County) -> None:
    case = make_case(entity=east_entity(county), status=S.NOTIFIED, notified_on=D(2026, 3, 2))
    services.decide(
        case=case,
        actor=county.east_officer,
        decided_on=D(2026, 3, 20),
        decision_number="伊市监罚〔2026〕6号",
        confiscation="100",
        major=True,
    )
    assert proposals(case) == [("case_penalised", "applied"), ("major_case", "pending")]
