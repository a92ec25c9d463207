"""Plans (计划执行): 巡查计划完成率, 按期完成率 and 应检尽检率.

The tasks counted are the patrol module's own (``planning.patrol.Task``): those whose deadline
(``Task.deadline``: the due date, else the last day of the task's month) falls in the period,
cancelled ones left out. A task is attributed to the officer it is assigned to (``officer``)
and to the station responsible for it (``unit`` and the units above it); an overflow task
(未排入) was never given to an officer, so it counts against the station only.

Completion is judged as at the period's end, so that a closed period's figure never changes:
a task done after the period's last day is not done in the period. 应检尽检率 counts entities
instead: those due in the period (``planning.patrol.schedule``'s rule) inspected in it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from django.db.models import Count, F, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoneng.core import arrays
from xiaoneng.inspections.records.models import Inspection
from xiaoneng.org.models import Grid, Unit
from xiaoneng.planning.patrol import schedule
from xiaoneng.planning.patrol.models import Task
from xiaoneng.registry.models import Entity, EntityQuerySet
from xiaoneng.reports.assessment.catalogue import (
    HIGHER,
    OFFICER,
    STATION,
    Indicator,
    Measure,
    RecordRow,
    percent,
    register,
)
from xiaoneng.reports.assessment.periods import Period

TASK_KIND = gettext_lazy("巡查任务")
ENTITY_KIND = gettext_lazy("应检主体")


def subjects_by_unit(subject_ids: Sequence[int]) -> dict[int, list[int]]:
    """Unit id → the stations among ``subject_ids`` whose subtree holds it (the tree is small:
    read whole, matched on the paths)."""
    wanted = set(subject_ids)
    found: dict[int, list[int]] = {}
    for pk, path in Unit.objects.order_by().values_list("id", "path"):
        above = [int(part) for part in path.strip("/").split("/") if part]
        if mine := [part for part in above if part in wanted]:
            found[pk] = mine
    return found


def months_of(period: Period) -> list[tuple[str, dt.date]]:
    """Each month of the period as a task's ``period`` ("2026-03") and its last day."""
    months: list[tuple[str, dt.date]] = []
    day = period.start
    while day <= period.end:
        following = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
        months.append((f"{day.year}-{day.month:02d}", following - dt.timedelta(days=1)))
        day = following
    return months


def _due_in(period: Period) -> Q:
    """Tasks whose deadline (``Task.deadline``) is in the period."""
    months = months_of(period)
    return Q(due_on__gte=period.start, due_on__lte=period.end) | Q(
        due_on__isnull=True, period__in=[key for key, _end in months]
    )


def _done_in(period: Period) -> Q:
    return Q(status=Task.Status.DONE, done_on__lte=period.end)


def _on_time(period: Period) -> Q:
    """Done on or before the deadline (a task without a due date: by its month's last day)."""
    by_month = Q(pk__in=[])
    for key, last in months_of(period):
        by_month |= Q(due_on__isnull=True, period=key, done_on__lte=last)
    return Q(status=Task.Status.DONE) & (
        Q(due_on__isnull=False, done_on__lte=F("due_on")) | by_month
    )


def counted_tasks(kind: str, period: Period) -> QuerySet[Task]:
    """The tasks the plan indicators count, of every subject of ``kind``."""
    tasks = Task.objects.filter(_due_in(period)).exclude(status=Task.Status.CANCELLED)
    if kind == OFFICER:
        tasks = tasks.exclude(status=Task.Status.OVERFLOW).filter(officer__isnull=False)
    return tasks


@dataclass
class Tally:
    planned: int = 0
    done: int = 0
    on_time: int = 0


def tally(kind: str, subject_ids: Sequence[int], period: Period) -> dict[int, Tally]:
    """Planned, done-in-period and done-on-time tasks of each subject: one GROUP BY."""
    found = {pk: Tally() for pk in subject_ids}
    tasks = counted_tasks(kind, period).order_by()
    if kind == OFFICER:
        owners = {pk: [pk] for pk in subject_ids}
        key, tasks = "officer_id", tasks.filter(officer_id__in=list(subject_ids))
    else:
        owners = subjects_by_unit(subject_ids)
        key, tasks = "unit_id", tasks.filter(unit_id__in=list(owners))
    grouped = tasks.values(key).annotate(
        planned=Count("id"),
        done=Count("id", filter=_done_in(period)),
        on_time=Count("id", filter=_on_time(period)),
    )
    for row in grouped:
        for subject in owners.get(row[key], []):
            figures = found[subject]
            figures.planned += row["planned"]
            figures.done += row["done"]
            figures.on_time += row["on_time"]
    return found


def _no_tasks() -> Measure:
    return Measure(value=None, numerator=0, denominator=0, detail=_("期间内无应完成的巡查任务"))


def _measures(
    kind: str, subject_ids: Sequence[int], period: Period, *, on_time: bool
) -> dict[int, Measure]:
    out: dict[int, Measure] = {}
    for pk, t in tally(kind, subject_ids, period).items():
        if not t.planned:
            out[pk] = _no_tasks()
            continue
        part = t.on_time if on_time else t.done
        if on_time:
            detail = _("巡查任务%(planned)d项，按期完成%(part)d项")
        else:
            detail = _("巡查任务%(planned)d项，期末前完成%(part)d项")
        values = {"planned": t.planned, "part": part}
        out[pk] = Measure(percent(part, t.planned), part, t.planned, detail % values)
    return out


def measure_completion(kind: str, subject_ids: Sequence[int], period: Period) -> dict[int, Measure]:
    return _measures(kind, subject_ids, period, on_time=False)


def measure_on_time(kind: str, subject_ids: Sequence[int], period: Period) -> dict[int, Measure]:
    return _measures(kind, subject_ids, period, on_time=True)


def _subject_tasks(kind: str, subject_id: int, period: Period) -> list[Task]:
    tasks = counted_tasks(kind, period).select_related("entity")
    if kind == OFFICER:
        tasks = tasks.filter(officer_id=subject_id)
    else:
        unit = Unit.objects.filter(pk=subject_id).first()
        if unit is None:
            return []
        tasks = tasks.filter(Unit.objects.subtree_q(unit, "unit"))
    return sorted(tasks, key=lambda t: (t.deadline, t.pk), reverse=True)


def _state(task: Task, period: Period) -> str:
    if task.status == Task.Status.OVERFLOW:
        return _("未排入（%(reason)s）") % {"reason": task.get_overflow_reason_display()}
    if task.status != Task.Status.DONE or task.done_on is None:
        return _("未完成")
    late = (task.done_on - task.deadline).days
    if task.done_on > period.end:
        return _("期末后完成（%(day)s）") % {"day": task.done_on.isoformat()}
    if late > 0:
        return _("已完成（逾期%(days)d天）") % {"days": late}
    return _("已完成（%(day)s）") % {"day": task.done_on.isoformat()}


def _rows(kind: str, subject_id: int, period: Period, on_time: bool) -> list[RecordRow]:
    rows = []
    for task in _subject_tasks(kind, subject_id, period):
        done = task.status == Task.Status.DONE and task.done_on is not None
        last = task.deadline if on_time else period.end
        counts = done and task.done_on <= last  # type: ignore[operator]
        rows.append(
            RecordRow(
                day=task.deadline,
                kind=str(TASK_KIND),
                title=task.entity.name,
                state=_state(task, period),
                url=reverse("planning:task_detail", args=[task.pk]),
                counts="numerator" if counts else "denominator",
            )
        )
    return rows


def records_completion(kind: str, subject_id: int, period: Period) -> list[RecordRow]:
    return _rows(kind, subject_id, period, on_time=False)


def records_on_time(kind: str, subject_id: int, period: Period) -> list[RecordRow]:
    return _rows(kind, subject_id, period, on_time=True)


PLAN_COMPLETION = register(
    Indicator(
        code="plan_completion",
        label=gettext_lazy("巡查计划完成率"),
        unit="%",
        direction=HIGHER,
        subjects=(OFFICER, STATION),
        target=Decimal(100),
        floor=Decimal(60),
        definition=gettext_lazy(
            "应查日期在考核期内的巡查任务（不含已取消）中，至期末已完成的比例；"
            "未排入的任务计入所站、不计入个人。"
        ),
        measure=measure_completion,
        records=records_completion,
    )
)

ON_TIME = register(
    Indicator(
        code="on_time",
        label=gettext_lazy("按期完成率"),
        unit="%",
        direction=HIGHER,
        subjects=(OFFICER, STATION),
        target=Decimal(95),
        floor=Decimal(30),
        definition=gettext_lazy(
            "应查日期在考核期内的巡查任务（不含已取消）中，在应查日期当日或之前完成的比例；"
            "逾期完成和未完成的均不计为按期。"
        ),
        measure=measure_on_time,
        records=records_on_time,
    )
)


@dataclass
class Coverage:
    """The entities due in a period, in parallel arrays: id, unit, the grid's responsible
    officer (-1: none), due day number, and whether they were inspected in the period."""

    entity_id: np.ndarray
    unit_id: np.ndarray
    officer_id: np.ndarray
    due: np.ndarray
    inspected: np.ndarray


def _visit_days(model: type[Inspection] | type[Task], field: str, status: str) -> np.ndarray:
    """(entity id, day number) of every row of ``model`` in ``status``: the table read whole
    and filtered here (an index walk fetching each row by id is several times slower)."""
    table = model._meta.db_table
    day = arrays.days_sql(f'"{table}"."{field}"')
    rows = (
        model._default_manager.order_by()
        .annotate(
            _day=RawSQL(f"COALESCE({day}, {schedule.NO_DAY_SQL})", ()),
            _counted=RawSQL(f'CASE WHEN "{table}"."status" = %s THEN 1 ELSE 0 END', (status,)),
        )
        .values_list("entity_id", "_day", "_counted")
    )
    matrix = arrays.int_rows(rows, 3)
    return matrix[(matrix[:, 2] == 1) & (matrix[:, 1] != schedule.NO_DAY_SQL), :2]


def coverage(period: Period, entities: EntityQuerySet) -> Coverage:
    """Which of ``entities`` were due in the period and which of those were inspected.

    "Due" is ``schedule.due_in_period``'s rule (operating entities whose due date, from their
    last inspection or entry + the policy's interval in force on the first day, is on or before
    the last day), read as on the period's first day: ``due_in_period`` itself counts the last
    inspection as of today, so an entity inspected in a past period would no longer be due in
    it. The last inspection before the first day is the register's if earlier, else the latest
    signed record or done task before it. "Inspected": a signed record or done task in the period.
    """
    register = schedule.load_register(entities.operating())
    first, end = schedule.day_number(period.start), schedule.day_number(period.end)
    last = np.where(register.inspected < first, register.inspected, schedule.NEVER)
    seen = []
    for pairs in (
        _visit_days(Inspection, "visited_on", Inspection.Status.SIGNED),
        _visit_days(Task, "done_on", Task.Status.DONE),
    ):
        seen.append(pairs[(pairs[:, 1] >= first) & (pairs[:, 1] <= end), 0])
        before = pairs[pairs[:, 1] < first]
        if len(before) and len(register):
            at = np.minimum(np.searchsorted(register.entity_id, before[:, 0]), len(register) - 1)
            known = register.entity_id[at] == before[:, 0]
            np.maximum.at(last, at[known], before[known, 1])
    dates = schedule.compute_due_dates(register, last, on=period.start)
    due = np.flatnonzero(dates.due <= end)
    officers = dict(Grid.objects.values_list("id", "officer_id"))
    grids = register.grid_id[due].tolist()
    return Coverage(
        entity_id=register.entity_id[due],
        unit_id=register.unit_id[due],
        officer_id=np.array([officers.get(g) or -1 for g in grids], dtype=np.int64),
        due=dates.due[due],
        inspected=np.isin(register.entity_id[due], np.concatenate(seen)),
    )


def _covered_entities(kind: str, subject_ids: Sequence[int]) -> EntityQuerySet:
    if kind == OFFICER:
        return Entity.objects.filter(grid__officer_id__in=list(subject_ids))
    return Entity.objects.filter(unit_id__in=list(subjects_by_unit(subject_ids)))


def measure_coverage(kind: str, subject_ids: Sequence[int], period: Period) -> dict[int, Measure]:
    found = coverage(period, _covered_entities(kind, subject_ids))
    counts = {pk: [0, 0] for pk in subject_ids}
    if kind == OFFICER:
        owners = {pk: [pk] for pk in subject_ids}
        keys = found.officer_id
    else:
        owners = subjects_by_unit(subject_ids)
        keys = found.unit_id
    known, inverse = np.unique(keys, return_inverse=True)
    due = np.bincount(inverse.ravel(), minlength=len(known))
    done = np.bincount(inverse.ravel(), weights=found.inspected, minlength=len(known))
    for key, n, m in zip(known.tolist(), due.tolist(), done.tolist(), strict=True):
        for subject in owners.get(key, []):
            counts[subject][0] += n
            counts[subject][1] += int(m)
    out: dict[int, Measure] = {}
    for pk, (n, m) in counts.items():
        if not n:
            out[pk] = Measure(None, 0, 0, _("期间内无应检主体"))
            continue
        detail = _("应检主体%(due)d户，期内已检查%(done)d户") % {"due": n, "done": m}
        out[pk] = Measure(percent(m, n), m, n, detail)
    return out


def records_coverage(kind: str, subject_id: int, period: Period) -> list[RecordRow]:
    if kind == OFFICER:
        entities = Entity.objects.filter(grid__officer_id=subject_id)
    else:
        unit = Unit.objects.filter(pk=subject_id).first()
        if unit is None:
            return []
        entities = Entity.objects.filter(Unit.objects.subtree_q(unit, "unit"))
    found = coverage(period, entities)
    names = Entity.objects.in_bulk(found.entity_id.tolist())
    listed = sorted(
        zip(found.due.tolist(), found.entity_id.tolist(), found.inspected.tolist(), strict=True),
        reverse=True,
    )
    return [
        RecordRow(
            day=schedule.to_date(day),
            kind=str(ENTITY_KIND),
            title=names[pk].name,
            state=_("期内已检查") if seen else _("期内未检查"),
            url=reverse("registry:entity_detail", args=[names[pk].uscc]),
            counts="numerator" if seen else "denominator",
        )
        for day, pk, seen in listed
    ]


DUE_COVERAGE = register(
    Indicator(
        code="due_coverage",
        label=gettext_lazy("应检尽检率"),
        unit="%",
        direction=HIGHER,
        subjects=(OFFICER, STATION),
        target=Decimal(100),
        floor=Decimal(50),
        definition=gettext_lazy(
            "按监管政策的巡查间隔（按期初时的最近检查日计算）在考核期内到期应检的在营主体中，"
            "期内有已签名检查记录或已完成巡查任务的比例；个人按其负责网格内的主体计。"
        ),
        measure=measure_coverage,
        records=records_coverage,
    )
)
