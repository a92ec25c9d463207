"""The province the ``province`` benchmark fills: a provincial bureau over ten city bureaus,
each a register of about a million entities in 24 stations and 600 grids, written city by
city with ``COPY`` so that the same database can be measured at one city (10⁶) and at the
whole province (10⁷); and a year of signed inspections, and a year of trace, beside them.

Choices (say them beside the figures):

- **Cities** are bureaus under the provincial bureau, region codes 650100, 650200, …; each
  has its own box of 0.3° × 0.25° (shifted 0.4° east per city), its Voronoi grids and its
  towns (``entities.py`` places the entities in ``common.BOX`` and codes them under
  ``common.REGION``, set here per city). USCCs carry the region code, so two cities' codes
  never collide; within a city ``entities.uscc_codes`` draws distinct serials.
- **Last inspections** are carried by ``Entity.last_inspected_on`` (what the signing service
  keeps): the day lies uniformly within one patrol interval before the planned month, as in
  ``bench_plan``, so that about one active entity in twenty-five falls due in it. No done
  tasks are written: the plan's read of done tasks finds only the plans measured here.
- **Inspections** of one year (2025, ``county_year.CountyYear.inspections``): half an
  inspection per entity, officers of the entity's station; no findings or cases (the report's
  other queries run on empty tables).
- **Trace**: a year of ``core_auditevent`` rows written by the server itself (``INSERT …
  SELECT`` from ``generate_series``, cheaper than ``COPY`` from the client): creates and
  updates of inspections, tasks and entities, spread over 2026.

Used by ``bench_province``; not a benchmark itself.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any

import numpy as np

import common
import county_year
import entities
from common import say, timed

PROVINCE_REGION = "650000"
PLANNED_ON = dt.date(2026, 12, 1)
ENTITY_COLUMNS = list(entities.COLUMNS)
# The checklist of the year's inspections is made once, not once per city.
county_year.checklist_item = functools.cache(county_year.checklist_item)


@dataclass
class City:
    number: int
    region: str
    box: tuple[float, float, float, float]
    organisation: common.Organisation


def unit(code: str, name: str, parent: Any, region: str, kind: str = "bureau") -> Any:
    from xiaoneng.org import services

    return services.create_unit(code=code, name=name, kind=kind, parent=parent, region_code=region)


def province() -> Any:
    return unit("PROV", "基准测试省市场监督管理局", None, PROVINCE_REGION)


def city(top: Any, number: int, *, stations: int, grids: int) -> City:
    """City bureau ``number`` (1, 2, …) with its stations, one zone and section each, and its
    Voronoi grids dealt to the stations in bands from west to east."""
    from shapely.geometry import mapping

    from xiaoneng.org import services

    region, prefix = f"65{number:02d}00", f"C{number:02d}"
    west = 81.15 + 0.4 * (number - 1)
    box = (west, 43.80, west + 0.3, 44.05)
    bureau = unit(prefix, f"第{number}市市场监督管理局", top, region)
    offices = [
        unit(f"{prefix}S{n:02d}", f"第{number}市第{n}市场监管所", bureau, region, "station")
        for n in range(1, stations + 1)
    ]
    zones = [services.create_zone(code=s.code + "Z", name="责任区", station=s) for s in offices]
    sections = [services.create_section(code=z.code + "1", name="区间", zone=z) for z in zones]
    cells = sorted(common.voronoi_cells(grids, seed=number, box=box), key=lambda c: c.centroid.x)
    made = [
        services.create_grid(
            code=f"{prefix}G{n:04d}",
            name=f"第{number}市第{n}网格",
            section=sections[n * stations // len(cells)],
            boundary=mapping(cell),
            region_code=region,
        )
        for n, cell in enumerate(cells)
    ]
    staff(number, made)
    return City(number, region, box, common.Organisation(bureau, offices, made))


def staff(number: int, grids: list[Any]) -> None:
    """One officer per grid, in the grid's station, made its responsible officer."""
    from xiaoneng.org.models import Grid, Officer

    people = [
        Officer(username=f"c{number:02d}_{n:04d}", name=f"干部{number}-{n}", unit_id=g.station_id)
        for n, g in enumerate(grids)
    ]
    for person in people:
        person.set_unusable_password()
    Officer.objects.bulk_create(people)
    saved = dict(
        Officer.objects.filter(username__startswith=f"c{number:02d}_").values_list("username", "pk")
    )
    for n, grid in enumerate(grids):
        grid.officer_id = saved[f"c{number:02d}_{n:04d}"]
    Grid.objects.bulk_update(grids, ["officer"], batch_size=1000)


def last_inspected(columns: dict[str, list[Any]], rng: np.random.Generator) -> list[Any]:
    """Each entity's last inspection: uniformly within one patrol interval before the planned
    month, or none when that would fall before it entered the register."""
    from xiaoneng.planning.policy.services import CLASSES, GRADES, PolicyTable

    table = PolicyTable.in_force(PLANNED_ON)
    classes = np.array([CLASSES.index(c) for c in columns["risk_class"]])
    grades = np.array([GRADES.index(g) for g in columns["credit_grade"]])
    interval = table.interval_days[classes, grades]
    last = np.datetime64(PLANNED_ON) - rng.integers(1, interval + 1)
    registered = np.array(columns["registered_on"], dtype="datetime64[D]")
    days = last.astype(str).tolist()
    return [d if ok else None for d, ok in zip(days, (last > registered).tolist(), strict=True)]


def fill_city(place: City, count: int, inspections: int) -> None:
    """The city's entities (``COPY``) and its year of inspections."""
    from xiaoneng.registry.models import Entity

    rng = np.random.default_rng(100 + place.number)
    common.REGION, common.BOX = place.region, place.box
    spent, columns = timed(
        lambda: entities.entity_columns(count, place.organisation, seed=place.number)
    )
    columns["last_inspected_on"] = last_inspected(columns, rng)
    say(f"  city {place.number}: generated {count:,} entities in {spent:.0f} s")
    entities.COLUMNS = [*ENTITY_COLUMNS, "last_inspected_on"]
    spent, _ = timed(lambda: entities.write_entities(columns))
    say(f"  city {place.number}: written in {spent:.0f} s")
    columns.clear()
    year = county_year.CountyYear(seed=200 + place.number)
    stations = [s.pk for s in place.organisation.stations]
    rows = np.array(
        Entity.objects.filter(region_code=place.region).order_by("pk").values_list("pk", "unit_id")
    )
    year.entity = rows[:, 0]
    # Entities outside every grid belong to the city bureau: their records go to station 1.
    year.entity_unit = np.where(np.isin(rows[:, 1], stations), rows[:, 1], stations[0])
    officers: dict[int, list[int]] = {}
    for grid in place.organisation.grids:
        officers.setdefault(grid.station_id, []).append(grid.officer_id)
    year.officers = {unit: np.array(ids) for unit, ids in officers.items()}
    spent, _ = timed(lambda: year.inspections(inspections))
    say(
        f"  city {place.number}: {inspections:,} inspections of {county_year.YEAR} in {spent:.0f} s"
    )


TRACE_SQL = """
INSERT INTO core_auditevent
    (at, actor_id, actor_name, source, content_type_id, object_id, object_repr, action,
     changes, reason)
SELECT timestamptz '2026-01-01 08:00+08' + (i * 31536000.0 / %(total)s) * interval '1 second',
       NULL, '干部' || (i %% 6000), (ARRAY['web', 'api', 'system'])[1 + i %% 3],
       (%(types)s::int[])[1 + i %% 3], (1 + (i * 7919) %% %(objects)s)::text,
       '记录 ' || i, (ARRAY['create', 'update', 'update'])[1 + i %% 3],
       jsonb_build_object('状态', jsonb_build_array('draft', 'signed')), ''
FROM generate_series(%(first)s::bigint, %(last)s::bigint) AS i
"""


def grow_trace(rows: int) -> None:
    """A year of trace: ``rows`` events, written by the server a million at a time."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction

    from xiaoneng.inspections.models import Inspection
    from xiaoneng.planning.patrol.models import Task
    from xiaoneng.registry.models import Entity

    types = [ContentType.objects.get_for_model(m).pk for m in (Inspection, Task, Entity)]
    step = 1_000_000
    for first in range(0, rows, step):
        last = min(rows, first + step) - 1
        params: dict[str, Any] = {
            "total": rows,
            "types": types,
            "objects": 10_000_000,
            "first": first,
            "last": last,
        }
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(TRACE_SQL, params)
        say(f"  {last + 1:,} / {rows:,} trace events written")
