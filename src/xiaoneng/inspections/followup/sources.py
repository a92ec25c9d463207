"""Findings made without an inspection record: a later domain such as ad monitoring (广告监测)
finds a problem of a registered entity and orders it rectified (责令改正) through the same
orders, deadlines and re-inspections as an inspection's findings (``services``). The finding
and the order name their source and where to see it; the source's own record points to the
finding, follow-up never names it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import audit
from xiaoneng.core.errors import FieldError
from xiaoneng.inspections.checklists.models import ChecklistItem
from xiaoneng.inspections.followup.models import Finding, Rectification
from xiaoneng.inspections.followup.services import checked_term, save_order
from xiaoneng.org import access
from xiaoneng.org.models import Officer
from xiaoneng.registry.models import Entity


def issue_for_source(
    *,
    entity: Entity,
    item: ChecklistItem,
    description: str,
    source: str,
    source_url: str = "",
    found_on: dt.date,
    actor: Officer,
    requirements: str,
    working_days: Any = None,
    deadline: dt.date | None = None,
    today: dt.date | None = None,
) -> Rectification:
    """A finding made without an inspection record — by another source, e.g. a monitored ad
    confirmed unlawful — ordered rectified at once.

    The finding and the order record their ``source`` (and ``source_url``, where to see it);
    the finding is against ``item`` with its severity. Deadline, number and re-inspection are
    as ``issue_rectification`` makes them; the order closes the same ways. Nothing is written
    when refused.
    """
    access.require(actor, access.INSPECT)
    access.require_unit(actor, entity.unit_id)
    today = today or timezone.localdate()
    errors = []
    if not (description or "").strip():
        errors.append(FieldError("description", _("请填写问题描述")))
    if not (requirements or "").strip():
        errors.append(FieldError("requirements", _("请填写整改要求")))
    if found_on > today:
        errors.append(
            FieldError(
                "found_on",
                _("发现日期不能晚于下达日期 %(day)s：%(v)s") % {"day": today, "v": found_on},
            )
        )
    term = checked_term(errors, issued_on=today, working_days=working_days, deadline=deadline)
    where = {"source": source.strip()[:200], "source_url": source_url[:200]}
    with transaction.atomic(), audit.attributed(actor):
        finding = Finding.objects.create(
            item=item,
            entity=entity,
            unit_id=entity.unit_id,
            severity=item.severity,
            description=description.strip(),
            found_on=found_on,
            **where,
        )
        return save_order(
            Rectification(entity=entity, unit_id=entity.unit_id, **where),
            findings=[finding],
            actor=actor,
            requirements=requirements,
            term=term,
            today=today,
        )
