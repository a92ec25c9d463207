"""The public verification page: what was issued under a code, an altered PDF caught, an old
version and a void number said so, bad codes and files refused with the exact message."""

from __future__ import annotations

import io
from typing import Any

from django.test import Client
from django.urls import reverse

from tests.conftest import County
from tests.documents.helpers import signed_inspection
from xiaoneng.documents.models import IssuedDocument
from xiaoneng.documents.numbering import void
from xiaoneng.documents.services import document_bytes, issue_document, reissue_document


def _issued(county: County) -> IssuedDocument:
    record = signed_inspection(county)
    return issue_document(kind="inspection", record_id=record.pk, actor=county.east_officer)


def _page(document: IssuedDocument) -> str:
    return reverse("documents:verify", args=[document.verification_code])


def _upload(data: bytes) -> io.BytesIO:
    upload = io.BytesIO(data)
    upload.name = "通知书.pdf"
    return upload


def test_anyone_sees_what_was_issued_without_the_records_contents(county: County) -> None:
    document = _issued(county)
    response = Client().get(_page(document))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="valid"' in page
    for shown in (document.number.text, document.sha256, "现场检查笔录", "第 1 版"):
        assert shown in page, shown
    assert "示范县市场监督管理局" in page  # the issuing bureau
    # nothing of the record itself: not the party, not the finding
    assert "王五" not in page and "过期酸奶" not in page and "/entities/" not in page


def test_the_issued_pdf_matches_and_a_changed_one_is_caught(county: County) -> None:
    document = _issued(county)
    data = document_bytes(document)
    client = Client()
    same = client.post(_page(document), {"file": _upload(data)})
    assert 'data-testid="match"' in same.content.decode()
    middle = len(data) // 2
    changed = data[:middle] + bytes([data[middle] ^ 1]) + data[middle + 1 :]
    assert changed != data
    caught = client.post(_page(document), {"file": _upload(changed)}).content.decode()
    assert 'data-testid="mismatch"' in caught and 'data-testid="match"' not in caught
    assert not IssuedDocument.objects.exclude(pk=document.pk).exists()  # nothing stored


def test_a_code_is_found_as_typed_from_paper(county: County) -> None:
    document = _issued(county)
    code = document.verification_code
    typed = f"{code[:5].lower()} -{code[5:]}"
    response = Client().get(reverse("documents:verify_lookup"), {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == _page(document)


def test_a_malformed_code_is_refused_with_the_rule(db: None) -> None:
    response = Client().get(reverse("documents:verify_lookup"), {"code": "O0I1L"})
    assert response.status_code == 200
    assert "核验码应为 10 位字母和数字（不含 0、1、I、L、O）。" in response.content.decode()
    assert Client().get(reverse("documents:verify_lookup")).status_code == 200


def test_an_unknown_code_is_404(db: None) -> None:
    response = Client().get(reverse("documents:verify", args=["ABCDEFGHJK"]))
    assert response.status_code == 404


def test_an_old_version_points_to_the_new_one_and_a_void_number_says_so(
    county: County,
) -> None:
    first = _issued(county)
    second = reissue_document(document=first, reason="当事人地址有误", actor=county.east_officer)
    old = Client().get(_page(first)).content.decode()
    assert 'data-testid="superseded"' in old and "第 2 版" in old
    assert 'data-testid="valid"' in Client().get(_page(second)).content.decode()
    void(number=second.number, reason="文书送达前撤回", actor=county.east_director)
    gone = Client().get(_page(second)).content.decode()
    assert 'data-testid="void"' in gone and "文书送达前撤回" in gone


def test_a_missing_or_oversized_file_is_refused(county: County, monkeypatch: Any) -> None:
    document = _issued(county)
    client = Client()
    missing = client.post(_page(document), {}).content.decode()
    assert "这个字段是必填项。" in missing or "该字段是必填项。" in missing
    monkeypatch.setattr("xiaoneng.documents.views.MAX_PDF_BYTES", 10)
    big = client.post(_page(document), {"file": _upload(b"%PDF-" + b"x" * 20)}).content.decode()
    assert "文件大小为 25 字节，超过 10 字节，不是本系统出具的文书。" in big
