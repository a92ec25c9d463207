"""Pages and endpoints of director spot checks and supervision items: scoped, acting through
the services, refusing another station's user."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from tests.conftest import County, client_for
from tests.oversight.test_reviews import MARCH, signed_in_march
from tests.oversight.test_supervision import in_days, issue
from xiaoneng.oversight.reviews import services as director_reviews
from xiaoneng.oversight.reviews.models import DirectorReview, ReviewRound
from xiaoneng.oversight.supervision import services as supervision
from xiaoneng.oversight.supervision.models import SupervisionItem


@pytest.fixture
def drawn(county: County) -> ReviewRound:
    signed_in_march(county, county.east_officer, 10)
    return director_reviews.draw_reviews(unit=county.east, month=MARCH)


@pytest.fixture
def review(drawn: ReviewRound) -> DirectorReview:
    return drawn.reviews.first()  # type: ignore[return-value]


@pytest.fixture
def item(county: County) -> SupervisionItem:
    return issue(county)


def json_post(client: Any, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, body, content_type="application/json")


# Another station ---------------------------------------------------------------------------


def test_another_station_gets_404_for_every_record_page_and_endpoint(
    county: County, drawn: ReviewRound, review: DirectorReview, item: SupervisionItem
) -> None:
    west = client_for(county.west_director)
    for path in [
        f"/reviews/{review.pk}/",
        f"/reviews/rounds/{drawn.pk}/",
        f"/supervision/{item.pk}/",
        f"/api/v1/reviews/{review.pk}",
        f"/api/v1/reviews/rounds/{drawn.pk}",
        f"/api/v1/supervision-items/{item.pk}",
    ]:
        assert west.get(path).status_code == 404, path
    for path, body in [
        (f"/reviews/{review.pk}/", {"decision": "confirm", "method": "实地复核"}),
        (f"/supervision/{item.pk}/answer/", {"response": "已处理"}),
        (f"/supervision/{item.pk}/close/", {"decision": "close"}),
        ("/reviews/draw/", {"unit": "S-E", "month": MARCH}),
    ]:
        assert west.post(path, body).status_code == 404, path
    for path, body in [
        (f"/api/v1/reviews/{review.pk}/conclude", {"confirmed": True, "method": "实地复核"}),
        (f"/api/v1/supervision-items/{item.pk}/answer", {"response": "已处理"}),
        (f"/api/v1/supervision-items/{item.pk}/close", {"accepted": True}),
        ("/api/v1/reviews/rounds", {"unit": "S-E", "month": MARCH}),
    ]:
        assert json_post(west, path, body).status_code == 404, path
    review.refresh_from_db()
    item.refresh_from_db()
    assert review.status == "pending" and item.status == "open"


def test_another_stations_lists_are_empty(
    county: County, drawn: ReviewRound, item: SupervisionItem
) -> None:
    west = client_for(county.west_director)
    listed = west.get(f"/reviews/?month={MARCH}&status=all")
    assert listed.context["by_officer"] == [] and list(listed.context["rounds"]) == []
    assert west.get("/supervision/").context["page"].paginator.count == 0
    assert west.get("/api/v1/reviews").json()["count"] == 0
    assert west.get("/api/v1/reviews/rounds").json()["count"] == 0
    assert west.get("/api/v1/supervision-items").json()["count"] == 0


# Director spot checks -------------------------------------------------------------------------


def test_the_director_sees_the_months_pending_reviews_per_officer(county: County) -> None:
    signed_in_march(county, county.east_officer, 10, director=False)
    director_reviews.draw_reviews(unit=county.east, month=MARCH)
    response = client_for(county.east_director).get(f"/reviews/?month={MARCH}")
    assert response.status_code == 200
    [(officer, reviews)] = response.context["by_officer"]
    assert officer == county.east_officer and len(reviews) == 1
    [shown] = response.context["rounds"]
    assert shown.sampled == 1 and shown.pending == 1
    assert 'data-testid="draw-form"' in response.content.decode()
    assert response.context["own"] == []


def test_a_director_is_never_asked_to_review_a_record_he_co_signed(
    county: County, drawn: ReviewRound, review: DirectorReview
) -> None:
    # signed_in_march puts the east director on every record's team.
    client = client_for(county.east_director)
    listing = client.get(f"/reviews/?month={MARCH}")
    assert listing.context["by_officer"] == []
    assert listing.context["own"] == [review]
    body = listing.content.decode()
    assert "本人参与的记录 1 份：本人不能抽查，由区局科室人员抽查" in body
    assert "所长本人参与的记录由区局科室抽查" in body
    page = client.get(f"/reviews/{review.pk}/")
    text = page.content.decode()
    assert 'data-testid="review-form"' not in text and not page.context["may_review"]
    assert "不能抽查本人参与的检查记录；本记录由区局科室人员抽查" in text
    # Nor is it on his to-do.
    from xiaoneng.web.todo import todo_for

    cards = todo_for(county.east_director, dt.date(2026, 4, 5))
    [pending] = [c for c in cards if str(c.label) == "上月所长抽查待核查"]
    assert pending.count == 0


def test_the_division_reviews_what_the_director_co_signed(
    county: County, review: DirectorReview
) -> None:
    client = client_for(county.division_staff)
    listing = client.get(f"/reviews/?month={MARCH}")
    [(_officer, [shown])] = listing.context["by_officer"]
    assert shown == review and shown.director_on_team
    assert "所长参与 · 由科室抽查" in listing.content.decode()
    page = client.get(f"/reviews/{review.pk}/")
    assert 'data-testid="review-form"' in page.content.decode()
    assert "本所所长参与了这次检查，本记录由区局科室抽查" in page.content.decode()
    done = client.post(f"/reviews/{review.pk}/", {"decision": "confirm", "method": "实地复核"})
    assert done.status_code == 302
    review.refresh_from_db()
    assert (review.status, review.reviewer) == ("confirmed", county.division_staff)


def test_a_bad_month_on_the_list_falls_back_with_a_message(county: County) -> None:
    response = client_for(county.east_director).get("/reviews/?month=2026-3")
    assert (
        response.status_code == 200 and response.context["month"] == director_reviews.last_month()
    )


def test_the_draw_form_draws_and_opens_the_round(county: County) -> None:
    signed_in_march(county, county.east_officer, 4)
    client = client_for(county.east_director)
    response = client.post("/reviews/draw/", {"unit": "S-E", "month": MARCH})
    drawn = ReviewRound.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/reviews/rounds/{drawn.pk}/"
    refused = client.post(
        "/reviews/draw/",
        {"unit": "S-E", "month": timezone.localdate().strftime("%Y-%m")},
        follow=True,
    )
    assert "尚未结束" in refused.content.decode()
    assert ReviewRound.objects.count() == 1
    assert (
        client_for(county.east_officer)
        .post("/reviews/draw/", {"unit": "S-E", "month": "2026-02"})
        .status_code
        == 403
    )


def test_the_round_page_summarises_per_officer_and_verifies(
    county: County, drawn: ReviewRound
) -> None:
    response = client_for(county.division_staff).get(f"/reviews/rounds/{drawn.pk}/")
    assert response.status_code == 200
    assert response.context["rows"] == [
        {"officer": county.east_officer, "sampled": 1, "confirmed": 0, "problem": 0, "pending": 1}
    ]
    assert response.context["verification"].verified
    assert drawn.seed in response.content.decode()


def test_the_review_form_sits_next_to_the_record_and_concludes(
    county: County, review: DirectorReview
) -> None:
    client = client_for(county.division_staff)
    page = client.get(f"/reviews/{review.pk}/")
    text = page.content.decode()
    assert 'data-testid="review-form"' in text and 'data-testid="inspection-content"' in text
    assert f"/inspections/{review.inspection_id}/" in text
    missing = client.post(
        f"/reviews/{review.pk}/", {"decision": "problem", "method": "实地复核", "note": ""}
    )
    assert missing.status_code == 200
    assert missing.context["errors"] == {"note": "发现问题时请填写抽查意见"}
    done = client.post(
        f"/reviews/{review.pk}/", {"decision": "problem", "method": "实地复核", "note": "未见整改"}
    )
    assert done.status_code == 302
    review.refresh_from_db()
    assert review.status == "problem"


def test_a_team_member_may_not_review_through_the_page(
    county: County, review: DirectorReview
) -> None:
    # The east director was on the record's team (signed_in_march adds them).
    response = client_for(county.east_director).post(
        f"/reviews/{review.pk}/", {"decision": "confirm", "method": "实地复核"}
    )
    assert response.status_code == 403
    review.refresh_from_db()
    assert review.status == "pending"


def test_the_review_api_lists_draws_and_concludes(county: County, drawn: ReviewRound) -> None:
    client = client_for(county.division_staff)
    listed = client.get(f"/api/v1/reviews?month={MARCH}&status=pending").json()
    assert listed["count"] == 1
    first = listed["items"][0]
    assert (
        first["lead_officer"] == "east_officer"
        and first["unit"] == "S-E"
        and first["month"] == MARCH
    )
    detail = client.get(f"/api/v1/reviews/rounds/{drawn.pk}").json()
    assert (
        detail["verified"]
        and detail["sampled"] == 1
        and detail["officers"][0]["officer"] == "east_officer"
    )
    again = json_post(client, "/api/v1/reviews/rounds", {"unit": "S-E", "month": MARCH})
    assert again.status_code == 200 and again.json()["id"] == drawn.pk
    fresh = json_post(client, "/api/v1/reviews/rounds", {"unit": "S-W", "month": MARCH})
    assert fresh.status_code == 201 and fresh.json()["population"] == 0
    refused = json_post(
        client, f"/api/v1/reviews/{first['id']}/conclude", {"confirmed": True, "method": ""}
    )
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "method"
    done = json_post(
        client,
        f"/api/v1/reviews/{first['id']}/conclude",
        {"confirmed": True, "method": "电话回访经营者"},
    )
    assert done.status_code == 200 and done.json()["status"] == "confirmed"
    assert done.json()["reviewer"] == "division"


# Supervision ---------------------------------------------------------------------------------


def test_the_list_highlights_overdue_items_by_unit(county: County, item: SupervisionItem) -> None:
    late = issue(county, title="逾期事项")
    SupervisionItem.objects.filter(pk=late.pk).update(deadline=in_days(-2))
    response = client_for(county.division_staff).get("/supervision/")
    assert response.status_code == 200
    assert {i.title: i.overdue for i in response.context["page"]} == {
        "核查群众投诉": False,
        "逾期事项": True,
    }
    assert 'data-overdue="1"' in response.content.decode()
    [east] = response.context["by_unit"]
    assert (east["unit__code"], east["open"], east["overdue"]) == ("S-E", 2, 1)
    only = client_for(county.division_staff).get("/supervision/?status=overdue")
    assert [i.title for i in only.context["page"]] == ["逾期事项"]


def test_the_issue_form_creates_an_item_and_shows_errors_by_field(county: County) -> None:
    client = client_for(county.division_staff)
    assert client.get("/supervision/new/").status_code == 200
    bad = client.post(
        "/supervision/new/",
        {
            "unit": "S-E",
            "title": "核查",
            "description": "请核查",
            "deadline": timezone.localdate().isoformat(),
        },
    )
    assert bad.status_code == 200 and set(bad.context["errors"]) == {"deadline"}
    unknown = client.post(
        "/supervision/new/",
        {
            "unit": "S-E",
            "title": "核查",
            "description": "请核查",
            "deadline": in_days(5).isoformat(),
            "entity": "91654002MA0000000X",
        },
    )
    assert unknown.context["errors"] == {
        "entity": "未找到该统一社会信用代码的主体：91654002MA0000000X"
    }
    assert not SupervisionItem.objects.exists()
    done = client.post(
        "/supervision/new/",
        {
            "unit": "S-E",
            "title": "核查",
            "description": "请核查",
            "deadline": in_days(5).isoformat(),
        },
    )
    created = SupervisionItem.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/supervision/{created.pk}/"


def test_only_supervising_staff_open_the_issue_form(county: County) -> None:
    assert client_for(county.east_director).get("/supervision/new/").status_code == 403
    refused = json_post(
        client_for(county.east_director),
        "/api/v1/supervision-items",
        {
            "unit": "S-E",
            "title": "核查",
            "description": "请核查",
            "deadline": in_days(5).isoformat(),
        },
    )
    assert refused.status_code == 403
    assert not SupervisionItem.objects.exists()


def test_the_detail_page_carries_the_exchange_and_the_right_forms(
    county: County, item: SupervisionItem
) -> None:
    director = client_for(county.east_director)
    page = director.get(f"/supervision/{item.pk}/").content.decode()
    assert 'data-testid="answer-form"' in page and "close-form" not in page
    empty = director.post(f"/supervision/{item.pk}/answer/", {"response": " "})
    assert empty.status_code == 422 and empty.context["errors"] == {"response": "请填写办理情况"}
    assert (
        director.post(f"/supervision/{item.pk}/answer/", {"response": "已核查处理"}).status_code
        == 302
    )
    division = client_for(county.division_staff)
    page = division.get(f"/supervision/{item.pk}/").content.decode()
    assert 'data-testid="close-form"' in page and "已核查处理" in page
    assert (
        division.post(
            f"/supervision/{item.pk}/close/", {"decision": "return", "note": ""}
        ).status_code
        == 422
    )
    assert (
        division.post(
            f"/supervision/{item.pk}/close/", {"decision": "return", "note": "材料不全"}
        ).status_code
        == 302
    )
    item.refresh_from_db()
    assert item.status == "returned"
    assert [s.action for s in division.get(f"/supervision/{item.pk}/").context["steps"]] == [
        "督办",
        "已回复",
        "退回重办",
    ]


def test_the_wrong_role_gets_403_on_actions(county: County, item: SupervisionItem) -> None:
    assert (
        client_for(county.east_officer)
        .post(f"/supervision/{item.pk}/answer/", {"response": "已处理"})
        .status_code
        == 403
    )
    assert (
        json_post(
            client_for(county.division_staff),
            f"/api/v1/supervision-items/{item.pk}/answer",
            {"response": "已处理"},
        ).status_code
        == 403
    )
    supervision.answer_supervision(item=item, actor=county.east_director, response="已处理")
    assert (
        client_for(county.east_director)
        .post(f"/supervision/{item.pk}/close/", {"decision": "close"})
        .status_code
        == 403
    )
    item.refresh_from_db()
    assert item.status == "answered"


def test_the_supervision_api_issues_answers_and_closes(county: County) -> None:
    lon, lat = county.east_point()
    from tests.registry.factories import make_entity

    shop = make_entity(name="城东饭店", longitude=lon, latitude=lat)
    division, director = client_for(county.division_staff), client_for(county.east_director)
    past = json_post(
        division,
        "/api/v1/supervision-items",
        {
            "unit": "S-E",
            "title": "核查",
            "description": "请核查",
            "deadline": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
        },
    )
    assert past.status_code == 422 and past.json()["errors"][0]["field"] == "deadline"
    created = json_post(
        division,
        "/api/v1/supervision-items",
        {
            "unit": "S-E",
            "title": "核查",
            "description": "请核查",
            "deadline": in_days(3).isoformat(),
            "entity": shop.uscc,
        },
    )
    assert created.status_code == 201
    body = created.json()
    assert body["entity"] == shop.uscc and body["issued_by_unit"] == "D1" and not body["overdue"]
    pk = body["id"]
    assert (
        json_post(
            director, f"/api/v1/supervision-items/{pk}/answer", {"response": "已核查"}
        ).status_code
        == 200
    )
    closed = json_post(division, f"/api/v1/supervision-items/{pk}/close", {"accepted": True})
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert [s["action"] for s in closed.json()["exchange"]] == ["督办", "已回复", "已办结"]
    listed = division.get("/api/v1/supervision-items?status=closed").json()
    assert (
        listed["count"] == 1
        and division.get("/api/v1/supervision-items?status=overdue").json()["count"] == 0
    )
