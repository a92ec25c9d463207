"""The three notices of a rectification order: 责令改正通知书 (the order's own number), 整改复查意见书
(once re-inspected or rectified) and 警示通知书 (once warned) — their text, their refusals, who
may issue them, and the order's page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.conftest import County, client_for
from tests.documents.helpers import pdf_text
from tests.inspections.followup.test_reinspection import reinspection
from tests.inspections.followup.test_services import (  # noqa: F401
    calendar_known_ahead,
    order,
)
from xiaoneng.core.errors import Conflict, InvalidInput, NotPermitted
from xiaoneng.documents.models import DocumentNumber, IssuedDocument, NumberCounter
from xiaoneng.documents.numbering import adopt, next_number
from xiaoneng.documents.services import document_bytes, issue_document, latest_document
from xiaoneng.inspections.followup.overdue import warn_overdue
from xiaoneng.inspections.followup.services import record_rectified

D = dt.date


def text_of(kind: str, record_id: int, actor: Any) -> tuple[IssuedDocument, str]:
    document = issue_document(kind=kind, record_id=record_id, actor=actor)
    return document, pdf_text(document_bytes(document))


def test_the_notice_carries_the_orders_number_findings_basis_and_deadline_in_words(
    county: County,
) -> None:
    rectification = order(county, working_days=10)
    document, text = text_of("rectification", rectification.pk, county.east_officer)
    assert document.number.text == rectification.number == "伊市监责改〔2026〕0001号"
    for expected in [
        "责令改正通知书",
        rectification.number,
        rectification.entity.name,
        rectification.entity.uscc,
        "本局于2026年9月28日对你（单位）进行检查",
        # Each finding's description is its item's title: printed once; the basis once.
        "1.检查事项1\n2.检查事项2\n上述问题违反了《中华人民共和国食品安全法》第三十三条的规定",
        # 10 working days from Sep 30, 国庆 skipped: Oct 21 (2026: Oct 10 a working Saturday).
        f"于{rectification.deadline.year}年{rectification.deadline.month}月"
        f"{rectification.deadline.day}日前（自2026年9月30日起10个工作日内）",
        "立即清理过期食品，完善进货查验记录",
        "六十日内依法申请行政复议",
        "2026年9月30日",
        str(county.east_officer),
    ]:
        assert expected.replace(" ", "") in text, expected
    assert rectification.deadline == D(2026, 10, 20)


def test_adopting_the_orders_number_moves_the_counter_past_it(county: County) -> None:
    first, second = order(county), order(county)
    issue_document(kind="rectification", record_id=second.pk, actor=county.east_officer)
    counter = NumberCounter.objects.get(kind="rectification", year=2026)
    assert counter.last_serial == 2
    # The counter never gives out a serial an order holds; the first order's number is free
    # for its own notice.
    issue_document(kind="rectification", record_id=first.pk, actor=county.east_officer)
    assert next_number(kind="rectification", year=2026).serial == 3
    assert sorted(DocumentNumber.objects.values_list("serial", flat=True)) == [1, 2, 3]


def test_a_number_already_kept_for_another_record_is_refused(county: County) -> None:
    first, second = order(county), order(county)
    adopt(kind="rectification", text=first.number, record=first)
    assert adopt(kind="rectification", text=first.number, record=first).object_id == first.pk
    with pytest.raises(Conflict) as refused:
        adopt(kind="rectification", text=first.number, record=second)
    assert refused.value.message == f"文号 {first.number} 已用于另一记录"
    with pytest.raises(InvalidInput) as malformed:
        adopt(kind="rectification", text="伊市监责改2026-1", record=second)
    assert malformed.value.errors[0].message == (
        "记录的编号 伊市监责改2026-1 不是文号的格式（机关代字〔年份〕序号号）"
    )
    assert DocumentNumber.objects.count() == 1


def test_review_is_refused_before_the_reinspection_and_nothing_is_written(
    county: County,
) -> None:
    rectification = order(county)
    with pytest.raises(InvalidInput) as refused:
        issue_document(kind="reinspection", record_id=rectification.pk, actor=county.east_officer)
    assert refused.value.errors[0].message == (
        f"{rectification.number} 尚未复查（整改中），不能出具整改复查意见书；"
        "复查签名或登记整改结果后再出具。"
    )
    assert not DocumentNumber.objects.exists() and not IssuedDocument.objects.exists()


def test_review_of_a_passed_reinspection_says_rectified(county: County) -> None:
    rectification = order(county, working_days=1)
    inspection = reinspection(county, rectification, ("pass", "pass"))
    document, text = text_of("reinspection", rectification.pk, county.east_officer)
    assert document.number.text == "伊市监复查〔2026〕1号"
    for expected in [
        "整改复查意见书",
        f"《责令改正通知书》（{rectification.number}）",
        f"进行了现场复查（检查记录#{inspection.pk}）",
        "经复查，你（单位）已按要求改正。",
    ]:
        assert expected in text, expected


def test_review_of_a_failed_reinspection_says_not_rectified(county: County) -> None:
    rectification = order(county, working_days=1)
    reinspection(county, rectification, ("fail", "pass"))
    _, text = text_of("reinspection", rectification.pk, county.east_officer)
    assert "经复查，你（单位）未按要求改正（1项不符合）" in text


def test_review_of_an_order_closed_on_documents_quotes_the_outcome(county: County) -> None:
    rectification = order(county)
    record_rectified(
        rectification=rectification,
        actor=county.east_officer,
        outcome="已提交整改报告及照片",
        today=D(2026, 10, 12),
    )
    _, text = text_of("reinspection", rectification.pk, county.east_officer)
    assert "书面审查（2026年10月12日）" in text
    assert "已提交整改报告及照片。经复查，你（单位）已按要求改正。" in text


def test_warning_only_for_a_warned_order(county: County) -> None:
    rectification = order(county, working_days=1)
    with pytest.raises(InvalidInput) as refused:
        issue_document(kind="warning", record_id=rectification.pk, actor=county.east_officer)
    assert refused.value.errors[0].message == (
        f"{rectification.number} 未被警示（整改中），不能出具警示通知书；逾期未整改的才予警示。"
    )
    assert warn_overdue(today=D(2026, 10, 10)) == 1
    document, text = text_of("warning", rectification.pk, county.east_officer)
    assert document.number.text == "伊市监警示〔2026〕1号"
    for expected in [
        "警示通知书",
        f"《责令改正通知书》（{rectification.number}）",
        "于2026年10月8日前（自2026年9月30日起1个工作日内）",
        "截至2026年10月10日，整改期限已过，你（单位）仍未整改到位。",
        "提出信用等级调整建议",
        "仍不改正的，本局将依法立案查处。",
    ]:
        assert expected in text, expected


def test_officers_outside_the_orders_unit_and_read_only_roles_may_not_issue(
    county: County,
) -> None:
    rectification = order(county)
    for outsider in (county.west_officer, county.leader):
        with pytest.raises(NotPermitted):
            issue_document(kind="rectification", record_id=rectification.pk, actor=outsider)
    assert not IssuedDocument.objects.exists()
    issue_document(kind="rectification", record_id=rectification.pk, actor=county.east_director)
    assert latest_document(kind="rectification", record=rectification) is not None


def test_the_orders_page_issues_the_notice_and_shows_only_what_can_be_issued(
    county: County,
) -> None:
    rectification = order(county)
    page = f"/rectifications/{rectification.pk}/"
    officer = client_for(county.east_officer)
    html = officer.get(page).content.decode()
    assert "出具责令改正通知书" in html
    assert "整改复查意见书" not in html and "警示通知书" not in html
    response = officer.post(f"/documents/rectification/{rectification.pk}/issue/")
    assert response.status_code == 302 and response["Location"] == page
    html = officer.get(page).content.decode()
    assert rectification.number in html and "查看 PDF" in html
    pdf = officer.get(f"/documents/rectification/{rectification.pk}.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    # The leader reads what was issued, and is offered no issue button.
    html = client_for(county.leader).get(page).content.decode()
    assert "查看 PDF" in html and "document-issue" not in html
    # Another station's officer does not see the order at all.
    assert client_for(county.west_officer).get(page).status_code == 404
