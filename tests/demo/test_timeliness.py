"""The demo county's 电子监察 (篇9) is consistent in time and with the register: service cases,
complaints and reports, their clocks and warnings, the callbacks and the accountability actions.

One small county for the module: the demo command runs every timeliness builder itself
(``xiaoneng.demo.timeliness``), scaled to the county; at 2,000 entities that is 150 service
cases, about 50 complaints and 15 reports, so the checks are ranges and existence, not the
full county's counts.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F, Q
from django.test import override_settings
from django.utils import timezone

from xiaoneng.demo.reset import reset
from xiaoneng.org import access
from xiaoneng.org.models import Officer, Role, Unit
from xiaoneng.registry.models import CreditProposal
from xiaoneng.timeliness.accountability.models import AccountabilityAction, ActionKind
from xiaoneng.timeliness.accountability.services import flag_concerns
from xiaoneng.timeliness.callbacks import figures
from xiaoneng.timeliness.callbacks.models import (
    Callback,
    CallbackProblem,
    CallbackRound,
    CallbackRule,
)
from xiaoneng.timeliness.callbacks.rounds import verify_round
from xiaoneng.timeliness.clocks.models import (
    ClearReason,
    Clock,
    Escalation,
    Level,
    SubjectType,
    Warning,
)
from xiaoneng.timeliness.clocks.warnings import recompute
from xiaoneng.timeliness.complaints.models import Complaint
from xiaoneng.timeliness.complaints.repeated import REPEAT_THRESHOLD, founded_within
from xiaoneng.timeliness.permits.models import OneTimeNotice, ServiceCase, ServiceStage

ENTITIES = 2000
SEED = 3
# build_timeliness scales the full county's figures by ENTITIES / 20,000.
SERVICE_CASES = 150
COMPLAINTS = 50
REPORTS = 15
ACTIONS = 13  # demo/timeliness/accountability.py: at most one per source

S = ServiceCase.Status
C = Complaint.Status
OPEN = (C.RECEIVED, C.MEDIATING, C.VERIFYING)


@pytest.fixture(scope="module")
def demo_county(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """One small county for the module, its photos in a temporary MEDIA_ROOT."""
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=hashers, MEDIA_ROOT=str(media)),
    ):
        call_command("demo", entities=ENTITIES, seed=SEED, stdout=io.StringIO())
        yield
        with transaction.atomic():
            reset()


pytestmark = [pytest.mark.slow, pytest.mark.django_db, pytest.mark.usefixtures("demo_county")]


# Service cases (permits) ----------------------------------------------------------------------


def test_the_year_has_its_service_cases_in_every_state() -> None:
    cases = ServiceCase.objects.all()
    assert SERVICE_CASES * 0.9 <= cases.count() <= SERVICE_CASES
    assert cases.filter(status=S.COMPLETED).count() > cases.count() * 0.7
    assert cases.filter(status__in=(S.ACCEPTED, S.REVIEWING, S.APPROVING)).exists()
    assert cases.filter(status=S.REJECTED).exists()
    assert OneTimeNotice.objects.filter(breach=False).count() > SERVICE_CASES * 0.05
    assert OneTimeNotice.objects.filter(breach=True).exists()


def test_service_cases_nothing_before_registration_or_after_today_and_stages_in_order() -> None:
    today = timezone.localdate()
    for field in ("received_on", "accepted_on", "completed_on"):
        assert not ServiceCase.objects.filter(**{f"{field}__gt": today}).exists(), field
    assert not ServiceCase.objects.filter(accepted_on__lt=F("received_on")).exists()
    assert not ServiceCase.objects.filter(completed_on__lt=F("accepted_on")).exists()
    assert not ServiceCase.objects.filter(
        entity__isnull=False, received_on__lt=F("entity__registered_on")
    ).exists()
    assert not ServiceStage.objects.filter(done_on__lt=F("case__received_on")).exists()
    assert not ServiceStage.objects.filter(done_on__gt=today).exists()


def test_officers_belong_to_the_cases_station_and_reviewers_do_not_approve() -> None:
    assert not ServiceCase.objects.exclude(first_officer__unit=F("unit")).exists()
    assert not ServiceStage.objects.exclude(officer__unit=F("case__unit")).exists()
    split = ServiceCase.objects.filter(item__single_review=False, status=S.COMPLETED)
    for case in split[:50]:
        reviewer = case.stages.get(stage=S.REVIEWING).officer_id
        assert case.stages.get(stage=S.APPROVING).officer_id != reviewer


def test_each_accepted_case_has_its_clock_stopped_when_done() -> None:
    accepted = ServiceCase.objects.filter(accepted_on__isnull=False)
    clocks = Clock.objects.filter(subject_type=SubjectType.SERVICE_CASE)
    assert clocks.count() == accepted.count()
    done = set(accepted.filter(status__in=(S.COMPLETED, S.WITHDRAWN)).values_list("pk", flat=True))
    stopped = set(clocks.filter(stopped_on__isnull=False).values_list("subject_id", flat=True))
    assert done == stopped
    assert not clocks.filter(started_on__gt=F("due_on")).exists()
    per_case = ServiceCase.objects.annotate(n=Count("notices")).filter(n__gt=1)
    assert not per_case.filter(~Q(notices__breach=True)).exists()


# Complaints and reports -----------------------------------------------------------------------


def test_the_year_has_its_complaints_and_reports() -> None:
    complaints = Complaint.objects.filter(kind=Complaint.Kind.COMPLAINT)
    reports = Complaint.objects.filter(kind=Complaint.Kind.REPORT)
    assert COMPLAINTS * 0.8 <= complaints.count() <= COMPLAINTS * 1.3
    assert REPORTS * 0.7 <= reports.count() <= REPORTS * 1.8
    assert complaints.filter(channel="platform").count() > complaints.count() / 3
    assert complaints.filter(status=C.AGREED).exists()
    assert complaints.filter(status=C.CLOSED).exists()
    # Few reports at this size: some decided, not necessarily one filed as a case.
    assert reports.filter(status__in=(C.FILED, C.NOT_FILED, C.CLOSED)).exists()
    assert Complaint.objects.filter(status__in=OPEN).exists()


def test_complaints_nothing_before_registration_or_after_today() -> None:
    today = timezone.localdate()
    assert not Complaint.objects.filter(received_on__lt=F("entity__registered_on")).exists()
    for field in ("received_on", "accepted_on", "ended_on", "notified_on"):
        assert not Complaint.objects.filter(**{f"{field}__gt": today}).exists(), field
    assert not Complaint.objects.filter(accepted_on__lt=F("received_on")).exists()
    assert not Complaint.objects.filter(ended_on__lt=F("received_on")).exists()
    assert not Complaint.objects.filter(ended_on__lt=F("accepted_on")).exists()
    assert not Complaint.objects.filter(notified_on__lt=F("ended_on")).exists()


def test_complaint_officers_and_cases_belong_to_the_unit() -> None:
    assert not Complaint.objects.exclude(handler__unit=F("unit")).exists()
    assert (
        not Complaint.objects.filter(entity__isnull=False).exclude(unit=F("entity__unit")).exists()
    )
    filed = Complaint.objects.filter(case__isnull=False)  # possibly none at this size
    assert not filed.exclude(case__received_on=F("received_on")).exists()
    assert not filed.exclude(case__filed_on=F("ended_on")).exists()


def test_every_open_matter_has_a_running_clock_and_some_were_late() -> None:
    pending = Complaint.objects.filter(status__in=OPEN)
    running = Clock.objects.filter(subject_type=SubjectType.COMPLAINT, stopped_on__isnull=True)
    assert set(pending.values_list("pk", flat=True)) <= set(
        running.values_list("subject_id", flat=True)
    )
    # Too few open matters at this size for one to be late now: some were warned in the year.
    complaint_clocks = Clock.objects.filter(subject_type=SubjectType.COMPLAINT)
    assert Warning.objects.filter(clock__in=complaint_clocks).exists()


def test_repeated_complaints_propose_a_lower_grade() -> None:
    proposals = CreditProposal.objects.filter(trigger="repeated_complaints")
    assert proposals.exists()
    for proposal in proposals.select_related("entity"):
        assert proposal.proposed_grade > proposal.current_grade  # C is lower than A or B
        day = timezone.localdate(proposal.proposed_at)
        assert founded_within(proposal.entity, day).count() >= REPEAT_THRESHOLD


# Clocks and warnings --------------------------------------------------------------------------


def test_the_year_has_warnings_of_each_kind() -> None:
    warnings = Warning.objects.all()
    assert warnings.filter(level=Level.YELLOW).exists()
    assert warnings.filter(level=Level.RED).exists()
    assert warnings.filter(clear_reason=ClearReason.STOPPED).exists()
    reds = warnings.filter(level=Level.RED)
    assert reds.filter(handled_at__isnull=False, escalation=Escalation.OFFICER).exists()


def test_warnings_are_in_time_order_and_never_after_now() -> None:
    now = timezone.now()
    for w in Warning.objects.select_related("clock", "handled_by"):
        clock = w.clock
        assert clock.started_on < w.raised_on <= timezone.localdate()
        assert w.raised_at <= now
        if clock.stopped_on:
            assert w.raised_on <= clock.stopped_on
        for later in (w.escalated_at, w.handled_at, w.cleared_at):
            if later is not None:
                assert w.raised_at <= later <= now
        if w.handled_at and w.escalated_at:
            assert w.escalated_at <= w.handled_at
        if w.handled_by and w.escalation == Escalation.DIRECTOR:
            assert w.handled_by.unit_id == w.unit_id
            assert w.handled_by.has_role(Role.STATION_DIRECTOR)
        if w.level == Level.YELLOW and w.clear_reason == ClearReason.RAISED:
            assert Warning.objects.filter(clock=clock, level=Level.RED).exists()


def test_a_second_recompute_changes_nothing() -> None:
    summary = recompute()
    assert (summary.yellow, summary.red, summary.cleared) == (0, 0, 0)


# Callbacks ------------------------------------------------------------------------------------


def test_a_year_of_callbacks_by_phone_and_on_site() -> None:
    today = timezone.localdate()
    assert CallbackRule.objects.count() == 4 * Unit.objects.filter(kind="station").count()
    t = figures.tally(Callback.objects.all(), today.replace(year=today.year - 1), today)
    assert t.made > 100
    assert 0.6 < t.phone / t.made < 0.8
    assert t.satisfaction is not None and 98 <= t.satisfaction < 100
    assert Callback.objects.filter(status=Callback.Status.PENDING).exists()  # last month's


def test_every_round_verifies_against_its_seed() -> None:
    rounds = list(CallbackRound.objects.exclude(population=0).order_by("?")[:20])
    assert rounds and all(verify_round(r) for r in rounds)


def test_callbacks_nothing_before_completion_or_the_draw_or_after_today() -> None:
    today = timezone.localdate()
    assert not Callback.objects.filter(called_on__gt=today).exists()
    assert not Callback.objects.filter(
        service_case__isnull=False, called_on__lt=F("service_case__completed_on")
    ).exists()
    assert not Callback.objects.filter(
        complaint__isnull=False, called_on__lt=F("complaint__notified_on")
    ).exists()
    assert not Callback.objects.filter(
        case__isnull=False, called_on__lt=F("case__closed_on")
    ).exists()
    for callback in Callback.objects.exclude(called_on=None).select_related("round")[:500]:
        assert callback.called_on >= timezone.localtime(callback.round.drawn_at).date()
    assert not Callback.objects.filter(caller=F("officer")).exists()
    # 篇9: the supervision staff call (RUN_CALLBACKS), never a grid officer
    callers = Officer.objects.filter(pk__in=Callback.objects.values("caller"))
    assert callers.exists() and all(access.can(o, access.RUN_CALLBACKS) for o in callers)


def test_problems_rectified_fed_back_one_overdue() -> None:
    today = timezone.localdate()
    problems = CallbackProblem.objects.all()
    assert problems.count() >= 4
    assert not Callback.objects.filter(overall="unsatisfied", problems__isnull=True).exists()
    assert problems.filter(status="fed_back").exists()
    assert problems.filter(status="open", deadline__lt=today).count() >= 1
    assert not problems.filter(rectified_on__lt=F("callback__called_on")).exists()
    assert not problems.filter(fed_back_on__lt=F("rectified_on")).exists()
    assert not problems.filter(deadline__lt=F("callback__called_on")).exists()


# Accountability -------------------------------------------------------------------------------


def actions() -> list[AccountabilityAction]:
    return list(
        AccountabilityAction.objects.select_related(
            "officer", "warning", "callback", "callback_problem", "trace_flag__inspection"
        )
    )


def test_about_a_dozen_actions_mostly_light() -> None:
    found = actions()
    assert 1 <= len(found) <= ACTIONS  # a small county has few sources, one action each
    light = [a for a in found if a.kind in (ActionKind.ADMONITION, ActionKind.CRITICISM)]
    assert len(light) >= len(found) / 2
    deductions = sorted(a.deduction for a in found if a.deduction)
    assert len(deductions) == min(2, len(found))
    assert set(deductions) <= {Decimal("200.00"), Decimal("500.00"), Decimal("300.00")}


def test_each_action_follows_its_source_and_concerns_its_officer() -> None:
    today = timezone.localdate()
    for action in actions():
        assert action.unit_id == action.officer.unit_id
        assert action.decided_on <= today
        if action.warning:
            assert action.warning.officer_id == action.officer_id
            assert action.warning.level == "red" and action.warning.escalation >= 1
            assert action.decided_on >= action.warning.raised_on
        elif action.callback:
            assert action.callback.officer_id == action.officer_id
            assert action.callback.overall == "unsatisfied"
            assert action.decided_on >= action.callback.called_on
        else:
            flag = action.trace_flag
            assert flag is not None and flag.status == "confirmed"
            assert flag_concerns(flag, action.officer)
            assert action.decided_on >= timezone.localdate(flag.raised_at)
