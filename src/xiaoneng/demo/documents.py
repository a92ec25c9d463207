"""The demo county's issued documents (issue 15): the 现场检查笔录 of recent enforcement
inspections, each issued by its lead officer within the hour after signing, and one re-issued
with its reason, so that a record's page, the PDF and the public verification page all have
something to show."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from xiaoneng.core.errors import DomainError
from xiaoneng.documents.models import DocumentKind
from xiaoneng.documents.services import issue_document, reissue_document
from xiaoneng.inspections.records.models import Inspection

ISSUED = 30


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
    progress(f"执法文书 documents: {len(issued)} 份现场检查笔录, 1 份重新出具")
