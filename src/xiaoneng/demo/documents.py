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
from xiaoneng.demo.inspections.party import build_party_signatures
from xiaoneng.documents.delivery import record_delivery
from xiaoneng.documents.models import Delivery, DocumentKind, IssuedDocument
from xiaoneng.documents.rendering import renderer_for
from xiaoneng.documents.services import issue_document, reissue_document
from xiaoneng.documents.wording import save_wording
from xiaoneng.inspections.followup.models import Rectification
from xiaoneng.inspections.records.models import Inspection
from xiaoneng.org.models import Officer

ISSUED = 30
# Of each kind issued from orders and cases: the most recent ones.
NOTICES = 30


def build_documents(*, now: dt.datetime, progress: Callable[[str], None] = print) -> None:
    reworded = _reword_warning(now)
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
    # The party signed (or refused) before the officers did: the 笔录 prints it.
    drawn, refused = build_party_signatures(now=now, also=[record.pk for record in chosen])
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
    delivered, receipts = _deliveries(now)
    progress(
        f"执法文书 documents: {drawn} 个当事人签名, {refused} 次拒绝签名（有见证人）; "
        f"{len(issued)} 份现场检查笔录, 1 份重新出具, {named}; "
        f"{delivered} 份已登记送达, {receipts} 份送达回证; "
        f"{reworded} 个文书模板版本"
    )


# The bureau's own wording of the warning (文书模板): saved by the administrator the day before
# the first warning the demo issues, so that every demo warning is rendered with it.
WARNING_MEASURES = (
    "一、请你（单位）立即按《责令改正通知书》（{责令改正文号}）的要求改正，"
    "并将整改情况书面报告本局；\n"
    "二、本局已将你（单位）逾期未整改的情况报送信用分级分类管理，提出信用等级调整建议；\n"
    "三、仍不改正的，本局将依法立案查处，并依法向社会公示。"
)


def _reword_warning(now: dt.datetime) -> int:
    admin = Officer.objects.filter(username="admin").first()
    first = (
        ORDERS.filter(warned_on__isnull=False, warned_on__lte=now.date())
        .order_by("warned_on")
        .values_list("warned_on", flat=True)
        .first()
    )
    if admin is None or first is None:
        return 0
    at = min(_at(first - dt.timedelta(days=1), 9, now), now)
    save_wording(
        kind=DocumentKind.WARNING,
        blocks={"measures": WARNING_MEASURES},
        note="警示事项写明原责令改正通知书文号，并告知逾期仍不改正的将依法公示",
        actor=admin,
        at=at,
    )
    return 1


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


# The notices the party receives, delivered and (the most recent ones) with their 送达回证.
DELIVERED_KINDS = (
    DocumentKind.RECTIFICATION,
    DocumentKind.WARNING,
    DocumentKind.CASE_NOTICE,
    DocumentKind.CASE_DECISION,
)
RECEIPTS = 10


def _delivery_values(document: IssuedDocument, record: Any, index: int) -> dict[str, Any]:
    """How the demo's notices reached their parties: mostly by hand on the day of issue, every
    seventh left with a witness when the party would not sign, warnings by post days later."""
    entity = getattr(record, "entity", None)
    person = (entity.legal_representative if entity else "") or "当事人"
    place = (entity.address if entity else "") or "当事人经营场所"
    day = timezone.localtime(document.issued_at).date()
    if document.kind == DocumentKind.WARNING:
        number = f"1{document.pk:011d}"
        return {"method": "post", "delivered_on": day + dt.timedelta(days=3), "reference": number}
    if index % 7 == 3:
        return {
            "method": "lodged",
            "delivered_on": day,
            "recipient": person,
            "place": place,
            "witness": "社区网格员",
            "note": "当事人拒绝签收，留置于经营场所并拍照",
        }
    return {"method": "hand", "delivered_on": day, "recipient": person, "place": place}


def _deliveries(now: dt.datetime) -> tuple[int, int]:
    """The delivery of every issued notice (whose day has come), by the officer who issued it,
    then the 送达回证 of the most recent of each kind, issued in time order.

    Recorded by the service, so a case's 行政处罚告知书 and 行政处罚决定书 delivered here give the
    case its days of service (cases.service_days: the first delivery of each), and its periods
    count from them as in use."""
    documents = IssuedDocument.objects.filter(kind__in=DELIVERED_KINDS, version=1).select_related(
        "number", "issued_by"
    )
    delivered: list[tuple[dt.datetime, Delivery]] = []
    for index, document in enumerate(documents.order_by("issued_at", "id")):
        record = renderer_for(document.kind).load(document.object_id)
        values = _delivery_values(document, record, index)
        at = _at(values["delivered_on"], 18, now)
        if values["delivered_on"] > now.date() or at < document.issued_at:
            continue
        try:
            delivery = record_delivery(
                document=document, values=values, actor=document.issued_by, at=at
            )
        except DomainError:
            continue
        delivered.append((at, delivery))
    latest: dict[str, list[tuple[dt.datetime, Delivery]]] = {}
    for at, delivery in sorted(delivered, key=lambda pair: pair[0], reverse=True):
        chosen = latest.setdefault(delivery.document.kind, [])
        if len(chosen) < RECEIPTS:
            chosen.append((at, delivery))
    receipts = 0
    for at, delivery in sorted(
        (pair for chosen in latest.values() for pair in chosen), key=lambda pair: pair[0]
    ):
        try:
            issue_document(
                kind=DocumentKind.SERVICE,
                record_id=delivery.pk,
                actor=delivery.delivered_by,
                at=at,
            )
        except DomainError:
            continue
        receipts += 1
    return len(delivered), receipts
