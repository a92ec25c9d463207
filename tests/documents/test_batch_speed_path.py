"""Notices rendered ahead of their issue (services.draft_documents, issue_document(rendered=…))
and the batch rendering them in worker processes (documents.batch): a PDF rendered ahead is
stored as it is only while the order, its stamp and the wording are those it was rendered
from; the archive is the same whether the notices were rendered in workers or at their issue."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from tests.conftest import County
from tests.documents.helpers import pdf_text
from tests.documents.test_batch import manifest
from tests.inspections.followup.test_services import (  # noqa: F401
    calendar_known_ahead,
    order,
)
from xiaoneng.core.errors import InvalidInput
from xiaoneng.documents import batch
from xiaoneng.documents.models import DocumentWording, IssuedDocument
from xiaoneng.documents.rendering import RENDERERS
from xiaoneng.documents.services import (
    Draft,
    document_bytes,
    draft_document,
    draft_documents,
    issue_document,
)
from xiaoneng.inspections.followup.models import Rectification

KIND = "rectification"


def drafted(county: County, orders: list[Rectification], at: dt.datetime) -> list[Draft]:
    """The orders' drafts as the batch makes them: loaded in bulk, the inspection read after."""
    records = batch.loaded([o.pk for o in orders])
    drafts = draft_documents(kind=KIND, records=records, actor=county.east_officer, at=at)
    assert all(d is not None for d in drafts)
    return [d for d in drafts if d is not None]


def issue(county: County, draft: Draft, data: bytes, at: dt.datetime) -> IssuedDocument:
    return issue_document(
        kind=KIND,
        record_id=draft.record.pk,
        actor=county.east_officer,
        at=at,
        rendered=draft.rendered(data),
    )


def renders_here(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The notices rendered in this process (a worker process's renders are not counted)."""
    done: list[int] = []
    renderer = RENDERERS[KIND]

    def counted(record: Any, stamp: Any) -> bytes:
        done.append(record.pk)
        return renderer.render(record, stamp)

    monkeypatch.setitem(RENDERERS, KIND, dataclasses.replace(renderer, render=counted))
    return done


def test_a_notice_rendered_ahead_is_stored_as_it_was_rendered(
    county: County, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = order(county), order(county)
    at = timezone.now()
    drafts = drafted(county, [first, second], at)
    pages = [draft.render() for draft in drafts]
    rendered_at_issue = renders_here(monkeypatch)
    for o, draft, data in zip([first, second], drafts, pages, strict=True):
        document = issue(county, draft, data, at)
        assert document_bytes(document) == data
        assert document.sha256 == hashlib.sha256(data).hexdigest()
        assert document.verification_code == draft.stamp.verification_code
        assert document.number.text == o.number == draft.stamp.number
        text = pdf_text(data)
        assert o.number in text and f"核验码{document.verification_code}" in text
    assert rendered_at_issue == []
    # One at a time, the order loaded by the kind's own ``load``: the same draft.
    third = order(county)
    alone = draft_document(kind=KIND, record_id=third.pk, actor=county.east_officer, at=at)
    assert alone is not None
    (together,) = drafted(county, [third], at)
    assert alone.state == together.state


def test_an_order_changed_since_it_was_rendered_is_rendered_again_at_its_issue(
    county: County, monkeypatch: pytest.MonkeyPatch
) -> None:
    changed = order(county)
    at = timezone.now()
    (draft,) = drafted(county, [changed], at)
    data = draft.render()
    Rectification.objects.filter(pk=changed.pk).update(requirements="立即下架过期酸奶")
    rendered_at_issue = renders_here(monkeypatch)
    document = issue(county, draft, data, at)
    assert rendered_at_issue == [changed.pk]
    stored = document_bytes(document)
    assert stored != data and document.verification_code != draft.stamp.verification_code
    assert "立即下架过期酸奶" in pdf_text(stored)
    assert f"核验码{document.verification_code}" in pdf_text(stored)


def test_a_wording_saved_since_it_was_rendered_is_the_one_the_notice_is_issued_with(
    county: County, monkeypatch: pytest.MonkeyPatch
) -> None:
    rectification = order(county)
    at = timezone.now() + dt.timedelta(minutes=5)
    (draft,) = drafted(county, [rectification], at)
    data = draft.render()
    assert draft.wording is None
    wording = DocumentWording.objects.create(
        kind=KIND,
        version=1,
        blocks={"closing": "逾期不改正的，依法查处。"},
        note="改写结尾",
        created_by=county.admin,
        created_at=timezone.now(),
    )
    rendered_at_issue = renders_here(monkeypatch)
    document = issue(county, draft, data, at)
    assert rendered_at_issue == [rectification.pk] and document.wording == wording
    assert "逾期不改正的，依法查处。" in pdf_text(document_bytes(document))


def test_an_order_the_actor_may_not_issue_or_issued_before_has_no_draft(county: County) -> None:
    issued, other = order(county), order(county)
    at = timezone.now()
    issue_document(kind=KIND, record_id=issued.pk, actor=None, at=at)
    records = batch.loaded([issued.pk, other.pk])
    assert draft_documents(kind=KIND, records=records, actor=county.east_officer, at=at)[0] is None
    refused = draft_documents(kind=KIND, records=records, actor=county.west_officer, at=at)
    assert refused == [None, None]
    # A kind numbered from its counter is never rendered ahead.
    assert draft_document(kind="warning", record_id=other.pk, actor=None, at=at) is None


def test_a_batch_inside_a_transaction_renders_each_notice_at_its_issue(
    county: County, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch, "PARALLEL_FROM", 1)
    orders = [order(county), order(county)]
    assert batch.workers_for(len(orders)) == 0  # the test's transaction: no worker
    rendered_at_issue = renders_here(monkeypatch)
    report = batch.write_notices(batch.orders_of(county.east), out / "a.zip", actor=None)
    assert report.issued == 2 and rendered_at_issue == [o.pk for o in orders]


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_batch_renders_in_worker_processes_and_writes_the_same_archive(
    county: County, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if len(os.sched_getaffinity(0)) < 2:
        pytest.skip("worker processes render only on two cores or more")
    monkeypatch.setattr(batch, "PARALLEL_FROM", 2)
    orders = [order(county), order(county), order(county)]
    refused = order(county)
    Rectification.objects.filter(pk=refused.pk).update(number="伊市监责改2026-4")
    assert batch.workers_for(len(orders)) >= 2
    rendered_at_issue = renders_here(monkeypatch)
    target = out / "通知书.zip"
    report = batch.write_notices(batch.orders_of(county.east), target, actor=None)
    # Rendered in the workers; the refused order drafted too, then refused at its issue.
    assert rendered_at_issue == []
    assert (report.issued, report.already, len(report.skipped)) == (3, 0, 1)
    numbers = [o.number for o in orders]
    with zipfile.ZipFile(target) as archive:
        assert archive.namelist() == [*(f"{n}.pdf" for n in numbers), batch.MANIFEST]
        rows = manifest(archive)
        for o, row in zip(orders, rows[:3], strict=True):
            data = archive.read(f"{o.number}.pdf")
            document = IssuedDocument.objects.get(object_id=o.pk, kind=KIND)
            assert hashlib.sha256(data).hexdigest() == document.sha256 == row["SHA-256"]
            assert document_bytes(document) == data
            text = pdf_text(data)
            assert o.number in text and f"核验码{document.verification_code}" in text
            assert (row["文号"], row["文件"], row["结果"]) == (
                o.number,
                f"{o.number}.pdf",
                "已出具",
            )
        assert rows[3]["结果"].startswith("未出具：记录的编号 伊市监责改2026-4 不是文号的格式")
    # A second run: nothing to render, the same archive's PDFs.
    again = batch.write_notices(batch.orders_of(county.east), out / "2.zip", actor=None)
    assert (again.issued, again.already) == (0, 3)
    with zipfile.ZipFile(target) as one, zipfile.ZipFile(out / "2.zip") as two:
        for name in numbers:
            assert one.read(f"{name}.pdf") == two.read(f"{name}.pdf")


def test_since_is_a_typed_day(county: County) -> None:
    assert batch.parse_since(None) is None
    assert batch.parse_since(" 2026-09-30 ") == dt.date(2026, 9, 30)
    for typed in ("2026-02-30", "", "30/09/2026", "0001-01-01"):
        with pytest.raises(InvalidInput) as refused:
            batch.parse_since(typed)
        assert refused.value.message == f"--since: 日期格式应为 YYYY-MM-DD：{typed}"
