"""The spot-check forms: days and the re-inspection verdict are typed by the form, the rest goes
to the services as typed; input that cannot be read is shown on its field, nothing written."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.conftest import County, client_for
from tests.inspections.sampling.test_pages import sampling_data, today  # noqa: F401
from tests.inspections.sampling.test_services import written
from xiaoneng.inspections.models import SampleFollowUp
from xiaoneng.inspections.sampling import followup as sampling_followup
from xiaoneng.inspections.sampling.forms import ReinspectForm

NO_DAYS = ["2026-02-30", "明天", "2026/03/01", "2026-13-01"]


def _text(response: Any) -> str:
    return response.content.decode()


@pytest.mark.parametrize("typed", NO_DAYS)
def test_a_sampling_day_that_is_no_day_is_shown_on_its_field(
    county: County, data: dict[str, Any], typed: str
) -> None:
    before = written()
    response = client_for(county.division_staff).post(
        f"/sampling/plans/{data['county_plan'].pk}/",
        {"firm_name": "某店", "product": "尿素", "batch_number": "N1", "sampled_on": typed},
    )
    assert response.status_code == 200
    assert 'data-testid="error-sampled_on">请填写抽样日期（YYYY-MM-DD）</div>' in _text(response)
    assert response.context["errors"] == {"sampled_on": "请填写抽样日期（YYYY-MM-DD）"}
    assert written() == before


@pytest.mark.parametrize("typed", NO_DAYS)
def test_a_report_day_that_is_no_day_keeps_the_result_form_open(
    county: County, data: dict[str, Any], typed: str
) -> None:
    sample = data["west_sample"]
    before = written()
    response = client_for(county.division_staff).post(
        f"/sampling/samples/{sample.pk}/result/",
        {"result": "fail", "failed_items": "标识", "reported_on": typed},
    )
    assert response.status_code == 200
    assert response.context["result_for"] == sample.pk
    assert response.context["result_errors"] == {"reported_on": "请填写报告日期（YYYY-MM-DD）"}
    assert 'value="标识"' in _text(response)
    assert written() == before


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"year": "二〇二六"}, "year", "年度应为四位数字年份：二〇二六"),
        (
            {"planned_batches": "9999999999"},
            "planned_batches",
            "计划批次应为不小于 1 的整数：9999999999",
        ),
        ({"planned_batches": ""}, "planned_batches", "计划批次应为不小于 1 的整数："),
    ],
)
def test_the_plan_form_leaves_year_and_batches_to_the_service(
    county: County, values: dict[str, str], field: str, message: str
) -> None:
    form = {
        "year": str(today().year),
        "title": "化肥抽查",
        "category": "化肥",
        "region_code": "654002",
        "unit": "D1",
        "planned_batches": "30",
    }
    before = written()
    response = client_for(county.division_staff).post("/sampling/plans/new/", form | values)
    assert response.status_code == 200
    assert response.context["errors"] == {field: message}
    assert written() == before


def test_an_order_day_that_is_no_day_is_refused_not_taken_as_today(
    county: County, data: dict[str, Any]
) -> None:
    follow_up = data["east_follow_up"]
    before = written()
    response = client_for(county.east_officer).post(
        f"/sampling/follow-ups/{follow_up.pk}/rectify/",
        {"actions": "责令整改", "ordered_on": "2026-02-30", "deadline": today().isoformat()},
    )
    assert response.status_code == 200
    assert 'data-testid="error-ordered_on">请填写责令整改日期（YYYY-MM-DD）</div>' in _text(
        response
    )
    assert written() == before
    follow_up.refresh_from_db()
    assert follow_up.status == SampleFollowUp.Status.OPEN


def _rectifying(county: County, follow_up: SampleFollowUp) -> SampleFollowUp:
    return sampling_followup.start_rectifying(
        follow_up=follow_up,
        actor=county.east_officer,
        actions="责令整改",
        deadline=today() + dt.timedelta(days=30),
    )


def test_a_reinspection_verdict_not_offered_is_refused(
    county: County, data: dict[str, Any]
) -> None:
    follow_up = _rectifying(county, data["east_follow_up"])
    before = written()
    response = client_for(county.east_officer).post(
        f"/sampling/follow-ups/{follow_up.pk}/reinspect/",
        {"passed": "maybe", "reinspected_on": today().isoformat(), "note": "复检"},
    )
    assert response.status_code == 200
    assert "复查结论应为 1（合格）或 0（不合格）：maybe" in _text(response)
    assert written() == before
    follow_up.refresh_from_db()
    assert follow_up.status == SampleFollowUp.Status.RECTIFYING


@pytest.mark.parametrize(("typed", "passed"), [("1", True), ("0", False), (None, False)])
def test_a_reinspection_passes_only_for_1(typed: str | None, passed: bool) -> None:
    form = ReinspectForm(
        {"reinspected_on": "2026-03-02"} | ({} if typed is None else {"passed": typed})
    )
    assert form.is_valid() and form.cleaned_data["passed"] is passed
    assert form.cleaned_data["reinspected_on"] == dt.date(2026, 3, 2)
