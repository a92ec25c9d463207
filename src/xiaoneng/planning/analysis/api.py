"""API of the analyses: /api/v1/coverage/… (篇3) and /api/v1/staffing (篇5).

The responsibility table is the county's reference data (like the policy): every logged-in
user reads it, administrators and division staff change it. The reports count only the
entities the user may see.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

import numpy as np
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from xiaoneng.core.paging import MAX_PAGE
from xiaoneng.core.scoping import get_scoped, scoped
from xiaoneng.org.requests import OfficerRequest
from xiaoneng.planning.analysis import coverage as coverages
from xiaoneng.planning.analysis import responsibility
from xiaoneng.planning.analysis import staffing as staffings
from xiaoneng.planning.analysis.models import Department, EntityMeasure, ResponsibilityRule
from xiaoneng.registry.models import Entity

router = Router(tags=["coverage and staffing"])
MAX_PAGE_SIZE = 500


class DepartmentOut(Schema):
    code: str
    name: str
    bureau: str
    unit: str | None
    internal: bool

    @staticmethod
    def resolve_bureau(obj: Department) -> str:
        return obj.bureau.code

    @staticmethod
    def resolve_unit(obj: Department) -> str | None:
        return obj.unit.code if obj.unit is not None else None


class DepartmentIn(Schema):
    code: str = ""
    name: str = ""
    unit: str = ""


class RuleOut(Schema):
    id: int
    department: str
    department_name: str
    matter: str
    industry_prefix: str
    measure: str
    min_value: Decimal | None
    max_value: Decimal | None
    region_code: str
    legal_basis: str
    note: str

    @staticmethod
    def resolve_department(obj: ResponsibilityRule) -> str:
        return obj.department.code

    @staticmethod
    def resolve_department_name(obj: ResponsibilityRule) -> str:
        return obj.department.name


Number = str | int | float | None


class RuleIn(Schema):
    department: str = ""
    matter: str = ""
    industry_prefix: str = ""
    measure: str = ""
    min_value: Number = None
    max_value: Number = None
    region_code: str = ""
    legal_basis: str = ""
    note: str = ""


@router.get("/coverage/departments", response=list[DepartmentOut], summary="Departments")
def list_departments(request: OfficerRequest) -> Any:
    return scoped(Department.objects.select_related("bureau", "unit"), request.user)


@router.post(
    "/coverage/departments",
    response={201: DepartmentOut},
    summary="Register a department (administrators, division staff)",
)
def create_department(request: OfficerRequest, payload: DepartmentIn) -> Status[Department]:
    created = responsibility.create_department(
        code=payload.code, name=payload.name, unit_code=payload.unit, actor=request.user
    )
    return Status(201, created)


def _rules(request: OfficerRequest) -> Any:
    return scoped(ResponsibilityRule.objects.select_related("department"), request.user)


@router.get("/coverage/rules", response=list[RuleOut], summary="The responsibility table")
def list_rules(request: OfficerRequest) -> Any:
    return _rules(request)


@router.get("/coverage/rules/{rule_id}", response=RuleOut, summary="One rule")
def get_rule(request: OfficerRequest, rule_id: int) -> ResponsibilityRule:
    return get_object_or_404(_rules(request), pk=rule_id)


@router.post("/coverage/rules", response={201: RuleOut}, summary="Add a rule")
def create_rule(request: OfficerRequest, payload: RuleIn) -> Status[ResponsibilityRule]:
    created = responsibility.create_rule(values=payload.dict(), actor=request.user)
    return Status(201, created)


@router.put("/coverage/rules/{rule_id}", response=RuleOut, summary="Change a rule")
def update_rule(request: OfficerRequest, rule_id: int, payload: RuleIn) -> ResponsibilityRule:
    rule = get_object_or_404(_rules(request), pk=rule_id)
    return responsibility.update_rule(rule=rule, values=payload.dict(), actor=request.user)


@router.delete("/coverage/rules/{rule_id}", response={204: None}, summary="Delete a rule")
def delete_rule(request: OfficerRequest, rule_id: int, reason: str = "") -> Status[None]:
    rule = get_object_or_404(_rules(request), pk=rule_id)
    responsibility.delete_rule(rule=rule, reason=reason, actor=request.user)
    return Status(204, None)


class MeasureIO(Schema):
    floor_area_m2: Number = None
    employees: Number = None


@router.get("/coverage/measures/{uscc}", response=MeasureIO, summary="An entity's size")
def get_measure(request: OfficerRequest, uscc: str) -> Any:
    entity = get_scoped(Entity.objects.all(), request.user, uscc=uscc)
    return EntityMeasure.objects.filter(entity=entity).first() or MeasureIO()


@router.put("/coverage/measures/{uscc}", response=MeasureIO, summary="Record an entity's size")
def set_measure(request: OfficerRequest, uscc: str, payload: MeasureIO) -> Any:
    entity = get_scoped(Entity.objects.all(), request.user, uscc=uscc)
    return responsibility.set_measure(
        entity=entity,
        floor_area_m2=payload.floor_area_m2,
        employees=payload.employees,
        actor=request.user,
    )


class GroupOut(Schema):
    key: str
    label: str
    count: int


class SummaryOut(Schema):
    matter: str
    total: int
    duplicates: int
    blanks: int
    blanks_without_measure: int
    departments: list[str]
    combinations: list[GroupOut]
    by_industry: dict[str, list[GroupOut]]
    by_station: dict[str, list[GroupOut]]


@router.get("/coverage/report", response=SummaryOut, summary="Duplicates and blanks (篇3)")
def coverage_report(request: OfficerRequest, matter: str = "") -> dict[str, Any]:
    computed = coverages.compute(matter=matter, user=request.user)
    summary = coverages.summarise(computed)
    return summary.__dict__ | {"departments": [d.code for d in computed.departments]}


class DrillIn(Schema):
    matter: str = ""
    kind: str = coverages.DUPLICATE
    industry: str = ""
    station: str = ""
    departments: str = ""


class CoveredEntityOut(Schema):
    uscc: str
    name: str
    industry: str
    floor_area_m2: float | None
    employees: int | None
    unit: str
    grid: str | None
    departments: list[str]
    rules: list[int]


class EntitiesOut(Schema):
    count: int
    page: int
    page_size: int
    results: list[CoveredEntityOut]


@router.get("/coverage/entities", response=EntitiesOut, summary="The entities behind a figure")
def coverage_entities(
    request: OfficerRequest,
    filters: Query[DrillIn],
    page: Annotated[int, Field(ge=1, le=MAX_PAGE)] = 1,
    page_size: Annotated[int, Field(ge=1, le=MAX_PAGE_SIZE)] = 100,
) -> dict[str, Any]:
    computed = coverages.compute(matter=filters.matter, user=request.user)
    positions = coverages.drill_positions(computed, coverages.Drill.from_params(filters.dict()))
    part = positions[(page - 1) * page_size : page * page_size]
    results = [
        {
            "uscc": row.entity.uscc,
            "name": row.entity.name,
            "industry": row.entity.industry_id,
            "floor_area_m2": row.floor_area,
            "employees": row.employees,
            "unit": row.entity.unit.code,
            "grid": row.entity.grid.code if row.entity.grid else None,
            "departments": [d.code for d in row.departments],
            "rules": [r.pk for r in row.rules],
        }
        for row in coverages.rows(computed, np.asarray(part, dtype=np.int64))
    ]
    return {"count": int(positions.size), "page": page, "page_size": page_size, "results": results}


@router.get("/coverage/export", summary="The entities behind a figure as csv or xlsx")
def coverage_export(
    request: OfficerRequest, filters: Query[DrillIn], format: str = "csv"
) -> HttpResponse:
    computed = coverages.compute(matter=filters.matter, user=request.user)
    drill = coverages.Drill.from_params(filters.dict())
    return coverages.export(coverage=computed, drill=drill, fmt=format).response()


class StationOut(Schema):
    code: str
    name: str
    entities: int
    hours: float
    officers: int
    hours_per_officer: float | None
    suggested_officers: int
    hours_per_officer_after: float | None


class GridOut(Schema):
    code: str
    station: str
    officer: str | None
    entities: int
    hours: float
    officer_hours: float


class MoveOut(Schema):
    source: str
    target: str
    count: int


class GrassrootsOut(Schema):
    bureau: str
    station_officers: int
    officers: int
    share: float | None
    required: float
    passed: bool


class StaffingOut(Schema):
    policy_version: int
    hours_per_inspection: dict[str, float]
    capacity: float
    tolerance: float
    average_hours_per_officer: float | None
    max_min_ratio: float | None
    coefficient_of_variation: float | None
    outside_entities: int
    outside_hours: float
    stations: list[StationOut]
    grids: list[GridOut]
    grassroots: list[GrassrootsOut]
    reallocation_feasible: bool | None
    reallocation_reason: str
    moves: list[MoveOut]


@router.get("/staffing", response=StaffingOut, summary="Workload and staffing balance (篇5)")
def staffing(request: OfficerRequest) -> dict[str, Any]:
    settings = staffings.read_settings(request.GET)
    result = staffings.compute(user=request.user, settings=settings)
    realloc = result.reallocation
    return {
        "policy_version": result.policy_version,
        "hours_per_inspection": dict(zip(("I", "II", "III"), settings.hours, strict=True)),
        "capacity": settings.capacity,
        "tolerance": settings.tolerance,
        "average_hours_per_officer": result.average,
        "max_min_ratio": result.ratio,
        "coefficient_of_variation": result.variation,
        "outside_entities": result.outside_entities,
        "outside_hours": result.outside_hours,
        "stations": [
            {
                "code": s.station.code,
                "name": s.station.name,
                "entities": s.entities,
                "hours": s.hours,
                "officers": s.officers,
                "hours_per_officer": s.per_officer,
                "suggested_officers": s.suggested,
                "hours_per_officer_after": s.per_officer_after,
            }
            for s in result.stations
        ],
        "grids": [
            {
                "code": g.grid.code,
                "station": g.grid.station.code,
                "officer": g.grid.officer.get_username() if g.grid.officer else None,
                "entities": g.entities,
                "hours": g.hours,
                "officer_hours": g.officer_hours,
            }
            for g in result.grids
        ],
        "grassroots": [
            {
                "bureau": g.bureau.code,
                "station_officers": g.station_officers,
                "officers": g.officers,
                "share": g.share,
                "required": staffings.GRASSROOTS_SHARE,
                "passed": g.passed,
            }
            for g in result.grassroots
        ],
        "reallocation_feasible": realloc.feasible if realloc else None,
        "reallocation_reason": realloc.reason if realloc else "",
        "moves": [
            {"source": m.source.station.code, "target": m.target.station.code, "count": m.count}
            for m in (realloc.moves if realloc else [])
        ],
    }
