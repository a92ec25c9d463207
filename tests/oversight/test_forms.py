"""The oversight forms: the station, entity and record named on a supervision item are found in
the user's scope, days and decisions are read by the form; what cannot be read writes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import County, client_for
from tests.oversight.test_reviews import MARCH, signed_in_march
from tests.oversight.test_supervision import in_days, issue
from xiaoneng.oversight.reviews import services as director_reviews
from xiaoneng.oversight.reviews.models import DirectorReview, ReviewRound
from xiaoneng.oversight.supervision import services as supervision
from xiaoneng.oversight.supervision.models import SupervisionItem


def _form(**values: str) -> dict[str, str]:
    form = {
        "unit": "S-E",
        "title": "核查",
        "description": "请核查",
        "deadline": in_days(5).isoformat(),
    }
    return form | values


@pytest.mark.parametrize(
    ("values", "errors"),
    [
        ({"unit": ""}, {"unit": "请选择承办所"}),
        ({"unit": "S-X"}, {"unit": "请选择承办所"}),
        ({"deadline": "2026-02-30"}, {"deadline": "请填写办结期限（YYYY-MM-DD）"}),
        ({"inspection": "#abc"}, {"inspection": "未找到该检查记录：abc"}),
        ({"inspection": "#999999"}, {"inspection": "未找到该检查记录：999999"}),
        (
            {"inspection": "99999999999999999999"},
            {"inspection": "未找到该检查记录：99999999999999999999"},
        ),
        (
            {"entity": "91654002ma0000000x", "unit": ""},
            {
                "unit": "请选择承办所",
                "entity": "未找到该统一社会信用代码的主体：91654002MA0000000X",
            },
        ),
    ],
)
def test_an_item_that_cannot_be_read_is_not_issued(
    county: County, values: dict[str, str], errors: dict[str, str]
) -> None:
    response = client_for(county.division_staff).post("/supervision/new/", _form(**values))
    assert response.status_code == 200
    assert response.context["errors"] == errors
    assert not SupervisionItem.objects.exists()


def test_an_item_names_its_record_by_number_with_or_without_hash(county: County) -> None:
    record = signed_in_march(county, county.east_officer, 1)[0]
    client = client_for(county.division_staff)
    response = client.post("/supervision/new/", _form(inspection=f" #{record.pk} "))
    assert response.status_code == 302
    assert SupervisionItem.objects.get().inspection == record


def test_a_close_decision_not_offered_is_shown_and_changes_nothing(county: County) -> None:
    item = issue(county)
    supervision.answer_supervision(item=item, actor=county.east_director, response="已处理")
    response = client_for(county.division_staff).post(
        f"/supervision/{item.pk}/close/", {"decision": "later", "note": "再看"}
    )
    assert response.status_code == 422
    assert response.context["errors"] == {
        "decision": "审核结论应为 close（办结）或 return（退回重办）：later"
    }
    item.refresh_from_db()
    assert item.status == "answered"


@pytest.fixture
def review(county: County) -> DirectorReview:
    signed_in_march(county, county.east_officer, 10)
    drawn: ReviewRound = director_reviews.draw_reviews(unit=county.east, month=MARCH)
    return drawn.reviews.first()  # type: ignore[return-value]


def test_a_review_decision_not_offered_concludes_nothing(
    county: County, review: DirectorReview
) -> None:
    response = client_for(county.division_staff).post(
        f"/reviews/{review.pk}/", {"decision": "maybe", "method": "实地复核", "note": "x"}
    )
    assert response.status_code == 200
    assert response.context["errors"] == {
        "decision": "抽查结论应为 confirm（属实规范）或 problem（存在问题）：maybe"
    }
    review.refresh_from_db()
    assert review.status == "pending"


def test_a_draw_of_a_station_not_given_answers_404(county: County) -> None:
    client = client_for(county.east_director)
    data: dict[str, Any] = {"month": MARCH}
    assert client.post("/reviews/draw/", data).status_code == 404
    assert not ReviewRound.objects.exists()
