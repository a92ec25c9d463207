"""The demo county's training over its year (篇8: 各业务科室制定培训计划，对市场监管所实施
专题培训。截至目前，我局已举办业务培训25场次，参训人员达到600余人次).

Each division holds its own subjects for the stations, the bureau one integrity session: 25
sessions on working days of the past year, none in the future. Each invited station sends a
few of its officers (4–6); most attend, a few are excused or absent, about 600 person-times in
all. Everything goes through the services, as the organising division's staff (the leader for
the bureau's own).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np
from django.utils import timezone

from xiaoneng.core.calendar import WorkingCalendar
from xiaoneng.demo.days import is_working, window_of
from xiaoneng.demo.org import Organisation
from xiaoneng.org.models import Officer, Role, Unit
from xiaoneng.org.training import services
from xiaoneng.org.training.models import Attendance

BUREAU = ""  # the organiser code of the bureau's own sessions
# (title, topic, organiser: the division's code suffix or BUREAU, hours), in the year's order.
CATALOGUE: tuple[tuple[str, str, str, str], ...] = (
    ("《市场监督管理行政处罚程序规定》解读", "law", "K01", "3"),
    ("双随机抽查操作规程培训", "business", "K03", "2.5"),
    ("《食品安全法》及实施条例专题培训", "food", "K04", "3"),
    ("执法文书制作规范培训", "enforcement", "K01", "2"),
    ("网络交易监督管理办法培训", "ads", "K02", "2.5"),
    ("廉政警示教育", "integrity", BUREAU, "2"),
    ("企业信用信息公示与经营异常名录管理", "business", "K03", "2"),
    ("餐饮服务食品安全操作规范培训", "food", "K04", "3"),
    ("《广告法》及违法广告认定培训", "ads", "K02", "3"),
    ("行政执法证据收集与固定", "enforcement", "K01", "3"),
    ("效能监管系统与移动执法终端应用培训", "it", "K03", "2"),
    ("食用农产品市场销售质量安全监督管理办法", "food", "K04", "2.5"),
    ("价格违法行为行政处罚规定解读", "law", "K02", "2"),
    ("行政复议与行政诉讼应诉实务", "law", "K01", "3"),
    ("特殊食品监督检查要点", "food", "K04", "2"),
    ("合同违法行为监督处理办法培训", "business", "K02", "2"),
    ("党风廉政建设专题党课", "integrity", BUREAU, "1.5"),
    ("网格化监管与经济户口管理培训", "business", "K03", "2"),
    ("查处无照经营实务", "enforcement", "K01", "2.5"),
    ("食品生产经营风险分级管理办法", "food", "K04", "2"),
    ("商标侵权案件查办实务", "enforcement", "K02", "3"),
    ("信用修复与联合惩戒政策解读", "law", "K03", "2"),
    ("校园及周边食品安全专项整治部署培训", "food", "K04", "2"),
    ("执法记录仪使用与现场执法规范", "enforcement", "K01", "1.5"),
    ("年度法治政府建设与依法行政专题", "law", BUREAU, "2"),
)
SENT_PER_STATION = (4, 7)  # officers each invited station sends: 4–6
STATUS_WEIGHTS = {"attended": 0.92, "excused": 0.05, "absent": 0.03}


def _days(rng: np.random.Generator, first: dt.date, last: dt.date, count: int) -> list[dt.date]:
    """``count`` working days in [first, last], spread over it, in order."""
    calendar = WorkingCalendar.load()
    span = max((last - first).days, 1)
    days = []
    for k in range(count):
        day = first + dt.timedelta(days=int((k + rng.random()) * span / count))
        while not is_working(calendar, day) and day > first:
            day -= dt.timedelta(days=1)
        days.append(min(max(day, first), last))
    return days


def _organisers(bureau: Unit) -> dict[str, tuple[Unit, Officer]]:
    """Organiser code → (unit, the staff member who records its sessions)."""
    found: dict[str, tuple[Unit, Officer]] = {}
    leader = (
        Officer.objects.filter(unit=bureau, roles__code=Role.BUREAU_LEADER, is_active=True)
        .order_by("pk")
        .first()
    )
    if leader is not None:
        found[BUREAU] = (bureau, leader)
    for division in Unit.objects.filter(parent=bureau, kind=Unit.Kind.DIVISION).order_by("code"):
        staff = (
            Officer.objects.filter(unit=division, roles__code=Role.DIVISION_STAFF, is_active=True)
            .order_by("pk")
            .first()
        )
        if staff is not None:
            found[division.code.rsplit("-", 1)[-1]] = (division, staff)
    return found


def _audience(rng: np.random.Generator, stations: list[Unit]) -> list[Unit]:
    """Every station for most sessions, three or four of them for the rest."""
    if rng.random() < 0.6 or len(stations) <= 3:
        return list(stations)
    size = int(rng.integers(3, min(4, len(stations)) + 1))
    chosen = sorted(rng.choice(len(stations), size, replace=False).tolist())
    return [stations[i] for i in chosen]


def _entries(
    rng: np.random.Generator, audience: list[Unit], staff: dict[int, list[Officer]]
) -> list[tuple[Officer, str]]:
    statuses, weights = list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values())
    entries = []
    for station in audience:
        officers = staff.get(station.pk, [])
        sent = min(len(officers), int(rng.integers(*SENT_PER_STATION)))
        for index in sorted(rng.choice(len(officers), sent, replace=False).tolist()):
            entries.append((officers[index], str(rng.choice(statuses, p=weights))))
    return entries


def build_training(
    rng: np.random.Generator,
    organisation: Organisation,
    *,
    now: dt.datetime,
    progress: Callable[[str], None] = print,
) -> None:
    """The year's training sessions organised by the divisions (and the bureau) for the
    stations, with who attended each."""
    today = timezone.localdate(now)
    first, last = window_of(today), today - dt.timedelta(days=1)
    organisers = _organisers(organisation.bureau)
    stations = list(organisation.stations)
    staff: dict[int, list[Officer]] = {}
    for officer in Officer.objects.filter(unit__in=stations, is_active=True).order_by("pk"):
        assert officer.unit_id is not None
        staff.setdefault(officer.unit_id, []).append(officer)
    held = person_times = 0
    for (title, topic, code, hours), day in zip(
        CATALOGUE, _days(rng, first, last, len(CATALOGUE)), strict=True
    ):
        if code not in organisers or not stations:
            continue
        unit, actor = organisers[code]
        audience = _audience(rng, stations)
        session = services.create_session(
            actor=actor,
            draft=services.SessionDraft(
                title=title,
                topic=topic,
                organiser=unit,
                held_on=day,
                hours=hours,
                audience=audience,
                place="局三楼会议室" if code else "局机关大会议室",
                lecturer=str(actor),
            ),
        )
        entries = _entries(rng, audience, staff)
        if entries:
            saved = services.record_attendance(
                session=session, actor=actor, entries=entries, today=today
            )
            person_times += sum(1 for a in saved if a.status == Attendance.Status.ATTENDED)
        held += 1
    progress(f"业务培训 training: {held} 场次, {person_times} 人次")
