"""Period report: the completion of annual targets, and the figures of signed inspections,
findings and rectification orders."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from tests.conftest import County
from tests.inspections.factories import make_checklist, make_inspection
from tests.reports.helpers import D, collect, east_entity, make_case, rectification, report
from xiaoneng.cases.models import Case, Target, TargetMetric
from xiaoneng.cases.targets import services as targets
from xiaoneng.inspections.models import Finding, Inspection, Rectification
from xiaoneng.reports.export import target_table
from xiaoneng.reports.text import sentences

# Targets: completion from January to the end of the period ----------------------------------


def test_no_target_clause_without_a_target(county: County) -> None:
    collect(make_case(county.east, county.east_officer), "10000")
    assert sentences(report(county))[0] == "立案查处各类案件1起，罚没款入库1.00万元。"


def test_no_target_clause_for_a_period_across_two_years(county: County) -> None:
    collect(make_case(county.east, county.east_officer), "10000")
    Target.objects.create(
        unit=county.bureau, year=2026, metric=TargetMetric.FINES_COLLECTED, value=Decimal("10000")
    )
    result = report(county, start=D(2025, 12, 1), end=D(2026, 6, 30))
    assert result.cases.targets == []
    assert "目标" not in sentences(result)[0]


def test_target_completion_counts_from_january_to_the_end_of_the_period(county: County) -> None:
    case = make_case(county.east, county.east_officer, filed_on=D(2026, 1, 6))
    collect(case, "40000", D(2026, 1, 20))  # before the period: counts for the year only
    collect(case, "20000", D(2026, 5, 6))
    collect(case, "99000", D(2026, 7, 1))  # after the period: not at all
    Target.objects.create(
        unit=county.bureau, year=2026, metric=TargetMetric.FINES_COLLECTED, value=Decimal("80000")
    )
    Target.objects.create(unit=county.bureau, year=2026, metric=TargetMetric.CASES, value=4)
    result = report(county, start=D(2026, 4, 1), end=D(2026, 6, 30))
    written = sentences(result)
    assert written[0] == "罚没款入库2.00万元；截至6月30日全年累计入库6.00万元，完成全年目标的75%。"
    assert written[1] == "全年目标任务中，立案数完成全年目标的25%。"


def test_a_third_quarter_report_gives_the_year_to_date_money_its_rate_rests_on(
    county: County,
) -> None:
    case = make_case(county.east, county.east_officer, filed_on=D(2026, 2, 2))
    collect(case, "123700", D(2026, 5, 6))
    collect(case, "44300", D(2026, 8, 3))
    Target.objects.create(
        unit=county.bureau, year=2026, metric=TargetMetric.FINES_COLLECTED, value=Decimal("350000")
    )
    written = sentences(report(county, start=D(2026, 7, 1), end=D(2026, 9, 30)))
    assert written[0] == (
        "罚没款入库4.43万元；截至9月30日全年累计入库16.80万元，完成全年目标的48%。"
    )


def test_a_period_without_money_still_says_what_the_year_has_collected(county: County) -> None:
    collect(make_case(county.east, county.east_officer), "70000", D(2026, 3, 2))
    Target.objects.create(
        unit=county.bureau, year=2026, metric=TargetMetric.FINES_COLLECTED, value=Decimal("350000")
    )
    written = sentences(report(county, start=D(2026, 7, 1), end=D(2026, 9, 30)))
    assert written[0] == "截至9月30日全年累计入库7.00万元，完成全年目标的20%。"


def test_the_target_table_writes_counts_with_their_measure_and_money_in_wan(
    county: County,
) -> None:
    for n in range(32):
        make_case(county.east, county.east_officer, filed_on=D(2026, 1, 5) + dt.timedelta(days=n))
    collect(make_case(county.east, county.east_officer, filed_on=None), "175000")
    for metric, value in [
        (TargetMetric.CASES, "40"),
        (TargetMetric.FINES_COLLECTED, "350000"),
        (TargetMetric.INSPECTIONS, "1000"),
        (TargetMetric.SAMPLES, "20"),
    ]:
        Target.objects.create(unit=county.bureau, year=2026, metric=metric, value=Decimal(value))
    table = target_table(report(county))
    assert table.rows == [
        ["罚没款入库", 2026, "35.00万元", "17.50万元", "50%"],
        ["立案数", 2026, "40起", "32起", "80%"],
        ["检查户次", 2026, "1000户次", "0户次", "0%"],
        ["监督抽查批次", 2026, "20批次", "0批次", "0%"],
    ]


def test_a_stations_target_is_read_for_a_station_report(county: County) -> None:
    collect(make_case(county.east, county.east_officer), "10000")
    Target.objects.create(
        unit=county.east, year=2026, metric=TargetMetric.FINES_COLLECTED, value=Decimal("8000")
    )
    assert "完成全年目标的125%" in sentences(report(county, unit=county.east))[0]
    assert "目标" not in sentences(report(county))[0]


def test_the_targets_page_and_the_report_agree_on_a_withdrawn_case(county: County) -> None:
    S = Case.Status
    make_case(county.east, county.east_officer, status=S.CLOSED, major=True, value="30000")
    make_case(county.west, county.west_officer, value="20000")
    make_case(county.east, county.east_officer, status=S.WITHDRAWN, major=True, value="90000")
    for metric, value in [
        (TargetMetric.CASES, "4"),
        (TargetMetric.MAJOR_CASES, "2"),
        (TargetMetric.CASE_VALUE, "100000"),
    ]:
        Target.objects.create(unit=county.bureau, year=2026, metric=metric, value=Decimal(value))
    year = report(county, start=D(2026, 1, 1), end=D(2026, 12, 31))
    in_report = {t.metric: t.achieved for t in year.cases.targets}
    on_page = {
        p.metric: p.achieved
        for p in targets.completion(unit=county.bureau, year=2026, today=D(2026, 12, 31))
    }
    assert (
        in_report
        == on_page
        == {
            TargetMetric.CASES: Decimal(2),
            TargetMetric.MAJOR_CASES: Decimal(1),
            TargetMetric.CASE_VALUE: Decimal("50000.00"),
        }
    )
    assert targets.achieved(county.east, 2026)[TargetMetric.CASES] == 1


# Inspections and follow-up ------------------------------------------------------------------


def test_signed_inspections_by_kind_origin_and_entity(county: County) -> None:
    shop, other = east_entity(county), east_entity(county)
    team = [county.east_officer, county.east_director]
    onsite = make_checklist(kind="onsite")
    documentary = make_checklist(kind="documentary")
    first = make_inspection(
        entity=shop, officers=team, checklist=onsite, results=["fail", "pass", "pass"]
    )
    make_inspection(entity=shop, officers=team, checklist=onsite, visited_on=D(2026, 4, 1))
    make_inspection(
        entity=other, officers=team, checklist=documentary, origin=Inspection.Origin.DRAW
    )
    make_inspection(entity=other, officers=team, checklist=onsite, signed=False)  # a draft
    make_inspection(
        entity=shop, officers=team, checklist=onsite, amends=first, amendment_reason="笔误"
    )
    make_inspection(entity=shop, officers=team, checklist=onsite, visited_on=D(2026, 7, 1))
    figures = report(county).inspections
    assert (figures.signed, figures.onsite, figures.documentary, figures.entities) == (3, 2, 1, 2)
    assert figures.by_origin["patrol"] == 2 and figures.by_origin["draw"] == 1
    assert figures.with_problems == 1
    assert sentences(report(county))[0] == (
        "检查市场主体3户次，其中实地检查2户次、书式检查1户次，涉及市场主体2户。"
    )


def test_findings_and_rectification_orders(county: County) -> None:
    checklist = make_checklist()
    item = checklist.items.first()
    assert item is not None
    inspection = make_inspection(
        entity=east_entity(county),
        officers=[county.east_officer, county.east_director],
        checklist=checklist,
        results=["fail", "pass", "pass"],
    )
    Finding.objects.create(
        inspection=inspection,
        item=item,
        entity=inspection.entity,
        unit=inspection.unit,
        severity="major",
        description="进货查验记录不全",
        found_on=inspection.visited_on,
    )
    R = Rectification.Status
    rectification(inspection, deadline=D(2026, 3, 16), status=R.RECTIFIED)
    rectification(inspection, deadline=D(2026, 3, 16), status=R.WARNED, warned_on=D(2026, 3, 17))
    rectification(inspection, deadline=D(2026, 7, 20))  # still in time on TODAY
    rectification(inspection, deadline=D(2026, 3, 16), status=R.ESCALATED, warned_on=D(2026, 3, 17))
    figures = report(county).inspections
    assert (figures.findings, figures.findings_by_severity["major"]) == (1, 1)
    assert (figures.rectifications, figures.rectified, figures.warned) == (4, 1, 1)
    assert (figures.escalated, figures.overdue, figures.in_time) == (1, 1, 1)
    assert (
        "发现问题1处，下达责令整改通知书4份，已整改到位1份，转立案查处1份，"
        "逾期未整改1份（其中逾期警示1份），尚在整改期限内1份。"
    ) in sentences(report(county))
