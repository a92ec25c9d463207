"""API of ad operators and their annual checks: /ad-operators, /ad-checks, scoped."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Query, Router, Schema
from pydantic import Field

from xiaoneng.ads.operators.models import AdOperator, Medium, QualificationCheck
from xiaoneng.ads.operators.views import checks_for, operators_for
from xiaoneng.core.api_paging import OneOf, Paging, Year, paged
from xiaoneng.core.scoping import get_scoped
from xiaoneng.org.requests import OfficerRequest

router = Router(tags=["ads"])


class AdOperatorOut(Schema):
    id: int
    entity: str = Field(description="USCC")
    name: str
    role: str
    medium: str
    outlet: str
    reviewers: list[str]
    since: dt.date
    active: bool
    unit: str

    @staticmethod
    def resolve_entity(obj: AdOperator) -> str:
        return obj.entity.uscc

    @staticmethod
    def resolve_name(obj: AdOperator) -> str:
        return obj.entity.name

    @staticmethod
    def resolve_reviewers(obj: AdOperator) -> list[str]:
        return obj.reviewer_names

    @staticmethod
    def resolve_unit(obj: AdOperator) -> str:
        return obj.unit.code


class AdOperatorPage(Schema):
    count: int
    count_exact: bool
    page: int
    page_size: int
    items: list[AdOperatorOut]


class AdOperatorFilter(Paging):
    role: Annotated[str, OneOf(AdOperator.Role.values)] = ""
    medium: Annotated[str, OneOf(Medium.values)] = ""


class QualificationCheckOut(Schema):
    id: int
    operator: int = Field(description="ad operator id")
    year: int
    checked_on: dt.date
    inspection: int = Field(description="inspection id")
    status: str
    deadline: dt.date | None
    decided_on: dt.date | None
    note: str
    case: str | None = Field(description="case number")

    @staticmethod
    def resolve_operator(obj: QualificationCheck) -> int:
        return obj.operator_id

    @staticmethod
    def resolve_inspection(obj: QualificationCheck) -> int:
        return obj.inspection_id

    @staticmethod
    def resolve_case(obj: QualificationCheck) -> str | None:
        return obj.case.number if obj.case else None


class AdOperatorDetail(AdOperatorOut):
    checks: list[QualificationCheckOut]

    @staticmethod
    def resolve_checks(obj: AdOperator) -> list[QualificationCheck]:
        return list(obj.checks.select_related("case").order_by("-year"))


class QualificationCheckPage(Schema):
    count: int
    count_exact: bool
    page: int
    page_size: int
    items: list[QualificationCheckOut]


class QualificationCheckFilter(Paging):
    year: Year | None = None
    status: Annotated[str, OneOf(QualificationCheck.Status.values)] = ""


@router.get("/ad-operators", response=AdOperatorPage, summary="Ad operators and publishers")
def list_operators(request: OfficerRequest, filters: Query[AdOperatorFilter]) -> dict[str, Any]:
    rows = operators_for(request.user)
    if filters.role:
        rows = rows.filter(role=filters.role)
    if filters.medium:
        rows = rows.filter(medium=filters.medium)
    return paged(rows.order_by("entity__name", "id"), filters)


@router.get(
    "/ad-operators/{int:operator_id}",
    response=AdOperatorDetail,
    summary="One ad operator with its annual checks",
)
def get_operator(request: OfficerRequest, operator_id: int) -> AdOperator:
    return get_scoped(operators_for(request.user), request.user, pk=operator_id)


@router.get("/ad-checks", response=QualificationCheckPage, summary="Annual qualification checks")
def list_checks(
    request: OfficerRequest, filters: Query[QualificationCheckFilter]
) -> dict[str, Any]:
    rows = checks_for(request.user)
    if filters.year:
        rows = rows.filter(year=filters.year)
    if filters.status:
        rows = rows.filter(status=filters.status)
    return paged(rows.order_by("-year", "-id"), filters)
