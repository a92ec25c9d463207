"""The demo county's issued documents (issue 15): the 现场检查笔录 of recent enforcement
inspections, each issued by its lead officer within the hour after signing, and one re-issued
with its reason; the 责令改正通知书 of recent rectification orders on the day they were made,
the 整改复查意见书 of orders re-inspected or rectified, and the 警示通知书 of warned orders — so
that a record's page, the PDF and the public verification page all have something to show."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils import timezone

from xiaoneng.core.errors import DomainError
from xiaoneng.documents.models import DocumentKind
from xiaoneng.documents.services import issue_document, reissue_document
from xiaoneng.inspections.followup.models import Rectification
from xiaoneng.inspections.records.models import Inspection
from xiaoneng.org.models import Officer

ISSUED = 30
# Of each kind issued from rectification orders: the most recent ones.
NOTICES = 30


def build_documents(*, now: dt.datetime, progress: Callable[[str], None] = print) -> None:
    signed = (
        Inspection.objects.filter(
            status=Inspection.Status.SIGNED, signed_at__isnull=False, signed_at__lt=now
        )
        .select_related("lead_officer")
        .order_by("-enforcement", "-signed_at", "-id")
    )
    issued = []
    # Numbered in the order they were issued: the earliest signed first.
    chosen = sorted(signed[:ISSUED], key=lambda record: (record.signed_at, record.pk))
    for inspection in chosen:
        # Issued after the last signature, never later than now (the demo is consistent in time).
        signed_at = inspection.signed_at
        assert signed_at is not None  # filtered above
        at = min(signed_at + dt.timedelta(minutes=20), now)
        try:
            issued.append(
                issue_document(
                    kind=DocumentKind.INSPECTION,
                    record_id=inspection.pk,
                    actor=inspection.lead_officer,
                    at=at,
                )
            )
        except DomainError:
            continue  # a lead officer who may not issue it: left to the team
    if issued:
        first = issued[0]
        record = Inspection.objects.select_related("lead_officer").get(pk=first.object_id)
        reissue_document(
            document=first,
            reason="当事人法定代表人姓名有误，更正后重新出具",
            actor=record.lead_officer,
            at=min(first.issued_at + dt.timedelta(days=1), now),
        )
    counts = _order_documents(now)
    progress(
        f"执法文书 documents: {len(issued)} 份现场检查笔录, 1 份重新出具, "
        f"{counts[DocumentKind.RECTIFICATION]} 份责令改正通知书, "
        f"{counts[DocumentKind.REINSPECTION]} 份整改复查意见书, "
        f"{counts[DocumentKind.WARNING]} 份警示通知书"
    )


def _at(day: dt.date, hour: int, now: dt.datetime) -> dt.datetime:
    """``hour`` o'clock of ``day`` in the bureau's time zone, never later than now."""
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))
    return min(moment, now)


def _order_documents(now: dt.datetime) -> dict[str, int]:
    """The notices of recent orders, issued by the officer who made the order: the notice on the
    day it was made, the review on the day it was closed, the warning on the day it was warned.
    Each kind is issued in the order of its day, so that its numbers run with time."""
    # Orders from inspections: the demo's orders from ad monitoring are made after the others,
    # so their numbers do not run with their days (CHANGELOG, noticed), and a notice would show it.
    orders = (
        Rectification.objects.filter(inspection__isnull=False)
        .select_related("issued_by")
        .order_by("-issued_on", "-id")
    )
    plans: list[tuple[dt.datetime, str, Rectification]] = []
    for rectification in orders[:NOTICES]:
        plans.append(
            (_at(rectification.issued_on, 16, now), DocumentKind.RECTIFICATION, rectification)
        )
    reviewed = orders.filter(closed_on__isnull=False, closed_on__lte=now.date())
    for rectification in reviewed.order_by("-closed_on", "-id")[:NOTICES]:
        assert rectification.closed_on is not None  # filtered above
        plans.append(
            (_at(rectification.closed_on, 17, now), DocumentKind.REINSPECTION, rectification)
        )
    warned = orders.filter(warned_on__isnull=False, warned_on__lte=now.date())
    for rectification in warned.order_by("-warned_on", "-id")[:NOTICES]:
        assert rectification.warned_on is not None  # filtered above
        plans.append((_at(rectification.warned_on, 10, now), DocumentKind.WARNING, rectification))
    counts: dict[str, int] = dict.fromkeys(
        (DocumentKind.RECTIFICATION, DocumentKind.REINSPECTION, DocumentKind.WARNING), 0
    )
    for at, kind, rectification in sorted(plans, key=lambda plan: (plan[0], plan[2].pk)):
        actor: Officer = rectification.issued_by
        try:
            issue_document(kind=kind, record_id=rectification.pk, actor=actor, at=at)
        except DomainError:
            continue  # an issuer who may not issue it, an order not in a state to: left alone
        counts[kind] += 1
    return counts
