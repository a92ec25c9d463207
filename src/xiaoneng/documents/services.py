"""Issuing enforcement documents: number, render, store with its digest and verification code.

A document is issued once per record and kind (version 1, a new number); a re-issue keeps the
number and makes the next version, linked to the one it replaces, with its own PDF, digest and
code — the old version is never overwritten, so a paper printed from it still verifies as what
it was (issue 15, "Verification"). Writes run in the caller's transaction (or their own).

A document that carries its record's own number (a rectification order's notice) is rendered
before the number's counter is locked, and may be rendered ahead of its issue, outside any
transaction and in another process (``draft_documents``; "Rendering ahead" below).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import audit
from xiaoneng.core.errors import Conflict, DomainError, InvalidInput, NotPermitted
from xiaoneng.core.scoping import get_scoped
from xiaoneng.documents.models import DocumentNumber, DocumentWording, IssuedDocument
from xiaoneng.documents.numbering import adopt, next_number
from xiaoneng.documents.rendering import RENDERERS, Renderer, renderer_for
from xiaoneng.documents.rendering.pdf import Stamp
from xiaoneng.documents.wording import active_wording, rendering_with
from xiaoneng.org.models import Officer, Unit

# Crockford-like: no 0/O, 1/I/L to misread when the code is typed from paper. 32 symbols × 10
# places = 50 bits: not guessable at any rate the verification page would allow.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10


CHUNK = 500  # values per ``__in`` query (SQLite's limit on a statement's parameters)


def _random_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_verification_code() -> str:
    """A fresh, unused verification code."""
    while True:
        code = _random_code()
        if not IssuedDocument.objects.filter(verification_code=code).exists():
            return code


def new_verification_codes(count: int) -> list[str]:
    """``count`` fresh codes, unused and each different, checked in a few queries."""
    codes: dict[str, None] = {}
    while len(codes) < count:
        fresh = list({_random_code() for _ in range(count - len(codes))} - codes.keys())
        taken: set[str] = set()
        for start in range(0, len(fresh), CHUNK):
            taken.update(
                IssuedDocument.objects.filter(
                    verification_code__in=fresh[start : start + CHUNK]
                ).values_list("verification_code", flat=True)
            )
        codes.update(dict.fromkeys(code for code in fresh if code not in taken))
    return list(codes)


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
    *,
    kind: str,
    record_id: int,
    actor: Officer | None,
    at: dt.datetime | None = None,
    rendered: Rendered | None = None,
) -> IssuedDocument:
    """Issue the document of ``kind`` for record ``record_id``: a new number, version 1.

    Refused when the record is not in a state that issues it (a draft inspection), and when it
    has been issued already (``reissue_document`` makes a new version of that one).

    ``rendered``: the PDF rendered ahead (``draft_document``), stored as it is if the record,
    its number, the stamp and the wording are still those it was rendered from; otherwise the
    document is rendered here, as without it.
    """
    renderer = renderer_for(kind)
    moment = at or timezone.now()
    with transaction.atomic(), audit.attributed(actor):
        record = renderer.load(record_id)
        state = record_state(record)
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
            # The record's own number: the PDF needs no number from the counter, so it is
            # rendered before ``adopt`` locks the counter's row (held until the commit) — other
            # records' issues wait for the insert, not for the render.
            text = renderer.own_number(record)
            page = _render(renderer, record, number=text, at=moment, state=state, ahead=rendered)
            number = adopt(kind=kind, text=text, record=record, actor=actor, at=moment)
        else:
            number = next_number(
                kind=kind,
                year=timezone.localtime(moment).year,
                record=record,
                actor=actor,
                at=moment,
            )
            page = _render(renderer, record, number=number.text, at=moment)
        return _store(renderer, record, page, number=number, actor=actor, at=moment)


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
        page = _render(renderer, record, number=current.number.text, at=moment)
        return _store(
            renderer,
            record,
            page,
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


# Rendering ahead ---------------------------------------------------------------------------
#
# A kind whose document carries its record's own number (``Renderer.own_number``: a
# rectification order's notice) needs nothing from the number's counter to be rendered: its PDF
# can be made before the issue, outside any transaction and in another process (the batch,
# ``documents.batch``), from the record as loaded, a verification code and the wording in force
# at the time of issue. At the issue the record is loaded again and the PDF is kept only if it
# was rendered from what would be rendered now; else it is rendered again there.


@dataclass(frozen=True)
class Page:
    """A rendered PDF with its verification code and the wording it was rendered with."""

    data: bytes
    code: str
    wording: DocumentWording | None


@dataclass(frozen=True)
class Draft:
    """What a document rendered ahead of its issue is made from: plain data (the record loaded
    with its related rows, the stamp, the wording), rendered without the database (``render``),
    in this process or another."""

    kind: str
    record: Any
    stamp: Stamp
    wording: DocumentWording | None
    state: tuple[Any, ...]

    def render(self) -> bytes:
        with rendering_with(self.wording):
            return renderer_for(self.kind).render(self.record, self.stamp)

    def rendered(self, data: bytes) -> Rendered:
        return Rendered(
            kind=self.kind,
            record_id=self.record.pk,
            stamp=self.stamp,
            wording_id=self.wording.pk if self.wording is not None else None,
            state=self.state,
            data=data,
        )


@dataclass(frozen=True)
class Rendered:
    """A PDF rendered ahead (``Draft.render``) and what it was rendered from, to be checked at
    the issue (``issue_document(rendered=…)``)."""

    kind: str
    record_id: int
    stamp: Stamp
    wording_id: int | None
    state: tuple[Any, ...]
    data: bytes


def draft_document(
    *, kind: str, record_id: int, actor: Officer | None, at: dt.datetime
) -> Draft | None:
    """What to render ahead of issuing ``kind`` for record ``record_id`` at ``at``; None when it
    cannot be rendered ahead — a kind numbered from the counter, a record issued already or
    refused (the issue refuses it again, with its reason)."""
    renderer = renderer_for(kind)
    if renderer.own_number is None:
        return None
    try:
        record = renderer.load(record_id)
    except DomainError:
        return None
    return draft_documents(kind=kind, records=[record], actor=actor, at=at)[0]


def draft_documents(
    *, kind: str, records: list[Any], actor: Officer | None, at: dt.datetime
) -> list[Draft | None]:
    """``draft_document`` of many records, loaded as the kind's ``load`` loads one (else their
    drafts never match the record at its issue, and each is rendered again there): a few
    queries for all of them, besides the checks of each."""
    renderer = renderer_for(kind)
    own_number = renderer.own_number
    if own_number is None:
        return [None] * len(records)
    states = [record_state(record) for record in records]  # as loaded, before any other read
    content_type = ContentType.objects.get_for_model(renderer.model, for_concrete_model=False)
    ids = [record.pk for record in records]
    issued: set[int] = set()
    for start in range(0, len(ids), CHUNK):
        issued.update(
            IssuedDocument.objects.filter(
                kind=kind, content_type=content_type, object_id__in=ids[start : start + CHUNK]
            ).values_list("object_id", flat=True)
        )
    wording = active_wording(kind, at)
    bureaus: dict[int, str] = {}
    drafts: list[tuple[Any, tuple[Any, ...]] | None] = []
    for record, state in zip(records, states, strict=True):
        try:
            require_issuer(renderer, actor, record)
            renderer.refuse_unless_issuable(record)
        except DomainError:
            drafts.append(None)
            continue
        drafts.append((record, state) if record.pk not in issued else None)
    codes = iter(new_verification_codes(sum(1 for d in drafts if d is not None)))
    found: list[Draft | None] = []
    for drafted in drafts:
        if drafted is None:
            found.append(None)
            continue
        record, state = drafted
        unit = renderer.unit(record)
        if unit.pk not in bureaus:
            bureaus[unit.pk] = bureau_name(unit)
        code = next(codes)
        stamp = Stamp(
            bureau=bureaus[unit.pk],
            title=renderer.title,
            number=own_number(record),
            verification_code=code,
            verify_url=verify_url(code),
            issued_at=at,
        )
        found.append(Draft(kind=kind, record=record, stamp=stamp, wording=wording, state=state))
    return found


def record_state(record: models.Model) -> tuple[Any, ...]:
    """``record`` as loaded, for comparing two loads: its fields and those of the rows loaded
    with it (``select_related``, ``prefetch_related``), recursively."""
    seen: set[int] = set()

    def state(instance: Any) -> Any:
        if not isinstance(instance, models.Model):
            return instance
        if id(instance) in seen:  # a row reached again (a reverse one-to-one)
            return (instance._meta.label, instance.pk)
        seen.add(id(instance))
        prefetched = getattr(instance, "_prefetched_objects_cache", {})
        return (
            instance._meta.label,
            tuple(getattr(instance, f.attname) for f in instance._meta.concrete_fields),
            tuple(
                (name, state(value)) for name, value in sorted(instance._state.fields_cache.items())
            ),
            tuple(
                (name, tuple(state(v) for v in rows)) for name, rows in sorted(prefetched.items())
            ),
        )

    found: tuple[Any, ...] = state(record)
    return found


def _stamp(
    renderer: Renderer, record: models.Model, *, number: str, code: str, at: dt.datetime
) -> Stamp:
    return Stamp(
        bureau=bureau_name(renderer.unit(record)),
        title=renderer.title,
        number=number,
        verification_code=code,
        verify_url=verify_url(code),
        issued_at=at,
    )


def _render(
    renderer: Renderer,
    record: models.Model,
    *,
    number: str,
    at: dt.datetime,
    state: tuple[Any, ...] | None = None,
    ahead: Rendered | None = None,
) -> Page:
    """The document's PDF: ``ahead`` if it was rendered from the record as it is now (``state``)
    with this stamp and wording and its code is still unused; else rendered now, a new code."""
    # The wording in force at the time of issue (a re-issue: at its own time), recorded.
    wording = active_wording(renderer.kind, at)
    if ahead is not None and state is not None:
        code = ahead.stamp.verification_code
        if (
            (ahead.kind, ahead.record_id, ahead.state) == (renderer.kind, record.pk, state)
            and ahead.wording_id == (wording.pk if wording is not None else None)
            and ahead.stamp == _stamp(renderer, record, number=number, code=code, at=at)
            and not IssuedDocument.objects.filter(verification_code=code).exists()
        ):
            return Page(data=ahead.data, code=code, wording=wording)
    code = new_verification_code()
    stamp = _stamp(renderer, record, number=number, code=code, at=at)
    with rendering_with(wording):
        data = renderer.render(record, stamp)
    return Page(data=data, code=code, wording=wording)


def _store(
    renderer: Renderer,
    record: models.Model,
    page: Page,
    *,
    number: DocumentNumber,
    actor: Officer | None,
    at: dt.datetime,
    previous: IssuedDocument | None = None,
    reason: str = "",
) -> IssuedDocument:
    data = page.data
    document = IssuedDocument(
        kind=renderer.kind,
        number=number,
        content_type=ContentType.objects.get_for_model(type(record), for_concrete_model=False),
        object_id=record.pk,
        unit=renderer.unit(record),
        version=previous.version + 1 if previous is not None else 1,
        previous=previous,
        reissue_reason=reason,
        wording=page.wording,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        verification_code=page.code,
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
