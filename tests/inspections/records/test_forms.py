"""The inspection record forms: times and the check-in are typed by the form, the rest goes to
the services as typed; input that cannot be read is shown on its field and nothing is saved."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict

from tests.conftest import County, client_for
from tests.inspections.factories import at, make_checklist
from tests.inspections.records.helpers import (
    DAY,
    draft,
    east_entity,
    fill,
    form_post,
    item_ids,
    png,
    second_officer,
    text,
    url,
)
from xiaoneng.inspections.models import Attachment, Inspection
from xiaoneng.inspections.records.forms import InspectionForm, StartForm

pytestmark = pytest.mark.usefixtures("media")


def refused(county: County, inspection: Inspection, **values: Any) -> Any:
    """Post the phone's form with ``values`` changed; the page must come back unsaved."""
    body = form_post(inspection, summary="门店整洁", **values)
    response = client_for(county.east_officer).post(url("inspection_edit", inspection.pk), body)
    assert response.status_code == 200
    inspection.refresh_from_db()
    assert (inspection.revision, inspection.summary) == (1, "")
    assert "门店整洁" in text(response)  # what was typed comes back
    return response


@pytest.mark.parametrize(
    "typed", ["昨天上午", "2026-02-30T09:00", "2026-13-01T09:00", "2026-03-02T25:00", "09:00"]
)
def test_a_time_that_is_no_time_is_shown_on_its_field(county: County, typed: str) -> None:
    inspection = draft(county)
    response = refused(county, inspection, started_at=typed)
    message = f"开始时间应为“YYYY-MM-DD HH:MM”格式的时间：{typed}"
    assert response.context["errors"] == {"started_at": message}
    assert message in text(response)


@pytest.mark.parametrize("typed", ["东经81度", "nan", "inf", "81,3"])
def test_a_check_in_coordinate_that_is_no_number_is_refused(county: County, typed: str) -> None:
    inspection = draft(county)
    response = refused(county, inspection, checkin_longitude=typed)
    message = f"签到经度应为数字：{typed}"
    assert response.context["errors"] == {"checkin_longitude": message}
    assert 'data-testid="checkin-result"' in text(response) and message in text(response)


def test_an_operating_answer_not_offered_is_refused(county: County) -> None:
    inspection = draft(county)
    response = refused(county, inspection, entity_operating="maybe")
    assert response.context["errors"] == {
        "entity_operating": "现场经营情况应为 1（在营）或 0（未经营）：maybe"
    }


def test_an_unknown_action_saves_nothing(county: County) -> None:
    inspection = draft(county)
    response = refused(county, inspection, action="publish")
    assert "操作应为 save（保存草稿）或 sign（保存并签名）：publish" in text(response)


def test_a_malformed_time_keeps_the_photo_out_too(county: County) -> None:
    inspection = draft(county)
    body = form_post(inspection, finished_at="下午")
    body["photos"] = SimpleUploadedFile("门头.png", png(), "image/png")
    response = client_for(county.east_officer).post(url("inspection_edit", inspection.pk), body)
    assert response.status_code == 200
    assert "结束时间应为“YYYY-MM-DD HH:MM”格式的时间：下午" in text(response)
    assert not Attachment.objects.exists()


def test_what_the_page_did_not_post_is_left_as_stored(county: County) -> None:
    helper = second_officer(county)
    inspection = fill(draft(county, team=[helper]), county.east_officer)
    first = item_ids(inspection)[0]
    body = {"revision": str(inspection.revision), "summary": "补记"}
    body |= {f"result_{first}": "fail", f"note_{first}": "未公示营业执照"}
    response = client_for(county.east_officer).post(url("inspection_edit", inspection.pk), body)
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.summary == "补记" and inspection.started_at == at(DAY, 9)
    assert [(r.result, r.note) for r in inspection.results.order_by("item__position")] == [
        ("fail", "未公示营业执照"),
        ("pass", ""),
        ("pass", ""),
    ]
    assert set(inspection.team.values_list("officer__username", flat=True)) == {
        "east_officer",
        helper.get_username(),
    }


def test_a_member_ticked_twice_joins_the_team_once(county: County) -> None:
    helper = second_officer(county)
    inspection = draft(county)
    body = form_post(inspection, team=[helper.get_username(), helper.get_username(), " "])
    response = client_for(county.east_officer).post(url("inspection_edit", inspection.pk), body)
    assert response.status_code == 302
    assert list(inspection.team.order_by("id").values_list("officer__username", flat=True)) == [
        "east_officer",
        helper.get_username(),
    ]


def test_the_same_form_saved_twice_is_refused_the_second_time_and_nothing_is_lost(
    county: County,
) -> None:
    inspection = draft(county)
    client = client_for(county.east_officer)
    first = client.post(url("inspection_edit", inspection.pk), form_post(inspection))
    assert first.status_code == 302
    again = form_post(inspection, summary="第二次保存")
    response = client.post(url("inspection_edit", inspection.pk), again)
    assert response.status_code == 200 and 'data-testid="conflict"' in text(response)
    assert "第二次保存" in text(response) and 'name="revision" value="1"' in text(response)
    inspection.refresh_from_db()
    assert (inspection.revision, inspection.summary) == (2, "经营正常")


def test_the_form_hands_the_service_only_what_was_posted(county: County) -> None:
    inspection = draft(county)
    first, second, _third = item_ids(inspection)
    data = QueryDict(mutable=True)
    data.update({"revision": "1", "started_at": "2026-03-02T09:00", f"result_{first}": "fail"})
    data.update({f"note_{second}": " 无 ", "checkin_accuracy": "12.5"})
    form = InspectionForm(data, inspection=inspection)
    assert form.is_valid(), form.errors
    assert form.values() == {
        "results": {first: {"result": "fail", "note": ""}, second: {"result": "", "note": "无"}},
        "started_at": at(DAY, 9),
        "checkin_accuracy": 12.5,
    }
    assert form.uploads() == []


def test_the_uploads_come_photos_first_each_with_its_kind(county: County) -> None:
    inspection = draft(county)
    photo = SimpleUploadedFile("a.png", png(), "image/png")
    document = SimpleUploadedFile("b.pdf", b"%PDF-1.4", "application/pdf")
    files = {"documents": [document], "photos": [photo]}
    form = InspectionForm({"revision": "1"}, MultiValueDict(files), inspection=inspection)
    assert form.is_valid(), form.errors
    assert form.uploads() == [("photo", photo), ("document", document)]


@pytest.mark.parametrize("typed", ["999999", "abc", "1.5"])
def test_starting_with_a_checklist_that_does_not_exist_opens_nothing(
    county: County, typed: str
) -> None:
    entity = east_entity(county)
    make_checklist()
    response = client_for(county.east_officer).post(
        url("inspection_start"), {"uscc": entity.uscc, "kind": "onsite", "checklist": typed}
    )
    assert response.status_code == 200
    assert response.context["errors"] == {"checklist": f"检查清单不存在：{typed}"}
    assert f"检查清单不存在：{typed}" in text(response)
    assert not Inspection.objects.exists()


def test_the_start_form_reads_the_uscc_in_capitals_and_enforcement_only_for_1() -> None:
    form = StartForm({"uscc": " 91654002ma0000000x ", "enforcement": "on"})
    assert form.is_valid()
    assert form.cleaned_data["uscc"] == "91654002MA0000000X"
    assert form.cleaned_data["enforcement"] is False and form.cleaned_data["checklist"] is None
