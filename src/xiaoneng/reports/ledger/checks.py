"""What is wrong with a ledger entry as given: the fields (``input_errors``, no database) and
the activity against its kind, unit and dates (``activity_errors``). Each message names the
field and the value, in the words the page shows (docs/ledger.md, "Bad input")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoneng.core.errors import FieldError
from xiaoneng.org.models import Unit
from xiaoneng.planning.patrol.models import Task
from xiaoneng.reports.ledger.models import ActivityKind

if TYPE_CHECKING:
    from xiaoneng.reports.ledger.services import EntryInput

HOURS_PER_DAY = 24
MAX_HOURS = Decimal("999999.9")
MAX_MONEY = Decimal("9999999999.99")
# The field each kind's activity is named by, and the message when it is missing.
ACTIVITY = {
    ActivityKind.PATROL_DAY: ("officer", gettext_lazy("日常巡查须选择巡查人员")),
    ActivityKind.CAMPAIGN: ("campaign", gettext_lazy("专项整治须选择所属专项整治")),
    ActivityKind.CASE: ("case", gettext_lazy("案件查办须选择案件")),
    ActivityKind.DRAW: ("draw", gettext_lazy("双随机抽查须选择抽查")),
}
ACTIVITY_LABELS = {
    "officer": gettext_lazy("巡查人员"),
    "campaign": gettext_lazy("专项整治"),
    "case": gettext_lazy("案件"),
    "draw": gettext_lazy("双随机抽查"),
}


def _places(value: Decimal, places: int) -> bool:
    exponent = value.as_tuple().exponent
    return isinstance(exponent, int) and -exponent <= places


def _dates(data: EntryInput, today: dt.date) -> list[FieldError]:
    errors = []
    if data.started_on is None:
        errors.append(FieldError("started_on", _("请填写开始日期")))
    elif data.started_on > today:
        errors.append(
            FieldError("started_on", _("开始日期不能晚于今天：%(d)s") % {"d": data.started_on})
        )
    if data.ended_on is None:
        errors.append(FieldError("ended_on", _("请填写结束日期")))
    elif data.ended_on > today:
        errors.append(
            FieldError("ended_on", _("结束日期不能晚于今天：%(d)s") % {"d": data.ended_on})
        )
    if data.started_on and data.ended_on and data.ended_on < data.started_on:
        message = _("结束日期 %(end)s 早于开始日期 %(start)s") % {
            "end": data.ended_on,
            "start": data.started_on,
        }
        errors.append(FieldError("ended_on", message))
    elif (
        data.kind == ActivityKind.PATROL_DAY
        and data.started_on
        and data.ended_on
        and data.ended_on != data.started_on
    ):
        errors.append(FieldError("ended_on", _("日常巡查按日登记，结束日期应与开始日期相同")))
    return errors


def _people(data: EntryInput) -> list[FieldError]:
    errors = []
    if data.officers is None:
        errors.append(FieldError("officers", _("请填写投入人数")))
    elif data.officers < 1:
        errors.append(
            FieldError("officers", _("投入人数应为不小于 1 的整数：%(v)s") % {"v": data.officers})
        )
    hours = data.person_hours
    if hours is None:
        errors.append(FieldError("person_hours", _("请填写投入工时")))
    elif hours < 0:
        errors.append(FieldError("person_hours", _("投入工时不能为负数：%(v)s") % {"v": hours}))
    elif hours == 0:
        errors.append(FieldError("person_hours", _("投入工时应大于 0")))
    elif not _places(hours, 1) or hours > MAX_HOURS:
        errors.append(
            FieldError(
                "person_hours", _("投入工时最多一位小数且不超过 999999.9：%(v)s") % {"v": hours}
            )
        )
    elif data.officers and data.officers >= 1 and data.started_on and data.ended_on:
        days = max((data.ended_on - data.started_on).days + 1, 1)
        most = data.officers * days * HOURS_PER_DAY
        if hours > most:
            message = _("投入工时 %(v)s 超过人数×天数×24 = %(n)s×%(d)s×24 = %(most)s") % {
                "v": hours,
                "n": data.officers,
                "d": days,
                "most": most,
            }
            errors.append(FieldError("person_hours", message))
    return errors


def _things(data: EntryInput) -> list[FieldError]:
    errors = []
    vehicles = data.vehicles or 0
    if vehicles < 0:
        errors.append(FieldError("vehicles", _("执法车辆不能为负数：%(v)s") % {"v": vehicles}))
    km = data.kilometres if data.kilometres is not None else Decimal(0)
    if km < 0:
        errors.append(FieldError("kilometres", _("行驶里程不能为负数：%(v)s") % {"v": km}))
    elif not _places(km, 1) or km > MAX_HOURS:
        errors.append(
            FieldError("kilometres", _("行驶里程最多一位小数且不超过 999999.9：%(v)s") % {"v": km})
        )
    elif km > 0 and vehicles < 1:
        errors.append(FieldError("kilometres", _("有行驶里程须登记至少 1 台执法车辆")))
    money = data.money if data.money is not None else Decimal(0)
    if money < 0:
        errors.append(FieldError("money", _("经费支出不能为负数：%(v)s") % {"v": money}))
    elif not _places(money, 2) or money > MAX_MONEY:
        errors.append(FieldError("money", _("经费支出以元计，最多两位小数：%(v)s") % {"v": money}))
    return errors


def _texts(data: EntryInput) -> list[FieldError]:
    errors = []
    if len(data.title) > 120:
        errors.append(FieldError("title", _("工作名称不能超过 120 个字")))
    if len(data.other_resources) > 200:
        errors.append(FieldError("other_resources", _("其他资源不能超过 200 个字")))
    if data.kind == ActivityKind.OTHER and not data.title:
        errors.append(FieldError("title", _("其他工作须填写工作名称")))
    return errors


def input_errors(data: EntryInput, today: dt.date) -> list[FieldError]:
    """Every problem of the fields themselves: kind and its activity, dates, inputs, texts."""
    errors = []
    if data.kind not in ActivityKind.values:
        errors.append(FieldError("kind", _("未知的工作类型：%(v)s") % {"v": data.kind}))
    else:
        label = ActivityKind(data.kind).label
        needed = ACTIVITY.get(ActivityKind(data.kind))
        if needed is not None and getattr(data, needed[0]) is None:
            errors.append(FieldError(needed[0], str(needed[1])))
        for name, field_label in ACTIVITY_LABELS.items():
            if getattr(data, name) is not None and (needed is None or needed[0] != name):
                message = _("%(kind)s不应关联%(field)s") % {"kind": label, "field": field_label}
                errors.append(FieldError(name, message))
    return errors + _dates(data, today) + _people(data) + _things(data) + _texts(data)


def _in_subtree(unit: Unit, unit_id: int | None, path: str | None = None) -> bool:
    if unit_id == unit.pk:
        return True
    return bool(path and path.startswith(unit.path))


def activity_errors(data: EntryInput) -> list[FieldError]:
    """The activity against the unit and the dates: the officer of the unit's subtree, a unit
    that took part in the campaign or draw, the case handled by the unit, and no entry that
    starts before its activity did (the entry's fields are valid: ``input_errors``)."""
    unit = data.unit
    assert unit is not None and data.started_on is not None
    kind = data.kind
    errors: list[FieldError] = []
    if kind == ActivityKind.PATROL_DAY:
        officer: Any = data.officer
        home = officer.unit
        if home is None or not _in_subtree(unit, home.pk, home.path):
            errors.append(
                FieldError("officer", _("巡查人员不属于投入单位：%(n)s") % {"n": officer})
            )
    elif kind == ActivityKind.CAMPAIGN:
        campaign: Any = data.campaign
        took_part = (
            campaign.unit_id == unit.pk
            or Task.objects.filter(
                plan_id=campaign.plan_id, unit__in=Unit.objects.subtree(unit).values("id")
            ).exists()
        )
        if not took_part:
            errors.append(
                FieldError("campaign", _("该单位未参加此专项整治：%(u)s") % {"u": unit.name})
            )
        if data.started_on < campaign.start_on:
            errors.append(
                FieldError(
                    "started_on",
                    _("开始日期早于专项整治开始日期 %(d)s") % {"d": campaign.start_on},
                )
            )
    elif kind == ActivityKind.DRAW:
        errors += _draw_errors(data)
    elif kind == ActivityKind.CASE:
        case: Any = data.case
        if not _in_subtree(unit, case.unit_id, case.unit.path):
            errors.append(FieldError("case", _("案件不属于投入单位：%(n)s") % {"n": case.number}))
        if data.started_on < case.received_on:
            errors.append(
                FieldError(
                    "started_on", _("开始日期早于案件线索登记日期 %(d)s") % {"d": case.received_on}
                )
            )
    return errors


def _draw_errors(data: EntryInput) -> list[FieldError]:
    draw: Any = data.draw
    unit = data.unit
    assert unit is not None and data.started_on is not None
    errors = []
    pool = set(draw.pool_units.values_list("id", flat=True))
    if draw.unit_id != unit.pk and unit.pk not in pool:
        errors.append(FieldError("draw", _("该单位未参加此抽查：%(u)s") % {"u": unit.name}))
    if draw.drawn_at is None:
        errors.append(FieldError("draw", _("该抽查尚未抽取：%(n)s") % {"n": draw.name}))
    else:
        drawn = timezone_day(draw.drawn_at)
        if data.started_on < drawn:
            errors.append(
                FieldError("started_on", _("开始日期早于抽查抽取日期 %(d)s") % {"d": drawn})
            )
    return errors


def timezone_day(moment: dt.datetime) -> dt.date:
    """The local (Asia/Shanghai) day of a stored moment."""
    return timezone.localdate(moment)
