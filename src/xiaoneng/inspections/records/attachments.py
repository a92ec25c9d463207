"""Photos and documents of an inspection, stored under their SHA-256 (decision 0011).

A photo must really be an image (Pillow opens and verifies it, whatever its name says); a
document is a PDF or an image (its first bytes are checked). The digest names the file, so
the same photo twice is one file, and the trace checks can find a photo reused elsewhere.
Nothing is added to or removed from a signed record.
"""

from __future__ import annotations

import errno
import hashlib
import os
from typing import IO, Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image

from xiaoneng.core import audit
from xiaoneng.core.errors import Conflict, DomainError, InvalidInput
from xiaoneng.core.models import AuditEvent
from xiaoneng.inspections.records.models import Attachment, Inspection, attachment_path
from xiaoneng.inspections.records.services import (
    clear_signatures,
    locked,
    refuse_if_signed,
    require_editor,
)
from xiaoneng.org.models import Officer

PDF_MAGIC = b"%PDF-"
NAME_MAX = 200


class StorageFull(DomainError):
    """The media disk has no room for the file: nothing was saved (507 Insufficient Storage)."""

    status_code = 507


class FileMissing(DomainError):
    """The record names a file that is no longer in the storage (deleted or not restored)."""

    status_code = 404


def open_file(attachment: Attachment) -> IO[bytes]:
    """The stored file of an attachment; ``FileMissing`` (404) when the storage lost it."""
    try:
        return attachment.file.open("rb")
    except FileNotFoundError:
        raise FileMissing(
            _("附件“%(name)s”的文件已不在服务器上，请联系系统管理员从备份恢复。")
            % {"name": attachment.original_name}
        ) from None


def human_size(size: int) -> str:
    """A size in bytes as people read it: 900 字节, 1.5 KB, 12.0 MB."""
    if size < 1024:
        return _("%(n)d 字节") % {"n": size}
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def _digest(upload: Any) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _image_type(upload: Any) -> str | None:
    """The MIME type of an image Pillow can open and verify; None for anything else."""
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image.verify()
            kind = image.format or ""
    # Pillow reports a damaged or foreign file with many kinds of error.
    except Exception:
        return None
    finally:
        upload.seek(0)
    return Image.MIME.get(kind, f"image/{kind.lower()}")


def _content_type(upload: Any, name: str, kind: str) -> str:
    """What the file really is, or refuse: a photo is an image, a document a PDF or image."""
    if kind == Attachment.Kind.DOCUMENT:
        upload.seek(0)
        head = upload.read(len(PDF_MAGIC))
        upload.seek(0)
        if head == PDF_MAGIC:
            return "application/pdf"
    image = _image_type(upload)
    if image is not None:
        return image
    if kind == Attachment.Kind.PHOTO:
        message = _("文件“%(name)s”不是可识别的图片，现场照片须为 JPEG、PNG、WebP 等格式")
    else:
        message = _("文件“%(name)s”不是 PDF 文档或图片")
    raise InvalidInput.single("file", message % {"name": name})


def _label(attachment: Attachment) -> str:
    kind = attachment.get_kind_display()
    return f"{kind} {attachment.original_name} SHA-256 {attachment.sha256}"


def add_attachment(
    *, inspection: Inspection, officer: Officer, upload: Any, kind: str
) -> Attachment:
    """Attach ``upload`` (a Django ``UploadedFile``) to the draft ``inspection`` as ``kind``.

    Refused: a file over ``settings.ATTACHMENT_MAX_BYTES``, a photo that is not an image, a
    document that is neither PDF nor image, the same file twice, a signed record.
    """
    if kind not in Attachment.Kind.values:
        raise InvalidInput.single(
            "kind",
            _("附件类型应为 photo（现场照片）或 document（文书材料）：%(value)s") % {"value": kind},
        )
    name = os.path.basename(str(upload.name or "upload")).strip()[:NAME_MAX] or "upload"
    with transaction.atomic(), audit.attributed(officer):
        current = locked(inspection)
        refuse_if_signed(current, _("上传附件"))
        require_editor(officer, current)
        limit = settings.ATTACHMENT_MAX_BYTES
        if upload.size > limit:
            raise InvalidInput.single(
                "file",
                _("文件“%(name)s”大小为 %(size)s，超过上限 %(limit)s")
                % {"name": name, "size": human_size(upload.size), "limit": human_size(limit)},
            )
        content_type = _content_type(upload, name, kind)
        digest = _digest(upload)
        same = current.attachments.filter(sha256=digest).first()
        if same is not None:
            raise Conflict(
                _("文件“%(name)s”与已上传的“%(other)s”相同（SHA-256 一致）")
                % {"name": name, "other": same.original_name}
            )
        attachment = Attachment(
            inspection=current,
            kind=kind,
            original_name=name,
            content_type=content_type,
            size=upload.size,
            sha256=digest,
            uploaded_by=officer,
        )
        stored = attachment_path(attachment, name)
        if default_storage.exists(stored) and default_storage.size(stored) == upload.size:
            attachment.file.name = stored  # the same content is kept once
        else:
            _store(attachment, name, upload, stored)
        attachment.save()
        audit.record(
            current,
            action=AuditEvent.Action.UPDATE,
            changes={_("附件"): [None, _label(attachment)]},
        )
        clear_signatures(inspection=current)
        touch(current, inspection, officer)
    return attachment


def _store(attachment: Attachment, name: str, upload: Any, stored: str) -> None:
    """Write the file under its digest. A write that fails (the disk full) leaves no part of
    it behind: a part would be taken for the whole file by the next upload of the same photo."""
    if default_storage.exists(stored):
        default_storage.delete(stored)  # the part a failed write left (its size is wrong)
    try:
        attachment.file.save(name, upload, save=False)
    except OSError as error:
        if default_storage.exists(stored):
            default_storage.delete(stored)
        if error.errno not in (errno.ENOSPC, errno.EDQUOT):
            raise
        raise StorageFull(
            _("服务器存储空间已满，文件“%(name)s”未保存，检查记录未改变。请联系系统管理员。")
            % {"name": name}
        ) from None


def touch(current: Inspection, given: Inspection, officer: Officer) -> None:
    """The record changed: a new revision, so a client holding the old one must reload (and
    the caller's copy ``given`` knows the new number)."""
    current.revision += 1
    Inspection.objects.filter(pk=current.pk).update(
        revision=current.revision, updated_by=officer, updated_at=timezone.now()
    )
    given.revision = current.revision


def remove_attachment(*, attachment: Attachment, officer: Officer) -> None:
    """Remove an attachment of a draft; the file goes when no record uses it any more."""
    with transaction.atomic(), audit.attributed(officer):
        current = locked(attachment.inspection)
        refuse_if_signed(current, _("删除附件"))
        require_editor(officer, current)
        stored = attachment.file.name
        label = _label(attachment)
        attachment.delete()
        audit.record(current, action=AuditEvent.Action.UPDATE, changes={_("附件"): [label, None]})
        clear_signatures(inspection=current)
        touch(current, attachment.inspection, officer)
        if not Attachment.objects.filter(file=stored).exists():
            transaction.on_commit(lambda: default_storage.delete(stored))
