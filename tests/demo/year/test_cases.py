"""`xiaoneng demo`: the year's cases, their money, this year's targets, the credit feedback."""

from __future__ import annotations

import itertools
from collections import Counter

import pytest
from django.db.models import Q, Sum

from tests.demo.year.conftest import S, known, today
from xiaoneng.cases.limits import statement_period_end
from xiaoneng.cases.models import Case, Collection, ConfiscatedGoods, Target, TargetMetric
from xiaoneng.cases.targets.services import achieved, elapsed_share
from xiaoneng.cases.transitions import CASE
from xiaoneng.core.calendar import WorkingCalendar
from xiaoneng.inspections.models import ExitCheck, Rectification, SampleFollowUp, UnlicensedOperator
from xiaoneng.org.models import Unit
from xiaoneng.registry.models import ClassificationChange, CreditProposal, CreditRule

pytestmark = [pytest.mark.slow, pytest.mark.django_db, pytest.mark.usefixtures("demo_year")]


def _path(case: Case) -> list[str]:
    """The statuses a case went through, read from its dates."""
    path = [S.LEAD]
    if case.status == S.NOT_FILED:
        return [*path, S.NOT_FILED]
    if case.filed_on:
        path += [S.FILED]
    if case.status == S.WITHDRAWN:
        return [*path, S.INVESTIGATING, S.WITHDRAWN]
    if case.status != S.FILED and case.filed_on:
        path += [S.INVESTIGATING]
    if case.notified_on:
        path += [S.NOTIFIED]
    if case.decided_on:
        path += [S.DECIDED]
    if case.status == S.EXECUTING or (
        case.status == S.CLOSED and case.stage_started_on and _executed(case)
    ):
        path += [S.EXECUTING]
    if case.closed_on:
        path += [S.CLOSED]
    return path


def _executed(case: Case) -> bool:
    """A closed case went through execution when it was paid later than 15 days after the
    decision (or not in full)."""
    last = case.collections.order_by("-collected_on").values_list("collected_on", flat=True).first()
    assert case.decided_on is not None
    return bool(case.shortfall_reason) or (last is not None and (last - case.decided_on).days > 15)


def test_case_dates_follow_the_state_machine_and_its_time_limits() -> None:
    calendar = WorkingCalendar.load()
    cases = list(Case.objects.all())
    assert 6 <= len(cases) <= 60
    for case in cases:
        path = _path(case)
        assert path[-1] == case.status, (case.number, path)
        for a, b in itertools.pairwise(path):
            assert b in CASE[a], (case.number, a, b)
        days = [case.received_on, case.filed_on, case.notified_on, case.decided_on, case.closed_on]
        reached = [d for d in days if d is not None]
        assert reached == sorted(reached), case.number
        assert case.stage_started_on >= reached[-1]
        if case.filed_on and known(calendar, case.received_on, case.filed_on):
            assert case.filed_on <= calendar.add_working_days(case.received_on, 15)
        if case.decided_on:
            assert case.filed_on and case.notified_on
            if known(calendar, case.notified_on, case.decided_on):
                assert case.decided_on > statement_period_end(case.notified_on, calendar)
            limit = 120 if case.decision_extended else 90
            assert (case.decided_on - case.filed_on).days <= limit
            assert case.decision_number
        else:
            assert case.fine_decided == 0 and case.confiscation_decided == 0
    kinds = Counter(c.kind for c in cases)
    assert len(kinds) >= 4


def test_cases_come_from_the_follow_up_they_escalate() -> None:
    for order in Rectification.objects.filter(status=Rectification.Status.ESCALATED):
        assert Case.objects.filter(rectification=order).count() == 1
    for check in ExitCheck.objects.filter(status=ExitCheck.Status.ESCALATED):
        assert Case.objects.filter(exit_check=check).count() == 1
    for operator in UnlicensedOperator.objects.filter(status=UnlicensedOperator.Status.ESCALATED):
        assert Case.objects.filter(unlicensed_operator=operator, kind="unlicensed").count() == 1
    for follow_up in SampleFollowUp.objects.filter(status=SampleFollowUp.Status.ESCALATED):
        assert Case.objects.filter(sample_id=follow_up.sample_id).count() == 1
    for case in Case.objects.filter(rectification__isnull=False).select_related("rectification"):
        assert case.received_on >= case.rectification.issued_on  # type: ignore[union-attr]
    for case in Case.objects.filter(inspection__isnull=False).select_related("inspection"):
        assert case.inspection.items_failed > 0  # type: ignore[union-attr]
        assert case.entity_id == case.inspection.entity_id  # type: ignore[union-attr]
        assert case.received_on >= case.inspection.visited_on  # type: ignore[union-attr]


def test_collections_never_exceed_what_was_decided() -> None:
    cases = Case.objects.annotate(
        fines=Sum("collections__amount", filter=Q(collections__kind="fine")),
        gains=Sum("collections__amount", filter=Q(collections__kind="confiscation")),
    )
    collected = 0
    for case in cases:
        assert (case.fines or 0) <= case.fine_decided
        assert (case.gains or 0) <= case.confiscation_decided
        collected += (case.fines or 0) + (case.gains or 0)
        if case.status == S.CLOSED and case.fine_decided + case.confiscation_decided > 0:
            owed = case.fine_decided + case.confiscation_decided
            assert (case.fines or 0) + (case.gains or 0) == owed or case.shortfall_reason
    assert collected > 0
    for row in Collection.objects.select_related("case"):
        assert row.case.decided_on and row.collected_on >= row.case.decided_on
        assert row.unit_id == row.case.unit_id and row.amount > 0
    for goods in ConfiscatedGoods.objects.select_related("case"):
        assert goods.case.decided_on is not None and goods.quantity > 0


def test_targets_exist_for_the_bureau_and_every_station_and_stand_near_the_calendar() -> None:
    year = today().year
    elapsed = float(elapsed_share(year, today())) / 100
    units = Unit.objects.filter(kind__in=(Unit.Kind.BUREAU, Unit.Kind.STATION))
    assert units.count() == 7
    for unit in units:
        targets = {t.metric: t.value for t in Target.objects.filter(unit=unit, year=year)}
        assert {TargetMetric.CASES, TargetMetric.FINES_COLLECTED, TargetMetric.INSPECTIONS} <= set(
            targets
        )
        assert all(value > 0 for value in targets.values())
    # The bureau's figures are large enough for the rate to show (a station's few cases are
    # rounded to whole cases): set at 0.75–1.45 times the year's pace.
    bureau = units.get(kind=Unit.Kind.BUREAU)
    figures = achieved(bureau, year)
    for target in Target.objects.filter(unit=bureau, year=year):
        if figures[target.metric] >= 10 and elapsed >= 0.08:
            rate = float(figures[target.metric] / target.value)
            assert elapsed / 1.45 - 0.08 <= rate <= elapsed / 0.75 + 0.08, (target.metric, rate)


def test_credit_proposals_follow_the_rule_table() -> None:
    rules = {r.trigger: r for r in CreditRule.objects.all()}
    proposals = CreditProposal.objects.all()
    assert proposals.count() > 5
    for proposal in proposals:
        rule = rules[proposal.trigger]
        assert proposal.proposed_grade == rule.grade
        assert "ABCD".index(proposal.proposed_grade) > "ABCD".index(proposal.current_grade)
        expected = (
            {CreditProposal.Status.APPLIED}
            if rule.automatic
            else {
                CreditProposal.Status.PENDING,
                CreditProposal.Status.CONFIRMED,
                CreditProposal.Status.REJECTED,
            }
        )
        assert proposal.status in expected
        if proposal.status == CreditProposal.Status.APPLIED:
            assert ClassificationChange.objects.filter(
                entity=proposal.entity,
                new_value=proposal.proposed_grade,
                changed_at=proposal.proposed_at,
            ).exists()
        if proposal.status in (CreditProposal.Status.CONFIRMED, CreditProposal.Status.REJECTED):
            assert proposal.decided_by_id and proposal.decided_at > proposal.proposed_at  # type: ignore[operator]
    statuses = Counter(proposals.values_list("status", flat=True))
    assert statuses[CreditProposal.Status.CONFIRMED] > statuses[CreditProposal.Status.REJECTED]
