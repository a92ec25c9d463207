"""What a bureau met on first use (issue 9, items 1–4), in Chromium: an inspection saved after
the clock moved on, a director never asked to review his own record, 转立案查处 only for who
may open a case, and a station calendar whose every officer link opens."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.cases.test_case_open import rectification_of
from tests.conftest import County
from tests.e2e.conftest import PASSWORD, TIMEOUT_MS
from tests.e2e.test_browser import east_entity
from tests.inspections.factories import make_checklist
from tests.org.factories import OfficerFactory
from tests.oversight.test_reviews import MARCH, signed_in_march
from xiaoneng.inspections.models import Inspection
from xiaoneng.inspections.records.services import open_inspection
from xiaoneng.org.models import Role
from xiaoneng.oversight.reviews import services as director_reviews
from xiaoneng.oversight.reviews.models import DirectorReview
from xiaoneng.planning.patrol.models import Plan, Task
from xiaoneng.planning.patrol.services import period_of

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
ZONE = "Asia/Shanghai"  # the bureau's phones: the time inputs are in local time

Open = Callable[..., Any]


@pytest.fixture
def open_as(browser: Any, live_server: Any) -> Iterator[Open]:
    """A fresh browser context in Shanghai time, logged in as the user named; the page."""
    contexts: list[Any] = []

    def open_page(
        username: str, *, viewport: dict[str, int] | None = None, clock: Any = None
    ) -> Any:
        context = browser.new_context(
            base_url=live_server.url,
            locale="zh-CN",
            timezone_id=ZONE,
            viewport=viewport or {"width": 1280, "height": 900},
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        if clock is not None:
            page.clock.install(time=clock)
        page.goto("/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        with page.expect_navigation():
            page.click("button[type=submit]")
        return page

    yield open_page
    for context in contexts:
        context.close()


def local_input(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


# 1. The inspection form saves after the clock moved on ------------------------------------------


def test_an_inspection_saves_when_the_end_is_now_minutes_after_the_form_opened(
    e2e_county: County, open_as: Open
) -> None:
    draft = open_inspection(
        entity=east_entity(e2e_county),
        officer=e2e_county.east_officer,
        kind="onsite",
        origin=Inspection.Origin.AD_HOC,
        checklist=make_checklist(items=2),
    )
    opened = timezone.now()
    page = open_as("east_officer", viewport=PHONE, clock=opened)
    page.goto(f"/inspections/{draft.pk}/edit/")
    page.fill("#started_at", local_input(opened - dt.timedelta(minutes=30)))
    # The visit goes on; three minutes later the officer taps 现在 for the end time.
    page.clock.fast_forward("03:00")
    page.locator("[data-now-for=finished_at]").click()
    finished = page.input_value("#finished_at")
    assert finished > local_input(opened), finished
    assert page.eval_on_selector("#finished_at", "input => input.validity.valid")
    with page.expect_navigation():
        page.get_by_role("button", name="保存草稿").click()
    draft.refresh_from_db()
    assert draft.finished_at is not None
    assert local_input(draft.finished_at) == finished
    assert draft.revision == 2


# 2. A director is never asked to review a record he co-signed -----------------------------------


def test_a_director_is_told_the_division_reviews_his_own_record_and_the_division_does(
    e2e_county: County, open_as: Open
) -> None:
    # The east director is on the team of every record signed_in_march makes.
    signed_in_march(e2e_county, e2e_county.east_officer, 3)
    drawn = director_reviews.draw_reviews(unit=e2e_county.east, month=MARCH)
    review = drawn.reviews.get()

    director = open_as("east_director")
    director.goto(f"/reviews/?month={MARCH}")
    expect(director.get_by_test_id("own-reviews")).to_contain_text("由区局科室人员抽查")
    expect(director.get_by_test_id("officer-reviews")).to_have_count(0)
    director.get_by_test_id("own-reviews").locator("a").first.click()
    expect(director.get_by_test_id("own-record")).to_contain_text("不能抽查本人参与的检查记录")
    expect(director.get_by_test_id("review-form")).to_have_count(0)

    division = open_as("division")
    division.goto(f"/reviews/?month={MARCH}")
    expect(division.get_by_test_id("division-reviews")).to_have_count(1)
    division.goto(f"/reviews/{review.pk}/")
    division.fill("#method", "实地复核")
    with division.expect_navigation():
        division.get_by_role("button", name="提交抽查结论").click()
    expect(division.get_by_test_id("status")).to_have_text("属实规范")
    review.refresh_from_db()
    assert (review.status, review.reviewer) == (
        DirectorReview.Status.CONFIRMED,
        e2e_county.division_staff,
    )


# 3. 转立案查处 only for who may open a case -----------------------------------------------------------


def test_the_leader_is_not_offered_a_case_from_an_order_and_a_director_is(
    e2e_county: County, open_as: Open
) -> None:
    order = rectification_of(e2e_county, east_entity(e2e_county))
    leader = open_as("leader")
    leader.goto(f"/rectifications/{order.pk}/")
    expect(leader.locator("main")).to_contain_text(order.number)
    expect(leader.get_by_text("转立案查处")).to_have_count(0)

    director = open_as("east_director")
    director.goto(f"/rectifications/{order.pk}/")
    with director.expect_navigation():
        director.get_by_test_id("case-link").click()
    assert re.search(rf"/cases/new/\?rectification={order.pk}$", director.url), director.url
    expect(director.locator("form")).not_to_have_count(0)


# 4. Every officer link of the station calendar opens ---------------------------------------------


def test_the_station_calendar_links_only_officers_whose_calendar_opens(
    e2e_county: County, open_as: Open
) -> None:
    county = e2e_county
    today = timezone.localdate()
    moved = OfficerFactory(username="moved.officer-1", unit=county.east, roles=[Role.GRID_OFFICER])
    plan = Plan.objects.create(
        kind=Plan.Kind.PATROL, period=period_of(today), unit=county.east, title="巡查", capacity=6
    )
    for officer in (county.east_officer, moved):
        Task.objects.create(
            plan=plan,
            entity=east_entity(county, name=f"城东{officer.username}商店"),
            unit=county.east,
            period=plan.period,
            officer=officer,
            description="日常巡查",
            standard="按检查清单逐项检查",
            responsibility="责任区干部",
            scheduled_on=today,
            due_on=today,
        )
    moved.unit = county.west  # transferred after the plan was made
    moved.save()

    page = open_as("east_director")
    page.goto("/plans/calendar/station/S-E/")
    grid = page.get_by_test_id("station-grid")
    expect(grid.get_by_test_id("unlinked-officer")).to_have_text(str(moved))
    hrefs = [a.get_attribute("href") for a in grid.locator("a").all()]
    assert hrefs and not any("moved.officer-1" in href for href in hrefs)
    for href in hrefs:
        response = page.goto(href)
        assert response is not None and response.status == 200, href
