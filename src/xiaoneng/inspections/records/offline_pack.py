"""The officer's pack (docs/offline-sync.md): what the installable app keeps on the phone.

The requesting officer's planned tasks for the coming days (overdue ones included), each
with its entity, the checklist it will be filled against, its draft if one was opened, and
the entity's last signed inspection with its failed items; and each checklist once, with its
items. A bounded number of queries, however many tasks (at most ``MAX_TASKS``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from functools import partial
from typing import Any

from django.db.models import F, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core.errors import InvalidInput
from xiaoneng.core.scoping import scoped
from xiaoneng.inspections.checklists.models import Checklist, ChecklistItem, InspectionKind
from xiaoneng.inspections.checklists.services import current_versions, pick
from xiaoneng.inspections.records.models import Inspection, ItemResult
from xiaoneng.org.models import Officer
from xiaoneng.planning.patrol.models import Task
from xiaoneng.registry.models import Entity, Licence

MIN_DAYS, MAX_DAYS, DEFAULT_DAYS = 1, 14, 3
MAX_TASKS = 200
KIND = InspectionKind.ONSITE


def check_days(days: int) -> int:
    """``days`` if within 1..14; else refused on the field ``days``."""
    if not MIN_DAYS <= days <= MAX_DAYS:
        raise InvalidInput.single(
            "days",
            _("天数应在 %(min)d 到 %(max)d 之间") % {"min": MIN_DAYS, "max": MAX_DAYS},
        )
    return days


def offline_pack(
    *, officer: Officer, days: int = DEFAULT_DAYS, today: dt.date | None = None
) -> dict[str, Any]:
    """The pack of ``officer`` for ``days`` days from ``today`` (default the local date)."""
    days = check_days(days)
    today = today or timezone.localdate()
    through = today + dt.timedelta(days=days - 1)
    tasks = _tasks(officer, through)
    drafts = _drafts(tasks)
    in_force = checklists_in_force([t.entity for t in tasks if t.pk not in drafts], on=today)
    last = _last_inspections(officer, tasks)
    chosen: dict[int, int | None] = {}
    for task in tasks:
        draft = drafts.get(task.pk)
        if draft is not None:
            chosen[task.pk] = draft.checklist_id
        else:
            checklist = in_force.get(task.entity_id)
            chosen[task.pk] = checklist.pk if checklist else None
    return {
        "generated_at": timezone.now(),
        "days": days,
        "through": through,
        "officer": {"username": officer.get_username(), "name": str(officer)},
        "tasks": [
            {
                "task_id": task.pk,
                "scheduled_on": task.scheduled_on,
                "due_on": task.due_on,
                "description": task.description,
                "standard": task.standard,
                "entity": _entity(task.entity),
                "kind": KIND,
                "checklist_id": chosen[task.pk],
                "draft": _draft(drafts[task.pk]) if task.pk in drafts else None,
                "last_inspection": _last(last[task.entity_id]) if task.entity_id in last else None,
            }
            for task in tasks
        ],
        "checklists": _checklists({c for c in chosen.values() if c is not None}),
    }


def _tasks(officer: Officer, through: dt.date) -> list[Task]:
    """The officer's own planned tasks due to be visited by ``through`` (by the scheduled day,
    else the due day), overdue ones included; by day, then the entity's name."""
    day = Coalesce("scheduled_on", "due_on")
    tasks = (
        scoped(Task.objects.all(), officer)
        .filter(officer_id=officer.pk, status=Task.Status.PLANNED)
        .alias(day=day)
        .filter(day__lte=through)
        .select_related("entity__industry", "entity__grid")
        .order_by(F("day").asc(), "entity__name", "id")
    )
    return list(tasks[:MAX_TASKS])


def _drafts(tasks: list[Task]) -> dict[int, Inspection]:
    """The open draft of each task (an amendment is no task's draft), with its results."""
    results = ItemResult.objects.order_by("item__position", "id")
    drafts = (
        Inspection.objects.filter(
            task_id__in=[t.pk for t in tasks],
            status=Inspection.Status.DRAFT,
            amends__isnull=True,
        )
        .select_related("updated_by")
        .prefetch_related(Prefetch("results", queryset=results))
        .order_by("id")
    )
    found: dict[int, Inspection] = {}
    for draft in drafts:
        assert draft.task_id is not None
        found.setdefault(draft.task_id, draft)
    return found


def _last_inspections(officer: Officer, tasks: list[Task]) -> dict[int, Inspection]:
    """The latest signed inspection of each task's entity that the officer may see (a signed
    correction stands for the record it corrects: it is the later one of the same day)."""
    signed = scoped(Inspection.objects.all(), officer).filter(status=Inspection.Status.SIGNED)
    latest = signed.filter(entity_id=OuterRef("pk")).order_by("-visited_on", "-id").values("id")[:1]
    ids = (
        Entity.objects.filter(pk__in={t.entity_id for t in tasks})
        .annotate(last_id=Subquery(latest))
        .exclude(last_id=None)
        .values_list("last_id", flat=True)
    )
    failed = (
        ItemResult.objects.filter(result=ItemResult.Result.FAIL)
        .select_related("item")
        .order_by("item__position", "id")
    )
    records = Inspection.objects.filter(pk__in=ids).prefetch_related(
        Prefetch("results", queryset=failed, to_attr="failed")
    )
    return {record.entity_id: record for record in records}


def checklists_in_force(entities: Iterable[Entity], *, on: dt.date) -> dict[int, Checklist]:
    """The onsite checklist in force for each entity, by the rule of
    ``checklists.checklist_for`` (``checklists.pick``), in two queries for all of them; an
    entity with none is left out."""
    by_pk = {e.pk: e for e in entities}
    if not by_pk:
        return {}
    candidates = current_versions(on=on, kind=KIND)
    held: dict[int, set[str]] | None = None

    def licences_of(pk: int) -> set[str]:
        nonlocal held
        if held is None:  # one query for all, and only if a prefix did not decide
            held = defaultdict(set)
            rows = Licence.objects.filter(entity_id__in=by_pk).values_list("entity_id", "kind")
            for entity_id, kind in rows:
                held[entity_id].add(kind)
        return held[pk]

    chosen: dict[int, Checklist] = {}
    for pk, entity in by_pk.items():
        found = pick(
            candidates, kind=KIND, industry=entity.industry_id, held=partial(licences_of, pk)
        )
        if found is not None:
            chosen[pk] = found
    return chosen


def _entity(entity: Entity) -> dict[str, Any]:
    return {
        "id": entity.pk,
        "uscc": entity.uscc,
        "name": entity.name,
        "address": entity.address,
        "longitude": entity.longitude,
        "latitude": entity.latitude,
        "industry": entity.industry.name,
        "grid": entity.grid.code if entity.grid else None,
    }


def _draft(draft: Inspection) -> dict[str, Any]:
    return {
        "inspection_id": draft.pk,
        "revision": draft.revision,
        "checklist_id": draft.checklist_id,
        "results": [
            {"item": r.item_id, "result": r.result, "note": r.note} for r in draft.results.all()
        ],
        "summary": draft.summary,
        "updated_at": draft.updated_at,
        "updated_by": draft.updated_by.get_username() if draft.updated_by else None,
    }


def _last(record: Inspection) -> dict[str, Any]:
    return {
        "inspection_id": record.pk,
        "visited_on": record.visited_on,
        "summary": record.summary,
        "failed": [
            {"number": r.item.number, "title": r.item.title, "note": r.note}
            for r in record.failed  # type: ignore[attr-defined]
        ],
    }


def _checklists(ids: set[int]) -> list[dict[str, Any]]:
    items = ChecklistItem.objects.order_by("position", "id")
    checklists = (
        Checklist.objects.filter(pk__in=ids)
        .prefetch_related(Prefetch("items", queryset=items))
        .order_by("code", "version")
    )
    return [
        {
            "id": c.pk,
            "code": c.code,
            "version": c.version,
            "title": c.title,
            "kind": c.kind,
            "items": [
                {
                    "id": i.pk,
                    "number": i.number,
                    "title": i.title,
                    "method": i.method,
                    "legal_basis": i.legal_basis,
                    "severity": i.severity,
                }
                for i in c.items.all()
            ],
        }
        for c in checklists
    ]
