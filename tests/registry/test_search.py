"""Searching the register by name fragment or USCC."""

from __future__ import annotations

import pytest
from django.db import connection

from tests.conftest import County, client_for
from tests.registry.factories import make_entity


def test_a_name_fragment_finds_the_entity_wherever_it_stands(county: County) -> None:
    make_entity(name="伊宁示范县果犁达汽车销售部")
    make_entity(name="伊宁示范县好味道餐厅")
    for fragment in ("果犁达", "汽车销售", "犁", "伊宁示范县果犁达汽车销售部"):
        data = client_for(county.admin).get(f"/api/v1/entities?q={fragment}").json()
        assert [e["name"] for e in data["items"]] == ["伊宁示范县果犁达汽车销售部"], fragment


def test_a_uscc_or_its_beginning_finds_the_entity(county: County) -> None:
    entity = make_entity(name="代码查找测试店")
    for text in (entity.uscc, entity.uscc[:10], entity.uscc.lower()[:12]):
        data = client_for(county.admin).get(f"/api/v1/entities?q={text}").json()
        assert [e["uscc"] for e in data["items"]] == [entity.uscc], text


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigram index is PostgreSQL's")
def test_postgresql_searches_names_through_the_trigram_index(county: County) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'entity_name_trgm'")
        assert "gin_trgm_ops" in cursor.fetchone()[0]
