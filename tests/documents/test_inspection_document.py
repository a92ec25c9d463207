"""The 现场检查笔录 of a signed inspection: issued, its text, refused for a draft, re-issued."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pypdf import PdfReader

from tests.conftest import County
from tests.documents.helpers import pdf_text, signed_inspection
from tests.inspections.records.helpers import draft, fill
from xiaoneng.core.errors import Conflict, InvalidInput, Missing
from xiaoneng.core.models import AuditEvent
from xiaoneng.documents.models import DocumentNumber, IssuedDocument
from xiaoneng.documents.rendering.pdf import qr_png
from xiaoneng.documents.services import (
    CODE_ALPHABET,
    document_bytes,
    issue_document,
    latest_document,
    reissue_document,
    verify_url,
)
from xiaoneng.inspections.models import Finding


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DOCUMENT_NUMBER_PREFIX = "示市监"
    settings.PUBLIC_BASE_URL = "https://xn.example.gov.cn"
    return Path(settings.MEDIA_ROOT)


def test_the_pdf_holds_the_number_party_items_findings_and_certificates(
    county: County, media: Path
) -> None:
    record = signed_inspection(county)
    document = issue_document(kind="inspection", record_id=record.pk, actor=county.east_officer)
    data = document_bytes(document)
    assert data.startswith(b"%PDF-")
    assert document.sha256 == hashlib.sha256(data).hexdigest() and document.size == len(data)
    assert Path(document.file.path).is_relative_to(media / "documents")
    text = pdf_text(data)
    year = document.issued_at.astimezone().year
    assert document.number.text == f"示市监检录〔{year}〕1号"
    entity = record.entity
    expected = [
        "示范县市场监督管理局",
        "现场检查笔录",
        document.number.text,
        entity.name,
        entity.uscc,
        "示范县城东路18号",
        "王五",
        "检查事项1",
        "检查事项2",
        "不符合",
        "冷柜内有过期酸奶3盒",
        "证照齐全，经营正常",
        document.verification_code,
    ]
    for officer in (
        county.east_officer,
        record.team.exclude(officer=county.east_officer).get().officer,
    ):
        expected += [str(officer), str(officer.certificate_number)]
    for finding in Finding.objects.filter(inspection=record):
        expected.append(finding.description.replace(" ", ""))
    missing = [value for value in expected if value.replace(" ", "") not in text]
    assert not missing, text


def test_the_document_is_numbered_coded_and_traced(county: County) -> None:
    record = signed_inspection(county)
    document = issue_document(kind="inspection", record_id=record.pk, actor=county.east_officer)
    assert document.version == 1 and document.previous is None
    assert document.unit == county.east and document.object_id == record.pk
    assert len(document.verification_code) == 10
    assert set(document.verification_code) <= set(CODE_ALPHABET)
    assert document.number.object_id == record.pk
    assert document.issued_by == county.east_officer
    assert AuditEvent.objects.filter(
        object_id=str(document.pk), action=AuditEvent.Action.CREATE, actor=county.east_officer
    ).exists()
    assert latest_document(kind="inspection", record=record) == document


def test_a_draft_inspection_is_refused_and_spends_no_number(county: County) -> None:
    record = fill(draft(county), county.east_officer)
    with pytest.raises(InvalidInput) as refused:
        issue_document(kind="inspection", record_id=record.pk, actor=county.east_officer)
    assert refused.value.errors[0].field == "status"
    assert refused.value.errors[0].message == (
        f"检查记录 #{record.pk} 尚未签名（草稿），不能出具现场检查笔录；全体检查人员签名后再出具。"
    )
    assert not IssuedDocument.objects.exists()
    assert not DocumentNumber.objects.exists()


def test_an_unknown_record_or_kind_is_refused(county: County) -> None:
    with pytest.raises(Missing):
        issue_document(kind="inspection", record_id=999_999, actor=None)
    with pytest.raises(InvalidInput) as kind:
        issue_document(kind="permit", record_id=1, actor=None)
    assert kind.value.errors[0].message == (
        "暂不能出具该种文书：permit（可出具：inspection、rectification、reinspection、warning、"
        "case-source、case-filing、case-notice、case-decision、service）"
    )


def test_issuing_twice_is_refused_and_a_reissue_is_version_2_linked_to_1(county: County) -> None:
    record = signed_inspection(county)
    first = issue_document(kind="inspection", record_id=record.pk, actor=county.east_officer)
    with pytest.raises(Conflict):
        issue_document(kind="inspection", record_id=record.pk, actor=county.east_officer)
    second = reissue_document(
        document=first, reason="当事人名称打印有误", actor=county.east_officer
    )
    assert (second.version, second.previous, second.number) == (2, first, first.number)
    assert second.verification_code != first.verification_code
    assert second.sha256 != first.sha256
    assert second.verification_code in pdf_text(document_bytes(second))
    first.refresh_from_db()
    assert document_bytes(first)  # the old version is kept as it was
    assert latest_document(kind="inspection", record=record) == second
    with pytest.raises(Conflict):
        reissue_document(document=first, reason="再次更正", actor=None)
    with pytest.raises(InvalidInput):
        reissue_document(document=second, reason="", actor=None)


def test_a_changed_file_is_refused_not_served(county: County) -> None:
    record = signed_inspection(county)
    document = issue_document(kind="inspection", record_id=record.pk, actor=None)
    Path(document.file.path).write_bytes(b"%PDF-1.4 forged")
    with pytest.raises(Conflict) as refused:
        document_bytes(document)
    assert "SHA-256 不符" in refused.value.message


def test_the_qr_code_carries_the_verification_address(county: County) -> None:
    """The PDF's only image is the QR code of PUBLIC_BASE_URL/verify/<code>/, module for module."""
    record = signed_inspection(county)
    document = issue_document(kind="inspection", record_id=record.pk, actor=None)
    page = PdfReader(io.BytesIO(document_bytes(document))).pages[0]
    [embedded] = page.images
    url = f"https://xn.example.gov.cn/verify/{document.verification_code}/"
    assert verify_url(document.verification_code) == url
    expected = Image.open(qr_png(url)).convert("L")
    assert embedded.image is not None
    shown = embedded.image.convert("L")
    assert shown.size == expected.size
    assert shown.tobytes() == expected.tobytes()
