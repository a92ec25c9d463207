"""Issuing enforcement documents: number, render, store with its digest and verification code.

A document is issued once per record and kind (version 1, a new number); a re-issue keeps the
number and makes the next version, linked to the one it replaces, with its own PDF, digest and
code — the old version is never overwritten, so a paper printed from it still verifies as what
it was (issue 15, "Verification"). Writes run in the caller's transaction (or their own).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import audit
from xiaoneng.core.errors import Conflict, InvalidInput, NotPermitted
from xiaoneng.core.scoping import get_scoped
from xiaoneng.documents.models import DocumentNumber, IssuedDocument
from xiaoneng.documents.numbering import adopt, next_number
from xiaoneng.documents.rendering import RENDERERS, Renderer, renderer_for
from xiaoneng.documents.rendering.pdf import Stamp
from xiaoneng.documents.wording import active_wording, rendering_with
from xiaoneng.org.models import Officer, Unit

# Crockford-like: no 0/O, 1/I/L to misread when the code is typed from paper. 32 symbols × 10
# places = 50 bits: not guessable at any rate the verification page would allow.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10


def new_verification_code() -> str:
    """A fresh, unused verification code."""
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not IssuedDocument.objects.filter(verification_code=code).exists():
            return code


def verify_url(code: str) -> str:
    """The public address a document's QR code points at (the verification page, issue 15)."""
    return f"{settings.PUBLIC_BASE_URL}/verify/{code}/"


def bureau_name(unit: Unit) -> str:
    """The name of the bureau (局) ``unit`` belongs to: the nearest one above it, else the root."""
    ids = [int(part) for part in unit.path.strip("/").split("/") if part]
    bureau = Unit.objects.filter(pk__in=ids, kind=Unit.Kind.BUREAU).order_by("-depth").first()
    if bureau is not None:
        return bureau.name
    root = Unit.objects.filter(pk__in=ids[:1]).first()
    return (root or unit).name


def scoped_record(user: Officer, kind: str, record_id: int) -> tuple[Renderer, models.Model]:
    """The kind's renderer and its record, if ``user`` may see the record: a kind that cannot
    be issued, a missing record and another unit's record all answer 404 alike."""
    renderer = RENDERERS.get(kind)
    if renderer is None:
        raise Http404
    return renderer, get_scoped(renderer.model._default_manager.all(), user, pk=record_id)


def latest_document(*, kind: str, record: models.Model) -> IssuedDocument | None:
    """The current (highest) version of ``record``'s document of ``kind``, if issued."""
    content_type = ContentType.objects.get_for_model(type(record), for_concrete_model=False)
    return (
        IssuedDocument.objects.select_related("number")
        .filter(kind=kind, content_type=content_type, object_id=record.pk)
        .order_by("-version")
        .first()
    )


def issue_document(
    *, kind: str, record_id: int, actor: Officer | None, at: dt.datetime | None = None
) -> IssuedDocument:
    """Issue the document of ``kind`` for record ``record_id``: a new number, version 1.

    Refused when the record is not in a state that issues it (a draft inspection), and when it
    has been issued already (``reissue_document`` makes a new version of that one).
    """
    renderer = renderer_for(kind)
    moment = at or timezone.now()
    with transaction.atomic(), audit.attributed(actor):
        record = renderer.load(record_id)
        require_issuer(renderer, actor, record)
        renderer.refuse_unless_issuable(record)
        # Two officers issuing at once: the second waits here, then finds the first's document.
        _lock(record)
        existing = latest_document(kind=kind, record=record)
        if existing is not None:
            raise Conflict(
                _("该记录的%(title)s已出具（%(number)s 第 %(version)d 版），如需更正请重新出具。")
                % {
                    "title": renderer.title,
                    "number": existing.number.text,
                    "version": existing.version,
                }
            )
        if renderer.own_number is not None:
            number = adopt(
                kind=kind, text=renderer.own_number(record), record=record, actor=actor, at=moment
            )
        else:
            number = next_number(
                kind=kind,
                year=timezone.localtime(moment).year,
                record=record,
                actor=actor,
                at=moment,
            )
        return _issue(renderer, record, number=number, actor=actor, at=moment)


def reissue_document(
    *,
    document: IssuedDocument,
    reason: str,
    actor: Officer | None,
    at: dt.datetime | None = None,
) -> IssuedDocument:
    """Issue the next version of ``document`` from its record as it is now, with ``reason``.

    Same number, version + 1, linked to ``document``; a new PDF, digest and code.
    """
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput.single("reason", _("重新出具文书须说明理由"))
    renderer = renderer_for(document.kind)
    moment = at or timezone.now()
    with transaction.atomic(), audit.attributed(actor):
        current = (
            IssuedDocument.objects.select_for_update().select_related("number").get(pk=document.pk)
        )
        if IssuedDocument.objects.filter(previous=current).exists():
            raise Conflict(
                _("%(number)s 第 %(version)d 版已有新版本，请在最新版本上重新出具。")
                % {"number": current.number.text, "version": current.version}
            )
        if current.number.is_void:
            raise Conflict(
                _("文号 %(number)s 已作废（%(reason)s），不能再出具。")
                % {"number": current.number.text, "reason": current.number.void_reason}
            )
        record = renderer.load(current.object_id)
        require_issuer(renderer, actor, record)
        renderer.refuse_unless_issuable(record)
        return _issue(
            renderer,
            record,
            number=current.number,
            actor=actor,
            at=moment,
            previous=current,
            reason=reason,
        )


def require_issuer(renderer: Renderer, actor: Officer | None, record: models.Model) -> None:
    """Refuse an officer who may not issue the record's document (None: the operator at the
    command line, who may)."""
    if actor is not None and not renderer.may_issue(actor, record):
        raise NotPermitted(_("您无权出具或重新出具该记录的%(title)s。") % {"title": renderer.title})


def _lock(record: models.Model) -> None:
    rows = type(record)._base_manager.select_for_update().filter(pk=record.pk)
    list(rows.values_list("pk", flat=True))


def _issue(
    renderer: Renderer,
    record: models.Model,
    *,
    number: DocumentNumber,
    actor: Officer | None,
    at: dt.datetime,
    previous: IssuedDocument | None = None,
    reason: str = "",
) -> IssuedDocument:
    unit = renderer.unit(record)
    code = new_verification_code()
    stamp = Stamp(
        bureau=bureau_name(unit),
        title=renderer.title,
        number=number.text,
        verification_code=code,
        verify_url=verify_url(code),
        issued_at=at,
    )
    # The wording in force at the time of issue (a re-issue: at its own time), recorded.
    wording = active_wording(renderer.kind, at)
    with rendering_with(wording):
        data = renderer.render(record, stamp)
    document = IssuedDocument(
        kind=renderer.kind,
        number=number,
        content_type=ContentType.objects.get_for_model(type(record), for_concrete_model=False),
        object_id=record.pk,
        unit=unit,
        version=previous.version + 1 if previous is not None else 1,
        previous=previous,
        reissue_reason=reason,
        wording=wording,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        verification_code=code,
        issued_at=at,
        issued_by=actor,
    )
    document.file.save(f"{document.sha256}.pdf", ContentFile(data), save=False)
    if reason:
        audit.set_reason(document, reason)
    document.save()
    return document


def document_bytes(document: IssuedDocument) -> bytes:
    """The stored PDF, checked against its digest: a changed file is refused, not served."""
    with document.file.open("rb") as handle:
        data = handle.read()
    if hashlib.sha256(data).hexdigest() != document.sha256:
        raise Conflict(
            _("文书 %(number)s 第 %(version)d 版的文件与出具时的 SHA-256 不符")
            % {"number": document.number.text, "version": document.version}
        )
    return data
