"""The party's signature on an inspection record (当事人签名), or its refusal before a witness.

At the end of a visit the party reads the record on the officer's phone and signs in a box
drawn on the screen (a canvas); the drawing arrives as a PNG, is checked (a real PNG, of a
sensible size, with ink on it) and kept under its SHA-256 like the record's photos
(decision 0011). A party who will not sign is recorded as refusing, with the witness who saw
it (《市场监督管理行政处罚程序规定》第二十八条: 当事人拒绝签名或者盖章的，由执法人员在笔录上注明，
并可以邀请有关人员作为见证人). Both are part of the draft: a signed record is never changed,
and a new party signature makes the officers who signed before it sign again.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import io
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from PIL import Image

from xiaoneng.core import audit
from xiaoneng.core.errors import FieldError, InvalidInput
from xiaoneng.core.models import AuditEvent
from xiaoneng.inspections.records.attachments import human_size, touch
from xiaoneng.inspections.records.models import (
    Inspection,
    PartySignature,
    party_signature_path,
)
from xiaoneng.inspections.records.services import (
    CLOCK_SKEW,
    check_revision,
    clear_signatures,
    local_time,
    locked,
    refuse_if_signed,
    require_editor,
)
from xiaoneng.org.models import Officer

MAX_BYTES = 512 * 1024
MIN_SIZE = (100, 50)
MAX_SIZE = 4000
# Pixels darker than this (0–255, on an opaque pixel) count as ink; fewer than MIN_INK of them
# is an empty box or a stray tap, not a signature.
INK_LEVEL = 160
MIN_INK = 40
TEXT_LIMITS = {
    "signer_name": 50,
    "signer_role": 50,
    "statement": 500,
    "witness_name": 50,
    "witness_role": 50,
}
DATA_URL_PREFIX = "data:image/png;base64,"


def party_signature_of(inspection: Inspection) -> PartySignature | None:
    """The party's signature (or refusal) on ``inspection``; None before one is recorded."""
    try:
        return inspection.party_signature
    except PartySignature.DoesNotExist:
        return None


def decode_image(text: str) -> bytes:
    """The PNG bytes of a canvas's ``data:image/png;base64,…`` (or bare base64); ``b""`` for
    an empty value."""
    text = (text or "").strip()
    if text.startswith(DATA_URL_PREFIX):
        text = text[len(DATA_URL_PREFIX) :]
    elif text.startswith("data:"):
        raise InvalidInput.single("image", _("签名图像应为 PNG 图片"))
    if not text:
        return b""
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput.single("image", _("签名图像不是有效的 Base64 编码")) from None


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "on", "yes", "refused")
    return bool(value)


def _moment(value: Any, inspection: Inspection, errors: list[FieldError]) -> dt.datetime:
    """When the party signed, by the device's clock: not in the future, not before the visit."""
    now = timezone.now()
    if value in (None, ""):
        return now
    moment = value if isinstance(value, dt.datetime) else parse_datetime(str(value).strip())
    if moment is None:
        errors.append(
            FieldError("captured_at", _("签名时间应为 ISO 8601 格式，如 2026-12-07T10:30:00+08:00"))
        )
        return now
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    if moment > now + CLOCK_SKEW:
        errors.append(
            FieldError(
                "captured_at", _("签名时间不能晚于当前时间：%(at)s") % {"at": local_time(moment)}
            )
        )
    elif timezone.localtime(moment).date() < inspection.visited_on:
        errors.append(
            FieldError(
                "captured_at",
                _("签名时间 %(at)s 早于检查日期 %(day)s")
                % {"at": local_time(moment), "day": inspection.visited_on.isoformat()},
            )
        )
    return moment


def _image_errors(data: bytes) -> tuple[list[FieldError], tuple[int, int]]:
    """What is wrong with the drawing: not a PNG, too large, a strange size, no ink."""
    if len(data) > MAX_BYTES:
        message = _("签名图像大小为 %(size)s，超过上限 %(limit)s") % {
            "size": human_size(len(data)),
            "limit": human_size(MAX_BYTES),
        }
        return [FieldError("image", message)], (0, 0)
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            if image.format != "PNG":
                raise ValueError(image.format)
            size = image.size
            if not (MIN_SIZE[0] <= size[0] <= MAX_SIZE and MIN_SIZE[1] <= size[1] <= MAX_SIZE):
                message = _(
                    "签名图像为 %(w)d×%(h)d 像素，应在 %(min_w)d×%(min_h)d 至 %(max)d×%(max)d 之间"
                ) % {
                    "w": size[0],
                    "h": size[1],
                    "min_w": MIN_SIZE[0],
                    "min_h": MIN_SIZE[1],
                    "max": MAX_SIZE,
                }
                return [FieldError("image", message)], size
            rgba = image.convert("RGBA")
    # Pillow reports a damaged or foreign file with many kinds of error.
    except Exception:
        return [FieldError("image", _("签名图像应为 PNG 图片"))], (0, 0)
    # Ink: an opaque pixel darker than INK_LEVEL (a transparent canvas or a white one alike).
    alpha = rgba.getchannel("A").point(lambda a: 255 if a >= 128 else 0)
    dark = rgba.convert("L").point(lambda v: 255 if v < INK_LEVEL else 0)
    ink = sum(Image.composite(dark, Image.new("L", rgba.size, 0), alpha).histogram()[255:])
    if ink < MIN_INK:
        return [FieldError("image", _("签名框是空白的，请当事人在框内签名"))], size
    return [], size


def _checked(
    inspection: Inspection, values: dict[str, Any], image: bytes
) -> tuple[dict[str, Any], tuple[int, int]]:
    """The signature's fields, or every problem with them at once."""
    errors: list[FieldError] = []
    clean = {name: str(values.get(name) or "").strip() for name in TEXT_LIMITS}
    for name, limit in TEXT_LIMITS.items():
        if len(clean[name]) > limit:
            errors.append(FieldError(name, _("不能超过 %(limit)d 个字") % {"limit": limit}))
    if not clean["signer_name"]:
        errors.append(FieldError("signer_name", _("请填写当事人（签名人）姓名")))
    refused = _truthy(values.get("refused"))
    size = (0, 0)
    if refused:
        if not clean["witness_name"]:
            errors.append(FieldError("witness_name", _("当事人拒绝签名的，须填写见证人")))
        if image:
            errors.append(FieldError("image", _("当事人拒绝签名的，不应附签名图像")))
    else:
        if clean["witness_name"] or clean["witness_role"]:
            errors.append(FieldError("witness_name", _("见证人只在当事人拒绝签名时填写")))
        if not image:
            errors.append(FieldError("image", _("请当事人在签名框内签名")))
        else:
            image_errors, size = _image_errors(image)
            errors.extend(image_errors)
    captured_at = _moment(values.get("captured_at"), inspection, errors)
    if errors:
        raise InvalidInput("；".join(e.message for e in errors), errors=errors)
    return {**clean, "refused": refused, "captured_at": captured_at}, size


def _label(signature: PartySignature) -> str:
    if signature.refused:
        return _("%(name)s 拒绝签名，见证人 %(witness)s") % {
            "name": signature.signer_name,
            "witness": signature.witness_name,
        }
    return _("%(name)s 签名 SHA-256 %(sha)s") % {
        "name": signature.signer_name,
        "sha": signature.sha256,
    }


def record_party_signature(
    *,
    inspection: Inspection,
    officer: Officer,
    values: dict[str, Any],
    image: bytes = b"",
    revision: int | str | None = None,
) -> PartySignature:
    """Record the party's signature (``image``, a PNG) or refusal on the draft ``inspection``.

    Refused with every reason, writing nothing: a signed record, one the officer may not edit,
    another revision than ``revision`` (when given), no signer, an empty or foreign drawing, a
    refusal with no witness. A later signature on the same draft replaces the earlier one.
    """
    fields, size = _checked(inspection, values, image)
    digest = hashlib.sha256(image).hexdigest() if image else ""
    with transaction.atomic(), audit.attributed(officer):
        current = locked(inspection)
        refuse_if_signed(current, _("记录当事人签名"))
        require_editor(officer, current)
        if revision not in (None, ""):
            check_revision(current, revision)
        before = party_signature_of(current)
        old_label = _label(before) if before is not None else None
        old_file = before.image.name if before is not None else ""
        if before is not None:
            before.delete()
        signature = PartySignature(
            inspection=current,
            sha256=digest,
            width=size[0] or None,
            height=size[1] or None,
            recorded_by=officer,
            **fields,
        )
        if image:
            stored = party_signature_path(signature, "signature.png")
            if not (default_storage.exists(stored) and default_storage.size(stored) == len(image)):
                if default_storage.exists(stored):
                    default_storage.delete(stored)
                stored = default_storage.save(stored, ContentFile(image))
            signature.image.name = stored
        signature.save()
        audit.record(
            current,
            action=AuditEvent.Action.UPDATE,
            changes={_("当事人签名"): [old_label, _label(signature)]},
        )
        clear_signatures(inspection=current)
        touch(current, inspection, officer)
        if old_file and old_file != signature.image.name:
            _forget_file(old_file)
    return signature


def _forget_file(name: str) -> None:
    """Delete a replaced drawing's file once no signature uses it (after the commit)."""
    if not PartySignature.objects.filter(image=name).exists():
        transaction.on_commit(lambda: default_storage.delete(name))


def open_image(signature: PartySignature) -> Any:
    """The stored drawing of a signature (a PNG)."""
    return signature.image.open("rb")
