"""Offline inspections synced from the phone (``records.sync``): applied whole or not at all,
a retry answered from its receipt, conflicts and refusals item by item, the late-sync flag."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from PIL import Image

from tests.conftest import County
from tests.inspections.factories import make_checklist, signature_png
from tests.inspections.records.helpers import draft, east_entity, east_task, second_officer
from xiaoneng.core import audit
from xiaoneng.core.errors import InvalidInput
from xiaoneng.core.models import AuditEvent
from xiaoneng.inspections.models import (
    Attachment,
    Inspection,
    PartySignature,
    SyncReceipt,
    TraceFlag,
)
from xiaoneng.inspections.records.drafts import save_draft
from xiaoneng.inspections.records.services import local_time
from xiaoneng.inspections.records.signing import sign_inspection
from xiaoneng.inspections.records.sync import sync_batch
from xiaoneng.org.models import Officer

pytestmark = pytest.mark.usefixtures("media")


def jpeg(shade: int) -> bytes:
    """A small photo, different for each ``shade``."""
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (shade % 256, (shade * 7) % 256, 90)).save(buffer, "JPEG")
    return buffer.getvalue()


def photo(shade: int, name: str | None = None) -> dict[str, Any]:
    content = jpeg(shade)
    return {
        "client_id": str(uuid.uuid4()),
        "name": name or f"现场{shade}.jpg",
        "sha256": hashlib.sha256(content).hexdigest(),
        "data": base64.b64encode(content).decode(),
    }


def captured(hours_ago: float = 1.0) -> dt.datetime:
    return timezone.now() - dt.timedelta(hours=hours_ago)


def draft_values(record: Inspection, start: dt.datetime) -> dict[str, Any]:
    """Every item passed, a 40-minute visit from ``start``."""
    items = record.checklist.items.order_by("position").values_list("pk", flat=True)
    return {
        "results": [{"item": pk, "result": "pass", "note": ""} for pk in items],
        "started_at": start,
        "finished_at": start + dt.timedelta(minutes=40),
        "summary": "证照齐全，经营正常",
    }


def position(record: Inspection) -> dict[str, Any]:
    return {
        "longitude": record.entity.longitude,
        "latitude": record.entity.latitude,
        "accuracy": 9.0,
    }


def offline(
    record: Inspection,
    *,
    hours_ago: float = 1.0,
    photos: int = 0,
    sign: bool = False,
    **extra: Any,
) -> dict[str, Any]:
    """An item filling the draft ``record`` at the revision the device holds."""
    start = captured(hours_ago)
    item: dict[str, Any] = {
        "client_id": str(uuid.uuid4()),
        "inspection_id": record.pk,
        "revision": record.revision,
        "captured_at": start,
        "position": position(record),
        "draft": draft_values(record, start),
        "photos": [photo(record.pk * 100 + n) for n in range(photos)],
    }
    if sign:
        item["sign"] = {"at": start + dt.timedelta(minutes=45)}
    item.update(extra)
    return item


def state(record: Inspection) -> tuple[Any, ...]:
    """What a refused or conflicting item must leave as it was."""
    record.refresh_from_db()
    return (
        record.revision,
        record.status,
        record.summary,
        Attachment.objects.filter(inspection=record).count(),
        SyncReceipt.objects.count(),
        AuditEvent.objects.count(),
    )


# Applied ---------------------------------------------------------------------------------------


def test_an_offline_inspection_is_applied_and_signed_with_the_device_times(
    county: County, media: Path
) -> None:
    record = draft(county, entity=east_entity(county))
    item = offline(record, hours_ago=5, photos=2, sign=True)
    item["party_signature"] = {
        "signer_name": "王五",
        "signer_role": "负责人",
        "statement": "以上情况属实",
        "image": "data:image/png;base64," + base64.b64encode(signature_png()).decode(),
    }
    [answer] = sync_batch(officer=county.east_officer, items=[item])
    record.refresh_from_db()
    assert answer["outcome"] == "applied", answer
    assert (answer["inspection_id"], answer["revision"], answer["status"]) == (
        record.pk,
        record.revision,
        "signed",
    )
    assert answer["detail"] == (
        f"已同步：检查记录 #{record.pk}（城东便民超市），已签名，修订号 {record.revision}"
    )
    assert answer["late_sync"] is False and answer["errors"] == []
    # The device's times, never the server's.
    assert record.checkin_at == item["captured_at"]
    assert record.signed_at == item["sign"]["at"]
    assert record.team.get().signed_at == item["sign"]["at"]
    assert record.visited_on == timezone.localdate(item["captured_at"])
    assert (record.checkin_longitude, record.checkin_accuracy) == (record.entity.longitude, 9.0)
    party = PartySignature.objects.get(inspection=record)
    assert party.captured_at == item["captured_at"] and party.signer_name == "王五"
    stored = {a.sha256: a for a in Attachment.objects.filter(inspection=record)}
    assert [p["sha256"] for p in answer["photos"]] == [p["sha256"] for p in item["photos"]]
    assert [p["client_id"] for p in answer["photos"]] == [p["client_id"] for p in item["photos"]]
    for sent in item["photos"]:
        kept = stored[sent["sha256"]]
        assert (media / kept.file.name).read_bytes() == base64.b64decode(sent["data"])
    receipt = SyncReceipt.objects.get()
    assert (receipt.officer, str(receipt.client_id), receipt.inspection) == (
        county.east_officer,
        item["client_id"],
        record,
    )
    assert receipt.captured_at == item["captured_at"] and receipt.outcome == answer
    assert not TraceFlag.objects.filter(kind=TraceFlag.Kind.LATE_SYNC).exists()


def test_a_retried_item_answers_its_first_outcome_and_writes_nothing(county: County) -> None:
    record = draft(county)
    item = offline(record, photos=1)
    [first] = sync_batch(officer=county.east_officer, items=[item])
    assert first["outcome"] == "applied"
    before = state(record)
    [again] = sync_batch(officer=county.east_officer, items=[item])
    assert state(record) == before
    assert again["outcome"] == "duplicate"
    receipt = SyncReceipt.objects.get()
    assert again["detail"] == (
        f"该离线记录已于 {local_time(receipt.received_at)} 同步（检查记录 #{record.pk}），"
        "本次未重复写入"
    )
    keep = ("inspection_id", "revision", "status", "photos", "client_id", "late_sync")
    assert {k: again[k] for k in keep} == {k: first[k] for k in keep}
    assert again["synced_at"] == receipt.received_at.isoformat()


def test_the_same_client_id_of_another_officer_is_another_item(county: County) -> None:
    record = draft(county, team=[second_officer(county)])
    item = offline(record)
    [mine] = sync_batch(officer=county.east_officer, items=[item])
    other = Officer.objects.get(username="east_second")
    [theirs] = sync_batch(
        officer=other, items=[{**item, "revision": mine["revision"], "draft": {"summary": "复核"}}]
    )
    assert (mine["outcome"], theirs["outcome"]) == ("applied", "applied")
    assert SyncReceipt.objects.count() == 2


def test_an_ad_hoc_inspection_is_opened_from_the_entity_captured_offline(county: County) -> None:
    entity = east_entity(county)
    checklist = make_checklist(items=2)
    start = captured(30)
    items = checklist.items.order_by("position").values_list("pk", flat=True)
    item = {
        "client_id": str(uuid.uuid4()),
        "uscc": entity.uscc.lower(),
        "checklist_id": checklist.pk,
        "captured_at": start,
        "position": {
            "longitude": entity.longitude,
            "latitude": entity.latitude,
            "at": start + dt.timedelta(minutes=2),
        },
        "draft": {
            "results": [{"item": pk, "result": "pass"} for pk in items],
            "started_at": start,
            "finished_at": start + dt.timedelta(minutes=30),
        },
        "photos": [photo(1)],
    }
    [answer] = sync_batch(officer=county.east_officer, items=[item])
    assert answer["outcome"] == "applied", answer
    record = Inspection.objects.get(pk=answer["inspection_id"])
    assert (record.entity, record.origin, record.status) == (entity, "ad_hoc", "draft")
    assert record.lead_officer == county.east_officer
    assert record.visited_on == timezone.localdate(start)
    assert record.checkin_at == start + dt.timedelta(minutes=2)  # the position's own time
    assert record.checkin_longitude == entity.longitude


def test_a_task_captured_offline_opens_its_inspection(county: County) -> None:
    entity = east_entity(county)
    period = timezone.localdate().strftime("%Y-%m")
    task = east_task(county, entity, period=period)
    task.scheduled_on = timezone.localdate()
    task.save()
    checklist = make_checklist(items=1)
    item = {
        "client_id": str(uuid.uuid4()),
        "task_id": task.pk,
        "checklist_id": checklist.pk,
        "captured_at": captured(1),
        "draft": {"summary": "离线检查"},
    }
    [answer] = sync_batch(officer=county.east_officer, items=[item])
    assert answer["outcome"] == "applied", answer
    record = Inspection.objects.get(pk=answer["inspection_id"])
    assert (record.task, record.origin, record.summary) == (task, "patrol", "离线检查")
    # The task's draft exists now: another offline capture of it conflicts.
    [again] = sync_batch(
        officer=county.east_officer, items=[{**item, "client_id": str(uuid.uuid4())}]
    )
    assert again["outcome"] == "conflict"
    assert again["errors"][0]["field"] == "task_id"
    assert again["detail"].startswith(f"该任务已有检查记录草稿 #{record.pk}（")


# Conflicts ----------------------------------------------------------------------------------------


def test_a_stale_revision_conflicts_and_writes_nothing(county: County) -> None:
    record = draft(county)
    item = offline(record, photos=1)
    save_draft(inspection=record, officer=county.east_director, revision=record.revision, values={})
    before = state(record)
    [answer] = sync_batch(officer=county.east_officer, items=[item])
    assert state(record) == before
    record.refresh_from_db()
    message = (
        f"该草稿已被 {county.east_director} 于 {local_time(record.updated_at, '%H:%M')} 修改，"
        "请刷新后再编辑；您的修改未保存"
    )
    assert answer["outcome"] == "conflict"
    assert answer["detail"] == message
    assert answer["errors"] == [{"field": "revision", "message": message}]
    assert answer["inspection_id"] is None and answer["photos"] == []


def test_a_record_signed_elsewhere_conflicts_naming_who_and_when(county: County) -> None:
    record = draft(county)
    item = offline(record, photos=1, sign=True)
    values = draft_values(record, captured(3))
    values["results"] = {row["item"]: {"result": "pass"} for row in values["results"]}
    values |= {
        "checkin_at": captured(3),
        "checkin_longitude": record.entity.longitude,
        "checkin_latitude": record.entity.latitude,
    }
    record = save_draft(
        inspection=record, officer=county.east_officer, revision=record.revision, values=values
    )
    signed = sign_inspection(inspection=record, officer=county.east_officer)
    before = state(record)
    [answer] = sync_batch(officer=county.east_officer, items=[item])
    assert state(record) == before
    message = (
        f"检查记录 #{record.pk} 已由 {county.east_officer} 于 {local_time(signed.signed_at)} "
        "签名，离线修改未同步；如需更正，请提出更正"
    )
    assert answer["outcome"] == "conflict"
    assert answer["errors"] == [{"field": "inspection_id", "message": message}]


# Refused, the rest kept ----------------------------------------------------------------------------


def test_a_tampered_photo_is_refused_and_the_other_items_apply(county: County) -> None:
    first, bad, last = (draft(county) for _ in range(3))
    tampered = offline(bad, photos=2)
    tampered["photos"][1]["sha256"] = hashlib.sha256(b"another photo").hexdigest()
    tampered["photos"][1]["name"] = "货架.jpg"
    before = state(bad)
    answers = sync_batch(
        officer=county.east_officer,
        items=[offline(first, photos=1), tampered, offline(last, photos=1)],
    )
    assert [a["outcome"] for a in answers] == ["applied", "refused", "applied"]
    message = "照片“货架.jpg”的内容与其 SHA-256 不符，可能在传输中损坏或被篡改，未同步"
    assert answers[1]["detail"] == message
    assert answers[1]["errors"] == [{"field": "photos.1.sha256", "message": message}]
    bad.refresh_from_db()
    assert (bad.revision, bad.summary, bad.attachments.count()) == (before[0], "", 0)
    assert SyncReceipt.objects.count() == 2
    assert Attachment.objects.filter(inspection__in=[first, last]).count() == 2
    # Corrected (a new capture, its own id), the item applies.
    [fixed] = sync_batch(officer=county.east_officer, items=[offline(bad, photos=2)])
    assert fixed["outcome"] == "applied"


def test_a_photo_that_is_no_image_is_refused_by_the_attachment_rule(county: County) -> None:
    record = draft(county)
    item = offline(record)
    content = b"not a photo at all"
    item["photos"] = [
        {
            "client_id": str(uuid.uuid4()),
            "name": "x.jpg",
            "sha256": hashlib.sha256(content).hexdigest(),
            "data": base64.b64encode(content).decode(),
        }
    ]
    before = state(record)
    [answer] = sync_batch(officer=county.east_officer, items=[item])
    assert state(record) == before  # the draft's values went back with the photo
    message = "文件“x.jpg”不是可识别的图片，现场照片须为 JPEG、PNG、WebP 等格式"
    assert answer["outcome"] == "refused"
    assert answer["errors"] == [{"field": "photos.0", "message": message}]


def test_device_times_in_the_future_are_refused(county: County) -> None:
    record = draft(county)
    later = timezone.now() + dt.timedelta(minutes=30)
    before = state(record)
    answers = sync_batch(
        officer=county.east_officer,
        items=[
            offline(record, captured_at=later),
            offline(record, sign=True) | {"sign": {"at": later}},
        ],
    )
    assert state(record) == before
    assert [a["outcome"] for a in answers] == ["refused", "refused"]
    [captured_error] = answers[0]["errors"]
    assert captured_error["field"] == "captured_at"
    assert captured_error["message"].startswith(f"采集时间 {local_time(later)} 晚于服务器时间 ")
    assert captured_error["message"].endswith("，请校准手机时间后再同步")
    assert answers[1]["errors"][0]["field"] == "sign.at"
    assert answers[1]["errors"][0]["message"].startswith(f"签名时间 {local_time(later)} 晚于")


def test_a_bad_draft_value_is_refused_naming_its_field(county: County) -> None:
    record = draft(county)
    item = offline(record)
    item["draft"]["results"][0] = {"item": item["draft"]["results"][0]["item"], "result": "fail"}
    before = state(record)
    [answer] = sync_batch(officer=county.east_officer, items=[item])
    assert state(record) == before
    assert answer["outcome"] == "refused"
    [error] = answer["errors"]
    assert error["field"].startswith("draft.results.")
    assert error["message"].endswith("不符合，请在说明中写明存在的问题")


def test_an_officer_cannot_sync_into_another_units_draft(county: County) -> None:
    record = draft(county)
    before = state(record)
    answers = sync_batch(
        officer=county.west_officer,
        items=[offline(record), offline(record, inspection_id=None, uscc=record.entity.uscc)],
    )
    assert state(record) == before
    assert [a["outcome"] for a in answers] == ["refused", "refused"]
    assert answers[0]["errors"] == [
        {"field": "inspection_id", "message": f"检查记录 #{record.pk} 不存在，或不在您的辖区内"}
    ]
    assert answers[1]["errors"] == [
        {
            "field": "uscc",
            "message": f"市场主体 {record.entity.uscc} 不存在，或不在您的辖区内",
        }
    ]


# Late sync -------------------------------------------------------------------------------------


def test_a_sync_long_after_the_capture_raises_the_late_sync_flag(county: County) -> None:
    record = draft(county)
    item = offline(record, hours_ago=80, photos=1, sign=True)
    received = timezone.now()
    [answer] = sync_batch(officer=county.east_officer, items=[item], received_at=received)
    assert answer["outcome"] == "applied" and answer["status"] == "signed", answer
    assert answer["late_sync"] is True
    flag = TraceFlag.objects.get(kind=TraceFlag.Kind.LATE_SYNC)
    assert (flag.inspection_id, flag.unit, flag.status) == (record.pk, county.east, "open")
    assert flag.raised_at == received
    assert flag.detail == (
        f"离线记录于 {local_time(item['captured_at'])} 采集，{local_time(received)} 才同步，"
        "相隔 80 小时（阈值 72 小时）"
    )
    [event] = audit.history(flag)
    assert event.actor is None and event.reason == "离线同步时自动发现"
    # The signature kept the device's time: not late by the trace's own rule.
    assert not TraceFlag.objects.filter(kind=TraceFlag.Kind.LATE_RECORD).exists()


def test_the_late_sync_threshold_is_a_setting(county: County, settings: Any) -> None:
    settings.TRACE_CHECKS = {**settings.TRACE_CHECKS, "max_sync_delay_hours": 2}
    on_time, late = draft(county), draft(county)
    answers = sync_batch(
        officer=county.east_officer,
        items=[offline(on_time, hours_ago=1.5), offline(late, hours_ago=2.5)],
    )
    assert [a["late_sync"] for a in answers] == [False, True]
    assert list(TraceFlag.objects.values_list("inspection_id", "kind")) == [(late.pk, "latesync")]


# Malformed batches ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("items", "field", "message"),
    [
        ("items", "items", "应为列表"),
        ([{"client_id": "not-a-uuid"}], "items.0.client_id", "应为 UUID：not-a-uuid"),
        ([7], "items.0", "应为对象"),
        (
            [{"client_id": "6f1c1c0e-0000-4000-8000-000000000001"}] * 2,
            "items.1.client_id",
            "同一批次中 client_id 重复：6f1c1c0e-0000-4000-8000-000000000001",
        ),
        (
            [{"client_id": str(uuid.uuid4())} for _ in range(51)],
            "items",
            "一次最多同步 50 条离线记录，本批有 51 条，请分批同步",
        ),
    ],
)
def test_a_malformed_batch_is_refused_whole(
    county: County, items: Any, field: str, message: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        sync_batch(officer=county.east_officer, items=items)
    assert refused.value.errors[0].field == field
    assert refused.value.errors[0].message == message
    assert not SyncReceipt.objects.exists() and not Inspection.objects.exists()


def test_the_trace_checks_run_again_over_a_record_with_a_late_sync_flag(county: County) -> None:
    from xiaoneng.inspections.trace.services import check

    record = draft(county)
    item = offline(record, hours_ago=80, sign=True)
    item["draft"]["finished_at"] = item["draft"]["started_at"] + dt.timedelta(minutes=2)
    [answer] = sync_batch(officer=county.east_officer, items=[item])
    assert answer["status"] == "signed" and answer["late_sync"] is True
    check()  # the short visit is flagged again (nothing new): the late-sync flag is left alone
    kinds = set(TraceFlag.objects.filter(inspection=record).values_list("kind", flat=True))
    assert kinds == {"short", "latesync"}


def test_a_retry_racing_the_first_attempt_answers_duplicate(
    county: County, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two requests carry the same item; the second looked before the first committed: its
    receipt hits the unique key, it writes nothing and answers the first outcome."""
    from xiaoneng.inspections.records import sync

    record = draft(county)
    item = offline(record, photos=1)
    [first] = sync_batch(officer=county.east_officer, items=[item])
    before = state(record)
    monkeypatch.setattr(sync, "receipt_of", lambda officer, client_id: None)
    [second] = sync_batch(officer=county.east_officer, items=[item])
    assert state(record) == before
    assert second["outcome"] == "duplicate" and second["inspection_id"] == first["inspection_id"]


def test_a_photo_the_record_holds_already_is_not_attached_twice(county: County) -> None:
    record = draft(county)
    item = offline(record, photos=1)
    item["photos"].append({**item["photos"][0], "client_id": str(uuid.uuid4())})
    [answer] = sync_batch(officer=county.east_officer, items=[item])
    assert answer["outcome"] == "applied"
    [kept] = Attachment.objects.filter(inspection=record)
    assert [p["attachment_id"] for p in answer["photos"]] == [kept.pk, kept.pk]


def test_a_capture_time_that_is_no_time_is_refused(county: County) -> None:
    record = draft(county)
    [answer] = sync_batch(
        officer=county.east_officer, items=[offline(record, captured_at="2026-13-45T10:00")]
    )
    assert answer["outcome"] == "refused"
    assert answer["errors"] == [
        {"field": "captured_at", "message": "采集时间应为 ISO 8601 格式的时间：2026-13-45T10:00"}
    ]
