"""Campaigns (专项整治): a targeted action over an industry, area, theme or list of entities.

篇1: 清理整顿涉医广告行动, 五类重点广告专项整治行动 — each with its population, its tasks
(placed on the grid officers' calendars like patrols) and its statistics: entities checked,
violations found, notices issued, items confiscated. The statistics add up the results
recorded on completed tasks; they are never typed in as totals. A campaign given a risk share
is a targeted check (定向抽查, issue 12) over the highest-risk part of its population.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoneng.core.audit import attributed
from xiaoneng.core.calendar import WorkingCalendar
from xiaoneng.core.errors import Conflict, FieldError, InvalidInput
from xiaoneng.core.scoping import scoped
from xiaoneng.org import access
from xiaoneng.org.models import Officer, Unit
from xiaoneng.planning.campaigns.checks import (
    check_fields,
    check_filters,
    check_list,
    clean_usccs,
    read_risk_share,
)
from xiaoneng.planning.campaigns.risk_share import take_highest_risk, task_order
from xiaoneng.planning.patrol import assign, schedule
from xiaoneng.planning.patrol.models import Campaign, Plan, Task
from xiaoneng.planning.patrol.services import NEW_COLUMNS, find_unit, period_of
from xiaoneng.planning.patrol.tasks import merge_visits
from xiaoneng.planning.policy.services import PolicyTable
from xiaoneng.registry.models import Entity, EntityQuerySet
from xiaoneng.registry.queries import EntityFilter


@dataclass
class CampaignInput:
    """What a user gives to start a campaign (the form, the API and the demo fill it)."""

    title: str
    theme: str
    checkpoints: str
    start_on: dt.date | None
    end_on: dt.date | None
    description: str = ""
    partners: str = ""
    unit_code: str | None = None
    filters: Mapping[str, Any] | None = None
    usccs: Sequence[str] | None = None
    capacity: Any = None
    # 按风险抽取比例: a percentage (0–100]; given, only the highest-risk share is taken.
    risk_share: Any = None


def _population(data: CampaignInput, scope: EntityQuerySet) -> EntityQuerySet:
    if data.usccs is not None:
        return scope.filter(uscc__in=clean_usccs(data.usccs))
    return EntityFilter.from_params(dict(data.filters or {})).apply(scope)


def _checked(data: CampaignInput, scope: EntityQuerySet, today: dt.date) -> Decimal | None:
    """Every problem of ``data`` refused at once; the risk share, if one was given."""
    errors = check_fields(data, today)
    if (data.filters is None) == (data.usccs is None):
        errors.append(FieldError("population", _("请设定筛选条件或上传名单（二选一）")))
    elif data.usccs is not None:
        errors += check_list(clean_usccs(data.usccs), scope)
    else:
        errors += check_filters(data.filters or {})
    share, share_errors = read_risk_share(data.risk_share)
    errors += share_errors
    if errors:
        raise InvalidInput(f"{errors[0].field}: {errors[0].message}", errors=errors)
    return share


def _chosen_by(data: CampaignInput) -> dict[str, Any]:
    """How the population was chosen, as ``Campaign.population`` keeps it."""
    if data.usccs is not None:
        return {"usccs": clean_usccs(data.usccs)}
    return {"filters": {k: v for k, v in (data.filters or {}).items() if v not in (None, "")}}


def create_campaign(
    *, data: CampaignInput, actor: Officer | None, today: dt.date | None = None
) -> Campaign:
    """Start a campaign: check everything, then write it, its plan and its tasks at once.

    With a risk share it is a targeted check (定向抽查, issue 12): only the highest-risk share
    of the population is taken (``risk_share.take_highest_risk``).
    """
    if actor is not None:
        access.require(actor, access.MANAGE_CAMPAIGNS)
    today = today or timezone.localdate()
    scope = Entity.objects.operating()
    if actor is not None:
        scope = scoped(scope, actor)
    share = _checked(data, scope, today)
    assert data.start_on is not None and data.end_on is not None
    capacity = assign.check_capacity(
        assign.default_capacity() if data.capacity in (None, "") else data.capacity
    )
    unit = find_unit(data.unit_code) if data.unit_code else (getattr(actor, "unit", None))
    if unit is None:
        unit = find_unit(None)
    if actor is not None:
        access.require_unit(actor, unit.pk)
    if Campaign.objects.filter(title=data.title.strip(), start_on=data.start_on).exists():
        raise Conflict(
            _("已有同名专项整治：%(title)s（%(date)s 开始）")
            % {"title": data.title.strip(), "date": data.start_on}
        )
    calendar = WorkingCalendar.load()
    calendar.check(data.start_on)
    days = assign.working_days(calendar, max(data.start_on, today), data.end_on)
    population = _population(data, scope)
    register = schedule.load_register(population)
    if not len(register):
        raise InvalidInput.single("population", _("对象范围内没有在营市场主体"))
    chosen_by = _chosen_by(data)
    if share is not None:
        register, chosen_by["risk_share"] = take_highest_risk(
            register=register, share=share, population=population
        )
    with transaction.atomic(), attributed(actor):
        plan = Plan.objects.create(
            kind=Plan.Kind.JOINT if data.partners.strip() else Plan.Kind.CAMPAIGN,
            period=period_of(data.start_on),
            unit=unit,
            title=data.title.strip(),
            policy=PolicyTable.in_force(data.start_on).policy,
            capacity=capacity,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        campaign = Campaign.objects.create(
            title=data.title.strip(),
            theme=data.theme,
            description=data.description.strip(),
            checkpoints=data.checkpoints.strip(),
            partners=data.partners.strip(),
            unit=unit,
            start_on=data.start_on,
            end_on=data.end_on,
            population=chosen_by,
            plan=plan,
            created_by=plan.created_by,
        )
        periods = write_campaign_tasks(
            campaign=campaign, register=register, days=days, capacity=capacity, actor=actor
        )
        for period in sorted(periods):
            merge_visits(period=period)
    return campaign


def write_campaign_tasks(
    *,
    campaign: Campaign,
    register: schedule.Register,
    days: list[dt.date],
    capacity: int,
    actor: Officer | None,
) -> set[str]:
    """The campaign's tasks, higher risk first, on its officers' working days; their periods.

    Higher risk is the risk model's score first (issue 12), then the class and grade.
    """
    register = register.take(task_order(register))
    grids = assign.grid_table()
    officer = assign.officers_of(register.grid_id, grids)
    placement = assign.place(officer, register.grid_id, days, capacity)
    people = assign.officer_table(sorted({int(o) for o in officer.tolist() if o >= 0}))
    stations = dict(Unit.objects.values_list("pk", "name"))
    columns: dict[str, list[Any]] = {name: [] for name in NEW_COLUMNS}
    fallback = period_of(days[0]) if days else period_of(campaign.start_on)
    for i in range(len(register)):
        grid = int(register.grid_id[i])
        info = grids.get(grid)
        day = int(placement.day[i])
        scheduled = days[day] if day != assign.NO_DAY else None
        person = people.get(int(officer[i])) if scheduled else None
        station = info.station if info else stations.get(int(register.unit_id[i]), "")
        values = {
            "plan_id": campaign.plan_id,
            "entity_id": int(register.entity_id[i]),
            "unit_id": info.station_id if info else int(register.unit_id[i]),
            "period": period_of(scheduled) if scheduled else fallback,
            "grid_id": grid if grid >= 0 else None,
            "post": f"{person.post}（{info.code if info else ''} 网格责任人）" if person else "",
            "officer_id": int(officer[i]) if person else None,
            "description": f"专项整治：{campaign.title}",
            "standard": campaign.checkpoints,
            "responsibility": (
                f"网格责任人{person.name}对检查结果负责，{campaign.unit.name}督办"
                if person
                else f"{station}所长负责安排人员检查，{campaign.unit.name}督办"
            ),
            "due_on": campaign.end_on,
            "scheduled_on": scheduled,
            "status": Task.Status.PLANNED if scheduled else Task.Status.OVERFLOW,
            "overflow_reason": "" if scheduled else placement.reason[i],
        }
        for name in NEW_COLUMNS:
            columns[name].append(values[name])
    names = assign.entity_names(columns["entity_id"])
    assign.insert_tasks(
        columns=columns, names=[names[e] for e in columns["entity_id"]], actor=actor
    )
    return set(columns["period"])


# A campaign's phase by its dates: code, and the label shown.
PHASES = {
    "upcoming": gettext_lazy("未开始"),
    "running": gettext_lazy("进行中"),
    "ended": gettext_lazy("已结束"),
}


def phase(campaign: Campaign, today: dt.date | None = None) -> str:
    """upcoming / running / ended, by the campaign's dates."""
    today = today or timezone.localdate()
    if today < campaign.start_on:
        return "upcoming"
    if today > campaign.end_on:
        return "ended"
    return "running"


def status(campaign: Campaign, today: dt.date | None = None) -> str:
    """未开始 / 进行中 / 已结束, by the campaign's dates."""
    return str(PHASES[phase(campaign, today)])


@dataclass(frozen=True)
class Amount:
    """A quantity in its measure (500份): quantities are added up per measure, never across."""

    quantity: int
    measure: str

    def __str__(self) -> str:
        return f"{self.quantity}{self.measure}"


@dataclass
class Statistics:
    """A campaign's figures, added up from its tasks (篇1: 检查…家，发现…，发出…，收缴…)."""

    tasks: int = 0
    checked: int = 0
    violations: int = 0
    notices: int = 0
    confiscated: list[Amount] = field(default_factory=list)
    planned: int = 0
    late: int = 0
    overflow: int = 0
    cancelled: int = 0
    by_unit: list[dict[str, Any]] = field(default_factory=list)

    @property
    def progress(self) -> int:
        open_tasks = self.tasks - self.cancelled
        return round(100 * self.checked / open_tasks) if open_tasks else 0


def _figures(tasks: QuerySet[Task], today: dt.date) -> dict[str, Any]:
    done = Q(status=Task.Status.DONE)
    return tasks.aggregate(
        tasks=Count("id"),
        checked=Count("id", filter=done),
        violations=Count("id", filter=done & Q(violation_found=True)),
        notices=Sum("notices_issued", filter=done, default=0),
        planned=Count("id", filter=Q(status=Task.Status.PLANNED)),
        late=Count("id", filter=Q(status=Task.Status.PLANNED, scheduled_on__lt=today)),
        overflow=Count("id", filter=Q(status=Task.Status.OVERFLOW)),
        cancelled=Count("id", filter=Q(status=Task.Status.CANCELLED)),
    )


def statistics(campaign: Campaign, today: dt.date | None = None) -> Statistics:
    """The campaign's statistics, overall and by responsible unit."""
    today = today or timezone.localdate()
    tasks = Task.objects.filter(plan_id=campaign.plan_id)
    result = Statistics(**_figures(tasks, today))
    names = dict(Unit.objects.values_list("pk", "name"))
    done = Q(status=Task.Status.DONE)
    rows = (
        tasks.order_by("unit_id")
        .values("unit_id")
        .annotate(
            tasks=Count("id"),
            checked=Count("id", filter=done),
            violations=Count("id", filter=done & Q(violation_found=True)),
            notices=Sum("notices_issued", filter=done, default=0),
        )
    )
    by_unit = _confiscated(tasks)
    result.confiscated = _amounts(
        (measure, n) for amounts in by_unit.values() for measure, n in amounts.items()
    )
    result.by_unit = [
        {
            **row,
            "unit": names.get(row["unit_id"], ""),
            "confiscated": _amounts(by_unit.get(row["unit_id"], {}).items()),
        }
        for row in rows
    ]
    return result


def _confiscated(tasks: QuerySet[Task]) -> dict[int, dict[str, int]]:
    """The quantities confiscated on completed tasks, by unit and measure."""
    rows = (
        tasks.filter(status=Task.Status.DONE, items_confiscated_quantity__gt=0)
        .order_by()
        .values_list("unit_id", "items_confiscated_measure")
        .annotate(n=Sum("items_confiscated_quantity"))
    )
    found: dict[int, dict[str, int]] = {}
    for unit, measure, n in rows:
        found.setdefault(unit, {})[measure] = n
    return found


def _amounts(pairs: Iterable[tuple[str, int]]) -> list[Amount]:
    """``(measure, quantity)`` pairs added up per measure, the largest first."""
    totals: dict[str, int] = {}
    for measure, n in pairs:
        totals[measure] = totals.get(measure, 0) + n
    return [Amount(n, m) for m, n in sorted(totals.items(), key=lambda p: (-p[1], p[0]))]


def confiscations(campaign: Campaign) -> QuerySet[Task]:
    """The completed tasks that confiscated something, newest first."""
    return (
        Task.objects.filter(plan_id=campaign.plan_id, status=Task.Status.DONE)
        .exclude(items_confiscated="")
        .select_related("entity", "done_by")
        .order_by("-done_on", "-id")
    )
