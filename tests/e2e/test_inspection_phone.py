"""On a phone: fill an inspection record at the door, check in from the device, sign."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.conftest import County
from tests.e2e.test_browser import Login, east_entity
from tests.inspections.factories import make_checklist
from xiaoneng.inspections.models import Finding, Inspection, PartySignature
from xiaoneng.inspections.records.services import open_inspection

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def local_input(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_a_grid_officer_fills_checks_in_and_signs_on_a_phone(
    e2e_county: County, page: Any, login: Login
) -> None:
    entity = east_entity(e2e_county)
    draft = open_inspection(
        entity=entity,
        officer=e2e_county.east_officer,
        kind="onsite",
        origin=Inspection.Origin.AD_HOC,
        checklist=make_checklist(items=3),
    )
    page.set_viewport_size(PHONE)
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation(
        {"longitude": entity.longitude, "latitude": entity.latitude, "accuracy": 12}
    )
    login("east_officer")

    page.goto(f"/inspections/{draft.pk}/edit/")
    page.click("#checkin")
    expect(page.get_by_test_id("checkin-result")).to_contain_text("已签到")
    now = timezone.now()
    page.fill("#started_at", local_input(now - dt.timedelta(minutes=40)))
    page.fill("#finished_at", local_input(now - dt.timedelta(minutes=5)))
    items = page.get_by_test_id("item")
    expect(items).to_have_count(3)
    items.nth(0).locator("label", has_text="符合").first.click()
    items.nth(1).locator("label", has_text="不符合").click()
    items.nth(1).locator("textarea").fill("未建立进货查验记录")
    items.nth(2).locator("label", has_text="不适用").click()
    # Nothing sticks out sideways on a phone: the page scrolls only up and down.
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width

    with page.expect_navigation():
        page.get_by_test_id("sign").click()

    expect(page.locator("main")).to_contain_text("已签名")
    draft.refresh_from_db()
    assert draft.status == Inspection.Status.SIGNED
    assert draft.checkin_longitude == pytest.approx(entity.longitude)
    assert list(Finding.objects.filter(inspection=draft).values_list("description", flat=True)) == [
        "未建立进货查验记录"
    ]


def test_the_rest_all_pass_answers_only_blank_items_and_leaving_asks_first(
    e2e_county: County, page: Any, login: Login
) -> None:
    draft = open_inspection(
        entity=east_entity(e2e_county),
        officer=e2e_county.east_officer,
        kind="onsite",
        origin=Inspection.Origin.AD_HOC,
        checklist=make_checklist(items=4),
    )
    login("east_officer")
    page.goto(f"/inspections/{draft.pk}/edit/")
    items = page.get_by_test_id("item")
    items.nth(1).locator("label", has_text="不符合").click()
    items.nth(1).locator("textarea").fill("未公示营业执照")
    items.nth(2).locator("label", has_text="不适用").click()
    page.get_by_test_id("all-pass").click()
    checked = [
        items.nth(n).locator("input[type=radio]:checked").get_attribute("value")
        for n in range(items.count())
    ]
    assert checked == ["pass", "fail", "na", "pass"]
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.get_by_role("link", name="← 检查记录").click()
    # Leaving with the form changed asks first (dismissed here: the page stays).
    expect(page.get_by_test_id("inspection-form")).to_be_visible()
    assert dialogs == ["beforeunload"]
    with page.expect_navigation():
        page.get_by_role("button", name="保存草稿").click()
    results = draft.results.order_by("item__position").values_list("result", flat=True)
    assert list(results) == ["pass", "fail", "na", "pass"]


def test_the_party_signs_with_a_finger_or_refuses_before_a_witness(
    e2e_county: County, page: Any, login: Login, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    draft = open_inspection(
        entity=east_entity(e2e_county),
        officer=e2e_county.east_officer,
        kind="onsite",
        origin=Inspection.Origin.AD_HOC,
        checklist=make_checklist(items=3),
    )
    page.set_viewport_size(PHONE)
    login("east_officer")
    page.goto(f"/inspections/{draft.pk}/")
    # Saved with an empty box: refused by name, what was typed kept.
    page.fill("#party-signer", "王五")
    page.fill("#party-statement", "以上情况属实")
    with page.expect_navigation():
        page.get_by_role("button", name="保存当事人签名").click()
    expect(page.get_by_test_id("party-signature")).to_contain_text("请当事人在签名框内签名")
    assert page.input_value("#party-signer") == "王五"
    # The party draws a stroke across the box.
    canvas = page.locator("canvas.party-pad")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + box["height"] / 2)
    page.mouse.down()
    for step in range(1, 25):
        page.mouse.move(box["x"] + 20 + step * 12, box["y"] + box["height"] / 2 + (-1) ** step * 30)
    page.mouse.up()
    with page.expect_navigation():
        page.get_by_role("button", name="保存当事人签名").click()
    expect(page.locator("main")).to_contain_text("已记录当事人 王五 的签名。")
    signature = PartySignature.objects.get(inspection=draft)
    with signature.image.open("rb") as stored:
        data = stored.read()
    assert data.startswith(b"\x89PNG") and hashlib.sha256(data).hexdigest() == signature.sha256
    expect(page.get_by_test_id("party-sha256")).to_have_text(signature.sha256)
    # Recorded again as a refusal: the box gives way to the witness's fields.
    page.locator("summary", has_text="重新记录当事人签名").click()
    page.check("#party-refuses")
    expect(page.locator("canvas.party-pad")).to_be_hidden()
    page.fill("#party-signer", "王五")
    page.fill("#party-witness", "赵六")
    with page.expect_navigation():
        page.get_by_role("button", name="保存当事人签名").click()
    expect(page.get_by_test_id("party-refused")).to_contain_text("拒绝签名")
    assert PartySignature.objects.get(inspection=draft).witness_name == "赵六"
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
