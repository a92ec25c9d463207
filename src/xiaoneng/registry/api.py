"""API of the entity register: /api/v1/entities, import and export."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any, Literal

from django.conf import settings
from django.http import HttpResponse
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from xiaoneng.core import audit
from xiaoneng.core.paging import MAX_PAGE, capped_count, first_page_and_count
from xiaoneng.core.routing import stale_ok
from xiaoneng.core.scoping import get_scoped, scoped
from xiaoneng.org.models import Grid
from xiaoneng.org.requests import OfficerRequest
from xiaoneng.registry import services
from xiaoneng.registry.models import ClassificationChange, Entity
from xiaoneng.registry.queries import EntityFilter
from xiaoneng.registry.transfer import ExportFile, export_file, import_file

router = Router(tags=["entities"])


class LicenceSchema(Schema):
    kind: str = Field(description="licence kind code, e.g. food_business, or its Chinese name")
    number: str
    issued: str = Field(description="YYYY-MM-DD")
    expires: str | None = Field(None, description="YYYY-MM-DD")


class EntityIn(Schema):
    """An entity's values; on create uscc, name, kind and industry are required."""

    uscc: str | None = None
    name: str | None = None
    kind: str | None = Field(
        None,
        description="enterprise / individual / cooperative, or 企业 / 个体工商户 / 农民专业合作社",
    )
    industry: str | None = Field(None, description="GB/T 4754-2017 class, e.g. H6210")
    address: str | None = None
    longitude: float | None = None
    latitude: float | None = None
    region_code: str | None = None
    legal_representative: str | None = None
    registered_capital: Decimal | None = None
    established: str | None = Field(None, description="YYYY-MM-DD")
    status: str | None = None
    licences: list[LicenceSchema] | None = None
    risk_class: str | None = Field(
        None,
        description="create only: I / II / III; "
        "a class other than the derived one needs risk_class_reason",
    )
    risk_class_reason: str | None = None
    credit_grade: str | None = Field(None, description="create only: A / B / C / D")
    hot_industry: bool | None = None
    hot_industry_note: str | None = None
    grid: str | None = Field(None, description="grid code; sets the grid by hand")


class EntityOut(Schema):
    uscc: str
    name: str
    kind: str
    industry: str
    address: str
    longitude: float | None
    latitude: float | None
    region_code: str
    legal_representative: str
    registered_capital: Decimal | None
    established: dt.date | None
    status: str
    risk_class: str
    risk_class_overridden: bool
    credit_grade: str
    hot_industry: bool
    hot_industry_note: str
    grid: str | None
    grid_overridden: bool
    unit: str
    registered_on: dt.date
    claimed_by: str | None
    claimed_at: dt.datetime | None
    archived_at: dt.datetime | None

    @staticmethod
    def resolve_industry(obj: Entity) -> str:
        return obj.industry_id

    @staticmethod
    def resolve_grid(obj: Entity) -> str | None:
        return obj.grid.code if obj.grid is not None else None

    @staticmethod
    def resolve_unit(obj: Entity) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_claimed_by(obj: Entity) -> str | None:
        return obj.claimed_by.get_username() if obj.claimed_by is not None else None


class LicenceOut(Schema):
    kind: str
    number: str
    issued: dt.date
    expires: dt.date | None


class ClassificationChangeOut(Schema):
    field: str
    old_value: str
    new_value: str
    reason: str
    changed_by: str | None
    changed_at: dt.datetime

    @staticmethod
    def resolve_changed_by(obj: ClassificationChange) -> str | None:
        return obj.changed_by.get_username() if obj.changed_by is not None else None


class EntityDetail(EntityOut):
    archive_reason: str
    licences: list[LicenceOut]
    classification_changes: list[ClassificationChangeOut]

    @staticmethod
    def resolve_licences(obj: Entity) -> Any:
        return obj.licences.all()

    @staticmethod
    def resolve_classification_changes(obj: Entity) -> Any:
        return obj.classification_changes.select_related("changed_by")


class EntityPage(Schema):
    count: int = Field(description="matching entities, counted up to 10,000")
    count_exact: bool = Field(
        description="false when more than 10,000 match (count is then 10,000)"
    )
    page: int
    page_size: int
    items: list[EntityOut]


class EntityFilterIn(Schema):
    q: str = Field("", description="name contains, or uscc starts with")
    grid: str = ""
    industry: str = Field("", description="industry code or prefix, e.g. H62")
    risk_class: Literal["", "I", "II", "III"] = ""
    credit_grade: Literal["", "A", "B", "C", "D"] = ""
    status: Literal["", "operating", "suspended", "deregistered", "revoked"] = ""
    unit: str = Field("", description="unit code")
    hot_industry: bool | None = None
    include_archived: bool = False
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(settings.PAGE_SIZE, ge=1, le=settings.API_MAX_PAGE_SIZE)


class ReasonIn(Schema):
    reason: str


class RiskClassIn(Schema):
    risk_class: Literal["I", "II", "III"] | None = Field(
        None, description="null: back to the derived class"
    )
    reason: str


class CreditGradeIn(Schema):
    credit_grade: str
    reason: str


class GridIn(Schema):
    grid: str | None = Field(
        None, description="grid code; null: back to the grid of the coordinates"
    )
    reason: str


class AuditEventOut(Schema):
    at: dt.datetime
    actor: str
    source: str
    action: str
    changes: dict[str, Any]
    reason: str

    @staticmethod
    def resolve_actor(obj: audit.AuditEvent) -> str:
        return obj.actor_name


class ImportResultOut(Schema):
    created: int
    updated: int
    unchanged: int


def _entities(request: OfficerRequest) -> Any:
    return scoped(Entity.objects.select_related("grid", "unit", "claimed_by"), request.user)


def _entity(request: OfficerRequest, uscc: str) -> Entity:
    return get_scoped(_entities(request), request.user, uscc=uscc.upper())


def _values(payload: EntityIn) -> dict[str, Any]:
    values = payload.dict(exclude_unset=True)
    if values.get("licences") is not None:
        values["licences"] = [dict(item) for item in values["licences"]]
    return values


@router.get("/entities", response=EntityPage, summary="List entities (scoped, filtered, paged)")
def list_entities(request: OfficerRequest, filters: Query[EntityFilterIn]) -> dict[str, Any]:
    # The grid's boundary (a polygon) is not in the answer: not read, not decoded on each row.
    rows = _entities(request).defer("grid__boundary")
    queryset = EntityFilter.from_params(filters.dict()).apply(rows).order_by("id")
    if filters.page == 1:
        items, count, exact = first_page_and_count(queryset, filters.page_size)
    else:
        start = (filters.page - 1) * filters.page_size
        items = list(queryset[start : start + filters.page_size])
        count, exact = capped_count(queryset)
    return {
        "count": count,
        "count_exact": exact,
        "page": filters.page,
        "page_size": filters.page_size,
        "items": items,
    }


@router.get("/entities/{uscc}", response=EntityDetail, summary="One entity's dossier data")
def get_entity(request: OfficerRequest, uscc: str) -> Entity:
    return _entity(request, uscc)


@router.post("/entities", response={201: EntityDetail}, summary="Register an entity")
def create_entity(request: OfficerRequest, payload: EntityIn) -> Status[Entity]:
    entity = services.create_entity(values=_values(payload), actor=request.user)
    return Status(201, _entity(request, entity.uscc))


@router.patch("/entities/{uscc}", response=EntityDetail, summary="Change an entity's data")
def update_entity(request: OfficerRequest, uscc: str, payload: EntityIn) -> Entity:
    entity = services.update_entity(
        entity=_entity(request, uscc), values=_values(payload), actor=request.user
    )
    return _entity(request, entity.uscc)


@router.post("/entities/{uscc}/archive", response=EntityDetail, summary="Archive with a reason")
def archive_entity(request: OfficerRequest, uscc: str, payload: ReasonIn) -> Entity:
    return services.archive_entity(
        entity=_entity(request, uscc), reason=payload.reason, actor=request.user
    )


@router.post("/entities/{uscc}/claim", response=EntityDetail, summary="Claim (认领) a new entity")
def claim_entity(request: OfficerRequest, uscc: str) -> Entity:
    return services.claim_entity(entity=_entity(request, uscc), officer=request.user)


@router.post(
    "/entities/{uscc}/risk-class", response=EntityDetail, summary="Override the risk class"
)
def set_risk_class(request: OfficerRequest, uscc: str, payload: RiskClassIn) -> Entity:
    return services.set_risk_class(
        entity=_entity(request, uscc),
        risk_class=payload.risk_class,
        reason=payload.reason,
        actor=request.user,
    )


@router.post(
    "/entities/{uscc}/credit-grade", response=EntityDetail, summary="Change the credit grade"
)
def change_credit_grade(request: OfficerRequest, uscc: str, payload: CreditGradeIn) -> Entity:
    return services.change_credit_grade(
        entity=_entity(request, uscc),
        grade=payload.credit_grade,
        reason=payload.reason,
        actor=request.user,
    )


@router.post("/entities/{uscc}/grid", response=EntityDetail, summary="Place in a grid by hand")
def place_entity(request: OfficerRequest, uscc: str, payload: GridIn) -> Entity:
    grid = None
    if payload.grid:
        grid = get_scoped(Grid.objects.all(), request.user, code=payload.grid)
    return services.place_entity(
        entity=_entity(request, uscc), grid=grid, reason=payload.reason, actor=request.user
    )


@router.get("/entities/{uscc}/history", response=list[AuditEventOut], summary="The entity's trace")
def entity_history(request: OfficerRequest, uscc: str) -> Any:
    return audit.history(_entity(request, uscc))


@router.post(
    "/import/{kind}",
    response=ImportResultOut,
    tags=["import/export"],
    summary="Import a file (one transaction; errors list every bad cell)",
)
def import_records(
    request: OfficerRequest,
    kind: Literal["entities", "units", "officers", "grids"],
    file: File[UploadedFile],
    update: Form[bool] = False,
) -> Any:
    return import_file(
        kind=kind, source=file, filename=file.name or "", update=update, actor=request.user
    )


@router.get("/export/{kind}", tags=["import/export"], summary="Export as csv, xlsx or geojson")
def export_records(
    request: OfficerRequest,
    kind: Literal["entities", "units", "officers", "grids"],
    filters: Query[EntityFilterIn],
    format: Literal["csv", "xlsx", "geojson"] = "csv",
) -> HttpResponse:
    with stale_ok():  # an export (core/routing.py)
        exported: ExportFile = export_file(
            kind=kind, fmt=format, user=request.user, params=filters.dict(), buffer=io.BytesIO()
        )
    return exported.response()
