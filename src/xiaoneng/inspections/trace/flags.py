"""Trace flags: the sentence each one says, how a person resolves one, and the lists of them.

A flag goes to the station's director and to the divisions (unit scoping: the flag's unit is
the inspection's). Whoever holds REVIEW_INSPECTIONS checks it and clears it (排除) or confirms
it (属实), with a reason. A confirmed false check is a matter for accountability (篇7: 虚假检查
或在检查过程中弄虚作假的行为，一旦查实要严肃处理).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import audit
from xiaoneng.core.errors import InvalidInput
from xiaoneng.core.scoping import scoped
from xiaoneng.inspections.records.models import TraceFlag
from xiaoneng.inspections.records.transitions import TRACE_FLAG
from xiaoneng.org import access
from xiaoneng.org.models import Officer

K = TraceFlag.Kind
REASON_MIN_LENGTH = 5
DETAIL_LENGTH = 300
OTHERS_SHOWN = 3  # other inspections a photo flag names
OTHERS_COUNTED = 50  # beyond this many, "50 份以上"


# What a flag says ------------------------------------------------------------------------------


def figure(value: float) -> str:
    """A figure for a sentence: whole numbers without decimals, others with one."""
    rounded = round(float(value), 1)
    return f"{rounded:.0f}" if rounded == int(rounded) else f"{rounded:.1f}"


def distance(metres: float) -> str:
    """``820 米`` below a kilometre, ``1.8 公里`` above."""
    if metres >= 1000:
        return _("%(km)s 公里") % {"km": figure(metres / 1000)}
    return _("%(m)s 米") % {"m": f"{metres:.0f}"}


def far_details(metres: Sequence[float], limit_m: float) -> list[str]:
    template = _("签到位置距主体登记位置 %(distance)s（阈值 %(limit)s）")
    limit = distance(limit_m)
    return [template % {"distance": distance(m), "limit": limit} for m in metres]


def short_details(minutes: Sequence[float], limit: float) -> list[str]:
    template = _("现场检查用时 %(minutes)s 分钟（阈值 %(limit)s 分钟）")
    return [template % {"minutes": figure(m), "limit": figure(limit)} for m in minutes]


def busy_details(days: Sequence[dt.date], counts: Sequence[int], limit: int) -> list[str]:
    template = _("主查人 %(day)s 签名现场检查 %(count)d 户（阈值每日 %(limit)d 户）")
    return [
        template % {"day": day.isoformat(), "count": n, "limit": limit}
        for day, n in zip(days, counts, strict=True)
    ]


def late_details(hours: Sequence[float], untimed: Sequence[bool], limit: float) -> list[str]:
    after_visit = _("检查结束后 %(hours)s 小时才签名（阈值 %(limit)s 小时）")
    after_day = _("检查日结束后 %(hours)s 小时才签名（阈值 %(limit)s 小时）")
    return [
        (after_day if no_end else after_visit) % {"hours": figure(h), "limit": figure(limit)}
        for h, no_end in zip(hours, untimed, strict=True)
    ]


def uniform_details(counts: Sequence[int], limit: int) -> list[str]:
    template = _("主查人连续 %(count)d 份记录全部同一结论且无说明（阈值 %(limit)d 份）")
    return [template % {"count": n, "limit": limit} for n in counts]


def record_label(pk: int, entity_name: str, visited_on: dt.date) -> str:
    """How a photo flag names another record: ``#12（甲商店，2026-03-02）``."""
    return f"#{pk}（{entity_name[:40]}，{visited_on:%Y-%m-%d}）"


def photo_detail(shown: Sequence[str], count: int) -> str:
    """The sentence of a duplicate photo: the first records named, and how many there are."""
    names = "、".join(shown)
    if count > OTHERS_COUNTED:
        sentence = _("照片与检查记录 %(records)s 等 %(count)d 份以上其他记录相同") % {
            "records": names,
            "count": OTHERS_COUNTED,
        }
    elif count > len(shown):
        sentence = _("照片与检查记录 %(records)s 等 %(count)d 份其他记录相同") % {
            "records": names,
            "count": count,
        }
    else:
        sentence = _("照片与检查记录 %(records)s相同") % {"records": names}
    return sentence[:DETAIL_LENGTH]


# Resolving -------------------------------------------------------------------------------------


def resolve_flag(*, flag: TraceFlag, actor: Officer, confirmed: bool, reason: str) -> TraceFlag:
    """Clear a flag (排除: the record is genuine) or confirm it (属实), with a reason.

    Needs REVIEW_INSPECTIONS (the station's director, division staff) and the flag's unit in
    the actor's scope; the reason must say what was checked (at least 5 characters).
    """
    access.require(actor, access.REVIEW_INSPECTIONS)
    access.require_unit(actor, flag.unit_id)
    to = TraceFlag.Status.CONFIRMED if confirmed else TraceFlag.Status.CLEARED
    TRACE_FLAG.check(flag, to)
    reason = (reason or "").strip()
    if len(reason) < REASON_MIN_LENGTH:
        raise InvalidInput.single(
            "reason",
            _("请填写核实意见，至少 %(n)d 个字：“%(value)s”")
            % {"n": REASON_MIN_LENGTH, "value": reason},
        )
    with transaction.atomic(), audit.attributed(actor):
        TRACE_FLAG.move(flag, to)
        flag.resolved_by = actor
        flag.resolved_at = timezone.now()
        flag.resolution = reason
        audit.set_reason(flag, reason)
        flag.save()
    return flag


# Lists -------------------------------------------------------------------------------------------


def flags_for(user: Officer) -> QuerySet[TraceFlag]:
    """The flags ``user`` may see, with what their lists show."""
    return scoped(
        TraceFlag.objects.select_related(
            "unit", "inspection__entity", "inspection__lead_officer", "resolved_by"
        ),
        user,
    )


def filter_flags(
    flags: QuerySet[TraceFlag],
    *,
    kind: str = "",
    status: str = "",
    unit: str = "",
    officer: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[TraceFlag]:
    """``flags`` narrowed by kind, status, unit code, lead officer (username) and visit dates."""
    if kind:
        flags = flags.filter(kind=kind)
    if status:
        flags = flags.filter(status=status)
    if unit:
        flags = flags.filter(unit__code=unit)
    if officer:
        flags = flags.filter(inspection__lead_officer__username=officer)
    if date_from:
        flags = flags.filter(inspection__visited_on__gte=date_from)
    if date_to:
        flags = flags.filter(inspection__visited_on__lte=date_to)
    return flags


def counts_by_kind(flags: QuerySet[TraceFlag]) -> list[tuple[str, str, int]]:
    """``(kind, label, count)`` of ``flags`` for every kind, in the order of the kinds."""
    counted = dict(flags.order_by().values_list("kind").annotate(n=Count("id")))
    return [(kind, str(label), counted.get(kind, 0)) for kind, label in K.choices]
