"""Issue 9, item 10: pass rates by region name the region, not its 6-digit code, in the table
and the sentence ("2026年654002共抽查…" was written before)."""

from __future__ import annotations

from tests.conftest import County
from tests.reports.helpers import D
from xiaoneng.inspections.models import Sample, SamplingPlan
from xiaoneng.inspections.sampling.rates import pass_rates, region_names, summary_sentence


def sample_in(county: County, region: str) -> None:
    plan = SamplingPlan.objects.create(
        year=2026,
        title="化肥监督抽查",
        category="化肥",
        region_code=region,
        unit=county.division,
        planned_batches=5,
    )
    Sample.objects.create(
        plan=plan,
        firm_name="农资店",
        product="复合肥",
        batch_number=f"B{region}",
        sampled_on=D(2026, 5, 6),
        region_code=region,
        unit=county.east,
        result="pass",
    )


def test_a_region_is_named_by_its_highest_unit_without_the_bureau_suffix(county: County) -> None:
    region = county.bureau.region_code
    assert region_names([region, "659999", ""]) == {
        region: "示范县",  # 示范县市场监督管理局
        "659999": "行政区划代码659999",
        "": "未填行政区划",
    }


def test_the_sentence_by_region_names_the_region_not_its_code(county: County) -> None:
    region = county.bureau.region_code
    sample_in(county, region)
    line = pass_rates(queryset_or_user=county.admin, year=2026, by="region")[0]
    assert (line.key, line.label) == (region, "示范县")
    text = summary_sentence(line, year=2026)
    assert text == "2026年示范县共抽查1家企业的1批次产品，合格1批次，合格率100.0%。"
    assert region not in text
