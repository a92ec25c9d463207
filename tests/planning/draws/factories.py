"""Draws for tests: a small population in the county's two grids, and a draw with defaults."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.conftest import County
from tests.registry.factories import make_entity, make_uscc
from xiaoneng.planning.draws import services as draws
from xiaoneng.planning.draws.models import RandomDraw
from xiaoneng.registry.models import Entity

# A Monday morning in Shanghai, and an inspection period inside the known holiday calendar.
AT = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)
LATER = dt.datetime(2026, 3, 3, 1, 0, tzinfo=dt.UTC)
END = dt.date(2026, 4, 30)
GRADES = "AABBCD"


def populate(
    county: County, *, east: int = 12, west: int = 12, first: int = 500_000, **values: Any
) -> list[Entity]:
    """Restaurants (class Ⅰ) in the east and west grids, their grades cycling A A B B C D.

    Their USCCs are the same in every test, so that a draw with a given seed is too.
    """
    entities = []
    numbers = iter(range(first, first + east + west))
    for side, count, point in (
        ("城东", east, county.east_point()),
        ("城西", west, county.west_point()),
    ):
        for i in range(count):
            entities.append(
                make_entity(
                    uscc=make_uscc(next(numbers)),
                    name=f"{side}餐馆{i}",
                    longitude=point[0],
                    latitude=point[1],
                    credit_grade=GRADES[i % len(GRADES)],
                    **values,
                )
            )
    return entities


def make_draw(county: County, **overrides: Any) -> RandomDraw:
    """A committed draw of the credit division over the county, pool: the whole bureau."""
    values: dict[str, Any] = {
        "name": "2026 年食品经营者双随机抽查",
        "unit": county.division,
        "item_codes": ["R02"],
        "population_filter": {},
        "selection": "ratio",
        "ratios": "A=0.5,B=0.5,C=0.5,D=0.5",
        "pool_units": [county.bureau],
        "team_size": 2,
        "workload_cap": 20,
        "inspections_end": END,
        "actor": county.division_staff,
        "at": AT,
    }
    values.update(overrides)
    return draws.create_draw(**values)


def run(draw: RandomDraw, county: County, **values: Any) -> RandomDraw:
    return draws.run_draw(draw=draw, actor=county.division_staff, at=LATER, **values)


def teams(draw: RandomDraw) -> dict[str, list[str]]:
    """uscc → certificate numbers of its team, from the stored result."""
    from xiaoneng.planning.draws.verify import stored_rows

    return {row.uscc: row.team for row in stored_rows(draw)}
