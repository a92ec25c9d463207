"""Photos and documents of an inspection: real images and PDFs, size limit, SHA-256."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.conftest import County
from tests.inspections.factories import at
from tests.inspections.records.helpers import DAY, draft, fill, second_officer
from xiaoneng.core.errors import Conflict, InvalidInput, NotPermitted
from xiaoneng.inspections.models import Attachment, Inspection
from xiaoneng.inspections.records.attachments import add_attachment, remove_attachment
from xiaoneng.inspections.records.signing import sign_inspection

pytestmark = pytest.mark.usefixtures("media")


def png(colour: str = "red", size: int = 8) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (size, size), colour).save(buffer, "PNG")
    return buffer.getvalue()


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), "blue").save(buffer, "JPEG")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_a_photo_is_stored_under_its_sha256(county: County, media: Path) -> None:
    inspection = draft(county)
    content = png()
    attachment = add_attachment(
        inspection=inspection,
        officer=county.east_officer,
        upload=upload("门头.png", content),
        kind="photo",
    )
    digest = hashlib.sha256(content).hexdigest()
    assert attachment.sha256 == digest and attachment.size == len(content)
    assert attachment.file.name == f"inspections/{digest[:2]}/{digest}.png"
    assert attachment.content_type == "image/png" and attachment.original_name == "门头.png"
    assert (media / attachment.file.name).read_bytes() == content


def test_the_content_decides_not_the_name(county: County) -> None:
    attachment = add_attachment(
        inspection=draft(county),
        officer=county.east_officer,
        upload=upload("photo.png", jpeg(), "image/png"),
        kind="photo",
    )
    assert attachment.content_type == "image/jpeg"


def test_a_photo_that_is_not_an_image_is_refused_and_nothing_is_written(
    county: County, media: Path
) -> None:
    with pytest.raises(InvalidInput) as refused:
        add_attachment(
            inspection=draft(county),
            officer=county.east_officer,
            upload=upload("现场.jpg", b"MZ\x90\x00 not a picture", "image/jpeg"),
            kind="photo",
        )
    assert refused.value.message == (
        "file: 文件“现场.jpg”不是可识别的图片，现场照片须为 JPEG、PNG、WebP 等格式"
    )
    assert not Attachment.objects.exists() and not media.exists()


def test_a_truncated_image_is_refused(county: County) -> None:
    with pytest.raises(InvalidInput):
        add_attachment(
            inspection=draft(county),
            officer=county.east_officer,
            upload=upload("half.png", png()[:40]),
            kind="photo",
        )


def test_a_photo_over_the_size_limit_is_refused_naming_both_sizes(
    county: County, settings: Any
) -> None:
    settings.ATTACHMENT_MAX_BYTES = 100
    content = png(size=64)
    with pytest.raises(InvalidInput) as refused:
        add_attachment(
            inspection=draft(county),
            officer=county.east_officer,
            upload=upload("big.png", content),
            kind="photo",
        )
    assert refused.value.errors[0].field == "file"
    assert refused.value.errors[0].message == (
        f"文件“big.png”大小为 {len(content)} 字节，超过上限 100 字节"
    )
    assert not Attachment.objects.exists()


def test_sizes_are_named_in_kilobytes_and_megabytes(county: County, settings: Any) -> None:
    settings.ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
    big = SimpleUploadedFile("scan.pdf", b"%PDF-1.7\n" + b"0" * (12 * 1024 * 1024))
    with pytest.raises(InvalidInput) as refused:
        add_attachment(
            inspection=draft(county), officer=county.east_officer, upload=big, kind="document"
        )
    assert refused.value.errors[0].message == "文件“scan.pdf”大小为 12.0 MB，超过上限 10.0 MB"


def test_a_document_is_a_pdf_or_an_image(county: County) -> None:
    inspection = draft(county)
    pdf = add_attachment(
        inspection=inspection,
        officer=county.east_officer,
        upload=upload("责令整改通知书.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "application/pdf"),
        kind="document",
    )
    scan = add_attachment(
        inspection=inspection,
        officer=county.east_officer,
        upload=upload("营业执照.png", png("white")),
        kind="document",
    )
    assert (pdf.content_type, scan.content_type) == ("application/pdf", "image/png")
    with pytest.raises(InvalidInput) as refused:
        add_attachment(
            inspection=inspection,
            officer=county.east_officer,
            upload=upload("说明.docx", b"PK\x03\x04word", "application/msword"),
            kind="document",
        )
    assert refused.value.message == "file: 文件“说明.docx”不是 PDF 文档或图片"


def test_the_same_file_twice_on_one_record_is_refused(county: County) -> None:
    inspection = draft(county)
    add_attachment(
        inspection=inspection,
        officer=county.east_officer,
        upload=upload("a.png", png()),
        kind="photo",
    )
    with pytest.raises(Conflict) as refused:
        add_attachment(
            inspection=inspection,
            officer=county.east_officer,
            upload=upload("b.png", png()),
            kind="photo",
        )
    assert refused.value.message == "文件“b.png”与已上传的“a.png”相同（SHA-256 一致）"


def test_the_same_photo_in_two_records_is_one_file(county: County) -> None:
    first = add_attachment(
        inspection=draft(county),
        officer=county.east_officer,
        upload=upload("a.png", png()),
        kind="photo",
    )
    second = add_attachment(
        inspection=draft(county),
        officer=county.east_officer,
        upload=upload("b.png", png()),
        kind="photo",
    )
    assert first.file.name == second.file.name and first.sha256 == second.sha256


def test_an_unknown_kind_and_an_outsider_are_refused(county: County) -> None:
    inspection = draft(county)
    with pytest.raises(InvalidInput) as refused:
        add_attachment(
            inspection=inspection,
            officer=county.east_officer,
            upload=upload("a.png", png()),
            kind="video",
        )
    assert refused.value.message == (
        "kind: 附件类型应为 photo（现场照片）或 document（文书材料）：video"
    )
    with pytest.raises(NotPermitted):
        add_attachment(
            inspection=inspection,
            officer=second_officer(county),
            upload=upload("a.png", png()),
            kind="photo",
        )


def test_an_attachment_of_a_draft_can_be_removed_and_its_file_goes_when_unused(
    county: County, django_capture_on_commit_callbacks: Any
) -> None:
    shared = [
        add_attachment(
            inspection=draft(county),
            officer=county.east_officer,
            upload=upload("a.png", png()),
            kind="photo",
        )
        for _ in range(2)
    ]
    name = shared[0].file.name
    with django_capture_on_commit_callbacks(execute=True):
        remove_attachment(attachment=shared[0], officer=county.east_officer)
    assert Attachment.objects.count() == 1 and default_storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        remove_attachment(attachment=shared[1], officer=county.east_officer)
    assert not Attachment.objects.exists() and not default_storage.exists(name)


def test_a_signed_record_refuses_new_attachments_and_removals(county: County) -> None:
    inspection = draft(county)
    kept = add_attachment(
        inspection=inspection,
        officer=county.east_officer,
        upload=upload("a.png", png()),
        kind="photo",
    )
    fill(inspection, county.east_officer)
    signed = sign_inspection(inspection=inspection, officer=county.east_officer, at=at(DAY, 10))
    with pytest.raises(Conflict) as refused:
        add_attachment(
            inspection=signed,
            officer=county.east_officer,
            upload=upload("b.png", png("green")),
            kind="photo",
        )
    assert refused.value.message == (
        "检查记录已于 2026-03-02 10:00 签名，不能再上传附件；如需更正，请提出更正。"
    )
    with pytest.raises(Conflict) as removal:
        remove_attachment(attachment=kept, officer=county.east_officer)
    assert removal.value.message == (
        "检查记录已于 2026-03-02 10:00 签名，不能再删除附件；如需更正，请提出更正。"
    )
    assert Attachment.objects.filter(inspection=signed).count() == 1
    assert Inspection.objects.get(pk=signed.pk).status == "signed"


def test_a_new_photo_after_a_signature_clears_it(county: County) -> None:
    helper = second_officer(county)
    inspection = fill(draft(county, team=[helper]), county.east_officer)
    sign_inspection(inspection=inspection, officer=county.east_officer, at=at(DAY, 10))
    add_attachment(
        inspection=inspection, officer=helper, upload=upload("a.png", png()), kind="photo"
    )
    assert not inspection.team.filter(signed_at__isnull=False).exists()
