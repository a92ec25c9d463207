"""The divisions' supervision items (督办) to the stations over the demo's year: two to four
matters a month, most answered and closed, a couple open past their deadline."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from xiaoneng.demo.days import local_moment, month_start
from xiaoneng.demo.inspections.context import Context
from xiaoneng.demo.rows import Rows
from xiaoneng.inspections.models import Inspection, Rectification, TraceFlag
from xiaoneng.oversight.supervision.models import SupervisionItem
from xiaoneng.planning.patrol import schedule

SUPERVISION_TOPICS = (
    ("逾期未整改", "{entity}逾期未按{number}整改，请所里依法处置并于期限内回复。"),
    ("投诉核查", "群众投诉{entity}，请核查处理并将结果书面回复。"),
    ("巡查进度", "{station}{month}日常巡查任务完成率偏低，请说明原因并督促网格责任人按期完成。"),
    ("痕迹疑点", "{entity}的检查记录存在痕迹疑点，请所长核实并回复核实意见。"),
    ("专项整治", "请按专项整治工作方案于期限内报送本所整治进展及典型案例。"),
)
RESPONSES = (
    "已组织核查，相关问题已处理完毕，详见附件。",
    "已约谈经营者并责令改正，复查已整改到位。",
    "已督促网格责任人按计划完成，本月已补查到位。",
)
SUPERVISION_STATES = {
    "open": SupervisionItem.Status.OPEN,
    "answered": SupervisionItem.Status.ANSWERED,
    "returned": SupervisionItem.Status.RETURNED,
    "closed": SupervisionItem.Status.CLOSED,
}


@dataclass
class Matter:
    """What a supervision item is about: a station, and an entity and record if any."""

    topic: int
    station: Any
    entity: int | None = None
    inspection: int | None = None
    name: str = ""
    number: str = ""


def supervision_items(ctx: Context) -> int:
    """Two to four matters a month from the divisions to the stations, most of them closed."""
    rng = ctx.rng
    divisions = [c for c in ("K01", "K02", "K04", "K03") if ctx.people.division_staff.get(c)]
    if not divisions or not ctx.people.stations:
        return 0
    from xiaoneng.org.models import Unit

    division_units = {
        code: Unit.objects.filter(code__endswith=f"-{code}").values_list("pk", flat=True).first()
        for code in divisions
    }
    pools = _matters()
    rows = Rows(
        "title description issued_by_unit_id issued_by_id unit_id entity_id inspection_id "
        "issued_on deadline status response responded_at closed_on"
    )
    month = ctx.window
    while month < ctx.today:
        for _k in range(int(rng.integers(2, 5))):
            first = max(schedule.day_number(month), ctx.window_number)
            last = min(schedule.day_number(month_start(month, -1)) - 1, ctx.today_number - 1)
            issued = int(ctx.days.pick(rng, np.array([first]), np.array([last]))[0])
            if issued < 0:
                continue
            code = divisions[int(rng.integers(len(divisions)))]
            matter = _matter(ctx, pools)
            title, text = SUPERVISION_TOPICS[matter.topic]
            deadline = int(ctx.days.add(np.array([issued]), 10)[0])
            fate = _supervision_fate(rng, issued, deadline, ctx.today_number)
            responded = issued + int(rng.integers(2, 12)) if fate != "open" else -1
            closed = responded + int(rng.integers(1, 6)) if fate == "closed" else -1
            if responded >= ctx.today_number or closed >= ctx.today_number:
                fate, responded, closed = "open", -1, -1
            staff = ctx.people.division_staff[code]
            values = {
                "station": matter.station.name,
                "month": f"{month:%-m月}",
                "entity": matter.name,
                "number": matter.number,
            }
            rows.add(
                local_moment(schedule.to_date(issued), 11),
                title=f"督办：{matter.name or matter.station.name}{title}"[:200],
                description=text.format(**values),
                issued_by_unit_id=division_units[code],
                issued_by_id=staff[int(rng.integers(len(staff)))],
                unit_id=matter.station.pk,
                entity_id=matter.entity,
                inspection_id=matter.inspection,
                issued_on=schedule.to_date(issued),
                deadline=schedule.to_date(deadline),
                status=SUPERVISION_STATES[fate],
                response=RESPONSES[int(rng.integers(len(RESPONSES)))] if responded >= 0 else "",
                responded_at=local_moment(schedule.to_date(responded), 18)
                if responded >= 0
                else None,
                closed_on=schedule.to_date(closed) if closed >= 0 else None,
            )
        month = month_start(month, -1)
    rows.write(SupervisionItem, rows.columns["title"])
    return len(rows)


def _matters() -> dict[int, list[tuple[Any, ...]]]:
    """What the matters of each topic may be about: (entity, name, record, unit, number)."""
    warned = Rectification.objects.filter(
        status__in=[Rectification.Status.WARNED, Rectification.Status.ESCALATED]
    ).values_list("entity_id", "entity__name", "inspection_id", "unit_id", "number")
    complaints = Inspection.objects.filter(origin=Inspection.Origin.COMPLAINT).values_list(
        "entity_id", "entity__name", "id", "unit_id"
    )
    flagged = TraceFlag.objects.values_list(
        "inspection__entity_id", "inspection__entity__name", "inspection_id", "unit_id"
    )
    return {0: list(warned), 1: [(*r, "") for r in complaints], 3: [(*r, "") for r in flagged]}


def _matter(ctx: Context, pools: dict[int, list[tuple[Any, ...]]]) -> Matter:
    """A topic and what it is about; a topic without records falls back to the patrol pace."""
    rng, stations = ctx.rng, ctx.people.stations
    topic = int(rng.integers(len(SUPERVISION_TOPICS)))
    station = stations[int(rng.integers(len(stations)))]
    pool = pools.get(topic)
    if pool is None:
        return Matter(topic, station)
    if not pool:
        return Matter(2, station)
    entity, name, inspection, unit, number = pool[int(rng.integers(len(pool)))]
    station = next((s for s in stations if s.pk == unit), station)
    return Matter(topic, station, entity, inspection, name, number)


def _supervision_fate(rng: np.random.Generator, issued: int, deadline: int, today: int) -> str:
    """Most matters are answered and closed; a couple stay open past the deadline."""
    if deadline >= today - 2:
        return "open" if rng.random() < 0.6 else "answered"
    draw = rng.random()
    if draw < 0.06:
        return "open"  # overdue
    if draw < 0.1:
        return "returned"
    return "closed"
