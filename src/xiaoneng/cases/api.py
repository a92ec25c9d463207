"""API of cases: /api/v1/cases, /cases/{id}/transitions and /extension, /cases/warnings (all
scoped to the user); a case's money in ``cases.money_api``, targets in ``cases.targets.api``.
Amounts are decimal strings in yuan."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from xiaoneng.cases import limits, money, services, sources
from xiaoneng.cases.models import Case, CaseKind
from xiaoneng.cases.queries import filter_cases
from xiaoneng.cases.sources import source_of
from xiaoneng.core.api_paging import Day, OneOf, Paging, Year, paged
from xiaoneng.core.errors import InvalidInput
from xiaoneng.core.scoping import get_scoped, scoped
from xiaoneng.org.models import Officer
from xiaoneng.org.requests import OfficerRequest
from xiaoneng.registry.models import Entity

router = Router(tags=["cases"])

Amount = str | int | float | None  # parsed by the service: malformed or negative is refused


class CaseOut(Schema):
    id: int
    number: str
    title: str
    kind: str
    status: str
    party: str
    uscc: str | None
    unit: str
    handler: str
    major: bool
    case_value: Decimal
    fine_decided: Decimal
    confiscation_decided: Decimal
    received_on: dt.date
    filed_on: dt.date | None
    notified_on: dt.date | None
    notice_served_on: dt.date | None = Field(
        description="the day the 行政处罚告知书 reached the party (its recorded delivery)"
    )
    decided_on: dt.date | None
    decision_served_on: dt.date | None = Field(
        description="the day the 行政处罚决定书 reached the party (its recorded delivery)"
    )
    closed_on: dt.date | None
    stage_started_on: dt.date
    decision_number: str

    @staticmethod
    def resolve_uscc(obj: Case) -> str | None:
        return obj.entity.uscc if obj.entity_id else None  # type: ignore[union-attr]

    @staticmethod
    def resolve_unit(obj: Case) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_handler(obj: Case) -> str:
        return obj.handler.get_username()


class MoneyOut(Schema):
    kind: str
    decided: Decimal
    collected: Decimal
    outstanding: Decimal


class CaseDetail(CaseOut):
    facts: str
    source_note: str
    source: dict[str, Any] | None
    proposed_fine: Decimal
    ended_reason: str
    shortfall_reason: str
    filing_extended: bool
    decision_extended: bool
    money: list[MoneyOut]
    allowed: list[str] = Field(description="statuses the user may move the case to now")
    warning: dict[str, Any] | None


class CasePage(Schema):
    count: int
    count_exact: bool
    page: int
    page_size: int
    items: list[CaseOut]


class CaseFilter(Paging):
    status: Annotated[str, OneOf(Case.Status.values)] = ""
    kind: Annotated[str, OneOf(CaseKind.values)] = ""
    major: bool | None = None
    unit: str = Field("", description="unit code: its subtree")
    year: Year | None = Field(None, description="year the lead was received")


def scoped_cases(request: OfficerRequest) -> QuerySet[Case]:
    """The cases the user sees, with what their schemas name."""
    return scoped(Case.objects.select_related("unit", "handler", "entity"), request.user)


def _warning_out(warning: limits.StageWarning | None) -> dict[str, Any] | None:
    if warning is None:
        return None
    return {
        "level": warning.level,
        "deadline": warning.deadline,
        "deadline_provisional": warning.provisional,
        "days": warning.days,
        "message": warning.message,
    }


def _detail(request: OfficerRequest, case: Case) -> Any:
    item: Any = case
    found = source_of(case)
    item.source = {"kind": found[0], "id": found[1].pk} if found else None
    item.money = [
        {
            "kind": line.kind,
            "decided": line.decided,
            "collected": line.collected,
            "outstanding": line.outstanding,
        }
        for line in money.money_lines(case)
    ]
    item.allowed = services.allowed_moves(case, request.user)
    warnings = limits.stage_warnings(Case.objects.filter(pk=case.pk), timezone.localdate())
    item.warning = _warning_out(warnings[0] if warnings else None)
    return item


@router.get("/cases", response=CasePage, summary="Cases of the user's units, newest lead first")
def list_cases(request: OfficerRequest, filters: Query[CaseFilter]) -> dict[str, Any]:
    cases = filter_cases(
        scoped_cases(request),
        user=request.user,
        status=filters.status,
        kind=filters.kind,
        major=filters.major,
        unit=filters.unit,
        year=filters.year,
    )
    return paged(cases.order_by("-received_on", "-id"), filters)


class WarningOut(Schema):
    case: int
    number: str
    status: str
    unit: str
    level: str = Field(description="red (overdue), yellow (≤ 3 working days left), unknown")
    deadline: dt.date | None
    deadline_provisional: bool = Field(
        description="the deadline lies in a year whose holidays are not loaded yet (weekdays only)"
    )
    days: int = Field(description="working days left (yellow) or days overdue (red)")
    message: str


@router.get(
    "/cases/warnings", response=list[WarningOut], summary="Stage time-limit warnings in scope"
)
def list_warnings(request: OfficerRequest, today: Day | None = None) -> list[dict[str, Any]]:
    found = limits.stage_warnings(scoped_cases(request), today or timezone.localdate())
    return [
        {
            "case": w.case.pk,
            "number": w.case.number,
            "status": w.case.status,
            "unit": w.case.unit.code,
            "level": w.level,
            "deadline": w.deadline,
            "deadline_provisional": w.provisional,
            "days": w.days,
            "message": w.message,
        }
        for w in found
    ]


@router.get("/cases/{int:case_id}", response=CaseDetail, summary="One case with its money")
def get_case(request: OfficerRequest, case_id: int) -> Any:
    return _detail(request, get_scoped(scoped_cases(request), request.user, pk=case_id))


class CaseIn(Schema):
    title: str
    kind: str
    party: str = ""
    uscc: str = Field("", description="the party's entity, if registered")
    received_on: dt.date | None = None
    facts: str = ""
    source_note: str = ""
    handler: str = Field("", description="username (default: the user)")
    co_handler: str = ""
    case_value: Amount = 0
    major: bool = False
    # One per ``sources.KINDS``, by its ``param``.
    inspection: int | None = None
    finding: int | None = None
    rectification: int | None = None
    exit_check: int | None = None
    unlicensed: int | None = None
    sample: int | None = None


def _officer(request: OfficerRequest, username: str, field: str) -> Officer | None:
    if not username:
        return None
    officer = scoped(Officer.objects.filter(is_active=True), request.user).filter(username=username)
    found = officer.first()
    if found is None:
        raise InvalidInput.single(field, _("未知的执法人员：%(v)s") % {"v": username})
    return found


@router.post("/cases", response={201: CaseDetail}, summary="Register a lead (from a source or not)")
def create_case(request: OfficerRequest, payload: CaseIn) -> Status[Any]:
    found = {
        kind.field: get_scoped(kind.model._default_manager.all(), request.user, pk=value)
        for kind in sources.KINDS
        if (value := getattr(payload, kind.param)) is not None
    }
    entity = None
    if payload.uscc and not found:
        entity = scoped(Entity.objects.all(), request.user).filter(uscc=payload.uscc).first()
        if entity is None:
            raise InvalidInput.single(
                "uscc", _("未找到该统一社会信用代码的主体：%(v)s") % {"v": payload.uscc}
            )
    case = services.open_case(
        actor=request.user,
        title=payload.title,
        kind=payload.kind,
        party=payload.party,
        entity=entity,
        received_on=payload.received_on,
        facts=payload.facts,
        source_note=payload.source_note,
        handler=_officer(request, payload.handler, "handler"),
        co_handler=_officer(request, payload.co_handler, "co_handler"),
        case_value=payload.case_value,
        major=payload.major,
        **found,
    )
    return Status(201, _detail(request, case))


class TransitionIn(Schema):
    to: str = Field(description="filed, not_filed, investigating, notified, decided, executing, "
                    "closed or withdrawn")  # fmt: skip
    filed_on: dt.date | None = None
    refused_on: dt.date | None = None
    started_on: dt.date | None = None
    notified_on: dt.date | None = None
    decided_on: dt.date | None = None
    closed_on: dt.date | None = None
    withdrawn_on: dt.date | None = None
    proposed_fine: Amount = 0
    decision_number: str = ""
    fine: Amount = 0
    confiscation: Amount = 0
    case_value: Amount = None
    major: bool | None = None
    reason: str = ""
    note: str = ""
    shortfall_reason: str = ""


@router.post(
    "/cases/{int:case_id}/transitions",
    response=CaseDetail,
    summary="Move a case to another status (the table decides which moves are allowed)",
)
def transition(request: OfficerRequest, case_id: int, payload: TransitionIn) -> Any:
    case = get_scoped(scoped_cases(request), request.user, pk=case_id)
    values = payload.dict()
    to = values.pop("to")
    case = services.apply_transition(case=case, actor=request.user, to=to, values=values)
    return _detail(request, case)


class ExtensionIn(Schema):
    reason: str


@router.post(
    "/cases/{int:case_id}/extension",
    response=CaseDetail,
    summary="Extend the stage's time limit once (the head's approval)",
)
def extension(request: OfficerRequest, case_id: int, payload: ExtensionIn) -> Any:
    case = get_scoped(scoped_cases(request), request.user, pk=case_id)
    services.extend_time_limit(case=case, actor=request.user, reason=payload.reason)
    return _detail(request, case)
