"""The service pages: the list and its filters, 收件, a case's steps as buttons for those who
may take them, refusals shown on the form, the items; another station's case is 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import client_for
from tests.timeliness.permits.factories import day, make_case, make_item
from xiaoneng.timeliness.permits import services as permits
from xiaoneng.timeliness.permits import suspensions
from xiaoneng.timeliness.permits.models import ServiceCase, ServiceItem

pytestmark = pytest.mark.django_db


def test_the_list_shows_the_users_cases_and_filters_breaches(county):
    make_item()
    told = make_case(county.east_officer, accepted=day(1), applicant="城东申请人")
    suspensions.issue_notice(case=told, actor=county.east_officer, materials="a", on=day(2))
    suspensions.materials_received(case=told, actor=county.east_officer, on=day(3))
    suspensions.issue_notice(case=told, actor=county.east_officer, materials="b", on=day(4))
    make_case(county.east_officer, applicant="另一申请人")
    make_case(county.west_officer, applicant="城西申请人")
    client = client_for(county.east_officer)
    page = client.get(reverse("timeliness:service_case_list")).content.decode()
    assert "城东申请人" in page and "另一申请人" in page and "城西申请人" not in page
    breaches = client.get(reverse("timeliness:service_case_list"), {"breach": "1"})
    listed = [c.applicant for c in breaches.context["page"]]
    assert listed == ["城东申请人"]
    assert "违反一次性告知" in breaches.content.decode()
    overdue = client.get(reverse("timeliness:service_case_list"), {"overdue": "1"})
    assert [c.applicant for c in overdue.context["page"]] == []  # suspended: not overdue


def test_receiving_through_the_form(county):
    make_item()
    client = client_for(county.east_officer)
    form = client.get(reverse("timeliness:service_case_create"))
    assert form.context["form"]["unit"] == "S-E"
    response = client.post(
        reverse("timeliness:service_case_create"),
        {"item": "XK-T01", "applicant": "赵六", "unit": "S-E", "received_on": "2026-03-02"},
    )
    case = ServiceCase.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("timeliness:service_case_detail", args=[case.pk])


def test_the_form_shows_each_problem_and_writes_nothing(county):
    make_item()
    response = client_for(county.east_officer).post(
        reverse("timeliness:service_case_create"),
        {"item": "NOPE", "applicant": "", "unit": "S-E", "received_on": "2026-02-30"},
    )
    assert response.status_code == 200
    errors = response.context["errors"]
    assert errors["item"] == "未找到该服务事项：NOPE"
    assert errors["received_on"] == "收件日期格式应为 YYYY-MM-DD：2026-02-30"
    assert not ServiceCase.objects.exists()


def test_the_detail_offers_the_steps_the_user_may_take(county):
    case = make_case(county.east_officer, accepted=day(1))
    permits.review_case(case=case, actor=county.east_officer, on=day(1))
    url = reverse("timeliness:service_case_detail", args=[case.pk])
    own = client_for(county.east_officer).get(url)
    assert own.context["offered"]["approve"] is False  # the reviewer may not approve
    director = client_for(county.east_director).get(url)
    assert director.context["offered"]["approve"] is True
    assert 'data-testid="action-approve"' in director.content.decode()
    leader = client_for(county.leader).get(url)
    assert leader.status_code == 200 and leader.context["offered"] == {}
    assert client_for(county.west_officer).get(url).status_code == 404


def test_a_step_posted_runs_and_a_refusal_is_shown_on_the_case(county):
    case = make_case(county.east_officer)
    client = client_for(county.east_officer)
    url = reverse("timeliness:service_case_action", args=[case.pk, "accept"])
    refused = client.post(url, {"on": "2026-02-27"})
    assert refused.status_code == 422
    assert refused.context["errors"]["on"] == (
        "受理日期不得早于上一环节的日期（2026-03-02）：2026-02-27"
    )
    done = client.post(url, {"on": "2026-03-03"})
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.status == ServiceCase.Status.ACCEPTED
    notice = reverse("timeliness:service_case_action", args=[case.pk, "notice"])
    client.post(notice, {"on": "2026-03-04", "materials": "申请书\n章程"})
    page = client.get(reverse("timeliness:service_case_detail", args=[case.pk]))
    assert 'data-testid="notice"' in page.content.decode()
    assert (
        client.post(reverse("timeliness:service_case_action", args=[case.pk, "bogus"])).status_code
        == 404
    )


def test_only_handlers_receive_and_only_managers_edit_items(county):
    item = make_item()
    assert (
        client_for(county.leader).get(reverse("timeliness:service_case_create")).status_code == 403
    )
    officer = client_for(county.east_officer)
    assert officer.get(reverse("timeliness:service_item_create")).status_code == 403
    items_page = officer.get(reverse("timeliness:service_item_list"))
    assert item.name in items_page.content.decode() and not items_page.context["may_manage"]
    staff = client_for(county.division_staff)
    response = staff.post(
        reverse("timeliness:service_item_edit", args=[item.pk]),
        {
            "code": item.code,
            "name": item.name,
            "category": item.category,
            "statutory_days": "10",
            "committed_days": "12",
            "basis": item.basis,
            "active": "1",
        },
    )
    assert response.context["errors"]["committed_days"] == "承诺时限（12）不得长于法定时限（10）"
    item.refresh_from_db()
    assert item.committed_days == 5
    response = staff.post(
        reverse("timeliness:service_item_create"),
        {
            "code": "BA-T1",
            "name": "广告发布登记",
            "category": "filing",
            "statutory_days": "20",
            "committed_days": "10",
            "basis": "《广告发布登记管理规定》",
            "active": "1",
        },
    )
    assert response.status_code == 302
    assert ServiceItem.objects.get(code="BA-T1").active


def test_hand_on_from_the_page_offers_only_officers_who_handle_cases(county):
    case = make_case(county.east_officer, accepted=day(1))
    client = client_for(county.east_officer)
    page = client.get(reverse("timeliness:service_case_detail", args=[case.pk]))
    assert [o.username for o in page.context["handlers"]] == ["east_director"]
    url = reverse("timeliness:service_case_action", args=[case.pk, "hand_on"])
    refused = client.post(url, {"officer": "east_director", "reason": ""})
    assert refused.status_code == 422
    assert refused.context["errors"]["reason"] == "请填写移交的理由"
    unknown = client.post(url, {"officer": "nobody", "reason": "x"})
    assert unknown.context["errors"]["officer"] == "未找到该人员：nobody"
    assert client.post(url, {"officer": "east_director", "reason": "外出"}).status_code == 302
    case.refresh_from_db()
    assert case.responsible == county.east_director
    detail = client.get(reverse("timeliness:service_case_detail", args=[case.pk]))
    assert 'data-testid="hand-on"' in detail.content.decode()
