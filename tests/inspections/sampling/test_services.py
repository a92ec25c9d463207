"""Supervision spot checks (监督抽查, 篇4): plans, batches sampled and the laboratory's verdict.

Each bad input is refused with its exact message and nothing is written.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.conftest import County
from tests.registry.factories import make_entity, make_uscc
from xiaoneng.core.errors import Conflict, DomainError, InvalidInput, NotPermitted
from xiaoneng.core.models import AuditEvent
from xiaoneng.inspections import transitions
from xiaoneng.inspections.models import Sample, SampleFollowUp, SamplingPlan
from xiaoneng.inspections.sampling import services as sampling
from xiaoneng.registry.models import CreditProposal, CreditTrigger, Entity

D = dt.date
TODAY = D(2026, 6, 1)


def east_entity(county: County, **values: Any) -> Entity:
    lon, lat = county.east_point()
    return make_entity(longitude=lon, latitude=lat, **values)


def west_entity(county: County, **values: Any) -> Entity:
    lon, lat = county.west_point()
    return make_entity(longitude=lon, latitude=lat, **values)


def make_plan(county: County, **values: Any) -> SamplingPlan:
    """A plan of the division for fertiliser (化肥) in 2026, made through the service."""
    year = values.get("year", 2026)
    category = values.get("category", "化肥")
    options: dict[str, Any] = {
        "actor": county.division_staff,
        "year": year,
        "title": f"{year}年{category}产品质量监督抽查",
        "category": category,
        "region_code": "654002",
        "unit": county.division,
        "planned_batches": 20,
        "standard": "GB/T 15063-2020《复合肥料》",
        "laboratory": "县产品质量检验所",
        "today": TODAY,
    }
    options.update(values)
    return sampling.create_plan(**options)


def make_sample(county: County, plan: SamplingPlan, **values: Any) -> Sample:
    options: dict[str, Any] = {
        "actor": county.division_staff,
        "plan": plan,
        "firm_name": "城东农资经营部",
        "product": "复合肥料",
        "batch_number": "20260301",
        "sampled_on": D(plan.year, 3, 2),
        "today": TODAY,
    }
    options.update(values)
    return sampling.record_sample(**options)


def fail(county: County, sample: Sample, **values: Any) -> Sample:
    options: dict[str, Any] = {
        "sample": sample,
        "actor": county.division_staff,
        "result": "fail",
        "failed_items": "总养分、标识",
        "reported_on": D(2026, 3, 20),
        "today": TODAY,
    }
    options.update(values)
    return sampling.record_result(**options)


def written() -> tuple[int, int, int, int, int]:
    return (
        SamplingPlan.objects.count(),
        Sample.objects.count(),
        SampleFollowUp.objects.count(),
        CreditProposal.objects.count(),
        AuditEvent.objects.count(),
    )


# Plans ---------------------------------------------------------------------------------------


def test_division_staff_create_a_plan(county: County) -> None:
    plan = make_plan(county, title="  2026年化肥产品质量监督抽查 ", planned_batches="20")
    assert (plan.year, plan.title, plan.category, plan.unit, plan.planned_batches) == (
        2026,
        "2026年化肥产品质量监督抽查",
        "化肥",
        county.division,
        20,
    )
    assert AuditEvent.objects.filter(object_id=str(plan.pk)).exists()


def test_the_unit_may_be_given_by_its_code(county: County) -> None:
    assert make_plan(county, unit="S-E").unit == county.east


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"planned_batches": 0}, "planned_batches", "计划批次应为不小于 1 的整数：0"),
        ({"planned_batches": -3}, "planned_batches", "计划批次应为不小于 1 的整数：-3"),
        ({"planned_batches": "十"}, "planned_batches", "计划批次应为不小于 1 的整数：十"),
        ({"region_code": "65400"}, "region_code", "行政区划代码应为 6 位数字：65400"),
        ({"region_code": "65400A"}, "region_code", "行政区划代码应为 6 位数字：65400A"),
        ({"year": 1999}, "year", "年度应在 2000 至 2027 之间：1999"),
        ({"year": 2028}, "year", "年度应在 2000 至 2027 之间：2028"),
        ({"year": "二〇二六"}, "year", "年度应为四位数字年份：二〇二六"),
        ({"title": " "}, "title", "请填写名称"),
        ({"category": ""}, "category", "请填写产品类别"),
        ({"category": "化" * 61}, "category", "产品类别不能超过 60 个字"),
        ({"laboratory": "检" * 101}, "laboratory", "承检机构不能超过 100 个字"),
        ({"unit": "NOPE"}, "unit", "未知的单位代码：NOPE"),
    ],
)
def test_a_bad_plan_is_refused_with_its_message_and_nothing_written(
    county: County, values: dict[str, Any], field: str, message: str
) -> None:
    before = written()
    with pytest.raises(InvalidInput) as refused:
        make_plan(county, **values)
    assert refused.value.message == f"{field}: {message}"
    assert [(e.field, e.message) for e in refused.value.errors] == [(field, message)]
    assert written() == before


def test_every_bad_field_of_a_plan_is_named_at_once(county: County) -> None:
    with pytest.raises(InvalidInput) as refused:
        make_plan(county, title="", region_code="1", planned_batches=0)
    assert [e.field for e in refused.value.errors] == ["title", "region_code", "planned_batches"]


def test_a_plan_of_the_same_title_and_year_is_refused(county: County) -> None:
    make_plan(county)
    before = written()
    with pytest.raises(Conflict) as refused:
        make_plan(county)
    assert refused.value.message == "已有同名抽查计划：2026年化肥产品质量监督抽查（2026 年）"
    assert written() == before


@pytest.mark.parametrize("who", ["east_officer", "east_director", "leader"])
def test_only_division_staff_create_plans(county: County, who: str) -> None:
    with pytest.raises(NotPermitted) as refused:
        make_plan(county, actor=getattr(county, who))
    assert refused.value.message == "您的角色无权执行此操作。"
    assert not SamplingPlan.objects.exists()


# Samples -------------------------------------------------------------------------------------


def test_a_sample_of_a_registered_firm_takes_its_unit_and_region(county: County) -> None:
    plan = make_plan(county)
    firm = east_entity(county, name="城东农资经营部", region_code="654003")
    sample = make_sample(county, plan, firm_name="", uscc=firm.uscc.lower())
    assert (sample.entity, sample.firm_name, sample.unit, sample.region_code) == (
        firm,
        "城东农资经营部",
        county.east,
        "654003",
    )
    assert sample.result == Sample.Result.PENDING and sample.sampled_by == county.division_staff


def test_a_sample_of_an_unregistered_firm_takes_the_plans_unit_and_region(
    county: County,
) -> None:
    plan = make_plan(county)
    sample = make_sample(county, plan, firm_name="外地流动商贩")
    assert (sample.entity, sample.unit, sample.region_code) == (None, county.division, "654002")


def test_the_entity_may_be_given_directly(county: County) -> None:
    plan = make_plan(county)
    firm = west_entity(county, name="城西农资店")
    sample = make_sample(county, plan, firm_name="", entity=firm)
    assert (sample.firm_name, sample.unit) == ("城西农资店", county.west)


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"sampled_on": D(2026, 6, 2)}, "sampled_on", "抽样日期不能晚于今天：2026-06-02"),
        (
            {"sampled_on": D(2025, 12, 31)},
            "sampled_on",
            "抽样日期应在计划年度 2026 年内：2025-12-31",
        ),
        ({"sampled_on": None}, "sampled_on", "请填写抽样日期（YYYY-MM-DD）"),
        ({"firm_name": " "}, "firm_name", "请填写被抽样单位名称"),
        ({"product": ""}, "product", "请填写产品名称"),
        ({"batch_number": ""}, "batch_number", "请填写生产批号"),
        ({"batch_number": "9" * 61}, "batch_number", "生产批号不能超过 60 个字"),
        ({"uscc": "91654002MA0000001X"}, "uscc", "统一社会信用代码无效：91654002MA0000001X"),
    ],
)
def test_a_bad_sample_is_refused_with_its_message_and_nothing_written(
    county: County, values: dict[str, Any], field: str, message: str
) -> None:
    plan = make_plan(county)
    before = written()
    with pytest.raises(InvalidInput) as refused:
        make_sample(county, plan, **values)
    assert refused.value.message == f"{field}: {message}"
    assert written() == before


def test_a_uscc_outside_the_register_or_the_scope_is_refused(county: County) -> None:
    plan = make_plan(county, unit=county.east)
    unknown = make_uscc()
    before = written()
    with pytest.raises(InvalidInput) as refused:
        make_sample(county, plan, uscc=unknown)
    assert refused.value.errors[0].message == f"统一社会信用代码不在您辖区的市场主体中：{unknown}"
    assert written() == before


def test_the_same_batch_twice_is_refused_naming_it(county: County) -> None:
    plan = make_plan(county)
    make_sample(county, plan)
    before = written()
    with pytest.raises(Conflict) as refused:
        make_sample(county, plan, firm_name=" 城东农资经营部 ")
    assert refused.value.message == (
        "该批次已抽样：城东农资经营部 复合肥料 批号 20260301（2026年化肥产品质量监督抽查）"
    )
    assert written() == before
    make_sample(county, plan, batch_number="20260302")  # another batch is another sample


def test_a_grid_officer_cannot_record_samples(county: County) -> None:
    plan = make_plan(county)
    with pytest.raises(NotPermitted):
        make_sample(county, plan, actor=county.east_officer)
    assert not Sample.objects.exists()


# Results -------------------------------------------------------------------------------------


def test_a_pass_is_recorded_once_and_opens_nothing(county: County) -> None:
    sample = make_sample(county, make_plan(county), entity=east_entity(county))
    sampling.record_result(
        sample=sample,
        actor=county.division_staff,
        result="pass",
        reported_on=D(2026, 3, 20),
        today=TODAY,
    )
    sample.refresh_from_db()
    assert (sample.result, sample.reported_on, sample.failed_items) == ("pass", D(2026, 3, 20), "")
    assert not SampleFollowUp.objects.exists() and not CreditProposal.objects.exists()


def test_a_fail_opens_the_follow_up_and_proposes_a_lower_credit_grade(county: County) -> None:
    firm = east_entity(county, name="城东农资经营部")
    sample = fail(county, make_sample(county, make_plan(county), entity=firm))
    follow_up = SampleFollowUp.objects.get(sample=sample)
    # 第四十六条: rectify within 60 days of the order, issued on the report.
    assert (follow_up.status, follow_up.unit, follow_up.deadline) == (
        SampleFollowUp.Status.OPEN,
        county.east,
        D(2026, 5, 19),
    )
    proposal = CreditProposal.objects.get(entity=firm)
    assert (proposal.trigger, proposal.proposed_grade, proposal.status) == (
        CreditTrigger.SAMPLE_FAILED,
        "C",
        CreditProposal.Status.PENDING,
    )
    assert proposal.source == "监督抽查不合格：复合肥料 批号 20260301（总养分、标识）"
    assert proposal.source_url == f"/sampling/plans/{sample.plan_id}/#sample-{sample.pk}"
    firm.refresh_from_db()
    assert firm.credit_grade == "B"  # proposed to a person, not changed


def test_a_fail_of_an_unregistered_firm_opens_the_follow_up_without_a_proposal(
    county: County,
) -> None:
    sample = fail(county, make_sample(county, make_plan(county), firm_name="流动商贩"))
    assert SampleFollowUp.objects.filter(sample=sample, unit=county.division).exists()
    assert not CreditProposal.objects.exists()


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"failed_items": " "}, "failed_items", "不合格产品请填写不合格项目（如：总养分、标识）"),
        (
            {"result": "pass", "failed_items": "标识"},
            "failed_items",
            "合格产品不应填写不合格项目",
        ),
        ({"reported_on": None}, "reported_on", "请填写报告日期（YYYY-MM-DD）"),
        ({"reported_on": D(2026, 6, 2)}, "reported_on", "报告日期不能晚于今天：2026-06-02"),
        (
            {"reported_on": D(2026, 3, 1)},
            "reported_on",
            "报告日期不能早于抽样日期 2026-03-02：2026-03-01",
        ),
        (
            {"result": "合格"},
            "result",
            "检验结论应为 pass（合格）或 fail（不合格）：合格",
        ),
        (
            {"result": "pending"},
            "result",
            "检验结论应为 pass（合格）或 fail（不合格）：pending",
        ),
    ],
)
def test_a_bad_result_is_refused_with_its_message_and_nothing_written(
    county: County, values: dict[str, Any], field: str, message: str
) -> None:
    sample = make_sample(county, make_plan(county), entity=east_entity(county))
    before = written()
    with pytest.raises(InvalidInput) as refused:
        fail(county, sample, **values)
    assert refused.value.message == f"{field}: {message}"
    sample.refresh_from_db()
    assert sample.result == Sample.Result.PENDING and written() == before


@pytest.mark.parametrize(
    ("first", "second", "message"),
    [
        ("pass", "fail", "抽样批次状态为“合格”，不能改为“不合格”"),
        ("fail", "pass", "抽样批次状态为“不合格”，不能改为“合格”"),
        ("fail", "fail", "抽样批次状态为“不合格”，不能改为“不合格”"),
    ],
)
def test_a_verdict_is_given_once(county: County, first: str, second: str, message: str) -> None:
    sample = make_sample(county, make_plan(county))
    items = {"fail": "标识", "pass": ""}
    fail(county, sample, result=first, failed_items=items[first])
    before = written()
    with pytest.raises(Conflict) as refused:
        fail(county, sample, result=second, failed_items=items[second])
    assert refused.value.message == message
    assert written() == before


def test_the_sample_table_allows_pending_to_pass_or_fail_only() -> None:
    table = transitions.SAMPLE
    assert table["pending"] == {"pass", "fail"}
    assert table["pass"] == frozenset() and table["fail"] == frozenset()


def test_a_result_cannot_be_assigned_directly(county: County) -> None:
    sample = make_sample(county, make_plan(county))
    with pytest.raises(AttributeError):
        sample.result = Sample.Result.PASS


def test_a_grid_officer_cannot_record_a_result(county: County) -> None:
    sample = make_sample(county, make_plan(county), entity=east_entity(county))
    with pytest.raises(DomainError) as refused:
        fail(county, sample, actor=county.east_officer)
    assert refused.value.message == "您的角色无权执行此操作。"
    sample.refresh_from_db()
    assert sample.result == Sample.Result.PENDING
