"""The demo county's plans: a year of monthly patrol plans, this month's in progress, campaigns.

The past is generated on arrays from each entity's patrol interval (an inspection every
interval, give or take a fortnight, on a working day) and written in bulk with its trace
(``core.bulk``); the entity's inspection before the year becomes an opening record
(期初录入). This month's plan is then completed by the real service
(``generate_patrol_plan``) from today on, and the campaigns' open tasks merge with patrol tasks
into joint visits by the real ``merge_visits``. A million entities take about 90 s.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from xiaoneng.core import audit, bulk
from xiaoneng.core.calendar import CalendarUnknown, WorkingCalendar
from xiaoneng.core.models import AuditEvent
from xiaoneng.demo import county
from xiaoneng.demo.org import REASON, Organisation
from xiaoneng.org.models import Unit
from xiaoneng.planning.campaigns.services import CampaignInput, create_campaign
from xiaoneng.planning.models import Distance
from xiaoneng.planning.patrol import assign, schedule
from xiaoneng.planning.patrol.models import Campaign, Plan, Task, Visit
from xiaoneng.planning.patrol.services import (
    CLASS_NAMES,
    STANDARDS,
    generate_patrol_plan,
    period_of,
)
from xiaoneng.planning.patrol.tasks import merge_visits
from xiaoneng.planning.policy.services import CLASSES, GRADES, PolicyTable
from xiaoneng.registry.models import Entity
from xiaoneng.registry.queries import industry_codes

BATCH = 50_000
JITTER = (-15, 25)  # an inspection comes a fortnight early to three weeks late
LATE_DAYS = 60  # of the last two months' tasks, a few are still open or were cancelled
DONE_NOTES = (
    "亮照经营，证照齐全，经营范围与登记一致，未发现问题。",
    "经营场所卫生良好，许可证在有效期内，未发现问题。",
    "从业人员健康证明齐全，进货查验记录完整。",
    "经营者在场，登记事项无变化，已宣传年报公示要求。",
    "已提醒经营者按时报送年度报告，现场未发现违法行为。",
    "商品明码标价，无过期商品，经营正常。",
    "经营场所已按要求张贴投诉举报电话，未发现问题。",
)
VIOLATIONS = (
    ("发现超过保质期食品，当场下架，责令整改。", "过期食品", (2, 30)),
    ("营业执照未悬挂于醒目位置，责令立即改正。", "", (0, 0)),
    ("食品经营许可证已过期仍在经营，责令限期办理。", "", (0, 0)),
    ("进货查验记录不全，责令限期整改。", "", (0, 0)),
    ("销售无中文标签预包装食品，当场扣留。", "无中文标签食品", (3, 40)),
    ("超出登记经营范围经营，责令改正。", "", (0, 0)),
)
AD_VIOLATIONS = (
    ("发布未经备案的保健食品广告，责令停止发布。", "违法印刷品广告", (50, 600)),
    ("医疗广告含有保证治愈的表述，责令停止发布。", "违法印刷品广告", (100, 800)),
    ("药品广告未标明禁忌和不良反应，责令改正。", "", (0, 0)),
    ("户外广告含有“最佳”“第一”等绝对化用语，责令撤除。", "违法户外广告牌", (1, 4)),
)
AD_INDUSTRIES = ("L7259", "L7251", "F5251", "F5225")
SCHOOL_INDUSTRY = "H62"


def _local(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=county_timezone())


def county_timezone() -> dt.tzinfo:
    return dt.timezone(dt.timedelta(hours=8))


class Workdays:
    """Working days on a range of dates as arrays; a year the calendar lacks falls back to
    Monday–Friday (the demo only: the services refuse such a year)."""

    def __init__(self, first: dt.date, last: dt.date) -> None:
        calendar = WorkingCalendar.load()
        self.origin = schedule.day_number(first)
        days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
        self.working = np.array([_is_working(calendar, d) for d in days], dtype=bool)
        # For each day, the index of the first working day on or after it (−1: none).
        following = np.full(len(days) + 1, -1, dtype=np.int64)
        for i in range(len(days) - 1, -1, -1):
            following[i] = i if self.working[i] else following[i + 1]
        self.following = following[:-1]

    def forward(self, numbers: np.ndarray) -> np.ndarray:
        """Day numbers moved to the next working day (−1 beyond the range)."""
        index = np.clip(numbers - self.origin, 0, len(self.following) - 1)
        found = self.following[index]
        return np.where(found < 0, -1, found + self.origin)

    def between(self, first: dt.date, last: dt.date) -> list[dt.date]:
        start, stop = (
            schedule.day_number(first) - self.origin,
            schedule.day_number(last) - self.origin,
        )
        return [
            schedule.to_date(self.origin + i) for i in range(start, stop + 1) if self.working[i]
        ]


def _is_working(calendar: WorkingCalendar, day: dt.date) -> bool:
    try:
        return calendar.is_working_day(day)
    except CalendarUnknown:
        return day.weekday() < 5


def _month_start(day: dt.date, months_back: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months_back
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass
class Inspections:
    """Generated visits: entity position, day number, the due date and last visit before it."""

    position: np.ndarray
    day: np.ndarray
    due: np.ndarray
    previous: np.ndarray
    opening: np.ndarray  # bool: the record of the visit before the year (期初录入)


def simulate(
    rng: np.random.Generator,
    register: schedule.Register,
    interval: np.ndarray,
    staffed: np.ndarray,
    workdays: Workdays,
    window: dt.date,
    today: dt.date,
) -> Inspections:
    """Each staffed entity's visits: the last before ``window``, then one every interval."""
    n = len(register)
    start, stop = schedule.day_number(window), schedule.day_number(today)
    before = start - rng.integers(1, interval + 1, n) if n else np.zeros(0, dtype=np.int64)
    opening = staffed & (before >= register.registered)
    opening_day = workdays.forward(before)
    opening &= (opening_day >= 0) & (opening_day < start)
    parts = [
        (
            np.flatnonzero(opening),
            opening_day[opening],
            opening_day[opening],
            np.full(int(opening.sum()), schedule.NEVER),
            True,
        )
    ]
    base = np.where(opening, opening_day, register.registered)
    last = np.where(opening, opening_day, schedule.NEVER)
    alive = staffed.copy()
    while alive.any():
        due = base + interval
        visit = np.maximum(due + rng.integers(JITTER[0], JITTER[1] + 1, n), start)
        visit = np.maximum(visit, register.registered + 1)
        visit = workdays.forward(visit)
        alive &= (visit >= 0) & (visit < stop)
        chosen = np.flatnonzero(alive)
        parts.append((chosen, visit[chosen], due[chosen], last[chosen], False))
        base = np.where(alive, visit, base)
        last = np.where(alive, visit, last)
    return Inspections(
        position=np.concatenate([p[0] for p in parts]),
        day=np.concatenate([p[1] for p in parts]),
        due=np.concatenate([p[2] for p in parts]),
        previous=np.concatenate([p[3] for p in parts]),
        opening=np.concatenate([np.full(p[0].size, p[4]) for p in parts]),
    )


class _Writer:
    """Plans and tasks of the generated past, written in bulk with their trace."""

    def __init__(
        self, rng: np.random.Generator, organisation: Organisation, today: dt.date
    ) -> None:
        self.rng, self.today = rng, today
        self.grids = assign.grid_table()
        holders = {pk: g.officer_id for pk, g in self.grids.items()}
        self.directors = organisation.directors
        officer_ids = {o for o in holders.values() if o} | set(self.directors.values())
        self.people = assign.officer_table(sorted(officer_ids))
        self.stations = {u.pk: u for u in organisation.stations}
        self.table = PolicyTable.in_force(today)
        labels = {d.value: str(d.label) for d in Distance}
        self.prefix = {
            (c, g): f"日常巡查：{CLASS_NAMES[CLASSES[c]]}·{GRADES[g]}级，"
            f"{labels[self.table.distance[c, g]]}监管，每 {self.table.interval_days[c, g]} 天一次"
            for c in range(len(CLASSES))
            for g in range(len(GRADES))
        }

    def plans(
        self, keys: list[tuple[str, int, str]], kind: str = Plan.Kind.PATROL
    ) -> dict[Any, int]:
        """Plans ``(period, unit, title)`` made on their period's first day; their ids."""
        if not keys:
            return {}
        created = [_local(dt.date(int(p[:4]), int(p[5:7]), 1), 8) for p, _u, _t in keys]
        columns: dict[str, list[Any]] = {
            "kind": [kind] * len(keys),
            "period": [p for p, _u, _t in keys],
            "unit_id": [u for _p, u, _t in keys],
            "title": [t for _p, _u, t in keys],
            "policy_id": [self.table.policy.pk] * len(keys),
            "capacity": [assign.default_capacity()] * len(keys),
            "created_by_id": [self.directors.get(u) for _p, u, _t in keys],
            "created_at": created,
        }
        ids = bulk.insert(Plan, columns, len(keys))
        _trace(Plan, ids, columns["title"], columns, at=created)
        return {(p, u): pk for (p, u, _t), pk in zip(keys, ids, strict=True)}

    def results(
        self, done: np.ndarray, violations: tuple[Any, ...], rate: float
    ) -> dict[str, list[Any]]:
        """Notes and findings of ``done`` visits: most find nothing, ``rate`` find a violation."""
        n = done.size
        found = done & (self.rng.random(n) < rate)
        kind = self.rng.integers(0, len(violations), n)
        note_index = self.rng.integers(0, len(DONE_NOTES), n)
        notes, items, quantities, notices = [], [], [], []
        for ok, bad, k, i in zip(
            done.tolist(), found.tolist(), kind.tolist(), note_index.tolist(), strict=True
        ):
            if not ok:
                notes.append("经营者已停业，本期不再检查。")
                items.append("")
                quantities.append(0)
                notices.append(0)
                continue
            if bad:
                text, item, (low, high) = violations[k]
                notes.append(text)
                items.append(item)
                quantities.append(int(self.rng.integers(low, high + 1)) if item else 0)
                notices.append(1 + int(self.rng.random() < 0.2))
            else:
                notes.append(DONE_NOTES[i])
                items.append("")
                quantities.append(0)
                notices.append(0)
        return {
            "note": notes,
            "violation_found": found.tolist(),
            "notices_issued": notices,
            "items_confiscated": items,
            "items_confiscated_quantity": quantities,
        }


def _trace(
    model: type[Any], ids: list[int], reprs: list[str], columns: dict[str, Any], *, at: Any
) -> None:
    n = len(ids)
    events = audit.event_columns(
        model,
        object_ids=ids,
        reprs=reprs,
        changes=audit.changes_from_columns(model, columns, n),
        action=AuditEvent.Action.CREATE,
        at=at,
        actor=None,
        source=AuditEvent.Source.SYSTEM,
        reason=REASON,
    )
    bulk.insert(AuditEvent, events, n)


def _write_tasks(
    columns: dict[str, list[Any]], names: list[str], created: list[dt.datetime]
) -> None:
    count = len(columns["entity_id"])
    for start in range(0, count, BATCH):
        part = {k: v[start : start + BATCH] for k, v in columns.items()}
        size = len(part["entity_id"])
        with transaction.atomic():
            ids = bulk.insert(Task, part | {"created_at": created[start : start + size]}, size)
            reprs = [
                f"{name} · {p}"
                for name, p in zip(names[start : start + size], part["period"], strict=True)
            ]
            _trace(Task, ids, reprs, part, at=created[start : start + size])


def _dates(numbers: np.ndarray) -> list[dt.date | None]:
    cache: dict[int, dt.date] = {}
    return [None if n < 0 else cache.setdefault(n, schedule.to_date(n)) for n in numbers.tolist()]


def _months(numbers: np.ndarray) -> np.ndarray:
    return np.datetime_as_string(numbers.astype("datetime64[D]").astype("datetime64[M]"))


class _Texts:
    """Post and responsibility of each (officer, grid), computed once per pair."""

    def __init__(self, writer: _Writer) -> None:
        self.writer = writer
        self.posts: dict[tuple[int, int], str] = {}
        self.duties: dict[tuple[int, int], str] = {}

    def post(self, officer: int, grid: int) -> str:
        key = (officer, grid)
        if key not in self.posts:
            person = self.writer.people.get(officer)
            info = self.writer.grids.get(grid)
            self.posts[key] = (
                f"{person.post}（{info.code if info else ''} 网格责任人）" if person else ""
            )
        return self.posts[key]

    def duty(self, officer: int, station: int) -> str:
        key = (officer, station)
        if key not in self.duties:
            person = self.writer.people.get(officer)
            unit = self.writer.stations.get(station)
            self.duties[key] = (
                f"网格责任人{person.name if person else ''}对本网格巡查结果负责，"
                f"{unit.name if unit else ''}所长抽查"
            )
        return self.duties[key]

    def campaign_duty(self, officer: int, station: int, lead: str) -> str:
        person = self.writer.people.get(officer)
        if person:
            return f"网格责任人{person.name}对检查结果负责，{lead}督办"
        unit = self.writer.stations.get(station)
        return f"{unit.name if unit else ''}所长负责安排人员检查，{lead}督办"


def _officers(writer: _Writer, grid: np.ndarray, station: np.ndarray) -> np.ndarray:
    size = max(writer.grids, default=0) + 2
    by_grid = np.zeros(size, dtype=np.int64)
    for pk, info in writer.grids.items():
        by_grid[pk] = info.officer_id or 0
    by_station = np.zeros(max(writer.stations, default=0) + 2, dtype=np.int64)
    for pk, director in writer.directors.items():
        if pk < by_station.size:
            by_station[pk] = director
    officer = np.where(grid >= 0, by_grid[np.clip(grid, 0, size - 1)], 0)
    fallback = by_station[np.clip(station, 0, by_station.size - 1)]
    return np.where(officer > 0, officer, fallback)


def build_patrol_history(
    writer: _Writer,
    register: schedule.Register,
    workdays: Workdays,
    names: dict[int, str],
    progress: Callable[[str], None],
) -> int:
    """The opening records, the past year's monthly plans and this month's visits so far."""
    today = writer.today
    window = _month_start(today, 12)
    interval = writer.table.interval_days[register.class_index, register.grade_index]
    staffed = register.grid_id >= 0
    visits = simulate(writer.rng, register, interval, staffed, workdays, window, today)
    n = visits.position.size
    grid = register.grid_id[visits.position]
    station = register.unit_id[visits.position]
    officer = _officers(writer, grid, station)
    opening_period = period_of(_month_start(today, 13))
    period = np.where(visits.opening, opening_period, _months(visits.day))
    titles = {}
    for p, s in set(zip(period.tolist(), station.tolist(), strict=True)):
        unit = writer.stations.get(s)
        name = unit.name if unit else ""
        titles[(p, s)] = (
            f"{name} 期初录入：系统启用前最近一次巡查（据纸质台账）"
            if p == opening_period
            else f"{name} {p} 日常巡查计划"
        )
    plan_ids = writer.plans(sorted((p, s, t) for (p, s), t in titles.items()))
    recent = ~visits.opening & (visits.day >= schedule.day_number(today) - LATE_DAYS)
    draw = writer.rng.random(n)
    planned = recent & (draw < 0.015)
    cancelled = recent & (draw >= 0.015) & (draw < 0.025)
    done = ~planned & ~cancelled
    results = writer.results(done, VIOLATIONS, 0.03)
    for key in ("note",):
        results[key] = [
            text if not p else "" for text, p in zip(results[key], planned.tolist(), strict=True)
        ]
    texts = _Texts(writer)
    due_text = np.datetime_as_string(visits.due.astype("datetime64[D]"))
    last_text = np.where(
        visits.previous == schedule.NEVER,
        "入册以来未检查",
        np.char.add(
            "上次检查 ",
            np.datetime_as_string(np.maximum(visits.previous, 0).astype("datetime64[D]")),
        ),
    )
    classes, grades = register.class_index[visits.position], register.grade_index[visits.position]
    descriptions = [
        "期初录入：系统启用前的最近一次日常巡查（据纸质台账）"
        if opening
        else f"{writer.prefix[(c, g)]}；应查日 {d}，{h}"
        for opening, c, g, d, h in zip(
            visits.opening.tolist(),
            classes.tolist(),
            grades.tolist(),
            due_text.tolist(),
            last_text.tolist(),
            strict=True,
        )
    ]
    officer_list, grid_list, station_list = officer.tolist(), grid.tolist(), station.tolist()
    status = np.where(
        done, Task.Status.DONE, np.where(cancelled, Task.Status.CANCELLED, Task.Status.PLANNED)
    )
    days = _dates(visits.day)
    created_by_period = {
        p: _local(dt.date(int(p[:4]), int(p[5:7]), 1), 8) for p in set(period.tolist())
    }
    entity_ids = register.entity_id[visits.position].tolist()
    columns: dict[str, list[Any]] = {
        "plan_id": [plan_ids[(p, s)] for p, s in zip(period.tolist(), station_list, strict=True)],
        "entity_id": entity_ids,
        "unit_id": station_list,
        "period": period.tolist(),
        "grid_id": grid_list,
        "post": [texts.post(o, g) for o, g in zip(officer_list, grid_list, strict=True)],
        "officer_id": officer_list,
        "description": descriptions,
        "standard": [STANDARDS[CLASSES[c]] for c in classes.tolist()],
        "responsibility": [
            texts.duty(o, s) for o, s in zip(officer_list, station_list, strict=True)
        ],
        "due_on": _dates(np.where(visits.opening, -1, visits.due)),
        "scheduled_on": days,
        "status": status.tolist(),
        "done_on": [d if ok else None for d, ok in zip(days, done.tolist(), strict=True)],
        "done_by_id": [
            o if ok else None for o, ok in zip(officer_list, done.tolist(), strict=True)
        ],
        **results,
    }
    created = [created_by_period[p] for p in columns["period"]]
    progress(f"巡查计划 patrol history: {len(plan_ids):,} plans, {n:,} tasks; writing…")
    _write_tasks(columns, [names[e] for e in entity_ids], created)
    return n


def build_month_plans(organisation: Organisation, today: dt.date, period: str) -> int:
    """A month's plan of each station made by the service itself, from ``today`` on."""
    from xiaoneng.org.models import Officer

    directors = Officer.objects.in_bulk(list(organisation.directors.values()))
    created = 0
    for station in organisation.stations:
        director = directors.get(organisation.directors.get(station.pk, 0))
        try:
            report = generate_patrol_plan(
                period=period, unit_code=station.code, actor=director, today=today
            )
        except CalendarUnknown:
            return created
        created += report.created
    return created


def _division(code: str, fallback: Unit) -> Unit:
    return Unit.objects.filter(code=f"XN-{county.REGION_CODE}-{code}").first() or fallback


def _campaign(
    writer: _Writer,
    *,
    title: str,
    unit: Unit,
    start: dt.date,
    end: dt.date,
    population: dict[str, Any],
    **fields: Any,
) -> Campaign:
    kind = Plan.Kind.JOINT if fields.get("partners") else Plan.Kind.CAMPAIGN
    plan_id = writer.plans([(period_of(start), unit.pk, title)], kind=kind)[
        (period_of(start), unit.pk)
    ]
    campaign = Campaign.objects.create(
        title=title,
        unit=unit,
        start_on=start,
        end_on=end,
        population=population,
        plan_id=plan_id,
        **fields,
    )
    Campaign.objects.filter(pk=campaign.pk).update(created_at=_local(start, 8))
    return campaign


def _campaign_tasks(
    writer: _Writer,
    campaign: Campaign,
    register: schedule.Register,
    day: np.ndarray,
    status: np.ndarray,
    reason: list[str],
    violations: tuple[Any, ...],
    rate: float,
    names: dict[int, str],
) -> None:
    officer = _officers(writer, register.grid_id, register.unit_id)
    placed = day >= 0
    officer = np.where(placed, officer, 0)
    done = status == Task.Status.DONE
    results = writer.results(done, violations, rate)
    for i, s in enumerate(status.tolist()):
        if s != Task.Status.DONE and s != Task.Status.CANCELLED:
            results["note"][i] = ""
    texts = _Texts(writer)
    days = _dates(day)
    fallback = period_of(campaign.start_on)
    lead = campaign.unit.name
    columns: dict[str, Any] = {
        "plan_id": [campaign.plan_id] * len(register),
        "entity_id": register.entity_id.tolist(),
        "unit_id": register.unit_id.tolist(),
        "period": [period_of(d) if d else fallback for d in days],
        "grid_id": register.grid_id.tolist(),
        "post": [
            texts.post(o, g) if o else ""
            for o, g in zip(officer.tolist(), register.grid_id.tolist(), strict=True)
        ],
        "officer_id": [o or None for o in officer.tolist()],
        "description": [f"专项整治：{campaign.title}"] * len(register),
        "standard": [campaign.checkpoints] * len(register),
        "responsibility": [
            texts.campaign_duty(o, s, lead)
            for o, s in zip(officer.tolist(), register.unit_id.tolist(), strict=True)
        ],
        "due_on": [campaign.end_on] * len(register),
        "scheduled_on": days,
        "status": status.tolist(),
        "overflow_reason": reason,
        "done_on": [d if ok else None for d, ok in zip(days, done.tolist(), strict=True)],
        "done_by_id": [
            o if ok else None for o, ok in zip(officer.tolist(), done.tolist(), strict=True)
        ],
        **results,
    }
    columns["grid_id"] = [g if g >= 0 else None for g in columns["grid_id"]]
    created = [_local(campaign.start_on, 8)] * len(register)
    _write_tasks(columns, [names[e] for e in columns["entity_id"]], created)


def build_campaigns(
    writer: _Writer, workdays: Workdays, organisation: Organisation, names: dict[int, str]
) -> list[Campaign]:
    """A finished ad campaign (篇1), a school-food campaign in progress with partners, and next
    month's holiday-market checks started through the service itself."""
    today, rng = writer.today, writer.rng
    bureau = organisation.bureau
    made = []
    ads = schedule.active_entities().filter(industry_id__in=AD_INDUSTRIES, grid__isnull=False)
    register = schedule.load_register(ads)
    if len(register):
        keep = np.sort(rng.choice(len(register), min(len(register), 600), replace=False))
        register = register.take(keep)
        start = _month_start(today, 4)
        end = start + dt.timedelta(days=44)
        days = workdays.between(start, end)
        usccs = list(
            Entity.objects.filter(pk__in=register.entity_id.tolist())
            .order_by("pk")
            .values_list("uscc", flat=True)
        )
        campaign = _campaign(
            writer,
            title="五类重点广告专项整治行动",
            unit=_division("K02", bureau),
            start=start,
            end=end,
            population={"usccs": usccs},
            theme=Campaign.Theme.THEME,
            checkpoints="药品、医疗服务、医疗器械、保健食品、特殊化妆品广告是否经审查备案，"
            "内容是否虚假夸大",
            description="篇1：对 5 类特殊商品（服务）广告集中整治，"
            "检查广告经营单位和发布者，查处违法广告。",
        )
        day = (
            np.array(
                [
                    schedule.day_number(d)
                    for d in rng.choice(np.array(days, dtype=object), len(register))
                ],
                dtype=np.int64,
            )
            if days
            else np.full(len(register), -1)
        )
        status = np.where(rng.random(len(register)) < 0.97, Task.Status.DONE, Task.Status.CANCELLED)
        _campaign_tasks(
            writer,
            campaign,
            register,
            day,
            status,
            [""] * len(register),
            AD_VIOLATIONS,
            0.22,
            names,
        )
        made.append(campaign)
    food = schedule.active_entities().filter(
        industry_id__in=industry_codes(SCHOOL_INDUSTRY), hot_industry=True, grid__isnull=False
    )
    register = schedule.load_register(food)
    if len(register):
        start = today - dt.timedelta(days=20)
        end = _month_start(today, -2) - dt.timedelta(days=1)
        campaign = _campaign(
            writer,
            title="校园周边食品安全专项整治",
            unit=_division("K04", bureau),
            start=start,
            end=end,
            population={"filters": {"industry": SCHOOL_INDUSTRY, "hot_industry": True}},
            theme=Campaign.Theme.AREA,
            partners="县教育局、县卫健委",
            checkpoints="食品经营许可证有效、从业人员健康证明、进货查验记录、无“三无”和过期食品",
            description="开学季校园周边 200 米内餐饮服务单位集中检查，与日常巡查合并上门。",
        )
        days = workdays.between(start, end)
        officer = _officers(writer, register.grid_id, register.unit_id)
        placement = assign.place(
            np.where(officer > 0, officer, -1), register.grid_id, days, assign.default_capacity()
        )
        day = np.array(
            [schedule.day_number(days[i]) if i >= 0 else -1 for i in placement.day.tolist()],
            dtype=np.int64,
        )
        past = (day >= 0) & (day < schedule.day_number(today))
        status = np.where(day < 0, Task.Status.OVERFLOW, Task.Status.PLANNED)
        status = np.where(past & (rng.random(len(register)) < 0.9), Task.Status.DONE, status)
        _campaign_tasks(
            writer, campaign, register, day, status, placement.reason, VIOLATIONS, 0.06, names
        )
        made.append(campaign)
    holiday = _holiday_markets(writer, organisation)
    return made + ([holiday] if holiday else [])


def _holiday_markets(writer: _Writer, organisation: Organisation) -> Campaign | None:
    """Next month's checks of food shops, by list, through ``create_campaign``."""
    shops = schedule.active_entities().filter(
        industry_id__in=("F5212", "F5213"), risk_class="I", grid__isnull=False
    )
    codes = list(shops.order_by("pk").values_list("uscc", flat=True))
    if not codes:
        return None
    chosen = writer.rng.choice(len(codes), min(len(codes), 300), replace=False)
    first = _month_start(writer.today, -1)
    data = CampaignInput(
        title=f"{first.year + (first.month == 12)} 年元旦春节节日市场食品安全检查"
        if first.month in (12, 1)
        else f"{first:%Y 年 %-m 月}节日市场食品安全检查",
        theme=Campaign.Theme.LIST,
        checkpoints="节日热销食品进货查验、保质期、标签标识、散装食品贮存条件",
        start_on=first,
        end_on=_month_start(writer.today, -2) - dt.timedelta(days=1),
        description="节前对超市、便利店集中检查；与日常巡查同日上门的，合并为一次联合检查。",
        unit_code=_division("K04", organisation.bureau).code,
        usccs=[codes[i] for i in sorted(chosen.tolist())],
    )
    try:
        return create_campaign(data=data, actor=None, today=writer.today)
    except CalendarUnknown:
        return None


def build_plans(
    rng: np.random.Generator,
    organisation: Organisation,
    *,
    now: dt.datetime,
    progress: Callable[[str], None] = print,
) -> None:
    """Plans, tasks, campaigns and joint visits of the demo county, for the year up to ``now``."""
    today = timezone.localtime(now).date()
    register = schedule.load_register(schedule.active_entities())
    if not len(register):
        return
    workdays = Workdays(_month_start(today, 12) - dt.timedelta(days=2000), _month_start(today, -3))
    names = dict(Entity.objects.values_list("pk", "name"))
    writer = _Writer(rng, organisation, today)
    with bulk.paused_gc():
        count = build_patrol_history(writer, register, workdays, names, progress)
        with transaction.atomic():
            # This month's plan from today on, and next month's drafted ahead (篇2: 计划下达及时).
            current = build_month_plans(organisation, today, period_of(today))
            current += build_month_plans(organisation, today, period_of(_month_start(today, -1)))
        with transaction.atomic():
            made = build_campaigns(writer, workdays, organisation, names)
            periods = set(
                Task.objects.filter(plan__campaign__in=made)
                .values_list("period", flat=True)
                .distinct()
            )
            visits = sum(
                len(merge_visits(period=p)) for p in sorted(periods) if p >= period_of(today)
            )
    with connection.cursor() as cursor:  # statistics for the planner, as autovacuum would
        for model in (Task, Plan, Visit, Campaign):
            cursor.execute(f"ANALYZE {model._meta.db_table}")
    progress(
        f"巡查计划 plans: {count:,} past tasks, {current:,} planned this month and next, "
        f"{len(made)} campaigns, {visits:,} joint visits"
    )


def reset_plans() -> None:
    """Delete every plan, task, visit and campaign with plain SQL (the demo's reset; no trace)."""
    for model in (Task, Campaign, Visit, Plan):
        model.objects.all()._raw_delete(connection.alias)
