"""The demo county is consistent over time, so that it can serve as a fixture (issue 9 item 11).

Each rule is a query over the whole county that lists its offenders; a test asserts there are
none and names a few. ``offenders`` runs every rule, so the same checks can be run on a full
20,000-entity county (``PYTHONPATH=. XIAONENG_VAR=… xiaoneng manage shell -c``, docs/guide.md).
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import io
import re
from collections import defaultdict
from collections.abc import Callable, Iterator

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Exists, F, Max, OuterRef, Q
from django.test import override_settings
from django.utils import timezone

from xiaoneng.cases.models import Case
from xiaoneng.demo.reset import reset
from xiaoneng.documents.models import Delivery, IssuedDocument
from xiaoneng.inspections.models import (
    Inspection,
    InspectionOfficer,
    PartySignature,
    Rectification,
    Sample,
    TraceFlag,
)
from xiaoneng.org.models import Role, Unit
from xiaoneng.oversight.reviews.models import DirectorReview
from xiaoneng.oversight.reviews.services import with_director_on_team
from xiaoneng.planning.draws.inputs import snapshot_text
from xiaoneng.planning.draws.models import RandomDraw
from xiaoneng.planning.patrol import schedule
from xiaoneng.planning.patrol.models import Plan, Task
from xiaoneng.planning.patrol.services import parse_period, period_of
from xiaoneng.registry.models import ClassificationChange, Entity

ENTITIES = 2000
SEED = 3
SHOWN = 5
SHANGHAI = dt.timezone(dt.timedelta(hours=8))
CITED = re.compile(r"上次检查 (\d{4}-\d{2}-\d{2})")


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


def local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(SHANGHAI).date()


# Nothing happens to an entity before it entered the register --------------------------------


def inspections_before_registration() -> list[str]:
    found = Inspection.objects.filter(visited_on__lt=F("entity__registered_on")).values_list(
        "pk", "origin", "visited_on", "entity__registered_on"
    )
    return [
        f"inspection {pk} ({origin}) on {day}, entity registered {reg}"
        for pk, origin, day, reg in found
    ]


def tasks_before_registration() -> list[str]:
    found = (
        Task.objects.filter(done_on__lt=F("entity__registered_on"))
        | Task.objects.filter(scheduled_on__lt=F("entity__registered_on"))
    ).values_list("pk", "plan__kind", "scheduled_on", "done_on", "entity__registered_on")
    return [
        f"task {pk} ({kind}) scheduled {day} done {done}, entity registered {reg}"
        for pk, kind, day, done, reg in found
    ]


def samples_before_registration() -> list[str]:
    found = Sample.objects.filter(sampled_on__lt=F("entity__registered_on")).values_list(
        "pk", "sampled_on", "entity__registered_on"
    )
    return [f"sample {pk} on {day}, entity registered {reg}" for pk, day, reg in found]


def flags_before_registration() -> list[str]:
    found = TraceFlag.objects.values_list(
        "pk", "raised_at", "inspection__entity__registered_on"
    ).iterator()
    return [
        f"trace flag {pk} raised {at:%Y-%m-%d}, entity registered {reg}"
        for pk, at, reg in found
        if local_day(at) < reg
    ]


def cases_before_registration() -> list[str]:
    found = Case.objects.filter(received_on__lt=F("entity__registered_on")).values_list(
        "pk", "received_on", "entity__registered_on"
    )
    return [f"case {pk} received {day}, entity registered {reg}" for pk, day, reg in found]


# A draw's population is the register as it stood when the draw was committed ----------------


class History:
    """Each entity's risk class and credit grade at any moment, from its change history."""

    def __init__(self, field: str) -> None:
        self.field = field
        self.changes: dict[int, list[tuple[dt.datetime, str, str]]] = defaultdict(list)
        rows = (
            ClassificationChange.objects.filter(field=field)
            .order_by("entity_id", "changed_at", "id")
            .values_list("entity_id", "changed_at", "old_value", "new_value")
        )
        for entity, at, old, new in rows.iterator():
            self.changes[entity].append((at, old, new))

    def at(self, entity: int, current: str, moment: dt.datetime) -> str:
        """The value in force at ``moment`` (the current value if nothing changed since)."""
        changes = self.changes.get(entity, [])
        later = bisect.bisect_right([at for at, _old, _new in changes], moment)
        if later < len(changes):
            return changes[later][1] or current
        return current


def committed_draws() -> list[RandomDraw]:
    return list(RandomDraw.objects.filter(committed_at__isnull=False).order_by("pk"))


def population_of(draw: RandomDraw) -> list[tuple[str, str, str]]:
    """``(uscc, grade, class)`` of each line of the draw's population snapshot."""
    lines = snapshot_text(draw, "population").decode("utf-8").splitlines()
    return [tuple(line.split(",")[:3]) for line in lines]  # type: ignore[misc]


def populations_registered_after_commit() -> list[str]:
    found = []
    for draw in committed_draws():
        assert draw.committed_at is not None
        usccs = [uscc for uscc, _g, _c in population_of(draw)]
        day = local_day(draw.committed_at)
        late = Entity.objects.filter(uscc__in=usccs, registered_on__gt=day).values_list(
            "uscc", "registered_on"
        )
        found += [f"draw {draw.pk} committed {day}: {u} registered {reg}" for u, reg in late]
    return found


def population_grades_not_in_history() -> list[str]:
    grades = History(ClassificationChange.Field.CREDIT_GRADE)
    classes = History(ClassificationChange.Field.RISK_CLASS)
    found = []
    for draw in committed_draws():
        assert draw.committed_at is not None
        lines = population_of(draw)
        current = {
            uscc: (pk, grade, risk)
            for uscc, pk, grade, risk in Entity.objects.filter(
                uscc__in=[u for u, _g, _c in lines]
            ).values_list("uscc", "pk", "credit_grade", "risk_class")
        }
        for uscc, grade, risk in lines:
            pk, now_grade, now_class = current[uscc]
            then = (
                grades.at(pk, now_grade, draw.committed_at),
                classes.at(pk, now_class, draw.committed_at),
            )
            if (grade, risk) != then:
                found.append(
                    f"draw {draw.pk}: {uscc} frozen as {grade}/{risk}, history says {then[0]}/"
                    f"{then[1]} at {draw.committed_at:%Y-%m-%d %H:%M}"
                )
    return found


# Plans are made after the records they read -------------------------------------------------


def tasks_created_before_their_plan() -> list[str]:
    found = Task.objects.filter(created_at__lt=F("plan__created_at")).values_list(
        "pk", "created_at", "plan__created_at"
    )
    return [f"task {pk} created {at}, its plan {plan}" for pk, at, plan in found]


def plans_citing_later_inspections() -> list[str]:
    """A patrol task cites the last inspection its plan read: it happened before the plan."""
    found = []
    tasks = Task.objects.filter(plan__kind=Plan.Kind.PATROL, description__contains="上次检查 ")
    for pk, text, made in tasks.values_list("pk", "description", "created_at").iterator():
        match = CITED.search(text)
        if match and dt.date.fromisoformat(match[1]) >= local_day(made):
            found.append(f"task {pk} made {local_day(made)} cites {match[1]}")
    return found


def plans_missing_earlier_inspections() -> list[str]:
    """This month's patrol plan was made after the year's records: the last inspection each
    new task cites is the entity's last one (a done task or a signed record of any origin)
    before the task was planned."""
    today = timezone.localdate()
    open_tasks = Task.objects.filter(
        plan__kind=Plan.Kind.PATROL,
        period__gte=period_of(today),
        status__in=[Task.Status.PLANNED, Task.Status.OVERFLOW],
    ).values_list("pk", "entity_id", "description", "created_at")
    tasks = list(open_tasks)
    entities = {e for _pk, e, _d, _m in tasks}
    done: dict[int, list[dt.date]] = defaultdict(list)
    for entity, day in Task.objects.filter(
        status=Task.Status.DONE, done_on__isnull=False, entity_id__in=entities
    ).values_list("entity_id", "done_on"):
        done[entity].append(day)
    for entity, day in Inspection.objects.filter(
        status=Inspection.Status.SIGNED, entity_id__in=entities
    ).values_list("entity_id", "visited_on"):
        done[entity].append(day)
    found = []
    for pk, entity, text, made in tasks:
        before = [day for day in done[entity] if day < local_day(made)]
        match = CITED.search(text)
        cited = dt.date.fromisoformat(match[1]) if match else None
        if before and (cited is None or cited < max(before)):
            found.append(f"task {pk} cites {cited or '入册以来未检查'}, last done {max(before)}")
    return found


def past_plans_missing_earlier_inspections() -> list[str]:
    """Each past month's patrol plan read the records made before it: the last inspection a
    task cites is the entity's latest done task or signed record (a draw's, a complaint's, a
    campaign's…) before its plan was made, as the due rule reads them.

    Re-inspections (整改复查) are left out: the demo derives them from the failed visits of
    the very plans written here, so a plan cannot read them yet (a few in a county)."""
    today = timezone.localdate()
    tasks = list(
        Task.objects.filter(
            plan__kind=Plan.Kind.PATROL, period__lt=period_of(today), description__contains="应查日"
        ).values_list("pk", "entity_id", "description", "plan__created_at")
    )
    done: dict[int, list[dt.date]] = defaultdict(list)
    done_tasks = Task.objects.filter(status=Task.Status.DONE, done_on__isnull=False)
    for entity, day in done_tasks.exclude(plan__kind=Plan.Kind.REINSPECTION).values_list(
        "entity_id", "done_on"
    ):
        done[entity].append(day)
    signed = Inspection.objects.filter(status=Inspection.Status.SIGNED).exclude(
        origin=Inspection.Origin.REINSPECTION
    )
    for entity, day in signed.values_list("entity_id", "visited_on"):
        done[entity].append(day)
    found = []
    for pk, entity, text, made in tasks:
        before = [day for day in done[entity] if day < local_day(made)]
        match = CITED.search(text)
        cited = dt.date.fromisoformat(match[1]) if match else None
        if before and (cited is None or cited < max(before)):
            found.append(
                f"task {pk} planned {local_day(made)} cites {cited or '入册以来未检查'}, "
                f"last done {max(before)}"
            )
    return found


def last_inspected_not_the_latest_signed_visit() -> list[str]:
    """The register's ``last_inspected_on`` is each entity's latest signed visit (as signing
    keeps it), also for the records the demo writes in bulk."""
    latest = dict(
        Inspection.objects.filter(status=Inspection.Status.SIGNED)
        .order_by()
        .values("entity_id")
        .annotate(day=Max("visited_on"))
        .values_list("entity_id", "day")
    )
    noted = Entity.objects.values_list("pk", "last_inspected_on").iterator()
    return [
        f"entity {pk}: last_inspected_on {day}, latest signed visit {latest.get(pk)}"
        for pk, day in noted
        if day != latest.get(pk)
    ]


# A record is reviewed by someone who did not make it -----------------------------------------


def reviews_concluded_by_the_records_team() -> list[str]:
    """Nobody concluded the spot check of a record they led or were on the team of."""
    team = InspectionOfficer.objects.filter(
        inspection=OuterRef("inspection"), officer=OuterRef("reviewer")
    )
    found = DirectorReview.objects.filter(reviewer__isnull=False).filter(
        Q(inspection__lead_officer=F("reviewer")) | Q(Exists(team))
    )
    return [
        f"review {pk} of inspection {inspection} concluded by its team member {reviewer}"
        for pk, inspection, reviewer in found.values_list("pk", "inspection_id", "reviewer_id")
    ]


def cosigned_reviews_not_concluded_by_the_division() -> list[str]:
    """A record its station's director co-signed is concluded by a division officer (科室),
    as ``director_reviews.with_director_on_team`` routes it."""
    found = (
        with_director_on_team(DirectorReview.objects.filter(reviewer__isnull=False))
        .filter(director_on_team=True)
        .exclude(reviewer__roles__code=Role.DIVISION_STAFF)
    )
    return [
        f"review {pk} of inspection {inspection} co-signed by its director, concluded by "
        f"{reviewer}, no division officer"
        for pk, inspection, reviewer in found.values_list("pk", "inspection_id", "reviewer_id")
    ]


# The bureau's own entities, outside every grid, are planned too -----------------------------


def outside_grids_unplanned() -> list[str]:
    """Each operating entity outside every grid that is due this month has a task of this
    month (in the bureau's plan, if only in its overflow: 主体不在任何网格内)."""
    period = parse_period(period_of(timezone.localdate()))
    bureau = Unit.objects.filter(kind=Unit.Kind.BUREAU).order_by("depth", "pk").first()
    if bureau is None:
        return []
    outside = Entity.objects.filter(grid__isnull=True)
    due = schedule.due_in_period(unit=None, start=period.first, end=period.last, entities=outside)
    due_ids = set(due.dates.register.entity_id[due.positions].tolist())
    planned = set(
        Task.objects.filter(period=period.text, entity_id__in=due_ids).values_list(
            "entity_id", flat=True
        )
    )
    return [f"entity {pk} outside every grid, due, in no plan" for pk in sorted(due_ids - planned)]


def documents_out_of_order() -> list[str]:
    """Documents issued before their record was ready (an inspection signed; an order made,
    closed or warned, as the kind needs) or after now, and numbers of a kind and year that do
    not grow with the time of issue."""
    found = []
    now = timezone.now()
    documents = IssuedDocument.objects.select_related("number").order_by("issued_at", "id")
    signed = dict(
        Inspection.objects.filter(
            pk__in=documents.filter(kind="inspection").values("object_id")
        ).values_list("pk", "signed_at")
    )
    # Each kind read from an order or a case, and the day its record became ready for it.
    ready_day = {
        "rectification": (Rectification, "issued_on"),
        "reinspection": (Rectification, "closed_on"),
        "warning": (Rectification, "warned_on"),
        "case-source": (Case, "received_on"),
        "case-filing": (Case, "filed_on"),
        "case-notice": (Case, "notified_on"),
        "case-decision": (Case, "decided_on"),
        "service": (Delivery, "delivered_on"),
    }
    days = {
        (kind, pk): day
        for kind, (model, field) in ready_day.items()
        for pk, day in model.objects.filter(
            pk__in=documents.filter(kind=kind).values("object_id")
        ).values_list("pk", field)
    }
    last: dict[tuple[str, str, int], int] = {}
    for document in documents:
        if document.kind == "inspection":
            at = signed.get(document.object_id)
            ready = at is not None and document.issued_at >= at
        else:
            day = days.get((document.kind, document.object_id))
            ready = day is not None and timezone.localtime(document.issued_at).date() >= day
        if not ready or document.issued_at > now:
            found.append(f"{document.number.text} v{document.version} at {document.issued_at}")
        number = document.number
        key = (number.prefix, number.kind, number.year)
        if document.version == 1:
            if number.serial <= last.get(key, 0):
                found.append(f"{number.text} issued after a higher serial of its kind and year")
            last[key] = number.serial
    return found


def party_signatures_out_of_time() -> list[str]:
    """Party signatures captured before the visit's day, after the officers' final signature,
    or after now; a drawn one whose stored file is not its SHA-256."""
    found = []
    now = timezone.now()
    for row in PartySignature.objects.select_related("inspection"):
        record = row.inspection
        if (
            local_day(row.captured_at) < record.visited_on
            or record.signed_at is None
            or row.captured_at > record.signed_at
            or row.captured_at > now
        ):
            found.append(f"inspection {record.pk}: party signed at {row.captured_at}")
        if not row.refused:
            with row.image.open("rb") as stored:
                if hashlib.sha256(stored.read()).hexdigest() != row.sha256:
                    found.append(f"inspection {record.pk}: drawing is not its SHA-256")
    return found


def served_days_out_of_time() -> list[str]:
    """Cases whose day of service (送达) of the notice or decision lies before the stage's date
    or after today, or is not the first delivery of that document (cases.service_days)."""
    found = []
    today = timezone.localdate()
    first: dict[tuple[str, int], dt.date] = {}
    for kind, case_pk, day in Delivery.objects.filter(
        document__kind__in=("case-notice", "case-decision")
    ).values_list("document__kind", "document__object_id", "delivered_on"):
        first[(kind, case_pk)] = min(day, first.get((kind, case_pk), day))
    fields = (
        ("case-notice", "notice_served_on", "notified_on"),
        ("case-decision", "decision_served_on", "decided_on"),
    )
    served = Case.objects.filter(
        Q(notice_served_on__isnull=False)
        | Q(decision_served_on__isnull=False)
        | Q(pk__in=[pk for _kind, pk in first])
    )
    for case in served:
        for kind, field, stage_field in fields:
            day, stage = getattr(case, field), getattr(case, stage_field)
            if day != first.get((kind, case.pk)):
                found.append(
                    f"{case.number}: {field} {day}, first delivery {first.get((kind, case.pk))}"
                )
            elif day is not None and (stage is None or day < stage or day > today):
                found.append(f"{case.number}: {field} {day}, {stage_field} {stage}")
    return found


RULES: dict[str, Callable[[], list[str]]] = {
    "served days out of time": served_days_out_of_time,
    "documents issued out of order": documents_out_of_order,
    "party signatures out of time": party_signatures_out_of_time,
    "inspections before registration": inspections_before_registration,
    "tasks before registration": tasks_before_registration,
    "samples before registration": samples_before_registration,
    "trace flags before registration": flags_before_registration,
    "cases before registration": cases_before_registration,
    "draw population registered after commit": populations_registered_after_commit,
    "draw grades not the history at commit": population_grades_not_in_history,
    "tasks created before their plan": tasks_created_before_their_plan,
    "plans citing later inspections": plans_citing_later_inspections,
    "plans missing earlier inspections": plans_missing_earlier_inspections,
    "past plans missing earlier inspections": past_plans_missing_earlier_inspections,
    "outside-grid entities in no plan": outside_grids_unplanned,
    "last_inspected_on not the latest signed visit": last_inspected_not_the_latest_signed_visit,
    "reviews concluded by the record's team": reviews_concluded_by_the_records_team,
    "co-signed reviews not concluded by the division": (
        cosigned_reviews_not_concluded_by_the_division
    ),
}


def offenders() -> dict[str, int]:
    """How many offenders each rule finds (every count 0 in a consistent county)."""
    return {name: len(rule()) for name, rule in RULES.items()}


def assert_none(found: list[str]) -> None:
    assert not found, f"{len(found)} offenders, e.g.: " + "; ".join(found[:SHOWN])


def test_no_inspection_before_its_entitys_registration() -> None:
    assert_none(inspections_before_registration())


def test_no_task_scheduled_or_done_before_its_entitys_registration() -> None:
    assert_none(tasks_before_registration())


def test_no_sample_before_its_entitys_registration() -> None:
    assert_none(samples_before_registration())


def test_no_trace_flag_before_its_entitys_registration() -> None:
    assert_none(flags_before_registration())


def test_no_case_before_its_entitys_registration() -> None:
    assert_none(cases_before_registration())


def test_draw_populations_hold_only_entities_registered_before_the_commit() -> None:
    assert committed_draws()
    assert_none(populations_registered_after_commit())


def test_draw_snapshots_grades_and_classes_equal_the_history_at_commit() -> None:
    assert_none(population_grades_not_in_history())


def test_no_task_created_before_its_plan() -> None:
    assert_none(tasks_created_before_their_plan())


def test_patrol_tasks_cite_inspections_made_before_their_plan() -> None:
    assert_none(plans_citing_later_inspections())


def test_this_months_plan_read_every_inspection_done_before_it() -> None:
    assert_none(plans_missing_earlier_inspections())


def test_past_months_plans_read_every_inspection_done_before_them() -> None:
    assert_none(past_plans_missing_earlier_inspections())


def test_registers_last_inspection_is_the_latest_signed_visit() -> None:
    assert Entity.objects.filter(last_inspected_on__isnull=False).exists()
    assert_none(last_inspected_not_the_latest_signed_visit())


def test_no_review_is_concluded_by_a_member_of_the_records_team() -> None:
    assert DirectorReview.objects.filter(reviewer__isnull=False).exists()
    assert_none(reviews_concluded_by_the_records_team())


def test_records_a_director_cosigned_are_reviewed_by_the_division() -> None:
    assert (
        with_director_on_team(DirectorReview.objects.filter(reviewer__isnull=False))
        .filter(director_on_team=True)
        .exists()
    )
    assert_none(cosigned_reviews_not_concluded_by_the_division())


def test_bureau_entities_outside_every_grid_due_this_month_are_in_a_plan() -> None:
    assert Entity.objects.filter(grid__isnull=True).exists()
    assert_none(outside_grids_unplanned())


def test_documents_are_issued_after_signing_and_numbered_in_order() -> None:
    assert IssuedDocument.objects.filter(version=1).count() >= 10
    for kind in (
        "rectification",
        "reinspection",
        "warning",
        "case-source",
        "case-filing",
        "case-notice",
        "case-decision",
        "service",
    ):
        assert IssuedDocument.objects.filter(kind=kind).count() >= 3, kind
    assert IssuedDocument.objects.filter(version=2).exists()
    assert_none(documents_out_of_order())


def test_days_of_service_are_the_first_delivery_between_the_stage_and_today() -> None:
    assert Case.objects.filter(notice_served_on__isnull=False).count() >= 3
    assert Case.objects.filter(decision_served_on__isnull=False).count() >= 3
    assert_none(served_days_out_of_time())


def test_party_signatures_are_captured_between_the_visit_and_the_final_signature() -> None:
    assert PartySignature.objects.filter(refused=False).count() >= 10
    assert PartySignature.objects.filter(refused=True).count() >= 3
    assert_none(party_signatures_out_of_time())
