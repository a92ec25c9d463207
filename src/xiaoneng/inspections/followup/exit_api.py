"""API of exit supervision (退出督查) and unlicensed operators (无照经营), 篇7: /exit-checks and
/unlicensed-operators, scoped to the user; actions go through ``exits`` and ``unlicensed``.
Mounted on the follow-up router (``followup_api``), operation ids unchanged."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.db.models import QuerySet
from ninja import Query, Router, Schema, Status
from pydantic import Field

from xiaoneng.core.api_paging import OneOf, Paging, paged
from xiaoneng.core.scoping import get_scoped, scoped
from xiaoneng.inspections.followup import exits, unlicensed
from xiaoneng.inspections.followup.api_base import OutcomeIn, operation_id, scoped_entity
from xiaoneng.inspections.followup.models import ExitCheck, UnlicensedOperator
from xiaoneng.org.requests import OfficerRequest

router = Router()  # tagged "follow-up" by the follow-up router it is mounted on


# Exit checks --------------------------------------------------------------------------------


class ExitCheckOut(Schema):
    id: int
    uscc: str
    entity: str
    entity_status: str
    unit: str
    inspection_id: int | None
    found_on: dt.date
    found_by: str
    circumstances: str
    status: str
    closed_on: dt.date | None
    outcome: str

    @staticmethod
    def resolve_uscc(obj: ExitCheck) -> str:
        return obj.entity.uscc

    @staticmethod
    def resolve_entity(obj: ExitCheck) -> str:
        return obj.entity.name

    @staticmethod
    def resolve_entity_status(obj: ExitCheck) -> str:
        return obj.entity.status

    @staticmethod
    def resolve_unit(obj: ExitCheck) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_found_by(obj: ExitCheck) -> str:
        return obj.found_by.get_username()


class ExitCheckPage(Paging):
    count: int
    count_exact: bool
    items: list[ExitCheckOut]


class ExitCheckIn(Schema):
    uscc: str
    circumstances: str
    found_on: dt.date | None = None


def _exit_checks(request: OfficerRequest) -> QuerySet[ExitCheck]:
    return scoped(ExitCheck.objects.select_related("entity", "unit", "found_by"), request.user)


@router.get(
    "/exit-checks",
    response=ExitCheckPage,
    summary="Exit checks, open first",
    operation_id=operation_id("list_exit_checks"),
)
def list_exit_checks(
    request: OfficerRequest,
    paging: Query[Paging],
    status: Annotated[str, OneOf(ExitCheck.Status.values)] = "",
) -> dict[str, Any]:
    checks = _exit_checks(request)
    if status:
        checks = checks.filter(status=status)
    return paged(exits.checks_open_first(checks), paging)


@router.get(
    "/exit-checks/{int:check_id}",
    response=ExitCheckOut,
    summary="One exit check",
    operation_id=operation_id("get_exit_check"),
)
def get_exit_check(request: OfficerRequest, check_id: int) -> ExitCheck:
    return get_scoped(_exit_checks(request), request.user, pk=check_id)


@router.post(
    "/exit-checks",
    response={201: ExitCheckOut},
    summary="Report a deregistered or revoked entity found operating",
    operation_id=operation_id("report_exit"),
)
def report_exit(request: OfficerRequest, payload: ExitCheckIn) -> Status[ExitCheck]:
    check = exits.report_exit_operating(
        entity=scoped_entity(request, payload.uscc),
        actor=request.user,
        circumstances=payload.circumstances,
        found_on=payload.found_on,
    )
    return Status(201, check)


@router.post(
    "/exit-checks/{int:check_id}/close",
    response=ExitCheckOut,
    summary="Close an exit check: the business has ceased",
    operation_id=operation_id("close_exit"),
)
def close_exit(request: OfficerRequest, check_id: int, payload: OutcomeIn) -> ExitCheck:
    check = get_scoped(_exit_checks(request), request.user, pk=check_id)
    return exits.close_exit_check(exit_check=check, actor=request.user, outcome=payload.outcome)


# Unlicensed operators -----------------------------------------------------------------------


class UnlicensedOut(Schema):
    id: int
    name: str
    operator: str
    address: str
    business: str
    longitude: float | None
    latitude: float | None
    region_code: str
    unit: str
    found_on: dt.date
    found_by: str
    status: str
    uscc: str | None
    closed_on: dt.date | None
    outcome: str

    @staticmethod
    def resolve_unit(obj: UnlicensedOperator) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_found_by(obj: UnlicensedOperator) -> str:
        return obj.found_by.get_username()

    @staticmethod
    def resolve_uscc(obj: UnlicensedOperator) -> str | None:
        return obj.entity.uscc if obj.entity else None


class UnlicensedPage(Paging):
    count: int
    count_exact: bool
    items: list[UnlicensedOut]


class UnlicensedIn(Schema):
    name: str
    address: str
    business: str
    found_on: dt.date | None = None
    operator: str = ""
    longitude: float | None = None
    latitude: float | None = None


class NoteIn(Schema):
    note: str


class LicensedIn(Schema):
    uscc: str = Field(description="the entity registered when the operator obtained its licence")


def _unlicensed(request: OfficerRequest) -> QuerySet[UnlicensedOperator]:
    return scoped(
        UnlicensedOperator.objects.select_related("unit", "found_by", "entity"), request.user
    )


@router.get(
    "/unlicensed-operators",
    response=UnlicensedPage,
    summary="Unlicensed operators",
    operation_id=operation_id("list_unlicensed"),
)
def list_unlicensed(
    request: OfficerRequest,
    paging: Query[Paging],
    status: Annotated[str, OneOf(UnlicensedOperator.Status.values)] = "",
) -> dict[str, Any]:
    records = _unlicensed(request)
    if status:
        records = records.filter(status=status)
    return paged(records.order_by("-found_on", "-id"), paging)


@router.get(
    "/unlicensed-operators/{int:record_id}",
    response=UnlicensedOut,
    summary="One record",
    operation_id=operation_id("get_unlicensed"),
)
def get_unlicensed(request: OfficerRequest, record_id: int) -> UnlicensedOperator:
    return get_scoped(_unlicensed(request), request.user, pk=record_id)


@router.post(
    "/unlicensed-operators",
    response={201: UnlicensedOut},
    summary="Record an operator found without a business licence",
    operation_id=operation_id("record"),
)
def record(request: OfficerRequest, payload: UnlicensedIn) -> Status[UnlicensedOperator]:
    found = unlicensed.record_unlicensed(actor=request.user, **payload.dict())
    return Status(201, found)


@router.post(
    "/unlicensed-operators/{int:record_id}/guide",
    response=UnlicensedOut,
    summary="Guide the operator to obtain a licence (引导办照)",
    operation_id=operation_id("guide"),
)
def guide(request: OfficerRequest, record_id: int, payload: NoteIn) -> UnlicensedOperator:
    found = get_scoped(_unlicensed(request), request.user, pk=record_id)
    return unlicensed.guide_unlicensed(record=found, actor=request.user, note=payload.note)


@router.post(
    "/unlicensed-operators/{int:record_id}/licensed",
    response=UnlicensedOut,
    summary="The operator obtained its licence: link the new entity",
    operation_id=operation_id("licensed"),
)
def licensed(request: OfficerRequest, record_id: int, payload: LicensedIn) -> UnlicensedOperator:
    found = get_scoped(_unlicensed(request), request.user, pk=record_id)
    entity = scoped_entity(request, payload.uscc)
    return unlicensed.mark_licensed(record=found, entity=entity, actor=request.user)


@router.post(
    "/unlicensed-operators/{int:record_id}/ceased",
    response=UnlicensedOut,
    summary="The operator stopped the business (取缔)",
    operation_id=operation_id("ceased"),
)
def ceased(request: OfficerRequest, record_id: int, payload: OutcomeIn) -> UnlicensedOperator:
    found = get_scoped(_unlicensed(request), request.user, pk=record_id)
    return unlicensed.mark_ceased(record=found, actor=request.user, outcome=payload.outcome)
