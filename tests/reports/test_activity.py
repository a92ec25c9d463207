"""Period report beyond cases and inspections: campaigns (篇1), product sampling (篇4) and the
three-level oversight (篇2)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tests.conftest import County
from tests.inspections.factories import at, make_inspection
from tests.reports.helpers import D, east_entity, report, west_entity
from xiaoneng.inspections.models import Inspection, Sample, SampleFollowUp, SamplingPlan, TraceFlag
from xiaoneng.oversight.reviews.models import DirectorReview, ReviewRound
from xiaoneng.oversight.supervision.models import SupervisionItem
from xiaoneng.planning.patrol.models import Campaign, Plan, Task
from xiaoneng.registry.models import Entity
from xiaoneng.reports.text import sentences

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
        items_confiscated_measure="份",
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
        "发出通知书2份，收缴违法印刷品广告500份。"
    ) in sentences(report(county))
    row = report(county, unit=county.west).campaigns[0]
    assert (row.tasks, row.checked, row.officers) == (1, 0, 0)


def test_campaign_confiscations_are_summed_per_goods_and_measure(county: County) -> None:
    campaign = make_campaign(county, "食品安全专项整治", D(2026, 3, 1), D(2026, 4, 30))
    for day, item, n, measure in (
        (10, "过期食品", 12, "千克"),
        (11, "过期食品", 30, "千克"),
        (12, "过期食品", 5, "箱"),
        (13, "违法印刷品广告", 500, "份"),
    ):
        campaign_task(
            campaign,
            east_entity(county),
            status=Task.Status.DONE,
            done_on=D(2026, 3, day),
            done_by=county.east_officer,
            violation_found=True,
            items_confiscated=item,
            items_confiscated_quantity=n,
            items_confiscated_measure=measure,
        )
    text = "".join(sentences(report(county)))
    assert "收缴违法印刷品广告500份、过期食品42千克、过期食品5箱。" in text
    row = report(county).campaigns[0]
    assert [str(c) for c in row.confiscated] == [
        "违法印刷品广告500份",
        "过期食品42千克",
        "过期食品5箱",
    ]


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
    assert figures.pending == figures.by_category[0].pending == 1
    assert figures.rate == Decimal("66.7")
    written = sentences(report(county))
    assert (
        "对化肥1类产品的3家企业的4批次产品进行了监督抽查，合格2批次，不合格1批次，检验中1批次，"
        "合格率为66.7%（不含检验中批次）。" in written
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
