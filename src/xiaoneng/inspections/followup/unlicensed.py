"""Unlicensed operators (无照经营, 篇7 无照查处取缔): found in a grid, then dealt with.

《无证无照经营查处办法》第2、6条: an operator without a business licence is guided to obtain
one (引导办照) or, where it may not operate at all, banned (取缔) until it stops; serious
cases become a case (``cases.services.open_case``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoneng.core import audit
from xiaoneng.core.errors import FieldError, InvalidInput, NotPermitted
from xiaoneng.core.scoping import in_scope
from xiaoneng.inspections.followup import transitions
from xiaoneng.inspections.followup.models import UnlicensedOperator
from xiaoneng.org import access, geo
from xiaoneng.org import services as org_services
from xiaoneng.org.models import Grid, Officer, Unit
from xiaoneng.registry.fields import outside_china_error
from xiaoneng.registry.models import Entity

U = UnlicensedOperator.Status
TEXT_LIMITS = {"name": 200, "operator": 50, "address": 200, "business": 200}
LABELS = {
    "name": gettext_lazy("经营者（字号）"),
    "operator": gettext_lazy("经营者姓名"),
    "address": gettext_lazy("经营场所"),
    "business": gettext_lazy("经营项目"),
}


def _coordinate(field: str, value: Any, errors: list[FieldError]) -> float | None:
    if value in (None, ""):
        return None
    try:
        return float(str(value).strip())
    except ValueError:
        label = _("经度") if field == "longitude" else _("纬度")
        errors.append(
            FieldError(field, _("%(label)s应为数字：%(value)s") % {"label": label, "value": value})
        )
        return None


def _check_text(values: dict[str, str], errors: list[FieldError]) -> None:
    for field, limit in TEXT_LIMITS.items():
        value = values[field]
        if not value and field != "operator":
            errors.append(FieldError(field, _("请填写%(label)s") % {"label": LABELS[field]}))
        elif len(value) > limit:
            errors.append(
                FieldError(
                    field,
                    _("%(label)s不能超过 %(n)d 个字") % {"label": LABELS[field], "n": limit},
                )
            )


def _position(
    longitude: Any, latitude: Any, errors: list[FieldError]
) -> tuple[float | None, float | None]:
    found: list[FieldError] = []
    lon = _coordinate("longitude", longitude, found)
    lat = _coordinate("latitude", latitude, found)
    if not found and (lon is None) != (lat is None):
        missing = "latitude" if lat is None else "longitude"
        found.append(FieldError(missing, _("经度和纬度须同时填写")))
    elif lon is not None and lat is not None and geo.outside_china([lon], [lat])[0]:
        found.append(outside_china_error(lon, lat))
    errors += found
    return (lon, lat) if not found else (None, None)


def _unit_of(actor: Officer, lon: float | None, lat: float | None) -> tuple[Unit, Grid | None]:
    """The station of the grid the position falls in, else the actor's own unit."""
    grid = None
    if lon is not None and lat is not None:
        grid_id = org_services.grid_index().assign_one(lon, lat)
        if grid_id is not None:
            grid = Grid.objects.select_related("station").filter(pk=grid_id).first()
    if grid is not None:
        return grid.station, grid
    unit = getattr(actor, "unit", None)
    if unit is None:
        unit = Unit.objects.filter(parent__isnull=True).order_by("pk").first()
    if unit is None:
        raise InvalidInput.single("unit", _("尚未建立任何单位"))
    return unit, None


def record_unlicensed(
    *,
    actor: Officer,
    name: str,
    address: str,
    business: str,
    found_on: dt.date | None,
    longitude: Any = None,
    latitude: Any = None,
    operator: str = "",
    today: dt.date | None = None,
) -> UnlicensedOperator:
    """Record an operator found without a business licence, in the unit of its grid.

    The unit is the station of the grid the position falls in, or else the recording
    officer's own unit; a position in another station's grid is that station's to record.
    """
    access.require(actor, access.INSPECT)
    today = today or timezone.localdate()
    values = {
        "name": (name or "").strip(),
        "operator": (operator or "").strip(),
        "address": (address or "").strip(),
        "business": (business or "").strip(),
    }
    errors: list[FieldError] = []
    _check_text(values, errors)
    if found_on is None:
        errors.append(FieldError("found_on", _("请填写发现日期（YYYY-MM-DD）")))
    elif found_on > today:
        errors.append(
            FieldError("found_on", _("发现日期不能晚于今天：%(date)s") % {"date": found_on})
        )
    lon, lat = _position(longitude, latitude, errors)
    if errors:
        raise InvalidInput(f"{errors[0].field}: {errors[0].message}", errors=errors)
    assert found_on is not None
    unit, grid = _unit_of(actor, lon, lat)
    if not in_scope(actor, unit.pk):
        raise NotPermitted(
            _("该位置在 %(grid)s 网格（%(unit)s）辖区内，请由该单位登记")
            % {"grid": grid.code if grid else "", "unit": unit.name}
        )
    with transaction.atomic(), audit.attributed(actor):
        return UnlicensedOperator.objects.create(
            **values,
            longitude=lon,
            latitude=lat,
            region_code=grid.region_code if grid else unit.region_code,
            unit=unit,
            found_on=found_on,
            found_by=actor,
        )


def _allowed(actor: Officer, record: UnlicensedOperator) -> None:
    access.require(actor, access.INSPECT)
    access.require_unit(actor, record.unit_id)


def guide_unlicensed(
    *, record: UnlicensedOperator, actor: Officer, note: str
) -> UnlicensedOperator:
    """Guide the operator to obtain a licence (引导办照), noting what it was told."""
    _allowed(actor, record)
    note = (note or "").strip()
    if not note:
        raise InvalidInput.single("note", _("请填写引导办照情况"))
    transitions.UNLICENSED.check(record, U.GUIDED)
    with transaction.atomic(), audit.attributed(actor):
        transitions.UNLICENSED.move(record, U.GUIDED)
        audit.set_reason(record, note)
        record.save()
    return record


def mark_licensed(
    *,
    record: UnlicensedOperator,
    entity: Entity,
    actor: Officer,
    today: dt.date | None = None,
) -> UnlicensedOperator:
    """The guided operator has obtained its licence: link the new entity of the register."""
    _allowed(actor, record)
    if not in_scope(actor, entity.unit_id):
        raise NotPermitted(_("该市场主体不属于您所在单位的辖区。"))
    if entity.status != Entity.Status.OPERATING:
        raise InvalidInput.single(
            "entity",
            _("%(name)s 的登记状态为“%(status)s”，不是新办照的在营主体")
            % {"name": entity.name, "status": entity.get_status_display()},
        )
    transitions.UNLICENSED.check(record, U.LICENSED)
    with transaction.atomic(), audit.attributed(actor):
        transitions.UNLICENSED.move(record, U.LICENSED)
        record.entity = entity
        record.closed_on = today or timezone.localdate()
        record.outcome = _("已办照：%(name)s（%(uscc)s）") % {
            "name": entity.name,
            "uscc": entity.uscc,
        }
        record.save()
    return record


def mark_ceased(
    *,
    record: UnlicensedOperator,
    actor: Officer,
    outcome: str,
    today: dt.date | None = None,
) -> UnlicensedOperator:
    """The operator has stopped the business (取缔): close the record with how."""
    _allowed(actor, record)
    outcome = (outcome or "").strip()
    if not outcome:
        raise InvalidInput.single("outcome", _("请填写处置结果"))
    transitions.UNLICENSED.check(record, U.CEASED)
    with transaction.atomic(), audit.attributed(actor):
        transitions.UNLICENSED.move(record, U.CEASED)
        record.closed_on = today or timezone.localdate()
        record.outcome = outcome
        record.save()
    return record
