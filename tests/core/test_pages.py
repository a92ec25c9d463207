"""What every page module shares: one date parser, one paginator, one way to show a refusal."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpResponse
from django.test import RequestFactory

from xiaoneng.core.errors import Conflict, DomainError, InvalidInput, NotPermitted
from xiaoneng.core.pages import act, paginate, parse_day


@pytest.mark.parametrize(
    ("value", "day"),
    [
        ("2026-03-02", dt.date(2026, 3, 2)),
        (" 2026-03-02 ", dt.date(2026, 3, 2)),
        (dt.date(2026, 3, 2), dt.date(2026, 3, 2)),
        ("", None),
        (None, None),
        ("2026-02-30", None),  # well formed, no such day: not a server error
        ("昨天", None),
    ],
)
def test_parse_day_gives_a_date_or_none(value: Any, day: dt.date | None) -> None:
    assert parse_day(value) == day


def test_paginate_counts_a_list_in_memory_exactly() -> None:
    request = RequestFactory().get("/", {"page": "2"})
    page = paginate(request, list(range(120)), exact=True)
    assert page.number == 2 and page.paginator.count == 120 and page.paginator.count_exact


def _request() -> Any:
    request = RequestFactory().post("/")
    request.session = SessionBase()
    request._messages = FallbackStorage(request)
    return request


def _shown(request: Any) -> list[tuple[str, str]]:
    return [(m.level_tag, m.message) for m in get_messages(request)]


def _refuse(error: DomainError) -> Any:
    def action() -> None:
        raise error

    return action


def test_act_shows_the_done_message_or_the_one_the_action_returns() -> None:
    back = HttpResponse("back")
    request = _request()
    assert act(request, lambda: None, "已保存", back) is back
    assert act(request, lambda: "已认领：某店", None, back) is back
    assert _shown(request) == [("success", "已保存"), ("success", "已认领：某店")]


@pytest.mark.parametrize(
    "error",
    [
        InvalidInput.single("reason", "请填写理由"),
        Conflict("请填写理由"),
        DomainError("请填写理由"),
    ],
    ids=["invalid input", "conflict", "another refusal"],
)
def test_act_shows_a_refusal_without_field_names_and_goes_back(error: DomainError) -> None:
    back = HttpResponse("back")
    request = _request()
    assert act(request, _refuse(error), "已保存", back) is back
    assert _shown(request) == [("error", "请填写理由")]


def test_act_lets_a_page_show_its_form_again_on_a_refusal() -> None:
    request = _request()
    again = act(
        request,
        _refuse(InvalidInput.single("note", "请填写退回理由")),
        "已退回",
        HttpResponse("back"),
        refused=lambda error: HttpResponse(error.by_field["note"], status=error.status_code),
    )
    assert (again.status_code, again.content.decode()) == (422, "请填写退回理由")
    assert _shown(request) == [("error", "请填写退回理由")]


def test_act_leaves_a_role_or_unit_refusal_to_answer_403() -> None:
    request = _request()
    with pytest.raises(NotPermitted):
        act(request, _refuse(NotPermitted("您的角色无权执行此操作。")), "已保存", HttpResponse())
    assert _shown(request) == []
