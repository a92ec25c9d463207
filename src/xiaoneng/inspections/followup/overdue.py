"""Overdue rectification orders: the daily warning (警示, 篇7) and its report to credit feedback.

An order is overdue once the first working day after its deadline (its re-inspection day) has
passed without it being rectified; it is warned and the entity's credit grade is proposed lower
(``registry.credit.services.credit_event``).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from xiaoneng.core import audit
from xiaoneng.inspections.followup import transitions
from xiaoneng.inspections.followup.models import Rectification
from xiaoneng.inspections.followup.services import url_or_blank
from xiaoneng.registry.credit.services import credit_event
from xiaoneng.registry.models import CreditTrigger, Entity

R = Rectification.Status


def overdue(today: dt.date) -> Q:
    """Open orders whose deadline and re-inspection day have both passed by ``today``."""
    return Q(status=R.OPEN, deadline__lt=today) & (
        Q(reinspection_task__isnull=True)
        | Q(reinspection_task__due_on__isnull=True)
        | Q(reinspection_task__due_on__lt=today)
    )


def warn_overdue(*, today: dt.date) -> int:
    """Warn (警示) every overdue order and report it to the credit feedback; returns how many.

    The daily job. An order is overdue once the first working day after its deadline (its
    re-inspection day) has passed without it being rectified. Idempotent: a warned order is
    not warned again.
    """
    count = 0
    orders = Rectification.objects.filter(overdue(today))
    for rectification in orders.order_by("deadline", "pk").iterator(chunk_size=500):
        with transaction.atomic():
            transitions.RECTIFICATION.move(rectification, R.WARNED)
            rectification.warned_on = today
            day = f"{rectification.deadline:%Y-%m-%d}"
            audit.set_reason(rectification, _("整改期限 %(day)s 已过，未整改到位") % {"day": day})
            rectification.save()
            credit_event(
                # Read afresh: an earlier order of the same entity may have lowered its grade.
                entity=Entity.objects.get(pk=rectification.entity_id),
                trigger=CreditTrigger.RECTIFICATION_OVERDUE,
                source=_("%(number)s 逾期未整改") % {"number": rectification.number},
                source_url=url_or_blank("inspections:rectification_detail", rectification.pk),
            )
        count += 1
    return count
