"""Import of the entity register (CSV, XLSX); the export is in registry/export.py.

An import is one transaction: every row is checked first, and if any is wrong nothing is
written and every error is reported as ``row N, column: message``. Rows are written in bulk
(``bulk_create``/``bulk_update``) with their trace recorded in bulk.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import numpy as np
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import audit, bulk
from xiaoneng.core.errors import FieldError
from xiaoneng.core.scoping import in_scope
from xiaoneng.core.tabular import (
    ImportRejected,
    RowError,
    bind_columns,
    read_table,
    rows_as_dicts,
)
from xiaoneng.org import geo
from xiaoneng.registry.fields import (
    COLUMNS,
    LABELS,
    outside_china_error,
    read_values,
)
from xiaoneng.registry.models import (
    ClassificationChange,
    CreditGrade,
    Entity,
    Licence,
    LicenceKind,
)
from xiaoneng.registry.services import (
    DATA_FIELDS,
    MODEL_FIELD,
    Placement,
    Resolver,
    apply_values,
    current_values,
    save_licences,
)

CHUNK = 5000
Action = audit.AuditEvent.Action


@dataclass
class ImportResult:
    """What an import wrote."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    licences: int = 0


@dataclass
class _Row:
    number: int
    clean: dict[str, Any]
    placement: Placement | None = None
    existing_id: int | None = None
    errors: list[FieldError] = field(default_factory=list)


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def import_entities(
    source: str | Path | IO[bytes],
    *,
    filename: str | None = None,
    update: bool = False,
    actor: Any = None,
) -> ImportResult:
    """Import an entity file; raises ``ImportRejected`` listing every error, writing nothing."""
    with bulk.paused_gc():
        return _import_entities(source, filename=filename, update=update, actor=actor)


def _import_entities(
    source: str | Path | IO[bytes], *, filename: str | None, update: bool, actor: Any
) -> ImportResult:
    table = read_table(source, filename=filename)
    header = next(table, None)
    if header is None:
        raise ImportRejected([RowError(1, _("文件"), _("文件是空的"))])
    positions, header_errors = bind_columns(header, COLUMNS)
    if header_errors:
        raise ImportRejected(header_errors)
    row_errors: list[RowError]
    headers = {name: str(header[i]).strip() for name, i in positions.items()}
    resolver = Resolver()
    rows = []
    for number, values in rows_as_dicts(table, positions):
        clean, field_errors = read_values(values, resolver.lookups, check_coordinates=False)
        rows.append(_Row(number, clean, errors=field_errors))
    if not rows:
        raise ImportRejected([RowError(2, _("文件"), _("文件中没有数据行"))])
    _check_duplicates(rows)
    _check_coordinates(rows)
    _check_existing(rows, update)
    _check_licences(rows)
    _resolve(rows, resolver, actor)
    row_errors = [
        RowError(row.number, headers.get(e.field, LABELS.get(e.field, e.field)), e.message)
        for row in rows
        for e in row.errors
    ]
    if row_errors:
        raise ImportRejected(row_errors)
    with transaction.atomic(), audit.acting_as(actor, source=audit.AuditEvent.Source.IMPORT):
        result = ImportResult()
        _create(
            [r for r in rows if r.existing_id is None],
            result,
            actor,
            reason=_("导入文件 %(name)s") % {"name": Path(filename or str(source)).name},
        )
        _update(
            [r for r in rows if r.existing_id is not None], result, actor, filename or str(source)
        )
    return result


def _check_duplicates(rows: list[_Row]) -> None:
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


def _check_coordinates(rows: list[_Row]) -> None:
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


def _check_existing(rows: list[_Row], update: bool) -> None:
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


def _check_licences(rows: list[_Row]) -> None:
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


def _resolve(rows: list[_Row], resolver: Resolver, actor: Any) -> None:
    existing = _load_existing([r.existing_id for r in rows if r.existing_id])
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


def _load_existing(ids: list[int | None]) -> dict[int, Entity]:
    found: dict[int, Entity] = {}
    for chunk in chunks([i for i in ids if i]):
        found.update(
            (e.pk, e) for e in Entity.objects.filter(pk__in=chunk).prefetch_related("licences")
        )
    return found


# Values of a new entity's columns when its file leaves them out.
NEW_ENTITY_DEFAULTS: dict[str, Any] = {
    "address": "",
    "longitude": None,
    "latitude": None,
    "legal_representative": "",
    "registered_capital": None,
    "established": None,
    "status": Entity.Status.OPERATING,
    "hot_industry": False,
    "hot_industry_note": "",
}


def _new_entity_values(row: _Row, today: Any) -> dict[str, Any]:
    """The columns of a new entity (by attname), from its clean values and placement."""
    clean, placement = row.clean, row.placement
    assert placement is not None
    values = {
        name: clean[name] if clean.get(name) is not None else default
        for name, default in NEW_ENTITY_DEFAULTS.items()
    }
    return values | {
        "uscc": clean["uscc"],
        "name": clean["name"],
        "kind": clean["kind"],
        "industry_id": clean["industry"],
        "region_code": clean.get("region_code") or clean["uscc"][2:8],
        "registered_on": clean.get("registered_on") or today,
        "credit_grade": clean.get("credit_grade") or CreditGrade.B,
        "risk_class": placement.risk_class,
        "risk_class_overridden": placement.risk_class_overridden,
        "grid_id": placement.grid_id,
        "grid_overridden": placement.grid_overridden,
        "unit_id": placement.unit_id,
    }


def _columns(rows: list[dict[str, Any]]) -> dict[str, list[Any]]:
    return {name: [row[name] for row in rows] for name in rows[0]} if rows else {}


def _create(rows: list[_Row], result: ImportResult, actor: Any, reason: str) -> None:
    """Write new entities, their licences, overrides and trace with plain bulk INSERTs."""
    today, now = timezone.localdate(), timezone.now()
    context = audit.current_context()
    trace = {
        "at": now,
        "actor": context.resolve_actor(),
        "source": context.source,
        "reason": reason,
    }
    changed_by = actor.pk if getattr(actor, "pk", None) else None
    for chunk in chunks(rows):
        entities = _columns([_new_entity_values(row, today) for row in chunk])
        ids = bulk.insert(Entity, entities, len(chunk), now=now)
        licences = _columns(
            [
                {
                    "entity_id": pk,
                    "kind": v.kind,
                    "number": v.number,
                    "issued": v.issued,
                    "expires": v.expires,
                }
                for pk, row in zip(ids, chunk, strict=True)
                for v in row.clean.get("licences") or []
            ]
        )
        licence_count = len(licences.get("entity_id", []))
        licence_ids = bulk.insert(Licence, licences, licence_count, now=now)
        overrides = _columns(
            [
                {
                    "entity_id": pk,
                    "field": ClassificationChange.Field.RISK_CLASS,
                    "old_value": "",
                    "new_value": row.placement.risk_class,
                    "reason": row.clean.get("risk_class_reason") or reason,
                    "changed_by_id": changed_by,
                    "changed_at": now,
                }
                for pk, row in zip(ids, chunk, strict=True)
                if row.placement is not None and row.placement.risk_class_overridden
            ]
        )
        bulk.insert(ClassificationChange, overrides, len(overrides.get("entity_id", [])), now=now)
        events = audit.event_columns(
            Entity,
            object_ids=ids,
            reprs=entities["name"],
            changes=audit.changes_from_columns(Entity, entities, len(chunk)),
            action=Action.CREATE,
            **trace,
        )
        bulk.insert(audit.AuditEvent, events, len(chunk), now=now)
        if licence_count:
            labels = {kind: str(kind.label) for kind in LicenceKind}
            events = audit.event_columns(
                Licence,
                object_ids=licence_ids,
                reprs=[
                    f"{labels[LicenceKind(k)]} {n}"
                    for k, n in zip(licences["kind"], licences["number"], strict=True)
                ],
                changes=audit.changes_from_columns(Licence, licences, licence_count),
                action=Action.CREATE,
                **trace,
            )
            bulk.insert(audit.AuditEvent, events, licence_count, now=now)
        result.created += len(chunk)
        result.licences += licence_count


def _update(rows: list[_Row], result: ImportResult, actor: Any, filename: str) -> None:
    now = timezone.now()
    changed_fields = [
        *(MODEL_FIELD.get(n, n) for n in DATA_FIELDS),
        "uscc",
        "risk_class",
        "risk_class_overridden",
        "credit_grade",
        "grid",
        "grid_overridden",
        "unit",
        "updated_at",
    ]
    for chunk in chunks(rows):
        entities = _load_existing([r.existing_id for r in chunk])
        saved, events, changes = [], [], []
        for row in chunk:
            entity = entities[row.existing_id]
            reason = _("导入文件 %(name)s 第 %(row)d 行") % {
                "name": Path(filename).name,
                "row": row.number,
            }
            before = audit.snapshot(entity)
            old_class, old_grade = entity.risk_class, entity.credit_grade
            assert row.placement is not None
            apply_values(entity, row.clean, row.placement)
            if row.clean.get("credit_grade"):
                entity.credit_grade = row.clean["credit_grade"]
            licence_changes = "licences" in row.clean and save_licences(
                entity, row.clean["licences"], reason
            )
            diff = audit.diff(before, audit.snapshot(entity))
            if not diff and not licence_changes:
                result.unchanged += 1
                continue
            entity.updated_at = now
            saved.append(entity)
            if diff:
                events.append((entity, Action.UPDATE, diff))
            for name, old, new, why in (
                (
                    "risk_class",
                    old_class,
                    entity.risk_class,
                    row.clean.get("risk_class_reason") or reason,
                ),
                ("credit_grade", old_grade, entity.credit_grade, reason),
            ):
                if old != new:
                    changes.append(
                        ClassificationChange(
                            entity=entity,
                            field=name,
                            old_value=old,
                            new_value=new,
                            reason=why,
                            changed_by=actor if getattr(actor, "pk", None) else None,
                            changed_at=now,
                        )
                    )
        Entity.objects.bulk_update(saved, changed_fields)
        ClassificationChange.objects.bulk_create(changes)
        audit.record_many(
            events, reason=_("导入文件 %(name)s") % {"name": Path(filename).name}, at=now
        )
        result.updated += len(saved)
