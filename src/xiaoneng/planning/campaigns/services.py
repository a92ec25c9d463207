"""Campaigns (专项整治): a targeted action over an industry, area, theme or list of entities.

篇1: 清理整顿涉医广告行动, 五类重点广告专项整治行动 — each with its population, its tasks
(placed on the grid officers' calendars like patrols) and its statistics: entities checked,
violations found, notices issued, items confiscated. The statistics add up the results
recorded on completed tasks; they are never typed in as totals.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
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
from xiaoneng.org.models import Grid, Officer, Unit
from xiaoneng.planning.patrol import assign, schedule
from xiaoneng.planning.patrol.models import Campaign, Plan, Task
from xiaoneng.planning.patrol.services import NEW_COLUMNS, find_unit, period_of
from xiaoneng.planning.patrol.tasks import merge_visits
from xiaoneng.planning.policy.services import PolicyTable
from xiaoneng.registry import uscc as uscc_check
from xiaoneng.registry.models import CreditGrade, Entity, EntityQuerySet, RiskClass
from xiaoneng.registry.queries import EntityFilter, industry_codes

FILTER_KEYS = ("q", "grid", "industry", "risk_class", "credit_grade", "unit", "hot_industry")
MAX_DAYS = 366  # a campaign lasts at most a year (its days counted inclusively)
SHOWN = 5  # values named in a message before "…"


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


def _listed(values: Sequence[str]) -> str:
    head = "、".join(values[:SHOWN])
    return head + (_("等 %(n)d 个") % {"n": len(values)} if len(values) > SHOWN else "")


def _check_fields(data: CampaignInput, today: dt.date) -> list[FieldError]:
    errors = []
    if not data.title.strip():
        errors.append(FieldError("title", _("请填写名称")))
    elif len(data.title.strip()) > 120:
        errors.append(FieldError("title", _("名称不能超过 120 个字")))
    if data.theme not in Campaign.Theme.values:
        errors.append(
            FieldError(
                "theme",
                _("整治方向应为 industry、area、theme 或 list：%(value)s") % {"value": data.theme},
            )
        )
    if not data.checkpoints.strip():
        errors.append(FieldError("checkpoints", _("请填写检查要点")))
    elif len(data.checkpoints.strip()) > 300:
        errors.append(FieldError("checkpoints", _("检查要点不能超过 300 个字")))
    if len(data.partners.strip()) > 200:
        errors.append(FieldError("partners", _("联合部门不能超过 200 个字")))
    if data.start_on is None:
        errors.append(FieldError("start_on", _("请填写开始日期（YYYY-MM-DD）")))
    if data.end_on is None:
        errors.append(FieldError("end_on", _("请填写结束日期（YYYY-MM-DD）")))
    if data.start_on and data.end_on:
        if data.end_on < data.start_on:
            errors.append(FieldError("end_on", _("结束日期不能早于开始日期")))
        elif data.end_on < today:
            errors.append(
                FieldError("end_on", _("结束日期不能早于今天：%(date)s") % {"date": data.end_on})
            )
        elif (data.end_on - data.start_on).days + 1 > MAX_DAYS:
            errors.append(FieldError("end_on", _("整治期限不能超过一年")))
    return errors


def _check_filters(filters: Mapping[str, Any]) -> list[FieldError]:
    errors = []
    for key in sorted(set(filters) - set(FILTER_KEYS)):
        errors.append(FieldError(key, _("未知的筛选条件：%(key)s") % {"key": key}))
    value = {k: str(v).strip() for k, v in filters.items() if v not in (None, "")}
    if value.get("grid") and not Grid.objects.filter(code=value["grid"]).exists():
        errors.append(FieldError("grid", _("未知的网格编号：%(v)s") % {"v": value["grid"]}))
    if value.get("industry") and not industry_codes(value["industry"]):
        errors.append(FieldError("industry", _("未知的行业代码：%(v)s") % {"v": value["industry"]}))
    if value.get("risk_class") and value["risk_class"] not in RiskClass.values:
        errors.append(
            FieldError(
                "risk_class", _("风险类别应为 I、II 或 III：%(v)s") % {"v": value["risk_class"]}
            )
        )
    if value.get("credit_grade") and value["credit_grade"] not in CreditGrade.values:
        errors.append(
            FieldError(
                "credit_grade",
                _("信用等级应为 A、B、C 或 D：%(v)s") % {"v": value["credit_grade"]},
            )
        )
    if value.get("unit") and not Unit.objects.filter(code=value["unit"]).exists():
        errors.append(FieldError("unit", _("未知的单位代码：%(v)s") % {"v": value["unit"]}))
    if not any(value.get(k) for k in FILTER_KEYS):
        errors.append(FieldError("filters", _("请至少设定一个筛选条件，或上传名单")))
    return errors


def clean_usccs(values: Sequence[str]) -> list[str]:
    """Codes as written one a line (or the first column of a CSV), upper case, no blanks."""
    codes = []
    for value in values:
        code = str(value).split(",")[0].strip().strip('"').upper().lstrip("\ufeff")
        if code and code not in {"USCC", "统一社会信用代码"}:
            codes.append(code)
    return codes


def _check_list(codes: list[str], scope: QuerySet[Entity]) -> list[FieldError]:
    if not codes:
        return [FieldError("usccs", _("名单中没有统一社会信用代码"))]
    invalid = [c for c in codes if not uscc_check.is_valid(c)]
    if invalid:
        return [FieldError("usccs", _("统一社会信用代码无效：%(v)s") % {"v": _listed(invalid)})]
    seen: set[str] = set()
    repeated = [c for c in codes if c in seen or seen.add(c)]  # type: ignore[func-returns-value]
    if repeated:
        return [FieldError("usccs", _("名单中重复的代码：%(v)s") % {"v": _listed(repeated)})]
    found: set[str] = set()
    for start in range(0, len(codes), 10_000):
        chunk = codes[start : start + 10_000]
        found.update(scope.filter(uscc__in=chunk).values_list("uscc", flat=True))
    missing = [c for c in codes if c not in found]
    if missing:
        return [
            FieldError(
                "usccs",
                _("以下主体不在您辖区的在营市场主体中：%(v)s") % {"v": _listed(missing)},
            )
        ]
    return []


def _population(data: CampaignInput, scope: EntityQuerySet) -> EntityQuerySet:
    if data.usccs is not None:
        return scope.filter(uscc__in=clean_usccs(data.usccs))
    return EntityFilter.from_params(dict(data.filters or {})).apply(scope)


def create_campaign(
    *, data: CampaignInput, actor: Officer | None, today: dt.date | None = None
) -> Campaign:
    """Start a campaign: check everything, then write it, its plan and its tasks at once."""
    if actor is not None:
        access.require(actor, access.MANAGE_CAMPAIGNS)
    today = today or timezone.localdate()
    errors = _check_fields(data, today)
    scope = Entity.objects.operating()
    if actor is not None:
        scope = scoped(scope, actor)
    if (data.filters is None) == (data.usccs is None):
        errors.append(FieldError("population", _("请设定筛选条件或上传名单（二选一）")))
    elif data.usccs is not None:
        errors += _check_list(clean_usccs(data.usccs), scope)
    else:
        errors += _check_filters(data.filters or {})
    if errors:
        raise InvalidInput(f"{errors[0].field}: {errors[0].message}", errors=errors)
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
            population={"usccs": clean_usccs(data.usccs)}
            if data.usccs is not None
            else {
                "filters": {k: v for k, v in (data.filters or {}).items() if v not in (None, "")}
            },
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
    """The campaign's tasks, higher risk first, on its officers' working days; their periods."""
    order = np.lexsort((register.entity_id, -register.grade_index, register.class_index))
    register = register.take(order)
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
