"""The demo county's three-level oversight (篇2) of its year of inspections.

- The trace checks' flags are dated when the records were signed, and the station directors
  have dealt with the older ones: most cleared with the reason, a few confirmed.
- Each month each station's director was put a random sample of every officer's signed
  records (所长抽查, rate ``DIRECTOR_REVIEW_RATE``, seed kept); last month's sample is still
  waiting, the earlier ones are reviewed (a few problems found).
- The divisions put two to four matters a month to the stations (督办); most are closed, a
  couple are open past their deadline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone

from xiaoneng.core import audit, bulk
from xiaoneng.core.models import AuditEvent
from xiaoneng.demo.inspections import (
    REASON,
    Context,
    Rows,
    context,
    dates,
    local_moment,
    month_start,
    numbers,
)
from xiaoneng.demo.org import Organisation
from xiaoneng.inspections.models import Attachment, Inspection, Rectification, TraceFlag
from xiaoneng.oversight import services as oversight
from xiaoneng.oversight.models import DirectorReview, ReviewRound, SupervisionItem
from xiaoneng.planning.patrol import schedule

K = TraceFlag.Kind
SETTLED_AFTER = dt.timedelta(days=21)  # older flags have all been dealt with
CONFIRMED_SHARE: dict[str, float] = {
    K.FAR_CHECKIN: 0.15,
    K.TOO_SHORT: 0.2,
    K.TOO_MANY: 0.0,
    K.DUPLICATE_PHOTO: 0.5,
    K.LATE_RECORD: 0.05,
    K.UNIFORM_RUN: 0.4,
}
CLEARED: dict[str, tuple[str, ...]] = {
    K.FAR_CHECKIN: (
        "经核实，签到时手机定位漂移，检查人员确在现场（经营者证实）。",
        "检查人员在市场管理办公室集中签到后逐户检查，经调取照片核实属实。",
    ),
    K.TOO_SHORT: (
        "该户为单一事项核查，现场核对后即离开，用时合理。",
        "经营者已提前备齐材料，现场核对用时较短，属实。",
    ),
    K.TOO_MANY: ("当日在市场集中检查，摊位相邻，检查户数属实。",),
    K.DUPLICATE_PHOTO: ("同一市场相邻摊位，误传同一张照片，已补充现场照片。",),
    K.LATE_RECORD: (
        "检查当日网络中断，次日补录，有纸质检查记录为证。",
        "检查人员外出参加培训，返岗后补录，纸质记录齐全。",
    ),
    K.UNIFORM_RUN: ("该片区主体经营规范，经电话抽询经营者，逐项检查属实。",),
}
CONFIRMED: dict[str, str] = {
    K.FAR_CHECKIN: "经核实，检查人员未到现场，凭电话询问填写记录，已责令重新检查并作书面检查。",
    K.TOO_SHORT: "检查流于形式，未逐项核查，已对检查人员批评教育并责令重新检查。",
    K.TOO_MANY: "部分主体未实际检查，已责令重新检查，通报批评。",
    K.DUPLICATE_PHOTO: "重复使用其他检查的照片，已责令重新检查，通报批评。",
    K.LATE_RECORD: "检查记录系事后补写，已对检查人员诫勉谈话。",
    K.UNIFORM_RUN: "检查记录照抄照搬，未逐项检查，已对检查人员诫勉谈话并重新检查。",
}
REVIEW_METHODS = ("电话回访经营者", "实地复核", "查看现场照片", "调阅检查记录及附件")
REVIEW_PROBLEMS = (
    "检查记录填写不完整，部分不适用事项未说明理由。",
    "经电话回访，经营者称当日检查时间很短，已提醒检查人员逐项检查。",
    "现场照片未能反映检查事项，已要求今后拍摄证照及重点部位。",
)
PROBLEM_SHARE = 0.07


def build_oversight(
    rng: np.random.Generator,
    organisation: Organisation,
    *,
    now: dt.datetime,
    progress: Callable[[str], None] = print,
) -> None:
    """Resolve the older trace flags, draw and review each month's samples, and the year's
    supervision items."""
    ctx = context(rng, organisation, now=now, progress=progress, checklists=False)
    if not len(ctx.population):
        return
    with bulk.paused_gc(), transaction.atomic():
        flags = resolve_flags(ctx)
        rounds, reviews = review_rounds(ctx)
        items = supervision_items(ctx)
    progress(
        f"三级监管 oversight: {flags} 痕迹疑点已核实 flags resolved, {rounds} 所长抽查批次 "
        f"({reviews} records), {items} 督办事项 supervision items"
    )


# Trace flags --------------------------------------------------------------------------------


def _officer_unit(ctx: Context, unit: int) -> int:
    """Who deals with a unit's flags: its director, else the enforcement division's staff."""
    director = ctx.people.directors.get(unit)
    if director:
        return director
    staff = ctx.people.division_staff.get("K01") or ctx.people.credit_staff
    return staff[0] if staff else 0


def resolve_flags(ctx: Context) -> int:
    """Date each flag when its record was signed; settle the older ones."""
    rows = list(
        TraceFlag.objects.order_by("id").values_list(
            "id",
            "inspection_id",
            "kind",
            "unit_id",
            "inspection__signed_at",
            "inspection__lead_officer_id",
            "inspection__visited_on",
            "status",
            "detail",
        )
    )
    if not rows:
        return 0
    raised = _raised(rows)
    rng, now = ctx.rng, ctx.now
    update: list[tuple[Any, ...]] = []
    events: list[tuple[int, str, dict[str, Any], dt.datetime, int]] = []
    settled = 0
    for (pk, inspection, kind, unit, _signed, _lead, _day, status, _detail), when in zip(
        rows, raised, strict=True
    ):
        age = now - when
        decide = age > SETTLED_AFTER or (age > dt.timedelta(days=3) and rng.random() < 0.3)
        if not decide or status != TraceFlag.Status.OPEN:
            update.append((when, TraceFlag.Status.OPEN, None, None, "", pk))
            continue
        confirmed = rng.random() < CONFIRMED_SHARE.get(kind, 0.1)
        reason = (
            CONFIRMED[kind] if confirmed else CLEARED[kind][int(rng.integers(len(CLEARED[kind])))]
        )
        resolver = _officer_unit(ctx, unit)
        resolved = min(
            when + dt.timedelta(days=float(rng.uniform(1, 8))), now - dt.timedelta(hours=1)
        )
        state = TraceFlag.Status.CONFIRMED if confirmed else TraceFlag.Status.CLEARED
        update.append((when, state, resolver or None, resolved, reason, pk))
        events.append(
            (
                pk,
                f"#{inspection}: {dict(K.choices)[kind]}",
                {"status": ["open", state], "resolution": [None, reason]},
                resolved,
                resolver,
            )
        )
        settled += 1
    raised_values = bulk.adapted(_field(TraceFlag, "raised_at"), [u[0] for u in update])
    resolved_values = bulk.adapted(_field(TraceFlag, "resolved_at"), [u[3] for u in update])
    table = connection.ops.quote_name(TraceFlag._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET raised_at = %s, status = %s, resolved_by_id = %s, "
            "resolved_at = %s, resolution = %s WHERE id = %s",
            [
                (r, u[1], u[2], s, u[4], u[5])
                for r, s, u in zip(raised_values, resolved_values, update, strict=True)
            ],
        )
    _redate_creation(TraceFlag, [u[5] for u in update], [u[0] for u in update])
    _trace_updates(TraceFlag, events, reason="痕迹疑点核实")
    return settled


def _field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    found = model._meta.get_field(name)
    assert isinstance(found, models.Field)
    return found


def _raised(rows: list[tuple[Any, ...]]) -> list[dt.datetime]:
    """When each flag was raised: on signing its record, or (an officer-day too busy, a photo
    shared) on signing the last record that made it so."""
    signed = {r[1]: r[4] for r in rows}
    by_day: dict[tuple[int, Any], dt.datetime] = {}
    for _pk, _i, kind, _u, when, lead, day, _s, _d in rows:
        if kind == K.TOO_MANY:
            by_day[(lead, day)] = max(by_day.get((lead, day), when), when)
    digests: dict[int, list[str]] = {}
    photo_ids = [r[1] for r in rows if r[2] == K.DUPLICATE_PHOTO]
    for inspection, digest in Attachment.objects.filter(inspection_id__in=photo_ids).values_list(
        "inspection_id", "sha256"
    ):
        digests.setdefault(inspection, []).append(digest)
    latest: dict[str, dt.datetime] = {}
    for inspection, found in digests.items():
        for digest in found:
            latest[digest] = max(latest.get(digest, signed[inspection]), signed[inspection])
    result = []
    for _pk, inspection, kind, _u, when, lead, day, _s, _d in rows:
        if kind == K.TOO_MANY:
            when = by_day[(lead, day)]
        elif kind == K.DUPLICATE_PHOTO:
            when = max([when] + [latest[d] for d in digests.get(inspection, []) if d in latest])
        result.append(when + dt.timedelta(seconds=2))
    return result


def _redate_creation(model: type[Any], ids: list[int], at: list[dt.datetime]) -> None:
    """The creation events of ``ids`` (written by a service at run time) dated ``at``."""
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    values = bulk.adapted(_field(AuditEvent, "at"), at)
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET at = %s WHERE content_type_id = %s AND object_id = %s "
            "AND action = %s",
            [
                (v, content_type.pk, str(pk), AuditEvent.Action.CREATE)
                for v, pk in zip(values, ids, strict=True)
            ],
        )


def _trace_updates(
    model: type[Any],
    events: list[tuple[int, str, dict[str, Any], dt.datetime, int]],
    *,
    reason: str = "",
) -> None:
    """Update events ``(id, repr, changes, at, actor id)`` of historic changes."""
    if not events:
        return
    actors = {pk for *_rest, pk in events if pk}
    from xiaoneng.org.models import Officer

    names = {
        pk: name or username
        for pk, name, username in Officer.objects.filter(pk__in=actors).values_list(
            "pk", "name", "username"
        )
    }
    columns = audit.event_columns(
        model,
        object_ids=[e[0] for e in events],
        reprs=[e[1] for e in events],
        changes=[e[2] for e in events],
        action=AuditEvent.Action.UPDATE,
        at=[e[3] for e in events],
        actor=None,
        source=AuditEvent.Source.WEB,
        reason=f"{reason}（{REASON}）" if reason else REASON,
        actor_ids=[e[4] or None for e in events],
        actor_names=[names.get(e[4], "") for e in events],
    )
    bulk.insert(AuditEvent, columns, len(events))


# Director spot checks --------------------------------------------------------------------------


@dataclass
class DrawnRound:
    """A month's sample of one station's records, drawn with its own seed."""

    station: int
    month: str
    seed: str
    population: int
    drawn_at: dt.datetime
    sample: np.ndarray


def review_rounds(ctx: Context) -> tuple[int, int]:
    """Each past month's sample of each station's signed records; all but last month's done."""
    rounds = _draw_rounds(ctx)
    rate = Decimal(str(settings.DIRECTOR_REVIEW_RATE)).quantize(Decimal("0.001"))
    rows = Rows("unit_id month rate seed population drawn_at drawn_by_id")
    for r in rounds:
        rows.add(
            r.drawn_at,
            unit_id=r.station,
            month=r.month,
            rate=rate,
            seed=r.seed,
            population=r.population,
            drawn_at=r.drawn_at,
        )
    names = {s.pk: s.name for s in ctx.people.stations}
    round_ids = rows.write(ReviewRound, [f"{names[r.station]} {r.month}" for r in rounds])
    return len(rounds), _reviews(ctx, rounds, round_ids)


def _draw_rounds(ctx: Context) -> list[DrawnRound]:
    """The rounds drawn on the first working day after each month, by today, with the very
    rule of ``oversight.draw_reviews`` (so ``xiaoneng review`` verifies each of them)."""
    rate = Decimal(str(settings.DIRECTOR_REVIEW_RATE))
    minimum = int(settings.DIRECTOR_REVIEW_MINIMUM)
    stations = [s.pk for s in ctx.people.stations]
    this_month = month_start(ctx.today, 0)
    zone = timezone.get_default_timezone()
    groups: dict[tuple[int, str], dict[int, list[int]]] = {}
    records = (
        Inspection.objects.filter(
            status=Inspection.Status.SIGNED,
            amends__isnull=True,
            unit_id__in=stations,
            signed_at__lt=dt.datetime.combine(this_month, dt.time(), tzinfo=zone),
        )
        .order_by("lead_officer_id", "id")
        .values_list("id", "unit_id", "lead_officer_id", "signed_at")
    )
    for pk, unit, lead, signed_at in records:
        month = f"{timezone.localtime(signed_at, zone):%Y-%m}"
        groups.setdefault((unit, month), {}).setdefault(lead, []).append(pk)
    rounds = []
    for (station, m), by_lead in sorted(groups.items(), key=lambda g: (g[0][1], g[0][0])):
        first = dt.date(int(m[:4]), int(m[5:]), 1)
        drawn_day = dates(ctx.days.forward(numbers([month_start(first, -1)])))[0]
        assert drawn_day is not None
        drawn_at = local_moment(drawn_day, 9, 30)
        if drawn_at >= ctx.now:
            continue
        seed = ctx.rng.bytes(16).hex()
        sample = np.array(oversight.draw_sample(seed, by_lead, rate, minimum), dtype=np.int64)
        population = sum(len(v) for v in by_lead.values())
        rounds.append(DrawnRound(station, m, seed, population, drawn_at, sample))
    return rounds


def _reviews(ctx: Context, rounds: list[DrawnRound], round_ids: list[int]) -> int:
    """The director's review of each record drawn: last month's still waiting."""
    rng = ctx.rng
    confirmed = set(
        TraceFlag.objects.filter(status=TraceFlag.Status.CONFIRMED).values_list(
            "inspection_id", flat=True
        )
    )
    last_month = f"{month_start(ctx.today, 1):%Y-%m}"
    rows = Rows("round_id inspection_id unit_id status method note reviewer_id reviewed_at")
    for r, round_id in zip(rounds, round_ids, strict=True):
        director = ctx.people.directors.get(r.station)
        for inspection in r.sample.tolist():
            done = {"round_id": round_id, "inspection_id": inspection, "unit_id": r.station}
            reviewed = min(
                r.drawn_at + dt.timedelta(days=float(rng.uniform(2, 20))),
                ctx.now - dt.timedelta(hours=2),
            )
            problem = inspection in confirmed or rng.random() < PROBLEM_SHARE
            if r.month >= last_month or director is None:
                rows.add(
                    r.drawn_at, status=DirectorReview.Status.PENDING, method="", note="", **done
                )
                continue
            method = REVIEW_METHODS[int(rng.integers(len(REVIEW_METHODS)))]
            if problem:
                status = DirectorReview.Status.PROBLEM
                note = REVIEW_PROBLEMS[int(rng.integers(len(REVIEW_PROBLEMS)))]
            else:
                status, note = DirectorReview.Status.CONFIRMED, "检查记录属实，填写规范。"
            rows.add(
                r.drawn_at,
                status=status,
                method=method,
                note=note,
                reviewer_id=director,
                reviewed_at=reviewed,
                **done,
            )
    rows.write(DirectorReview, [f"#{pk}" for pk in rows.columns["inspection_id"]])
    return len(rows)


# Supervision items ------------------------------------------------------------------------------


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
