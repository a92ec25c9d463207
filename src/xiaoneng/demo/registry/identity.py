"""Who and where each demo entity is: its USCC, coordinates, grid's place, name, address and
registered capital."""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from xiaoneng.demo.geography import (
    COUNTY,
    REGION_CODE,
    outline_km,
    sample_locations,
    sample_outside,
    to_degrees,
)
from xiaoneng.demo.names import Place, person_names
from xiaoneng.demo.org import Organisation
from xiaoneng.demo.trades import (
    BRAND_CHARS,
    COOPERATIVE_WORDS,
    TRADES,
    cooperative_word,
    enterprise_word,
)
from xiaoneng.registry import uscc

OUTSIDE_SHARE = 0.005


def uscc_codes(rng: np.random.Generator, kind_digits: np.ndarray) -> list[str]:
    """Distinct valid USCCs (GB 32100): 9, kind, 654002, MA + 7 characters, check character."""
    n, space = kind_digits.size, 31**7
    values = rng.integers(0, space, n)
    while True:
        repeat = np.setdiff1d(np.arange(n), np.unique(values, return_index=True)[1])
        if repeat.size == 0:
            break
        values[repeat] = rng.integers(0, space, repeat.size)
    return uscc.make_codes(kind_digits, REGION_CODE, values)


def coordinates(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Coordinates (degrees, 6 decimals): clustered inside the county, a few just outside it."""
    outside = max(2, round(n * OUTSIDE_SHARE)) if n >= 20 else 0
    outline = outline_km()
    x, y = sample_locations(rng, outline, n - outside)
    ox, oy = sample_outside(rng, outline, outside)
    order = rng.permutation(n)
    lon, lat = to_degrees(np.concatenate([x, ox])[order], np.concatenate([y, oy])[order])
    return np.round(lon, 6), np.round(lat, 6)


def grid_places(
    organisation: Organisation, grid: np.ndarray, lon: np.ndarray, lat: np.ndarray
) -> list[Place]:
    """Each entity's grid's place; for one outside every grid, the nearest grid's."""
    by_pk = {g.pk: g.place for g in organisation.grids}
    centroids = np.array([g.centroid for g in organisation.grids])
    places = [by_pk.get(pk) for pk in grid.tolist()]
    for i in np.flatnonzero(grid < 0).tolist():
        nearest = int(((centroids - [lon[i], lat[i]]) ** 2).sum(axis=1).argmin())
        places[i] = organisation.grids[nearest].place
    return places  # type: ignore[return-value]


def entity_names(
    rng: np.random.Generator, kinds: np.ndarray, trades: np.ndarray, places: list[Place]
) -> list[str]:
    """张记牛肉面馆, 伊犁鑫源餐饮有限公司, 红旗村丰收蔬菜种植农民专业合作社…"""
    n = kinds.size
    people, _latin = person_names(rng, n)
    style = rng.choice(4, n, p=[0.35, 0.25, 0.15, 0.25]).tolist()
    brands = BRAND_CHARS
    first = rng.integers(0, len(brands), n)
    second = ((first + rng.integers(1, len(brands), n)) % len(brands)).tolist()
    region = rng.choice(3, n, p=[0.75, 0.15, 0.10]).tolist()
    pick = rng.random(n).tolist()
    farm_word = rng.integers(0, len(COOPERATIVE_WORDS), n).tolist()
    names = []
    for i, (kind, trade_index, place) in enumerate(
        zip(kinds.tolist(), trades.tolist(), places, strict=True)
    ):
        trade = TRADES[trade_index]
        brand = brands[first[i]] + brands[second[i]]
        if kind == 0:
            stem = trade.stems[int(pick[i] * len(trade.stems))]
            person = people[i]
            prefix = [f"{person[0]}记", brand, person.split("·")[0], place.name][style[i]]
            if style[i] == 2 and "·" not in person:
                prefix = brand
            names.append(f"{COUNTY}{prefix}{stem}")
        elif kind == 1:
            word = enterprise_word(trade.words[int(pick[i] * len(trade.words))])
            names.append(f"{(COUNTY, '伊犁', '新疆')[region[i]]}{brand}{word}")
        else:
            word = cooperative_word(trade.words[int(pick[i] * len(trade.words))])
            village = "" if place.urban else place.name
            farm = COOPERATIVE_WORDS[farm_word[i]]
            names.append(f"{COUNTY}{village}{farm}{word}农民专业合作社")
    return names


def street_addresses(rng: np.random.Generator, places: list[Place]) -> list[str]:
    """An address in each entity's place: a number, a group in a village, a shop now and then."""
    n = len(places)
    number = rng.integers(1, 400, n).tolist()
    group = rng.integers(1, 13, n).tolist()
    suffix = rng.choice(3, n, p=[0.8, 0.1, 0.1]).tolist()
    shop = rng.integers(1, 30, n).tolist()
    endings = ("", "附{}号", "{}号商铺")
    return [
        place.address(number[i], group[i]) + endings[suffix[i]].format(shop[i])
        for i, place in enumerate(places)
    ]


def registered_capital(rng: np.random.Generator, kinds: np.ndarray) -> list[Decimal | None]:
    """Enterprises 10万–5000万 yuan, cooperatives 10万–500万, individuals small or none."""
    low = np.where(kinds == 0, 4.0, 5.0)
    high = np.select([kinds == 1, kinds == 2], [7.7, 6.7], 5.7)
    step = np.where(kinds == 0, 1000, 10000)
    amount = np.maximum(np.round(10 ** rng.uniform(low, high) / step), 1) * step
    missing = (kinds == 0) & (rng.random(kinds.size) < 0.4)
    return [
        None if m else Decimal(int(a))
        for a, m in zip(amount.tolist(), missing.tolist(), strict=True)
    ]
