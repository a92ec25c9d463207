"""Rectification orders: the deadline in working days, the number, the re-inspection task (六定),
and every refusal writing nothing. Helpers here are shared by the other follow-up tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pytest

from tests.conftest import County
from tests.inspections.factories import make_checklist, make_inspection
from tests.planning.patrol.test_schedule import calendar_known_ahead, east_entity  # noqa: F401
from xiaoneng.core.errors import Conflict, InvalidInput, NotPermitted
from xiaoneng.inspections.followup.consequences import after_signing
from xiaoneng.inspections.followup.services import issue_rectification, record_rectified
from xiaoneng.inspections.models import Finding, Inspection, Rectification
from xiaoneng.planning.patrol.models import Plan, Task
from xiaoneng.registry.models import Entity

D = dt.date
VISITED = D(2026, 9, 28)
ISSUED = D(2026, 9, 30)  # the Wednesday before 国庆 (2026: Oct 1–7 off, Oct 10 a working Saturday)


def inspected(
    county: County,
    entity: Entity | None = None,
    *,
    results: Sequence[str] = ("fail", "fail", "pass"),
    severities: Sequence[str] = ("minor", "minor", "minor"),
    visited_on: D = VISITED,
    **values: Any,
) -> Inspection:
    """A signed inspection of an east entity by two east officers, its consequences drawn."""
    entity = entity or east_entity(county)
    checklist = make_checklist(items=len(results), severities=severities)
    inspection = make_inspection(
        entity=entity,
        officers=[county.east_officer, county.east_director],
        checklist=checklist,
        results=results,
        visited_on=visited_on,
        **values,
    )
    after_signing(inspection=inspection, actor=county.east_officer)
    return inspection


def order(
    county: County,
    inspection: Inspection | None = None,
    *,
    actor: Any = None,
    working_days: Any = 10,
    deadline: D | None = None,
    today: D = ISSUED,
) -> Rectification:
    """An order for every open finding of ``inspection`` (a new one when not given)."""
    inspection = inspection or inspected(county)
    return issue_rectification(
        inspection=inspection,
        findings=list(inspection.findings.filter(status=Finding.Status.OPEN)),
        actor=actor or county.east_officer,
        requirements="立即清理过期食品，完善进货查验记录",
        working_days=working_days,
        deadline=deadline,
        today=today,
    )


def nothing_written(inspection: Inspection) -> None:
    assert not Rectification.objects.exists()
    assert not Task.objects.exists() and not Plan.objects.exists()
    assert set(inspection.findings.values_list("status", flat=True)) == {"open"}


# The deadline ---------------------------------------------------------------------------------


def test_working_days_skip_national_day(county: County) -> None:
    one = order(county, working_days=1)
    assert (one.issued_on, one.deadline, one.working_days) == (ISSUED, D(2026, 10, 8), 1)
    three = order(county, working_days="3")
    # Oct 8 (Thu), Oct 9 (Fri), Oct 10 (the working Saturday).
    assert three.deadline == D(2026, 10, 10) and three.working_days == 3


def test_deadline_date_is_counted_in_working_days(county: County) -> None:
    rectification = order(county, working_days=None, deadline=D(2026, 10, 9))
    assert (rectification.deadline, rectification.working_days) == (D(2026, 10, 9), 2)


@pytest.mark.parametrize(
    ("working_days", "deadline", "message"),
    [
        (0, None, "working_days: 整改期限应为 1 至 60 个工作日：0"),
        (61, None, "working_days: 整改期限应为 1 至 60 个工作日：61"),
        ("十", None, "working_days: 整改期限应为 1 至 60 个工作日：十"),
        (None, D(2026, 9, 29), "deadline: 整改期限应晚于今天：2026-09-29"),
        (None, ISSUED, "deadline: 整改期限应晚于今天：2026-09-30"),
        (5, D(2026, 10, 20), "working_days: 整改期限请填写工作日数或截止日期，二者只填一项"),
        (None, None, "working_days: 请填写整改期限：工作日数或截止日期（二选一）"),
        (
            None,
            D(2026, 12, 31),
            "deadline: 整改期限应为 1 至 60 个工作日：2026-12-31 为 62 个工作日",
        ),
    ],
)
def test_bad_term_is_refused_and_nothing_written(
    county: County, working_days: Any, deadline: D | None, message: str
) -> None:
    inspection = inspected(county)
    with pytest.raises(InvalidInput) as refused:
        order(county, inspection, working_days=working_days, deadline=deadline)
    assert refused.value.message == message
    nothing_written(inspection)


# Issuing --------------------------------------------------------------------------------------


def test_numbers_run_in_sequence_within_the_year(county: County) -> None:
    first, second = order(county), order(county)
    assert first.number == "伊市监责改〔2026〕0001号"
    assert second.number == "伊市监责改〔2026〕0002号"


def test_number_prefix_comes_from_the_setting(county: County, settings: Any) -> None:
    settings.DOCUMENT_NUMBER_PREFIX = "示市监"
    assert order(county).number == "示市监责改〔2026〕0001号"


def test_findings_are_under_rectification(county: County) -> None:
    inspection = inspected(county)
    rectification = order(county, inspection)
    findings = list(inspection.findings.all())
    assert len(findings) == 2
    assert {(f.status, f.rectification_id) for f in findings} == {("rectifying", rectification.pk)}
    assert (rectification.entity_id, rectification.unit_id) == (
        inspection.entity_id,
        county.east.pk,
    )
    assert rectification.issued_by == county.east_officer


def test_reinspection_task_is_planned_with_the_six_fixes(county: County) -> None:
    rectification = order(county, working_days=3)
    task = rectification.reinspection_task
    assert task is not None
    # The first working day after the deadline (Sat Oct 10): Monday Oct 12.
    assert (task.scheduled_on, task.due_on, task.period) == (
        D(2026, 10, 12),
        D(2026, 10, 12),
        "2026-10",
    )
    assert task.status == Task.Status.PLANNED
    assert (task.plan.kind, task.plan.unit, task.plan.period) == (
        "reinspection",
        county.east,
        "2026-10",
    )
    assert task.plan.title == "城东所 2026-10 整改复查计划"
    assert (task.entity_id, task.unit, task.grid) == (
        rectification.entity_id,
        county.east,
        county.east_grid,
    )
    assert task.officer == county.east_officer
    assert task.post == "城东所责任区干部（G-E 网格）"
    assert task.description == "整改复查：伊市监责改〔2026〕0001号"
    assert task.standard == "对照责令整改要求逐项复查（期限 2026-10-10）：检查事项1、检查事项2"
    assert task.responsibility == f"{county.east_officer}对复查结论负责，城东所所长督促"


def test_order_issued_by_the_division_is_reinspected_by_the_grid_officer(
    county: County,
) -> None:
    rectification = order(county, actor=county.division_staff)
    assert rectification.issued_by == county.division_staff
    assert rectification.reinspection_task.officer == county.east_officer


def test_second_order_on_one_entity_in_a_month_gets_a_second_plan(county: County) -> None:
    entity = east_entity(county)
    first = order(county, inspected(county, entity))
    second = order(county, inspected(county, entity))
    plans = [first.reinspection_task.plan, second.reinspection_task.plan]
    assert plans[0] != plans[1]
    assert plans[1].title == "城东所 2026-10 整改复查计划（2）"
    third = order(county, inspected(county))
    assert third.reinspection_task.plan == plans[0]


def test_finding_under_rectification_is_not_ordered_again(county: County) -> None:
    inspection = inspected(county)
    order(county, inspection)
    with pytest.raises(InvalidInput) as refused:
        issue_rectification(
            inspection=inspection,
            findings=list(inspection.findings.order_by("item__position")),
            actor=county.east_officer,
            requirements="再次整改",
            working_days=5,
            today=ISSUED,
        )
    assert refused.value.message == "findings: 检查发现“检查事项1”已处理（整改中）"
    assert Rectification.objects.count() == 1


def test_finding_of_another_inspection_is_refused(county: County) -> None:
    inspection, other = inspected(county), inspected(county)
    with pytest.raises(InvalidInput) as refused:
        issue_rectification(
            inspection=inspection,
            findings=list(other.findings.order_by("pk")),
            actor=county.east_officer,
            requirements="整改",
            working_days=5,
            today=ISSUED,
        )
    first = other.findings.order_by("pk").first()
    assert refused.value.message == f"findings: 检查发现 #{first.pk} 不属于该检查记录"
    nothing_written(inspection)


def test_no_findings_and_no_requirements_are_both_named(county: County) -> None:
    inspection = inspected(county)
    with pytest.raises(InvalidInput) as refused:
        issue_rectification(
            inspection=inspection,
            findings=[],
            actor=county.east_officer,
            requirements="  ",
            working_days=5,
            today=ISSUED,
        )
    assert [(e.field, e.message) for e in refused.value.errors] == [
        ("findings", "请选择至少一项检查发现"),
        ("requirements", "请填写整改要求"),
    ]
    nothing_written(inspection)


def test_draft_inspection_cannot_be_ordered(county: County) -> None:
    draft = make_inspection(
        entity=east_entity(county), officers=[county.east_officer], signed=False
    )
    with pytest.raises(Conflict, match="检查记录尚未签名，不能下达责令整改"):
        issue_rectification(
            inspection=draft,
            findings=[],
            actor=county.east_officer,
            requirements="整改",
            working_days=5,
            today=ISSUED,
        )


@pytest.mark.parametrize("who", ["west_officer", "leader"])
def test_another_station_or_a_leader_may_not_order(county: County, who: str) -> None:
    inspection = inspected(county)
    with pytest.raises(NotPermitted):
        order(county, inspection, actor=getattr(county, who))
    nothing_written(inspection)


# Closing by hand --------------------------------------------------------------------------------


def test_recording_rectified_closes_the_order_and_cancels_the_reinspection(
    county: County,
) -> None:
    rectification = order(county)
    record_rectified(
        rectification=rectification,
        actor=county.east_director,
        outcome="已提交整改报告及照片，核实整改到位",
        today=D(2026, 10, 9),
    )
    rectification.refresh_from_db()
    assert (rectification.status, rectification.closed_on) == ("rectified", D(2026, 10, 9))
    assert set(rectification.findings.values_list("status", flat=True)) == {"resolved"}
    task = Task.objects.get(pk=rectification.reinspection_task_id)
    assert task.status == Task.Status.CANCELLED
    assert task.note == "已确认整改（已提交整改报告及照片，核实整改到位），无需复查"


def test_recording_rectified_needs_an_outcome_and_an_open_order(county: County) -> None:
    rectification = order(county)
    with pytest.raises(InvalidInput, match="outcome: 请填写整改结果"):
        record_rectified(rectification=rectification, actor=county.east_officer, outcome=" ")
    rectification.refresh_from_db()
    assert rectification.status == "open"
    record_rectified(rectification=rectification, actor=county.east_officer, outcome="已整改")
    with pytest.raises(Conflict, match="责令整改状态为“已整改”，不能改为“已整改”"):
        record_rectified(rectification=rectification, actor=county.east_officer, outcome="再次")


def test_another_station_may_not_record_rectified(county: County) -> None:
    rectification = order(county)
    with pytest.raises(NotPermitted):
        record_rectified(rectification=rectification, actor=county.west_officer, outcome="已整改")
    rectification.refresh_from_db()
    assert rectification.status == "open"


def test_an_order_from_a_tasks_record_counts_as_a_notice_of_that_visit(county: County) -> None:
    from xiaoneng.core.states import unlocked

    entity = east_entity(county)
    plan = Plan.objects.create(
        kind=Plan.Kind.CAMPAIGN, period="2026-09", unit=county.east, title="食品专项", capacity=6
    )
    task = Task(
        plan=plan,
        entity=entity,
        unit=county.east,
        period="2026-09",
        officer=county.east_officer,
        description="食品检查",
        standard="按检查清单",
        responsibility="网格责任人",
        done_on=VISITED,
    )
    with unlocked(task):
        task.status = Task.Status.DONE
    task.save()
    inspection = inspected(county, entity, task=task)
    order(county, inspection)
    task.refresh_from_db()
    assert (task.notices_issued, task.violation_found) == (1, True)
