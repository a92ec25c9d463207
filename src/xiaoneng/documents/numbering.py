"""The one numbering service of enforcement documents: per prefix, kind and year, never reused.

A number reads 伊市监检录〔2026〕12号: the issuing authority's short name (机关代字, setting
``DOCUMENT_NUMBER_PREFIX``), the kind's abbreviation, the year in 〔〕 and the serial with 号,
without leading zeros (GB/T 9704-2012 《党政机关公文格式》 7.2.4: 发文顺序号不加"第"字，不编虚位).
Every number given out is kept; a number that goes unused is voided with its reason, so that a
gap in a year's sequence is always explained.
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import audit
from xiaoneng.core.errors import Conflict, InvalidInput
from xiaoneng.core.models import AuditEvent
from xiaoneng.documents.models import ABBREVIATIONS, DocumentNumber, NumberCounter
from xiaoneng.org.models import Officer


def number_prefix() -> str:
    """The issuing authority's short name at the head of every number (伊市监)."""
    return str(settings.DOCUMENT_NUMBER_PREFIX)


def format_number(*, prefix: str, kind: str, year: int, serial: int) -> str:
    """伊市监检录〔2026〕12号."""
    return f"{prefix}{ABBREVIATIONS[kind]}〔{year}〕{serial}号"


def _locked_counter(*, prefix: str, kind: str, year: int) -> NumberCounter:
    """The sequence's counter row, created at its first number, locked for this transaction
    (``select_for_update``; SQLite's IMMEDIATE transactions serialise writers the same way)."""
    NumberCounter.objects.get_or_create(prefix=prefix, kind=kind, year=year)
    return NumberCounter.objects.select_for_update().get(prefix=prefix, kind=kind, year=year)


def next_number(
    *,
    kind: str,
    year: int,
    record: models.Model | None = None,
    actor: Officer | None = None,
    prefix: str | None = None,
    at: dt.datetime | None = None,
) -> DocumentNumber:
    """Give out the next number of ``kind`` in ``year`` (for ``record``), and keep it.

    The sequence's counter row is locked (``select_for_update``; SQLite's IMMEDIATE transactions
    serialise writers the same way) before it is read, so two issues at once get consecutive
    numbers, never the same one, and a number once counted is never given out again — even if
    the document it was for is never issued (then it is voided with a reason: ``void``).
    """
    if kind not in ABBREVIATIONS:
        raise InvalidInput.single("kind", _("未知的文书种类：%(kind)s") % {"kind": kind})
    if not 2000 <= year <= 2999:
        raise InvalidInput.single("year", _("年份应为四位数：%(year)s") % {"year": year})
    prefix = prefix if prefix is not None else number_prefix()
    with transaction.atomic(), audit.attributed(actor):
        counter = _locked_counter(prefix=prefix, kind=kind, year=year)
        counter.last_serial += 1
        counter.save(update_fields=["last_serial"])
        serial = counter.last_serial
        return DocumentNumber.objects.create(
            prefix=prefix,
            kind=kind,
            year=year,
            serial=serial,
            text=format_number(prefix=prefix, kind=kind, year=year, serial=serial),
            content_type=(
                ContentType.objects.get_for_model(type(record), for_concrete_model=False)
                if record is not None
                else None
            ),
            object_id=record.pk if record is not None else None,
            issued_at=at or timezone.now(),
            issued_by=actor,
        )


def adopt(
    *,
    kind: str,
    text: str,
    record: models.Model,
    actor: Officer | None = None,
    at: dt.datetime | None = None,
) -> DocumentNumber:
    """Keep ``text``, the number ``record`` was given when it was made, as its document's number.

    A rectification order is numbered when it is made (伊市监责改〔2026〕0001号, the bureau's
    yearly sequence of orders); its 责令改正通知书 is that order on paper and carries the same
    number. Adopting it puts it in the one register of numbers — and moves the sequence's
    counter past it, so that the counter can never give the same serial to another document.
    Adopting the same record's number again returns the number already kept. A number in the
    bureau's own style for the kind (伊市监处罚〔2026〕012号, a decision's 文号 as the handler
    entered it) keeps everything before the year as its prefix: its own sequence.
    """
    match = re.fullmatch(
        rf"(?P<prefix>.+?){ABBREVIATIONS[kind]}〔(?P<year>\d{{4}})〕(?P<serial>\d+)号", text
    ) or re.fullmatch(r"(?P<prefix>.+?)〔(?P<year>\d{4})〕(?P<serial>\d+)号", text)
    if match is None:
        raise InvalidInput.single(
            "number",
            _("记录的编号 %(number)s 不是文号的格式（机关代字〔年份〕序号号）") % {"number": text},
        )
    prefix, year, serial = match["prefix"], int(match["year"]), int(match["serial"])
    content_type = ContentType.objects.get_for_model(type(record), for_concrete_model=False)
    with transaction.atomic(), audit.attributed(actor):
        counter = _locked_counter(prefix=prefix, kind=kind, year=year)
        kept = DocumentNumber.objects.filter(text=text).first()
        if kept is not None:
            if (kept.content_type_id, kept.object_id) != (content_type.pk, record.pk):
                raise Conflict(_("文号 %(number)s 已用于另一记录") % {"number": text})
            return kept
        if serial > counter.last_serial:
            counter.last_serial = serial
            counter.save(update_fields=["last_serial"])
        return DocumentNumber.objects.create(
            prefix=prefix,
            kind=kind,
            year=year,
            serial=serial,
            text=text,
            content_type=content_type,
            object_id=record.pk,
            issued_at=at or timezone.now(),
            issued_by=actor,
        )


def void(
    *,
    number: DocumentNumber,
    reason: str,
    actor: Officer | None = None,
    at: dt.datetime | None = None,
) -> DocumentNumber:
    """Void ``number`` with its reason: it stays in the sequence, never given out again."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput.single("reason", _("作废文号须说明理由"))
    with transaction.atomic(), audit.attributed(actor):
        current = DocumentNumber.objects.select_for_update().get(pk=number.pk)
        if current.voided_at is not None:
            raise Conflict(
                _("文号 %(number)s 已于 %(at)s 作废")
                % {
                    "number": current.text,
                    "at": timezone.localtime(current.voided_at).strftime("%Y-%m-%d"),
                }
            )
        current.voided_at = at or timezone.now()
        current.voided_by = actor
        current.void_reason = reason
        audit.set_reason(current, reason, action=AuditEvent.Action.UPDATE)
        current.save()
    return current


def gaps(*, kind: str, year: int, prefix: str | None = None) -> list[DocumentNumber]:
    """The void numbers of a sequence: each gap in the issued documents, with its reason."""
    prefix = prefix if prefix is not None else number_prefix()
    return list(
        DocumentNumber.objects.filter(
            prefix=prefix, kind=kind, year=year, voided_at__isnull=False
        ).order_by("serial")
    )
