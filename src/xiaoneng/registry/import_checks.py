"""The checks an entity import runs over all its rows before writing any (``registry.io``).

Each check looks at every row at once — duplicates within the file, coordinates outside
China, entities and licences already registered, the class, grid and unit each row resolves
to — and adds its errors to the row, so that the import can report them all together.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.utils.translation import gettext as _

from xiaoneng.core.errors import FieldError
from xiaoneng.core.scoping import in_scope
from xiaoneng.org import geo
from xiaoneng.org.models import Officer
from xiaoneng.registry.fields import outside_china_error
from xiaoneng.registry.models import Entity, Licence
from xiaoneng.registry.placement import Placement, Resolver, current_values

CHUNK = 5000


@dataclass
class ImportRow:
    """One data row of an import file: its checked values, placement and errors."""

    number: int
    clean: dict[str, Any]
    placement: Placement | None = None
    existing_id: int | None = None
    errors: list[FieldError] = field(default_factory=list)


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    """``items`` in slices of ``size``, so that no query names more ids than a database takes."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def check_duplicates(rows: list[ImportRow]) -> None:
    """A USCC or licence number given twice in the file: the later rows name the first."""
    first_uscc: dict[str, int] = {}
    first_licence: dict[tuple[str, str], int] = {}
    for row in rows:
        uscc = row.clean.get("uscc")
        if uscc:
            if uscc in first_uscc:
                row.errors.append(
                    FieldError(
                        "uscc",
                        _("与第 %(row)d 行重复：%(uscc)s")
                        % {"row": first_uscc[uscc], "uscc": uscc},
                    )
                )
            else:
                first_uscc[uscc] = row.number
        for licence in row.clean.get("licences") or []:
            key = (licence.kind, licence.number)
            if key in first_licence and first_licence[key] != row.number:
                row.errors.append(
                    FieldError(
                        "licences",
                        _("许可证编号 %(number)s 与第 %(row)d 行重复")
                        % {"number": licence.number, "row": first_licence[key]},
                    )
                )
            first_licence.setdefault(key, row.number)


def check_coordinates(rows: list[ImportRow]) -> None:
    """Coordinates outside China, checked on arrays for the whole file."""
    placed = [
        r
        for r in rows
        if r.clean.get("longitude") is not None and r.clean.get("latitude") is not None
    ]
    if not placed:
        return
    lon = np.array([r.clean["longitude"] for r in placed])
    lat = np.array([r.clean["latitude"] for r in placed])
    for index in np.flatnonzero(geo.outside_china(lon, lat)):
        row = placed[index]
        row.errors.append(outside_china_error(row.clean["longitude"], row.clean["latitude"]))


def check_existing(rows: list[ImportRow], update: bool) -> None:
    """A USCC already registered: the row updates it in update mode, else it is refused."""
    usccs = [r.clean["uscc"] for r in rows if "uscc" in r.clean]
    existing: dict[str, int] = {}
    for chunk in chunks(usccs):
        existing.update(Entity.objects.filter(uscc__in=chunk).values_list("uscc", "pk"))
    for row in rows:
        pk = existing.get(row.clean.get("uscc", ""))
        if pk is None:
            continue
        if update:
            row.existing_id = pk
        else:
            row.errors.append(
                FieldError(
                    "uscc", _("统一社会信用代码已存在；更新已有主体请选择更新模式（--update）")
                )
            )


def check_licences(rows: list[ImportRow]) -> None:
    """A licence number already registered to another entity is refused."""
    wanted = {
        (lic.kind, lic.number): row for row in rows for lic in row.clean.get("licences") or []
    }
    if not wanted:
        return
    numbers = sorted({number for _kind, number in wanted})
    for chunk in chunks(numbers):
        for kind, number, entity_id in Licence.objects.filter(number__in=chunk).values_list(
            "kind", "number", "entity_id"
        ):
            row = wanted.get((kind, number))
            if row is not None and row.existing_id != entity_id:
                row.errors.append(
                    FieldError(
                        "licences",
                        _("许可证编号 %(number)s 已登记在其他主体名下") % {"number": number},
                    )
                )


def resolve_rows(rows: list[ImportRow], resolver: Resolver, actor: Officer | None) -> None:
    """Class, grid and unit of every error-free row; a unit outside ``actor``'s scope refused."""
    existing = load_existing([r.existing_id for r in rows if r.existing_id])
    ok = [r for r in rows if not r.errors]
    lon = [r.clean.get("longitude") for r in ok]
    lat = [r.clean.get("latitude") for r in ok]
    auto = resolver.index.assign(
        [np.nan if v is None else v for v in lon], [np.nan if v is None else v for v in lat]
    )
    for row, grid in zip(ok, auto.tolist(), strict=True):
        entity = existing.get(row.existing_id) if row.existing_id else None
        merged = dict(row.clean)
        if entity is not None:
            merged = current_values(entity) | row.clean
            if "longitude" not in row.clean:
                grid = resolver.index.assign_one(entity.longitude, entity.latitude) or geo.NO_GRID
        placement, errors = resolver.resolve(
            merged, row.clean, existing=entity, auto_grid=None if grid == geo.NO_GRID else grid
        )
        row.errors += errors
        row.placement = placement
        if placement is not None and actor is not None and not in_scope(actor, placement.unit_id):
            row.errors.append(FieldError("grid", _("该主体所属单位不在您的辖区内")))


def load_existing(ids: list[int | None]) -> dict[int, Entity]:
    """The existing entities of these ids, with their licences, by id."""
    found: dict[int, Entity] = {}
    for chunk in chunks([i for i in ids if i]):
        found.update(
            (e.pk, e) for e in Entity.objects.filter(pk__in=chunk).prefetch_related("licences")
        )
    return found
