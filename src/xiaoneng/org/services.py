"""Organisation rules: the unit tree, officers, zones, sections and grids."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from xiaoneng.core.errors import Conflict, FieldError, InvalidInput
from xiaoneng.org import geo
from xiaoneng.org.models import Grid, Officer, Role, Section, Unit, Zone

REGION_CODE = re.compile(r"^\d{6}$")
CERTIFICATE = re.compile(r"^[0-9A-Za-z-]{6,30}$")


def check_region_code(value: str, field: str = "region_code") -> str:
    if not REGION_CODE.match(value or ""):
        raise InvalidInput.single(
            field, _("行政区划代码应为 6 位数字：%(value)s") % {"value": value}
        )
    return value


def create_unit(
    *,
    code: str,
    name: str,
    kind: str,
    parent: Unit | None,
    region_code: str,
    address: str = "",
    phone: str = "",
) -> Unit:
    """Add a unit under ``parent`` (a bureau has none or another bureau)."""
    check_region_code(region_code)
    if kind not in Unit.Kind.values:
        raise InvalidInput.single("kind", _("未知的单位类型：%(value)s") % {"value": kind})
    if parent is None and kind != Unit.Kind.BUREAU:
        raise InvalidInput.single("parent", _("科室和所必须有上级单位"))
    if parent is not None and parent.kind != Unit.Kind.BUREAU:
        raise InvalidInput.single("parent", _("上级单位必须是局"))
    if Unit.objects.filter(code=code).exists():
        raise Conflict(_("单位代码已存在：%(code)s") % {"code": code})
    unit = Unit(
        code=code,
        name=name,
        kind=kind,
        parent=parent,
        region_code=region_code,
        address=address,
        phone=phone,
        depth=0 if parent is None else parent.depth + 1,
    )
    unit.save()
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    Unit.objects.filter(pk=unit.pk).update(path=unit.path)
    return unit


def move_unit(*, unit: Unit, parent: Unit) -> Unit:
    """Put ``unit`` (with its subtree) under ``parent``."""
    if parent.path.startswith(unit.path):
        raise InvalidInput.single("parent", _("不能把单位移到它自己的下级之下"))
    if parent.kind != Unit.Kind.BUREAU:
        raise InvalidInput.single("parent", _("上级单位必须是局"))
    old_path, new_path = unit.path, f"{parent.path}{unit.pk}/"
    shift = parent.depth + 1 - unit.depth
    unit.parent = parent
    unit.save(update_fields=["parent"])
    Unit.objects.subtree(unit).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + shift,
    )
    unit.refresh_from_db()
    return unit


def set_roles(*, officer: Officer, roles: Iterable[str]) -> None:
    codes = set(roles)
    unknown = codes - set(Role.LABELS)
    if unknown:
        raise InvalidInput.single(
            "roles", _("未知的角色：%(roles)s") % {"roles": ", ".join(sorted(unknown))}
        )
    officer.roles.set(Role.objects.filter(code__in=codes))
    officer.__dict__.pop("_role_codes", None)
    officer.__dict__.pop("_visible_unit_ids", None)


def validate_officer(
    *,
    username: str,
    unit: Unit | None,
    certificate_number: str | None,
    roles: Iterable[str],
    instance: Officer | None = None,
) -> list[FieldError]:
    """Field errors of an officer's data (the importer and the forms share them)."""
    errors = []
    others = (
        Officer.objects.exclude(pk=instance.pk) if instance is not None else Officer.objects.all()
    )
    if not username:
        errors.append(FieldError("username", _("必填")))
    elif others.filter(username=username).exists():
        errors.append(FieldError("username", _("用户名已存在：%(value)s") % {"value": username}))
    if certificate_number:
        if not CERTIFICATE.match(certificate_number):
            errors.append(
                FieldError(
                    "certificate_number",
                    _("执法证号格式错误：%(value)s") % {"value": certificate_number},
                )
            )
        elif others.filter(certificate_number=certificate_number).exists():
            errors.append(
                FieldError(
                    "certificate_number",
                    _("执法证号已被使用：%(value)s") % {"value": certificate_number},
                )
            )
    codes = set(roles)
    if unknown := codes - set(Role.LABELS):
        errors.append(
            FieldError("roles", _("未知的角色：%(roles)s") % {"roles": ", ".join(sorted(unknown))})
        )
    if unit is None and codes - {Role.ADMINISTRATOR}:
        errors.append(FieldError("unit", _("执法人员必须有所在单位")))
    return errors


def create_officer(
    *,
    username: str,
    name: str,
    unit: Unit | None,
    roles: Iterable[str],
    certificate_number: str | None = None,
    phone: str = "",
    password: str | None = None,
) -> Officer:
    """Add an officer (a user who can log in once a password is set)."""
    roles = list(roles)
    errors = validate_officer(
        username=username, unit=unit, certificate_number=certificate_number, roles=roles
    )
    if errors:
        raise InvalidInput(errors[0].message, errors=errors)
    officer = Officer(
        username=username,
        name=name,
        unit=unit,
        certificate_number=certificate_number or None,
        phone=phone,
        is_staff=Role.ADMINISTRATOR in roles,
    )
    if password:
        officer.set_password(password)
    else:
        officer.set_unusable_password()
    officer.save()
    set_roles(officer=officer, roles=roles)
    return officer


def create_zone(*, code: str, name: str, station: Unit) -> Zone:
    if station.kind != Unit.Kind.STATION:
        raise InvalidInput.single("station", _("责任区必须属于一个所"))
    return Zone.objects.create(code=code, name=name, station=station)


def create_section(*, code: str, name: str, zone: Zone) -> Section:
    return Section.objects.create(code=code, name=name, zone=zone)


def check_grid_officer(officer: Officer | None, station: Unit) -> None:
    if officer is not None and officer.unit_id != station.pk:
        raise InvalidInput.single(
            "officer", _("网格责任人必须是 %(station)s 的人员") % {"station": station.name}
        )


def create_grid(
    *,
    code: str,
    name: str,
    section: Section,
    boundary: Any,
    officer: Officer | None = None,
    region_code: str,
) -> Grid:
    """Add a grid; its station is its zone's station, its boundary a valid polygon in China."""
    check_region_code(region_code)
    geometry = geo.parse_boundary(boundary)
    station = section.zone.station
    check_grid_officer(officer, station)
    if Grid.objects.filter(code=code).exists():
        raise Conflict(_("网格编号已存在：%(code)s") % {"code": code})
    return Grid.objects.create(
        code=code,
        name=name,
        section=section,
        station=station,
        officer=officer,
        boundary=geometry,
        region_code=region_code,
        area_km2=round(geo.area_km2(geometry), 3),
    )


def set_grid_officer(*, grid: Grid, officer: Officer | None) -> Grid:
    """Make ``officer`` responsible for ``grid``."""
    check_grid_officer(officer, grid.station)
    grid.officer = officer
    grid.save(update_fields=["officer"])
    return grid


def release_grids_elsewhere(*, officer: Officer) -> list[Grid]:
    """After an officer moves unit, the grids of other stations lose them as responsible."""
    released = list(officer.grids.exclude(station_id=officer.unit_id or 0))
    for grid in released:
        set_grid_officer(grid=grid, officer=None)
    return released


def grid_index(grids: Iterable[Grid] | None = None) -> geo.GridIndex:
    """The spatial index of the given grids (default: all)."""
    rows = (
        [(g.pk, g.boundary) for g in grids]
        if grids is not None
        else list(Grid.objects.values_list("pk", "boundary"))
    )
    return geo.GridIndex.from_boundaries(dict(rows))


def root_unit_for_region(region_code: str) -> Unit:
    """The bureau that answers for a region: exact region match, else the top bureau."""
    bureau = (
        Unit.objects.filter(kind=Unit.Kind.BUREAU, region_code=region_code)
        .order_by("depth")
        .first()
        or Unit.objects.filter(kind=Unit.Kind.BUREAU).order_by("depth", "pk").first()
    )
    if bureau is None:
        raise InvalidInput.single("unit", _("尚未建立任何局级单位"))
    return bureau
