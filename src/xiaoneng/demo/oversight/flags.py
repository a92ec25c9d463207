"""The trace checks' flags of the demo's records: dated when the records were signed, and the
older ones dealt with by the station directors, most cleared with the reason, a few confirmed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models

from xiaoneng.core import audit, bulk
from xiaoneng.core.models import AuditEvent
from xiaoneng.demo.inspections.context import Context
from xiaoneng.demo.rows import REASON
from xiaoneng.inspections.models import Attachment, TraceFlag

K = TraceFlag.Kind
SETTLED_AFTER = dt.timedelta(days=21)  # older flags have all been dealt with
CONFIRMED_SHARE: dict[str, float] = {
    K.FAR_CHECKIN: 0.15,
    K.TOO_SHORT: 0.2,
    K.TOO_MANY: 0.0,
    K.DUPLICATE_PHOTO: 0.5,
    K.LATE_RECORD: 0.05,
    K.UNIFORM_RUN: 0.4,
    K.LATE_SYNC: 0.1,
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
    K.LATE_SYNC: (
        "检查地点在山区牧场，连续数日无信号，返回镇上后同步，现场照片和签到位置相符。",
        "手机故障送修，修复后同步，当事人签名与纸质笔录一致。",
    ),
}
CONFIRMED: dict[str, str] = {
    K.FAR_CHECKIN: "经核实，检查人员未到现场，凭电话询问填写记录，已责令重新检查并作书面检查。",
    K.TOO_SHORT: "检查流于形式，未逐项核查，已对检查人员批评教育并责令重新检查。",
    K.TOO_MANY: "部分主体未实际检查，已责令重新检查，通报批评。",
    K.DUPLICATE_PHOTO: "重复使用其他检查的照片，已责令重新检查，通报批评。",
    K.LATE_RECORD: "检查记录系事后补写，已对检查人员诫勉谈话。",
    K.UNIFORM_RUN: "检查记录照抄照搬，未逐项检查，已对检查人员诫勉谈话并重新检查。",
    K.LATE_SYNC: "离线记录系事后补录，采集时间不实，已对检查人员诫勉谈话并重新检查。",
}


def _officer_unit(ctx: Context, unit: int) -> int:
    """Who deals with a unit's flags: its director, else the enforcement division's staff."""
    director = ctx.people.directors.get(unit)
    if director:
        return director
    staff = ctx.people.division_staff.get("K01") or ctx.people.credit_staff
    return staff[0] if staff else 0


def resolve_flags(ctx: Context) -> int:
    """Date each flag when its record was signed (a late sync's: when it arrived); settle the
    older ones."""
    synced = dict(TraceFlag.objects.filter(kind=K.LATE_SYNC).values_list("id", "raised_at"))
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
    raised = [synced.get(row[0], when) for row, when in zip(rows, _raised(rows), strict=True)]
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
