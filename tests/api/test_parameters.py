"""Every query parameter is checked before a handler runs (ADR 0015): a page number, a year, a
day or a month out of range, or a filter value a list does not know, answers 422 with the
documented body naming the field, on the API; a page never answers 500 for it.

The operations are read from the OpenAPI document, so a new list is checked the day it is added.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from tests.scoping.endpoints import SCHEMA, page_endpoints

pytestmark = pytest.mark.django_db

HUGE = "999999999999999999"


def _queries() -> list[tuple[str, dict[str, Any]]]:
    """(path with its path parameters filled, query parameter) of every GET operation."""
    found = []
    for path, operations in SCHEMA["paths"].items():
        operation = operations.get("get")
        if operation is None:
            continue
        url = re.sub(r"\{\w+\}", "1", path.replace("{kind}", "entities"))
        found += [(url, p) for p in operation.get("parameters", []) if p["in"] == "query"]
    return found


def _schema(parameter: dict[str, Any]) -> dict[str, Any]:
    schema = parameter["schema"]
    for option in schema.get("anyOf", []):
        if option.get("type") != "null":
            return {**schema, **option}
    return schema


def _bad_values(parameter: dict[str, Any]) -> list[str]:
    """Values out of the parameter's range, or unknown to it."""
    schema, name = _schema(parameter), parameter["name"]
    if name in ("page", "page_size") or name == "year":
        return [HUGE, "-5", "abc"] if name != "year" else ["10000", "-5", "abc"]
    if schema.get("format") == "date":
        return ["10000-01-01", "0001-01-01", "2026-02-30"]
    if "enum" in schema:
        return ["bogus"]
    if schema.get("pattern"):
        return ["2026-13", "bogus"]
    if schema.get("type") == "integer":
        return ["99999999999999999999", "abc"]
    return []


CASES = [
    pytest.param(url, p["name"], value, id=f"{url}?{p['name']}={value}")
    for url, p in _queries()
    for value in _bad_values(p)
]


@pytest.fixture
def admin_client(county) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(county.admin)
    return client


def test_every_list_bounds_its_page_and_year() -> None:
    lists = {url for url, p in _queries() if p["name"] == "page"}
    assert len(lists) >= 15
    for url, parameter in _queries():
        if parameter["name"] in ("page", "year"):
            assert "maximum" in _schema(parameter), f"{url}?{parameter['name']} has no maximum"


@pytest.mark.parametrize(("url", "name", "value"), CASES)
def test_a_bad_query_parameter_answers_422_naming_the_field(
    admin_client: Client, url: str, name: str, value: str
) -> None:
    response = admin_client.get(url, {name: value})
    assert response.status_code == 422, (response.status_code, response.content[:300])
    body = response.json()
    assert body["detail"] == "请求数据无效"
    assert [e["field"] for e in body["errors"]] == [name]
    assert body["errors"][0]["message"]


def test_an_unknown_filter_value_lists_the_known_ones(admin_client: Client) -> None:
    response = admin_client.get("/api/v1/cases", {"status": "bogus"})
    assert response.status_code == 422
    message = response.json()["errors"][0]["message"]
    assert message.startswith("未知的取值，可选：") and "filed" in message


def test_the_page_numbers_message_is_chinese(admin_client: Client) -> None:
    response = admin_client.get("/api/v1/tasks", {"page": HUGE})
    assert response.json()["errors"] == [{"field": "page", "message": "不能大于 1000000"}]


def test_a_page_past_the_last_is_empty_not_an_error(admin_client: Client) -> None:
    response = admin_client.get("/api/v1/tasks", {"page": "1000000"})
    assert response.status_code == 200
    assert response.json()["items"] == []


# Pages -------------------------------------------------------------------------------------------

BAD_PAGE_QUERIES = [
    {"page": HUGE, "year": "10000", "month": "10000-01", "from": "0001-01-01", "to": "9999-12-31"},
    {"page": "-5", "year": "-5", "date_from": "0001-01-01", "date_to": "10000-01-01"},
    {"page": "abc", "year": "abc", "status": "bogus", "kind": "bogus", "state": "bogus"},
    {"period": "9999-99", "month": "0000-00", "today": "0001-01-01", "result": "bogus"},
]
LISTS = [
    e for e in page_endpoints() if not e.parameters and not e.route.startswith(("admin", "api"))
]


@pytest.mark.parametrize("endpoint", LISTS, ids=lambda e: e.label)
def test_no_page_answers_500_to_a_bad_query(admin_client: Client, endpoint: Any) -> None:
    for query in BAD_PAGE_QUERIES:
        response = admin_client.get("/" + endpoint.route, query)
        assert response.status_code < 500, (endpoint.route, query, response.status_code)
