"""Pages of the spot checks: plans, samples, results, follow-ups, pass rates; scoped by unit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from tests.conftest import County, client_for
from tests.inspections.sampling.test_services import east_entity, west_entity, written
from xiaoneng.inspections.models import Sample, SampleFollowUp, SamplingPlan
from xiaoneng.inspections.sampling import services as sampling

D = dt.date


def today() -> dt.date:
    return timezone.localdate()


def sampled() -> dt.date:
    """Long enough ago that the follow-up's 60 days have run out."""
    return today() - dt.timedelta(days=100)


def reported() -> dt.date:
    return sampled() + dt.timedelta(days=10)


def year() -> int:
    return sampled().year


def _plan(county: County, unit: Any, title: str, category: str = "化肥") -> SamplingPlan:
    return sampling.create_plan(
        actor=county.division_staff,
        year=year(),
        title=title,
        category=category,
        region_code="654002",
        unit=unit,
        planned_batches=10,
    )


def _sample(county: County, plan: SamplingPlan, **values: Any) -> Sample:
    options: dict[str, Any] = {
        "actor": county.division_staff,
        "plan": plan,
        "firm_name": "",
        "product": "复合肥料",
        "batch_number": "A1",
        "sampled_on": sampled(),
    }
    options.update(values)
    return sampling.record_sample(**options)


def _fail(county: County, sample: Sample) -> SampleFollowUp:
    sampling.record_result(
        sample=sample,
        actor=county.division_staff,
        result="fail",
        failed_items="总养分、标识",
        reported_on=reported(),
    )
    return SampleFollowUp.objects.get(sample=sample)


@pytest.fixture(name="data")
def sampling_data(county: County) -> dict[str, Any]:
    """Plans of the division (firms of both stations) and of the west station, with a failed
    batch of each station."""
    east_firm = east_entity(county, name="城东农资经营部")
    west_firm = west_entity(county, name="城西农资经营部")
    county_plan = _plan(county, county.division, "全县化肥抽查")
    east_sample = _sample(county, county_plan, entity=east_firm)
    west_sample = _sample(county, county_plan, entity=west_firm)
    west_plan = _plan(county, county.west, "城西所电线抽查", category="电线电缆")
    west_only = _sample(county, west_plan, entity=west_firm, product="电线", batch_number="W1")
    return {
        "county_plan": county_plan,
        "west_plan": west_plan,
        "east_sample": east_sample,
        "west_sample": west_sample,
        "west_only": west_only,
        "east_follow_up": _fail(county, east_sample),
        "west_follow_up": _fail(county, west_only),
    }


def _text(response: Any) -> str:
    return response.content.decode()


# Plans ---------------------------------------------------------------------------------------


def test_plan_list_shows_plans_and_counts(county: County, data: dict[str, Any]) -> None:
    response = client_for(county.division_staff).get("/sampling/")
    assert response.status_code == 200
    text = _text(response)
    assert "全县化肥抽查" in text and "城西所电线抽查" in text
    assert 'data-testid="new-plan"' in text


def test_a_station_sees_the_plans_that_sampled_its_firms_and_only_its_samples(
    county: County, data: dict[str, Any]
) -> None:
    client = client_for(county.east_officer)
    listing = _text(client.get("/sampling/"))
    assert "全县化肥抽查" in listing and "城西所电线抽查" not in listing
    assert 'data-testid="new-plan"' not in listing
    detail = _text(client.get(f"/sampling/plans/{data['county_plan'].pk}/"))
    assert "城东农资经营部" in detail and "城西农资经营部" not in detail
    assert 'data-testid="sample-form"' not in detail


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/sampling/plans/{west_plan}/"),
        ("post", "/sampling/plans/{west_plan}/"),
        ("post", "/sampling/samples/{west_only}/result/"),
        ("get", "/sampling/follow-ups/{west_follow_up}/"),
        ("post", "/sampling/follow-ups/{west_follow_up}/rectify/"),
        ("post", "/sampling/follow-ups/{west_follow_up}/reinspect/"),
        ("post", "/sampling/follow-ups/{west_follow_up}/close/"),
    ],
)
def test_another_stations_records_answer_404(
    county: County, data: dict[str, Any], method: str, path: str
) -> None:
    ids = {k: v.pk for k, v in data.items()}
    before = written()
    response = getattr(client_for(county.east_director), method)(
        path.format(**ids), {"note": "越权", "actions": "越权"}
    )
    assert response.status_code == 404
    assert written() == before


def test_a_grid_officer_cannot_open_or_post_the_plan_form(county: County) -> None:
    client = client_for(county.east_officer)
    assert client.get("/sampling/plans/new/").status_code == 403
    response = client.post("/sampling/plans/new/", {"title": "x"})
    assert response.status_code == 403
    assert "您的角色无权执行此操作。" in _text(response)
    assert not SamplingPlan.objects.exists()


def test_the_plan_form_creates_a_plan(county: County) -> None:
    client = client_for(county.division_staff)
    assert client.get("/sampling/plans/new/").status_code == 200
    response = client.post(
        "/sampling/plans/new/",
        {
            "year": today().year,
            "title": "化肥产品质量监督抽查",
            "category": "化肥",
            "region_code": "654002",
            "unit": "D1",
            "planned_batches": "30",
            "standard": "GB/T 15063-2020",
            "laboratory": "县质检所",
        },
    )
    plan = SamplingPlan.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/sampling/plans/{plan.pk}/"
    assert (plan.planned_batches, plan.unit.code) == (30, "D1")


def test_the_plan_form_shows_each_error_on_its_field_and_writes_nothing(county: County) -> None:
    before = written()
    response = client_for(county.division_staff).post(
        "/sampling/plans/new/",
        {
            "year": today().year,
            "title": "",
            "category": "化肥",
            "region_code": "6540",
            "unit": "D1",
            "planned_batches": "0",
        },
    )
    assert response.status_code == 200
    text = _text(response)
    assert '<div class="invalid-feedback" data-testid="error-title">请填写名称</div>' in text
    assert "行政区划代码应为 6 位数字：6540" in text
    assert "计划批次应为不小于 1 的整数：0" in text
    assert written() == before


# Samples and results -------------------------------------------------------------------------


def test_the_plan_page_records_a_sample_and_refuses_a_duplicate(
    county: County, data: dict[str, Any]
) -> None:
    client = client_for(county.division_staff)
    plan = data["county_plan"]
    form = {
        "uscc": "",
        "firm_name": "流动商贩老李",
        "product": "尿素",
        "batch_number": "U-7",
        "sampled_on": sampled().isoformat(),
    }
    response = client.post(f"/sampling/plans/{plan.pk}/", form)
    assert response.status_code == 302
    sample = Sample.objects.get(batch_number="U-7")
    assert (sample.firm_name, sample.unit_id) == ("流动商贩老李", county.division.pk)
    before = written()
    again = client.post(f"/sampling/plans/{plan.pk}/", form)
    assert again.status_code == 200
    assert "该批次已抽样：流动商贩老李 尿素 批号 U-7（全县化肥抽查）" in _text(again)
    assert written() == before


def test_the_sample_form_shows_a_future_date_on_its_field(
    county: County, data: dict[str, Any]
) -> None:
    future = today() + dt.timedelta(days=1)
    before = written()
    response = client_for(county.division_staff).post(
        f"/sampling/plans/{data['county_plan'].pk}/",
        {"firm_name": "某店", "product": "尿素", "batch_number": "F1", "sampled_on": future},
    )
    text = _text(response)
    assert f'data-testid="error-sampled_on">抽样日期不能晚于今天：{future}</div>' in text
    assert written() == before


def test_the_result_form_opens_the_follow_up_on_a_fail(
    county: County, data: dict[str, Any]
) -> None:
    client = client_for(county.division_staff)
    sample = data["west_sample"]
    before = written()
    refused = client.post(
        f"/sampling/samples/{sample.pk}/result/",
        {"result": "fail", "failed_items": "", "reported_on": reported()},
    )
    assert refused.status_code == 200
    assert "不合格产品请填写不合格项目（如：总养分、标识）" in _text(refused)
    assert written() == before
    done = client.post(
        f"/sampling/samples/{sample.pk}/result/",
        {"result": "fail", "failed_items": "标识", "reported_on": reported()},
    )
    assert done.status_code == 302
    assert done["Location"] == f"/sampling/plans/{sample.plan_id}/"
    assert SampleFollowUp.objects.filter(sample=sample, unit=county.west).exists()


def test_a_grid_officer_cannot_post_a_result(county: County, data: dict[str, Any]) -> None:
    sample = data["west_sample"]
    response = client_for(county.west_officer).post(
        f"/sampling/samples/{sample.pk}/result/",
        {"result": "pass", "reported_on": reported()},
    )
    assert response.status_code == 403
    sample.refresh_from_db()
    assert sample.result == "pending"


# Follow-ups ----------------------------------------------------------------------------------


def test_follow_up_lists_open_overdue_and_closed(county: County, data: dict[str, Any]) -> None:
    client = client_for(county.east_officer)
    open_list = _text(client.get("/sampling/follow-ups/"))
    assert "城东农资经营部" in open_list and "城西农资经营部" not in open_list
    overdue = _text(client.get("/sampling/follow-ups/?state=overdue"))
    assert "城东农资经营部" in overdue  # the deadline fell 60 days after the report
    assert "城东农资经营部" not in _text(client.get("/sampling/follow-ups/?state=closed"))


def test_the_follow_up_page_orders_rectification_and_refuses_bad_input(
    county: County, data: dict[str, Any]
) -> None:
    follow_up = data["east_follow_up"]
    client = client_for(county.east_officer)
    page = _text(client.get(f"/sampling/follow-ups/{follow_up.pk}/"))
    assert 'data-testid="rectify-form"' in page and 'data-testid="overdue"' in page
    path = f"/sampling/follow-ups/{follow_up.pk}/rectify/"
    late = today() + dt.timedelta(days=61)
    before = written()
    refused = client.post(path, {"actions": "责令整改", "deadline": late})
    latest = today() + dt.timedelta(days=60)
    assert f"整改期限自责令之日起不得超过六十日（最晚 {latest}）：{late}" in _text(refused)
    assert written() == before
    done = client.post(path, {"actions": "责令整改", "deadline": latest})
    assert done.status_code == 302
    follow_up.refresh_from_db()
    assert (follow_up.status, follow_up.deadline, follow_up.ordered_on) == (
        "rectifying",
        latest,
        today(),
    )
    reinspected = client.post(
        f"/sampling/follow-ups/{follow_up.pk}/reinspect/",
        {"passed": "1", "reinspected_on": today(), "note": "复检合格"},
    )
    assert reinspected.status_code == 302
    closed = client.post(f"/sampling/follow-ups/{follow_up.pk}/close/", {"note": ""})
    assert closed.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.status == "closed"


def test_the_follow_up_page_links_to_a_new_case(county: County, data: dict[str, Any]) -> None:
    follow_up = data["east_follow_up"]
    page = _text(client_for(county.east_officer).get(f"/sampling/follow-ups/{follow_up.pk}/"))
    assert f'href="/cases/new/?sample={follow_up.sample_id}"' in page


def test_the_leader_sees_the_follow_up_without_forms(county: County, data: dict[str, Any]) -> None:
    page = _text(
        client_for(county.leader).get(f"/sampling/follow-ups/{data['east_follow_up'].pk}/")
    )
    assert "城东农资经营部" in page and 'data-testid="rectify-form"' not in page


# Pass rates ----------------------------------------------------------------------------------


def test_the_rates_page_shows_tables_sentences_and_the_chart(
    county: County, data: dict[str, Any]
) -> None:
    sampling.record_result(
        sample=data["west_sample"],
        actor=county.division_staff,
        result="pass",
        reported_on=reported(),
    )
    response = client_for(county.division_staff).get(f"/sampling/rates/?year={year()}")
    assert response.status_code == 200
    text = _text(response)
    assert 'data-testid="rates-category"' in text and 'data-testid="rates-region"' in text
    assert 'id="rate-chart"' in text and "vendor/echarts/echarts.min.js" in text
    assert f"{year()}年共抽查化肥产品2家企业的2批次，合格1批次，合格率50.0%。" in text
    assert f"{year()}年共抽查2家企业的3批次产品，合格1批次，合格率33.3%。" in text


def test_a_station_sees_the_rates_of_its_own_firms(county: County, data: dict[str, Any]) -> None:
    text = _text(client_for(county.east_officer).get(f"/sampling/rates/?year={year()}"))
    assert f"{year()}年共抽查1家企业的1批次产品，合格0批次，合格率0.0%。" in text
    assert "电线电缆" not in text


def test_a_bad_year_falls_back_to_this_year_with_a_message(county: County) -> None:
    text = _text(client_for(county.east_officer).get("/sampling/rates/?year=abc"))
    assert "未识别的筛选条件：年度 = abc，已忽略" in text
    assert f"{today().year}年监督抽查合格率" in text


@pytest.mark.parametrize(
    "path", ["/sampling/", "/sampling/follow-ups/", "/sampling/rates/", "/sampling/plans/new/"]
)
def test_pages_require_log_in(client: Any, db: Any, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].startswith("/login/")
