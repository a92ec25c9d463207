"""The demo county's patrol year: the visits each entity's interval gives, written as the
year's monthly plans and tasks with the opening records (期初录入), then this month's and next
month's plans made by the service (``generate_patrol_plan``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from xiaoneng.core.calendar import CalendarUnknown
from xiaoneng.demo.days import dates, local_moment, month_start
from xiaoneng.demo.org import Organisation
from xiaoneng.demo.planning.workdays import Workdays
from xiaoneng.demo.planning.writer import (
    VIOLATIONS,
    PlanWriter,
    TaskTexts,
    responsible_officers,
    write_tasks,
)
from xiaoneng.planning.patrol import schedule
from xiaoneng.planning.patrol.models import Task
from xiaoneng.planning.patrol.services import STANDARDS, generate_patrol_plan, period_of
from xiaoneng.planning.policy.services import CLASSES

JITTER = (-15, 25)  # an inspection comes a fortnight early to three weeks late
LATE_DAYS = 60  # of the last two months' tasks, a few are still open or were cancelled
PATROL_RATE = 0.1  # patrol visits that find a violation
KEY_SPAN = 1 << 24  # day numbers stay below it: (position, day) as one sortable integer


@dataclass
class Inspections:
    """Generated visits: entity position, day number, the due date and last visit before it."""

    position: np.ndarray
    day: np.ndarray
    due: np.ndarray
    previous: np.ndarray
    opening: np.ndarray  # bool: the record of the visit before the year (期初录入)


class Known:
    """The visits no plan made (draws, complaints…) of each register position, sorted, to
    find the latest one before a day."""

    def __init__(self, register: schedule.Register, entity: np.ndarray, day: np.ndarray) -> None:
        order = np.argsort(register.entity_id)
        ids = register.entity_id[order]
        index = np.minimum(np.searchsorted(ids, entity), max(ids.size - 1, 0))
        mine = (ids[index] == entity) & (day >= 0) if ids.size else np.zeros(day.size, bool)
        self.keys = np.sort(order[index[mine]] * KEY_SPAN + day[mine])

    def latest_before(self, day: np.ndarray) -> np.ndarray:
        """Each position's latest known visit strictly before ``day`` (NEVER if none)."""
        if not self.keys.size:
            return np.full(day.size, schedule.NEVER, dtype=np.int64)
        positions = np.arange(day.size, dtype=np.int64)
        found = np.searchsorted(self.keys, positions * KEY_SPAN + np.maximum(day, 0)) - 1
        key = self.keys[np.maximum(found, 0)]
        hit = (found >= 0) & (key // KEY_SPAN == positions)
        return np.where(hit, key % KEY_SPAN, schedule.NEVER)


def _month_start(day: np.ndarray) -> np.ndarray:
    """The day number of the first day of each day's month (when its plan was made)."""
    days = np.maximum(day, 0).astype("datetime64[D]")
    return days.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)


def simulate(
    rng: np.random.Generator,
    register: schedule.Register,
    interval: np.ndarray,
    staffed: np.ndarray,
    workdays: Workdays,
    window: dt.date,
    today: dt.date,
    known: Known | None = None,
) -> Inspections:
    """Each staffed entity's visits: the last before ``window``, then one every interval.

    A plan is made on its month's first day and reads the last inspection before it: a
    ``known`` visit (a draw, a complaint…) after the last patrol restarts the interval, and
    the task cites it."""
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
        jitter = rng.integers(JITTER[0], JITTER[1] + 1, n)
        while True:
            due = base + interval
            visit = np.maximum(due + jitter, start)
            visit = np.maximum(visit, register.registered + 1)
            visit = workdays.forward(visit)
            if known is None:
                break
            # The plan of the visit's month was made on its first day: a visit it knew of,
            # later than the last one, moves the due date on (and the visit with it).
            latest = known.latest_before(_month_start(visit))
            moved = alive & (visit >= 0) & (latest > base)
            if not moved.any():
                break
            base = np.where(moved, latest, base)
            last = np.where(moved, latest, last)
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


def _months(numbers: np.ndarray) -> np.ndarray:
    return np.datetime_as_string(numbers.astype("datetime64[D]").astype("datetime64[M]"))


def build_patrol_history(
    writer: PlanWriter,
    register: schedule.Register,
    workdays: Workdays,
    names: dict[int, str],
    progress: Callable[[str], None],
    inspected: tuple[np.ndarray, np.ndarray] | None = None,
) -> int:
    """The opening records, the past year's monthly plans and this month's visits so far;
    ``inspected`` (entity ids, day numbers) are the visits no plan made, which they read."""
    today = writer.today
    window = month_start(today, 12)
    interval = writer.table.interval_days[register.class_index, register.grade_index]
    staffed = register.grid_id >= 0
    known = Known(register, *inspected) if inspected is not None else None
    visits = simulate(writer.rng, register, interval, staffed, workdays, window, today, known)
    n = visits.position.size
    grid = register.grid_id[visits.position]
    station = register.unit_id[visits.position]
    officer = responsible_officers(writer, grid, station)
    opening_period = period_of(month_start(today, 13))
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
    results = writer.results(
        done, VIOLATIONS, PATROL_RATE, register.entity_id[visits.position], visits.day
    )
    for key in ("note",):
        results[key] = [
            text if not p else "" for text, p in zip(results[key], planned.tolist(), strict=True)
        ]
    texts = TaskTexts(writer)
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
    days = dates(visits.day)
    created_by_period = {
        p: local_moment(dt.date(int(p[:4]), int(p[5:7]), 1), 8) for p in set(period.tolist())
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
        "due_on": dates(np.where(visits.opening, -1, visits.due)),
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
    write_tasks(columns, [names[e] for e in entity_ids], created)
    return n


def build_month_plans(organisation: Organisation, today: dt.date, period: str) -> int:
    """A month's plan of each station made by the service itself, from ``today`` on, then the
    bureau's: the entities due in no station's plan, those outside every grid, are its
    overflow (主体不在任何网格内) until someone gives them a grid."""
    from xiaoneng.org.models import Officer, Role

    directors = Officer.objects.in_bulk(list(organisation.directors.values()))
    leader = (
        Officer.objects.filter(unit=organisation.bureau, roles=Role.BUREAU_LEADER)
        .order_by("id")
        .first()
    )
    planners = [
        (station, directors.get(organisation.directors.get(station.pk, 0)))
        for station in organisation.stations
    ]
    created = 0
    for unit, actor in [*planners, (organisation.bureau, leader)]:
        try:
            report = generate_patrol_plan(
                period=period, unit_code=unit.code, actor=actor, today=today
            )
        except CalendarUnknown:
            return created
        created += report.created
    return created
