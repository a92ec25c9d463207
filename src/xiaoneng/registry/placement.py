"""From an entity's values to its record: class, grid and unit resolved, values applied.

The register's services (``registry.services``) and the bulk import (``registry.io``) both
turn checked values into an entity through ``Resolver`` and ``apply_values``; ``reassign_grids``
places every entity again after grid boundaries change.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from xiaoneng.core import audit
from xiaoneng.core.errors import FieldError
from xiaoneng.org import services as org_services
from xiaoneng.org.geo import GridIndex
from xiaoneng.registry.fields import LABELS, RISK_WORDS, LicenceValue, Lookups
from xiaoneng.registry.models import Entity, Licence, RiskClass

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
_TEXT = {"address", "legal_representative", "hot_industry_note", "name"}


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


def apply_values(entity: Entity, clean: dict[str, Any], placement: Placement) -> None:
    """Set the entity's data fields given in ``clean`` and its resolved placement (unsaved)."""
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


def save_licences(*, entity: Entity, licences: list[LicenceValue], reason: str = "") -> bool:
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


def current_values(entity: Entity) -> dict[str, Any]:
    """The entity's values in the shape ``read_values`` returns."""
    values = {name: getattr(entity, MODEL_FIELD.get(name, name)) for name in DATA_FIELDS}
    values["uscc"] = entity.uscc
    values["licences"] = [
        LicenceValue(lic.kind, lic.number, lic.issued, lic.expires) for lic in entity.licences.all()
    ]
    return values


def reassign_grids(*, entity_ids: Iterable[int] | None = None, batch_size: int = 5000) -> int:
    """Recompute the grid of every entity not placed by hand (after grid boundaries change)."""
    resolver = Resolver()
    rows = Entity.objects.active().filter(grid_overridden=False)
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
