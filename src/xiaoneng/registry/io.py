"""Import of the entity register (CSV, XLSX); the export is in registry/export.py.

An import is one transaction: every row is checked first (``registry.import_checks``), and if
any is wrong nothing is written and every error is reported as ``row N, column: message``.
Rows are written in bulk (plain INSERTs for new entities, ``bulk_update`` for existing ones)
with their trace recorded in bulk.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import audit, bulk
from xiaoneng.core.tabular import (
    ImportRejected,
    RowError,
    bind_columns,
    read_table,
    rows_as_dicts,
)
from xiaoneng.org.models import Officer
from xiaoneng.registry.fields import COLUMNS, LABELS, read_values
from xiaoneng.registry.import_checks import (
    ImportRow,
    check_coordinates,
    check_duplicates,
    check_existing,
    check_licences,
    chunks,
    load_existing,
    resolve_rows,
)
from xiaoneng.registry.models import ClassificationChange, CreditGrade, Entity, Licence, LicenceKind
from xiaoneng.registry.placement import (
    DATA_FIELDS,
    MODEL_FIELD,
    Resolver,
    apply_values,
    save_licences,
)

Action = audit.AuditEvent.Action


@dataclass
class ImportResult:
    """What an import wrote."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    licences: int = 0


def import_entities(
    *,
    source: str | Path | IO[bytes],
    filename: str | None = None,
    update: bool = False,
    actor: Officer | None = None,
) -> ImportResult:
    """Import an entity file; raises ``ImportRejected`` listing every error, writing nothing."""
    with bulk.paused_gc():
        return _import_entities(source, filename=filename, update=update, actor=actor)


def _import_entities(
    source: str | Path | IO[bytes], *, filename: str | None, update: bool, actor: Officer | None
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
        rows.append(ImportRow(number, clean, errors=field_errors))
    if not rows:
        raise ImportRejected([RowError(2, _("文件"), _("文件中没有数据行"))])
    check_duplicates(rows)
    check_coordinates(rows)
    check_existing(rows, update)
    check_licences(rows)
    resolve_rows(rows, resolver, actor)
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


def _new_entity_values(row: ImportRow, today: Any) -> dict[str, Any]:
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


def _create(
    rows: list[ImportRow], result: ImportResult, actor: Officer | None, reason: str
) -> None:
    """Write new entities, their licences, overrides and trace with plain bulk INSERTs."""
    today, now = timezone.localdate(), timezone.now()
    context = audit.current_context()
    trace: dict[str, Any] = {
        "at": now,
        "actor": context.resolve_actor(),
        "source": context.source,
        "reason": reason,
    }
    changed_by = actor.pk if actor is not None and actor.pk else None
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


def _update(
    rows: list[ImportRow], result: ImportResult, actor: Officer | None, filename: str
) -> None:
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
        entities = load_existing([r.existing_id for r in chunk])
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
                entity=entity, licences=row.clean["licences"], reason=reason
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
