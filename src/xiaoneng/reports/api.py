"""API of reports: GET /reports/period (figures and sentences), GET /oversight (the leader's
counts). Both scoped to the user."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Query, Router, Schema
from pydantic import Field

from xiaoneng.core.routing import stale_ok
from xiaoneng.org.models import Unit
from xiaoneng.org.requests import OfficerRequest
from xiaoneng.oversight.leader.queries import oversight
from xiaoneng.reports.period import period_report
from xiaoneng.reports.scope import parse_request
from xiaoneng.reports.text import sentences, title

router = Router(tags=["reports"])


class PeriodQuery(Schema):
    start: str = Field("", alias="from", description="first day, YYYY-MM-DD")
    end: str = Field("", alias="to", description="last day, YYYY-MM-DD")
    unit: str = Field("", description="unit code (default: the user's whole scope)")


class InspectionsOut(Schema):
    signed: int
    onsite: int
    documentary: int
    by_origin: dict[str, int]
    entities: int
    with_problems: int
    findings: int
    findings_by_severity: dict[str, int]
    rectifications: int = Field(description="orders issued in the period")
    rectified: int = Field(description="of those, rectified on the day of the report")
    warned: int = Field(description="of the overdue, warned (逾期已警示) on the day of the report")
    escalated: int = Field(description="of those, escalated to a case")
    overdue: int = Field(description="of those, past the deadline and not rectified (or warned)")
    in_time: int = Field(description="of those, open and within the deadline")
    unlicensed: int
    unlicensed_licensed: int
    unlicensed_ceased: int
    exit_found: int


class KindOut(Schema):
    kind: str
    label: str
    cases: int
    major: int
    value: Decimal = Field(description="案值, yuan")
    collected: Decimal = Field(description="罚没款入库, yuan")


class ReportGoodsOut(Schema):
    kind: str
    description: str
    measure: str
    quantity: Decimal
    value: Decimal


class TargetOut(Schema):
    metric: str
    label: str
    year: int
    target: Decimal
    achieved: Decimal
    rate: int = Field(description="whole percent")


class CasesOut(Schema):
    filed: int
    major: int
    value: Decimal
    collected: Decimal
    by_kind: list[KindOut]
    goods: list[ReportGoodsOut]
    targets: list[TargetOut]


class ConfiscatedOut(Schema):
    item: str
    quantity: int
    measure: str = Field(description="计量单位: 件, 份, 千克…")


class ReportCampaignOut(Schema):
    pk: int
    title: str
    start_on: dt.date
    end_on: dt.date
    unit_name: str
    tasks: int
    checked: int
    violations: int
    notices: int
    officers: int
    confiscated: list[ConfiscatedOut] = Field(
        description="goods confiscated on the campaign's visits, summed per goods and measure"
    )


class CategoryOut(Schema):
    category: str
    batches: int = Field(description="passed + failed + pending")
    firms: int
    passed: int
    failed: int
    pending: int = Field(description="检验中: no laboratory verdict yet")
    rate: Decimal | None


class SamplingOut(Schema):
    batches: int
    firms: int
    passed: int
    failed: int
    pending: int
    rate: Decimal | None
    by_category: list[CategoryOut]
    follow_ups: int
    follow_ups_closed: int
    follow_ups_escalated: int


class OversightFiguresOut(Schema):
    flags_raised: int
    flags_by_kind: dict[str, int]
    flags_confirmed: int
    flags_cleared: int
    flags_open: int
    reviews_done: int
    reviews_problem: int
    supervision_issued: int
    supervision_closed: int
    supervision_overdue: int


class PeriodReportOut(Schema):
    start: dt.date
    end: dt.date
    unit: str
    unit_name: str
    made_on: dt.date
    title: str
    sentences: list[str]
    inspections: InspectionsOut
    cases: CasesOut
    campaigns: list[ReportCampaignOut]
    sampling: SamplingOut
    oversight: OversightFiguresOut


@router.get(
    "/reports/period",
    response=PeriodReportOut,
    summary="Figures and sentences of a period for a unit's subtree (期间报告)",
)
def get_period_report(request: OfficerRequest, query: Query[PeriodQuery]) -> dict[str, Any]:
    start, end, unit = parse_request(
        start=query.start, end=query.end, unit_code=query.unit, user=request.user
    )
    with stale_ok():  # a report (core/routing.py)
        report = period_report(start=start, end=end, unit=unit, user=request.user)
    return {
        "start": report.start,
        "end": report.end,
        "unit": report.unit_code,
        "unit_name": report.unit_name,
        "made_on": report.made_on,
        "title": title(report),
        "sentences": sentences(report),
        "inspections": report.inspections,
        "cases": report.cases,
        "campaigns": report.campaigns,
        "sampling": report.sampling,
        "oversight": report.oversight,
    }


class UnitCountOut(Schema):
    unit: str
    unit_name: str
    count: int


class OversightItemOut(Schema):
    key: str
    label: str
    count: int
    link: str | None
    by_unit: list[UnitCountOut]


class OversightOut(Schema):
    today: dt.date
    items: list[OversightItemOut]
    notes: list[str]


@router.get(
    "/oversight",
    response=OversightOut,
    summary="What is overdue, flagged or escalated, counted by unit (督查总览)",
)
def get_oversight(request: OfficerRequest) -> dict[str, Any]:
    with stale_ok():  # the leader's dashboard (core/routing.py)
        view = oversight(user=request.user)
        ids = {u for item in view.items for u in item.by_unit}
        units = {u.pk: u for u in Unit.objects.filter(pk__in=ids)}
    return {
        "today": view.today,
        "notes": view.notes,
        "items": [
            {
                "key": item.key,
                "label": item.label,
                "count": item.count,
                "link": item.link,
                "by_unit": [
                    {"unit": units[u].code, "unit_name": units[u].name, "count": n}
                    for u, n in sorted(item.by_unit.items(), key=lambda p: units[p[0]].code)
                ],
            }
            for item in view.items
        ],
    }
