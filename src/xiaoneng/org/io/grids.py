"""Grids from GeoJSON or tables (zones and sections created as needed), and back."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from xiaoneng.core import audit
from xiaoneng.core.errors import DomainError
from xiaoneng.core.tabular import (
    Column,
    ImportRejected,
    RowError,
)
from xiaoneng.org import geo, services
from xiaoneng.org.io.common import ImportResult, duplicates, read_records, required
from xiaoneng.org.models import Grid, Officer, Section, Unit, Zone

GRID_COLUMNS = [
    Column("code", "网格编号", required=True),
    Column("name", "网格名称", required=True),
    Column("station", "所代码", required=True),
    Column("zone", "责任区编号", required=True),
    Column("zone_name", "责任区名称"),
    Column("section", "区间编号", required=True),
    Column("section_name", "区间名称"),
    Column("officer", "责任人用户名"),
    Column("region_code", "行政区划代码", required=True),
    Column("boundary", "边界", required=True),
]


def _grid_records(
    source: Any, filename: str | None
) -> tuple[list[tuple[int, dict[str, Any]]], dict[str, str]]:
    name = filename or str(source)
    if Path(name).suffix.lower() not in {".geojson", ".json"}:
        return read_records(source, filename, GRID_COLUMNS)
    raw = Path(source).read_bytes() if isinstance(source, str | Path) else source.read()
    labels = {c.name: c.label for c in GRID_COLUMNS}
    try:
        document = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ImportRejected(
            [RowError(1, _("文件"), _("不是有效的 GeoJSON：%(error)s") % {"error": error})]
        ) from None
    features = document.get("features") if isinstance(document, dict) else None
    if not isinstance(features, list) or document.get("type") != "FeatureCollection":
        raise ImportRejected([RowError(1, _("文件"), _("GeoJSON 必须是 FeatureCollection"))])
    if not features:
        raise ImportRejected([RowError(2, _("文件"), _("文件中没有网格"))])
    by_label = {c.label: c.name for c in GRID_COLUMNS} | {c.name: c.name for c in GRID_COLUMNS}
    records = []
    for number, feature in enumerate(features, start=2):
        properties = (feature or {}).get("properties") or {}
        values = {
            by_label.get(k, k): (str(v).strip() or None) if v is not None else None
            for k, v in properties.items()
        }
        values["boundary"] = (feature or {}).get("geometry")
        records.append((number, values))
    return records, labels


def import_grids(*, source: Any, filename: str | None = None, update: bool = False) -> ImportResult:
    """Import grids, creating their zones and sections as needed.

    Entities follow new boundaries when the caller re-assigns them (registry.transfer does).
    """
    data, labels = _grid_records(source, filename)
    errors = duplicates(data, "code", labels)
    stations = {u.code: u for u in Unit.objects.filter(kind=Unit.Kind.STATION)}
    zones = {z.code: z for z in Zone.objects.select_related("station")}
    sections = {s.code: s for s in Section.objects.select_related("zone")}
    grids = {g.code: g for g in Grid.objects.all()}
    officers = {o.username: o for o in Officer.objects.all()}
    known = {c.name for c in GRID_COLUMNS}
    zone_station: dict[str, str] = {}
    section_zone: dict[str, str] = {}
    for number, values in data:
        errors += [RowError(number, k, _("未知的属性")) for k in values if k not in known]
        errors += required(number, values, GRID_COLUMNS, labels)
        station, zone, section = values.get("station"), values.get("zone"), values.get("section")
        if station is not None and station not in stations:
            errors.append(
                RowError(
                    number, labels["station"], _("未知的所代码：%(value)s") % {"value": station}
                )
            )
        if zone is not None:
            expected = zone_station.setdefault(
                zone, zones[zone].station.code if zone in zones else station or ""
            )
            if station is not None and expected != station:
                errors.append(
                    RowError(
                        number,
                        labels["zone"],
                        _("责任区 %(zone)s 属于所 %(station)s")
                        % {"zone": zone, "station": expected},
                    )
                )
        if section is not None:
            expected = section_zone.setdefault(
                section, sections[section].zone.code if section in sections else zone or ""
            )
            if zone is not None and expected != zone:
                errors.append(
                    RowError(
                        number,
                        labels["section"],
                        _("区间 %(section)s 属于责任区 %(zone)s")
                        % {"section": section, "zone": expected},
                    )
                )
        username = values.get("officer")
        if username is not None:
            officer = officers.get(username)
            if officer is None:
                errors.append(
                    RowError(
                        number,
                        labels["officer"],
                        _("未知的用户名：%(value)s") % {"value": username},
                    )
                )
            elif station in stations and officer.unit_id != stations[station].pk:
                errors.append(
                    RowError(
                        number,
                        labels["officer"],
                        _("网格责任人必须是 %(station)s 的人员")
                        % {"station": stations[station].name},
                    )
                )
        region = str(values.get("region_code") or "")
        if values.get("region_code") is not None and not (region.isdigit() and len(region) == 6):
            errors.append(
                RowError(
                    number, labels["region_code"], _("应为 6 位数字：%(value)s") % {"value": region}
                )
            )
        if values.get("boundary") is not None:
            try:
                values["boundary"] = geo.parse_boundary(values["boundary"])
            except DomainError as error:
                errors.append(RowError(number, labels["boundary"], error.errors[0].message))
        if values.get("code") in grids and not update:
            errors.append(
                RowError(
                    number, labels["code"], _("网格编号已存在；更新请选择更新模式（--update）")
                )
            )
    if errors:
        raise ImportRejected(errors)
    result = ImportResult()
    with transaction.atomic():
        for _number, values in data:
            _save_grid(values, stations, zones, sections, grids, officers, result)
    return result


def _save_grid(
    values: dict[str, Any],
    stations: dict[str, Unit],
    zones: dict[str, Zone],
    sections: dict[str, Section],
    grids: dict[str, Grid],
    officers: dict[str, Officer],
    result: ImportResult,
) -> None:
    station = stations[values["station"]]
    zone = zones.get(values["zone"])
    if zone is None:
        zone = zones[values["zone"]] = services.create_zone(
            code=values["zone"], name=values.get("zone_name") or values["zone"], station=station
        )
    section = sections.get(values["section"])
    if section is None:
        section = sections[values["section"]] = services.create_section(
            code=values["section"], name=values.get("section_name") or values["section"], zone=zone
        )
    officer = officers.get(values.get("officer") or "")
    grid = grids.get(values["code"])
    if grid is None:
        services.create_grid(
            code=values["code"],
            name=values["name"],
            section=section,
            boundary=values["boundary"],
            officer=officer,
            region_code=str(values["region_code"]),
        )
        result.created += 1
        return
    before = audit.snapshot(grid)
    grid.name, grid.section, grid.station, grid.officer = values["name"], section, station, officer
    grid.boundary, grid.region_code = values["boundary"], str(values["region_code"])
    grid.area_km2 = round(geo.area_km2(grid.boundary), 3)
    if audit.diff(before, audit.snapshot(grid)):
        grid.save()
        result.updated += 1
    else:
        result.unchanged += 1


def grid_rows(queryset: QuerySet[Grid]) -> Iterator[list[Any]]:
    for grid in queryset.select_related("section__zone", "station", "officer").order_by("code"):
        yield [
            grid.code,
            grid.name,
            grid.station.code,
            grid.section.zone.code,
            grid.section.zone.name,
            grid.section.code,
            grid.section.name,
            grid.officer.username if grid.officer else "",
            grid.region_code,
            json.dumps(grid.boundary, ensure_ascii=False),
        ]


def grids_geojson(queryset: QuerySet[Grid]) -> dict[str, Any]:
    """The grids as a GeoJSON FeatureCollection whose properties are the grid columns."""
    names = [c.name for c in GRID_COLUMNS if c.name != "boundary"]
    features = []
    for row in grid_rows(queryset):
        properties = dict(zip(names, row[:-1], strict=True))
        features.append(
            {"type": "Feature", "properties": properties, "geometry": json.loads(row[-1])}
        )
    return {"type": "FeatureCollection", "features": features}
