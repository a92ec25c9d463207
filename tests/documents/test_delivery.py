"""Delivery (送达) of an issued document and its 送达回证: what each method needs, the day's
bounds, one delivery per version, who may record it, and the record's page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.cases.factories import east_entity, make_case
from tests.conftest import County, client_for
from tests.documents.helpers import pdf_text
from tests.inspections.followup.test_services import (  # noqa: F401
    calendar_known_ahead,
    order,
)
from xiaoneng.cases import limits
from xiaoneng.cases.models import Case
from xiaoneng.core.errors import Conflict, InvalidInput, NotPermitted
from xiaoneng.core.models import AuditEvent
from xiaoneng.documents.delivery import record_delivery
from xiaoneng.documents.models import Delivery, IssuedDocument
from xiaoneng.documents.services import document_bytes, issue_document, reissue_document
from xiaoneng.inspections.models import Rectification

ISSUED_AT = timezone.make_aware(dt.datetime(2026, 9, 30, 16))
LATER = timezone.make_aware(dt.datetime(2026, 10, 9, 9))


def notice(county: County) -> tuple[Rectification, IssuedDocument]:
    rectification = order(county)
    document = issue_document(
        kind="rectification", record_id=rectification.pk, actor=county.east_officer, at=ISSUED_AT
    )
    return rectification, document


def test_a_hand_delivery_is_recorded_and_its_receipt_names_document_party_and_day(
    county: County,
) -> None:
    rectification, document = notice(county)
    delivery = record_delivery(
        document=document,
        values={
            "method": "hand",
            "delivered_on": "2026-09-30",
            "recipient": " 王五 ",
            "place": "示范县城东路 18 号",
        },
        actor=county.east_officer,
        at=LATER,
    )
    assert (delivery.method, delivery.delivered_on, delivery.recipient) == (
        "hand",
        dt.date(2026, 9, 30),
        "王五",
    )
    assert delivery.unit == rectification.unit and delivery.delivered_by == county.east_officer
    receipt = issue_document(kind="service", record_id=delivery.pk, actor=county.east_officer)
    assert receipt.number.text.startswith("伊市监送达〔")
    text = pdf_text(document_bytes(receipt)).replace("\n", "")
    for expected in [
        "送达回证",
        f"受送达人：{rectification.entity.name}",
        f"送达文书名称及文号：责令改正通知书（{rectification.number}）",
        "送达方式：直接送达",
        "送达时间：2026年9月30日",
        "送达地点：示范县城东路18号",
        "签收人：王五",
        f"送达人：{county.east_officer}",
    ]:
        assert expected in text, expected


@pytest.mark.parametrize(
    ("values", "errors"),
    [
        (
            {"method": "lodged", "delivered_on": "2026-10-01"},
            {
                "recipient": "留置送达须填写拒绝签收的受送达人",
                "place": "留置送达须填写留置的地点",
                "witness": "留置送达须填写见证人",
            },
        ),
        ({"method": "post", "delivered_on": "2026-10-02"}, {"reference": "邮寄送达须填写邮件单号"}),
        (
            {"method": "carrier-pigeon", "delivered_on": "2026-10-02"},
            {"method": "送达方式应为：直接送达、留置送达、邮寄送达、电子送达、公告送达"},
        ),
        (
            {"method": "hand", "recipient": "王五", "delivered_on": "2026/10/02"},
            {"delivered_on": "送达日期应为 YYYY-MM-DD"},
        ),
        (
            {"method": "hand", "recipient": "王五", "delivered_on": "0001-01-01"},
            {"delivered_on": "送达日期应为 YYYY-MM-DD"},
        ),
        ({"method": "hand", "recipient": "王五"}, {"delivered_on": "请填写送达日期"}),
        (
            {"method": "hand", "recipient": "王五", "delivered_on": "2026-09-29"},
            {"delivered_on": "送达日期 2026-09-29 早于文书出具日期 2026-09-30"},
        ),
        (
            {"method": "hand", "recipient": "王五", "delivered_on": "2026-10-10"},
            {"delivered_on": "送达日期 2026-10-10 晚于今天"},
        ),
        (
            {"method": "hand", "recipient": "王" * 61, "delivered_on": "2026-10-02"},
            {"recipient": "不能超过 60 个字"},
        ),
    ],
)
def test_bad_deliveries_are_refused_with_every_reason_and_nothing_written(
    county: County, values: dict[str, str], errors: dict[str, str]
) -> None:
    _, document = notice(county)
    with pytest.raises(InvalidInput) as refused:
        record_delivery(document=document, values=values, actor=county.east_officer, at=LATER)
    assert refused.value.by_field == errors
    assert not Delivery.objects.exists()


def test_a_version_is_delivered_once_and_outsiders_may_not_record(county: County) -> None:
    _, document = notice(county)
    values = {"method": "post", "delivered_on": "2026-10-08", "reference": "EMS 1234 5678 901"}
    with pytest.raises(NotPermitted):
        record_delivery(document=document, values=values, actor=county.west_officer, at=LATER)
    record_delivery(document=document, values=values, actor=county.east_officer, at=LATER)
    with pytest.raises(Conflict) as refused:
        record_delivery(document=document, values=values, actor=county.east_director, at=LATER)
    assert refused.value.message == (
        f"{document.number.text} 第 1 版已于 2026-10-08 邮寄送达，不能重复登记。"
    )
    assert Delivery.objects.count() == 1


def test_the_page_records_the_delivery_and_offers_the_receipt(county: County) -> None:
    rectification, _document = notice(county)
    page = f"/rectifications/{rectification.pk}/"
    officer = client_for(county.east_officer)
    assert "登记送达" in officer.get(page).content.decode()
    today = timezone.localdate().isoformat()
    response = officer.post(
        f"/documents/rectification/{rectification.pk}/deliver/",
        {"method": "lodged", "delivered_on": today, "recipient": "王五"},
    )
    assert response.status_code == 302 and response["Location"] == page
    html = officer.get(page).content.decode()
    assert "留置送达须填写留置的地点；留置送达须填写见证人" in html
    assert not Delivery.objects.exists()
    # The form comes back open with what was typed, the missing fields marked.
    assert '<details class="mt-2" data-testid="deliver" open>' in html
    assert (
        '<option value="lodged" selected>' in html
        and 'name="recipient" maxlength="60" value="王五"' in html
    )
    assert '<div class="invalid-feedback">留置送达须填写见证人</div>' in html
    # Shown once: the next visit shows the empty form again.
    again = officer.get(page).content.decode()
    assert 'value="王五"' not in again and 'data-testid="deliver" open' not in again
    officer.post(
        f"/documents/rectification/{rectification.pk}/deliver/",
        {
            "method": "lodged",
            "delivered_on": today,
            "recipient": "王五",
            "place": "店内收银台",
            "witness": "社区网格员李四",
        },
    )
    html = officer.get(page).content.decode()
    assert "留置送达" in html and "见证人 社区网格员李四" in html and "出具送达回证" in html
    assert "申请行政复议：至" in html and "提起行政诉讼：至" in html  # started by the delivery
    delivery = Delivery.objects.get()
    officer.post(f"/documents/service/{delivery.pk}/issue/")
    html = officer.get(page).content.decode()
    assert "送达回证 伊市监送达〔" in html
    text = pdf_text(officer.get(f"/documents/service/{delivery.pk}.pdf").content)
    assert "拒绝签收人：王五" in text and "受送达人拒绝签收" in text.replace("\n", "")
    assert "拒收人 王五" in html
    # The leader sees the delivery and its receipt, and is offered no form.
    html = client_for(county.leader).get(page).content.decode()
    assert "见证人 社区网格员李四" in html and "登记送达" not in html


def test_the_api_records_and_reads_the_delivery_scoped_like_the_record(county: County) -> None:
    rectification, document = notice(county)
    api = f"/api/v1/documents/rectification/{rectification.pk}/delivery"
    officer = client_for(county.east_officer)
    assert officer.get(api).status_code == 404
    refused = officer.post(
        api, {"method": "post", "delivered_on": "2026-10-01"}, content_type="application/json"
    )
    assert refused.status_code == 422
    assert refused.json()["errors"] == [{"field": "reference", "message": "邮寄送达须填写邮件单号"}]
    assert not Delivery.objects.exists()
    today = timezone.localdate().isoformat()
    made = officer.post(
        api,
        {"method": "electronic", "delivered_on": today, "reference": "13800000000"},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["number"], body["method"], body["method_label"], body["delivered_on"]) == (
        document.number.text,
        "electronic",
        "电子送达",
        today,
    )
    assert officer.get(api).json() == body
    again = officer.post(
        api,
        {"method": "electronic", "delivered_on": today, "reference": "13800000000"},
        content_type="application/json",
    )
    assert again.status_code == 409
    assert client_for(county.west_officer).get(api).status_code == 404
    leader = client_for(county.leader)
    assert leader.get(api).status_code == 200
    rectification2, _document2 = notice(county)
    other = f"/api/v1/documents/rectification/{rectification2.pk}/delivery"
    forbidden = leader.post(
        other,
        {"method": "hand", "delivered_on": today, "recipient": "王五"},
        content_type="application/json",
    )
    assert forbidden.status_code == 403 and Delivery.objects.count() == 1


# The delivery of the case's notice and decision starts the party's periods ---------------------


def case_documents(county: County) -> tuple[Case, IssuedDocument, IssuedDocument]:
    """A decided case (notified Mon 2 March, decided Fri 20 March) with both its documents,
    each issued on its stage's day."""
    case = make_case(
        status=Case.Status.DECIDED,
        entity=east_entity(county, legal_representative="王五"),
        handler=county.east_officer,
        notified_on=dt.date(2026, 3, 2),
        decided_on=dt.date(2026, 3, 20),
        decision_number="伊市监处罚〔2026〕1号",
        fine="5000",
    )
    notice_at = timezone.make_aware(dt.datetime(2026, 3, 2, 16))
    decision_at = timezone.make_aware(dt.datetime(2026, 3, 20, 16))
    actor = county.east_officer
    notice = issue_document(kind="case-notice", record_id=case.pk, actor=actor, at=notice_at)
    decision = issue_document(kind="case-decision", record_id=case.pk, actor=actor, at=decision_at)
    return case, notice, decision


def hand(day: str) -> dict[str, str]:
    return {"method": "hand", "delivered_on": day, "recipient": "王五"}


def test_delivering_the_case_documents_starts_the_partys_periods(county: County) -> None:
    case, notice, decision = case_documents(county)
    assert limits.payment_deadline(case) == dt.date(2026, 4, 4)
    record_delivery(document=notice, values=hand("2026-03-04"), actor=county.east_officer)
    record_delivery(document=decision, values=hand("2026-03-23"), actor=county.east_officer)
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.notice_served_on, fresh.decision_served_on) == (
        dt.date(2026, 3, 4),
        dt.date(2026, 3, 23),
    )
    assert limits.statement_start(fresh) == dt.date(2026, 3, 4)
    assert limits.payment_deadline(fresh) == dt.date(2026, 4, 7)
    # The trace says who recorded the day of service.
    traced = AuditEvent.objects.filter(object_id=str(case.pk), actor=county.east_officer)
    assert traced.filter(changes__has_key="decision_served_on").exists()


def test_a_reissued_notice_delivered_later_keeps_the_first_day(county: County) -> None:
    case, notice, _decision = case_documents(county)
    record_delivery(document=notice, values=hand("2026-03-04"), actor=county.east_officer)
    second = reissue_document(
        document=notice,
        reason="当事人名称有误，更正后重新出具",
        actor=county.east_officer,
        at=timezone.make_aware(dt.datetime(2026, 3, 5, 9)),
    )
    record_delivery(document=second, values=hand("2026-03-06"), actor=county.east_officer)
    assert Case.objects.get(pk=case.pk).notice_served_on == dt.date(2026, 3, 4)


def test_a_delivery_before_the_stage_date_is_refused_and_nothing_written(
    county: County,
) -> None:
    case, _notice, decision = case_documents(county)
    # The decision date corrected to a later day after the document was issued.
    Case.objects.filter(pk=case.pk).update(decided_on=dt.date(2026, 3, 24))
    with pytest.raises(InvalidInput) as refused:
        record_delivery(document=decision, values=hand("2026-03-23"), actor=county.east_officer)
    assert (refused.value.errors[0].field, refused.value.errors[0].message) == (
        "delivered_on",
        "决定书送达日期不能早于决定日期 2026-03-24：2026-03-23",
    )
    assert not Delivery.objects.filter(document=decision).exists()
    assert Case.objects.get(pk=case.pk).decision_served_on is None
