"""Without signal (issue 15): the installable app opens offline, records and signs an
inspection with a photo and the party's signature, and syncs it once when the signal returns."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from typing import Any

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from tests.conftest import County
from tests.e2e.test_browser import Login, east_entity
from xiaoneng.inspections.models import Attachment, Inspection, PartySignature, SyncReceipt
from xiaoneng.planning.patrol.models import Plan, Task
from xiaoneng.planning.policy import services as policies

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def planned_task(county: County) -> Task:
    entity = east_entity(county)
    today = timezone.localdate()
    period = today.strftime("%Y-%m")
    plan = Plan.objects.create(
        kind=Plan.Kind.PATROL, period=period, unit=county.east, title="巡查计划",
        policy=policies.policy_in_force(), capacity=6,
    )  # fmt: skip
    return Task.objects.create(
        plan=plan, entity=entity, officer=county.east_officer, grid=county.east_grid,
        unit=county.east, period=period, description="日常巡查", standard="按清单检查",
        responsibility="责任区干部", scheduled_on=today, due_on=today + dt.timedelta(days=5),
    )  # fmt: skip


def photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (180, 40, 40)).save(buffer, format="JPEG")
    return buffer.getvalue()


def draw(page: Any, selector: str) -> None:
    page.locator(selector).scroll_into_view_if_needed()
    box = page.locator(selector).bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + 20, box["y"] + 30)
    page.mouse.down()
    for step in range(1, 16):
        page.mouse.move(box["x"] + 20 + step * 15, box["y"] + 30 + (step % 4) * 12)
    page.mouse.up()


def test_an_officer_records_and_signs_offline_and_it_syncs_once(
    e2e_county: County, page: Any, login: Login
) -> None:
    task = planned_task(e2e_county)
    entity = task.entity
    page.set_viewport_size(PHONE)
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation(
        {"longitude": entity.longitude, "latitude": entity.latitude, "accuracy": 8}
    )
    login("east_officer")

    # With signal: the app downloads the pack and its worker keeps the page on the phone.
    page.goto("/inspections/field/")
    card = page.locator(f"[data-task='{task.pk}']")
    expect(card).to_contain_text(entity.name)
    expect(card.locator("[data-state]")).to_have_text("未录入")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")

    # No signal: the page still opens, from the phone.
    page.context.set_offline(True)
    page.reload()
    expect(page.locator("[data-field-network]")).to_contain_text("离线")
    page.locator(f"[data-task='{task.pk}']").click()
    items = page.locator("[data-item]")
    expect(items.first).to_be_visible()
    count = items.count()
    assert count > 0
    # Signing with an item unanswered and no check-in is refused on the phone.
    page.get_by_role("button", name="完成检查并签名，加入同步队列").click()
    expect(page.locator("[data-field-notice]")).to_contain_text("以下检查事项尚无结论")
    expect(page.locator("[data-field-notice]")).to_contain_text("实地检查须在现场签到")
    for index in range(count):
        items.nth(index).locator("label", has_text="符合").first.click()
    items.nth(0).locator("textarea").fill("证照齐全")
    page.get_by_role("button", name="获取当前位置").click()
    expect(page.locator("[data-field-checkin]")).to_contain_text("已签到")
    content = photo()
    page.set_input_files(
        "[data-field-photos]",
        files=[{"name": "门头.jpg", "mimeType": "image/jpeg", "buffer": content}],
    )
    expect(page.locator("[data-field-thumbs] figure")).to_have_count(1)
    page.fill("[name=signer_name]", "张三")
    page.fill("[name=signer_role]", "负责人")
    page.fill("[name=statement]", "以上情况属实")
    draw(page, "[data-testid=field-party-pad]")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
    page.get_by_role("button", name="完成检查并签名，加入同步队列").click()
    expect(page.locator("[data-field-notice]")).to_contain_text("已加入同步队列")
    expect(page.locator("[data-field-queue]")).to_contain_text("待同步 1 条")
    assert not Inspection.objects.filter(task=task).exists()

    # The signal returns: the queue is sent by itself, and the outcome shown.
    page.context.set_offline(False)
    outcome = page.locator(f"[data-entry='{task.pk}']")
    expect(outcome).to_contain_text("已同步：检查记录", timeout=20_000)
    expect(outcome).to_contain_text("已签名")
    expect(page.locator("[data-field-queue]")).to_contain_text("没有待同步的记录")

    record = Inspection.objects.get(task=task)
    assert record.status == Inspection.Status.SIGNED
    assert record.checkin_longitude == pytest.approx(entity.longitude)
    photos = list(Attachment.objects.filter(inspection=record))
    assert [p.sha256 for p in photos] == [hashlib.sha256(content).hexdigest()]
    party = PartySignature.objects.get(inspection=record)
    assert (party.signer_name, party.statement, party.refused) == ("张三", "以上情况属实", False)
    assert SyncReceipt.objects.filter(inspection=record).count() == 1

    # Syncing again (the officer presses the button) writes nothing twice.
    page.get_by_role("button", name="立即同步").click()
    expect(page.locator("[data-field-queue]")).to_contain_text("没有待同步的记录")
    assert Inspection.objects.filter(task=task).count() == 1
    assert SyncReceipt.objects.count() == 1
