"""The ads pages per role: lists, forms with their messages, details and actions."""

from __future__ import annotations

import pytest

from tests.ads.factories import (
    east_entity,
    library,
    make_ad,
    make_filing,
    make_notice,
    make_operator,
)
from tests.conftest import County, client_for
from xiaoneng.ads.filings.models import Filing
from xiaoneng.ads.monitoring.models import MonitoredAd
from xiaoneng.ads.notices.models import AdNotice, Confiscation
from xiaoneng.ads.operators.models import AdOperator, QualificationCheck

pytestmark = pytest.mark.django_db

LISTS = [
    "/ads/operators/",
    "/ads/checks/",
    "/ads/filings/",
    "/ads/monitoring/",
    "/ads/notices/",
    "/ads/confiscations/",
]
FORMS = [
    "/ads/operators/new/",
    "/ads/filings/new/",
    "/ads/monitoring/new/",
    "/ads/monitoring/import/",
    "/ads/notices/new/",
    "/ads/confiscations/new/",
]


def test_every_role_reads_the_lists_and_only_supervisors_get_the_forms(county: County) -> None:
    for user in (county.east_officer, county.division_staff, county.leader):
        client = client_for(user)
        for url in LISTS:
            assert client.get(url).status_code == 200, (user, url)
    officer, leader = client_for(county.east_officer), client_for(county.leader)
    for url in FORMS:
        assert officer.get(url).status_code == 200, url
        assert leader.get(url).status_code == 403, url
    assert "登记广告经营单位" in officer.get("/ads/operators/").content.decode()
    assert "登记广告经营单位" not in leader.get("/ads/operators/").content.decode()


def test_the_menu_shows_advertising_supervision(county: County) -> None:
    page = client_for(county.east_officer).get("/ads/operators/").content.decode()
    assert "广告监管" in page and "/ads/monitoring/" in page


def test_the_operator_form_registers_and_shows_messages(county: County) -> None:
    entity = east_entity(county)
    client = client_for(county.east_officer)
    bad = client.post("/ads/operators/new/", {"entity": "123", "role": "operator", "since": "x"})
    page = bad.content.decode()
    assert bad.status_code == 200
    assert "未找到该统一社会信用代码的主体：123" in page
    assert "日期格式应为 YYYY-MM-DD：x" in page
    medium = client.post(
        "/ads/operators/new/",
        {"entity": entity.uscc, "role": "medium", "medium": "tv", "since": "2026-02-01"},
    )
    assert "媒体须登记广告审查员" in medium.content.decode()
    assert not AdOperator.objects.exists()
    done = client.post(
        "/ads/operators/new/", {"entity": entity.uscc, "role": "operator", "since": "2026-02-01"}
    )
    operator = AdOperator.objects.get()
    assert done.status_code == 302 and done.url == f"/ads/operators/{operator.pk}/"


def test_the_check_is_started_and_decided_from_the_operator_page(county: County) -> None:
    operator = make_operator(county)
    client = client_for(county.east_officer)
    url = f"/ads/operators/{operator.pk}/"
    assert 'data-testid="start-check"' in client.get(url).content.decode()
    client.post(url + "start_check/", {"year": "2026", "checked_on": "2026-03-10"})
    check = QualificationCheck.objects.get()
    bad = client.post(
        url + "decide/", {"check": check.pk, "outcome": "rectify", "on": "2026-03-10"}
    )
    assert bad.status_code == 422
    assert "限期整改须填写整改期限（YYYY-MM-DD）" in bad.content.decode()
    client.post(
        url + "decide/",
        {
            "check": check.pk,
            "outcome": "rectify",
            "on": "2026-03-10",
            "deadline": "2026-04-10",
            "note": "台账不全",
        },
    )
    check.refresh_from_db()
    assert check.status == "rectify"
    leader_page = client_for(county.leader).get(url).content.decode()
    assert 'data-testid="start-check"' not in leader_page
    assert client_for(county.leader).post(url + "start_check/", {}).status_code == 403
    assert client_for(county.west_officer).get(url).status_code == 404


def test_the_filing_page_shows_hits_and_blockers(county: County) -> None:
    library()
    filing = make_filing(county, text="效果最佳，药到病除")
    client = client_for(county.east_officer)
    page = client.get(f"/ads/filings/{filing.pk}/").content.decode()
    assert "不能备案：" in page and "药到病除" in page
    refused = client.post(f"/ads/filings/{filing.pk}/accept/", {"on": "2026-03-10"})
    assert refused.status_code == 409
    assert "不能备案：广告内容“最佳”涉嫌绝对化用语" in refused.content.decode()
    client.post(f"/ads/filings/{filing.pk}/return/", {"on": "2026-03-10", "reason": "违法用语"})
    filing.refresh_from_db()
    assert filing.status == Filing.Status.RETURNED
    assert client_for(county.west_officer).get(f"/ads/filings/{filing.pk}/").status_code == 404


def test_the_filing_form_refuses_a_missing_approval_number(county: County) -> None:
    entity = east_entity(county)
    response = client_for(county.east_officer).post(
        "/ads/filings/new/",
        {
            "advertiser": entity.uscc,
            "kind": "medical",
            "title": "某医院广告",
            "text": "本院设有内科、外科。",
            "medium": "newspaper",
            "submitted_on": "2026-03-10",
        },
    )
    assert "医疗广告须在发布前取得广告审查批准文号" in response.content.decode()
    assert not Filing.objects.exists()


def test_hits_are_decided_on_the_ad_page(county: County) -> None:
    library()
    ad = make_ad(county)
    client = client_for(county.east_officer)
    url = f"/ads/monitoring/{ad.pk}/"
    hit = ad.hits.first()
    assert hit is not None
    bad = client.post(url + "decide/", {"hit": hit.pk, "decision": "confirm", "note": ""})
    assert bad.status_code == 422 and "请填写确认意见" in bad.content.decode()
    client.post(url + "decide/", {"hit": hit.pk, "decision": "confirm", "note": "属实"})
    twice = client.post(url + "decide/", {"hit": hit.pk, "decision": "dismiss", "note": "再看"})
    assert twice.status_code == 409 and "不能重复确认" in twice.content.decode()
    hit.refresh_from_db()
    assert hit.decision == "confirmed"
    assert client_for(county.west_officer).post(url + "decide/", {}).status_code == 404


def test_an_ad_is_entered_through_the_form(county: County) -> None:
    library()
    response = client_for(county.east_officer).post(
        "/ads/monitoring/new/",
        {
            "medium": "outdoor",
            "outlet": "人民路广告牌",
            "advertiser_name": "某减肥中心",
            "kind": "general",
            "text": "最佳减肥效果，无效退款",
            "captured_at": "2026-03-10T10:00",
        },
    )
    ad = MonitoredAd.objects.get()
    assert response.status_code == 302 and ad.review == "pending" and ad.hits.count() == 2


def test_the_import_page_reports_every_bad_line(county: County) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(
        "a.jsonl", b'{"id": "1"}\n{"id": "2", "text": "x", "channel": "tv"}'
    )
    page = client_for(county.east_officer).post("/ads/monitoring/import/", {"file": upload})
    text = page.content.decode()
    assert "第1行缺少 text" in text and "第2行" in text
    assert not MonitoredAd.objects.exists()


def test_a_notice_is_issued_and_its_outcome_recorded(county: County) -> None:
    entity = east_entity(county)
    client = client_for(county.east_officer)
    bad = client.post(
        "/ads/notices/new/",
        {
            "kind": "rectify",
            "entity": entity.uscc,
            "issued_on": "2026-03-10",
            "deadline": "2026-03-01",
            "content": "责令改正违法广告",
        },
    )
    assert "履行期限应晚于送达日期 2026-03-10：2026-03-01" in bad.content.decode()
    assert not AdNotice.objects.exists()
    notice = make_notice(county, entity=entity)
    done = client.post(
        f"/ads/notices/{notice.pk}/outcome/",
        {"complied": "1", "on": "2026-03-12", "note": "已改正"},
    )
    notice.refresh_from_db()
    assert done.status_code == 302 and notice.status == "complied"


def test_a_confiscation_is_recorded(county: County) -> None:
    entity = east_entity(county)
    client = client_for(county.east_officer)
    bad = client.post(
        "/ads/confiscations/new/",
        {
            "entity": entity.uscc,
            "description": "宣传单",
            "quantity": "0",
            "seized_on": "2026-03-10",
        },
    )
    assert "数量应在 1 至 10000000 份之间：0" in bad.content.decode()
    client.post(
        "/ads/confiscations/new/",
        {
            "entity": entity.uscc,
            "description": "宣传单",
            "quantity": "300",
            "seized_on": "2026-03-10",
        },
    )
    assert Confiscation.objects.get().quantity == 300


def test_the_dossier_shows_the_entitys_ad_records_to_its_units_only(county: County) -> None:
    library()
    entity = east_entity(county, name="城东大药房")
    make_ad(county, advertiser=entity, advertiser_name="")
    make_notice(county, entity=entity)
    page = client_for(county.east_officer).get(f"/entities/{entity.uscc}/").content.decode()
    assert 'data-testid="dossier-ads"' in page
    assert "广警〔2026〕001号" in page and "待确认" in page
    empty = east_entity(county, name="无广告记录的商店")
    page = client_for(county.east_officer).get(f"/entities/{empty.uscc}/").content.decode()
    assert 'data-testid="dossier-ads"' not in page


def test_the_lists_filter_by_their_choices_and_search_and_keep_them_in_the_paging_links(
    county: County,
) -> None:
    library()
    make_ad(county, advertiser_name="甲保健品公司")
    make_ad(county, medium="newspaper", advertiser_name="乙大药房", outlet="示范县日报")
    make_filing(county)
    make_notice(county)
    make_notice(county, kind=AdNotice.Kind.STOP, entity=east_entity(county, name="城东诊所"))
    client = client_for(county.division_staff)

    def shown(url: str) -> str:
        return client.get(url).content.decode()

    assert "乙大药房" in shown("/ads/monitoring/?medium=newspaper")
    assert "甲保健品公司" not in shown("/ads/monitoring/?medium=newspaper")
    assert "甲保健品公司" in shown("/ads/monitoring/?medium=bogus")  # an unknown value: ignored
    assert "乙大药房" not in shown("/ads/monitoring/?q=甲保健")
    assert "乙大药房" in shown("/ads/monitoring/?q=药房&medium=newspaper&kind=health_food")
    assert "某某牌蛋白粉" in shown("/ads/filings/?q=蛋白粉&kind=health_food")
    assert "某某牌蛋白粉" not in shown("/ads/filings/?q=蛋白粉&status=returned")
    assert "某某牌蛋白粉" not in shown("/ads/filings/?q=奶粉")
    assert "城东诊所" in shown("/ads/notices/?kind=stop")
    assert "城东药店" not in shown("/ads/notices/?kind=stop")
    assert "城东药店" in shown("/ads/notices/?kind=warning&q=城东诊所")  # no search on notices
    make_operator(county)
    assert "城东广告传媒" in shown("/ads/operators/?role=operator&q=广告传媒")
    assert "城东广告传媒" not in shown("/ads/operators/?role=publisher")
    assert "城东广告传媒" not in shown("/ads/operators/?q=电视台")
    page = client.get("/ads/monitoring/?q=药房&medium=newspaper&review=x")
    assert page.context["query"] == "medium=newspaper&review=x&q=药房"
    assert page.context["params"] == {"medium": "newspaper", "review": "x", "kind": "", "q": "药房"}
