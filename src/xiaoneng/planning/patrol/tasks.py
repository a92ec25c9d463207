"""Tasks: their status table, recording a visit's result, and joint visits (进一次门、查多项事).

A task moves only along ``TASK_TRANSITIONS``; each move is a service here and is traced.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoneng.core.audit import attributed
from xiaoneng.core.errors import FieldError, InvalidInput, NotPermitted
from xiaoneng.core.scoping import in_scope
from xiaoneng.core.states import Transitions
from xiaoneng.org import access
from xiaoneng.org.models import Officer, Role
from xiaoneng.planning.patrol.models import MEASURE_LENGTH, Plan, Task, Visit

S = Task.Status
# Which status may follow which; done and cancelled are final (a correction is a new task).
TASK_TRANSITIONS = Transitions(
    {
        S.PLANNED: {S.DONE, S.CANCELLED},
        S.OVERFLOW: {S.PLANNED, S.DONE, S.CANCELLED},
        S.DONE: set(),
        S.CANCELLED: set(),
    },
    subject=gettext_lazy("任务"),
)
# Overflow a joint visit can absorb: the door is opened anyway (篇5: 联合执法、统一行动).
ABSORBABLE = (Task.Overflow.CAPACITY, Task.Overflow.NO_WORKING_DAY)
MAX_NOTICES = 99


def check_transition(task: Task, to: str) -> None:
    """Refuse unless the table allows ``task`` to move to status ``to``."""
    TASK_TRANSITIONS.check(task, to)


def transition(task: Task, to: str) -> None:
    """Move ``task`` to status ``to`` if the table allows it (the caller saves)."""
    TASK_TRANSITIONS.move(task, to)


def period_start(period: str) -> dt.date:
    return dt.date(int(period[:4]), int(period[5:7]), 1)


def not_open_yet(task: Task, today: dt.date | None = None) -> str | None:
    """Why ``task`` cannot be visited yet: its plan's period has not begun (None: it can).

    ``complete_task`` refuses a visit dated before the period, so neither a result nor an
    inspection record of such a visit could be kept.
    """
    first = period_start(task.plan.period)
    if first <= (today or timezone.localdate()):
        return None
    return _("该任务属于 %(period)s 期间，%(first)s 起才能检查") % {
        "period": task.plan.period,
        "first": first.isoformat(),
    }


def may_record(officer: Officer | AnonymousUser, task: Task) -> bool:
    """The task's officer, a member of its joint visit's team, or the director of its unit
    (asked by the task page's panels for whoever it is rendered for)."""
    if isinstance(officer, AnonymousUser) or not getattr(officer, "is_authenticated", False):
        return False
    if task.officer_id == officer.pk:
        return True
    if (
        task.visit_id
        and Task.objects.filter(visit_id=task.visit_id, officer_id=officer.pk).exists()
    ):
        return True
    return officer.has_role(Role.STATION_DIRECTOR) and in_scope(officer, task.unit_id)


# A later domain that keeps its own record of a task's visit (inspections: the inspection
# record) registers a check here from its AppConfig.ready(), so that planning can tell
# whether a task has such a record without naming that domain (ADR 0012).
_RECORD_KEEPERS: list[Callable[[Task], bool]] = []


def register_record_keeper(has_record: Callable[[Task], bool]) -> None:
    """Register ``has_record(task)``: whether a later domain keeps a record of the visit."""
    if has_record not in _RECORD_KEEPERS:
        _RECORD_KEEPERS.append(has_record)


def has_visit_record(task: Task) -> bool:
    """Whether a later domain keeps a record of ``task``'s visit (an inspection record).

    The task page then offers no plain result form: the visit is recorded there instead.
    """
    return any(has_record(task) for has_record in _RECORD_KEEPERS)


@dataclass(frozen=True)
class Result:
    """What a visit found, as checked before it is recorded."""

    note: str
    violation_found: bool = False
    notices_issued: int = 0
    items_confiscated: str = ""
    items_confiscated_quantity: int = 0
    items_confiscated_measure: str = ""


def _check_result(task: Task, done_on: dt.date | None, result: Result) -> list[FieldError]:
    errors = []
    today = timezone.localdate()
    if done_on is None:
        errors.append(FieldError("done_on", _("请填写检查日期（YYYY-MM-DD）")))
    elif done_on > today:
        errors.append(
            FieldError("done_on", _("检查日期不能晚于今天：%(date)s") % {"date": done_on})
        )
    elif done_on < period_start(task.plan.period):
        errors.append(
            FieldError(
                "done_on",
                _("检查日期不能早于计划期间 %(period)s：%(date)s")
                % {"period": task.plan.period, "date": done_on},
            )
        )
    if not result.note.strip():
        errors.append(FieldError("note", _("请填写检查情况")))
    if not 0 <= result.notices_issued <= MAX_NOTICES:
        errors.append(
            FieldError(
                "notices_issued",
                _("通知书份数应在 0 至 %(max)d 之间：%(value)s")
                % {"max": MAX_NOTICES, "value": result.notices_issued},
            )
        )
    elif result.notices_issued and not result.violation_found:
        errors.append(FieldError("notices_issued", _("发出通知书时应勾选“发现违法行为”")))
    if result.items_confiscated_quantity < 0:
        errors.append(
            FieldError(
                "items_confiscated_quantity",
                _("收缴数量不能为负数：%(value)s") % {"value": result.items_confiscated_quantity},
            )
        )
    elif result.items_confiscated_quantity and not result.items_confiscated.strip():
        errors.append(FieldError("items_confiscated", _("请填写收缴物品名称")))
    measure = result.items_confiscated_measure.strip()
    if len(measure) > MEASURE_LENGTH:
        errors.append(
            FieldError(
                "items_confiscated_measure",
                _("计量单位不能超过 %(max)d 个字") % {"max": MEASURE_LENGTH},
            )
        )
    elif result.items_confiscated_quantity > 0 and not measure:
        # 500 of what: 份 and 千克 are never added up, so the count needs its measure.
        errors.append(
            FieldError(
                "items_confiscated_measure", _("请填写收缴数量的计量单位（如：件、份、千克）")
            )
        )
    return errors


def complete_task(
    *,
    task: Task,
    officer: Officer,
    done_on: dt.date | None,
    note: str,
    violation_found: bool = False,
    notices_issued: int = 0,
    items_confiscated: str = "",
    items_confiscated_quantity: int = 0,
    items_confiscated_measure: str = "",
) -> Task:
    """Record the visit of ``task``: it becomes the entity's last inspection.

    The findings (violation, notices, items confiscated) are what campaign statistics add up.
    """
    result = Result(
        note,
        violation_found,
        notices_issued,
        items_confiscated,
        items_confiscated_quantity,
        items_confiscated_measure,
    )
    if not may_record(officer, task):
        raise NotPermitted(_("只有任务责任人、联合检查组成员或本单位所长可以登记检查结果。"))
    check_transition(task, S.DONE)
    errors = _check_result(task, done_on, result)
    if errors:
        raise InvalidInput(f"{errors[0].field}: {errors[0].message}", errors=errors)
    with transaction.atomic(), attributed(officer):
        transition(task, S.DONE)
        task.done_on = done_on
        task.done_by = officer
        task.overflow_reason = ""
        task.note = result.note.strip()
        task.violation_found = result.violation_found
        task.notices_issued = result.notices_issued
        task.items_confiscated = result.items_confiscated.strip()
        task.items_confiscated_quantity = result.items_confiscated_quantity
        task.items_confiscated_measure = (
            result.items_confiscated_measure.strip() if result.items_confiscated_quantity else ""
        )
        task.save()
    return task


def count_notice(*, task: Task) -> Task:
    """One more notice (通知书) issued on the visit of ``task`` — a rectification order made
    from its inspection record — so that campaign statistics count it with the violation."""
    if task.notices_issued < MAX_NOTICES:
        task.notices_issued += 1
    task.violation_found = True
    task.save(update_fields=["notices_issued", "violation_found"])
    return task


def cancel_task(*, task: Task, actor: Officer, reason: str) -> Task:
    """Cancel a task that is not done (the entity closed, a duplicate…), with a reason."""
    if not (access.can(actor, access.PLAN_PATROL) or access.can(actor, access.MANAGE_CAMPAIGNS)):
        raise NotPermitted(_("您的角色无权执行此操作。"))
    access.require_unit(actor, task.unit_id)
    if not reason.strip():
        raise InvalidInput.single("reason", _("请填写取消理由"))
    check_transition(task, S.CANCELLED)
    with transaction.atomic(), attributed(actor):
        transition(task, S.CANCELLED)
        task.note = reason.strip()
        task.save()
    return task


# Joint visits ------------------------------------------------------------------------------


def merge_visits(*, period: str) -> list[Visit]:
    """Merge the open tasks of several plans on one entity in ``period`` into one visit each.

    The visit takes the date and officer of the entity's patrol task (its grid officer), or
    else of its earliest planned task; the other tasks move to that date, and overflow that
    rides along becomes planned. Idempotent: a merged entity keeps its visit.
    """
    # A re-inspection waits for its rectification deadline: it never rides an earlier visit.
    open_tasks = (
        Task.objects.filter(period=period)
        .filter(Q(status=S.PLANNED) | Q(status=S.OVERFLOW, overflow_reason__in=ABSORBABLE))
        .exclude(plan__kind=Plan.Kind.REINSPECTION)
    )
    groups = (
        open_tasks.order_by()
        .values("entity_id")
        .annotate(
            plans=Count("plan_id", distinct=True),
            planned=Count("id", filter=Q(status=S.PLANNED)),
        )
        .filter(plans__gte=2, planned__gte=1)
        .values_list("entity_id", flat=True)
    )
    entity_ids = list(groups)
    if not entity_ids:
        return []
    by_entity: dict[int, list[Task]] = defaultdict(list)
    for task in open_tasks.filter(entity_id__in=entity_ids).select_related("plan", "officer"):
        by_entity[task.entity_id].append(task)
    existing = {
        v.entity_id: v for v in Visit.objects.filter(period=period, entity_id__in=entity_ids)
    }
    visits = []
    for entity_id in entity_ids:
        visits.append(_merge(period, by_entity[entity_id], existing.get(entity_id)))
    return visits


def _leader_task(tasks: list[Task]) -> Task:
    planned = [t for t in tasks if t.status == S.PLANNED]
    patrol = [t for t in planned if t.plan.kind == Plan.Kind.PATROL]
    return min(patrol or planned, key=lambda t: (t.scheduled_on or dt.date.max, t.pk))


def _merge(period: str, tasks: list[Task], visit: Visit | None) -> Visit:
    lead = _leader_task(tasks)
    if visit is None:
        assert lead.scheduled_on is not None
        visit = Visit.objects.create(
            entity_id=lead.entity_id,
            period=period,
            unit_id=lead.unit_id,
            scheduled_on=lead.scheduled_on,
            leader=lead.officer,
        )
    for task in tasks:
        changed = task.visit_id != visit.pk or task.scheduled_on != visit.scheduled_on
        if task.status == S.OVERFLOW:
            transition(task, S.PLANNED)
            task.officer, task.overflow_reason = visit.leader, ""
            changed = True
        if changed:
            task.visit, task.scheduled_on = visit, visit.scheduled_on
            task.save()
    return visit


def visits_saved(tasks: QuerySet[Task]) -> int:
    """Doors not opened twice: tasks carried by the joint visits of ``tasks``, less the visits."""
    visit_ids = list(
        tasks.filter(visit__isnull=False).values_list("visit_id", flat=True).distinct()
    )
    if not visit_ids:
        return 0
    carried = Task.objects.filter(visit_id__in=visit_ids).exclude(status=S.CANCELLED).count()
    return carried - len(visit_ids)


def team(visit: Visit) -> list[Officer]:
    """The visit's team: the officers of its tasks, the leader first."""
    officers: dict[int, Officer] = {
        t.officer.pk: t.officer for t in visit.tasks.select_related("officer") if t.officer
    }
    return sorted(officers.values(), key=lambda o: (o.pk != visit.leader_id, o.pk))
