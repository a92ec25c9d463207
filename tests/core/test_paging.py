"""Lists count at most COUNT_CAP rows and say so; small results need no count query at all."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import County, client_for
from tests.registry.factories import make_entity
from xiaoneng.core import paging
from xiaoneng.registry.models import Entity


@pytest.fixture
def seven(county: County) -> list[Entity]:
    return [make_entity(name=f"分页测试店{i}") for i in range(7)]


def test_counts_beyond_the_cap_are_shown_as_more_than(
    county: County, seven: Any, monkeypatch: Any, settings: Any
) -> None:
    monkeypatch.setattr(paging, "COUNT_CAP", 5)
    settings.PAGE_SIZE = 2
    page = client_for(county.admin).get("/entities/?q=分页测试").content.decode()
    assert "超过 5 条，请缩小筛选范围" in page
    data = client_for(county.admin).get("/api/v1/entities?q=分页测试&page_size=2").json()
    assert (data["count"], data["count_exact"], len(data["items"])) == (5, False, 2)


def test_exact_count_below_the_cap(county: County, seven: Any) -> None:
    data = client_for(county.admin).get("/api/v1/entities?q=分页测试&page_size=3&page=3").json()
    assert (data["count"], data["count_exact"], [e["name"] for e in data["items"]]) == (
        7,
        True,
        ["分页测试店6"],
    )
    assert "共 7 条" in client_for(county.admin).get("/entities/?q=分页测试").content.decode()


def test_a_first_page_holding_everything_costs_one_query(
    county: County, seven: Any, django_assert_num_queries: Any
) -> None:
    queryset = Entity.objects.filter(name__startswith="分页测试").order_by("id")
    with django_assert_num_queries(1):
        rows, count, exact = paging.first_page_and_count(queryset, 50)
    assert (len(rows), count, exact) == (7, 7, True)
    with django_assert_num_queries(2):
        rows, count, exact = paging.first_page_and_count(queryset, 3)
    assert (len(rows), count, exact) == (3, 7, True)
