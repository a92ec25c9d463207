"""API of the resource ledger (篇5), under /ledger: the entries of a period with their computed
outputs and ratios and the cross-footing total; one entry; recording one; efficiency by unit,
campaign or kind with the overspends and 运动式执法; the quotas. Scoped to the user's units."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from xiaoneng.cases.models import Case
from xiaoneng.core.api_paging import Id, Paging
from xiaoneng.core.errors import InvalidInput
from xiaoneng.core.scoping import scoped
from xiaoneng.org.models import Officer, Unit
from xiaoneng.org.requests import OfficerRequest
from xiaoneng.reports.ledger import queries, services
from xiaoneng.reports.ledger.efficiency import Line, entry_lines
from xiaoneng.reports.ledger.models import LedgerEntry, Quota
from xiaoneng.reports.ledger.outputs import outputs

router = Router(tags=["ledger"])


class LedgerPeriodQuery(Schema):
    start: str = Field("", alias="from", description="first day a listed entry starts, YYYY-MM-DD")
    end: str = Field("", alias="to", description="last day, YYYY-MM-DD")
    unit: str = Field("", description="unit code: its subtree (default: the user's scope)")
    kind: str = Field("", description="patrol_day, campaign, case, draw, other (default: all)")


class LedgerEntriesQuery(LedgerPeriodQuery, Paging):
    pass


class LedgerEfficiencyQuery(LedgerPeriodQuery):
    by: Literal["unit", "campaign", "kind"] = "unit"


class LedgerInputsOut(Schema):
    entries: int
    officers: int
    person_hours: Decimal
    vehicles: int
    kilometres: Decimal
    money: Decimal = Field(description="yuan")


class LedgerOutputsOut(Schema):
    inspections: int
    findings: int
    rectified: int
    cases: int
    fines: Decimal = Field(description="罚没款入库 of the cases, yuan")
    goods: int = Field(description="lines of confiscated goods")


class LedgerRatiosOut(Schema):
    inspections_per_hour: Decimal | None = Field(description="None: no data (0 person-hours)")
    findings_per_hour: Decimal | None
    fines_per_yuan: Decimal | None = Field(description="None: no data (no money spent)")
    cost_per_inspection: Decimal | None = Field(description="None: no data (no inspection)")
    cost_per_finding: Decimal | None


class LedgerLineOut(Schema):
    key: str
    label: str
    inputs: LedgerInputsOut
    outputs: LedgerOutputsOut
    ratios: LedgerRatiosOut


class LedgerEntryOut(Schema):
    id: int
    unit: str = Field(description="unit code")
    unit_name: str
    kind: str
    officer_id: int | None
    campaign_id: int | None
    case_number: str | None
    draw_id: int | None
    title: str
    started_on: dt.date
    ended_on: dt.date
    officers: int
    person_hours: Decimal
    vehicles: int
    kilometres: Decimal
    money: Decimal
    other_resources: str
    note: str
    outputs: LedgerOutputsOut
    ratios: LedgerRatiosOut


class LedgerEntryPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[LedgerEntryOut]
    total: LedgerLineOut = Field(description="all entries of the filter, ratios from the sums")


class LedgerOverspendOut(Schema):
    entry_id: int
    limit_name: str
    label: str
    limit: Decimal
    actual: Decimal | None = Field(description="None: inputs spent on no inspection")
    over_percent: int | None


class LedgerCampaignStyleOut(Schema):
    entry_id: int
    person_hours: Decimal
    hours_upper: Decimal
    per_hour: Decimal
    per_hour_lower: Decimal
    reason: str


class LedgerEfficiencyOut(Schema):
    by: str
    lines: list[LedgerLineOut]
    total: LedgerLineOut
    overspends: list[LedgerOverspendOut]
    campaign_style: list[LedgerCampaignStyleOut]


class LedgerQuotaOut(Schema):
    year: int
    kind: str
    unit_kind: str
    hours_per_inspection: Decimal | None
    money_per_inspection: Decimal | None
    kilometres_per_inspection: Decimal | None
    money_per_activity: Decimal | None
    note: str


class LedgerEntryIn(Schema):
    unit: str = Field(description="unit code, in the user's scope")
    kind: str = Field(description="patrol_day, campaign, case, draw, other")
    officer: Id | None = Field(None, description="patrol_day: the officer's id")
    campaign: Id | None = Field(None, description="campaign: its id")
    case: str = Field("", description="case: its number")
    draw: Id | None = Field(None, description="draw: its id")
    title: str = ""
    started_on: dt.date | None = None
    ended_on: dt.date | None = None
    officers: int | None = Field(None, ge=-(2**31), le=2**31)
    person_hours: Decimal | None = None
    vehicles: int = Field(0, ge=-(2**31), le=2**31)
    kilometres: Decimal = Decimal(0)
    money: Decimal = Decimal(0)
    other_resources: str = ""
    note: str = ""


def _line(line: Line) -> dict[str, Any]:
    return {
        "key": line.key,
        "label": line.label,
        "inputs": line.inputs,
        "outputs": line.outputs,
        "ratios": line.ratios,
    }


def _entry(line: Line) -> dict[str, Any]:
    entry = line.entry
    assert isinstance(entry, LedgerEntry)
    return {
        **{
            name: getattr(entry, name)
            for name in (
                "officer_id", "campaign_id", "draw_id", "title", "started_on", "ended_on",
                "officers", "person_hours", "vehicles", "kilometres", "money",
                "other_resources", "note", "kind",
            )
        },
        "id": entry.pk,
        "unit": entry.unit.code,
        "unit_name": entry.unit.name,
        "case_number": entry.case.number if entry.case else None,
        "outputs": line.outputs,
        "ratios": line.ratios,
    }  # fmt: skip


def _filters(request: OfficerRequest, query: LedgerPeriodQuery) -> queries.Filters:
    return queries.parse_filters(
        start=query.start, end=query.end, unit=query.unit, kind=query.kind, user=request.user
    )


@router.get("/ledger/entries", response=LedgerEntryPage, summary="The ledger's entries")
def list_entries(request: OfficerRequest, query: Query[LedgerEntriesQuery]) -> dict[str, Any]:
    table = queries.ledger_table(request.user, _filters(request, query))
    start = (query.page - 1) * query.page_size
    return {
        "count": len(table.lines),
        "page": query.page,
        "page_size": query.page_size,
        "items": [_entry(line) for line in table.lines[start : start + query.page_size]],
        "total": _line(table.total),
    }


@router.get("/ledger/entries/{int:entry_id}", response=LedgerEntryOut, summary="One entry")
def get_entry(request: OfficerRequest, entry_id: int) -> dict[str, Any]:
    entry = queries.entry_for(request.user, entry_id)
    return _entry(entry_lines([entry], outputs([entry]))[0])


def _found(rows: Any, value: Any, lookup: str, field: str, message: str) -> Any:
    """The record ``lookup``=``value`` among ``rows``; an unknown one refused on ``field``."""
    if value in (None, ""):
        return None
    found = rows.filter(**{lookup: value}).first()
    if found is None:
        raise InvalidInput.single(field, message % {"v": value})
    return found


INPUT_FIELDS = {
    "title", "started_on", "ended_on", "officers", "person_hours", "vehicles", "kilometres",
    "money", "other_resources", "note",
}  # fmt: skip


@router.post(
    "/ledger/entries", response={201: LedgerEntryOut}, summary="Record an activity's inputs"
)
def create_entry(request: OfficerRequest, payload: LedgerEntryIn) -> Status[Any]:
    user = request.user
    code = payload.unit.strip()
    unit = _found(Unit.objects.all(), code, "code", "unit", _("未知的单位代码：%(v)s"))
    cases = scoped(Case.objects.all(), user)
    people = scoped(Officer.objects.all(), user)
    campaigns, draws = queries.choosable_campaigns(user), queries.choosable_draws(user)
    data = services.EntryInput(
        unit=unit,
        kind=payload.kind.strip(),
        officer=_found(people, payload.officer, "pk", "officer", _("未找到该人员：%(v)s")),
        campaign=_found(
            campaigns, payload.campaign, "pk", "campaign", _("未找到该专项整治：%(v)s")
        ),
        case=_found(cases, payload.case.strip(), "number", "case", _("未找到该案件：%(v)s")),
        draw=_found(draws, payload.draw, "pk", "draw", _("未找到该抽查：%(v)s")),
        **payload.dict(include=INPUT_FIELDS),
    )
    entry = services.record_entry(data=data, actor=user)
    fresh = queries.entry_for(user, entry.pk)
    return Status(201, _entry(entry_lines([fresh], outputs([fresh]))[0]))


OVERSPEND = ("limit_name", "label", "limit", "actual", "over_percent")
CAMPAIGN_STYLE = ("person_hours", "hours_upper", "per_hour", "per_hour_lower", "reason")


def _fields(row: Any, names: tuple[str, ...], entry_id: int) -> dict[str, Any]:
    return {**{name: getattr(row, name) for name in names}, "entry_id": entry_id}


@router.get("/ledger/efficiency", response=LedgerEfficiencyOut, summary="Efficiency ratios")
def get_efficiency(request: OfficerRequest, query: Query[LedgerEfficiencyQuery]) -> dict[str, Any]:
    result = queries.efficiency(request.user, _filters(request, query), query.by)
    return {
        "by": result.by,
        "lines": [_line(line) for line in result.lines],
        "total": _line(result.total),
        "overspends": [_fields(f, OVERSPEND, f.entry.pk) for f in result.overspends],
        "campaign_style": [_fields(c, CAMPAIGN_STYLE, c.entry.pk) for c in result.campaign_style],
    }


@router.get("/ledger/quotas", response=list[LedgerQuotaOut], summary="The quotas (定额)")
def list_quotas(request: OfficerRequest) -> list[Quota]:
    return list(Quota.objects.all())
