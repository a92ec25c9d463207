"""Rules of the entity register: create, change, classify, grade, place, claim, archive."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import audit
from xiaoneng.core.calendar import WorkingCalendar
from xiaoneng.core.errors import Conflict, FieldError, InvalidInput, NotPermitted
from xiaoneng.core.scoping import in_scope
from xiaoneng.org import access
from xiaoneng.org import services as org_services
from xiaoneng.org.geo import GridIndex
from xiaoneng.org.models import Grid, Officer, Role
from xiaoneng.registry.fields import LABELS, RISK_WORDS, LicenceValue, Lookups, read_values
from xiaoneng.registry.models import (
    ClassificationChange,
    CreditGrade,
    Entity,
    Licence,
    RiskClass,
)

T = TypeVar("T")
REQUIRED = ("uscc", "name", "kind", "industry")


def _attributed(service: Callable[..., T]) -> Callable[..., T]:
    """Run the service in one transaction, its trace attributed to its actor (or officer)."""

    @functools.wraps(service)
    def run(**kwargs: Any) -> T:
        with transaction.atomic(), audit.attributed(kwargs.get("actor") or kwargs.get("officer")):
            return service(**kwargs)

    return run


# Changed only through their own services, each with a reason.
CLASSIFICATION_FIELDS = ("risk_class", "risk_class_reason", "credit_grade")
DATA_FIELDS = (
    "name",
    "kind",
    "industry",
    "address",
    "longitude",
    "latitude",
    "region_code",
    "legal_representative",
    "registered_capital",
    "established",
    "status",
    "hot_industry",
    "hot_industry_note",
    "registered_on",
)
MODEL_FIELD = {"industry": "industry_id"}


@dataclass
class Placement:
    """Where an entity belongs and how it is classed, resolved from its values."""

    risk_class: str
    risk_class_overridden: bool
    grid_id: int | None
    grid_overridden: bool
    unit_id: int


class Resolver:
    """Resolves class, grid and unit for many entities with reference data loaded once."""

    def __init__(self, lookups: Lookups | None = None, index: GridIndex | None = None) -> None:
        self.lookups = lookups or Lookups.load()
        self.index = index or org_services.grid_index()
        self._bureaus: dict[str, int] = {}

    def bureau_id(self, region_code: str) -> int:
        if region_code not in self._bureaus:
            self._bureaus[region_code] = org_services.root_unit_for_region(region_code).pk
        return self._bureaus[region_code]

    def resolve(
        self,
        merged: dict[str, Any],
        given: dict[str, Any],
        existing: Entity | None = None,
        auto_grid: int | bool | None = False,
    ) -> tuple[Placement | None, list[FieldError]]:
        """Class and placement from the entity's ``merged`` values; ``given`` are those supplied.

        ``auto_grid`` is the grid the coordinates fall in when the caller computed it in bulk.
        """
        kinds = [lic.kind for lic in merged.get("licences") or []]
        derived = self.lookups.rules.derive(merged["industry"], kinds)
        errors: list[FieldError] = []
        wanted = given.get("risk_class")
        if wanted is None and existing is not None and existing.risk_class_overridden:
            risk_class, overridden = existing.risk_class, True
        elif wanted is None or wanted == derived:
            risk_class, overridden = derived, False
        else:
            risk_class, overridden = wanted, True
            already = existing is not None and existing.risk_class == wanted
            if not given.get("risk_class_reason") and not already:
                errors.append(
                    FieldError(
                        "risk_class",
                        _("与按行业和许可证判定的类别（%(derived)s）不同；人工调整须填写%(reason)s")
                        % {
                            "derived": RISK_WORDS[RiskClass(derived)],
                            "reason": LABELS["risk_class_reason"],
                        },
                    )
                )
        if auto_grid is False:
            auto_grid = self.index.assign_one(merged.get("longitude"), merged.get("latitude"))
        grid_code = given.get("grid")
        if grid_code:
            grid_id: int | None = self.lookups.grids[grid_code][0]
            grid_overridden = grid_id != auto_grid
        elif "grid" not in given and existing is not None and existing.grid_overridden:
            grid_id, grid_overridden = existing.grid_id, True
        else:
            grid_id, grid_overridden = auto_grid or None, False
        if grid_id is not None:
            unit_id = self.station_of(grid_id)
        else:
            unit_id = self.bureau_id(merged.get("region_code") or "")
        if errors:
            return None, errors
        return Placement(risk_class, overridden, grid_id, grid_overridden, unit_id), []

    def station_of(self, grid_id: int) -> int:
        return self._stations[grid_id]

    @functools.cached_property
    def _stations(self) -> dict[int, int]:
        return dict(self.lookups.grids.values())


def _raise(errors: list[FieldError]) -> None:
    if errors:
        first = errors[0]
        raise InvalidInput(
            f"{LABELS.get(first.field, first.field)}: {first.message}", errors=errors
        )


def apply_values(entity: Entity, clean: dict[str, Any], placement: Placement) -> None:
    for name in DATA_FIELDS:
        if name in clean:
            value = clean[name]
            if name == "registered_on" and value is None:
                continue
            setattr(
                entity,
                MODEL_FIELD.get(name, name),
                "" if value is None and name in _TEXT else value,
            )
    entity.risk_class = placement.risk_class
    entity.risk_class_overridden = placement.risk_class_overridden
    entity.grid_id = placement.grid_id
    entity.grid_overridden = placement.grid_overridden
    entity.unit_id = placement.unit_id


_TEXT = {"address", "legal_representative", "hot_industry_note", "name"}


def save_licences(entity: Entity, licences: list[LicenceValue], reason: str = "") -> bool:
    """Make the entity's licences exactly ``licences`` (traced, with ``reason``); any change?"""
    current = {(lic.kind, lic.number): lic for lic in entity.licences.all()}
    wanted = {(lic.kind, lic.number): lic for lic in licences}
    changed = False
    for key, licence in current.items():
        if key not in wanted:
            audit.set_reason(licence, reason)
            licence.delete()
            changed = True
    for key, value in wanted.items():
        licence = current.get(key) or Licence(entity=entity, kind=value.kind, number=value.number)
        if licence.pk is None or (licence.issued, licence.expires) != (value.issued, value.expires):
            licence.issued, licence.expires = value.issued, value.expires
            audit.set_reason(licence, reason)
            licence.save()
            changed = True
    return changed


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
    entity: Entity, field: str, old: str, new: str, reason: str, actor: Any, at: dt.datetime
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
    save_licences(entity, licences)
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


def current_values(entity: Entity) -> dict[str, Any]:
    """The entity's values in the shape ``read_values`` returns."""
    values = {name: getattr(entity, MODEL_FIELD.get(name, name)) for name in DATA_FIELDS}
    values["uscc"] = entity.uscc
    values["licences"] = [
        LicenceValue(lic.kind, lic.number, lic.issued, lic.expires) for lic in entity.licences.all()
    ]
    return values


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
        save_licences(entity, clean["licences"])
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
    write_credit_grade(entity, grade, reason, actor, timezone.now())
    return entity


def write_credit_grade(
    entity: Entity, grade: str, reason: str, actor: Any, at: dt.datetime
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


def claim_cutoff(today: dt.date, calendar: WorkingCalendar | None = None) -> dt.date:
    """Entities registered on or before this date and still unclaimed are overdue today."""
    calendar = calendar or WorkingCalendar.load()
    return calendar.latest_start_due_before(today, settings.CLAIM_DEADLINE_WORKING_DAYS)


def unclaimed(queryset: QuerySet[Entity]) -> QuerySet[Entity]:
    return queryset.filter(claimed_at__isnull=True, archived_at__isnull=True)


def overdue_claims(queryset: QuerySet[Entity], today: dt.date) -> QuerySet[Entity]:
    """Unclaimed entities older than the claim deadline (3 working days)."""
    return unclaimed(queryset).filter(registered_on__lte=claim_cutoff(today))


def outside_grids(queryset: QuerySet[Entity]) -> QuerySet[Entity]:
    """Active entities that no grid holds, waiting for a person to place them."""
    return queryset.filter(grid__isnull=True, archived_at__isnull=True)


def reassign_grids(*, entity_ids: Iterable[int] | None = None, batch_size: int = 5000) -> int:
    """Recompute the grid of every entity not placed by hand (after grid boundaries change)."""
    resolver = Resolver()
    rows = Entity.objects.filter(grid_overridden=False, archived_at__isnull=True)
    if entity_ids is not None:
        rows = rows.filter(pk__in=list(entity_ids))
    data = list(
        rows.values_list("pk", "longitude", "latitude", "grid_id", "unit_id", "region_code")
    )
    if not data:
        return 0
    lon = [r[1] if r[1] is not None else float("nan") for r in data]
    lat = [r[2] if r[2] is not None else float("nan") for r in data]
    assigned = resolver.index.assign(lon, lat)
    changed = []
    for (pk, _lon, _lat, grid_id, unit_id, region), new_grid in zip(
        data, assigned.tolist(), strict=True
    ):
        new_grid = new_grid if new_grid > 0 else None
        new_unit = resolver.station_of(new_grid) if new_grid else resolver.bureau_id(region)
        if (new_grid, new_unit) != (grid_id, unit_id):
            entity = Entity(pk=pk, grid_id=new_grid, unit_id=new_unit)
            changed.append((entity, {"grid": [grid_id, new_grid], "unit": [unit_id, new_unit]}))
    with transaction.atomic():
        Entity.objects.bulk_update(
            [e for e, _c in changed], ["grid", "unit"], batch_size=batch_size
        )
        names = dict(
            Entity.objects.filter(pk__in=[e.pk for e, _c in changed]).values_list("pk", "name")
        )
        for entity, _c in changed:
            entity.name = names[entity.pk]
        audit.record_many(
            ((e, audit.AuditEvent.Action.UPDATE, c) for e, c in changed),
            reason=_("网格边界变更后重新分配"),
        )
    return len(changed)
