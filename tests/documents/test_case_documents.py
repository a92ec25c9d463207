"""The four documents of a case: 案件来源登记表, 立案/不予立案审批表, 行政处罚告知书 and 行政处罚决定书 —
their text (party, facts, basis, penalty in capitals, deadlines), the stage each needs, the
decision's own number, who may issue them and the case's page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from tests.cases.factories import east_entity, make_case
from tests.conftest import County, client_for
from tests.documents.helpers import pdf_text
from tests.planning.patrol.test_schedule import calendar_known_ahead  # noqa: F401
from xiaoneng.cases.models import Case
from xiaoneng.core.errors import InvalidInput, NotPermitted
from xiaoneng.documents.models import DocumentNumber, IssuedDocument
from xiaoneng.documents.rendering.case import yuan
from xiaoneng.documents.services import document_bytes, issue_document

S = Case.Status
D = dt.date


def text_of(kind: str, case: Case, actor: Any) -> tuple[IssuedDocument, str]:
    """The document issued, and its text with line breaks dropped (sentences wrap)."""
    document = issue_document(kind=kind, record_id=case.pk, actor=actor)
    return document, pdf_text(document_bytes(document)).replace("\n", "")


def a_case(county: County, status: str, **values: Any) -> Case:
    entity = east_entity(county, address="示范县城东路 18 号", legal_representative="王五")
    return make_case(
        status=status,
        entity=entity,
        handler=county.east_officer,
        co_handler=county.east_director,
        facts="当事人销售超过保质期的食品共 12 件，货值 360 元。",
        source_note="群众举报",
        **values,
    )


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (Decimal("5000"), "人民币伍仟元整（￥5,000.00）"),
        (Decimal("30010.05"), "人民币叁万零壹拾元零伍分（￥30,010.05）"),
        (Decimal("1000000.00"), "人民币壹佰万元整（￥1,000,000.00）"),
    ],
)
def test_amounts_are_written_in_capitals_and_figures(amount: Decimal, words: str) -> None:
    assert yuan(amount) == words


def test_the_source_form_of_a_lead_says_it_is_being_checked(county: County) -> None:
    case = a_case(county, S.LEAD)
    document, text = text_of("case-source", case, county.east_officer)
    assert document.number.text == f"伊市监案源〔{document.issued_at.astimezone().year}〕1号"
    for expected in [
        "案件来源登记表",
        "案件来源：群众举报",
        "登记时间：2026年3月2日",
        f"案由：{case.title}",
        case.party,
        "当事人销售超过保质期的食品共12件",
        "核查中：自登记之日起十五个工作日内决定是否立案",
    ]:
        assert expected.replace(" ", "") in text, expected


def test_filing_form_is_refused_for_a_lead_and_says_why_for_a_case_not_filed(
    county: County,
) -> None:
    lead = a_case(county, S.LEAD)
    with pytest.raises(InvalidInput) as refused:
        issue_document(kind="case-filing", record_id=lead.pk, actor=county.east_officer)
    assert refused.value.errors[0].message == (
        f"案件 {lead.number} 尚未决定是否立案（线索），不能出具立案/不予立案审批表。"
    )
    assert not DocumentNumber.objects.exists()
    ended = a_case(county, S.NOT_FILED, ended_reason="违法行为轻微并及时改正，没有造成危害后果")
    _, text = text_of("case-filing", ended, county.east_officer)
    assert (
        "依据《市场监督管理行政处罚程序规定》第二十一条，建议不予立案。"
        "理由：违法行为轻微并及时改正，没有造成危害后果"
    ) in text


def test_filing_form_of_a_filed_case_proposes_filing_with_its_officers(county: County) -> None:
    case = a_case(county, S.FILED)
    _, text = text_of("case-filing", case, county.east_officer)
    assert (
        "经核查，当事人涉嫌违法（销售不合格商品案）。"
        "依据《市场监督管理行政处罚程序规定》第二十条，建议立案调查"
    ) in text
    assert "（2026年3月5日立案）" in text
    assert f"{county.east_officer}（执法证号" in text and str(county.east_director) in text
    assert "机关负责人意见" in text


def test_notice_gives_the_proposed_fine_in_capitals_and_the_rights_deadline(
    county: County,
) -> None:
    case = a_case(county, S.NOTIFIED, proposed_fine=Decimal("5000"))
    document, text = text_of("case-notice", case, county.east_officer)
    assert document.number.text.startswith("伊市监罚告〔")
    assert case.notified_on == D(2026, 4, 5)
    for expected in [
        "行政处罚告知书",
        f"{case.party}：",
        "本局于2026年3月5日对销售不合格商品案立案调查。经查：当事人销售超过保质期的食品",
        "本局拟对你（单位）作出如下行政处罚：罚款人民币伍仟元整（￥5,000.00）。",
        # 5 working days from Sun Apr 5 (清明: Apr 4–6 off in 2026): Apr 7–10, 13.
        "于2026年4月13日前（自2026年4月5日起5个工作日内）向本局提出陈述、申辩意见",
        "逾期未提出的，视为放弃上述权利。",
    ]:
        assert expected in text, expected


def test_notice_is_refused_before_the_party_is_notified(county: County) -> None:
    case = a_case(county, S.INVESTIGATING)
    with pytest.raises(InvalidInput) as refused:
        issue_document(kind="case-notice", record_id=case.pk, actor=county.east_officer)
    assert refused.value.errors[0].message == (
        f"案件 {case.number} 尚未告知（调查），不能出具行政处罚告知书。"
    )


def test_decision_carries_its_own_number_the_penalty_and_payment(county: County) -> None:
    case = a_case(
        county,
        S.DECIDED,
        fine=Decimal("5000"),
        confiscation=Decimal("360"),
        decision_number="伊市监处罚〔2026〕012号",
    )
    document, text = text_of("case-decision", case, county.east_officer)
    assert document.number.text == "伊市监处罚〔2026〕012号"
    assert (document.number.prefix, document.number.serial) == ("伊市监处罚", 12)
    for expected in [
        "行政处罚决定书",
        "伊市监处罚〔2026〕012号",
        "王五",
        "本局决定：罚款人民币伍仟元整（￥5,000.00）；没收违法所得人民币叁佰陆拾元整（￥360.00）。",
        "请自收到本决定书之日起十五日内，将罚没款缴至指定银行",
        "每日按罚款数额的百分之三加处罚款",
        "自收到本决定书之日起六十日内依法申请行政复议",
    ]:
        assert expected in text, expected


def test_decision_is_refused_before_the_decision_and_for_a_malformed_number(
    county: County,
) -> None:
    case = a_case(county, S.NOTIFIED)
    with pytest.raises(InvalidInput) as refused:
        issue_document(kind="case-decision", record_id=case.pk, actor=county.east_officer)
    assert refused.value.errors[0].message == (
        f"案件 {case.number} 尚未作出处罚决定（告知），不能出具行政处罚决定书。"
    )
    odd = a_case(county, S.DECIDED, decision_number="2026-罚-7")
    with pytest.raises(InvalidInput) as malformed:
        issue_document(kind="case-decision", record_id=odd.pk, actor=county.east_officer)
    assert malformed.value.errors[0].message == (
        "记录的编号 2026-罚-7 不是文号的格式（机关代字〔年份〕序号号）"
    )
    assert not DocumentNumber.objects.exists() and not IssuedDocument.objects.exists()


def test_only_case_handlers_of_the_unit_issue(county: County) -> None:
    case = a_case(county, S.LEAD)
    for outsider in (county.west_officer, county.leader):
        with pytest.raises(NotPermitted):
            issue_document(kind="case-source", record_id=case.pk, actor=outsider)
    assert not IssuedDocument.objects.exists()


def test_the_case_page_offers_the_documents_of_its_stage(county: County) -> None:
    case = a_case(county, S.NOTIFIED, proposed_fine=Decimal("800"))
    page = f"/cases/{case.pk}/"
    officer = client_for(county.east_officer)
    html = officer.get(page).content.decode()
    for title in ("出具案件来源登记表", "出具立案/不予立案审批表", "出具行政处罚告知书"):
        assert title in html, title
    assert "出具行政处罚决定书" not in html
    response = officer.post(f"/documents/case-notice/{case.pk}/issue/")
    assert response.status_code == 302 and response["Location"] == page
    assert "查看 PDF" in officer.get(page).content.decode()
    assert client_for(county.west_officer).get(page).status_code == 404
