"""API of the organisation: /api/v1/units, /officers, /grids (GeoJSON)."""

from __future__ import annotations

from typing import Any

from ninja import Router, Schema

from xiaoneng.core import panels
from xiaoneng.core.scoping import get_scoped, scoped
from xiaoneng.org.models import Grid, Officer, Unit
from xiaoneng.org.requests import OfficerRequest

router = Router(tags=["organisation"])


class UnitOut(Schema):
    code: str
    name: str
    kind: str
    parent: str | None
    region_code: str
    depth: int
    address: str
    phone: str

    @staticmethod
    def resolve_parent(obj: Unit) -> str | None:
        return obj.parent.code if obj.parent is not None else None


class OfficerOut(Schema):
    username: str
    name: str
    unit: str | None
    certificate_number: str | None
    roles: list[str]
    is_active: bool
    grids: list[str]

    @staticmethod
    def resolve_unit(obj: Officer) -> str | None:
        return obj.unit.code if obj.unit is not None else None

    @staticmethod
    def resolve_roles(obj: Officer) -> list[str]:
        return sorted(r.code for r in obj.roles.all())

    @staticmethod
    def resolve_grids(obj: Officer) -> list[str]:
        return sorted(g.code for g in obj.grids.all())


def _grid_feature(grid: Grid, extra: list[panels.FilledColumn]) -> dict[str, Any]:
    """A grid as a GeoJSON Feature; ``extra``: what later domains count per grid (the
    register's ``entities``), registered as columns (ADR 0012)."""
    return {
        "type": "Feature",
        "id": grid.code,
        "properties": {
            "code": grid.code,
            "name": grid.name,
            "station": grid.station.code,
            "station_name": grid.station.name,
            "zone": grid.section.zone.code,
            "section": grid.section.code,
            "officer": grid.officer.get_username() if grid.officer is not None else None,
            "officer_name": str(grid.officer) if grid.officer is not None else None,
            "region_code": grid.region_code,
            "area_km2": grid.area_km2,
            **{column.name: column.value(grid) for column in extra},
        },
        "geometry": grid.boundary,
    }


def _grids(request: OfficerRequest) -> Any:
    return scoped(Grid.objects.select_related("station", "section__zone", "officer"), request.user)


@router.get("/units", response=list[UnitOut], summary="Units of the user's scope")
def list_units(request: OfficerRequest) -> Any:
    return scoped(Unit.objects.select_related("parent"), request.user)


@router.get("/units/{code}", response=UnitOut)
def get_unit(request: OfficerRequest, code: str) -> Unit:
    return get_scoped(Unit.objects.select_related("parent"), request.user, code=code)


def _officers(request: OfficerRequest) -> Any:
    return scoped(
        Officer.objects.select_related("unit").prefetch_related("roles", "grids"), request.user
    )


@router.get("/officers", response=list[OfficerOut], summary="Officers of the user's scope")
def list_officers(request: OfficerRequest) -> Any:
    return _officers(request)


@router.get("/officers/{username}", response=OfficerOut)
def get_officer(request: OfficerRequest, username: str) -> Officer:
    return get_scoped(_officers(request), request.user, username=username)


@router.get("/grids", summary="Grids of the user's scope as a GeoJSON FeatureCollection")
def list_grids(request: OfficerRequest) -> dict[str, Any]:
    grids = list(_grids(request))
    extra = panels.columns_for("org.grid", grids)
    return {"type": "FeatureCollection", "features": [_grid_feature(g, extra) for g in grids]}


@router.get("/grids/{code}", summary="One grid as a GeoJSON Feature")
def get_grid(request: OfficerRequest, code: str) -> dict[str, Any]:
    grid = get_scoped(_grids(request), request.user, code=code)
    return _grid_feature(grid, panels.columns_for("org.grid", [grid]))
