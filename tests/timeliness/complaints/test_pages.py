"""The complaint pages: list and filters, the registration form, the actions, the stats and XLSX."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.conftest import County, client_for
from tests.timeliness.complaints.factories import DAY, east_entity, make_complaint
from xiaoneng.timeliness.clocks.models import Clock
from xiaoneng.timeliness.complaints.models import Complaint

pytestmark = pytest.mark.django_db
S = Complaint.Status


def test_the_list_filters_by_kind_and_marks_overdue(county: County) -> None:
    complaint = make_complaint(county)  # received 2026-06-01, long past its 7 days
    make_complaint(county, kind="report")
    client = client_for(county.east_officer)
    response = client.get(reverse("timeliness:complaint_list"), {"kind": "complaint"})
    assert response.status_code == 200
    assert [c.pk for c in response.context["page"]] == [complaint.pk]
    assert 'data-overdue="1"' in response.content.decode()
    overdue = client.get(reverse("timeliness:complaint_list"), {"overdue": "1"})
    assert len(list(overdue.context["page"])) == 2


def test_another_station_sees_nothing(county: County) -> None:
    complaint = make_complaint(county)
    client = client_for(county.west_officer)
    assert list(client.get(reverse("timeliness:complaint_list")).context["page"]) == []
    detail = reverse("timeliness:complaint_detail", args=[complaint.pk])
    assert client.get(detail).status_code == 404
    action = reverse("timeliness:complaint_action", args=[complaint.pk, "accept"])
    assert client.post(action, {"on": "2026-06-02"}).status_code == 404


def test_registering_on_the_page(county: County) -> None:
    entity = east_entity(county)
    client = client_for(county.east_officer)
    response = client.post(
        reverse("timeliness:complaint_create"),
        {
            "kind": "complaint",
            "channel": "hotline",
            "topic": "food",
            "received_on": "2026-06-01",
            "person": "李四",
            "phone": "0999-1234567",
            "entity": entity.uscc,
            "content": "饭菜有异物",
        },
    )
    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("timeliness:complaint_detail", args=[complaint.pk])
    assert complaint.entity == entity and complaint.channel == "hotline"


@pytest.mark.parametrize(
    ("values", "text"),
    [
        ({"received_on": "2026-13-01"}, "请填写收到日期（YYYY-MM-DD）"),
        ({"received_on": "2099-01-01"}, "收到日期不能晚于今天：2099-01-01"),
        ({"entity": "91650000XXXXXXXXXX"}, "未找到该统一社会信用代码的主体：91650000XXXXXXXXXX"),
        ({"content": ""}, "请填写投诉（举报）内容"),
        ({"channel": "fax"}, "未知的来源渠道：fax"),
        ({"content": "a\x00b"}, "控制字符"),
    ],
)
def test_a_bad_form_is_shown_again_and_nothing_written(
    county: County, values: dict[str, str], text: str
) -> None:
    data = {
        "kind": "complaint",
        "channel": "platform",
        "topic": "food",
        "received_on": "2026-06-01",
        "person": "李四",
        "respondent": "某商店",
        "content": "饭菜有异物",
    } | values
    response = client_for(county.east_officer).post(reverse("timeliness:complaint_create"), data)
    assert response.status_code == 200
    assert text in response.content.decode()
    assert not Complaint.objects.exists() and not Clock.objects.exists()


def test_the_detail_offers_only_what_the_state_allows(county: County) -> None:
    complaint = make_complaint(county)
    url = reverse("timeliness:complaint_detail", args=[complaint.pk])
    page = client_for(county.east_officer).get(url).content.decode()
    assert 'data-testid="accept-form"' in page and 'data-testid="refuse-form"' in page
    assert 'data-testid="mediation-form"' not in page
    assert "《市场监督管理投诉举报处理暂行办法》第十四条" in page
    leader = client_for(county.leader).get(url).content.decode()
    assert 'data-testid="accept-form"' not in leader  # a leader does not handle complaints


def test_the_actions_on_the_page(county: County) -> None:
    complaint = make_complaint(county)
    client = client_for(county.east_officer)

    def post(action: str, **data: str) -> None:
        url = reverse("timeliness:complaint_action", args=[complaint.pk, action])
        response = client.post(url, data)
        assert response.status_code == 302, response.content.decode()[:2000]

    post("accept", on="2026-06-02")
    post(
        "end_mediation",
        on="2026-06-20",
        decision="terminated",
        outcome="被投诉人拒不调解",
        founded="",
        amount_recovered="",
    )
    post("notify", on="2026-06-22", note="电话告知")
    complaint.refresh_from_db()
    assert complaint.status == S.CLOSED and complaint.notified_on == dt.date(2026, 6, 22)


def test_a_refused_action_shows_the_field(county: County) -> None:
    complaint = make_complaint(county)
    url = reverse("timeliness:complaint_action", args=[complaint.pk, "refuse"])
    response = client_for(county.east_officer).post(url, {"on": "2026-05-01", "outcome": "x理由"})
    assert response.status_code == 422
    assert "不予受理决定日期不能早于收到日期 2026-06-01：2026-05-01" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.status == S.RECEIVED


def test_extension_is_offered_to_the_director_only(county: County) -> None:
    report = make_complaint(county, kind="report")
    url = reverse("timeliness:complaint_detail", args=[report.pk])
    assert (
        'data-testid="extend-form"' not in client_for(county.east_officer).get(url).content.decode()
    )
    assert 'data-testid="extend-form"' in client_for(county.east_director).get(url).content.decode()
    action = reverse("timeliness:complaint_action", args=[report.pk, "extend"])
    assert client_for(county.east_officer).post(action, {"note": "复杂"}).status_code == 403


def test_the_stats_page_and_its_xlsx(county: County) -> None:
    make_complaint(county)
    make_complaint(county, kind="report", channel="hotline")
    client = client_for(county.east_director)
    query = {"from": "2026-06-01", "to": "2026-06-30"}
    page = client.get(reverse("timeliness:complaint_stats"), query)
    assert page.status_code == 200
    assert "共收到投诉举报 2 件，其中投诉 1 件，举报 1 件" in page.content.decode()
    bad = client.get(
        reverse("timeliness:complaint_stats"), {"from": "2026-07-01", "to": "2026-06-01"}
    )
    assert "截止日期不能早于起始日期：2026-06-01" in bad.content.decode()
    xlsx = client.get(reverse("timeliness:complaint_stats_xlsx"), query)
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = [tuple(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == ("分组", "项目", "数值")
    assert ("合计", "投诉举报", 2) in rows
    assert ("来源渠道", "12315热线", 1) in rows


def test_the_received_date_defaults_to_today_on_the_form(county: County) -> None:
    page = client_for(county.east_officer).get(reverse("timeliness:complaint_create"))
    assert page.status_code == 200
    assert page.context["form"]["received_on"] >= DAY.isoformat()


def test_the_dossier_shows_the_entitys_complaints(county: County) -> None:
    import xiaoneng.timeliness.complaints.panels  # noqa: F401  (registered from ready() once wired)

    complaint = make_complaint(county)
    assert complaint.entity is not None
    url = reverse("registry:entity_detail", args=[complaint.entity.uscc])
    page = client_for(county.east_officer).get(url).content.decode()
    assert 'data-testid="dossier-complaints"' in page
    assert complaint.number in page
    west = client_for(county.west_director).get(url)
    assert complaint.number not in west.content.decode()


def test_the_detail_of_a_filed_report_links_its_case(county: County) -> None:
    from xiaoneng.timeliness.complaints import filing

    report = make_complaint(county, kind="report")
    filing.decide_filing(
        complaint=report,
        actor=county.east_officer,
        file=True,
        on=dt.date(2026, 6, 5),
        founded="founded",
        outcome="经核查属实",
    )
    report.refresh_from_db()
    assert report.case is not None
    url = reverse("timeliness:complaint_detail", args=[report.pk])
    page = client_for(county.east_officer).get(url).content.decode()
    assert reverse("cases:case_detail", args=[report.case.pk]) in page
    assert 'data-testid="notify-form"' in page and 'data-testid="filing-form"' not in page
    assert "举报处理结果告知" in page and "经核查属实" in page


def test_the_detail_shows_the_clocks_in_the_clocks_panel(county: County) -> None:
    complaint = make_complaint(county)
    clock = Clock.objects.get(subject_type="complaint", subject_id=complaint.pk)
    url = reverse("timeliness:complaint_detail", args=[complaint.pk])
    page = client_for(county.east_officer).get(url)
    assert [row["clock"] for row in page.context["clock_rows"]] == [clock]
    assert f'data-clock="{clock.pk}"' in page.content.decode()
