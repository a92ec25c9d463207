"""The API of the ladders and meetings: a subject's history with its pending proposals, the
paged and scoped lists, and the bounds of their parameters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import pytest

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
from xiaoneng.org.models import Officer

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


# The writes ------------------------------------------------------------------------------------


def post(user: Officer, path: str, body: Mapping[str, object]) -> Any:
    return client_for(user).post(f"{BASE}{path}", body, content_type="application/json")


def event_body(**values: object) -> dict[str, object]:
    return {
        "kind": "criticism_notice",
        "occurred_on": "2026-03-01",
        "facts": "所编审广告含绝对化用语",
        "source_document": "城市监广〔2026〕3号",
    } | values


def test_an_event_recorded_through_the_api_proposes_the_next_step(county: County) -> None:
    reviewer = make_reviewer(county)
    answer = post(county.east_officer, f"/reviewers/{reviewer.pk}/events", event_body())
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["kind_label"] == "被通报批评" and body["occurred_on"] == "2026-03-01"
    event = LadderEvent.objects.get()
    assert body["id"] == event.pk and event.recorded_by == county.east_officer
    ladder = client_for(county.east_officer).get(f"{BASE}/reviewers/{reviewer.pk}/ladder").json()
    assert [p["key"] for p in ladder["proposals"]] == ["self_examination:2026"]


def test_a_party_event_through_the_api(county: County) -> None:
    party = east_entity(county, "城东广告公司")
    body = event_body(kind="illegal_ad", source_document="监测〔2026〕9号")
    answer = post(county.east_officer, f"/parties/{party.pk}/events", body)
    assert answer.status_code == 201 and answer.json()["kind"] == "illegal_ad"
    assert LadderEvent.objects.get().party == party


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"occurred_on": None}, "occurred_on"),  # missing
        ({"occurred_on": "2026-13-01"}, "occurred_on"),  # malformed
        ({"occurred_on": "2999-01-01"}, "occurred_on"),  # after today
        ({"occurred_on": "2019-12-31"}, "occurred_on"),  # before the outlet was founded
        ({"kind": "illegal_ad"}, "kind"),  # a party's kind on a reviewer's ladder
        ({"facts": " "}, "facts"),
        ({"source_document": "文" * 101}, "source_document"),
    ],
)
def test_a_bad_event_answers_422_naming_the_field_and_writes_nothing(
    county: County, values: dict[str, object], field: str
) -> None:
    reviewer = make_reviewer(county)
    answer = post(county.east_officer, f"/reviewers/{reviewer.pk}/events", event_body(**values))
    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["errors"]] == [field]
    assert not LadderEvent.objects.exists()


def test_an_event_body_missing_a_field_answers_422(county: County) -> None:
    reviewer = make_reviewer(county)
    body = event_body()
    del body["facts"]
    answer = post(county.east_officer, f"/reviewers/{reviewer.pk}/events", body)
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "facts"
    assert not LadderEvent.objects.exists()


def test_the_same_event_twice_answers_409(county: County) -> None:
    reviewer = make_reviewer(county)
    assert (
        post(county.east_officer, f"/reviewers/{reviewer.pk}/events", event_body()).status_code
        == 201
    )
    again = post(county.east_officer, f"/reviewers/{reviewer.pk}/events", event_body())
    assert again.status_code == 409 and again.json()["detail"].startswith("该事件已登记")
    assert LadderEvent.objects.count() == 1


def test_another_stations_subject_answers_404_and_a_missing_one_too(county: County) -> None:
    reviewer = make_reviewer(county)
    party = east_entity(county, "城东广告公司")
    for path in (f"/reviewers/{reviewer.pk}", f"/parties/{party.pk}", "/reviewers/999999"):
        answer = post(county.west_officer, f"{path}/events", event_body())
        assert answer.status_code == 404, path
        decided = post(
            county.west_director, f"{path}/decisions", {"key": "x", "decision": "confirm"}
        )
        assert decided.status_code == 404, path
    assert not LadderEvent.objects.exists()


def decision_body(**values: object) -> dict[str, object]:
    return {"key": "dismissal:2026", "decision": "confirm", "decided_on": "2026-05-10"} | values


def test_a_director_confirms_a_proposal_through_the_api(county: County) -> None:
    reviewer = make_reviewer(county)
    subject = services.Subject(reviewer=reviewer)
    record(county, subject, "violation_warning", "2026-02-01")
    second = record(county, subject, "violation_warning", "2026-05-01")
    path = f"/reviewers/{reviewer.pk}/decisions"
    officer = post(county.east_officer, path, decision_body())
    assert officer.status_code == 403  # a grid officer records, he does not decide
    answer = post(county.east_director, path, decision_body(document="城市监广决〔2026〕1号"))
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["step"] == "dismissal" and body["confirmed"] and body["trigger_id"] == second.pk
    reviewer.refresh_from_db()
    assert reviewer.qualification_cancelled_on == dt.date(2026, 5, 10)
    again = post(county.east_director, path, decision_body())
    assert again.status_code == 409
    assert LadderDecision.objects.count() == 1


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"key": "probation:2026"}, "key"),  # not proposed
        ({"decision": "maybe"}, "decision"),  # malformed
        ({"decided_on": None}, "decided_on"),  # missing
        ({"decided_on": "2026-04-30"}, "decided_on"),  # before the trigger
        ({"decision": "decline"}, "reason"),  # declining takes a reason
    ],
)
def test_a_bad_decision_answers_422_naming_the_field_and_writes_nothing(
    county: County, values: dict[str, object], field: str
) -> None:
    reviewer = make_reviewer(county)
    subject = services.Subject(reviewer=reviewer)
    record(county, subject, "violation_warning", "2026-02-01")
    record(county, subject, "violation_warning", "2026-05-01")
    path = f"/reviewers/{reviewer.pk}/decisions"
    answer = post(county.east_director, path, decision_body(**values))
    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["errors"]] == [field]
    assert not LadderDecision.objects.exists()
    reviewer.refresh_from_db()
    assert reviewer.qualification_cancelled_on is None


def test_a_party_step_is_decided_with_its_outcome(county: County) -> None:
    party = east_entity(county, "城东广告公司")
    ad = record(county, services.Subject(party=party), "illegal_ad", "2026-02-01")
    body = decision_body(key=f"interview:e{ad.pk}", decided_on="2026-02-03")
    answer = post(county.east_director, f"/parties/{party.pk}/decisions", body)
    assert answer.status_code == 201 and answer.json()["step_label"] == "约谈"
    assert LadderEvent.objects.filter(kind="interview", decision__isnull=False).count() == 1


def test_a_reviewer_is_registered_through_the_api(county: County) -> None:
    outlet = east_entity(county)
    body = {"name": "王审查", "outlet": outlet.uscc.lower(), "certificate_no": "GS-2026-009"}
    answer = post(county.east_officer, "/reviewers", body)
    assert answer.status_code == 201 and answer.json()["outlet_name"] == "城东日报社"
    assert post(county.east_officer, "/reviewers", body).status_code == 409
    unknown = post(county.west_officer, "/reviewers", body | {"certificate_no": "GS-2026-010"})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "outlet"
    assert AdReviewer.objects.count() == 1


def meeting_body(**values: object) -> dict[str, object]:
    return {
        "held_on": "2026-03-20",
        "title": "二季度联席会议",
        "convening_department": "market",
        "member_departments": ["health", "drugs"],
        "attendees": "各成员单位",
        "topics": "通报广告监测情况",
        "decisions": "开展专项整治",
        "follow_ups": [
            {"task": "清理违法广告", "owner_department": "health", "deadline": "2026-04-30"}
        ],
    } | values


def test_division_staff_record_a_meeting_with_its_follow_ups(county: County) -> None:
    answer = post(county.division_staff, "/meetings", meeting_body())
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["member_departments"] == ["market", "health", "drugs"]
    assert body["follow_ups"][0]["owner_department_name"] == "卫健委"
    assert post(county.division_staff, "/meetings", meeting_body()).status_code == 409
    assert post(county.east_director, "/meetings", meeting_body(title="另一会")).status_code == 403
    assert JointMeeting.objects.count() == 1


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"held_on": None}, "held_on"),
        ({"held_on": "20-03-2026"}, "held_on"),
        ({"held_on": "2999-01-01", "follow_ups": []}, "held_on"),  # after today
        ({"member_departments": ["health", "nowhere"]}, "member_departments"),
        ({"member_departments": "health"}, "member_departments"),
        (
            {"follow_ups": [{"task": "x", "owner_department": "health", "deadline": "2026-03-01"}]},
            "follow_ups.1.deadline",
        ),
    ],
)
def test_a_bad_meeting_answers_422_naming_the_field_and_writes_nothing(
    county: County, values: dict[str, object], field: str
) -> None:
    answer = post(county.division_staff, "/meetings", meeting_body(**values))
    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["errors"]] == [field]
    assert not JointMeeting.objects.exists() and not FollowUpItem.objects.exists()


def test_follow_ups_and_leads_of_a_meeting(county: County) -> None:
    meeting = make_meeting(county)
    follow_up = {"task": "约谈医疗机构", "owner_department": "drugs", "deadline": "2026-04-01"}
    added = post(county.division_staff, f"/meetings/{meeting.pk}/follow-ups", follow_up)
    assert added.status_code == 201 and added.json()["status"] == "open"
    late = post(
        county.division_staff,
        f"/meetings/{meeting.pk}/follow-ups",
        follow_up | {"deadline": "2026-03-19"},
    )
    assert late.status_code == 422 and late.json()["errors"][0]["field"] == "deadline"
    lead = {
        "from_department": "health",
        "content": "某诊所发布违法医疗广告",
        "party_name": "某诊所",
    }
    shared = post(county.division_staff, f"/meetings/{meeting.pk}/leads", lead)
    assert shared.status_code == 201 and shared.json()["party_name"] == "某诊所"
    stranger = post(
        county.division_staff, f"/meetings/{meeting.pk}/leads", lead | {"from_department": "press"}
    )
    assert stranger.status_code == 422
    assert stranger.json()["errors"][0]["field"] == "from_department"
    assert post(county.east_officer, f"/meetings/{meeting.pk}/leads", lead).status_code == 403
    assert post(county.division_staff, "/meetings/999999/leads", lead).status_code == 404
    assert meeting.follow_ups.count() == 2 and meeting.leads.count() == 1


def test_a_follow_up_is_done_once(county: County) -> None:
    item = make_meeting(county).follow_ups.get()
    path = f"/follow-ups/{item.pk}/done"
    early = post(county.division_staff, path, {"done_on": "2026-03-01", "result": "已清理"})
    assert early.status_code == 422 and early.json()["errors"][0]["field"] == "done_on"
    item.refresh_from_db()
    assert item.status == "open"
    done = post(county.division_staff, path, {"done_on": "2026-04-20", "result": "已清理 12 处"})
    assert done.status_code == 200 and done.json()["done_on"] == "2026-04-20"
    again = post(county.division_staff, path, {"done_on": "2026-04-21", "result": "再次"})
    assert again.status_code == 409
    assert (
        post(county.division_staff, "/follow-ups/999999/done", {"result": "x"}).status_code == 404
    )
