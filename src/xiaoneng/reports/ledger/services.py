"""The ledger's writes: record an entry of inputs, correct it, set a year's quotas (定额).

Recording takes RECORD_LEDGER (station directors for their station, division staff for the
units of their bureau) and the entry's unit in the actor's scope. Every field is checked and
every problem named at once (``InvalidInput``); nothing is written unless all pass. A
correction goes through the same checks, keeps the trace (``@traced``) and names its reason.
Quotas take MANAGE_QUOTAS (administrators, division staff).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import audit
from xiaoneng.core.errors import Conflict, FieldError, InvalidInput
from xiaoneng.core.models import AuditEvent
from xiaoneng.org import access
from xiaoneng.org.models import Officer, Unit
from xiaoneng.reports.ledger.checks import activity_errors, input_errors
from xiaoneng.reports.ledger.models import ActivityKind, LedgerEntry, Quota


@dataclass
class EntryInput:
    """What is registered for one activity: the unit, the activity, the dates and the inputs.
    ``None`` is "not given" (the checks say which are required)."""

    unit: Unit | None = None
    kind: str = ""
    officer: Officer | None = None
    campaign: object | None = None
    case: object | None = None
    draw: object | None = None
    title: str = ""
    started_on: dt.date | None = None
    ended_on: dt.date | None = None
    officers: int | None = None
    person_hours: Decimal | None = None
    vehicles: int | None = 0
    kilometres: Decimal | None = Decimal(0)
    money: Decimal | None = Decimal(0)
    other_resources: str = ""
    note: str = ""


def may_record(actor: Officer, unit_id: int | None = None) -> bool:
    """Whether ``actor`` may record entries (of ``unit_id`` when given)."""
    if not access.can(actor, access.RECORD_LEDGER):
        return False
    return unit_id is None or access.in_scope(actor, unit_id)


def may_manage_quotas(actor: Officer) -> bool:
    return access.can(actor, access.MANAGE_QUOTAS)


def _raise(errors: list[FieldError]) -> None:
    if errors:
        raise InvalidInput(f"{errors[0].field}: {errors[0].message}", errors=errors)


def _duplicate(data: EntryInput, exclude: int | None) -> LedgerEntry | None:
    """The entry already registered for the same activity (and unit), if any."""
    rows = LedgerEntry.objects.filter(kind=data.kind)
    if data.kind == ActivityKind.PATROL_DAY and data.started_on is not None:
        rows = rows.filter(officer=data.officer, started_on=data.started_on)
    elif data.kind in (ActivityKind.CAMPAIGN, ActivityKind.CASE, ActivityKind.DRAW):
        rows = rows.filter(**{data.kind: getattr(data, data.kind), "unit": data.unit})
    else:
        return None
    if exclude is not None:
        rows = rows.exclude(pk=exclude)
    return rows.first()


def _checked(data: EntryInput, actor: Officer, today: dt.date, exclude: int | None) -> None:
    """Every check of an entry, in order: capability, fields, scope, duplicate."""
    access.require(actor, access.RECORD_LEDGER)
    data.title = (data.title or "").strip()
    data.other_resources = (data.other_resources or "").strip()
    data.note = (data.note or "").strip()
    errors = input_errors(data, today)
    if data.unit is None:
        errors.insert(0, FieldError("unit", _("请选择投入单位")))
    _raise(errors)
    assert data.unit is not None
    access.require_unit(actor, data.unit.pk)
    _raise(activity_errors(data))
    found = _duplicate(data, exclude)
    if found is not None:
        message = _("该工作已登记资源消耗（台帐 #%(id)s）") % {"id": found.pk}
        raise Conflict(message, errors=[FieldError(data.kind or "kind", message)])


def _columns(data: EntryInput) -> dict[str, object]:
    values = {f.name: getattr(data, f.name) for f in fields(data)}
    values["vehicles"] = data.vehicles or 0
    values["kilometres"] = data.kilometres or Decimal(0)
    values["money"] = data.money or Decimal(0)
    return values


def record_entry(*, data: EntryInput, actor: Officer, today: dt.date | None = None) -> LedgerEntry:
    """Register the inputs of one activity (篇5: 如实登记); refused whole on any problem."""
    today = today or timezone.localdate()
    _checked(data, actor, today, exclude=None)
    now = timezone.now()
    try:
        with transaction.atomic(), audit.attributed(actor):
            return LedgerEntry.objects.create(
                **_columns(data), recorded_by=actor, recorded_at=now, updated_at=now
            )
    except IntegrityError:  # the same activity registered at the same moment by someone else
        raise Conflict(_("该工作已登记资源消耗")) from None


def edit_entry(
    *,
    entry: LedgerEntry,
    data: EntryInput,
    reason: str,
    actor: Officer,
    today: dt.date | None = None,
) -> LedgerEntry:
    """Correct an entry: the same checks as a new one, a reason, and the trace keeps both."""
    today = today or timezone.localdate()
    access.require_unit(actor, entry.unit_id)
    reason = (reason or "").strip()
    if not reason:
        _raise([FieldError("reason", _("请填写更正理由"))])
    _checked(data, actor, today, exclude=entry.pk)
    try:
        with transaction.atomic(), audit.attributed(actor):
            for name, value in _columns(data).items():
                setattr(entry, name, value)
            entry.updated_at = timezone.now()
            entry.save()
            audit.record(
                entry,
                action=AuditEvent.Action.UPDATE,
                changes={_("更正理由"): [None, reason]},
                reason=reason,
            )
    except IntegrityError:
        raise Conflict(_("该工作已登记资源消耗")) from None
    return entry


QUOTA_LIMITS = (
    "hours_per_inspection",
    "money_per_inspection",
    "kilometres_per_inspection",
    "money_per_activity",
)


def set_quota(
    *,
    year: int | None,
    kind: str,
    unit_kind: str = "",
    limits: dict[str, Decimal | None],
    note: str = "",
    actor: Officer,
) -> Quota:
    """Set (or replace) the quotas of ``kind`` in ``year`` (for ``unit_kind``, or every kind
    of unit when blank); a limit left None is not set (篇5: 确定支出定额)."""
    access.require(actor, access.MANAGE_QUOTAS)
    errors: list[FieldError] = []
    if year is None:
        errors.append(FieldError("year", _("请填写年度")))
    elif not 2000 <= year <= 2100:
        errors.append(FieldError("year", _("年度应在 2000 至 2100 之间：%(v)s") % {"v": year}))
    if kind not in ActivityKind.values:
        errors.append(FieldError("kind", _("未知的工作类型：%(v)s") % {"v": kind}))
    if unit_kind and unit_kind not in Unit.Kind.values:
        errors.append(FieldError("unit_kind", _("未知的单位类型：%(v)s") % {"v": unit_kind}))
    for name in QUOTA_LIMITS:
        value = limits.get(name)
        if value is not None and value <= 0:
            errors.append(FieldError(name, _("定额应大于 0：%(v)s") % {"v": value}))
        elif value is not None and value >= Decimal("1e9"):
            errors.append(FieldError(name, _("定额数值过大：%(v)s") % {"v": value}))
    if all(limits.get(name) is None for name in QUOTA_LIMITS):
        errors.append(FieldError("", _("请至少填写一项定额")))
    note = (note or "").strip()
    if len(note) > 200:
        errors.append(FieldError("note", _("依据不能超过 200 个字")))
    _raise(errors)
    assert year is not None
    values = {name: limits.get(name) for name in QUOTA_LIMITS}
    with transaction.atomic(), audit.attributed(actor):
        quota, _created = Quota.objects.update_or_create(
            year=year,
            kind=kind,
            unit_kind=unit_kind,
            defaults={**values, "note": note, "set_by": actor, "set_at": timezone.now()},
        )
    return quota
