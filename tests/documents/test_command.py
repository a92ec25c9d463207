"""xiaoneng document KIND ID -o FILE.pdf: issues once, writes the stored PDF, refuses drafts."""

from __future__ import annotations

import hashlib
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.conftest import County
from tests.documents.helpers import pdf_text, signed_inspection
from tests.inspections.records.helpers import draft, fill
from xiaoneng.documents.models import IssuedDocument


def run(*args: str) -> str:
    out = StringIO()
    call_command("document", *args, stdout=out)
    return out.getvalue()


def test_the_command_issues_once_then_writes_the_same_pdf(county: County, tmp_path: Path) -> None:
    record = signed_inspection(county)
    target = tmp_path / "笔录.pdf"
    first = run("inspection", str(record.pk), "-o", str(target))
    document = IssuedDocument.objects.get()
    assert first.startswith(f"已出具 issued: {document.number.text} 第 1 版")
    assert hashlib.sha256(target.read_bytes()).hexdigest() == document.sha256
    assert document.number.text in pdf_text(target.read_bytes())
    again = run("inspection", str(record.pk), "-o", str(target))
    assert again.startswith("已出具过 already issued") and IssuedDocument.objects.count() == 1
    run("inspection", str(record.pk), "-o", str(target), "--reissue", "--reason", "补正地址")
    assert IssuedDocument.objects.latest("version").version == 2
    assert hashlib.sha256(target.read_bytes()).hexdigest() == (
        IssuedDocument.objects.latest("version").sha256
    )


def test_a_draft_exits_with_status_2_and_its_reason(county: County, tmp_path: Path) -> None:
    record = fill(draft(county), county.east_officer)
    target = tmp_path / "draft.pdf"
    with pytest.raises(CommandError) as refused:
        run("inspection", str(record.pk), "-o", str(target))
    assert refused.value.returncode == 2
    assert "尚未签名" in str(refused.value)
    assert not target.exists()
