"""送达回证 (kind "service") from a recorded delivery: which document reached whom, where, when
and how, who delivered it and who witnessed — the proof that starts the party's periods.

Laid out after the 送达回证 of SAMR's 2021 范本 (docs/documents.md). Whoever may issue the
delivered document records its delivery and issues its 送达回证.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from xiaoneng.core.errors import Missing
from xiaoneng.documents.models import Delivery, DocumentKind
from xiaoneng.documents.rendering import parts
from xiaoneng.documents.rendering.pdf import DocumentPdf, Stamp
from xiaoneng.org.models import Officer

TITLE = "送达回证"
# The records this module's documents are read from.
MODEL = Delivery


def load(record_id: int) -> Delivery:
    delivery = (
        Delivery.objects.select_related("document__number", "unit", "delivered_by")
        .filter(pk=record_id)
        .first()
    )
    if delivery is None:
        raise Missing(_("没有编号为 %(id)s 的送达记录") % {"id": record_id})
    return delivery


_DELIVERED = "_delivered_record"


def delivered_record(delivery: Delivery) -> tuple[Any, Any]:
    """The renderer of the delivered document and the record it was issued from, loaded once
    per delivery object (issuing a 送达回证 asks for it to check, then to render)."""
    from xiaoneng.documents.rendering import renderer_for  # the registry imports this module

    found: tuple[Any, Any] | None = getattr(delivery, _DELIVERED, None)
    if found is None:
        renderer = renderer_for(delivery.document.kind)
        found = (renderer, renderer.load(delivery.document.object_id))
        setattr(delivery, _DELIVERED, found)
    return found


def may_issue(officer: Officer, delivery: Delivery) -> bool:
    renderer, record = delivered_record(delivery)
    return bool(renderer.may_issue(officer, record))


def page(delivery: Delivery) -> str:
    renderer, record = delivered_record(delivery)
    return str(renderer.page(record))


def refuse(delivery: Delivery) -> None:
    """A recorded delivery always has its receipt."""


def addressee(record: Any) -> str:
    """The party the delivered document is addressed to."""
    party = getattr(record, "party", "")
    return str(party or record.entity.name)


def render(delivery: Delivery, stamp: Stamp) -> bytes:
    renderer, record = delivered_record(delivery)
    document = delivery.document
    pdf = DocumentPdf(stamp)
    pdf.field("受送达人", addressee(record))
    pdf.field("送达文书名称及文号", f"{renderer.title}（{document.number.text}）")
    pdf.field("送达方式", delivery.get_method_display())
    pdf.field("送达时间", parts.day(delivery.delivered_on))
    pdf.field("送达地点", delivery.place)
    if delivery.method in (Delivery.Method.POST, Delivery.Method.ELECTRONIC):
        label = "邮件单号" if delivery.method == Delivery.Method.POST else "电子送达地址"
        pdf.field(label, delivery.reference)
    lodged = delivery.method == Delivery.Method.LODGED
    pdf.field("拒绝签收人" if lodged else "签收人", delivery.recipient)
    if lodged:
        parts.say(pdf, DocumentKind.SERVICE, "lodged", 见证人=delivery.witness)
        pdf.field("见证人", delivery.witness)
    officer = delivery.delivered_by
    if officer is not None:
        certificate = getattr(officer, "certificate_number", "") or parts.DASH
        pdf.field("送达人", f"{officer}（执法证号 {certificate}）")
    if delivery.note:
        pdf.field("备注", delivery.note)
    pdf.signature_line("受送达人签名或者盖章")
    pdf.signature_line("送达人签名")
    return pdf.to_bytes()
