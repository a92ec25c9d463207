"""The API of the ladders and meetings: a subject's history with its pending proposals, the
paged and scoped lists, and the bounds of their parameters."""

from __future__ import annotations

import pytest

from tests.ads.governance.factories import east_entity, make_meeting, make_reviewer, record
from tests.conftest import County, client_for
from xiaoneng.ads.governance import services

pytestmark = pytest.mark.django_db
BASE = "/api/v1/ad-governance"


def test_a_reviewers_ladder_has_history_and_proposals(county: County) -> None:
    reviewer = make_reviewer(county)
    subject = services.Subject(reviewer=reviewer)
    first = record(county, subject, "violation_warning", "2026-02-01")
    second = record(county, subject, "violation_warning", "2026-05-01")
    answer = client_for(county.east_officer).get(f"{BASE}/reviewers/{reviewer.pk}/ladder")
    assert answer.status_code == 200
    body = answer.json()
    assert body["ladder"] == "reviewer" and body["subject"] == "李审查"
    assert [e["id"] for e in body["events"]] == [first.pk, second.pk]
    assert body["events"][0]["kind_label"] == "被下达违规警告通知书"
    (proposal,) = body["proposals"]
    assert proposal["key"] == "dismissal:2026" and proposal["because"] == [first.pk, second.pk]
    assert proposal["period"] == "2026" and proposal["trigger_on"] == "2026-05-01"
    west = client_for(county.west_officer).get(f"{BASE}/reviewers/{reviewer.pk}/ladder")
    assert west.status_code == 404


def test_a_partys_ladder_after_a_decision(county: County) -> None:
    party = east_entity(county, "城东广告公司")
    subject = services.Subject(party=party)
    ad = record(county, subject, "illegal_ad", "2026-02-01")
    services.decide_step(
        subject=subject,
        key=f"interview:e{ad.pk}",
        confirm=True,
        actor=county.east_director,
        decided_on=ad.occurred_on,
    )
    body = client_for(county.division_staff).get(f"{BASE}/parties/{party.pk}/ladder").json()
    assert [e["kind"] for e in body["events"]] == ["illegal_ad", "interview"]
    assert body["decisions"][0]["step_label"] == "约谈" and body["decisions"][0]["confirmed"]
    assert body["proposals"] == []


def test_the_reviewer_list_is_paged_and_scoped(county: County) -> None:
    make_reviewer(county)
    body = client_for(county.east_officer).get(f"{BASE}/reviewers", {"page_size": 1}).json()
    assert body["count"] == 1 and body["items"][0]["certificate_no"] == "GS-2026-001"
    assert client_for(county.west_officer).get(f"{BASE}/reviewers").json()["count"] == 0
    too_long = client_for(county.east_officer).get(f"{BASE}/reviewers", {"q": "字" * 51})
    assert too_long.status_code == 422


def test_meetings_are_paged_and_read_by_every_unit_of_the_bureau(county: County) -> None:
    meeting = make_meeting(county)
    make_meeting(county, day="2025-12-20", title="年度总结会", follow_ups=[])
    body = client_for(county.west_officer).get(f"{BASE}/meetings", {"year": 2026}).json()
    assert body["count"] == 1
    (item,) = body["items"]
    assert item["id"] == meeting.pk
    assert item["follow_ups"][0]["owner_department_name"] == "卫健委"
    one = client_for(county.east_officer).get(f"{BASE}/meetings/{meeting.pk}")
    assert one.status_code == 200 and one.json()["title"] == "虚假违法广告专项整治联席会议"
    bad_year = client_for(county.east_officer).get(f"{BASE}/meetings", {"year": 99999})
    assert bad_year.status_code == 422
    bad_page = client_for(county.east_officer).get(f"{BASE}/meetings", {"page": 0})
    assert bad_page.status_code == 422
    assert client_for(county.east_officer).get(f"{BASE}/meetings/999999").status_code == 404
