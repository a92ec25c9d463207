"""Recording the delivery (送达) of an issued document: once per issued version, by those who
may issue the document, with what each method needs to prove it.

What each method needs (《市场监督管理行政处罚程序规定》第八十二条至第八十六条): 直接送达 — who
signed for it; 留置送达 — the addressee who refused, the place it was left and a witness
(第八十三条); 邮寄送达 — the mail's tracking number; 电子送达 — the address it was sent to (with
the party's consent, 第八十四条); 公告送达 — where it was published. The day may not precede the
document's issue nor lie in the future.

The delivery of a 行政处罚告知书 or 行政处罚决定书 also records, on the case, the day it was served
(cases.service_days.record_service): the party's statement and payment periods count from it
(cases.limits). The first delivery of the kind counts; refused with the delivery if the day
precedes the case's 告知日期 / 决定日期.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoneng.cases.service_days import DECISION, NOTICE, record_service
from xiaoneng.core import audit
from xiaoneng.core.errors import Conflict, FieldError, InvalidInput
from xiaoneng.core.pages import parse_day
from xiaoneng.documents.models import Delivery, DocumentKind, IssuedDocument
from xiaoneng.documents.rendering import renderer_for
from xiaoneng.documents.services import require_issuer
from xiaoneng.org.models import Officer

M = Delivery.Method
# Each method's required fields, with the message naming what is missing.
REQUIRED: dict[str, tuple[tuple[str, Any], ...]] = {
    M.HAND: (("recipient", gettext_lazy("直接送达须填写签收人")),),
    M.LODGED: (
        ("recipient", gettext_lazy("留置送达须填写拒绝签收的受送达人")),
        ("place", gettext_lazy("留置送达须填写留置的地点")),
        ("witness", gettext_lazy("留置送达须填写见证人")),
    ),
    M.POST: (("reference", gettext_lazy("邮寄送达须填写邮件单号")),),
    M.ELECTRONIC: (
        ("reference", gettext_lazy("电子送达须填写送达的电子地址（传真、电子邮件或手机号）")),
    ),
    M.PUBLIC: (("place", gettext_lazy("公告送达须填写公告的载体或地点")),),
}
# The documents whose delivery starts a case's periods, and which day of service each sets.
SERVED_KINDS: dict[str, str] = {
    DocumentKind.CASE_NOTICE: NOTICE,
    DocumentKind.CASE_DECISION: DECISION,
}
LIMITS = {"recipient": 60, "place": 200, "witness": 60, "reference": 120, "note": 2000}
# What the page's form posts; a refused form's values wait in the session under this key for
# the card to show them again (documents.panels).
DELIVERY_FIELDS = ("method", "delivered_on", *LIMITS)
TYPED_DELIVERY = "documents.typed_delivery"


def _text(values: dict[str, Any], name: str) -> str:
    return str(values.get(name) or "").strip()


def _delivery_day(value: Any, issued_on: dt.date, today: dt.date) -> tuple[Any, str]:
    """The day of delivery (a date or ``YYYY-MM-DD``), or what is wrong with it: unreadable
    (or outside the years ``core.pages.parse_day`` keeps), missing, before the document was
    issued, or in the future."""
    if isinstance(value, str):
        value = parse_day(value)
        if value is None:
            return None, _("送达日期应为 YYYY-MM-DD")
    if not isinstance(value, dt.date):
        return None, _("请填写送达日期")
    if value < issued_on:
        return value, _("送达日期 %(day)s 早于文书出具日期 %(issued)s") % {
            "day": value.isoformat(),
            "issued": issued_on.isoformat(),
        }
    if value > today:
        return value, _("送达日期 %(day)s 晚于今天") % {"day": value.isoformat()}
    return value, ""


def _checked(document: IssuedDocument, values: dict[str, Any], today: dt.date) -> dict[str, Any]:
    """The delivery's fields, or every problem with them at once."""
    errors: list[FieldError] = []
    method = _text(values, "method")
    if method not in M.values:
        errors.append(
            FieldError(
                "method",
                _("送达方式应为：%(methods)s") % {"methods": "、".join(str(m.label) for m in M)},
            )
        )
    clean = {name: _text(values, name) for name in LIMITS}
    for name, limit in LIMITS.items():
        if len(clean[name]) > limit:
            errors.append(FieldError(name, _("不能超过 %(limit)d 个字") % {"limit": limit}))
    for name, message in REQUIRED.get(method, ()):
        if not clean[name]:
            errors.append(FieldError(name, str(message)))
    day, problem = _delivery_day(
        values.get("delivered_on"), timezone.localtime(document.issued_at).date(), today
    )
    if problem:
        errors.append(FieldError("delivered_on", problem))
    if errors:
        raise InvalidInput("；".join(e.message for e in errors), errors=errors)
    return {**clean, "method": method, "delivered_on": day}


def record_delivery(
    *,
    document: IssuedDocument,
    values: dict[str, Any],
    actor: Officer | None,
    at: dt.datetime | None = None,
) -> Delivery:
    """Record how ``document`` reached the party; refused with every reason, writing nothing.

    A version is delivered once: a second record is refused, naming the first.
    """
    moment = at or timezone.now()
    renderer = renderer_for(document.kind)
    with transaction.atomic(), audit.attributed(actor):
        current = (
            IssuedDocument.objects.select_for_update().select_related("number").get(pk=document.pk)
        )
        record = renderer.load(current.object_id)
        require_issuer(renderer, actor, record)
        fields = _checked(current, values, timezone.localtime(moment).date())
        existing = Delivery.objects.filter(document=current).first()
        if existing is not None:
            raise Conflict(
                _("%(number)s 第 %(version)d 版已于 %(day)s %(method)s，不能重复登记。")
                % {
                    "number": current.number.text,
                    "version": current.version,
                    "day": existing.delivered_on.isoformat(),
                    "method": existing.get_method_display(),
                }
            )
        delivery = Delivery.objects.create(
            document=current, unit=current.unit, delivered_by=actor, recorded_at=moment, **fields
        )
        if current.kind in SERVED_KINDS:
            record_service(
                record,
                kind=SERVED_KINDS[current.kind],
                day=fields["delivered_on"],
                actor=actor,
                field="delivered_on",
                today=timezone.localtime(moment).date(),
            )
        return delivery
