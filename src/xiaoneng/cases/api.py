"""API of cases and targets: /api/v1/cases, /cases/{id}/transitions, collections, goods,
/cases/warnings and /targets (all scoped to the user). Amounts are decimal strings in yuan."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from xiaoneng.cases import limits, money, services
from xiaoneng.cases.models import Case, Collection, ConfiscatedGoods, Target
from xiaoneng.cases.sources import source_of
from xiaoneng.cases.targets import services as targets
from xiaoneng.core.api_paging import Paging, paged
from xiaoneng.core.errors import InvalidInput
from xiaoneng.core.scoping import get_scoped, scoped
from xiaoneng.inspections.models import (
    ExitCheck,
    Finding,
    Inspection,
    Rectification,
    Sample,
    UnlicensedOperator,
)
from xiaoneng.org.models import Officer, Unit
from xiaoneng.registry.models import Entity

router = Router(tags=["cases"])

Amount = str | int | float | None  # parsed by the service: malformed or negative is refused


# Cases --------------------------------------------------------------------------------------


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
    decided_on: dt.date | None
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
    status: str = ""
    kind: str = ""
    major: bool | None = None
    unit: str = Field("", description="unit code: its subtree")
    year: int | None = Field(None, description="year the lead was received")


def _cases(request: HttpRequest) -> QuerySet[Case]:
    return scoped(Case.objects.select_related("unit", "handler", "entity"), request.user)


def _warning_out(warning: limits.StageWarning | None) -> dict[str, Any] | None:
    if warning is None:
        return None
    return {
        "level": warning.level,
        "deadline": warning.deadline,
        "days": warning.days,
        "message": warning.message,
    }


def _detail(request: HttpRequest, case: Case) -> Any:
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
def list_cases(request: HttpRequest, filters: Query[CaseFilter]) -> dict[str, Any]:
    cases = _cases(request)
    if filters.status:
        cases = cases.filter(status=filters.status)
    if filters.kind:
        cases = cases.filter(kind=filters.kind)
    if filters.major is not None:
        cases = cases.filter(major=filters.major)
    if filters.unit:
        unit = scoped(Unit.objects.all(), request.user).filter(code=filters.unit).first()
        cases = cases.filter(unit__path__startswith=unit.path) if unit else cases.none()
    if filters.year:
        cases = cases.filter(
            received_on__gte=dt.date(filters.year, 1, 1),
            received_on__lte=dt.date(filters.year, 12, 31),
        )
    return paged(cases.order_by("-received_on", "-id"), filters)


class WarningOut(Schema):
    case: int
    number: str
    status: str
    unit: str
    level: str = Field(description="red (overdue), yellow (≤ 3 working days left), unknown")
    deadline: dt.date | None
    days: int = Field(description="working days left (yellow) or days overdue (red)")
    message: str


@router.get(
    "/cases/warnings", response=list[WarningOut], summary="Stage time-limit warnings in scope"
)
def list_warnings(request: HttpRequest, today: dt.date | None = None) -> list[dict[str, Any]]:
    found = limits.stage_warnings(_cases(request), today or timezone.localdate())
    return [
        {
            "case": w.case.pk,
            "number": w.case.number,
            "status": w.case.status,
            "unit": w.case.unit.code,
            "level": w.level,
            "deadline": w.deadline,
            "days": w.days,
            "message": w.message,
        }
        for w in found
    ]


@router.get("/cases/{int:case_id}", response=CaseDetail, summary="One case with its money")
def get_case(request: HttpRequest, case_id: int) -> Any:
    return _detail(request, get_scoped(_cases(request), request.user, pk=case_id))


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
    inspection: int | None = None
    finding: int | None = None
    rectification: int | None = None
    exit_check: int | None = None
    unlicensed: int | None = None
    sample: int | None = None


SOURCES: dict[str, tuple[str, Any]] = {
    "inspection": ("inspection", Inspection),
    "finding": ("finding", Finding),
    "rectification": ("rectification", Rectification),
    "exit_check": ("exit_check", ExitCheck),
    "unlicensed": ("unlicensed_operator", UnlicensedOperator),
    "sample": ("sample", Sample),
}


def _officer(request: HttpRequest, username: str, field: str) -> Officer | None:
    if not username:
        return None
    officer = scoped(Officer.objects.filter(is_active=True), request.user).filter(username=username)
    found = officer.first()
    if found is None:
        raise InvalidInput.single(field, _("未知的执法人员：%(v)s") % {"v": username})
    return found


@router.post("/cases", response={201: CaseDetail}, summary="Register a lead (from a source or not)")
def create_case(request: HttpRequest, payload: CaseIn) -> Status[Any]:
    found = {
        field: get_scoped(model.objects.all(), request.user, pk=value)
        for name, (field, model) in SOURCES.items()
        if (value := getattr(payload, name)) is not None
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
def transition(request: HttpRequest, case_id: int, payload: TransitionIn) -> Any:
    case = get_scoped(_cases(request), request.user, pk=case_id)
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
def extension(request: HttpRequest, case_id: int, payload: ExtensionIn) -> Any:
    case = get_scoped(_cases(request), request.user, pk=case_id)
    services.extend_time_limit(case=case, actor=request.user, reason=payload.reason)
    return _detail(request, case)


# Collections and goods ------------------------------------------------------------------------


class CollectionOut(Schema):
    id: int
    kind: str
    amount: Decimal
    collected_on: dt.date
    receipt_number: str


class CollectionIn(Schema):
    kind: str = Collection.Kind.FINE
    amount: Amount = None
    collected_on: dt.date | None = None
    receipt_number: str = ""


@router.get(
    "/cases/{int:case_id}/collections",
    response=list[CollectionOut],
    summary="Money paid in on a case (罚没款入库)",
)
def list_collections(request: HttpRequest, case_id: int) -> QuerySet[Collection]:
    case = get_scoped(_cases(request), request.user, pk=case_id)
    return case.collections.order_by("collected_on", "id")


@router.post(
    "/cases/{int:case_id}/collections",
    response={201: CollectionOut},
    summary="Record money paid in (case decided or executing; never above the decision)",
)
def add_collection(request: HttpRequest, case_id: int, payload: CollectionIn) -> Status[Any]:
    case = get_scoped(_cases(request), request.user, pk=case_id)
    created = money.record_collection(case=case, actor=request.user, **payload.dict())
    return Status(201, created)


class GoodsOut(Schema):
    id: int
    description: str
    quantity: Decimal
    measure: str
    value: Decimal
    disposal: str


class GoodsIn(Schema):
    description: str = ""
    quantity: Amount = None
    measure: str = ""
    value: Amount = 0
    disposal: str = ""


@router.get(
    "/cases/{int:case_id}/goods", response=list[GoodsOut], summary="Goods confiscated in a case"
)
def list_goods(request: HttpRequest, case_id: int) -> QuerySet[ConfiscatedGoods]:
    case = get_scoped(_cases(request), request.user, pk=case_id)
    return case.goods.order_by("id")


@router.post(
    "/cases/{int:case_id}/goods",
    response={201: GoodsOut},
    summary="Record confiscated goods (e.g. 206 吨 不合格化肥)",
)
def add_goods(request: HttpRequest, case_id: int, payload: GoodsIn) -> Status[Any]:
    case = get_scoped(_cases(request), request.user, pk=case_id)
    created = money.record_goods(case=case, actor=request.user, **payload.dict())
    return Status(201, created)


# Targets --------------------------------------------------------------------------------------


class ProgressOut(Schema):
    metric: str
    label: str
    target: Decimal
    achieved: Decimal
    rate: Decimal = Field(description="achieved / target, percent, one decimal place")
    elapsed: Decimal = Field(description="share of the year passed, percent")
    sentence: str


class UnitTargetsOut(Schema):
    unit: str
    name: str
    year: int
    targets: list[ProgressOut]


def _progress(unit: Unit, year: int, today: dt.date) -> dict[str, Any]:
    return {
        "unit": unit.code,
        "name": unit.name,
        "year": year,
        "targets": [
            {
                "metric": p.metric,
                "label": p.label,
                "target": p.value,
                "achieved": p.achieved,
                "rate": p.rate,
                "elapsed": p.elapsed,
                "sentence": p.sentence,
            }
            for p in targets.completion(unit=unit, year=year, today=today)
        ],
    }


@router.get(
    "/targets",
    response=list[UnitTargetsOut],
    summary="Each unit's targets of a year with their completion",
)
def list_targets(
    request: HttpRequest, year: int | None = None, unit: str = ""
) -> list[dict[str, Any]]:
    today = timezone.localdate()
    year = year or today.year
    rows = scoped(Target.objects.filter(year=year), request.user)
    if unit:
        rows = rows.filter(unit__code=unit)
    ids = set(rows.values_list("unit_id", flat=True))
    units = Unit.objects.filter(pk__in=ids).order_by("path")
    return [_progress(u, year, today) for u in units]


class TargetIn(Schema):
    unit: str = Field(description="unit code")
    year: int
    metric: str
    value: Amount = None
    note: str = ""


@router.post(
    "/targets",
    response={200: UnitTargetsOut},
    summary="Set (or change) a unit's annual target; the trace keeps the old value",
)
def set_target(request: HttpRequest, payload: TargetIn) -> Any:
    unit = get_scoped(Unit.objects.all(), request.user, code=payload.unit)
    targets.set_target(
        actor=request.user,
        unit=unit,
        year=payload.year,
        metric=payload.metric,
        value=payload.value,
        note=payload.note,
    )
    return _progress(unit, payload.year, timezone.localdate())
