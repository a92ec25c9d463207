"""Patrol plans (巡查计划): every entity due by the end of a period, assigned by the 六定.

篇2: 定片区、定岗位、定人员、定任务、定标准、定责任; 篇5: patrols planned by distribution,
violation frequency and credit. ``generate_patrol_plan`` is the one rule the CLI
(``xiaoneng plan patrol``), the page and the API call.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core.audit import attributed
from xiaoneng.core.calendar import WorkingCalendar
from xiaoneng.core.errors import InvalidInput
from xiaoneng.org import access
from xiaoneng.org.models import Officer, Unit
from xiaoneng.planning.models import Distance
from xiaoneng.planning.patrol import assign, schedule
from xiaoneng.planning.patrol.models import Plan, Task
from xiaoneng.planning.patrol.risk_order import risk_order
from xiaoneng.planning.patrol.tasks import merge_visits, transition, visits_saved
from xiaoneng.planning.policy.services import CLASSES, GRADES, PolicyTable

PERIOD = re.compile(r"^(\d{4})-(\d{2})$")
CLASS_NAMES = {"I": "Ⅰ类", "II": "Ⅱ类", "III": "Ⅲ类"}
# 定标准 until checklists exist (issue 4): what a patrol of each class checks (篇2, 篇7).
STANDARDS = {
    "I": "Ⅰ类重点监控：许可证在有效期内、从业人员健康证明、进货查验记录、经营场所卫生与安全条件",
    "II": "Ⅱ类重点监控：前置审批许可证有效、按许可范围经营、亮照经营、登记事项与实际一致",
    "III": "Ⅲ类一般监控：亮照经营、登记事项与实际一致、年度报告公示、无超范围经营",
}


@dataclass(frozen=True)
class Period:
    """A plan's month: ``text`` (YYYY-MM), its first and last day."""

    text: str
    first: dt.date
    last: dt.date


def parse_period(value: Any) -> Period:
    """``YYYY-MM`` as a Period, else an error naming the value."""
    text = str(value or "").strip()
    match = PERIOD.match(text)
    if match is None:
        raise InvalidInput.single(
            "period", _("期间应为 YYYY-MM 格式的年月（如 2026-12）：%(value)s") % {"value": text}
        )
    year, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12 or year < 2000:
        raise InvalidInput.single(
            "period", _("期间的年份或月份超出范围：%(value)s") % {"value": text}
        )
    first = dt.date(year, month, 1)
    last = (first + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1)
    return Period(text, first, last)


def period_of(day: dt.date) -> str:
    return f"{day:%Y-%m}"


def find_unit(code: str | None) -> Unit:
    """The unit with ``code``; without a code, the one root of the organisation."""
    if code:
        unit = Unit.objects.filter(code=code.strip()).first()
        if unit is None:
            raise InvalidInput.single("unit", _("未知的单位代码：%(code)s") % {"code": code})
        return unit
    roots = list(Unit.objects.filter(parent__isnull=True)[:2])
    if len(roots) != 1:
        raise InvalidInput.single("unit", _("请指定单位代码"))
    return roots[0]


@dataclass
class OfficerLoad:
    """One officer's share of a run: tasks added and their busiest day afterwards."""

    officer_id: int
    name: str
    tasks: int
    busiest_day: int


@dataclass
class PlanReport:
    """What a run of ``generate_patrol_plan`` did (or, dry, would do)."""

    period: str
    unit_code: str
    unit_name: str
    policy_version: int
    capacity: int
    working_days: int
    due: int = 0
    created: int = 0
    placed_again: int = 0
    kept: int = 0
    elsewhere: int = 0
    overflow: dict[str, int] = field(default_factory=dict)
    officers: list[OfficerLoad] = field(default_factory=list)
    visits_saved: int = 0
    plan_id: int | None = None
    dry_run: bool = False

    @property
    def overflow_total(self) -> int:
        return sum(self.overflow.values())

    def overflow_labelled(self) -> list[tuple[str, str, int]]:
        return [(code, str(Task.Overflow(code).label), n) for code, n in self.overflow.items()]


def generate_patrol_plan(
    *,
    period: Any,
    unit_code: str | None = None,
    capacity: Any = None,
    actor: Officer | None = None,
    dry_run: bool = False,
    today: dt.date | None = None,
) -> PlanReport:
    """Create (or complete) the patrol plan of ``period`` for a unit's subtree.

    Every entity due in the period (``schedule.due_in_period``) gets a task for its grid's
    officer on a working day from today on, most overdue first, within the officer's daily
    capacity; what does not fit is kept as overflow with its reason. Re-running changes
    nothing already planned or done; overflow that now fits is placed. Nothing is written on
    bad input or a dry run. ``actor`` None is the operator at the command line (no role
    limits).
    """
    span = parse_period(period)
    capacity = assign.check_capacity(assign.default_capacity() if capacity is None else capacity)
    unit = find_unit(unit_code)
    if actor is not None:
        access.require(actor, access.PLAN_PATROL)
        access.require_unit(actor, unit.pk)
    today = today or timezone.localdate()
    if span.last < today:
        raise InvalidInput.single(
            "period", _("期间 %(period)s 已经结束，不能再制定计划") % {"period": span.text}
        )
    calendar = WorkingCalendar.load()
    calendar.check(span.first)
    days = assign.working_days(calendar, max(span.first, today), span.last)
    table = PolicyTable.in_force(span.first)
    plan = Plan.objects.filter(kind=Plan.Kind.PATROL, period=span.text, unit=unit).first()
    proposal = _Proposal(span, unit, table, plan, days, capacity)
    report = proposal.report(dry_run=dry_run)
    if dry_run:
        return report
    with transaction.atomic(), attributed(actor):
        plan = plan or Plan.objects.create(
            kind=Plan.Kind.PATROL,
            period=span.text,
            unit=unit,
            title=f"{unit.name} {span.text} 日常巡查计划",
            policy=table.policy,
            capacity=capacity,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        proposal.write(plan, actor)
        merge_visits(period=span.text)
        report.plan_id = plan.pk
        report.visits_saved = visits_saved(plan.tasks.all())
    return report


class _Proposal:
    """The run worked out on arrays: who is due, what is kept, where each new task goes."""

    def __init__(
        self,
        span: Period,
        unit: Unit,
        table: PolicyTable,
        plan: Plan | None,
        days: list[dt.date],
        capacity: int,
    ) -> None:
        self.span, self.unit, self.table, self.plan = span, unit, table, plan
        self.days, self.capacity = days, capacity
        found = schedule.due_in_period(unit=unit, start=span.first, end=span.last, table=table)
        self.dates, due = found.dates, found.positions
        register = self.dates.register
        self.due_count = len(found)
        # This period's patrol tasks, and open patrol tasks of other periods: an entity whose
        # visit is still to be made is not planned twice.
        existing = list(
            Task.objects.filter(plan__kind=Plan.Kind.PATROL)
            .filter(Q(period=span.text) | Q(status=Task.Status.PLANNED))
            .values_list("entity_id", "plan_id", "status", "id")
        )
        mine = plan.pk if plan else None
        self.retry = {e: pk for e, p, s, pk in existing if p == mine and s == Task.Status.OVERFLOW}
        self.kept = sum(1 for _e, p, s, _pk in existing if p == mine and s != Task.Status.OVERFLOW)
        elsewhere = {e for e, p, _s, _pk in existing if p != mine}
        taken = np.array(
            [e for e, p, s, _pk in existing if p != mine or s != Task.Status.OVERFLOW],
            dtype=np.int64,
        )
        self.elsewhere = int(np.isin(register.entity_id[due], list(elsewhere)).sum())
        positions = due[~np.isin(register.entity_id[due], taken)]
        order = risk_order(
            register.entity_id[positions],
            self.dates.due[positions],
            schedule.day_number(span.first),
        )
        self.positions = positions[order]
        self.grids = assign.grid_table()
        grid = register.grid_id[self.positions]
        self.officer = assign.officers_of(grid, self.grids)
        self.placement = assign.place(self.officer, grid, days, capacity)
        officer_ids = sorted({int(o) for o in self.officer.tolist() if o >= 0})
        self.officers = assign.officer_table(officer_ids)

    def report(self, *, dry_run: bool) -> PlanReport:
        placed = self.placement.day != assign.NO_DAY
        entity = self.dates.register.entity_id[self.positions]
        retried = np.isin(entity, list(self.retry))
        counts = Counter(int(o) for o in self.officer[placed].tolist())
        return PlanReport(
            period=self.span.text,
            unit_code=self.unit.code,
            unit_name=self.unit.name,
            policy_version=self.table.policy.version,
            capacity=self.capacity,
            working_days=len(self.days),
            due=self.due_count,
            created=int((placed & ~retried).sum()),
            placed_again=int((placed & retried).sum()),
            kept=self.kept,
            elsewhere=self.elsewhere,
            overflow=dict(Counter(r for r in self.placement.reason if r)),
            officers=[
                OfficerLoad(
                    pk,
                    self.officers[pk].name,
                    n,
                    int(self.placement.loads[pk].max()) if self.days else 0,
                )
                for pk, n in sorted(counts.items(), key=lambda item: -item[1])
            ],
            plan_id=self.plan.pk if self.plan else None,
            dry_run=dry_run,
        )

    def write(self, plan: Plan, actor: Officer | None) -> None:
        register, dates = self.dates.register, self.dates
        rows = _TaskText(self.table, self.grids, self.officers)
        new: dict[str, list[Any]] = {name: [] for name in NEW_COLUMNS}
        entity_ids = register.entity_id[self.positions].tolist()
        names = assign.entity_names([e for e in entity_ids if e not in self.retry])
        updates = []
        for i, p in enumerate(self.positions.tolist()):
            day = int(self.placement.day[i])
            values = rows.values(
                grid=int(register.grid_id[p]),
                officer=int(self.officer[i]),
                risk_class=CLASSES[register.class_index[p]],
                grade=GRADES[register.grade_index[p]],
                interval=int(dates.interval[p]),
                due=schedule.to_date(dates.due[p]),
                last=None if dates.last[p] == schedule.NEVER else schedule.to_date(dates.last[p]),
                scheduled=self.days[day] if day != assign.NO_DAY else None,
                reason=self.placement.reason[i],
                station_id=int(register.unit_id[p]),
            )
            if entity_ids[i] in self.retry:
                updates.append((self.retry[entity_ids[i]], values))
                continue
            values.update(plan_id=plan.pk, entity_id=entity_ids[i], period=self.span.text)
            for name in NEW_COLUMNS:
                new[name].append(values[name])
        assign.insert_tasks(columns=new, names=[names[e] for e in new["entity_id"]], actor=actor)
        _update_overflow(updates)


NEW_COLUMNS = (
    "plan_id",
    "entity_id",
    "unit_id",
    "period",
    "grid_id",
    "post",
    "officer_id",
    "description",
    "standard",
    "responsibility",
    "due_on",
    "scheduled_on",
    "status",
    "overflow_reason",
)


class _TaskText:
    """The 六定 of a patrol task, as column values."""

    def __init__(
        self,
        table: PolicyTable,
        grids: dict[int, assign.GridInfo],
        officers: dict[int, assign.OfficerInfo],
    ) -> None:
        self.table, self.grids, self.officers = table, grids, officers
        self.distance = {d.value: str(d.label) for d in Distance}
        self.stations = dict(Unit.objects.values_list("pk", "name"))

    def values(
        self,
        *,
        grid: int,
        officer: int,
        risk_class: str,
        grade: str,
        interval: int,
        due: dt.date,
        last: dt.date | None,
        scheduled: dt.date | None,
        reason: str,
        station_id: int,
    ) -> dict[str, Any]:
        distance = self.distance[self.table.treatment(risk_class, grade).distance]
        history = f"上次检查 {last:%Y-%m-%d}" if last else "入册以来未检查"
        info = self.grids.get(grid)
        person = self.officers.get(officer)
        station = info.station if info else self.stations.get(station_id, "")
        if person:
            post = f"{person.post}（{info.code if info else ''} 网格责任人）"
            duty = f"网格责任人{person.name}对本网格巡查结果负责，{station}所长抽查"
        else:
            post = ""
            duty = f"{station}所长负责安排人员检查"
        return {
            "unit_id": info.station_id if info else station_id,
            "grid_id": grid if grid >= 0 else None,
            "officer_id": officer if scheduled else None,
            "post": post if scheduled else "",
            "description": f"日常巡查：{CLASS_NAMES[risk_class]}·{grade}级，{distance}监管，"
            f"每 {interval} 天一次；应查日 {due:%Y-%m-%d}，{history}",
            "standard": STANDARDS[risk_class],
            "responsibility": duty,
            "due_on": due,
            "scheduled_on": scheduled,
            "status": Task.Status.PLANNED if scheduled else Task.Status.OVERFLOW,
            "overflow_reason": "" if scheduled else reason,
        }


def _update_overflow(updates: list[tuple[int, dict[str, Any]]]) -> None:
    """Overflow of an earlier run: placed now (→ planned), or its reason brought up to date."""
    if not updates:
        return
    tasks = Task.objects.in_bulk([pk for pk, _values in updates])
    for pk, values in updates:
        task = tasks[pk]
        fields = ("officer_id", "post", "scheduled_on", "overflow_reason", "responsibility")
        if all(getattr(task, name) == values[name] for name in fields):
            continue
        if values["status"] == Task.Status.PLANNED:
            transition(task, Task.Status.PLANNED)
        for name in fields:
            setattr(task, name, values[name])
        task.save()
