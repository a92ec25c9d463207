"""What signing sets off: credit feedback for major and critical findings, and the close of an
order by its re-inspection (only when nothing failed)."""

from __future__ import annotations

import datetime as dt

from tests.conftest import County
from tests.inspections.factories import make_checklist, make_inspection
from tests.inspections.followup.test_services import (  # noqa: F401
    calendar_known_ahead,
    east_entity,
    inspected,
    order,
)
from xiaoneng.core import audit
from xiaoneng.inspections.followup.consequences import after_signing
from xiaoneng.inspections.followup.queries import filter_state
from xiaoneng.inspections.models import Finding, Inspection, Rectification
from xiaoneng.registry.models import CreditProposal

D = dt.date


def reinspection(
    county: County, rectification: Rectification, results: tuple[str, ...], **values: object
) -> Inspection:
    task = rectification.reinspection_task
    assert task is not None
    inspection = make_inspection(
        entity=rectification.entity,
        officers=[county.east_officer, county.east_director],
        checklist=make_checklist(items=len(results)),
        results=results,
        visited_on=task.scheduled_on,
        origin=values.pop("origin", Inspection.Origin.REINSPECTION),
        task=task,
        **values,
    )
    after_signing(inspection=inspection, actor=county.east_officer)
    return inspection


# Credit feedback ------------------------------------------------------------------------------


def test_critical_finding_proposes_the_critical_rules_grade(county: County) -> None:
    inspection = inspected(
        county, results=("fail", "fail", "pass"), severities=("major", "critical", "minor")
    )
    proposal = CreditProposal.objects.get()
    assert (proposal.trigger, proposal.current_grade, proposal.proposed_grade) == (
        "finding_critical",
        "B",
        "C",
    )
    assert proposal.status == CreditProposal.Status.PENDING
    assert proposal.source == f"检查记录 #{inspection.pk} 第2项（严重）：检查事项2"
    assert inspection.entity.credit_grade == "B"


def test_major_finding_proposes_basic_trust_for_a_trusted_entity(county: County) -> None:
    entity = east_entity(county, credit_grade="A")
    inspected(county, entity, results=("fail", "pass"), severities=("major", "minor"))
    proposal = CreditProposal.objects.get()
    assert (proposal.trigger, proposal.proposed_grade) == ("finding_major", "B")


def test_major_finding_of_a_b_graded_entity_proposes_nothing(county: County) -> None:
    inspected(county, results=("fail", "pass"), severities=("major", "minor"))
    assert not CreditProposal.objects.exists()


def test_minor_findings_leave_the_credit_grade_alone(county: County) -> None:
    entity = east_entity(county, credit_grade="A")
    inspected(county, entity, results=("fail", "fail"), severities=("minor", "minor"))
    assert not CreditProposal.objects.exists()


def test_signing_consequences_run_twice_change_nothing(county: County) -> None:
    inspection = inspected(county, results=("fail", "pass"), severities=("critical", "minor"))
    after_signing(inspection=inspection, actor=county.east_officer)
    assert Finding.objects.count() == 1
    assert CreditProposal.objects.count() == 1


# Re-inspection ----------------------------------------------------------------------------------


def test_reinspection_without_failures_closes_the_order(county: County) -> None:
    rectification = order(county, working_days=3)
    record = reinspection(county, rectification, ("pass", "pass", "na"))
    rectification.refresh_from_db()
    assert rectification.status == "rectified"
    assert rectification.closed_on == D(2026, 10, 12)
    assert rectification.outcome == f"复查合格（检查记录 #{record.pk}，2026-10-12）"
    assert set(rectification.findings.values_list("status", flat=True)) == {"resolved"}


def test_reinspection_with_failures_leaves_the_order_for_the_director(county: County) -> None:
    rectification = order(county, working_days=3)
    record = reinspection(county, rectification, ("pass", "fail"))
    rectification.refresh_from_db()
    assert rectification.status == "open"
    assert set(rectification.findings.values_list("status", flat=True)) == {"rectifying"}
    reasons = [e.reason for e in audit.history(rectification)]
    assert f"复查发现仍未整改到位（检查记录 #{record.pk}，2026-10-12）" in reasons
    failed = filter_state(Rectification.objects.all(), "failed", D(2026, 10, 12))
    assert list(failed) == [rectification]


def test_only_a_reinspection_closes_an_order(county: County) -> None:
    rectification = order(county, working_days=3)
    reinspection(county, rectification, ("pass",), origin=Inspection.Origin.PATROL)
    rectification.refresh_from_db()
    assert rectification.status == "open"


def test_reinspection_of_a_closed_order_changes_nothing(county: County) -> None:
    rectification = order(county, working_days=3)
    reinspection(county, rectification, ("pass",))
    rectification.refresh_from_db()
    closed = (rectification.closed_on, rectification.outcome)
    after_signing(inspection=Inspection.objects.latest("pk"), actor=county.east_officer)
    rectification.refresh_from_db()
    assert (rectification.status, rectification.closed_on, rectification.outcome) == (
        "rectified",
        *closed,
    )
