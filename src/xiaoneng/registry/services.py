"""Rules of the entity register: create, change, classify, grade, place, claim, archive.

How values become an entity's class, grid and unit is in ``registry.placement``; the claim
deadline and the lists that wait for a person are reads in ``registry.queries``.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping
from typing import Any, ParamSpec, TypeVar, cast

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import audit
from xiaoneng.core.errors import Conflict, FieldError, InvalidInput, NotPermitted
from xiaoneng.core.scoping import in_scope
from xiaoneng.org import access
from xiaoneng.org.models import Grid, Officer, Role
from xiaoneng.registry.fields import LABELS, LicenceValue, read_values
from xiaoneng.registry.models import ClassificationChange, CreditGrade, Entity, Licence, RiskClass
from xiaoneng.registry.placement import (
    CLASSIFICATION_FIELDS,
    Resolver,
    apply_values,
    current_values,
    save_licences,
)

P = ParamSpec("P")
T = TypeVar("T")
REQUIRED = ("uscc", "name", "kind", "industry")
NOTE_CHUNK = 5_000  # ids per UPDATE (SQLite binds at most 32,766 parameters)


def _attributed(service: Callable[P, T]) -> Callable[P, T]:
    """Run the service in one transaction, its trace attributed to its actor (or officer)."""

    @functools.wraps(service)
    def run(*args: P.args, **kwargs: P.kwargs) -> T:
        # Every service decorated takes an ``actor`` or an ``officer``: an Officer.
        actor = cast(Officer, kwargs.get("actor") or kwargs.get("officer"))
        with transaction.atomic(), audit.attributed(actor):
            return service(*args, **kwargs)

    return run


def _raise(errors: list[FieldError]) -> None:
    if errors:
        first = errors[0]
        raise InvalidInput(
            f"{LABELS.get(first.field, first.field)}: {first.message}", errors=errors
        )


def _licence_conflicts(licences: list[LicenceValue], entity_id: int | None) -> list[FieldError]:
    taken = Licence.objects.filter(
        kind__in={lic.kind for lic in licences}, number__in={lic.number for lic in licences}
    )
    if entity_id is not None:
        taken = taken.exclude(entity_id=entity_id)
    numbers = {(lic.kind, lic.number) for lic in licences}
    return [
        FieldError(
            "licences", _("许可证编号 %(number)s 已登记在其他主体名下") % {"number": lic.number}
        )
        for lic in taken
        if (lic.kind, lic.number) in numbers
    ]


def _classification_change(
    entity: Entity,
    field: str,
    old: str,
    new: str,
    reason: str,
    actor: Officer | None,
    at: dt.datetime,
) -> ClassificationChange:
    return ClassificationChange(
        entity=entity,
        field=field,
        old_value=old,
        new_value=new,
        reason=reason,
        changed_by=actor if getattr(actor, "pk", None) else None,
        changed_at=at,
    )


@_attributed
def create_entity(*, values: dict[str, Any], actor: Officer) -> Entity:
    """Register a new entity from raw values (a form or API body); it awaits its claim."""
    access.require(actor, access.EDIT_REGISTER)
    resolver = Resolver()
    clean, errors = read_values(values, resolver.lookups)
    errors += [
        FieldError(n, _("必填")) for n in REQUIRED if n not in values or values[n] in (None, "")
    ]
    _raise(errors)
    if Entity.objects.filter(uscc=clean["uscc"]).exists():
        _raise(
            [FieldError("uscc", _("统一社会信用代码已存在：%(uscc)s") % {"uscc": clean["uscc"]})]
        )
    clean.setdefault("region_code", clean["uscc"][2:8])
    clean.setdefault("credit_grade", None)
    licences = clean.get("licences") or []
    _raise(_licence_conflicts(licences, None))
    placement, errors = resolver.resolve(clean, clean)
    _raise(errors)
    assert placement is not None
    access.require_unit(actor, placement.unit_id)
    entity = Entity(uscc=clean["uscc"], registered_on=timezone.localdate())
    apply_values(entity, clean, placement)
    entity.credit_grade = clean["credit_grade"] or CreditGrade.B
    entity.save()
    save_licences(entity=entity, licences=licences)
    now = timezone.now()
    reason = clean.get("risk_class_reason") or _("按风险分类规则判定")
    ClassificationChange.objects.bulk_create(
        [
            _classification_change(entity, "risk_class", "", entity.risk_class, reason, actor, now),
            _classification_change(
                entity, "credit_grade", "", entity.credit_grade, _("登记时初始评定"), actor, now
            ),
        ]
    )
    return entity


def _check_can_edit(actor: Officer, entity: Entity) -> None:
    access.require(actor, access.EDIT_REGISTER)
    access.require_unit(actor, entity.unit_id)
    if entity.archived_at is not None:
        raise Conflict(_("该主体已归档，不能修改"))


@_attributed
def update_entity(*, entity: Entity, values: dict[str, Any], actor: Officer) -> Entity:
    """Change an entity's data; class and grid follow unless set by hand."""
    _check_can_edit(actor, entity)
    blocked = [
        FieldError(name, _("请使用“调整风险类别”或“调整信用等级”并填写理由"))
        for name in CLASSIFICATION_FIELDS
        if name in values
    ]
    _raise(blocked)
    resolver = Resolver()
    clean, errors = read_values(values, resolver.lookups)
    errors += [
        FieldError(n, _("必填")) for n in REQUIRED if n in values and values[n] in (None, "")
    ]
    _raise(errors)
    if "uscc" in clean and clean["uscc"] != entity.uscc:
        if Entity.objects.filter(uscc=clean["uscc"]).exists():
            _raise(
                [
                    FieldError(
                        "uscc", _("统一社会信用代码已存在：%(uscc)s") % {"uscc": clean["uscc"]}
                    )
                ]
            )
        entity.uscc = clean["uscc"]
    if "licences" in clean:
        _raise(_licence_conflicts(clean["licences"], entity.pk))
    merged = current_values(entity) | clean
    old_class = entity.risk_class
    placement, errors = resolver.resolve(merged, clean, existing=entity)
    _raise(errors)
    assert placement is not None
    access.require_unit(actor, placement.unit_id)
    apply_values(entity, clean, placement)
    entity.save()
    if "licences" in clean:
        save_licences(entity=entity, licences=clean["licences"])
    if entity.risk_class != old_class:
        _classification_change(
            entity,
            "risk_class",
            old_class,
            entity.risk_class,
            _("行业或许可证变更后按规则重新判定"),
            actor,
            timezone.now(),
        ).save()
    return entity


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise InvalidInput.single("reason", _("请填写理由"))
    return reason


@_attributed
def set_risk_class(
    *, entity: Entity, risk_class: str | None, reason: str, actor: Officer
) -> Entity:
    """Override the derived risk class with a reason, or (None) return to the derived class."""
    _check_can_edit(actor, entity)
    reason = _require_reason(reason)
    resolver = Resolver()
    derived = resolver.lookups.rules.derive(
        entity.industry_id, entity.licences.values_list("kind", flat=True)
    )
    if risk_class is not None and risk_class not in RiskClass.values:
        raise InvalidInput.single(
            "risk_class", _("无效的风险类别：%(value)s") % {"value": risk_class}
        )
    new = risk_class or derived
    old = entity.risk_class
    entity.risk_class, entity.risk_class_overridden = new, new != derived
    audit.set_reason(entity, reason)
    entity.save(update_fields=["risk_class", "risk_class_overridden", "updated_at"])
    if new != old:
        _classification_change(entity, "risk_class", old, new, reason, actor, timezone.now()).save()
    return entity


@_attributed
def change_credit_grade(*, entity: Entity, grade: str, reason: str, actor: Officer) -> Entity:
    """Set an entity's credit grade, keeping who, when and why."""
    _check_can_edit(actor, entity)
    reason = _require_reason(reason)
    if grade not in CreditGrade.values:
        raise InvalidInput.single(
            "credit_grade", _("信用等级应为 A、B、C 或 D：%(value)s") % {"value": grade}
        )
    if grade == entity.credit_grade:
        raise Conflict(_("信用等级已经是 %(grade)s") % {"grade": grade})
    write_credit_grade(entity=entity, grade=grade, reason=reason, actor=actor, at=timezone.now())
    return entity


def write_credit_grade(
    *, entity: Entity, grade: str, reason: str, actor: Officer | None, at: dt.datetime
) -> None:
    """Store a new credit grade with its history row; the caller has checked who may and why
    (``change_credit_grade`` by hand, ``feedback`` by the rule table)."""
    old = entity.credit_grade
    entity.credit_grade = grade
    audit.set_reason(entity, reason)
    entity.save(update_fields=["credit_grade", "updated_at"])
    _classification_change(entity, "credit_grade", old, grade, reason, actor, at).save()


@_attributed
def place_entity(*, entity: Entity, grid: Grid | None, reason: str, actor: Officer) -> Entity:
    """Put an entity into a grid by hand, or (None) back to the grid of its coordinates."""
    _check_can_edit(actor, entity)
    reason = _require_reason(reason)
    resolver = Resolver()
    if grid is not None:
        access.require_unit(actor, grid.station_id)
        entity.grid_id, entity.grid_overridden, entity.unit_id = grid.pk, True, grid.station_id
    else:
        auto = resolver.index.assign_one(entity.longitude, entity.latitude)
        entity.grid_id, entity.grid_overridden = auto, False
        entity.unit_id = (
            resolver.station_of(auto) if auto else resolver.bureau_id(entity.region_code)
        )
    audit.set_reason(entity, reason)
    entity.save(update_fields=["grid", "grid_overridden", "unit", "updated_at"])
    return entity


@_attributed
def archive_entity(*, entity: Entity, reason: str, actor: Officer) -> Entity:
    """Archive an entity with a reason; the record stays, with its whole history."""
    _check_can_edit(actor, entity)
    entity.archive_reason = _require_reason(reason)
    entity.archived_at = timezone.now()
    audit.set_reason(entity, entity.archive_reason, action=audit.AuditEvent.Action.ARCHIVE)
    entity.save(update_fields=["archived_at", "archive_reason", "updated_at"])
    return entity


def can_claim(officer: Officer, entity: Entity) -> bool:
    """The grid's responsible officer, or a director of the entity's station, may claim it."""
    if not access.can(officer, access.CLAIM_ENTITY) or not in_scope(officer, entity.unit_id):
        return False
    if entity.grid is not None and entity.grid.officer_id == officer.pk:
        return True
    return officer.has_role(Role.STATION_DIRECTOR) and officer.unit_id == entity.unit_id


@_attributed
def claim_entity(*, entity: Entity, officer: Officer) -> Entity:
    """The grid officer takes a new entity into their care (认领)."""
    if entity.claimed_at is not None:
        raise Conflict(
            _("该主体已由 %(name)s 于 %(at)s 认领")
            % {"name": entity.claimed_by, "at": f"{timezone.localtime(entity.claimed_at):%Y-%m-%d}"}
        )
    if entity.archived_at is not None:
        raise Conflict(_("该主体已归档，不能认领"))
    if not can_claim(officer, entity):
        raise NotPermitted(_("只有该网格的责任人或本所所长可以认领"))
    entity.claimed_by, entity.claimed_at = officer, timezone.now()
    entity.save(update_fields=["claimed_by", "claimed_at", "updated_at"])
    return entity


def note_inspection(*, entity: Entity, on: dt.date) -> Entity:
    """Note that ``entity`` was inspected on ``on`` (a signed record of any origin): its
    ``last_inspected_on`` becomes the later of the two, never an earlier day (an amendment
    or a late record does not move it backwards)."""
    note_inspections(days={entity.pk: on})
    if entity.last_inspected_on is None or entity.last_inspected_on < on:
        entity.last_inspected_on = on
    return entity


def note_inspections(*, days: Mapping[int, dt.date]) -> int:
    """``note_inspection`` for many entities at once (entity id → day), as bulk writers of
    records (the demo) need: one conditional UPDATE per day and chunk of ids, so two records
    signed at once keep the later day. A derived field: no trace of its own. Returns the
    number of entities moved forward."""
    by_day: dict[dt.date, list[int]] = {}
    for entity_id, day in days.items():
        by_day.setdefault(day, []).append(entity_id)
    moved = 0
    for day, ids in sorted(by_day.items()):
        for start in range(0, len(ids), NOTE_CHUNK):
            moved += (
                Entity.objects.filter(pk__in=ids[start : start + NOTE_CHUNK])
                .exclude(last_inspected_on__gte=day)
                .update(last_inspected_on=day)
            )
    return moved
