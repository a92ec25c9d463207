"""Pages of inspection records: render on a phone, save keeps the input, scope answers 404."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.conftest import County, client_for
from tests.inspections.factories import at, make_checklist
from tests.inspections.records.helpers import (
    DAY,
    draft,
    east_entity,
    east_task,
    fill,
    form_post,
    item_ids,
    png,
    second_officer,
    text,
    url,
    west_entity,
)
from xiaoneng.core.models import AuditEvent
from xiaoneng.inspections.models import Attachment, Finding, Inspection
from xiaoneng.inspections.records.attachments import add_attachment
from xiaoneng.inspections.records.drafts import save_draft
from xiaoneng.inspections.records.services import amend_inspection, open_inspection
from xiaoneng.inspections.records.signing import sign_inspection
from xiaoneng.planning.patrol.models import Task

pytestmark = pytest.mark.usefixtures("media")


def test_my_inspections_lists_drafts_and_recently_signed(county: County) -> None:
    waiting = draft(county)
    done = fill(draft(county), county.east_officer)
    sign_inspection(inspection=done, officer=county.east_officer)
    page = client_for(county.east_officer).get(url("inspection_list"))
    assert page.status_code == 200
    body = text(page)
    assert 'data-testid="drafts"' in body and url("inspection_edit", waiting.pk) in body
    assert url("inspection_detail", done.pk) in body and 'name="viewport"' in body


def test_the_list_filters_by_status_failed_items_and_officer(county: County) -> None:
    clean = fill(draft(county), county.east_officer)
    sign_inspection(inspection=clean, officer=county.east_officer)
    failing = fill(
        draft(county), county.east_officer, marks=("fail", "pass", "pass"), notes=("无证", "", "")
    )
    sign_inspection(inspection=failing, officer=county.east_officer)
    client = client_for(county.east_director)
    page = client.get(url("inspection_list"), {"failed": "1", "status": "signed"})
    rows = list(page.context["page"])
    assert rows == [failing]
    page = client.get(url("inspection_list"), {"officer": "east_director"})
    assert list(page.context["page"]) == []
    page = client.get(url("inspection_list"), {"unit": "S-W"})  # not a unit of his scope
    assert list(page.context["page"]) == [failing, clean]
    assert "未识别的筛选条件：单位 = S-W，已忽略" in text(page)


def test_the_form_renders_a_card_per_item_with_toggles_check_in_and_camera(
    county: County,
) -> None:
    inspection = draft(county)
    page = client_for(county.east_officer).get(url("inspection_edit", inspection.pk))
    body = text(page)
    assert page.status_code == 200
    assert body.count('data-testid="item"') == 3
    assert f'name="result_{item_ids(inspection)[0]}"' in body and "btn-check" in body
    assert 'capture="environment"' in body and 'accept="image/*"' in body
    assert 'id="checkin"' in body and "inspection_form.js" in body
    assert 'name="revision" value="1"' in body and "<details" in body


def test_the_time_inputs_carry_no_max_so_a_later_now_is_accepted(county: County) -> None:
    """A ``max`` set when the page opened would block 现在 once the clock has moved on."""
    page = client_for(county.east_officer).get(url("inspection_edit", draft(county).pk))
    body = text(page)
    assert 'id="finished_at"' in body and 'id="started_at"' in body
    for name in ("started_at", "finished_at"):
        tag = body.split(f'id="{name}"', 1)[1].split(">", 1)[0]
        assert "max=" not in tag, tag


def test_a_future_end_time_is_a_field_error_and_nothing_is_written(county: County) -> None:
    inspection = draft(county)
    later = timezone.localtime(timezone.now() + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    body = form_post(inspection, finished_at=later, summary="现场检查情况")
    response = client_for(county.east_officer).post(url("inspection_edit", inspection.pk), body)
    assert response.status_code == 200
    assert "结束时间不能晚于当前时间" in text(response) and "现场检查情况" in text(response)
    assert "is-invalid" in text(response).split('id="finished_at"', 1)[0].rsplit("<input", 1)[1]
    inspection.refresh_from_db()
    assert inspection.revision == 1 and inspection.finished_at is None


def test_saving_the_form_with_a_photo(county: County) -> None:
    inspection = draft(county)
    client = client_for(county.east_officer)
    body = form_post(inspection)
    body["photos"] = io.BytesIO(png())
    body["photos"].name = "门头.png"
    response = client.post(url("inspection_edit", inspection.pk), body)
    assert response.status_code == 302
    inspection.refresh_from_db()
    # The save and the photo each make a revision.
    assert inspection.revision == 3 and inspection.started_at == at(DAY, 9)
    assert inspection.checkin_at == at(DAY, 9, 2)
    assert inspection.results.filter(result="pass").count() == 3
    assert Attachment.objects.get(inspection=inspection).original_name == "门头.png"


def test_a_conflict_shows_the_message_and_keeps_the_users_input(county: County) -> None:
    helper = second_officer(county)
    inspection = draft(county, team=[helper])
    stale = form_post(inspection, summary="乙写的检查情况")
    save_draft(
        inspection=inspection, officer=county.east_officer, revision=1, values={"summary": "甲"}
    )
    response = client_for(helper).post(url("inspection_edit", inspection.pk), stale)
    assert response.status_code == 200
    body = text(response)
    assert 'data-testid="conflict"' in body
    assert "该草稿已被" in body and "您的修改未保存" in body
    assert "乙写的检查情况" in body and 'name="revision" value="1"' in body
    inspection.refresh_from_db()
    assert (inspection.summary, inspection.revision) == ("甲", 2)


def test_a_bad_photo_refuses_the_whole_save_and_keeps_the_input(county: County) -> None:
    inspection = draft(county)
    body = form_post(inspection, summary="现场检查情况")
    body["photos"] = io.BytesIO(b"not an image")
    body["photos"].name = "x.jpg"
    response = client_for(county.east_officer).post(url("inspection_edit", inspection.pk), body)
    assert response.status_code == 200
    assert "不是可识别的图片" in text(response) and "现场检查情况" in text(response)
    inspection.refresh_from_db()
    assert inspection.revision == 1 and not Attachment.objects.exists()


def test_a_failed_item_without_a_note_is_shown_on_its_card(county: County) -> None:
    inspection = draft(county)
    first = item_ids(inspection)[0]
    body = form_post(inspection, **{f"result_{first}": "fail"})
    response = client_for(county.east_officer).post(url("inspection_edit", inspection.pk), body)
    assert response.status_code == 200
    assert "不符合，请在说明中写明存在的问题" in text(response)
    assert response.context["rows"][0]["mark"] == "fail"


def test_save_and_sign_then_the_detail_shows_signatures_and_sha256(county: County) -> None:
    inspection = draft(county)
    client = client_for(county.east_officer)
    body = form_post(inspection, action="sign")
    body["photos"] = io.BytesIO(png())
    body["photos"].name = "a.png"
    response = client.post(url("inspection_edit", inspection.pk), body)
    assert response.status_code == 302
    assert response["Location"] == url("inspection_detail", inspection.pk)
    inspection.refresh_from_db()
    assert inspection.status == Inspection.Status.SIGNED
    page = client.get(url("inspection_detail", inspection.pk))
    detail = text(page)
    attachment = Attachment.objects.get()
    assert attachment.sha256 in detail and 'data-testid="signatures"' in detail
    assert 'data-testid="history"' in detail and 'data-testid="amend-form"' in detail
    photo = client.get(url("inspection_attachment", inspection.pk, attachment.pk))
    assert photo.status_code == 200 and photo["Content-Type"] == "image/png"
    edit = client.get(url("inspection_edit", inspection.pk))
    assert edit.status_code == 302


def test_the_sign_button_signs_for_one_member_of_two(county: County) -> None:
    helper = second_officer(county)
    inspection = fill(draft(county, team=[helper]), county.east_officer)
    page = client_for(helper).get(url("inspection_detail", inspection.pk))
    assert 'data-testid="sign-form"' in text(page)
    response = client_for(helper).post(
        url("inspection_sign", inspection.pk), {"revision": inspection.revision}
    )
    assert response.status_code == 302
    assert inspection.team.get(officer=helper).signed_at is not None
    inspection.refresh_from_db()
    assert inspection.status == Inspection.Status.DRAFT


def test_a_refused_signature_names_what_is_missing(county: County) -> None:
    inspection = draft(county)
    client = client_for(county.east_officer)
    response = client.post(url("inspection_sign", inspection.pk), follow=True)
    assert "以下检查事项尚无结论：第 1、2、3 项" in text(response)


def test_a_refused_save_and_sign_keeps_the_answers_times_summary_and_photo(
    county: County,
) -> None:
    inspection = draft(county)
    first = item_ids(inspection)[0]
    client = client_for(county.east_officer)
    body = form_post(inspection, action="sign", summary="门店整洁", **{f"result_{first}": ""})
    body["photos"] = io.BytesIO(png())
    body["photos"].name = "门头.png"
    response = client.post(url("inspection_edit", inspection.pk), body, follow=True)
    assert response.redirect_chain == [(url("inspection_edit", inspection.pk), 302)]
    page = text(response)
    assert [str(m) for m in response.context["messages"]] == [
        "草稿已保存",
        "以下检查事项尚无结论：第 1 项",
    ]
    inspection.refresh_from_db()
    assert inspection.status == Inspection.Status.DRAFT and inspection.revision == 3
    assert (inspection.summary, inspection.started_at) == ("门店整洁", at(DAY, 9))
    assert inspection.finished_at == at(DAY, 9, 40) and inspection.checkin_at == at(DAY, 9, 2)
    assert [r.result for r in inspection.results.order_by("item__position")] == [
        "",
        "pass",
        "pass",
    ]
    assert inspection.team.get().signed_at is None
    assert Attachment.objects.get(inspection=inspection).original_name == "门头.png"
    # The form is the saved one; what signing still needs is computed from it.
    assert response.context["revision"] == 3
    assert [row["mark"] for row in response.context["rows"]] == ["", "pass", "pass"]
    assert [e.field for e in response.context["missing"]] == ["results"]
    assert page.count('value="pass" autocomplete="off" checked') == 2


def test_a_refused_save_in_save_and_sign_writes_nothing_and_keeps_the_input(
    county: County,
) -> None:
    inspection = draft(county)
    first = item_ids(inspection)[0]
    body = form_post(inspection, action="sign", summary="门店整洁", **{f"result_{first}": "fail"})
    body["photos"] = io.BytesIO(png())
    body["photos"].name = "门头.png"
    response = client_for(county.east_officer).post(url("inspection_edit", inspection.pk), body)
    assert response.status_code == 200
    assert "不符合，请在说明中写明存在的问题" in text(response) and "门店整洁" in text(response)
    inspection.refresh_from_db()
    assert (inspection.revision, inspection.summary) == (1, "")
    assert inspection.team.get().signed_at is None and not Attachment.objects.exists()


def test_the_form_offers_all_pass_and_both_pages_link_back(county: County) -> None:
    inspection = open_inspection(
        officer=county.east_officer,
        kind="onsite",
        task=east_task(county, east_entity(county)),
        checklist=make_checklist(),
    )
    client = client_for(county.east_officer)
    form = text(client.get(url("inspection_edit", inspection.pk)))
    assert 'data-testid="all-pass"' in form and "其余未填项全部符合" in form
    task_page = reverse("planning:task_detail", args=[inspection.task_id])
    for page in (form, text(client.get(url("inspection_detail", inspection.pk)))):
        assert f'href="{url("inspection_list")}">← 检查记录' in page
        assert f'href="{task_page}">← 任务' in page
    ad_hoc = text(client.get(url("inspection_detail", draft(county).pk)))
    assert "← 检查记录" in ad_hoc and "← 任务" not in ad_hoc


def test_open_findings_offer_an_order_and_a_case_to_those_who_may(county: County) -> None:
    inspection = fill(
        draft(county), county.east_officer, marks=("fail", "pass", "pass"), notes=("无证", "", "")
    )
    sign_inspection(inspection=inspection, officer=county.east_officer)
    finding = Finding.objects.get(inspection=inspection)
    order = f"{reverse('inspections:rectification_create')}?inspection={inspection.pk}"
    case = f"{reverse('cases:case_create')}?finding={finding.pk}"
    page = text(client_for(county.east_director).get(url("inspection_detail", inspection.pk)))
    assert f'href="{order}">责令整改' in page and f'href="{case}">转立案' in page
    page = text(client_for(county.leader).get(url("inspection_detail", inspection.pk)))
    assert 'data-testid="findings"' in page and 'data-testid="finding-actions"' not in page
    assert order not in page and case not in page
    Finding.objects.filter(pk=finding.pk).update(status=Finding.Status.RECTIFYING)
    page = text(client_for(county.east_director).get(url("inspection_detail", inspection.pk)))
    assert 'data-testid="findings"' in page and 'data-testid="finding-actions"' not in page


def test_amending_from_the_detail_page_links_both_ways(county: County) -> None:
    inspection = fill(draft(county), county.east_officer)
    sign_inspection(inspection=inspection, officer=county.east_officer)
    client = client_for(county.east_officer)
    response = client.post(url("inspection_amend", inspection.pk), {"reason": "第 2 项结论有误"})
    amendment = Inspection.objects.get(amends=inspection)
    assert response["Location"] == url("inspection_edit", amendment.pk)
    original = text(client.get(url("inspection_detail", inspection.pk)))
    assert 'data-testid="amended"' in original and "已更正" in original
    assert 'data-testid="amend-form"' not in original
    later = text(client.get(url("inspection_detail", amendment.pk)))
    assert 'data-testid="amends"' in later and "第 2 项结论有误" in later


def test_a_short_reason_is_refused_on_the_page(county: County) -> None:
    inspection = fill(draft(county), county.east_officer)
    sign_inspection(inspection=inspection, officer=county.east_officer)
    response = client_for(county.east_officer).post(
        url("inspection_amend", inspection.pk), {"reason": "错"}, follow=True
    )
    assert "请填写更正理由（至少 5 个字）" in text(response)
    assert not Inspection.objects.filter(amends=inspection).exists()


# Scope --------------------------------------------------------------------------------------------


def test_another_stations_officer_gets_404_on_every_page(county: County) -> None:
    inspection = fill(draft(county), county.east_officer)
    attachment = add_attachment(
        inspection=inspection,
        officer=county.east_officer,
        upload=SimpleUploadedFile("a.png", png()),
        kind="photo",
    )
    client = client_for(county.west_officer)
    for name, args in [
        ("inspection_detail", [inspection.pk]),
        ("inspection_edit", [inspection.pk]),
        ("inspection_attachment", [inspection.pk, attachment.pk]),
    ]:
        assert client.get(url(name, *args)).status_code == 404
    for name, args in [
        ("inspection_sign", [inspection.pk]),
        ("inspection_amend", [inspection.pk]),
        ("inspection_attachment_remove", [inspection.pk, attachment.pk]),
    ]:
        assert client.post(url(name, *args), {"reason": "跨所更正记录"}).status_code == 404
    assert inspection not in client.get(url("inspection_list")).context["page"]
    assert Attachment.objects.count() == 1


def test_a_grid_officer_cannot_start_on_an_entity_outside_their_scope(county: County) -> None:
    entity = west_entity(county)
    client = client_for(county.east_officer)
    response = client.post(url("inspection_start"), {"uscc": entity.uscc, "kind": "onsite"})
    assert response.status_code == 404
    task = east_task(county, east_entity(county))
    Task.objects.filter(pk=task.pk).update(unit=county.west)
    assert client.post(url("inspection_from_task", task.pk)).status_code == 404
    assert not Inspection.objects.exists()


def test_a_member_of_the_station_outside_the_team_gets_403_on_edit(county: County) -> None:
    inspection = draft(county)
    outsider = second_officer(county)
    assert client_for(outsider).get(url("inspection_edit", inspection.pk)).status_code == 403
    assert client_for(outsider).get(url("inspection_detail", inspection.pk)).status_code == 200


def test_the_leader_may_browse_but_not_start(county: County) -> None:
    assert client_for(county.leader).get(url("inspection_list")).status_code == 200
    assert client_for(county.leader).get(url("inspection_start")).status_code == 403


def test_the_amendment_of_a_record_is_traced(county: County) -> None:
    inspection = fill(draft(county), county.east_officer)
    sign_inspection(inspection=inspection, officer=county.east_officer)
    amendment = amend_inspection(
        inspection=inspection, officer=county.east_officer, reason="补记检查情况"
    )
    assert AuditEvent.objects.filter(object_id=str(amendment.pk), action="create").exists()
