"""Shared fixtures: a small county with two stations, and clients logged in as its people."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.test import Client
from django.utils import translation
from threadpoolctl import threadpool_limits

from tests.org.factories import (
    OfficerFactory,
    SectionFactory,
    UnitFactory,
    ZoneFactory,
    centre,
    make_grid,
)
from xiaoneng.org.models import Grid, Officer, Role, Unit


@pytest.fixture(autouse=True, scope="session")
def one_thread_per_worker() -> Iterator[None]:
    """scikit-learn's gradient boosting spreads over every core with OpenMP, and its threads
    spin while they wait: with two xdist workers on two cores, each training then takes ten
    times as long. One thread per worker (the suite runs the workers in parallel instead)."""
    with threadpool_limits(limits=1):
        yield


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):  # type: ignore[no-untyped-def]
    """Argon2 is deliberately slow; tests hash with MD5 (production keeps Argon2)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def default_language() -> Iterator[None]:
    """A request in English leaves English active in the thread (Django's locale middleware
    does not reset it), and a command run later in the same worker would print in English:
    every test starts and ends in the default language."""
    translation.deactivate()
    yield
    translation.deactivate()


@dataclass
class County:
    bureau: Unit
    division: Unit
    east: Unit
    west: Unit
    admin: Officer
    leader: Officer
    division_staff: Officer
    east_director: Officer
    east_officer: Officer
    west_director: Officer
    west_officer: Officer
    east_grid: Grid
    west_grid: Grid

    @staticmethod
    def east_point() -> tuple[float, float]:
        return centre(0)

    @staticmethod
    def west_point() -> tuple[float, float]:
        return centre(1)

    @staticmethod
    def outside_point() -> tuple[float, float]:
        return centre(5)


@pytest.fixture
def county(db) -> County:  # type: ignore[no-untyped-def]
    return make_county()


def make_county() -> County:
    """The county: a bureau with a division and two stations, each station with one grid."""
    bureau = UnitFactory(code="B", name="示范县市场监督管理局", kind=Unit.Kind.BUREAU)
    division = UnitFactory(code="D1", name="信用监管科", kind=Unit.Kind.DIVISION, parent=bureau)
    east = UnitFactory(code="S-E", name="城东所", parent=bureau)
    west = UnitFactory(code="S-W", name="城西所", parent=bureau)
    people = {
        "admin": OfficerFactory(
            username="admin", unit=bureau, roles=[Role.ADMINISTRATOR], certificate_number=None
        ),
        "leader": OfficerFactory(username="leader", unit=bureau, roles=[Role.BUREAU_LEADER]),
        "division_staff": OfficerFactory(
            username="division", unit=division, roles=[Role.DIVISION_STAFF]
        ),
        "east_director": OfficerFactory(
            username="east_director", unit=east, roles=[Role.STATION_DIRECTOR]
        ),
        "east_officer": OfficerFactory(
            username="east_officer", unit=east, roles=[Role.GRID_OFFICER]
        ),
        "west_director": OfficerFactory(
            username="west_director", unit=west, roles=[Role.STATION_DIRECTOR]
        ),
        "west_officer": OfficerFactory(
            username="west_officer", unit=west, roles=[Role.GRID_OFFICER]
        ),
    }
    east_section = SectionFactory(zone=ZoneFactory(station=east))
    west_section = SectionFactory(zone=ZoneFactory(station=west))
    east_grid = make_grid(index=0, section=east_section, officer=people["east_officer"], code="G-E")
    west_grid = make_grid(index=1, section=west_section, officer=people["west_officer"], code="G-W")
    return County(bureau, division, east, west, **people, east_grid=east_grid, west_grid=west_grid)


def client_for(user: Officer) -> Client:
    client = Client()
    client.force_login(user)
    return client
