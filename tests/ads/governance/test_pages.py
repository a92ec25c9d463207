"""The ladder and joint-meeting pages per role: who sees what, which forms are offered, bad
input shown with nothing written, and decisions made from the page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.ads.governance.factories import east_entity, make_meeting, make_reviewer, record
from tests.conftest import County, client_for
from xiaoneng.ads.governance import services
from xiaoneng.ads.governance.models import (
    AdReviewer,
    FollowUpItem,
    JointMeeting,
    LadderDecision,
    LadderEvent,
)

pytestmark = pytest.mark.django_db


def page(county: County, who: str, url: str) -> str:
    response = client_for(getattr(county, who)).get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_reviewer_list_keeps_to_the_station(county: County) -> None:
    make_reviewer(county)
    url = reverse("ad_governance:reviewer_list")
    assert "李审查" in page(county, "east_officer", url)
    assert "李审查" in page(county, "division_staff", url)
    assert "李审查" not in page(county, "west_director", url)
    assert 'data-testid="create"' not in page(county, "leader", url)


def test_the_ladder_page_shows_the_pending_proposal_and_who_may_decide(county: County) -> None:
    reviewer = make_reviewer(county)
    record(county, services.Subject(reviewer=reviewer), "criticism_notice", "2026-03-01")
    url = reverse("ad_governance:reviewer_ladder", args=[reviewer.pk])
    director = page(county, "east_director", url)
    assert "批评教育、责令检查" in director and "登记决定" in director
    officer = page(county, "east_officer", url)
    assert "批评教育、责令检查" in officer and "登记决定" not in officer
    assert 'data-testid="event-form"' in officer
    leader = page(county, "leader", url)
    assert 'data-testid="event-form"' not in leader and "登记决定" not in leader
    response = client_for(county.west_director).get(url)
    assert response.status_code == 404


def test_an_event_posted_with_bad_input_is_refused_on_the_page(county: County) -> None:
    reviewer = make_reviewer(county)
    url = reverse("ad_governance:reviewer_event", args=[reviewer.pk])
    data = {"kind": "bogus", "occurred_on": "2026-13-01", "facts": "", "source_document": "x"}
    response = client_for(county.east_officer).post(url, data)
    assert response.status_code == 422
    text = response.content.decode()
    assert "请填写日期（YYYY-MM-DD）：2026-13-01" in text
    response = client_for(county.east_officer).post(url, data | {"occurred_on": "2026-03-01"})
    assert response.status_code == 422
    text = response.content.decode()
    assert "事件类型应为被通报批评、被下达违规警告通知书、出现重大错误之一：bogus" in text
    assert "请填写事实" in text
    assert not LadderEvent.objects.exists()


def test_an_event_and_a_decision_through_the_pages(county: County) -> None:
    party = east_entity(county, "城东广告公司")
    event_url = reverse("ad_governance:party_event", args=[party.pk])
    data = {
        "kind": "illegal_ad",
        "occurred_on": "2026-03-01",
        "facts": "户外广告使用“国家级”用语",
        "source_document": "监测〔2026〕3号",
    }
    response = client_for(county.east_officer).post(event_url, data)
    assert response.status_code == 302
    ad = LadderEvent.objects.get()
    decide_url = reverse("ad_governance:party_decide", args=[party.pk])
    key = f"interview:e{ad.pk}"
    refused = client_for(county.east_director).post(
        decide_url, {"key": key, "decision": "decline", "decided_on": "2026-03-05"}
    )
    assert refused.status_code == 422 and "不采纳提议须填写理由" in refused.content.decode()
    done = client_for(county.east_director).post(
        decide_url, {"key": key, "decision": "confirm", "decided_on": "2026-03-05"}
    )
    assert done.status_code == 302
    assert LadderDecision.objects.get().confirmed
    again = client_for(county.east_director).post(
        decide_url, {"key": key, "decision": "confirm", "decided_on": "2026-03-05"}
    )
    assert again.status_code == 409 and "该提议已于 2026-03-05 作出决定" in again.content.decode()
    text = page(county, "east_officer", reverse("ad_governance:party_ladder", args=[party.pk]))
    assert "约谈主要负责人" in text and "当前没有待决定的提议。" in text
    listed = page(county, "east_officer", reverse("ad_governance:party_list"))
    assert "城东广告公司" in listed
    assert "城东广告公司" not in page(county, "west_officer", reverse("ad_governance:party_list"))


def test_a_grid_officer_posting_a_decision_is_refused(county: County) -> None:
    reviewer = make_reviewer(county)
    record(county, services.Subject(reviewer=reviewer), "criticism_notice", "2026-03-01")
    url = reverse("ad_governance:reviewer_decide", args=[reviewer.pk])
    data = {"key": "self_examination:2026", "decision": "confirm", "decided_on": "2026-03-05"}
    assert client_for(county.east_officer).post(url, data).status_code == 403
    assert client_for(county.west_director).post(url, data).status_code == 404
    assert not LadderDecision.objects.exists()


def test_registering_a_reviewer_on_the_page(county: County) -> None:
    outlet = east_entity(county)
    url = reverse("ad_governance:reviewer_create")
    bad = client_for(county.east_officer).post(
        url, {"name": "", "outlet": "91110000000000000X", "certificate_no": ""}
    )
    assert "未找到该主体：91110000000000000X" in bad.content.decode()
    bad = client_for(county.east_officer).post(
        url, {"name": "", "outlet": outlet.uscc, "certificate_no": ""}
    )
    text = bad.content.decode()
    assert "请填写审查员姓名" in text and "请填写审查员证号" in text
    assert not AdReviewer.objects.exists()
    good = client_for(county.east_officer).post(
        url, {"name": "赵审查", "outlet": outlet.uscc, "certificate_no": "GS-9"}
    )
    assert good.status_code == 302 and AdReviewer.objects.get().name == "赵审查"
    assert client_for(county.leader).get(url).status_code == 403


def test_meetings_are_recorded_by_division_staff_and_read_by_stations(county: County) -> None:
    meeting = make_meeting(county)
    url = reverse("ad_governance:meeting_list")
    assert "虚假违法广告专项整治联席会议" in page(county, "west_officer", url)
    assert 'data-testid="create"' in page(county, "division_staff", url)
    assert 'data-testid="create"' not in page(county, "east_director", url)
    detail = reverse("ad_governance:meeting_detail", args=[meeting.pk])
    text = page(county, "east_officer", detail)
    assert "清理户外违法医疗广告" in text and "卫健委" in text
    assert 'data-testid="follow-up-form"' not in text
    assert 'data-testid="follow-up-form"' in page(county, "division_staff", detail)
    assert (
        client_for(county.east_director).get(reverse("ad_governance:meeting_create")).status_code
        == 403
    )


def test_a_meeting_form_with_bad_input_writes_nothing(county: County) -> None:
    url = reverse("ad_governance:meeting_create")
    response = client_for(county.division_staff).post(
        url, {"held_on": "2026-02-30", "title": "", "convening_department": "market"}
    )
    text = response.content.decode()
    assert "请填写日期（YYYY-MM-DD）：2026-02-30" in text
    response = client_for(county.division_staff).post(
        url,
        {
            "held_on": "2026-03-20",
            "title": "一季度联席会议",
            "convening_department": "market",
            "member_departments": ["health", "unknown"],
            "attendees": "各成员单位",
            "topics": "通报",
        },
    )
    assert "未知的部门：unknown" in response.content.decode()
    assert not JointMeeting.objects.exists()
    response = client_for(county.division_staff).post(
        url,
        {
            "held_on": "2026-03-20",
            "title": "一季度联席会议",
            "convening_department": "market",
            "member_departments": ["health", "drugs"],
            "attendees": "各成员单位",
            "topics": "通报",
        },
    )
    assert response.status_code == 302
    assert JointMeeting.objects.get().member_departments == ["market", "health", "drugs"]


def test_follow_ups_are_added_and_done_on_the_meeting_page(county: County) -> None:
    meeting = make_meeting(county, follow_ups=[])
    add = reverse("ad_governance:meeting_follow_up", args=[meeting.pk])
    bad = client_for(county.division_staff).post(
        add, {"task": "查处", "owner_department": "health", "deadline": "2026-03-01"}
    )
    assert bad.status_code == 422
    assert "完成期限不能早于会议日期（2026-03-20）：2026-03-01" in bad.content.decode()
    ok = client_for(county.division_staff).post(
        add, {"task": "查处", "owner_department": "health", "deadline": "2026-04-30"}
    )
    assert ok.status_code == 302
    item = FollowUpItem.objects.get()
    done = reverse("ad_governance:follow_up_done", args=[item.pk])
    assert client_for(county.east_director).post(done, {"done_on": "2026-04-01"}).status_code == 403
    ok = client_for(county.division_staff).post(done, {"done_on": "2026-04-01", "result": "已办"})
    assert ok.status_code == 302
    item.refresh_from_db()
    assert item.status == FollowUpItem.Status.DONE
    lead = reverse("ad_governance:meeting_lead", args=[meeting.pk])
    ok = client_for(county.division_staff).post(
        lead, {"from_department": "health", "content": "诊所发布违法医疗广告"}
    )
    assert ok.status_code == 302


def test_the_dossier_shows_the_party_ladder_to_those_who_may_see_it(county: County) -> None:
    party = east_entity(county, "城东广告公司")
    url = reverse("registry:entity_detail", args=[party.uscc])
    empty = client_for(county.east_officer).get(url).content.decode()
    assert 'data-testid="dossier-ad-ladder"' in empty and "尚无广告责任追究记录。" in empty
    assert 'data-testid="dossier-ad-ladder"' not in page(county, "leader", url)
    record(county, services.Subject(party=party), "illegal_ad", "2026-03-01")
    shown = page(county, "leader", url)
    assert "刊播虚假违法广告" in shown and "待决定的提议 1 项" in shown
    assert client_for(county.west_officer).get(url).status_code == 404


def test_a_malformed_decision_is_refused_on_the_page(county: County) -> None:
    reviewer = make_reviewer(county)
    record(county, services.Subject(reviewer=reviewer), "criticism_notice", "2026-03-01")
    url = reverse("ad_governance:reviewer_decide", args=[reviewer.pk])
    client = client_for(county.east_director)
    bogus = client.post(url, {"key": "self_examination:2026", "decision": "maybe"})
    assert bogus.status_code == 422 and "请选择确认或不采纳" in bogus.content.decode()
    bad_day = client.post(
        url, {"key": "self_examination:2026", "decision": "confirm", "decided_on": "昨天"}
    )
    assert bad_day.status_code == 422
    assert "请填写日期（YYYY-MM-DD）：昨天" in bad_day.content.decode()
    unknown = client.post(
        url, {"key": "no_such:2026", "decision": "confirm", "decided_on": "2026-03-05"}
    )
    assert unknown.status_code == 422
    assert "该步骤当前未被提议：no_such:2026" in unknown.content.decode()
    assert not LadderDecision.objects.exists()
