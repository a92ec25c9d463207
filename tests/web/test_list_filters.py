"""Every list page refuses a filter value it does not know the same way (``core.pages.
known_filters``, the page side of ADR 0015): it answers 200 with the list as if the filter had
not been given, and a message at the top names what was not understood.

``LISTS`` is the one table of list pages and their filters of choices; a new list with a
filter of choices gets a row here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from tests.scoping.world import World, build_world

pytestmark = pytest.mark.django_db

UNKNOWN = "bogus"


@dataclass(frozen=True)
class ListPage:
    """A list page (a URL name, with the world's record ``record`` as its pk) and its filters
    of choices: parameter → the name the message gives it."""

    name: str
    filters: dict[str, str]
    record: str | None = None

    def url(self, world: World) -> str:
        kwargs = {"pk": world.east[self.record].pk} if self.record else {}
        return reverse(self.name, kwargs=kwargs)


LISTS = [
    ListPage(
        "registry:entity_list",
        {
            "grid": "网格",
            "risk_class": "风险类别",
            "credit_grade": "信用等级",
            "status": "登记状态",
            "hot_industry": "重热点",
            "include_archived": "含已归档",
        },
    ),
    ListPage("registry:unclaimed", {"overdue": "已逾期", "mine": "我的网格"}),
    ListPage("registry:credit_list", {"status": "状态"}),
    ListPage(
        "inspections:inspection_list",
        {
            "unit": "单位",
            "origin": "来源",
            "kind": "方式",
            "status": "状态",
            "date_from": "检查日期自",
            "date_to": "检查日期至",
            "failed": "有不符合项",
        },
    ),
    ListPage("inspections:checklist_list", {"kind": "方式"}),
    ListPage(
        "inspections:trace_flag_list",
        {
            "kind": "疑点",
            "status": "状态",
            "unit": "单位",
            "date_from": "检查日期自",
            "date_to": "检查日期至",
        },
    ),
    ListPage("inspections:finding_list", {"status": "状态", "severity": "严重程度"}),
    ListPage("inspections:rectification_list", {"state": "状态"}),
    ListPage("inspections:exit_list", {"status": "状态"}),
    ListPage("inspections:unlicensed_list", {"status": "状态"}),
    ListPage("inspections:sampling_plans", {"year": "年度", "category": "产品类别"}),
    ListPage("inspections:sampling_plan_detail", {"result": "检验结论"}, "sampling_plan"),
    ListPage("inspections:sampling_follow_ups", {"state": "状态"}),
    ListPage("inspections:sampling_rates", {"year": "年度"}),
    ListPage(
        "cases:case_list",
        {
            "status": "状态",
            "kind": "案件类别",
            "major": "大要案",
            "unit": "承办单位",
            "year": "年度",
            "warning": "办案时限",
        },
    ),
    ListPage("cases:target_list", {"year": "年度"}),
    ListPage("planning:plan_list", {"kind": "计划类型"}),
    ListPage("planning:plan_detail", {"status": "任务状态"}, "plan"),
    ListPage("planning:campaign_detail", {"status": "任务状态"}, "campaign"),
    ListPage("planning:due_list", {"overdue": "只看逾期", "all": "辖区全部"}),
    ListPage("planning:draw_list", {"status": "状态", "overdue": "仅逾期未公示"}),
    ListPage("oversight:supervision_list", {"status": "状态", "unit": "承办单位"}),
    ListPage("oversight:review_list", {"status": "状态"}),
    ListPage(
        "timeliness:service_case_list",
        {
            "status": "状态",
            "item": "服务事项",
            "unit": "办理单位",
            "warning": "预警",
            "overdue": "已超期",
            "breach": "违反一次性告知",
        },
    ),
    ListPage(
        "timeliness:complaint_list",
        {
            "kind": "类别",
            "channel": "来源渠道",
            "topic": "涉及领域",
            "status": "状态",
            "unit": "承办单位",
            "overdue": "只看逾期",
        },
    ),
    ListPage(
        "timeliness:accountability_list", {"kind": "问责方式", "unit": "单位", "year": "年度"}
    ),
    ListPage(
        "timeliness:callback_list",
        {
            "status": "状态",
            "channel": "回访方式",
            "kind": "回访对象",
            "month": "月份",
            "unit": "单位",
        },
    ),
    ListPage("timeliness:callback_problem_list", {"status": "状态", "unit": "单位"}),
    ListPage("timeliness:callback_rounds", {"month": "月份"}),
    ListPage("timeliness:satisfaction", {"from": "开始日期", "to": "结束日期"}),
    ListPage(
        "timeliness:warning_list",
        {
            "level": "预警",
            "escalation": "督办层级",
            "state": "状态",
            "unit": "承办单位",
            "mine": "我的",
        },
    ),
]

CASES = [(page, name) for page in LISTS for name in page.filters]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[World]:  # type: ignore[no-untyped-def]
    """The scoping test's world (a record of every kind), written once for the module."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def _client(world: World) -> Client:
    client = Client()
    client.force_login(world.county.admin)
    return client


def _unknown_message(label: str, value: str = UNKNOWN) -> str:
    return f"未识别的筛选条件：{label} = {value}，已忽略"


def _list_of(html: str) -> str:
    """The page without what differs on every request (tokens, nonces), the message, and the
    address the language switch returns to."""
    html = re.sub(
        r'<div class="alert[^"]*"[^>]*>\s*未识别的筛选条件.*?</div>', "", html, flags=re.S
    )
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    html = re.sub(r'"X-CSRFToken": "[^"]*"', "", html)
    html = re.sub(r'<input name="next" type="hidden" value="[^"]*">', "", html)
    html = re.sub(r'nonce="[^"]*"', "", html)
    return re.sub(r"\s+", " ", html)


@pytest.mark.parametrize(
    ("page", "name"), CASES, ids=[f"{page.name}?{name}" for page, name in CASES]
)
def test_an_unknown_filter_value_is_ignored_with_a_message(
    world: World, page: ListPage, name: str
) -> None:
    client = _client(world)
    url = page.url(world)
    unfiltered = client.get(url)
    answered = client.get(url, {name: UNKNOWN})
    assert answered.status_code == 200
    text = answered.content.decode()
    assert _unknown_message(page.filters[name]) in text
    assert "未识别的筛选条件" not in unfiltered.content.decode()
    assert _list_of(text) == _list_of(unfiltered.content.decode())


def test_each_unknown_filter_is_named_once_in_one_message(world: World) -> None:
    text = (
        _client(world)
        .get(reverse("cases:case_list"), {"status": "x", "kind": "y", "year": "abc", "unit": ""})
        .content.decode()
    )
    assert "未识别的筛选条件：状态 = x；案件类别 = y；年度 = abc，已忽略" in text


def test_a_known_value_still_filters_without_a_message(world: World) -> None:
    response = _client(world).get(reverse("inspections:inspection_list"), {"status": "signed"})
    listed = list(response.context["page"])
    assert listed and all(row.status == "signed" for row in listed)
    assert "未识别的筛选条件" not in response.content.decode()


@pytest.mark.parametrize("year", ["10000", "-5", "²⁰²⁶", "1899"])
def test_a_year_out_of_bounds_is_not_a_year(world: World, year: str) -> None:
    response = _client(world).get(reverse("cases:case_list"), {"year": year})
    assert response.status_code == 200
    assert _unknown_message("年度", year) in response.content.decode()


def test_the_paging_links_leave_the_unknown_value_out(world: World) -> None:
    response = _client(world).get(reverse("inspections:finding_list"), {"severity": UNKNOWN})
    assert UNKNOWN not in response.context["query"]


def test_a_long_value_is_cut_short_in_the_message(world: World) -> None:
    value = "x" * 100
    text = _client(world).get(reverse("planning:draw_list"), {"status": value}).content.decode()
    assert _unknown_message("状态", "x" * 40 + "…") in text


def test_a_partial_page_leaves_no_message_for_the_next_page(world: World) -> None:
    client = _client(world)
    url = reverse("registry:entity_list")
    partial = client.get(url, {"status": UNKNOWN}, headers={"HX-Request": "true"})
    assert partial.status_code == 200
    assert "未识别的筛选条件" not in client.get(reverse("planning:plan_list")).content.decode()
    assert list(partial.context["page"]) == list(client.get(url).context["page"])
