"""The inspection API for the mobile client: open, save with revision, upload, sign, amend."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from PIL import Image

from tests.conftest import County, client_for
from tests.inspections.factories import make_checklist
from tests.inspections.records.helpers import (
    draft,
    east_entity,
    east_task,
    fill,
    item_ids,
    next_period,
    second_officer,
    west_entity,
)
from xiaoneng.inspections.models import Attachment, Finding, Inspection
from xiaoneng.inspections.records.signing import sign_inspection
from xiaoneng.planning.patrol.models import Task

API = "/api/v1/inspections"


pytestmark = pytest.mark.usefixtures("media")


def send(client: Any, method: str, path: str, body: dict[str, Any]) -> Any:
    call = getattr(client, method)
    return call(path, json.dumps(body), content_type="application/json")


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buffer, "PNG")
    return buffer.getvalue()


def draft_body(record: dict[str, Any], county: County, **values: Any) -> dict[str, Any]:
    lon, lat = county.east_point()
    body = {
        "revision": record["revision"],
        "results": [{"item": r["item"], "result": "pass", "note": ""} for r in record["results"]],
        "started_at": "2026-03-02T09:00:00+08:00",
        "finished_at": "2026-03-02T09:45:00+08:00",
        "checkin_at": "2026-03-02T09:01:00+08:00",
        "checkin_longitude": lon,
        "checkin_latitude": lat,
        "checkin_accuracy": 8.5,
        "summary": "证照齐全",
    }
    body.update(values)
    return body


def test_a_whole_visit_through_the_api(county: County) -> None:
    entity = east_entity(county)
    helper = second_officer(county)
    checklist = make_checklist()
    lead, second = client_for(county.east_officer), client_for(helper)
    opened = send(
        lead,
        "post",
        API,
        {
            "uscc": entity.uscc,
            "kind": "onsite",
            "team": ["east_second"],
            "checklist_id": checklist.pk,
        },
    )
    assert opened.status_code == 201, opened.json()
    record = opened.json()
    assert record["status"] == "draft" and record["revision"] == 1
    assert [m["username"] for m in record["team"]] == ["east_officer", "east_second"]
    assert [r["number"] for r in record["results"]] == ["1", "2", "3"]
    first_item = record["results"][0]["item"]
    body = draft_body(
        record,
        county,
        results=[{"item": first_item, "result": "fail", "note": "未公示营业执照"}],
    )
    saved = send(lead, "put", f"{API}/{record['id']}", body)
    assert saved.status_code == 200, saved.json()
    record = saved.json()
    assert record["revision"] == 2 and record["results"][0]["result"] == "fail"
    assert record["results"][1]["result"] == ""
    rest = [{"item": r["item"], "result": "pass"} for r in record["results"][1:]]
    record = send(lead, "put", f"{API}/{record['id']}", {"revision": 2, "results": rest}).json()
    photo = lead.post(
        f"{API}/{record['id']}/attachments",
        {"kind": "photo", "file": _named(png(), "门头.png")},
    )
    assert photo.status_code == 201, photo.json()
    assert len(photo.json()["sha256"]) == 64
    assert lead.get(photo.json()["url"]).status_code == 200
    # The photo changed the record: signing the revision read before it is refused.
    stale = send(lead, "post", f"{API}/{record['id']}/sign", {"revision": 3})
    assert stale.status_code == 409
    assert lead.get(f"{API}/{record['id']}").json()["revision"] == 4
    signed = send(lead, "post", f"{API}/{record['id']}/sign", {"revision": 4})
    assert signed.status_code == 200 and signed.json()["status"] == "draft"
    signed = send(second, "post", f"{API}/{record['id']}/sign", {})
    final = signed.json()
    assert final["status"] == "signed" and final["items_failed"] == 1
    assert all(m["signed_at"] for m in final["team"])
    assert Finding.objects.filter(inspection_id=record["id"]).count() == 1
    listed = lead.get(API, {"status": "signed", "failed": True}).json()
    assert [r["id"] for r in listed["items"]] == [record["id"]] and listed["count"] == 1


def _named(content: bytes, name: str) -> io.BytesIO:
    stream = io.BytesIO(content)
    stream.name = name
    return stream


def test_opening_from_a_task_twice_gives_the_same_draft(county: County) -> None:
    task = east_task(county, east_entity(county))
    checklist = make_checklist()
    client = client_for(county.east_officer)
    body = {"task_id": task.pk, "kind": "onsite", "checklist_id": checklist.pk}
    first = send(client, "post", API, body)
    again = send(client, "post", API, body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] and first.json()["task_id"] == task.pk
    assert first.json()["origin"] == "patrol"


def test_opening_a_task_of_a_period_not_yet_begun_answers_409(county: County) -> None:
    period, first = next_period()
    task = east_task(county, east_entity(county), period=period)
    body = {"task_id": task.pk, "kind": "onsite", "checklist_id": make_checklist().pk}
    response = send(client_for(county.east_officer), "post", API, body)
    assert response.status_code == 409, response.json()
    assert response.json()["detail"] == f"该任务属于 {period} 期间，{first:%Y-%m-%d} 起才能检查"
    assert not Inspection.objects.exists()


def test_opening_a_cancelled_task_answers_409(county: County) -> None:
    task = east_task(county, east_entity(county))
    Task.objects.filter(pk=task.pk).update(status=Task.Status.CANCELLED)
    body = {"task_id": task.pk, "kind": "onsite", "checklist_id": make_checklist().pk}
    response = send(client_for(county.east_officer), "post", API, body)
    assert response.status_code == 409
    assert response.json()["detail"] == "任务状态为“已取消”，不能再开始检查"


def test_a_stale_revision_answers_409_with_the_message(county: County) -> None:
    inspection = draft(county)
    client = client_for(county.east_officer)
    assert (
        send(client, "put", f"{API}/{inspection.pk}", {"revision": 1, "summary": "甲"}).status_code
        == 200
    )
    refused = send(client, "put", f"{API}/{inspection.pk}", {"revision": 1, "summary": "乙"})
    assert refused.status_code == 409
    detail = refused.json()["detail"]
    assert detail.startswith("该草稿已被 ") and detail.endswith("请刷新后再编辑；您的修改未保存")
    assert refused.json()["errors"][0]["field"] == "revision"
    inspection.refresh_from_db()
    assert inspection.summary == "甲"


def test_bad_input_answers_422_naming_the_field(county: County) -> None:
    inspection = draft(county)
    client = client_for(county.east_officer)
    first = item_ids(inspection)[0]
    refused = send(
        client,
        "put",
        f"{API}/{inspection.pk}",
        {
            "revision": 1,
            "results": [{"item": first, "result": "fail"}],
            "checkin_at": "2026-03-02T09:00:00+08:00",
            "checkin_longitude": 139.69,
            "checkin_latitude": 35.69,
        },
    )
    assert refused.status_code == 422
    errors = {e["field"]: e["message"] for e in refused.json()["errors"]}
    assert errors["checkin_longitude"] == "坐标 (139.69, 35.69) 不在中国境内"
    assert errors[f"results.{first}"] == "第 1 项“检查事项1”不符合，请在说明中写明存在的问题"
    missing_revision = send(client, "put", f"{API}/{inspection.pk}", {"summary": "x"})
    assert missing_revision.status_code == 422
    assert missing_revision.json()["errors"][0]["field"] == "revision"


def test_a_non_image_photo_and_an_oversized_one_are_refused(county: County, settings: Any) -> None:
    inspection = draft(county)
    client = client_for(county.east_officer)
    refused = client.post(
        f"{API}/{inspection.pk}/attachments",
        {"kind": "photo", "file": _named(b"%PDF-1.4 not a photo", "scan.jpg")},
    )
    assert refused.status_code == 422
    assert refused.json()["detail"] == (
        "file: 文件“scan.jpg”不是可识别的图片，现场照片须为 JPEG、PNG、WebP 等格式"
    )
    settings.ATTACHMENT_MAX_BYTES = 10
    content = png()
    too_big = client.post(
        f"{API}/{inspection.pk}/attachments", {"kind": "photo", "file": _named(content, "a.png")}
    )
    assert too_big.status_code == 422
    assert too_big.json()["errors"][0]["message"] == (
        f"文件“a.png”大小为 {len(content)} 字节，超过上限 10 字节"
    )
    assert not Attachment.objects.exists()


def test_signing_an_enforcement_check_alone_answers_422(county: County) -> None:
    inspection = fill(draft(county, enforcement=True), county.east_officer)
    refused = send(client_for(county.east_officer), "post", f"{API}/{inspection.pk}/sign", {})
    assert refused.status_code == 422
    assert refused.json()["errors"][0] == {
        "field": "team",
        "message": "执法检查须由两名以上执法人员进行（《行政处罚法》第四十二条），检查组现有 1 人",
    }


def test_a_signed_record_refuses_put_upload_delete_and_sign_then_is_amended(
    county: County,
) -> None:
    inspection = fill(draft(county), county.east_officer)
    client = client_for(county.east_officer)
    photo = client.post(
        f"{API}/{inspection.pk}/attachments", {"kind": "photo", "file": _named(png(), "a.png")}
    ).json()
    sign_inspection(inspection=inspection, officer=county.east_officer)
    path = f"{API}/{inspection.pk}"
    answers = [
        send(client, "put", path, {"revision": 2, "summary": "改"}),
        client.post(f"{path}/attachments", {"kind": "photo", "file": _named(png(), "b.png")}),
        client.delete(f"{path}/attachments/{photo['id']}"),
        send(client, "post", f"{path}/sign", {}),
    ]
    assert [a.status_code for a in answers] == [409, 409, 409, 409]
    assert all("签名，不能再" in a.json()["detail"] for a in answers)
    amended = send(client, "post", f"{path}/amend", {"reason": "签到时间记录有误"})
    assert amended.status_code == 201
    assert amended.json()["amends"] == inspection.pk and amended.json()["status"] == "draft"
    again = send(client, "post", f"{path}/amend", {"reason": "再次提出更正"})
    assert again.status_code == 409
    assert client.get(path).json()["amendments"] == [amended.json()["id"]]


def test_deleting_an_attachment_of_a_draft(county: County) -> None:
    inspection = draft(county)
    client = client_for(county.east_officer)
    photo = client.post(
        f"{API}/{inspection.pk}/attachments", {"kind": "photo", "file": _named(png(), "a.png")}
    ).json()
    assert client.delete(f"{API}/{inspection.pk}/attachments/{photo['id']}").status_code == 204
    assert not Attachment.objects.exists()


def test_opening_needs_exactly_one_of_task_and_entity(county: County) -> None:
    refused = send(client_for(county.east_officer), "post", API, {"kind": "onsite"})
    assert refused.status_code == 422
    assert refused.json()["detail"] == "task_id: 请指定任务（task_id）或市场主体（uscc）之一"


# Scope --------------------------------------------------------------------------------------------


def test_another_stations_officer_gets_404(county: County) -> None:
    inspection = fill(draft(county), county.east_officer)
    photo = (
        client_for(county.east_officer)
        .post(
            f"{API}/{inspection.pk}/attachments", {"kind": "photo", "file": _named(png(), "a.png")}
        )
        .json()
    )
    client = client_for(county.west_officer)
    path = f"{API}/{inspection.pk}"
    answers = [
        client.get(path),
        send(client, "put", path, {"revision": 2, "summary": "x"}),
        client.post(f"{path}/attachments", {"kind": "photo", "file": _named(png(), "b.png")}),
        client.get(f"{path}/attachments/{photo['id']}"),
        client.delete(f"{path}/attachments/{photo['id']}"),
        send(client, "post", f"{path}/sign", {}),
        send(client, "post", f"{path}/amend", {"reason": "跨所更正记录"}),
    ]
    assert [a.status_code for a in answers] == [404] * 7
    assert answers[0].json()["detail"] == "未找到，或不在您的辖区内"
    assert client.get(API).json()["count"] == 0
    inspection.refresh_from_db()
    assert inspection.summary == "证照齐全，经营正常" and Attachment.objects.count() == 1


def test_a_grid_officer_cannot_open_an_entity_or_task_outside_their_scope(
    county: County,
) -> None:
    entity = west_entity(county)
    client = client_for(county.east_officer)
    checklist = make_checklist()
    ad_hoc = send(client, "post", API, {"uscc": entity.uscc, "checklist_id": checklist.pk})
    assert ad_hoc.status_code == 404
    task = east_task(county, east_entity(county))
    Task.objects.filter(pk=task.pk).update(unit=county.west)
    from_task = send(client, "post", API, {"task_id": task.pk, "checklist_id": checklist.pk})
    assert from_task.status_code == 404
    assert not Inspection.objects.exists()


def test_someone_of_the_station_outside_the_team_gets_403(county: County) -> None:
    inspection = draft(county)
    outsider = client_for(second_officer(county))
    refused = send(outsider, "put", f"{API}/{inspection.pk}", {"revision": 1, "summary": "x"})
    assert refused.status_code == 403
    assert refused.json()["detail"] == "只有检查组成员或本单位所长可以修改该检查记录。"
    assert outsider.get(f"{API}/{inspection.pk}").status_code == 200


def test_without_a_checklist_the_one_in_force_for_the_industry_is_used(county: County) -> None:
    entity = east_entity(county)
    opened = send(client_for(county.east_officer), "post", API, {"uscc": entity.uscc})
    assert opened.status_code == 201, opened.json()
    record = opened.json()
    assert record["checklist_code"] and record["results"]
    assert record["kind"] == "onsite" and record["origin"] == "ad_hoc"


@pytest.mark.parametrize("query", ["status=bogus", "origin=bogus", "kind=bogus"])
def test_an_unknown_filter_value_is_refused_not_ignored(county: County, query: str) -> None:
    response = client_for(county.east_officer).get(f"{API}?{query}")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == query.split("=")[0]
