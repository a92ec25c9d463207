"""API of trace flags (痕迹疑点, 篇7): /trace-flags, scoped to the user's units; a flag is cleared
or confirmed through ``trace.flags``."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Query, Router, Schema
from pydantic import Field

from xiaoneng.core.actors import username_of
from xiaoneng.core.api_paging import Day, OneOf, Paging, paged
from xiaoneng.core.scoping import get_scoped
from xiaoneng.inspections.records.models import TraceFlag
from xiaoneng.inspections.trace import flags
from xiaoneng.org.requests import OfficerRequest

router = Router(tags=["oversight"])


# Trace flags ------------------------------------------------------------------------------------


class FlagOut(Schema):
    id: int
    inspection_id: int
    entity: str
    visited_on: dt.date
    lead_officer: str
    unit: str
    kind: str
    kind_label: str
    detail: str
    status: str
    raised_at: dt.datetime
    resolved_by: str | None
    resolved_at: dt.datetime | None
    resolution: str

    @staticmethod
    def resolve_entity(obj: TraceFlag) -> str:
        return obj.inspection.entity.name

    @staticmethod
    def resolve_visited_on(obj: TraceFlag) -> dt.date:
        return obj.inspection.visited_on

    @staticmethod
    def resolve_lead_officer(obj: TraceFlag) -> str:
        return obj.inspection.lead_officer.get_username()

    @staticmethod
    def resolve_unit(obj: TraceFlag) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_kind_label(obj: TraceFlag) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_resolved_by(obj: TraceFlag) -> str | None:
        return username_of(obj.resolved_by)


class FlagPage(Schema):
    count: int
    count_exact: bool
    page: int
    page_size: int
    counts: dict[str, int] = Field(description="flags of each kind under the other filters")
    items: list[FlagOut]


class FlagFilter(Paging):
    kind: Annotated[str, OneOf(TraceFlag.Kind.values)] = ""
    status: Annotated[str, OneOf(TraceFlag.Status.values)] = ""
    unit: str = Field("", description="unit code")
    officer: str = Field("", description="lead officer's username")
    date_from: Day | None = Field(None, description="visited on or after")
    date_to: Day | None = Field(None, description="visited on or before")


@router.get("/trace-flags", response=FlagPage, summary="Trace flags of the user's units")
def list_flags(request: OfficerRequest, filters: Query[FlagFilter]) -> dict[str, Any]:
    narrowed = flags.filter_flags(
        flags.flags_for(request.user),
        status=filters.status,
        unit=filters.unit,
        officer=filters.officer,
        date_from=filters.date_from,
        date_to=filters.date_to,
    )
    listed = flags.filter_flags(narrowed, kind=filters.kind).order_by("-raised_at", "-id")
    body = paged(listed, filters)
    body["counts"] = {kind: n for kind, _label, n in flags.counts_by_kind(narrowed)}
    return body


@router.get("/trace-flags/{int:flag_id}", response=FlagOut, summary="One trace flag")
def get_flag(request: OfficerRequest, flag_id: int) -> TraceFlag:
    return get_scoped(flags.flags_for(request.user), request.user, pk=flag_id)


class ResolveIn(Schema):
    confirmed: bool = Field(description="true: the doubt is founded (属实); false: cleared")
    reason: str = Field(description="what was checked, at least 5 characters")


@router.post(
    "/trace-flags/{int:flag_id}/resolve",
    response=FlagOut,
    summary="Clear or confirm a flag, with a reason",
)
def resolve(request: OfficerRequest, flag_id: int, payload: ResolveIn) -> TraceFlag:
    flag = get_scoped(flags.flags_for(request.user), request.user, pk=flag_id)
    return flags.resolve_flag(
        flag=flag, actor=request.user, confirmed=payload.confirmed, reason=payload.reason
    )
