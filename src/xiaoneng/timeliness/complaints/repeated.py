"""Repeated complaints (docs/timeliness/complaints.md): founded complaints and reports against one
entity within a year raise its credit risk through the register's credit rules."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from xiaoneng.org.models import Officer
from xiaoneng.registry.credit.services import credit_event
from xiaoneng.registry.models import CreditProposal, Entity
from xiaoneng.timeliness.complaints.models import Complaint

F = Complaint.Founded

# Repeated complaints (docs/timeliness/complaints.md): this many founded (属实 or 部分属实)
# complaints and reports against one entity received within WINDOW_DAYS raise its credit risk.
REPEAT_THRESHOLD = 3
WINDOW_DAYS = 365
FOUNDED = (F.FOUNDED, F.PARTLY)


def founded_within(entity: Entity, day: dt.date) -> QuerySet[Complaint]:
    """The founded complaints and reports against ``entity`` received in the WINDOW_DAYS days
    up to ``day``."""
    since = day - dt.timedelta(days=WINDOW_DAYS - 1)
    return Complaint.objects.filter(
        entity=entity, founded__in=FOUNDED, received_on__gte=since, received_on__lte=day
    )


def report_repeated(complaint: Complaint, actor: Officer) -> CreditProposal | None:
    """When ``complaint`` is founded and its entity has REPEAT_THRESHOLD founded ones within a
    year, report ``repeated_complaints`` to the credit rules (a proposal of grade C)."""
    if complaint.entity is None or complaint.founded not in FOUNDED:
        return None
    count = founded_within(complaint.entity, complaint.received_on).count()
    if count < REPEAT_THRESHOLD:
        return None
    return credit_event(
        entity=complaint.entity,
        trigger="repeated_complaints",
        source=_("投诉举报 %(n)s：一年内 %(c)d 件属实") % {"n": complaint.number, "c": count},
        actor=actor,
    )


def founded_q() -> Q:
    """Founded (属实 or 部分属实)."""
    return Q(founded__in=FOUNDED)
