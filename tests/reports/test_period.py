"""Period report: figures from the records, and sentences in the seed's own words (篇1, 篇2)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

import pytest

from tests.conftest import County
from tests.inspections.factories import at, make_checklist, make_inspection
from tests.registry.factories import make_entity
from xiaoneng.cases.models import Case, CaseKind, Collection, ConfiscatedGoods, Target, TargetMetric
from xiaoneng.cases.targets import services as targets
from xiaoneng.core.errors import InvalidInput, NotPermitted
from xiaoneng.inspections.models import (
    Finding,
    Inspection,
    Rectification,
    Sample,
    SampleFollowUp,
    SamplingPlan,
    TraceFlag,
)
from xiaoneng.org.models import Officer, Unit
from xiaoneng.oversight.reviews.models import DirectorReview, ReviewRound
from xiaoneng.oversight.supervision.models import SupervisionItem
from xiaoneng.planning.patrol.models import Campaign, Plan, Task
from xiaoneng.registry.models import Entity
from xiaoneng.reports.export import target_table
from xiaoneng.reports.period import PeriodReport, period_report
from xiaoneng.reports.scope import parse_request
from xiaoneng.reports.text import period_label, sentences, wan

D = dt.date
FIRST_HALF = (D(2026, 1, 1), D(2026, 6, 30))
TODAY = D(2026, 7, 15)
_numbers = itertools.count(1)


# Helpers: cases, collections and records written directly -------------------------------------


def make_case(
    unit: Unit,
    handler: Officer,
    *,
    kind: str = CaseKind.OTHER,
    filed_on: dt.date | None = dt.date(2026, 3, 2),
    major: bool = False,
    value: str | Decimal = "0",
    status: str = Case.Status.FILED,
    save: bool = True,
    **values: Any,
) -> Case:
    """A case of ``unit`` filed on ``filed_on`` (saved unless ``save`` is False)."""
    received = (filed_on or D(2026, 3, 2)) - dt.timedelta(days=5)
    case = Case(
        number=f"示市监案〔2026〕{next(_numbers):05d}号",
        title="销售不合格商品案",
        kind=kind,
        party="测试经营部",
        unit=unit,
        region_code="654002",
        handler=handler,
        status=status,
        major=major,
        case_value=Decimal(value),
        received_on=values.pop("received_on", received),
        filed_on=filed_on,
        stage_started_on=values.pop("stage_started_on", filed_on or received),
        **values,
    )
    if save:
        case.save()
    return case


def collect(case: Case, amount: str | Decimal, on: dt.date = dt.date(2026, 4, 1)) -> Collection:
    """Money paid in on ``case`` on ``on``."""
    return Collection.objects.create(
        case=case,
        kind=Collection.Kind.FINE,
        amount=Decimal(amount),
        collected_on=on,
        unit=case.unit,
    )


def seed_cases(county: County) -> list[Case]:
    """篇2's half year: 124 cases, 48 major, 案值 10,091,100.00, 入库 1,542,200.00."""
    kinds = [CaseKind.COMMERCIAL_BRIBERY] * 3 + [CaseKind.THREE_FALSE_ONE_FLIGHT] * 5
    kinds += [CaseKind.OTHER] * (124 - len(kinds))
    cases = [
        make_case(
            county.east if n % 2 else county.west,
            county.east_officer if n % 2 else county.west_officer,
            kind=kind,
            major=n < 48,
            value="128100.00" if n == 0 else "81000.00",
            filed_on=D(2026, 1, 5) + dt.timedelta(days=n),
            save=False,
        )
        for n, kind in enumerate(kinds)
    ]
    saved = Case.objects.bulk_create(cases)
    Collection.objects.bulk_create(
        Collection(
            case=case,
            kind=Collection.Kind.FINE,
            amount=Decimal("42200.00") if n == 0 else Decimal("25000.00"),
            collected_on=D(2026, 5, 4),
            unit=case.unit,
        )
        for n, case in enumerate(saved[:61])
    )
    return saved


def report(county: County, **options: Any) -> PeriodReport:
    options.setdefault("start", FIRST_HALF[0])
    options.setdefault("end", FIRST_HALF[1])
    options.setdefault("unit", None)
    options.setdefault("user", None)
    options.setdefault("today", TODAY)
    return period_report(**options)


def east_entity(county: County, **values: Any) -> Entity:
    lon, lat = county.east_point()
    return make_entity(longitude=lon, latitude=lat, **values)


def west_entity(county: County, **values: Any) -> Entity:
    lon, lat = county.west_point()
    return make_entity(longitude=lon, latitude=lat, **values)


HEADLINE = (
    "立案查处各类案件124起，其中大要案48起，案值达1009.11万元，罚没款入库154.22万元，"
    "完成全年目标的128%。"
)


# The headline of 篇2 ---------------------------------------------------------------------------


def test_known_figures_give_the_seeds_sentence_word_for_word(county: County) -> None:
    seed_cases(county)
    Target.objects.create(
        unit=county.bureau,
        year=2026,
        metric=TargetMetric.FINES_COLLECTED,
        value=Decimal("1205000.00"),
    )
    result = report(county)
    assert sentences(result)[0] == HEADLINE
    assert (result.cases.filed, result.cases.major) == (124, 48)
    assert result.cases.value == Decimal("10091100.00")
    assert result.cases.collected == Decimal("1542200.00")
    target = result.cases.target(TargetMetric.FINES_COLLECTED)
    assert target is not None and target.rate == 128


def test_money_is_written_in_wan_yuan_with_two_decimals() -> None:
    assert wan(Decimal("10091100.00")) == "1009.11"
    assert wan(Decimal("1542200")) == "154.22"
    assert wan(Decimal("50")) == "0.01"
    assert wan(Decimal("49")) == "0.00"


def test_clauses_with_no_figure_are_left_out(county: County) -> None:
    make_case(county.east, county.east_officer, value="20000")
    make_case(county.east, county.east_officer, value="5000")
    written = sentences(report(county))
    assert written[0] == "立案查处各类案件2起，案值达2.50万元。"
    assert not any("0起" in s or "—" in s for s in written)


def test_a_period_without_records_says_nothing(county: County) -> None:
    assert sentences(report(county)) == []


def test_money_collected_without_new_cases_is_still_reported(county: County) -> None:
    old = make_case(county.east, county.east_officer, filed_on=D(2025, 11, 3), value="90000")
    collect(old, "30000.00", D(2026, 2, 2))
    assert sentences(report(county))[0] == "罚没款入库3.00万元。"


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


# Period and unit -----------------------------------------------------------------------------


def test_a_case_filed_the_day_after_the_end_is_not_counted(county: County) -> None:
    make_case(county.east, county.east_officer, filed_on=D(2026, 6, 30), value="10000")
    late = make_case(county.east, county.east_officer, filed_on=D(2026, 7, 1), value="70000")
    collect(late, "5000", D(2026, 7, 1))
    make_case(county.east, county.east_officer, filed_on=D(2025, 12, 31))
    result = report(county)
    assert (result.cases.filed, result.cases.value, result.cases.collected) == (
        1,
        Decimal("10000.00"),
        Decimal("0.00"),
    )


def test_a_station_report_leaves_out_another_stations_cases(county: County) -> None:
    collect(make_case(county.east, county.east_officer, value="10000"), "1000")
    collect(make_case(county.west, county.west_officer, value="30000"), "3000")
    east = report(county, unit=county.east)
    assert (east.cases.filed, east.cases.value, east.cases.collected) == (
        1,
        Decimal("10000.00"),
        Decimal("1000.00"),
    )
    assert (east.unit_code, east.unit_name) == ("S-E", "城东所")
    assert report(county).cases.filed == 2


def test_leads_and_withdrawn_cases_are_not_counted_as_filed(county: County) -> None:
    make_case(county.east, county.east_officer, status=Case.Status.LEAD, filed_on=None)
    make_case(county.east, county.east_officer, status=Case.Status.WITHDRAWN)
    make_case(county.east, county.east_officer, status=Case.Status.CLOSED)
    assert report(county).cases.filed == 1


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


# Kinds and goods -----------------------------------------------------------------------------


def test_cases_by_kind_in_the_seeds_words(county: County) -> None:
    for kind, count in [
        (CaseKind.COMMERCIAL_BRIBERY, 3),
        (CaseKind.THREE_FALSE_ONE_FLIGHT, 5),
        (CaseKind.BID_RIGGING, 1),
    ]:
        for _n in range(count):
            make_case(county.east, county.east_officer, kind=kind)
    assert "各类案件中，“三虚一逃”案件5起，商业贿赂案件3起，串通投标案件1起。" in sentences(
        report(county)
    )


def test_agricultural_cases_with_their_confiscated_goods(county: County) -> None:
    first = make_case(county.east, county.east_officer, kind=CaseKind.AGRICULTURAL, value="2000000")
    second = make_case(
        county.west, county.west_officer, kind=CaseKind.AGRICULTURAL, value="1201200"
    )
    collect(first, "500000")
    collect(second, "315700")
    for case, what, quantity, measure in [
        (first, "不合格化肥", "200", "吨"),
        (second, "不合格化肥", "6", "吨"),
        (second, "不合格种子", "4.95", "吨"),
        (first, "不合格农药", "33", "吨"),
    ]:
        ConfiscatedGoods.objects.create(
            case=case, description=what, quantity=Decimal(quantity), measure=measure
        )
    counterfeit = make_case(
        county.east, county.east_officer, kind=CaseKind.COUNTERFEIT, value="12000"
    )
    ConfiscatedGoods.objects.create(
        case=counterfeit, description="假冒白酒", quantity=Decimal("120"), measure="瓶"
    )
    food = make_case(county.east, county.east_officer, kind=CaseKind.FOOD)
    ConfiscatedGoods.objects.create(
        case=food, description="过期食品", quantity=Decimal("30"), measure="件"
    )
    written = sentences(report(county))
    assert (
        "共查处涉农案件2起，案值320.12万元，罚没款入库81.57万元，"
        "没收不合格化肥206吨、不合格农药33吨、不合格种子4.95吨。"
    ) in written
    assert (
        "查处制售假冒伪劣商品和侵犯注册商标专用权案件1起，总案值达1.20万元，没收假冒白酒120瓶。"
        in written
    )
    assert "依法没收过期食品30件。" in written


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


def rectification(
    inspection: Inspection, *, deadline: D, status: str = Rectification.Status.OPEN, **values: Any
) -> Rectification:
    return Rectification.objects.create(
        number=f"示市监责改〔2026〕{next(_numbers)}号",
        entity=inspection.entity,
        unit=inspection.unit,
        inspection=inspection,
        requirements="限期整改",
        issued_on=values.pop("issued_on", inspection.visited_on),
        working_days=10,
        deadline=deadline,
        issued_by=inspection.lead_officer,
        status=status,
        **values,
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
    assert (figures.rectifications, figures.rectified, figures.warned) == (4, 1, 2)
    assert (figures.escalated, figures.overdue) == (1, 1)
    assert (
        "发现问题1处，下达责令整改通知书4份，已整改到位1份，逾期警示2份，转立案查处1份，"
        "尚有1份逾期未整改。"
    ) in sentences(report(county))


# Campaigns (篇1) -----------------------------------------------------------------------------


def make_campaign(county: County, title: str, start: D, end: D) -> Campaign:
    plan = Plan.objects.create(
        kind=Plan.Kind.CAMPAIGN,
        period=f"{start:%Y-%m}",
        unit=county.division,
        title=title,
        capacity=6,
    )
    return Campaign.objects.create(
        title=title,
        theme=Campaign.Theme.THEME,
        checkpoints="广告是否备案",
        unit=county.division,
        start_on=start,
        end_on=end,
        population={"filters": {"industry": "L72"}},
        plan=plan,
    )


def campaign_task(campaign: Campaign, entity: Entity, **values: Any) -> Task:
    return Task.objects.create(
        plan=campaign.plan,
        entity=entity,
        unit=entity.unit,
        period=campaign.plan.period,
        description=f"专项整治：{campaign.title}",
        standard=campaign.checkpoints,
        responsibility="网格责任人负责",
        **values,
    )


def test_campaign_statistics_in_the_words_of_article_1(county: County) -> None:
    campaign = make_campaign(county, "五类重点广告专项整治行动", D(2026, 3, 1), D(2026, 4, 30))
    done = Task.Status.DONE
    first = campaign_task(
        campaign,
        east_entity(county),
        status=done,
        done_on=D(2026, 3, 10),
        done_by=county.east_officer,
        violation_found=True,
        notices_issued=2,
        items_confiscated="违法印刷品广告",
        items_confiscated_quantity=500,
    )
    make_inspection(
        entity=first.entity,
        officers=[county.east_officer, county.east_director],
        task=first,
        origin=Inspection.Origin.CAMPAIGN,
    )
    campaign_task(
        campaign,
        east_entity(county),
        status=done,
        done_on=D(2026, 3, 11),
        done_by=county.east_officer,
    )
    campaign_task(campaign, west_entity(county))  # planned, not done
    assert (
        "开展“五类重点广告专项整治行动”，出动执法人员3人次，检查经营户2户次，发现违法行为1起，"
        "发出通知书2份，收缴违法印刷品广告500件。"
    ) in sentences(report(county))
    row = report(county, unit=county.west).campaigns[0]
    assert (row.tasks, row.checked, row.officers) == (1, 0, 0)


def test_several_campaigns_are_numbered_and_one_outside_the_period_is_left_out(
    county: County,
) -> None:
    for title in ("清理整顿涉医广告行动", "分类广告专项整治行动"):
        campaign = make_campaign(county, title, D(2026, 2, 1), D(2026, 2, 28))
        campaign_task(
            campaign,
            east_entity(county),
            status=Task.Status.DONE,
            done_on=D(2026, 2, 3),
            done_by=county.east_officer,
        )
    make_campaign(county, "节前检查", D(2026, 9, 1), D(2026, 9, 30))
    written = sentences(report(county))
    assert "开展专项整治2项。" in written
    assert "一是“清理整顿涉医广告行动”，出动执法人员1人次，检查经营户1户次。" in written
    assert "二是“分类广告专项整治行动”，出动执法人员1人次，检查经营户1户次。" in written


# Sampling (篇4) and oversight (篇2) ----------------------------------------------------------


def test_product_sampling_batches_firms_and_pass_rate(county: County) -> None:
    plan = SamplingPlan.objects.create(
        year=2026,
        title="化肥监督抽查",
        category="化肥",
        region_code="654002",
        unit=county.division,
        planned_batches=10,
    )
    results = ["pass", "pass", "fail", "pending"]
    for n, result in enumerate(results):
        sample = Sample.objects.create(
            plan=plan,
            firm_name=f"农资店{n % 3}",
            product="复合肥",
            batch_number=f"B{n}",
            sampled_on=D(2026, 5, 6),
            region_code="654002",
            unit=county.east,
            result=result,
        )
        if result == "fail":
            SampleFollowUp.objects.create(
                sample=sample, unit=county.east, status=SampleFollowUp.Status.CLOSED
            )
    figures = report(county).sampling
    assert (figures.batches, figures.firms, figures.passed, figures.failed) == (4, 3, 2, 1)
    assert figures.rate == Decimal("66.7")
    written = sentences(report(county))
    assert (
        "对化肥1类产品的3家企业的4批次产品进行了监督抽查，合格率为66.7%，不合格1批次。" in written
    )
    assert "不合格产品后处理1起，已办结1起。" in written


def test_trace_flags_reviews_and_supervision_of_the_period(county: County) -> None:
    team = [county.east_officer, county.east_director]
    first = make_inspection(entity=east_entity(county), officers=team)
    second = make_inspection(entity=east_entity(county), officers=team)
    for inspection, kind, status in [
        (first, "far", "confirmed"),
        (second, "far", "cleared"),
        (second, "short", "open"),
    ]:
        TraceFlag.objects.create(
            inspection=inspection,
            unit=county.east,
            kind=kind,
            detail="签到距主体 2.3 公里",
            status=status,
            raised_at=at(D(2026, 3, 3), 9),
        )
    TraceFlag.objects.create(
        inspection=first,
        unit=county.east,
        kind="late",
        detail="晚录入",
        raised_at=at(D(2026, 7, 1), 0, 10),  # the day after the period, local time
    )
    rounds = ReviewRound.objects.create(
        unit=county.east,
        month="2026-03",
        rate=Decimal("0.05"),
        seed="s",
        population=2,
        drawn_at=at(D(2026, 4, 1), 8),
    )
    for inspection, status in [(first, "confirmed"), (second, "problem")]:
        DirectorReview.objects.create(
            round=rounds,
            inspection=inspection,
            unit=county.east,
            status=status,
            reviewer=county.east_director,
            reviewed_at=at(D(2026, 4, 2), 10),
        )
    SupervisionItem.objects.create(
        title="督办无照经营整治",
        description="限期办结",
        issued_by_unit=county.division,
        issued_by=county.division_staff,
        unit=county.east,
        issued_on=D(2026, 5, 5),
        deadline=D(2026, 5, 20),
        status=SupervisionItem.Status.CLOSED,
    )
    figures = report(county).oversight
    assert (figures.flags_raised, figures.flags_confirmed, figures.flags_open) == (3, 1, 1)
    assert figures.flags_by_kind["far"] == 2
    assert (
        "痕迹监控发现疑点3条，核实属实1条、排除1条，所长抽查检查记录2份，发现问题1份，"
        "科室督办事项1件，已办结1件。"
    ) in sentences(report(county))


# Input and scope -----------------------------------------------------------------------------


def test_period_labels_as_bulletins_name_them() -> None:
    assert period_label(D(2026, 1, 1), D(2026, 6, 30)) == "2026年上半年"
    assert period_label(D(2026, 1, 1), D(2026, 12, 31)) == "2026年"
    assert period_label(D(2026, 4, 1), D(2026, 6, 30)) == "2026年第二季度"
    assert period_label(D(2026, 3, 1), D(2026, 3, 31)) == "2026年3月"
    assert period_label(D(2026, 3, 5), D(2026, 4, 2)) == "2026年3月5日至2026年4月2日"


@pytest.mark.parametrize(
    ("start", "end", "unit", "field", "message"),
    [
        ("2026-07-01", "2026-06-30", "", "to", "结束日期 2026-06-30 早于开始日期 2026-07-01"),
        ("2026/01/01", "2026-06-30", "", "from", "开始日期应为 YYYY-MM-DD 格式的日期：2026/01/01"),
        ("2026-01-01", "2026-02-30", "", "to", "结束日期应为 YYYY-MM-DD 格式的日期：2026-02-30"),
        ("", "2026-06-30", "", "from", "请填写开始日期（YYYY-MM-DD）"),
        ("2023-01-01", "2026-01-01", "", "to", "报告期间不能超过 3 年：2023-01-01 至 2026-01-01"),
        ("2026-01-01", "2026-06-30", "NOPE", "unit", "未知的单位代码：NOPE"),
    ],
)
def test_bad_input_names_the_field(
    county: County, start: str, end: str, unit: str, field: str, message: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_request(start=start, end=end, unit_code=unit, user=county.leader)
    assert [(e.field, e.message) for e in caught.value.errors] == [(field, message)]


def test_three_years_less_a_day_is_accepted(county: County) -> None:
    assert parse_request(start="2023-01-01", end="2025-12-31", unit_code="", user=None)[1] == D(
        2025, 12, 31
    )


def test_the_service_refuses_an_end_before_the_start(county: County) -> None:
    with pytest.raises(InvalidInput) as caught:
        report(county, start=D(2026, 7, 1), end=D(2026, 6, 30))
    assert caught.value.errors[0].field == "to"


def test_a_station_user_cannot_report_another_station(county: County) -> None:
    with pytest.raises(NotPermitted) as caught:
        parse_request(
            start="2026-01-01", end="2026-06-30", unit_code="S-W", user=county.east_director
        )
    assert [(e.field, e.message) for e in caught.value.errors] == [
        ("unit", "单位不在您的辖区内：S-W")
    ]
    with pytest.raises(NotPermitted):
        report(county, unit=county.west, user=county.east_officer)


def test_a_station_users_report_covers_their_station_only(county: County) -> None:
    make_case(county.east, county.east_officer)
    make_case(county.west, county.west_officer)
    mine = report(county, user=county.east_officer)
    assert (mine.unit_code, mine.cases.filed) == ("S-E", 1)
    everything = report(county, user=county.division_staff)
    assert (everything.unit_code, everything.cases.filed) == ("B", 2)
