"""`xiaoneng demo`: the year's inspection records, their findings, orders and spot checks."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management.base import CommandError
from django.db.models import Count, F
from django.utils import timezone

from tests.demo.year.conftest import known, today
from xiaoneng.core.calendar import WorkingCalendar
from xiaoneng.demo.days import window_of
from xiaoneng.demo.inspections.checklists import Checklists
from xiaoneng.inspections.models import (
    Attachment,
    Checklist,
    ChecklistItem,
    Finding,
    Inspection,
    ItemResult,
    Rectification,
    Sample,
    SampleFollowUp,
    SamplingPlan,
    Severity,
)
from xiaoneng.planning.patrol.models import Plan, Task

pytestmark = [pytest.mark.slow, pytest.mark.django_db, pytest.mark.usefixtures("demo_year")]


def test_every_done_task_of_the_year_has_its_one_signed_record() -> None:
    done = Task.objects.filter(
        status=Task.Status.DONE, done_on__gte=window_of(today()), done_on__lt=today()
    )
    assert done.count() > 500
    records = Inspection.objects.filter(task__isnull=False)
    per_task = Counter(records.values_list("task_id", flat=True))
    assert set(per_task) == set(done.values_list("id", flat=True))
    assert set(per_task.values()) == {1}
    mismatched = records.exclude(visited_on=F("task__done_on")).exclude(
        lead_officer_id=F("task__done_by_id")
    )
    assert not mismatched.exists()
    assert not records.exclude(status=Inspection.Status.SIGNED).exists()
    origins = Counter(Inspection.objects.values_list("origin", flat=True))
    for origin in ("patrol", "campaign", "draw", "complaint", "ad_hoc", "reinspection"):
        assert origins[origin] > 0, origin


def test_records_are_plausible_visits() -> None:
    records = Inspection.objects.all()
    total = records.count()
    failed = records.filter(items_failed__gt=0).count()
    # Most failed visits found a serious problem (see the test below), so at least 8 %.
    assert 0.08 <= failed / total <= 0.16
    uniform = records.filter(uniform=True).count()
    assert 0.1 <= uniform / total <= 0.5
    for record in records.order_by("?")[:200]:
        local = timezone.localtime(record.started_at)
        assert local.date() == record.visited_on
        assert 10 <= local.hour < 21
        assert record.started_at < record.finished_at <= record.signed_at  # type: ignore[operator]
        team = record.team.count()
        assert team == 2 if record.enforcement else team in (1, 2)
        if record.kind == "onsite":
            assert record.checkin_longitude is not None
        else:
            assert record.checkin_longitude is None and not record.attachments.exists()
    enforcement = records.filter(enforcement=True).annotate(n=Count("team"))
    assert not enforcement.filter(n__lt=2).exists()


def test_serious_findings_are_a_realistic_share_of_the_signed_records() -> None:
    signed = Inspection.objects.filter(status=Inspection.Status.SIGNED, amends__isnull=True)
    serious = signed.filter(findings__severity=Severity.CRITICAL).distinct().count()
    assert 0.08 <= serious / signed.count() <= 0.15


def test_prone_entities_fail_more_often_and_more_seriously() -> None:
    """Class Ⅰ entities fail more often than class Ⅲ, and more seriously; an entity found
    failing fails again more often at its later visits (re-inspections aside: they follow a
    failure by definition)."""
    serious = set(
        Finding.objects.filter(severity=Severity.CRITICAL).values_list("inspection_id", flat=True)
    )
    visits = (
        Inspection.objects.filter(status=Inspection.Status.SIGNED, amends__isnull=True)
        .exclude(origin=Inspection.Origin.REINSPECTION)
        .order_by("entity_id", "visited_on", "id")
        .values_list("id", "entity_id", "items_failed", "entity__risk_class")
    )
    by_class: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # visits, failed, serious
    again, first = [0, 0], [0, 0]  # visits, failed: after a failure / before any
    failed_before: set[int] = set()
    for pk, entity, failed, risk_class in visits:
        row = by_class[risk_class]
        row[0] += 1
        row[1] += failed > 0
        row[2] += pk in serious
        counts = again if entity in failed_before else first
        counts[0] += 1
        counts[1] += failed > 0
        if failed:
            failed_before.add(entity)
    one, three = by_class["I"], by_class["III"]
    assert one[1] / one[0] > 1.5 * three[1] / three[0]
    assert one[2] / one[1] > three[2] / three[1]
    assert again[0] >= 10
    assert again[1] / again[0] > 1.5 * first[1] / first[0]


def test_items_failed_and_uniform_agree_with_the_item_results() -> None:
    results: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for inspection, result, note in ItemResult.objects.values_list(
        "inspection_id", "result", "note"
    ):
        results[inspection].append((result, note))
    for pk, failed, uniform, _checklist in Inspection.objects.values_list(
        "pk", "items_failed", "uniform", "checklist_id"
    ):
        marks = results[pk]
        assert failed == sum(1 for r, _n in marks if r == "fail")
        assert uniform == (len({r for r, _n in marks}) == 1 and not any(n for _r, n in marks))
        assert all(r in ("pass", "fail", "na") for r, _n in marks)
    per_checklist = dict(
        Inspection.objects.values("checklist_id")
        .annotate(n=Count("id"))
        .values_list("checklist_id", "n")
    )
    items = dict(
        ChecklistItem.objects.values("checklist_id")
        .annotate(n=Count("id"))
        .values_list("checklist_id", "n")
    )
    assert ItemResult.objects.count() == sum(n * items[c] for c, n in per_checklist.items())


def test_every_failed_item_has_its_finding() -> None:
    failed = set(ItemResult.objects.filter(result="fail").values_list("inspection_id", "item_id"))
    # Findings of another source (a monitored ad ordered rectified) have no inspection.
    visits = Finding.objects.filter(inspection__isnull=False)
    assert not Finding.objects.filter(inspection__isnull=True, source="").exists()
    findings = set(visits.values_list("inspection_id", "item_id"))
    assert failed == findings
    mismatched = Finding.objects.exclude(severity=F("item__severity"))
    assert not mismatched.exists()
    assert not visits.exclude(found_on=F("inspection__visited_on")).exists()


def test_photos_are_files_with_their_digest_and_a_few_are_reused() -> None:
    photos = Attachment.objects.all()
    assert photos.count() > 100
    for photo in photos.order_by("?")[:20]:
        content = (Path(settings.MEDIA_ROOT) / photo.file.name).read_bytes()
        assert hashlib.sha256(content).hexdigest() == photo.sha256
        assert len(content) == photo.size and content[:2] == b"\xff\xd8"
    shared = photos.values("sha256").annotate(n=Count("inspection", distinct=True)).filter(n__gt=1)
    assert 1 <= shared.count() <= 10


def test_a_rectification_deadline_is_counted_in_working_days() -> None:
    calendar = WorkingCalendar.load()
    orders = Rectification.objects.select_related("reinspection_task", "inspection")
    assert orders.count() > 10
    for order in orders:
        assert 5 <= order.working_days <= 15
        if not known(calendar, order.issued_on, order.reinspection_task.due_on):  # type: ignore[union-attr]
            continue  # the demo counts Monday–Friday in a year the calendar lacks
        assert order.deadline == calendar.add_working_days(order.issued_on, order.working_days)
        assert re.fullmatch(r"伊市监责改〔\d{4}〕\d{4}号", order.number)
        task = order.reinspection_task
        assert task is not None and task.plan.kind == Plan.Kind.REINSPECTION
        assert task.due_on == calendar.add_working_days(order.deadline, 1)
        if order.inspection is not None:
            assert order.issued_on == order.inspection.visited_on
        else:
            assert order.source and order.findings.exists()
    states = Counter(orders.values_list("status", flat=True))
    assert states[Rectification.Status.RECTIFIED] > 0.6 * orders.count()
    rectified = orders.filter(
        status=Rectification.Status.RECTIFIED, reinspection_task__status="done"
    )
    for order in rectified:
        record = Inspection.objects.get(task=order.reinspection_task)
        assert record.origin == "reinspection" and record.items_failed == 0
        assert order.closed_on == record.visited_on
    for order in orders.filter(status=Rectification.Status.WARNED):
        assert order.warned_on and order.warned_on > order.reinspection_task.due_on  # type: ignore[union-attr,operator]
    open_orders = orders.filter(status=Rectification.Status.OPEN)
    assert not open_orders.filter(reinspection_task__due_on__lt=today()).exists()


def test_spot_checks_cover_two_years_with_plausible_pass_rates() -> None:
    year = today().year
    for y in (year - 1, year):
        plans = SamplingPlan.objects.filter(year=y)
        assert plans.count() == 7
        done = Sample.objects.filter(plan__year=y).exclude(result=Sample.Result.PENDING)
        if y == year and not done.exists():
            continue
        passed = done.filter(result=Sample.Result.PASS).count()
        assert 0.7 <= passed / done.count() <= 0.98
    failed = Sample.objects.filter(result=Sample.Result.FAIL)
    assert failed.count() == SampleFollowUp.objects.count()
    assert not failed.filter(failed_items="").exists()
    for sample in Sample.objects.select_related("entity", "plan")[:50]:
        assert sample.entity is not None and sample.entity.registered_on < sample.sampled_on


def test_the_builder_refuses_without_a_checklist() -> None:
    Checklist.objects.update(retired_on=dt.date(2020, 1, 1))
    with pytest.raises(CommandError) as refused:
        Checklists.load()
    assert "检查清单" in str(refused.value)
