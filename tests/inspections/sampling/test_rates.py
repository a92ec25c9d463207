"""Pass rates by category, region and unit against a dataset whose figures are known.

化肥: 2025 40 of 50 = 80.0%, 2026 45 of 50 = 90.0% → 提高10.0个百分点 (25 firms in 2026).
电线电缆: 2025 19 of 20 = 95.0%, 2026 27 of 30 = 90.0% → 下降5.0个百分点 (10 firms).
儿童玩具: 2026 only, 8 of 10 = 80.0%, no comparison (5 firms, all also sampled for 化肥).
Total: 2025 59 of 70 = 84.3%, 2026 80 of 90 = 88.9% → 提高4.6个百分点; 35 distinct firms.
Three 化肥 batches of 2026 are still being tested and count nowhere but in ``pending``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.conftest import County
from xiaoneng.core.errors import InvalidInput
from xiaoneng.inspections.models import Sample, SampleFollowUp, SamplingPlan
from xiaoneng.inspections.sampling.rates import (
    Rate,
    change_phrase,
    follow_up_figures,
    follow_up_sentence,
    overall_rate,
    pass_rates,
    percent,
    summary_sentence,
)
from xiaoneng.org.models import Unit

D = dt.date


def _batches(
    plan: SamplingPlan,
    *,
    passed: int,
    failed: int,
    firm: str,
    firms: int,
    unit: Unit,
    region: str = "654002",
    pending: int = 0,
) -> None:
    results = ["pass"] * passed + ["fail"] * failed + ["pending"] * pending
    Sample.objects.bulk_create(
        Sample(
            plan=plan,
            firm_name=f"{firm}{index % firms}",
            product=plan.category,
            batch_number=f"{plan.year}-{index}",
            sampled_on=D(plan.year, 4, 1),
            region_code=region,
            unit=unit,
            result=result,
            failed_items="标识" if result == "fail" else "",
            reported_on=None if result == "pending" else D(plan.year, 4, 20),
        )
        for index, result in enumerate(results)
    )


def _plan(county: County, year: int, category: str) -> SamplingPlan:
    return SamplingPlan.objects.create(
        year=year,
        title=f"{year}年{category}监督抽查",
        category=category,
        region_code="654002",
        unit=county.division,
        planned_batches=50,
    )


@pytest.fixture
def dataset(county: County) -> None:
    east, west = county.east, county.west
    fertiliser_2025 = _plan(county, 2025, "化肥")
    _batches(fertiliser_2025, passed=40, failed=10, firm="农资店", firms=25, unit=east)
    fertiliser = _plan(county, 2026, "化肥")
    _batches(fertiliser, passed=30, failed=0, firm="农资店", firms=25, unit=east, pending=3)
    Sample.objects.bulk_create(
        Sample(
            plan=fertiliser,
            firm_name=f"农资店{i % 25}",
            product="化肥",
            batch_number=f"B-{i}",
            sampled_on=D(2026, 5, 1),
            region_code="654003",
            unit=west,
            result="pass" if i < 15 else "fail",
            failed_items="" if i < 15 else "总养分",
            reported_on=D(2026, 5, 20),
        )
        for i in range(20)
    )
    cables_2025 = _plan(county, 2025, "电线电缆")
    _batches(cables_2025, passed=19, failed=1, firm="五金店", firms=10, unit=west)
    cables = _plan(county, 2026, "电线电缆")
    _batches(cables, passed=27, failed=3, firm="五金店", firms=10, unit=west)
    toys = _plan(county, 2026, "儿童玩具")
    _batches(toys, passed=8, failed=2, firm="农资店", firms=5, unit=east)


def _line(rows: list[Rate], key: str) -> Rate:
    return next(r for r in rows if r.key == key)


def test_rates_by_category_with_the_change_against_last_year(county: County, dataset: None) -> None:
    rows = pass_rates(queryset_or_user=county.admin, year=2026, by="category")
    assert [r.key for r in rows] == ["化肥", "电线电缆", "儿童玩具"]
    fertiliser = _line(rows, "化肥")
    assert (fertiliser.batches, fertiliser.passed, fertiliser.failed, fertiliser.pending) == (
        50,
        45,
        5,
        3,
    )
    assert fertiliser.firms == 25
    assert (fertiliser.pass_rate, fertiliser.previous_rate) == (Decimal("90.0"), Decimal("80.0"))
    assert fertiliser.change == Decimal("10.0")
    assert fertiliser.change_text == "提高10.0个百分点"
    cables = _line(rows, "电线电缆")
    assert (cables.pass_rate, cables.previous_rate, cables.change_text) == (
        Decimal("90.0"),
        Decimal("95.0"),
        "下降5.0个百分点",
    )
    toys = _line(rows, "儿童玩具")
    assert (toys.pass_rate, toys.previous_rate, toys.change, toys.change_text) == (
        Decimal("80.0"),
        None,
        None,
        "",
    )


def test_the_total_counts_each_firm_once(county: County, dataset: None) -> None:
    total = overall_rate(queryset_or_user=county.admin, year=2026)
    assert (total.firms, total.batches, total.passed, total.failed, total.pending) == (
        35,
        90,
        80,
        10,
        3,
    )
    assert (total.pass_rate, total.previous_rate, total.change) == (
        Decimal("88.9"),
        Decimal("84.3"),
        Decimal("4.6"),
    )


def test_the_sentences_read_like_the_article(county: County, dataset: None) -> None:
    rows = pass_rates(queryset_or_user=county.admin, year=2026, by="category")
    assert summary_sentence(_line(rows, "化肥"), year=2026) == (
        "2026年共抽查化肥产品25家企业的50批次，合格45批次，合格率90.0%，较上年提高10.0个百分点。"
    )
    assert summary_sentence(_line(rows, "电线电缆"), year=2026) == (
        "2026年共抽查电线电缆产品10家企业的30批次，合格27批次，合格率90.0%，较上年下降5.0个百分点。"
    )
    assert summary_sentence(_line(rows, "儿童玩具"), year=2026) == (
        "2026年共抽查儿童玩具产品5家企业的10批次，合格8批次，合格率80.0%。"
    )
    total = overall_rate(queryset_or_user=county.admin, year=2026)
    assert summary_sentence(total, year=2026) == (
        "2026年共抽查35家企业的90批次产品，合格80批次，合格率88.9%，较上年提高4.6个百分点。"
    )
    east = _line(pass_rates(queryset_or_user=county.admin, year=2026, by="unit"), "S-E")
    assert summary_sentence(east, year=2026) == (
        "2026年城东所共抽查25家企业的40批次产品，合格38批次，合格率95.0%，较上年提高15.0个百分点。"
    )


def test_a_category_named_with_its_products_is_not_doubled() -> None:
    from xiaoneng.inspections.sampling.rates import Rate

    line = Rate(
        by="category", key="食品相关产品", label="食品相关产品", batches=4, passed=4, firms=2
    )
    assert summary_sentence(line, year=2026).startswith("2026年共抽查食品相关产品2家企业的4批次")


def test_rates_by_region_and_by_unit(county: County, dataset: None) -> None:
    regions = pass_rates(queryset_or_user=county.admin, year=2026, by="region")
    main, other = _line(regions, "654002"), _line(regions, "654003")
    assert (main.batches, main.passed, main.pass_rate) == (70, 65, Decimal("92.9"))
    assert (main.previous_batches, main.previous_rate, main.change_text) == (
        70,
        Decimal("84.3"),
        "提高8.6个百分点",
    )
    assert (other.batches, other.passed, other.pass_rate, other.previous_rate) == (
        20,
        15,
        Decimal("75.0"),
        None,
    )
    units = pass_rates(queryset_or_user=county.admin, year=2026, by="unit")
    east, west = _line(units, "S-E"), _line(units, "S-W")
    assert (east.label, east.batches, east.passed, east.previous_rate) == (
        "城东所",
        40,
        38,
        Decimal("80.0"),
    )
    assert (west.label, west.batches, west.passed, west.pass_rate) == (
        "城西所",
        50,
        42,
        Decimal("84.0"),
    )


def test_a_station_sees_the_rates_of_its_own_samples(county: County, dataset: None) -> None:
    rows = pass_rates(queryset_or_user=county.east_officer, year=2026, by="category")
    assert [(r.key, r.batches, r.passed) for r in rows] == [("化肥", 30, 30), ("儿童玩具", 10, 8)]
    assert overall_rate(queryset_or_user=county.west_officer, year=2026).batches == 50


def test_a_queryset_may_be_given_instead_of_a_user(county: County, dataset: None) -> None:
    samples = Sample.objects.filter(plan__category="电线电缆")
    total = overall_rate(queryset_or_user=samples, year=2026)
    assert (total.batches, total.pass_rate) == (30, Decimal("90.0"))


def test_a_category_sampled_only_last_year_is_kept(county: County, dataset: None) -> None:
    rows = pass_rates(queryset_or_user=county.admin, year=2027, by="category")
    fertiliser = _line(rows, "化肥")
    assert (fertiliser.batches, fertiliser.pass_rate, fertiliser.previous_rate) == (
        0,
        None,
        Decimal("90.0"),
    )
    assert summary_sentence(fertiliser, year=2027) == "2027年尚无出具检验结论的化肥产品抽查批次。"


def test_equal_rates_are_level() -> None:
    assert change_phrase(Decimal("0.0")) == "持平"
    line = Rate(by="", key="", label="合计", batches=10, passed=9, previous_batches=20)
    line.previous_passed = 18
    assert line.change_text == "持平"
    assert summary_sentence(line, year=2026).endswith("合格率90.0%，较上年持平。")


@pytest.mark.parametrize(
    ("part", "whole", "rate"),
    [
        (2, 3, Decimal("66.7")),
        (1, 6, Decimal("16.7")),
        (1, 8, Decimal("12.5")),
        (1, 2000, Decimal("0.1")),  # 0.05 rounds half up
        (0, 5, Decimal("0.0")),
        (5, 5, Decimal("100.0")),
        (0, 0, None),
    ],
)
def test_rates_have_one_decimal_place_rounded_half_up(
    part: int, whole: int, rate: Decimal | None
) -> None:
    assert percent(part, whole) == rate


def test_unknown_grouping_or_year_is_refused(county: County) -> None:
    with pytest.raises(InvalidInput) as refused:
        pass_rates(queryset_or_user=county.admin, year=2026, by="product")
    assert refused.value.message == "by: 分组应为 category、region 或 unit：product"
    with pytest.raises(InvalidInput) as year:
        pass_rates(queryset_or_user=county.admin, year="二〇二六", by="unit")  # type: ignore[arg-type]
    assert year.value.message == "year: 年度应为四位数字年份：二〇二六"


def test_follow_up_figures_and_sentence(county: County, dataset: None) -> None:
    S = SampleFollowUp.Status
    failed = list(Sample.objects.filter(plan__year=2026, result="fail").order_by("id"))
    statuses = [S.CLOSED] * 4 + [S.ESCALATED] * 2 + [S.OPEN] * 4
    SampleFollowUp.objects.bulk_create(
        SampleFollowUp(
            sample=sample,
            unit_id=sample.unit_id,
            status=status,
            deadline=D(2026, 6, 19) if index % 2 else D(2026, 7, 19),
        )
        for index, (sample, status) in enumerate(zip(failed, statuses, strict=True))
    )
    figures = follow_up_figures(queryset_or_user=county.admin, year=2026, today=D(2026, 7, 1))
    assert (figures.failed, figures.closed, figures.escalated, figures.in_progress) == (
        10,
        4,
        2,
        4,
    )
    assert figures.overdue == 2
    assert follow_up_sentence(figures) == (
        "对10批次不合格产品开展后处理：已办结4批次，移送立案2批次，正在处理4批次（其中逾期2批次）。"
    )
