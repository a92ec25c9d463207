"""The documents' card on a record's page (ADR 0012): each document the record issues — with
its number, version, PDF and verification page once issued, or the button that issues it for
those who may — and nothing for a kind the record is not (yet) in a state to issue."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.urls import reverse
from django.utils.timezone import localdate

from xiaoneng.core import panels
from xiaoneng.core.calendar import WorkingCalendar
from xiaoneng.core.errors import DomainError
from xiaoneng.documents import services
from xiaoneng.documents.clocks import periods
from xiaoneng.documents.delivery import TYPED_DELIVERY
from xiaoneng.documents.models import Delivery, DocumentKind, IssuedDocument
from xiaoneng.documents.rendering import RENDERERS, Renderer, renderers_of


@dataclass
class _Card:
    """What the whole card shares: the working calendar (loaded once, only if a delivery
    needs it) and a refused delivery form's values, back from the session."""

    calendar: Callable[[], WorkingCalendar]
    typed: dict[str, Any]


def _entry(renderer: Renderer, record: Any, user: Any, card: _Card) -> dict[str, Any] | None:
    try:
        renderer.refuse_unless_issuable(record)
    except DomainError:
        return None  # a draft, an order not yet reviewed or warned: nothing to show
    document = services.latest_document(kind=renderer.kind, record=record)
    may_issue = user.is_authenticated and renderer.may_issue(user, record)
    if document is None and not may_issue:
        return None
    urls = {
        "pdf": reverse("documents:pdf", args=[renderer.kind, record.pk]),
        "issue": reverse("documents:issue", args=[renderer.kind, record.pk]),
    }
    entry: dict[str, Any] = {
        "title": renderer.title,
        "document": document,
        "may_issue": may_issue,
        "urls": urls,
    }
    if document is not None:
        urls["verify"] = reverse("documents:verify", args=[document.verification_code])
        urls["deliver"] = reverse("documents:deliver", args=[renderer.kind, record.pk])
        entry.update(_delivery(document, may_issue, card))
    return entry


def _delivery(document: IssuedDocument, may_issue: bool, card: _Card) -> dict[str, Any]:
    """The document's delivery and its 送达回证, or the form that records it (for issuers),
    with what was typed if it was just refused."""
    delivery = Delivery.objects.filter(document=document).select_related("delivered_by").first()
    if delivery is None:
        mine = card.typed if card.typed.get("document") == document.pk else {}
        return {
            "delivery": None,
            "methods": Delivery.Method.choices,
            "today": localdate(),
            "typed": mine.get("values", {}),
            "typed_errors": mine.get("errors", {}),
        }
    receipt = services.latest_document(kind=DocumentKind.SERVICE, record=delivery)
    return {
        "delivery": delivery,
        "periods": periods(document.kind, delivery.delivered_on, card.calendar()),
        "receipt": receipt,
        "receipt_urls": {
            "issue": reverse("documents:issue", args=[DocumentKind.SERVICE, delivery.pk]),
            "pdf": reverse("documents:pdf", args=[DocumentKind.SERVICE, delivery.pk]),
        },
        "may_issue_receipt": may_issue and receipt is None,
    }


@panels.register
class IssuedDocumentPanel(panels.Panel):
    """现场检查笔录 on a signed inspection's page; 责令改正通知书, 整改复查意见书 and 警示通知书
    on a rectification order's; the case documents on a case's — each issued one with its
    delivery (送达) and 送达回证."""

    # The records documents are issued from (a delivery's 送达回证 shows with its document).
    models = tuple(
        sorted({r.model._meta.label_lower for r in RENDERERS.values() if r.model is not Delivery})
    )

    def right(self) -> str:
        record = self.object
        session = getattr(self.request, "session", None)
        typed = session.pop(TYPED_DELIVERY, None) if session is not None else None
        card = _Card(calendar=cache(WorkingCalendar.load), typed=typed or {})
        entries = [
            entry
            for renderer in renderers_of(type(record))
            if (entry := _entry(renderer, record, self.user, card)) is not None
        ]
        if not entries:
            return ""
        return self.render("documents/panels/issued.html", {"entries": entries})
