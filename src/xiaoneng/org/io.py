"""Import and export of units, officers (CSV, XLSX) and grids (GeoJSON, CSV, XLSX).

Like the entity import: every row is checked, errors are reported as ``row N, column: message``
and nothing is written unless the whole file is right. In a GeoJSON file "row N" is the N-th
feature plus one, so that the numbering matches the same grids exported as a table.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from xiaoneng.core import audit
from xiaoneng.core.errors import DomainError
from xiaoneng.core.tabular import (
    Column,
    ImportRejected,
    RowError,
    as_text,
    bind_columns,
    read_table,
    rows_as_dicts,
    write_csv,
    write_xlsx,
)
from xiaoneng.org import geo, services
from xiaoneng.org.models import Grid, Officer, Role, Section, Unit, Zone

UNIT_COLUMNS = [
    Column("code", "单位代码", required=True),
    Column("name", "名称", required=True),
    Column("kind", "类型", required=True),
    Column("parent", "上级单位代码"),
    Column("region_code", "行政区划代码", required=True),
    Column("address", "地址"),
    Column("phone", "电话"),
]
OFFICER_COLUMNS = [
    Column("username", "用户名", required=True),
    Column("name", "姓名", required=True),
    Column("unit", "所在单位代码"),
    Column("certificate_number", "执法证号"),
    Column("roles", "角色"),
    Column("phone", "电话"),
    Column("is_active", "在岗"),
    Column("password", "初始密码"),
]
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
UNIT_KIND_WORDS = {Unit.Kind.BUREAU: "局", Unit.Kind.DIVISION: "科室", Unit.Kind.STATION: "所"}
ROLE_SEPARATORS = (",", "，", "、", ";", "；")


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # Entities moved to another grid after a grid import (set by the caller that re-assigns).
    reassigned: int = 0


def _table(
    source: Any, filename: str | None, columns: list[Column]
) -> tuple[list[tuple[int, dict[str, Any]]], dict[str, str]]:
    rows = read_table(source, filename=filename)
    header = next(rows, None)
    if header is None:
        raise ImportRejected([RowError(1, _("文件"), _("文件是空的"))])
    positions, errors = bind_columns(header, columns)
    if errors:
        raise ImportRejected(errors)
    labels = {c.name: c.label for c in columns}
    headers = {name: str(header[i]).strip() for name, i in positions.items()}
    # Every column of these files is text; a spreadsheet may have typed codes as numbers.
    data = [
        (number, {name: as_text(value) for name, value in values.items()})
        for number, values in rows_as_dicts(rows, positions)
    ]
    if not data:
        raise ImportRejected([RowError(2, _("文件"), _("文件中没有数据行"))])
    return data, labels | headers


def _word(value: Any, words: dict[Any, str]) -> str | None:
    text = str(value or "").strip()
    for code, word in words.items():
        if text in (word, str(code)):
            return str(code)
    return None


def _duplicates(
    data: list[tuple[int, dict[str, Any]]], key: str, labels: dict[str, str]
) -> list[RowError]:
    first: dict[str, int] = {}
    errors = []
    for number, values in data:
        value = values.get(key)
        if value is None:
            continue
        if value in first:
            errors.append(
                RowError(
                    number,
                    labels[key],
                    _("与第 %(row)d 行重复：%(value)s") % {"row": first[value], "value": value},
                )
            )
        else:
            first[value] = number
    return errors


def _required(
    number: int, values: dict[str, Any], columns: list[Column], labels: dict[str, str]
) -> list[RowError]:
    return [
        RowError(number, labels[c.name], _("必填"))
        for c in columns
        if c.required and values.get(c.name) is None
    ]


# Units ---------------------------------------------------------------------------------


def import_units(source: Any, *, filename: str | None = None, update: bool = False) -> ImportResult:
    """Import the unit tree; a row's parent may be an existing unit or a row of the same file."""
    data, labels = _table(source, filename, UNIT_COLUMNS)
    errors = _duplicates(data, "code", labels)
    existing = {u.code: u for u in Unit.objects.all()}
    in_file = {values["code"]: values for _n, values in data if values.get("code")}
    # Codes that are (or will be) a parent: such a unit must stay a bureau.
    parents = {v["parent"] for _n, v in data if v.get("parent")} | set(
        Unit.objects.filter(children__isnull=False).values_list("code", flat=True)
    )
    for number, values in data:
        errors += _required(number, values, UNIT_COLUMNS, labels)
        kind = _word(values.get("kind"), UNIT_KIND_WORDS)
        if values.get("kind") is not None and kind is None:
            errors.append(
                RowError(
                    number,
                    labels["kind"],
                    _("无效的值“%(value)s”（应为 局、科室、所）") % {"value": values["kind"]},
                )
            )
        region = str(values.get("region_code") or "")
        if values.get("region_code") is not None and not (region.isdigit() and len(region) == 6):
            errors.append(
                RowError(
                    number, labels["region_code"], _("应为 6 位数字：%(value)s") % {"value": region}
                )
            )
        parent = values.get("parent")
        if parent is None and kind not in (None, Unit.Kind.BUREAU):
            errors.append(RowError(number, labels["parent"], _("科室和所必须有上级单位")))
        if parent is not None:
            parent_kind = (
                _word(in_file[parent].get("kind"), UNIT_KIND_WORDS)
                if parent in in_file
                else existing[parent].kind
                if parent in existing
                else None
            )
            if parent not in in_file and parent not in existing:
                errors.append(
                    RowError(
                        number,
                        labels["parent"],
                        _("未知的上级单位代码：%(value)s") % {"value": parent},
                    )
                )
            elif parent_kind != Unit.Kind.BUREAU:
                errors.append(RowError(number, labels["parent"], _("上级单位必须是局")))
            elif parent == values.get("code"):
                errors.append(RowError(number, labels["parent"], _("上级单位不能是自己")))
        if values.get("code") in existing and not update:
            errors.append(
                RowError(
                    number, labels["code"], _("单位代码已存在；更新请选择更新模式（--update）")
                )
            )
        elif values.get("code") in parents and kind not in (None, Unit.Kind.BUREAU):
            errors.append(RowError(number, labels["kind"], _("该单位有下级单位，类型必须是局")))
    if errors:
        raise ImportRejected(errors)
    result = ImportResult()
    with transaction.atomic():
        pending = list(data)
        while pending:
            ready = [
                (n, v) for n, v in pending if v.get("parent") is None or v["parent"] in existing
            ]
            if not ready:
                raise ImportRejected(
                    [RowError(n, labels["parent"], _("上级单位关系成环")) for n, _v in pending]
                )
            for _number, values in ready:
                existing[values["code"]] = _save_unit(values, existing, result)
            pending = [item for item in pending if item not in ready]
    return result


def _save_unit(values: dict[str, Any], existing: dict[str, Unit], result: ImportResult) -> Unit:
    kind = _word(values["kind"], UNIT_KIND_WORDS)
    parent = existing.get(values.get("parent") or "")
    unit = existing.get(values["code"])
    if unit is None:
        result.created += 1
        return services.create_unit(
            code=values["code"],
            name=values["name"],
            kind=kind or "",
            parent=parent,
            region_code=str(values["region_code"]),
            address=values.get("address") or "",
            phone=str(values.get("phone") or ""),
        )
    before = audit.snapshot(unit)
    unit.name, unit.kind, unit.region_code = (
        values["name"],
        kind or unit.kind,
        str(values["region_code"]),
    )
    unit.address, unit.phone = values.get("address") or "", str(values.get("phone") or "")
    if audit.diff(before, audit.snapshot(unit)):
        unit.save()
        result.updated += 1
    else:
        result.unchanged += 1
    if parent is not None and unit.parent_id != parent.pk:
        services.move_unit(unit=unit, parent=parent)
    return unit


def unit_rows(queryset: QuerySet[Unit]) -> Iterator[list[Any]]:
    for unit in queryset.select_related("parent").order_by("path"):
        yield [
            unit.code,
            unit.name,
            UNIT_KIND_WORDS[Unit.Kind(unit.kind)],
            unit.parent.code if unit.parent else "",
            unit.region_code,
            unit.address,
            unit.phone,
        ]


# Officers ------------------------------------------------------------------------------


def _roles(value: Any) -> tuple[list[str], list[str]]:
    text = str(value or "")
    for separator in ROLE_SEPARATORS:
        text = text.replace(separator, ",")
    by_word = {str(label): code for code, label in Role.LABELS.items()} | {
        c: c for c in Role.LABELS
    }
    found: list[str] = []
    unknown: list[str] = []
    for part in (p.strip() for p in text.split(",")):
        if part:
            (found if part in by_word else unknown).append(by_word.get(part, part))
    return found, unknown


def import_officers(
    source: Any, *, filename: str | None = None, update: bool = False
) -> ImportResult:
    """Import officers; an initial password may be given for new ones (never exported)."""
    data, labels = _table(source, filename, OFFICER_COLUMNS)
    errors = _duplicates(data, "username", labels) + _duplicates(data, "certificate_number", labels)
    units = {u.code: u for u in Unit.objects.all()}
    officers = {o.username: o for o in Officer.objects.all()}
    certificates = {
        o.certificate_number: o.username for o in officers.values() if o.certificate_number
    }
    parsed = []
    for number, values in data:
        errors += _required(number, values, OFFICER_COLUMNS, labels)
        roles, unknown = _roles(values.get("roles"))
        if unknown:
            errors.append(
                RowError(
                    number,
                    labels["roles"],
                    _("未知的角色：%(roles)s") % {"roles": "、".join(unknown)},
                )
            )
        unit_code = values.get("unit")
        if unit_code is not None and unit_code not in units:
            errors.append(
                RowError(
                    number, labels["unit"], _("未知的单位代码：%(value)s") % {"value": unit_code}
                )
            )
        if unit_code is None and set(roles) - {Role.ADMINISTRATOR}:
            errors.append(RowError(number, labels["unit"], _("执法人员必须有所在单位")))
        username = values.get("username")
        if username in officers and not update:
            errors.append(
                RowError(
                    number, labels["username"], _("用户名已存在；更新请选择更新模式（--update）")
                )
            )
        certificate = values.get("certificate_number")
        if certificate is not None:
            certificate = str(certificate)
            if not services.CERTIFICATE.match(certificate):
                errors.append(
                    RowError(
                        number,
                        labels["certificate_number"],
                        _("执法证号格式错误：%(value)s") % {"value": certificate},
                    )
                )
            elif certificates.get(certificate, username) != username:
                errors.append(
                    RowError(
                        number,
                        labels["certificate_number"],
                        _("执法证号已被使用：%(value)s") % {"value": certificate},
                    )
                )
        password = values.get("password")
        if password is not None and (username in officers or len(str(password)) < 8):
            message = (
                _("初始密码只用于新建人员") if username in officers else _("初始密码至少 8 位")
            )
            errors.append(RowError(number, labels["password"], message))
        active = values.get("is_active")
        if active is not None and str(active) not in {"是", "否"}:
            errors.append(
                RowError(
                    number, labels["is_active"], _("应为“是”或“否”：%(value)s") % {"value": active}
                )
            )
        parsed.append((values, roles, certificate))
    if errors:
        raise ImportRejected(errors)
    result = ImportResult()
    with transaction.atomic():
        for values, roles, certificate in parsed:
            _save_officer(values, roles, certificate, units, officers, result)
    return result


def _save_officer(
    values: dict[str, Any],
    roles: list[str],
    certificate: str | None,
    units: dict[str, Unit],
    officers: dict[str, Officer],
    result: ImportResult,
) -> None:
    unit = units.get(values.get("unit") or "")
    officer = officers.get(values["username"])
    if officer is None:
        officer = services.create_officer(
            username=values["username"],
            name=values["name"],
            unit=unit,
            roles=roles,
            certificate_number=certificate,
            phone=str(values.get("phone") or ""),
            password=values.get("password"),
        )
        if values.get("is_active") == "否":
            officer.is_active = False
            officer.save(update_fields=["is_active"])
        result.created += 1
        return
    before = audit.snapshot(officer)
    officer.name, officer.unit, officer.certificate_number = values["name"], unit, certificate
    officer.phone = str(values.get("phone") or "")
    if values.get("is_active") is not None:
        officer.is_active = values["is_active"] == "是"
    changed = bool(audit.diff(before, audit.snapshot(officer)))
    if changed:
        officer.save()
        services.release_grids_elsewhere(officer=officer)
    if set(roles) != set(officer.role_codes()):
        services.set_roles(officer=officer, roles=roles)
        changed = True
    if changed:
        result.updated += 1
    else:
        result.unchanged += 1


def officer_rows(queryset: QuerySet[Officer]) -> Iterator[list[Any]]:
    for officer in queryset.select_related("unit").prefetch_related("roles").order_by("username"):
        roles = "、".join(str(Role.LABELS[r.code]) for r in officer.roles.all())
        yield [
            officer.username,
            officer.name,
            officer.unit.code if officer.unit else "",
            officer.certificate_number or "",
            roles,
            officer.phone,
            officer.is_active,
            "",
        ]


# Grids ---------------------------------------------------------------------------------


def _grid_records(
    source: Any, filename: str | None
) -> tuple[list[tuple[int, dict[str, Any]]], dict[str, str]]:
    name = filename or str(source)
    if Path(name).suffix.lower() not in {".geojson", ".json"}:
        return _table(source, filename, GRID_COLUMNS)
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


def import_grids(source: Any, *, filename: str | None = None, update: bool = False) -> ImportResult:
    """Import grids, creating their zones and sections as needed.

    Entities follow new boundaries when the caller re-assigns them (registry.transfer does).
    """
    data, labels = _grid_records(source, filename)
    errors = _duplicates(data, "code", labels)
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
        errors += _required(number, values, GRID_COLUMNS, labels)
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


def export_table(
    kind: str, queryset: QuerySet[Any], target: IO[Any] | str | Path, *, fmt: str
) -> int:
    """Write units, officers or grids as CSV (text stream), XLSX or (grids) GeoJSON."""
    exporters: dict[str, tuple[list[Column], Callable[[Any], Iterator[list[Any]]], str]] = {
        "units": (UNIT_COLUMNS, unit_rows, _("单位")),
        "officers": (OFFICER_COLUMNS, officer_rows, _("人员")),
        "grids": (GRID_COLUMNS, grid_rows, _("网格")),
    }
    columns, rows, title = exporters[kind]
    if fmt == "geojson":
        if kind != "grids":
            raise DomainError(_("只有网格可以导出为 GeoJSON"))
        document = grids_geojson(queryset)
        text = json.dumps(document, ensure_ascii=False, indent=1)
        if isinstance(target, str | Path):
            Path(target).write_text(text, encoding="utf-8")
        else:
            target.write(text)
        return len(document["features"])
    if fmt == "csv":
        return write_csv(target, columns, rows(queryset))  # type: ignore[arg-type]
    return write_xlsx(target, columns, rows(queryset), title=title)
