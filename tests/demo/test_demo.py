"""`xiaoneng demo`: the demo county 伊宁示范县 (篇2: 27 责任区, 54 区间, 73 网格)."""

from __future__ import annotations

import io
import itertools
from collections import Counter
from collections.abc import Iterator

import pytest
import shapely
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import Client, override_settings
from shapely.geometry import shape
from stdnum.cn import uscc as uscc_standard

from xiaoneng.core.models import AuditEvent
from xiaoneng.demo import geography
from xiaoneng.demo.logins import PASSWORD
from xiaoneng.demo.reset import reset
from xiaoneng.org import services as org_services
from xiaoneng.org.models import Grid, Officer, Role, Section, Unit, Zone
from xiaoneng.registry.models import Entity, Licence

ENTITIES = 300
SEED = 7


def build(**options: object) -> str:
    out = io.StringIO()
    call_command("demo", entities=ENTITIES, seed=SEED, stdout=out, **options)
    return out.getvalue()


def fingerprint() -> list[tuple[str, float, float]]:
    return list(Entity.objects.order_by("uscc").values_list("uscc", "longitude", "latitude"))


@pytest.fixture(scope="module")
def demo_county(django_db_setup, django_db_blocker) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """One small county for the whole module (building it takes about two seconds)."""
    # Hash as the function-scoped fixtures of tests/conftest.py do (MD5, not slow Argon2).
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=hashers):
        output = build()
        yield output
        with transaction.atomic():
            reset()


pytestmark = [pytest.mark.slow, pytest.mark.django_db, pytest.mark.usefixtures("demo_county")]


def test_hierarchy_has_the_seed_articles_counts() -> None:
    stations = Unit.objects.filter(kind=Unit.Kind.STATION)
    assert stations.count() == 6
    assert Unit.objects.filter(kind=Unit.Kind.BUREAU, code="XN-654002").count() == 1
    assert Zone.objects.count() == 27
    assert Section.objects.count() == 54
    assert Grid.objects.count() == 73
    assert set(Counter(Section.objects.values_list("zone", flat=True)).values()) == {2}
    grids_per_section = Counter(Counter(Grid.objects.values_list("section", flat=True)).values())
    assert grids_per_section == {1: 35, 2: 19}
    assert all(
        g.station_id == g.section.zone.station_id
        for g in Grid.objects.select_related("section__zone")
    )


def test_grids_tile_the_county_outline() -> None:
    cells = [shape(b) for b in Grid.objects.values_list("boundary", flat=True)]
    assert all(c.geom_type == "Polygon" and c.is_valid for c in cells)
    outline = geography.geometry_to_degrees(geography.outline_km())
    union = shapely.union_all(cells)
    assert union.area == pytest.approx(outline.area, rel=1e-5)
    assert shapely.symmetric_difference(union, outline).area < outline.area * 1e-5
    overlap = sum(a.intersection(b).area for a, b in itertools.combinations(cells, 2))
    assert overlap < outline.area * 1e-9


def test_every_station_area_zone_and_section_is_contiguous() -> None:
    grids = list(Grid.objects.select_related("section__zone"))
    for key in (lambda g: g.station_id, lambda g: g.section.zone_id, lambda g: g.section_id):
        groups: dict[int, list[object]] = {}
        for grid in grids:
            groups.setdefault(key(grid), []).append(shape(grid.boundary))
        assert all(shapely.coverage_union_all(g).geom_type == "Polygon" for g in groups.values())


def test_grid_officers_belong_to_their_grid_station() -> None:
    for grid in Grid.objects.select_related("officer__unit"):
        assert grid.officer is not None
        assert grid.officer.unit_id == grid.station_id
        assert grid.officer.has_role(Role.GRID_OFFICER)
    holding = Counter(Grid.objects.values_list("officer", flat=True))
    assert max(holding.values()) == 2


def test_staff_mostly_at_stations_each_with_one_director() -> None:
    officers = Officer.objects.select_related("unit")
    at_stations = [o for o in officers if o.unit and o.unit.kind == Unit.Kind.STATION]
    assert 110 <= officers.count() <= 130
    assert len(at_stations) >= 0.7 * officers.count()
    directors = Counter(o.unit_id for o in officers.filter(roles=Role.STATION_DIRECTOR))
    assert sorted(directors.values()) == [1] * 6
    enforcers = officers.exclude(roles=Role.ADMINISTRATOR)
    assert all(o.certificate_number and o.certificate_number.startswith("65") for o in enforcers)
    assert Officer.objects.filter(roles=Role.BUREAU_LEADER).count() >= 3


def test_usccs_are_valid_and_unique() -> None:
    codes = list(Entity.objects.values_list("uscc", "kind"))
    assert len(codes) == ENTITIES
    assert len({c for c, _k in codes}) == ENTITIES
    assert all(uscc_standard.is_valid(c) for c, _k in codes)
    prefix = {"enterprise": "91", "individual": "92", "cooperative": "93"}
    assert all(c.startswith(prefix[k] + "654002") for c, k in codes)


def test_entities_lie_in_grids_and_belong_to_the_grid_station() -> None:
    entities = list(Entity.objects.select_related("grid", "unit"))
    inside = [e for e in entities if e.grid is not None]
    outside = [e for e in entities if e.grid is None]
    assert 0 < len(outside) <= 0.02 * len(entities)
    assert all(e.unit_id == e.grid.station_id for e in inside)
    assert all(e.unit.kind == Unit.Kind.BUREAU and e.claimed_by_id is None for e in outside)
    assigned = org_services.grid_index().assign(
        [e.longitude for e in entities], [e.latitude for e in entities]
    )
    assert [g if g > 0 else None for g in assigned.tolist()] == [e.grid_id for e in entities]
    claimed = [e for e in inside if e.claimed_by_id is not None]
    assert len(claimed) > 0.9 * len(inside)
    assert all(e.claimed_by_id == e.grid.officer_id for e in claimed)


def test_entities_and_licences_are_traced_in_bulk() -> None:
    created = AuditEvent.objects.filter(
        content_type__model="entity", action=AuditEvent.Action.CREATE
    )
    assert created.count() == ENTITIES
    assert set(created.values_list("source", "reason").distinct()) == {("system", "演示数据")}
    event = created.first()
    entity = Entity.objects.get(pk=event.object_id)
    assert event.changes["uscc"] == [None, entity.uscc]
    licences = AuditEvent.objects.filter(content_type__model="licence", action="create")
    assert licences.count() == Licence.objects.count() > 0


def test_same_seed_builds_the_same_county() -> None:
    first = fingerprint()
    boundaries = list(Grid.objects.order_by("code").values_list("code", "boundary"))
    build(reset=True)
    assert fingerprint() == first
    assert list(Grid.objects.order_by("code").values_list("code", "boundary")) == boundaries


def test_refuses_a_database_that_holds_data() -> None:
    with pytest.raises(CommandError) as refused:
        build()
    assert refused.value.returncode == 2
    assert Entity.objects.count() == ENTITIES


def test_if_empty_leaves_the_data_and_prints_the_logins() -> None:
    before = fingerprint()
    output = build(if_empty=True)
    assert fingerprint() == before
    for username in ("admin", "leader", "division", "director", "officer"):
        assert f"  {username} " in output


def test_demo_logins_log_in_with_the_demo_password() -> None:
    client = Client()
    for username in ("admin", "leader", "division", "director", "officer"):
        assert client.login(username=username, password=PASSWORD), username
    assert Officer.objects.get(username="director").has_role(Role.STATION_DIRECTOR)
    assert Grid.objects.filter(officer__username="officer").exists()
