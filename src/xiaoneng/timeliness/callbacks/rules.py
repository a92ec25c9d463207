"""Callback rules (回访规则): how a unit samples one kind of completed work each month."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from xiaoneng.core import audit
from xiaoneng.core.errors import FieldError
from xiaoneng.org import access
from xiaoneng.org.models import Officer, Unit
from xiaoneng.timeliness.callbacks.checks import refuse
from xiaoneng.timeliness.callbacks.models import CallbackRule, Channel, SampleMode, SubjectKind

SHARE_STEP = Decimal("0.01")


def _share(value: Any) -> Decimal | None:
    try:
        share = Decimal(str(value)).quantize(SHARE_STEP)
    except (InvalidOperation, ValueError):
        return None
    return share if Decimal(0) < share <= Decimal(1) else None


def _count(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if number >= 1 else None


def save_rule(
    *,
    actor: Officer | None,
    unit: Unit,
    subject_kind: str,
    mode: str,
    share: Any = None,
    count: Any = None,
    channel: str = Channel.PHONE,
    active: bool = True,
) -> CallbackRule:
    """Set how ``unit`` samples one kind of completed work each month (one rule per unit and
    kind: saving again changes it). A share rule gives the share only (0 < share ≤ 1), a count
    rule the count only (≥ 1), an all rule neither."""
    if actor is not None:
        access.require(actor, access.RUN_CALLBACKS)
        access.require_unit(actor, unit.pk)
    errors = []
    if subject_kind not in SubjectKind.values:
        errors.append(FieldError("subject_kind", _("回访对象无效：“%(v)s”") % {"v": subject_kind}))
    if mode not in SampleMode.values:
        errors.append(FieldError("mode", _("抽取方式无效：“%(v)s”") % {"v": mode}))
    if channel not in Channel.values:
        errors.append(FieldError("channel", _("回访方式无效：“%(v)s”") % {"v": channel}))
    given_share = share not in (None, "")
    given_count = count not in (None, "")
    share_value = count_value = None
    if mode == SampleMode.SHARE:
        share_value = _share(share) if given_share else None
        if share_value is None:
            errors.append(
                FieldError("share", _("抽取比例应大于 0 且不超过 1：“%(v)s”") % {"v": share or ""})
            )
        if given_count:
            errors.append(FieldError("count", _("按比例抽取时不填抽取数量")))
    elif mode == SampleMode.COUNT:
        count_value = _count(count) if given_count else None
        if count_value is None:
            errors.append(
                FieldError("count", _("抽取数量应为不小于 1 的整数：“%(v)s”") % {"v": count or ""})
            )
        if given_share:
            errors.append(FieldError("share", _("按数量抽取时不填抽取比例")))
    elif mode == SampleMode.ALL:
        if given_share:
            errors.append(FieldError("share", _("全部回访时不填抽取比例")))
        if given_count:
            errors.append(FieldError("count", _("全部回访时不填抽取数量")))
    refuse(errors)
    with transaction.atomic(), audit.attributed(actor):
        rule, _created = CallbackRule.objects.update_or_create(
            unit=unit,
            subject_kind=subject_kind,
            defaults={
                "mode": mode,
                "share": share_value,
                "count": count_value,
                "channel": channel,
                "active": bool(active),
            },
        )
    return rule
