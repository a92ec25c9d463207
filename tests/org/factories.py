"""Factories for the organisation; units, officers and grids go through their services."""

from __future__ import annotations

from typing import Any

import factory

from xiaoneng.org import services
from xiaoneng.org.models import Grid, Officer, Role, Section, Unit, Zone

REGION = "654002"
BASE_LON, BASE_LAT = 81.20, 43.85


def square(index: int, size: float = 0.01) -> dict[str, Any]:
    """A GeoJSON square, the index-th along a row of squares east of the base point."""
    west, south = BASE_LON + index * size, BASE_LAT
    east, north = west + size, south + size
    return {
        "type": "Polygon",
        "coordinates": [
            [[west, south], [east, south], [east, north], [west, north], [west, south]]
        ],
    }


def centre(index: int, size: float = 0.01) -> tuple[float, float]:
    return BASE_LON + (index + 0.5) * size, BASE_LAT + size / 2


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    code = factory.Sequence(lambda n: f"U{n:03d}")
    name = factory.Sequence(lambda n: f"第{n}市场监管所")
    kind = Unit.Kind.STATION
    parent = None
    region_code = REGION

    @classmethod
    def _create(cls, model_class: type[Unit], *args: Any, **kwargs: Any) -> Unit:
        return services.create_unit(**kwargs)


class OfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Officer

    username = factory.Sequence(lambda n: f"officer{n}")
    name = factory.Sequence(lambda n: f"干部{n}")
    unit = None
    roles: Any = (Role.GRID_OFFICER,)
    certificate_number = factory.Sequence(lambda n: f"6500{n:04d}")
    password = "correct horse 1"

    @classmethod
    def _create(cls, model_class: type[Officer], *args: Any, **kwargs: Any) -> Officer:
        return services.create_officer(**kwargs)


class ZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Zone

    code = factory.Sequence(lambda n: f"Z{n:02d}")
    name = factory.Sequence(lambda n: f"责任区{n}")


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    code = factory.Sequence(lambda n: f"Z-S{n:02d}")
    name = factory.Sequence(lambda n: f"区间{n}")


def make_grid(
    *, index: int, section: Section, officer: Officer | None = None, code: str | None = None
) -> Grid:
    return services.create_grid(
        code=code or f"G{index:03d}",
        name=f"网格{index}",
        section=section,
        boundary=square(index),
        officer=officer,
        region_code=REGION,
    )
