"""Input hygiene at the boundary: no control character gets in.

NUL and the other C0 control characters (tab, LF and CR aside) and DEL have no place in
anything a person types: PostgreSQL refuses NUL in text (a 500), and XLSX cannot hold any of
them, so one stored name would break every export that shows it. They are refused where input
enters: page forms (``core.forms.PageForm``), import files (``core.tabular.read_table``) and,
here, every API request (JSON body, form fields and query string: 422 with the API's error
body naming each field) and every page's query string (a 400 page).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# C0 controls other than tab, LF and CR, and DEL.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CONTROL_CHARACTER_MESSAGE = gettext_lazy("不能含控制字符")
JSON_TYPES = ("application/json", "application/merge-patch+json")


def has_control_characters(text: str) -> bool:
    """Whether ``text`` holds a control character other than tab, LF and CR."""
    return CONTROL_CHARACTERS.search(text) is not None


def json_refusals(value: Any, path: str = "") -> list[str]:
    """The dotted paths of the texts (and keys) in ``value`` that hold a control character."""
    found: list[str] = []
    if isinstance(value, str):
        if has_control_characters(value):
            found.append(path or "body")
    elif isinstance(value, dict):
        for key, item in value.items():
            inner = f"{path}.{key}" if path else str(key)
            if has_control_characters(str(key)):
                found.append(inner)
            else:
                found += json_refusals(item, inner)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += json_refusals(item, f"{path}.{index}" if path else str(index))
    return found


def _query_refusals(request: HttpRequest) -> list[str]:
    return [
        key
        for key, values in request.GET.lists()
        if has_control_characters(key) or any(has_control_characters(v) for v in values)
    ]


def _body_refusals(request: HttpRequest) -> list[str]:
    content_type = request.content_type or ""
    if content_type in JSON_TYPES:
        try:
            body = json.loads(request.body or b"null")
        except (ValueError, UnicodeDecodeError):
            return []  # not JSON: the API itself answers that
        return json_refusals(body)
    if request.method == "POST" and content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        return [
            key
            for key, values in request.POST.lists()
            if has_control_characters(key) or any(has_control_characters(v) for v in values)
        ]
    return []


class ControlCharacterMiddleware:
    """Refuse control characters: an API request answers 422 with the API's error body, a
    page's query string a 400 page. Page forms refuse them on their fields (``PageForm``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            fields = list(dict.fromkeys(_query_refusals(request) + _body_refusals(request)))
            if fields:
                message = str(CONTROL_CHARACTER_MESSAGE)
                body = {
                    "detail": _("请求数据无效"),  # the API's error body (xiaoneng.api)
                    "errors": [{"field": field, "message": message} for field in fields],
                }
                return JsonResponse(body, status=422, json_dumps_params={"ensure_ascii": False})
        elif _query_refusals(request):
            message = _("网址的查询参数不能含控制字符。")
            return render(request, "web/refused.html", {"message": message}, status=400)
        return self.get_response(request)
