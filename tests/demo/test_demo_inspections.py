"""`xiaoneng demo`: a year of inspections, follow-up, oversight, spot checks, cases and targets."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.test import override_settings
from django.utils import timezone

from xiaoneng.cases.limits import statement_period_end
from xiaoneng.cases.models import Case, Collection, ConfiscatedGoods, Target, TargetMetric
from xiaoneng.cases.targets.services import achieved, elapsed_share
from xiaoneng.cases.transitions import CASE
from xiaoneng.core.calendar import WorkingCalendar
from xiaoneng.core.models import AuditEvent
from xiaoneng.demo.inspections import Checklists, window_of
from xiaoneng.demo.reset import reset
from xiaoneng.inspections.models import (
    Attachment,
    Checklist,
    ChecklistItem,
    ExitCheck,
    Finding,
    Inspection,
    InspectionOfficer,
    ItemResult,
    Rectification,
    Sample,
    SampleFollowUp,
    SamplingPlan,
    TraceFlag,
    UnlicensedOperator,
)
from xiaoneng.org.models import Unit
from xiaoneng.oversight import services as oversight
from xiaoneng.oversight.models import DirectorReview, ReviewRound, SupervisionItem
from xiaoneng.planning.patrol.models import Plan, Task
from xiaoneng.registry.models import ClassificationChange, CreditProposal, CreditRule

ENTITIES = 2000
SEED = 5
S = Case.Status
COUNTED = (
    Inspection,
    InspectionOfficer,
    ItemResult,
    Attachment,
    Finding,
    Rectification,
    ExitCheck,
    UnlicensedOperator,
    TraceFlag,
    ReviewRound,
    DirectorReview,
    SupervisionItem,
    SamplingPlan,
    Sample,
    SampleFollowUp,
    Case,
    Collection,
    ConfiscatedGoods,
    Target,
    CreditProposal,
)
# The starter set's shape, for a database where its migration has not run yet.
FALLBACK = {
    "food-retail": (
        "onsite",
        "F512 F521 F522",
        ("亮照经营", "进货查验记录", "不得经营超过保质期的食品"),
    ),
    "catering": ("onsite", "H62", ("从业人员健康证明", "后厨卫生", "食品原料进货查验记录")),
    "general-trade": (
        "onsite",
        "",
        ("亮照经营：营业执照悬挂于醒目位置", "商品明码标价", "年度报告按时公示"),
    ),
    "documentary": ("documentary", "", ("年度报告已公示", "提交的证照复印件与原件一致")),
}


def build(**options: object) -> str:
    out = io.StringIO()
    call_command("demo", entities=ENTITIES, seed=SEED, stdout=out, **options)
    return out.getvalue()


def ensure_checklists() -> None:
    if Checklist.objects.filter(code="general-trade").exists():
        return
    for code, (kind, prefixes, titles) in FALLBACK.items():
        checklist = Checklist.objects.create(
            code=code,
            version=1,
            title=code,
            kind=kind,
            industry_prefixes=prefixes,
            effective_on=dt.date(2025, 1, 1),
        )
        for i, title in enumerate(titles, 1):
            ChecklistItem.objects.create(
                checklist=checklist,
                number=str(i),
                position=i,
                title=title,
                method="现场查看",
                legal_basis="《中华人民共和国食品安全法》第三十三条",
                severity=("minor", "major", "critical")[i % 3],
            )


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


@pytest.fixture(scope="module")
def demo_county(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """One small county for the module, its photos in a temporary MEDIA_ROOT."""
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=hashers, MEDIA_ROOT=str(media)),
    ):
        ensure_checklists()
        output = build()
        yield output
        with transaction.atomic():
            reset()


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_county")]


def today() -> dt.date:
    return timezone.localdate()


def test_the_demo_reports_each_part(demo_county: str) -> None:
    for part in ("检查记录 inspections", "三级监管 oversight", "监督抽查", "案件 cases"):
        assert part in demo_county


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


def known(calendar: WorkingCalendar, *days: dt.date) -> bool:
    """Whether the calendar knows the years from the first day to a month after the last."""
    last = max(days) + dt.timedelta(days=40)
    return all(year in calendar.years for year in range(min(days).year, last.year + 1))


def test_records_are_plausible_visits() -> None:
    records = Inspection.objects.all()
    total = records.count()
    failed = records.filter(items_failed__gt=0).count()
    assert 0.02 <= failed / total <= 0.08
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
    findings = set(Finding.objects.values_list("inspection_id", "item_id"))
    assert failed == findings
    mismatched = Finding.objects.exclude(severity=F("item__severity"))
    assert not mismatched.exists()
    assert not Finding.objects.exclude(found_on=F("inspection__visited_on")).exists()


def test_photos_are_files_with_their_digest_and_a_few_are_reused() -> None:
    photos = Attachment.objects.all()
    assert photos.count() > 100
    for photo in photos.order_by("?")[:20]:
        content = (Path(settings.MEDIA_ROOT) / photo.file.name).read_bytes()
        assert hashlib.sha256(content).hexdigest() == photo.sha256
        assert len(content) == photo.size and content[:2] == b"\xff\xd8"
    shared = photos.values("sha256").annotate(n=Count("inspection", distinct=True)).filter(n__gt=1)
    assert 1 <= shared.count() <= 10


def test_trace_flags_come_from_the_engine_and_most_are_settled() -> None:
    flags = TraceFlag.objects.all()
    records = Inspection.objects.count()
    assert 0.005 <= flags.count() / records <= 0.08
    assert len(set(flags.values_list("kind", flat=True))) >= 4
    old = flags.filter(raised_at__lt=timezone.now() - dt.timedelta(days=10))
    assert not old.filter(status=TraceFlag.Status.OPEN).exists()
    settled = flags.exclude(status=TraceFlag.Status.OPEN)
    assert not settled.filter(Q(resolution="") | Q(resolved_by__isnull=True)).exists()
    confirmed = flags.filter(status=TraceFlag.Status.CONFIRMED).count()
    assert 0 < confirmed < 0.5 * settled.count()
    for flag in settled.select_related("inspection")[:50]:
        assert flag.inspection.signed_at <= flag.raised_at < flag.resolved_at  # type: ignore[operator]


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
        assert order.issued_on == order.inspection.visited_on
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


def test_director_samples_verify_with_the_oversight_rule_and_last_month_waits() -> None:
    rounds = ReviewRound.objects.all()
    assert rounds.count() >= 6 * 10
    last_month = (today().replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    for review_round in rounds.order_by("?")[:10]:
        # The very check `xiaoneng review verify` and the round's page make.
        assert oversight.verify_round(review_round), oversight.check_round(review_round)
        population = oversight.population(
            review_round.unit, oversight.parse_month(review_round.month)
        )
        assert population.count() == review_round.population
        pending = review_round.reviews.filter(status=DirectorReview.Status.PENDING).count()
        if review_round.month == last_month:
            assert pending == review_round.reviews.count()
        else:
            assert pending == 0
    assert DirectorReview.objects.filter(status=DirectorReview.Status.PROBLEM).exists()


def test_supervision_items_are_mostly_closed_a_couple_overdue() -> None:
    items = SupervisionItem.objects.all()
    assert items.count() >= 24
    closed = items.filter(status=SupervisionItem.Status.CLOSED).count()
    assert closed > 0.6 * items.count()
    overdue = items.exclude(status=SupervisionItem.Status.CLOSED).filter(deadline__lt=today())
    assert 1 <= overdue.count() <= 8


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


def test_the_builder_refuses_without_a_checklist() -> None:
    Checklist.objects.update(retired_on=dt.date(2020, 1, 1))
    with pytest.raises(CommandError) as refused:
        Checklists.load()
    assert "检查清单" in str(refused.value)


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
