"""The complaint and report services: their clocks, moves, bad input and the repeated-complaints
signal."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.conftest import County
from tests.timeliness.complaints.factories import DAY, east_entity, make_complaint
from xiaoneng.cases.models import Case
from xiaoneng.core.errors import Conflict, InvalidInput, NotPermitted
from xiaoneng.registry.models import CreditProposal
from xiaoneng.timeliness.clocks.models import Clock, ClockKind, SubjectType
from xiaoneng.timeliness.complaints import checks, filing, repeated, services
from xiaoneng.timeliness.complaints.models import Complaint

pytestmark = pytest.mark.django_db
S = Complaint.Status


def clocks(complaint: Complaint) -> dict[str, Clock]:
    found = Clock.objects.filter(subject_type=SubjectType.COMPLAINT, subject_id=complaint.pk)
    return {clock.kind: clock for clock in found}


def message(error: pytest.ExceptionInfo[InvalidInput], field: str) -> str:
    return error.value.by_field[field]


# Registering -------------------------------------------------------------------------------------


def test_a_complaint_is_numbered_and_its_acceptance_clock_starts(county: County) -> None:
    complaint = make_complaint(county)
    assert complaint.number == "TS2026-000001"
    assert complaint.status == S.RECEIVED
    assert complaint.first_officer == complaint.handler == county.east_officer
    assert complaint.unit == county.east
    assert make_complaint(county).number == "TS2026-000002"
    clock = clocks(complaint)[ClockKind.COMPLAINT_ACCEPT]
    assert (clock.started_on, clock.limit_days, clock.due_on) == (DAY, 7, dt.date(2026, 6, 10))
    assert clock.basis == "《市场监督管理投诉举报处理暂行办法》第十四条"
    assert clock.officer == county.east_officer


def test_a_report_is_verified_within_15_working_days(county: County) -> None:
    report = make_complaint(county, kind="report")
    assert report.number == "JB2026-000001"
    assert report.status == S.VERIFYING
    clock = clocks(report)[ClockKind.REPORT_FILING]
    assert (clock.limit_days, clock.due_on) == (15, dt.date(2026, 6, 23))  # 端午 19 June


def test_without_an_entity_the_unit_is_the_officers(county: County) -> None:
    complaint = make_complaint(county, respondent="流动摊贩", actor=county.west_officer)
    assert complaint.unit == county.west
    assert complaint.entity is None and complaint.respondent == "流动摊贩"


@pytest.mark.parametrize(
    ("values", "field", "text"),
    [
        ({"kind": "other"}, "kind", "类别应为投诉或举报：other"),
        ({"channel": "fax"}, "channel", "未知的来源渠道：fax"),
        ({"topic": "x"}, "topic", "未知的涉及领域：x"),
        ({"received_on": None}, "received_on", "请填写收到日期（YYYY-MM-DD）"),
        ({"received_on": dt.date(2099, 1, 1)}, "received_on", "收到日期不能晚于今天：2099-01-01"),
        (
            {"received_on": dt.date(2026, 1, 2)},
            "received_on",
            "收到日期不能早于被投诉（举报）主体的登记日期 2026-01-05：2026-01-02",
        ),
        ({"content": " "}, "content", "请填写投诉（举报）内容"),
        ({"person": ""}, "person", "请填写投诉（举报）人"),
        ({"phone": "abc"}, "phone", "联系电话格式不正确：abc"),
        ({"content": "长" * 5001}, "content", "投诉（举报）内容不能超过 5000 个字"),
    ],
)
def test_bad_input_is_refused_and_nothing_written(
    county: County, values: dict[str, object], field: str, text: str
) -> None:
    entity = east_entity(county)
    with pytest.raises(InvalidInput) as error:
        make_complaint(county, entity=entity, **values)
    assert message(error, field) == text
    assert not Complaint.objects.exists() and not Clock.objects.exists()


def test_an_anonymous_report_needs_no_name(county: County) -> None:
    report = make_complaint(county, kind="report", person="", real_name=False)
    assert not report.real_name


def test_a_station_cannot_register_against_another_stations_entity(county: County) -> None:
    with pytest.raises(NotPermitted):
        make_complaint(county, actor=county.west_officer, entity=east_entity(county))
    assert not Complaint.objects.exists()


# 投诉 ----------------------------------------------------------------------------------------------


def test_accepting_stops_the_clock_and_starts_mediation(county: County) -> None:
    complaint = make_complaint(county)
    services.accept(complaint=complaint, actor=county.east_officer, on=dt.date(2026, 6, 5))
    complaint.refresh_from_db()
    assert complaint.status == S.MEDIATING and complaint.accepted_on == dt.date(2026, 6, 5)
    found = clocks(complaint)
    assert found[ClockKind.COMPLAINT_ACCEPT].stopped_on == dt.date(2026, 6, 5)
    mediation = found[ClockKind.COMPLAINT_MEDIATION]
    assert (mediation.started_on, mediation.limit_days) == (dt.date(2026, 6, 5), 45)
    assert mediation.stopped_on is None


def test_a_terminated_mediation_must_be_told_within_7_working_days(county: County) -> None:
    complaint = make_complaint(county)
    services.accept(complaint=complaint, actor=county.east_officer, on=DAY)
    services.end_mediation(
        complaint=complaint,
        actor=county.east_officer,
        agreed=False,
        on=dt.date(2026, 7, 1),
        outcome="被投诉人拒绝调解",
    )
    notice = clocks(complaint)[ClockKind.COMPLAINT_NOTICE]
    assert (notice.started_on, notice.limit_days, notice.due_on) == (
        dt.date(2026, 7, 1),
        7,
        dt.date(2026, 7, 10),
    )
    services.notify(complaint=complaint, actor=county.east_officer, on=dt.date(2026, 7, 3))
    complaint.refresh_from_db()
    assert complaint.status == S.CLOSED and complaint.notified_on == dt.date(2026, 7, 3)
    assert clocks(complaint)[ClockKind.COMPLAINT_NOTICE].stopped_on == dt.date(2026, 7, 3)
    assert checks.is_done(complaint)


def test_an_agreed_mediation_records_the_amount_and_ends(county: County) -> None:
    complaint = make_complaint(county)
    services.accept(complaint=complaint, actor=county.east_officer, on=DAY)
    services.end_mediation(
        complaint=complaint,
        actor=county.east_officer,
        agreed=True,
        on=dt.date(2026, 6, 8),
        outcome="退一赔三",
        amount_recovered="120.5",
        founded="founded",
    )
    complaint.refresh_from_db()
    assert complaint.status == S.AGREED and complaint.amount_recovered == Decimal("120.50")
    assert ClockKind.COMPLAINT_NOTICE not in clocks(complaint)
    assert all(clock.stopped_on for clock in clocks(complaint).values())
    assert checks.actions_for(complaint, county.east_officer) == []


def test_refusing_needs_a_reason(county: County) -> None:
    complaint = make_complaint(county)
    with pytest.raises(InvalidInput) as error:
        services.refuse(complaint=complaint, actor=county.east_officer, on=DAY, reason=" ")
    assert message(error, "outcome") == "请填写不予受理的理由"
    complaint.refresh_from_db()
    assert complaint.status == S.RECEIVED
    services.refuse(
        complaint=complaint, actor=county.east_officer, on=DAY, reason="不属于本部门管辖"
    )
    assert clocks(complaint)[ClockKind.COMPLAINT_ACCEPT].stopped_on == DAY


@pytest.mark.parametrize(
    ("on", "text"),
    [
        (None, "请填写受理日期（YYYY-MM-DD）"),
        (dt.date(2099, 1, 1), "受理日期不能晚于今天：2099-01-01"),
        (dt.date(2026, 5, 29), "受理日期不能早于收到日期 2026-06-01：2026-05-29"),
    ],
)
def test_an_acceptance_date_out_of_range_is_refused(
    county: County, on: dt.date | None, text: str
) -> None:
    complaint = make_complaint(county)
    with pytest.raises(InvalidInput) as error:
        services.accept(complaint=complaint, actor=county.east_officer, on=on)
    assert message(error, "accepted_on") == text
    assert ClockKind.COMPLAINT_MEDIATION not in clocks(complaint)


def test_deciding_twice_is_refused(county: County) -> None:
    complaint = make_complaint(county)
    services.accept(complaint=complaint, actor=county.east_officer, on=DAY)
    with pytest.raises(Conflict, match="投诉举报状态为“已受理调解中”，不能改为“不予受理”"):
        services.refuse(complaint=complaint, actor=county.east_officer, on=DAY, reason="重复")
    with pytest.raises(Conflict):
        services.accept(complaint=complaint, actor=county.east_officer, on=DAY)
    assert Clock.objects.filter(kind=ClockKind.COMPLAINT_MEDIATION).count() == 1


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        ("-1", "挽回经济损失不能为负数：-1"),
        ("abc", "挽回经济损失应为金额（元）：abc"),
        ("1.234", "挽回经济损失应为不超过 100 亿元、最多两位小数的金额：1.234"),
        ("NaN", "挽回经济损失应为金额（元）：NaN"),
    ],
)
def test_a_bad_amount_is_refused(county: County, amount: str, text: str) -> None:
    complaint = make_complaint(county)
    services.accept(complaint=complaint, actor=county.east_officer, on=DAY)
    with pytest.raises(InvalidInput) as error:
        services.end_mediation(
            complaint=complaint,
            actor=county.east_officer,
            agreed=True,
            on=DAY,
            outcome="达成协议",
            amount_recovered=amount,
        )
    assert message(error, "amount_recovered") == text
    complaint.refresh_from_db()
    assert complaint.status == S.MEDIATING


def test_a_reports_action_on_a_complaint_is_refused(county: County) -> None:
    complaint = make_complaint(county)
    with pytest.raises(Conflict, match="该事项是投诉，不能办理此操作"):
        filing.decide_filing(
            complaint=complaint,
            actor=county.east_officer,
            file=False,
            on=DAY,
            founded="unfounded",
            outcome="查无实据",
        )
    report = make_complaint(county, kind="report")
    with pytest.raises(Conflict, match="该事项是举报，不能办理此操作"):
        services.accept(complaint=report, actor=county.east_officer, on=DAY)


# 举报 ----------------------------------------------------------------------------------------------


def test_only_a_director_or_the_division_extends_verification_once(county: County) -> None:
    report = make_complaint(county, kind="report")
    with pytest.raises(NotPermitted):
        filing.extend_verification(complaint=report, actor=county.east_officer, note="情况复杂")
    with pytest.raises(InvalidInput) as error:
        filing.extend_verification(complaint=report, actor=county.east_director, note="")
    assert message(error, "note") == "请填写批准延长的意见"
    filing.extend_verification(complaint=report, actor=county.east_director, note="情况复杂")
    clock = clocks(report)[ClockKind.REPORT_FILING]
    assert (clock.extended_days, clock.due_on) == (15, dt.date(2026, 7, 14))
    with pytest.raises(Conflict, match="核查期限已延长过一次"):
        filing.extend_verification(complaint=report, actor=county.division_staff, note="再延")


def test_filing_a_report_opens_and_files_a_case(county: County) -> None:
    report = make_complaint(county, kind="report", topic="price")
    filing.decide_filing(
        complaint=report,
        actor=county.east_officer,
        file=True,
        on=dt.date(2026, 6, 12),
        founded="founded",
        outcome="经核查存在价格欺诈",
    )
    report.refresh_from_db()
    case = report.case
    assert isinstance(case, Case)
    assert case.status == Case.Status.FILED and case.filed_on == dt.date(2026, 6, 12)
    assert (case.kind, case.entity, case.received_on) == ("price", report.entity, DAY)
    assert report.number in case.source_note
    found = clocks(report)
    assert found[ClockKind.REPORT_FILING].stopped_on == dt.date(2026, 6, 12)
    reply = found[ClockKind.REPORT_REPLY]
    assert (reply.limit_days, reply.due_on) == (5, dt.date(2026, 6, 22))  # 端午 19 June
    services.notify(complaint=report, actor=county.east_officer, on=dt.date(2026, 6, 15))
    report.refresh_from_db()
    assert report.status == S.CLOSED


def test_filing_needs_a_founded_report(county: County) -> None:
    report = make_complaint(county, kind="report")
    with pytest.raises(InvalidInput) as error:
        filing.decide_filing(
            complaint=report,
            actor=county.east_officer,
            file=True,
            on=DAY,
            founded="unfounded",
            outcome="x证据",
        )
    assert message(error, "founded") == "立案的举报核查结论应为属实或部分属实：unfounded"
    assert not Case.objects.exists()


def test_an_anonymous_reporter_is_not_told(county: County) -> None:
    report = make_complaint(county, kind="report", person="", real_name=False)
    filing.decide_filing(
        complaint=report,
        actor=county.east_officer,
        file=False,
        on=DAY,
        founded="unfounded",
        outcome="查无实据",
    )
    assert ClockKind.REPORT_REPLY not in clocks(report)
    assert checks.is_done(report)
    with pytest.raises(Conflict, match="匿名举报无需告知处理结果"):
        services.notify(complaint=report, actor=county.east_officer, on=DAY)
    with pytest.raises(Conflict):
        filing.decide_filing(
            complaint=report,
            actor=county.east_officer,
            file=False,
            on=DAY,
            founded="unfounded",
            outcome="查无实据",
        )


# 首问负责制 ----------------------------------------------------------------------------------------


def test_handing_on_keeps_the_first_officer_and_the_clock_follows(county: County) -> None:
    complaint = make_complaint(county)
    services.hand_on(
        complaint=complaint,
        officer=county.west_officer,
        actor=county.division_staff,
        note="属城西所辖区",
    )
    complaint.refresh_from_db()
    assert complaint.first_officer == county.east_officer
    assert complaint.handler == county.west_officer and complaint.unit == county.west
    assert complaint.handed_on_at is not None
    clock = clocks(complaint)[ClockKind.COMPLAINT_ACCEPT]
    assert (clock.officer, clock.unit) == (county.west_officer, county.west)


def test_handing_on_to_someone_out_of_scope_is_refused(county: County) -> None:
    complaint = make_complaint(county)
    with pytest.raises(InvalidInput) as error:
        services.hand_on(
            complaint=complaint, officer=county.west_officer, actor=county.east_officer
        )
    assert message(error, "officer").startswith("接办人不在您的辖区内")
    complaint.refresh_from_db()
    assert complaint.handler == county.east_officer


# Repeated complaints -------------------------------------------------------------------------------


def _founded(
    county: County, entity: object, received_on: dt.date, founded: str = "founded"
) -> Complaint:
    report = make_complaint(county, kind="report", entity=entity, received_on=received_on)
    filing.decide_filing(
        complaint=report,
        actor=county.east_officer,
        file=False,
        on=received_on,
        founded=founded,
        outcome="情节轻微，责令改正",
    )
    return report


def test_three_founded_within_a_year_propose_grade_c(county: County) -> None:
    entity = east_entity(county)
    _founded(county, entity, dt.date(2026, 2, 2))
    _founded(county, entity, dt.date(2026, 3, 2), founded="partly")
    _founded(county, entity, dt.date(2026, 4, 1), founded="unfounded")
    assert not CreditProposal.objects.exists()
    _founded(county, entity, dt.date(2026, 5, 6))
    proposal = CreditProposal.objects.get()
    assert (proposal.entity, proposal.trigger, proposal.proposed_grade) == (
        entity,
        "repeated_complaints",
        "C",
    )
    assert proposal.status == CreditProposal.Status.PENDING
    assert "一年内 3 件属实" in proposal.source


def test_founded_ones_more_than_a_year_apart_do_not_count(county: County) -> None:
    entity = east_entity(county)
    for day in (dt.date(2026, 1, 5), dt.date(2026, 6, 1)):
        _founded(county, entity, day)
    assert repeated.founded_within(entity, dt.date(2027, 1, 5)).count() == 1
    assert repeated.founded_within(entity, dt.date(2027, 1, 4)).count() == 2
    assert not CreditProposal.objects.exists()


def test_handing_on_to_a_leader_or_a_division_officer(county: County) -> None:
    complaint = make_complaint(county)
    with pytest.raises(InvalidInput) as error:
        services.hand_on(complaint=complaint, officer=county.leader, actor=county.division_staff)
    assert message(error, "officer") == f"接办人无权办理投诉举报：{county.leader}"
    services.hand_on(
        complaint=complaint, officer=county.division_staff, actor=county.division_staff
    )
    complaint.refresh_from_db()
    assert complaint.handler == county.division_staff and complaint.unit == county.east


def test_a_closed_matter_is_not_handed_on(county: County) -> None:
    complaint = make_complaint(county)
    services.refuse(complaint=complaint, actor=county.east_officer, on=DAY, reason="重复投诉")
    with pytest.raises(Conflict, match="该事项已办结，不能移交"):
        services.hand_on(
            complaint=complaint, officer=county.east_director, actor=county.east_officer
        )


def test_the_actions_offered_are_those_the_services_let_through(county: County) -> None:
    officer, director = county.east_officer, county.east_director
    complaint = make_complaint(county)
    assert checks.actions_for(complaint, officer) == ["hand_on", "accept", "refuse"]
    services.accept(complaint=complaint, actor=officer, on=DAY)
    assert checks.actions_for(complaint, officer) == ["hand_on", "end_mediation"]
    report = make_complaint(county, kind="report")
    assert checks.actions_for(report, officer) == ["hand_on", "decide_filing"]
    assert checks.actions_for(report, director) == ["hand_on", "extend", "decide_filing"]
    filing.decide_filing(
        complaint=report, actor=officer, file=False, on=DAY, founded="unfounded", outcome="查无"
    )
    assert checks.actions_for(report, officer) == ["hand_on", "notify"]
