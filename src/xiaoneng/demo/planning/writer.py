"""Writing the demo's plans and tasks in bulk with their trace: the plans' rows, each task's
post, responsibility and result, and its responsible officer."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from django.db import transaction

from xiaoneng.core import bulk
from xiaoneng.demo.days import local_moment
from xiaoneng.demo.org import Organisation
from xiaoneng.demo.planning.propensity import draw_failures, propensity
from xiaoneng.demo.rows import trace_created
from xiaoneng.planning.models import Distance
from xiaoneng.planning.patrol import assign
from xiaoneng.planning.patrol.models import Plan, Task
from xiaoneng.planning.patrol.services import CLASS_NAMES
from xiaoneng.planning.policy.services import CLASSES, GRADES, PolicyTable

BATCH = 50_000
DONE_NOTES = (
    "亮照经营，证照齐全，经营范围与登记一致，未发现问题。",
    "经营场所卫生良好，许可证在有效期内，未发现问题。",
    "从业人员健康证明齐全，进货查验记录完整。",
    "经营者在场，登记事项无变化，已宣传年报公示要求。",
    "已提醒经营者按时报送年度报告，现场未发现违法行为。",
    "商品明码标价，无过期商品，经营正常。",
    "经营场所已按要求张贴投诉举报电话，未发现问题。",
)
# (note, goods confiscated, their measure, quantity range)
VIOLATIONS = (
    ("发现超过保质期食品，当场下架，责令整改。", "过期食品", "千克", (2, 30)),
    ("营业执照未悬挂于醒目位置，责令立即改正。", "", "", (0, 0)),
    ("食品经营许可证已过期仍在经营，责令限期办理。", "", "", (0, 0)),
    ("进货查验记录不全，责令限期整改。", "", "", (0, 0)),
    ("销售无中文标签预包装食品，当场扣留。", "无中文标签食品", "瓶", (3, 40)),
    ("超出登记经营范围经营，责令改正。", "", "", (0, 0)),
)


class PlanWriter:
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
        created = [local_moment(dt.date(int(p[:4]), int(p[5:7]), 1), 8) for p, _u, _t in keys]
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
        trace_created(Plan, ids, columns["title"], columns, at=created)
        return {(p, u): pk for (p, u, _t), pk in zip(keys, ids, strict=True)}

    def results(
        self,
        done: np.ndarray,
        violations: tuple[Any, ...],
        rate: float,
        entity: np.ndarray,
        day: np.ndarray | None = None,
    ) -> dict[str, list[Any]]:
        """Notes and findings of ``done`` visits: most find nothing, ``rate`` find a violation,
        the more often the more prone the ``entity`` (and, given each visit's ``day``, the
        more often it already failed this year)."""
        n = done.size
        uniform = self.rng.random(n)
        rows = np.flatnonzero(done)
        found = np.zeros(n, dtype=bool)
        found[rows] = draw_failures(
            uniform[rows],
            rate,
            propensity(entity[rows]),
            entity[rows],
            None if day is None else day[rows],
        )
        kind = self.rng.integers(0, len(violations), n)
        note_index = self.rng.integers(0, len(DONE_NOTES), n)
        notes, items, quantities, measures, notices = [], [], [], [], []
        for ok, bad, k, i in zip(
            done.tolist(), found.tolist(), kind.tolist(), note_index.tolist(), strict=True
        ):
            if not ok:
                notes.append("经营者已停业，本期不再检查。")
                items.append("")
                quantities.append(0)
                measures.append("")
                notices.append(0)
                continue
            if bad:
                text, item, measure, (low, high) = violations[k]
                notes.append(text)
                items.append(item)
                quantities.append(int(self.rng.integers(low, high + 1)) if item else 0)
                measures.append(measure)
                notices.append(1 + int(self.rng.random() < 0.2))
            else:
                notes.append(DONE_NOTES[i])
                items.append("")
                quantities.append(0)
                measures.append("")
                notices.append(0)
        return {
            "note": notes,
            "violation_found": found.tolist(),
            "notices_issued": notices,
            "items_confiscated": items,
            "items_confiscated_quantity": quantities,
            "items_confiscated_measure": measures,
        }


def write_tasks(
    columns: dict[str, list[Any]], names: list[str], created: list[dt.datetime]
) -> None:
    """Insert the tasks given as columns and their trace, one transaction per batch."""
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
            trace_created(Task, ids, reprs, part, at=created[start : start + size])


class TaskTexts:
    """Post and responsibility of each (officer, grid), computed once per pair."""

    def __init__(self, writer: PlanWriter) -> None:
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


def responsible_officers(writer: PlanWriter, grid: np.ndarray, station: np.ndarray) -> np.ndarray:
    """The grid's officer of each task, else its station's director (0: nobody)."""
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
