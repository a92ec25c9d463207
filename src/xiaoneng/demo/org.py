"""The demo county's organisation: bureau, divisions, stations, officers, zones, sections, grids.

篇2 (伊宁市): 27 责任区, 54 区间, 73 网格, and more than 70 % of station officers hold a
grid of their own. Units, zones, sections and grids go through ``org.services``; the
officers are written in bulk (one password hash shared by all) with their trace.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from shapely.geometry import Polygon, mapping

from xiaoneng.core import audit
from xiaoneng.demo.cells import grid_cells, path_order
from xiaoneng.demo.geography import COUNTY, DEVELOPMENT_ZONE, REGION_CODE, TOWN, km_frame
from xiaoneng.demo.logins import DEMO_USERNAMES
from xiaoneng.demo.names import Place, mobile_numbers, name_places, person_names
from xiaoneng.demo.rows import REASON
from xiaoneng.org import services
from xiaoneng.org.models import Officer, Role, Section, Unit, Zone

ZONES_PER_STATION = (5, 5, 5, 4, 4, 4)  # 27 zones
SECTIONS_PER_ZONE = 2  # 54 sections
SECTIONS_WITH_TWO_GRIDS = 19  # 35 × 1 + 19 × 2 = 73 grids
DIVISIONS = (
    ("K01", "综合执法科"),
    ("K02", "市场规范管理科"),
    ("K03", "信用监管科"),
    ("K04", "食品安全监管科"),
)
CREDIT_DIVISION = "K03"
BUREAU_LEADERS = 4
DIVISION_STAFF = 6
STATION_STAFF = 91  # with 4 leaders, 1 administrator and 24 division staff: 120, 76 % at stations
NUMERALS = "一二三四五六七八九十"


@dataclass
class GridInfo:
    """What the register generator needs to know about one grid."""

    pk: int
    code: str
    station_id: int
    officer_id: int | None
    place: Place
    centroid: tuple[float, float]


@dataclass
class Organisation:
    """The demo county's organisation as built, for the register generator."""

    bureau: Unit
    stations: list[Unit]
    grids: list[GridInfo]
    directors: dict[int, int] = field(default_factory=dict)  # station id → director id
    credit_staff: list[int] = field(default_factory=list)


def _hierarchy(
    rng: np.random.Generator, cells: list[Polygon]
) -> tuple[list[int], list[tuple[int, int, int]]]:
    """Cells in grid order, and each grid's (station, zone, section) number.

    The levels split a path through neighbouring cells into consecutive runs, so every
    station, zone and section is one contiguous area (篇2: 区域划分均衡, 条块结合).
    """
    zone_counts = rng.permutation(ZONES_PER_STATION).tolist()
    sections = sum(zone_counts) * SECTIONS_PER_ZONE
    doubles = set(rng.choice(sections, SECTIONS_WITH_TWO_GRIDS, replace=False).tolist())
    levels, zone, section = [], 0, 0
    for station, zones in enumerate(zone_counts):
        for _z in range(zones):
            for _s in range(SECTIONS_PER_ZONE):
                levels += [(station, zone, section)] * (2 if section in doubles else 1)
                section += 1
            zone += 1
    return path_order(cells), levels


def _station_names(cells: list[Polygon], stations: list[int]) -> list[str]:
    """Name each station's area by where it lies: 郊区 the largest, 开发区 nearest the zone…"""
    count = max(stations) + 1
    area = [
        sum(c.area for c, s in zip(cells, stations, strict=True) if s == k) for k in range(count)
    ]
    centre = []
    for k in range(count):
        points = [
            km_frame(c.centroid.x, c.centroid.y)
            for c, s in zip(cells, stations, strict=True)
            if s == k
        ]
        centre.append(tuple(np.mean(points, axis=0)))
    names: dict[int, str] = {}
    names[int(np.argmax(area))] = "郊区"
    rest = [k for k in range(count) if k not in names]
    zone = min(rest, key=lambda k: math.dist(centre[k], DEVELOPMENT_ZONE))
    names[zone] = "开发区"
    directions = {"城东": 0.0, "城北": 90.0, "城西": 180.0, "城南": 270.0}
    for k in [k for k in rest if k != zone]:
        dx, dy = centre[k][0] - TOWN[0], centre[k][1] - TOWN[1]
        angle = math.degrees(math.atan2(dy, dx)) % 360
        free = [d for d in directions if d not in names.values()]
        names[k] = min(
            free, key=lambda d: min(abs(angle - directions[d]), 360 - abs(angle - directions[d]))
        )
    return [names[k] for k in range(count)]


def _units(
    station_names: list[str], addresses: list[str]
) -> tuple[Unit, dict[str, Unit], list[Unit]]:
    bureau = services.create_unit(
        code=f"XN-{REGION_CODE}",
        name=f"{COUNTY}市场监督管理局",
        kind=Unit.Kind.BUREAU,
        parent=None,
        region_code=REGION_CODE,
        address=f"{COUNTY}解放路168号",
        phone="0999-8012315",
    )
    divisions = {
        code: services.create_unit(
            code=f"XN-{REGION_CODE}-{code}",
            name=name,
            kind=Unit.Kind.DIVISION,
            parent=bureau,
            region_code=REGION_CODE,
            address=bureau.address,
            phone=f"0999-80123{20 + i}",
        )
        for i, (code, name) in enumerate(DIVISIONS)
    }
    stations = [
        services.create_unit(
            code=f"XN-{REGION_CODE}-S{i + 1:02d}",
            name=f"{name}市场监管所",
            kind=Unit.Kind.STATION,
            parent=bureau,
            region_code=REGION_CODE,
            address=address,
            phone=f"0999-80234{10 + i}",
        )
        for i, (name, address) in enumerate(zip(station_names, addresses, strict=True))
    ]
    return bureau, divisions, stations


def _station_staff(grid_counts: list[int]) -> list[int]:
    """Officers per station in proportion to its grids (篇5: staffing by workload)."""
    total = sum(grid_counts)
    share = [STATION_STAFF * g / total for g in grid_counts]
    staff = [
        max(math.floor(s), 2 + math.ceil(g / 2)) for s, g in zip(share, grid_counts, strict=True)
    ]
    order = sorted(range(len(share)), key=lambda k: share[k] - math.floor(share[k]), reverse=True)
    for k in order[: max(0, STATION_STAFF - sum(staff))]:
        staff[k] += 1
    return staff


@dataclass
class _Person:
    unit: Unit
    role: str
    certified: bool = True
    username: str = ""
    officer: Officer | None = None


def _officers(
    rng: np.random.Generator,
    bureau: Unit,
    divisions: dict[str, Unit],
    stations: list[Unit],
    grid_counts: list[int],
    password_hash: str,
) -> list[_Person]:
    """The county's officers, not yet saved; the demo log-ins among them by name."""
    people = [_Person(bureau, Role.ADMINISTRATOR, certified=False, username="admin")]
    people += [_Person(bureau, Role.BUREAU_LEADER) for _ in range(BUREAU_LEADERS)]
    people[1].username = "leader"
    for code, unit in divisions.items():
        staff = [_Person(unit, Role.DIVISION_STAFF) for _ in range(DIVISION_STAFF)]
        if code == CREDIT_DIVISION:
            staff[0].username = "division"
        people += staff
    for index, (station, size) in enumerate(
        zip(stations, _station_staff(grid_counts), strict=True)
    ):
        people.append(
            _Person(station, Role.STATION_DIRECTOR, username="director" if index == 0 else "")
        )
        people += [_Person(station, Role.GRID_OFFICER) for _ in range(size - 1)]
    names, latin = person_names(rng, len(people))
    phones = mobile_numbers(rng, len(people))
    certificates = rng.choice(10**6, len(people), replace=False)
    existing = set(Officer.objects.values_list("username", flat=True))
    taken = set(DEMO_USERNAMES) | existing
    for person, name, spelling, phone, number in zip(
        people, names, latin, phones, certificates.tolist(), strict=True
    ):
        if person.username in existing:  # someone's own account (createsuperuser admin…)
            person.username = ""
        if not person.username:
            username, suffix = spelling, 2
            while username in taken:
                username, suffix = f"{spelling}{suffix}", suffix + 1
            person.username = username
        taken.add(person.username)
        person.officer = Officer(
            username=person.username,
            name=name,
            unit=person.unit,
            certificate_number=f"65{number:06d}" if person.certified else None,
            phone=phone,
            is_staff=person.role == Role.ADMINISTRATOR,
            is_superuser=person.role == Role.ADMINISTRATOR,
            password=password_hash,
        )
    return people


def _save_officers(people: list[_Person]) -> None:
    officers = [p.officer for p in people if p.officer is not None]
    Officer.objects.bulk_create(officers)
    through = Officer.roles.through
    through.objects.bulk_create(
        [through(officer_id=p.officer.pk, role_id=p.role) for p in people if p.officer is not None]
    )
    audit.record_many(
        (
            (
                p.officer,
                audit.AuditEvent.Action.CREATE,
                audit.created_changes(p.officer) | {"roles": [None, [p.role]]},
            )
            for p in people
            if p.officer is not None
        ),
        reason=REASON,
        source=audit.AuditEvent.Source.SYSTEM,
    )


def _grid_holders(rng: np.random.Generator, officers: list[Officer], grids: int) -> list[Officer]:
    """The responsible officer of each of a station's grids, in order; a few hold two neighbours."""
    doubles = max(1, round(grids * 0.1)) if grids >= 4 else 0
    holders = grids - doubles
    if holders > len(officers):
        holders, doubles = len(officers), grids - len(officers)
    chosen = [officers[i] for i in rng.permutation(len(officers))[:holders]]
    return [o for i, o in enumerate(chosen) for _ in range(2 if i < doubles else 1)]


def build_organisation(
    rng: np.random.Generator, *, password_hash: str, progress: Callable[[str], None] = print
) -> Organisation:
    """Create the county's units, officers, zones, sections and grids."""
    cells, _outline = grid_cells(rng)
    order, hierarchy = _hierarchy(rng, cells)
    cells = [cells[i] for i in order]
    places = name_places(rng, cells)
    station_of_cell = [s for s, _z, _sec in hierarchy]
    grid_counts = [station_of_cell.count(k) for k in range(len(ZONES_PER_STATION))]
    addresses = [places[station_of_cell.index(k)].address(18, 1) for k in range(len(grid_counts))]
    bureau, divisions, stations = _units(_station_names(cells, station_of_cell), addresses)
    progress(f"单位 units: 1 局, {len(divisions)} 科室, {len(stations)} 所")
    people = _officers(rng, bureau, divisions, stations, grid_counts, password_hash)
    grid_officers = {
        s.pk: [p.officer for p in people if p.unit == s and p.role == Role.GRID_OFFICER]
        for s in stations
    }
    holders = {
        s.pk: _grid_holders(rng, grid_officers[s.pk], count)  # type: ignore[arg-type]
        for s, count in zip(stations, grid_counts, strict=True)
    }
    if not Officer.objects.filter(username="officer").exists():
        holders[stations[0].pk][0].username = "officer"
    _save_officers(people)
    progress(f"执法人员 officers: {len(people)}")
    organisation = Organisation(bureau=bureau, stations=stations, grids=[])
    for p in people:
        if p.role == Role.STATION_DIRECTOR:
            organisation.directors[p.unit.pk] = p.officer.pk  # type: ignore[union-attr]
        elif p.unit.code.endswith(CREDIT_DIVISION):
            organisation.credit_staff.append(p.officer.pk)  # type: ignore[union-attr]
    _grids(organisation, cells, places, hierarchy, holders)
    progress(
        f"责任区 zones: {hierarchy[-1][1] + 1}, 区间 sections: {hierarchy[-1][2] + 1}, "
        f"网格 grids: {len(cells)}"
    )
    return organisation


def _grids(
    organisation: Organisation,
    cells: list[Polygon],
    places: list[Place],
    hierarchy: list[tuple[int, int, int]],
    holders: dict[int, list[Officer]],
) -> None:
    zones: dict[int, Zone] = {}
    sections: dict[int, Section] = {}
    zone_number_in_station: dict[int, int] = {}
    next_holder = {pk: iter(officers) for pk, officers in holders.items()}
    for number, (cell, place, (s, z, sec)) in enumerate(
        zip(cells, places, hierarchy, strict=True), start=1
    ):
        station = organisation.stations[s]
        if z not in zones:
            n = zone_number_in_station[s] = zone_number_in_station.get(s, 0) + 1
            short = station.name.removesuffix("市场监管所")
            zones[z] = services.create_zone(
                code=f"Z{z + 1:02d}", name=f"{short}{NUMERALS[n - 1]}区", station=station
            )
        zone = zones[z]
        if sec not in sections:
            k = sum(1 for other in sections.values() if other.zone_id == zone.pk) + 1
            sections[sec] = services.create_section(
                code=f"{zone.code}-{k}",
                name=f"{zone.name}第{NUMERALS[k - 1]}区间",
                zone=zone,
            )
        officer = next(next_holder[station.pk])
        grid = services.create_grid(
            code=f"G{number:03d}",
            name=f"{place.name}网格",
            section=sections[sec],
            boundary=mapping(cell),
            officer=officer,
            region_code=REGION_CODE,
        )
        organisation.grids.append(
            GridInfo(
                grid.pk,
                grid.code,
                station.pk,
                officer.pk,
                place,
                (cell.centroid.x, cell.centroid.y),
            )
        )
