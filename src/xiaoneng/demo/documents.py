"""The demo county's issued documents (issue 15): the 现场检查笔录 of recent enforcement
inspections, each issued by its lead officer within the hour after signing, and one re-issued
with its reason; the 责令改正通知书 of recent rectification orders on the day they were made,
the 整改复查意见书 of orders re-inspected or rectified, the 警示通知书 of warned orders, and the
four documents of recent cases at their stages — so that a record's page, the PDF and the
public verification page all have something to show."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from xiaoneng.cases.models import Case
from xiaoneng.core.errors import DomainError
from xiaoneng.documents.models import DocumentKind
from xiaoneng.documents.services import issue_document, reissue_document
from xiaoneng.inspections.followup.models import Rectification
from xiaoneng.inspections.records.models import Inspection

ISSUED = 30
# Of each kind issued from orders and cases: the most recent ones.
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
    counts = _record_documents(now)
    named = ", ".join(
        f"{counts[kind]} 份{DocumentKind(kind).label}" for kind, *_rest in RECORD_DOCUMENTS
    )
    progress(f"执法文书 documents: {len(issued)} 份现场检查笔录, 1 份重新出具, {named}")


def _at(day: dt.date, hour: int, now: dt.datetime) -> dt.datetime:
    """``hour`` o'clock of ``day`` in the bureau's time zone, never later than now."""
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))
    return min(moment, now)


# Orders from inspections: the demo's orders from ad monitoring are made after the others, so
# their numbers do not run with their days (CHANGELOG, noticed), and a notice would show it.
ORDERS = Rectification.objects.filter(inspection__isnull=False).select_related("issued_by")
CASES = Case.objects.select_related("handler")
# Of each kind: the records, the day that makes them ready for it (its document is issued that
# day, at the hour), and who issues it.
RECORD_DOCUMENTS: tuple[tuple[str, QuerySet[Any], str, int, str], ...] = (
    (DocumentKind.RECTIFICATION, ORDERS, "issued_on", 16, "issued_by"),
    (DocumentKind.REINSPECTION, ORDERS, "closed_on", 17, "issued_by"),
    (DocumentKind.WARNING, ORDERS, "warned_on", 10, "issued_by"),
    (DocumentKind.CASE_SOURCE, CASES, "received_on", 11, "handler"),
    (DocumentKind.CASE_FILING, CASES, "filed_on", 15, "handler"),
    (DocumentKind.CASE_NOTICE, CASES, "notified_on", 16, "handler"),
    (
        DocumentKind.CASE_DECISION,
        CASES.filter(decision_number__startswith="伊市监处罚"),
        "decided_on",
        16,
        "handler",
    ),
)


def _record_documents(now: dt.datetime) -> dict[str, int]:
    """The documents of the most recent orders and cases of each kind, each issued on the day
    its record became ready for it by the officer who made the order or handles the case.
    All are issued in the order of their time, so that each kind's numbers run with time."""
    plans: list[tuple[dt.datetime, int, str, Any]] = []
    for kind, records, field, hour, _actor in RECORD_DOCUMENTS:
        ready = records.filter(**{f"{field}__isnull": False, f"{field}__lte": now.date()})
        for record in ready.order_by(f"-{field}", "-id")[:NOTICES]:
            plans.append((_at(getattr(record, field), hour, now), record.pk, kind, record))
    actors = {kind: actor for kind, *_rest, actor in RECORD_DOCUMENTS}
    counts = dict.fromkeys(actors, 0)
    for at, _pk, kind, record in sorted(plans, key=lambda plan: plan[:3]):
        try:
            issue_document(
                kind=kind, record_id=record.pk, actor=getattr(record, actors[kind]), at=at
            )
        except DomainError:
            continue  # an issuer who may not issue it, a record not in a state to: left alone
        counts[kind] += 1
    return counts
