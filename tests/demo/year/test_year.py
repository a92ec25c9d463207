"""`xiaoneng demo`: the year as a whole — every part reported, nothing in the future, rebuilt."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from tests.demo.year.conftest import build, counts, today
from xiaoneng.cases.models import Case, Collection
from xiaoneng.core.models import AuditEvent
from xiaoneng.demo.reset import reset
from xiaoneng.inspections.models import (
    Checklist,
    ExitCheck,
    Finding,
    Inspection,
    Rectification,
    Sample,
    SampleFollowUp,
    TraceFlag,
    UnlicensedOperator,
)
from xiaoneng.oversight.reviews.models import DirectorReview, ReviewRound
from xiaoneng.oversight.supervision.models import SupervisionItem
from xiaoneng.planning.patrol.models import Task
from xiaoneng.registry.models import ClassificationChange, CreditProposal, CreditRule

pytestmark = [pytest.mark.slow, pytest.mark.django_db, pytest.mark.usefixtures("demo_year")]


def test_the_demo_reports_each_part(demo_year: str) -> None:
    for part in ("检查记录 inspections", "三级监管 oversight", "监督抽查", "案件 cases"):
        assert part in demo_year


def test_no_date_lies_in_the_future() -> None:
    day, now = today(), timezone.now()
    checks = [
        (Inspection, ("visited_on",), ("started_at", "finished_at", "signed_at", "checkin_at")),
        (Finding, ("found_on",), ()),
        (Rectification, ("issued_on", "warned_on", "closed_on"), ()),
        (ExitCheck, ("found_on", "closed_on"), ()),
        (UnlicensedOperator, ("found_on", "closed_on"), ()),
        (TraceFlag, (), ("raised_at", "resolved_at")),
        (ReviewRound, (), ("drawn_at",)),
        (DirectorReview, (), ("reviewed_at",)),
        (SupervisionItem, ("issued_on", "closed_on"), ("responded_at",)),
        (Sample, ("sampled_on", "reported_on"), ()),
        (SampleFollowUp, ("ordered_on", "reinspected_on", "closed_on"), ()),
        (
            Case,
            (
                "received_on",
                "filed_on",
                "notified_on",
                "decided_on",
                "closed_on",
                "stage_started_on",
            ),
            (),
        ),
        (Collection, ("collected_on",), ()),
        (CreditProposal, (), ("proposed_at", "decided_at")),
        (ClassificationChange, (), ("changed_at",)),
        (AuditEvent, (), ("at",)),
        (Task, ("done_on",), ()),
    ]
    for model, day_fields, moment_fields in checks:
        for name in day_fields:
            assert not model.objects.filter(**{f"{name}__gt": day}).exists(), (model, name)
        for name in moment_fields:
            assert not model.objects.filter(**{f"{name}__gt": now}).exists(), (model, name)


def test_reset_empties_and_the_same_seed_builds_the_same_year(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = str(tmp_path)
    before = counts()
    assert all(before.values()), before
    with transaction.atomic():
        reset()
    assert not any(counts().values())
    assert Checklist.objects.exists() and CreditRule.objects.exists()
    build()
    assert counts() == before
    assert Decimal(Collection.objects.aggregate(total=Sum("amount"))["total"]) > 0
