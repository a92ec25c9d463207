"""Opening a case: numbers per unit and year, sources that escalate, and bad input refused."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from tests.cases.factories import east_entity, make_case, west_entity
from tests.conftest import County
from tests.inspections.factories import make_inspection
from xiaoneng.cases import services
from xiaoneng.cases.models import Case
from xiaoneng.core.errors import Conflict, InvalidInput, NotPermitted
from xiaoneng.core.states import unlocked
from xiaoneng.inspections.followup.consequences import record_findings
from xiaoneng.inspections.models import (
    ExitCheck,
    Finding,
    Inspection,
    Rectification,
    Sample,
    SampleFollowUp,
    SamplingPlan,
    UnlicensedOperator,
)
from xiaoneng.registry.models import Entity

D = dt.date


def lead(county: County, **values: Any) -> Case:
    """Open a case as the east officer with sensible defaults."""
    arguments: dict[str, Any] = {
        "actor": county.east_officer,
        "title": "销售不合格化肥案",
        "kind": "agricultural",
        "party": "甲农资店",
        "received_on": D(2026, 3, 10),
    }
    arguments.update(values)
    return services.open_case(**arguments)


def failed_inspection(county: County, entity: Entity) -> Inspection:
    return make_inspection(
        entity=entity,
        officers=[county.east_officer, county.east_director],
        results=["pass", "fail", "pass"],
        visited_on=D(2026, 3, 2),
    )


def finding_of(county: County, entity: Entity) -> Finding:
    return record_findings(inspection=failed_inspection(county, entity))[0]


def rectification_of(county: County, entity: Entity) -> Rectification:
    return Rectification.objects.create(
        number="伊市监责改〔2026〕1号",
        entity=entity,
        unit=entity.unit,
        inspection=failed_inspection(county, entity),
        requirements="停止销售不合格化肥",
        issued_on=D(2026, 3, 2),
        working_days=10,
        deadline=D(2026, 3, 16),
        issued_by=county.east_officer,
    )


def failed_sample(
    county: County, entity: Entity | None = None, *, follow_up: bool = True
) -> Sample:
    plan = SamplingPlan.objects.create(
        year=2026,
        title="2026 年化肥监督抽查",
        category="化肥",
        region_code="654002",
        unit=county.east,
        planned_batches=10,
    )
    sample = Sample(
        plan=plan,
        entity=entity,
        firm_name=entity.name if entity else "某农资店",
        product="复合肥料",
        batch_number="20260201",
        sampled_on=D(2026, 2, 20),
        reported_on=D(2026, 3, 1),
        region_code="654002",
        unit=county.east,
        sampled_by=county.east_officer,
    )
    with unlocked(sample):
        sample.result = Sample.Result.FAIL
    sample.save()
    if follow_up:
        SampleFollowUp.objects.create(sample=sample, unit=county.east)
    return sample


# Numbers ----------------------------------------------------------------------------------------


def test_numbers_run_per_unit_and_year(county: County) -> None:
    first = lead(county, party="甲农资店")
    second = lead(county, party="乙农资店")
    earlier = lead(county, party="丙农资店", received_on=D(2025, 12, 30))
    bureau = lead(county, actor=county.division_staff, party="丁公司")
    assert first.number == "伊市监城东所案〔2026〕0001号"
    assert second.number == "伊市监城东所案〔2026〕0002号"
    assert earlier.number == "伊市监城东所案〔2025〕0001号"
    assert bureau.number == "伊市监信用监管科案〔2026〕0001号"


def test_the_bureau_prefix_is_a_setting_and_the_bureau_itself_has_no_unit_name(
    county: County, settings: Any
) -> None:
    settings.DOCUMENT_NUMBER_PREFIX = "示范县市监"
    make_case(unit=county.bureau, number="示范县市监案〔2026〕0007号")
    assert services.next_number(county.bureau, 2026) == "示范县市监案〔2026〕0008号"


def test_a_lead_starts_its_stage_on_the_day_it_was_received(county: County) -> None:
    case = lead(county, party="甲农资店", case_value="12000.5", major=True)
    assert (case.status, case.stage_started_on, case.unit, case.handler) == (
        "lead",
        D(2026, 3, 10),
        county.east,
        county.east_officer,
    )
    assert str(case.case_value) == "12000.50"
    assert case.major


# Sources ----------------------------------------------------------------------------------------


def test_a_case_from_a_finding_escalates_it_and_takes_its_entity_and_unit(county: County) -> None:
    entity = east_entity(county, name="伊宁市某农资店")
    finding = finding_of(county, entity)
    case = lead(county, actor=county.division_staff, finding=finding)
    finding.refresh_from_db()
    assert finding.status == "escalated"
    assert (case.finding, case.entity, case.party, case.unit) == (
        finding,
        entity,
        "伊宁市某农资店",
        county.east,
    )


def test_a_case_from_a_rectification_order_escalates_it(county: County) -> None:
    rectification = rectification_of(county, east_entity(county))
    case = lead(county, rectification=rectification)
    rectification.refresh_from_db()
    assert rectification.status == "escalated"
    assert case.rectification == rectification


def test_the_escalated_order_links_to_its_case_and_back_to_its_list(county: County) -> None:
    from tests.conftest import client_for

    rectification = rectification_of(county, east_entity(county))
    case = lead(county, rectification=rectification)
    page = client_for(county.east_director).get(f"/rectifications/{rectification.pk}/")
    html = page.content.decode()
    assert f'href="/cases/{case.pk}/"' in html and case.number in html
    assert 'href="/rectifications/"' in html


def test_a_case_from_an_exit_check_escalates_it(county: County) -> None:
    entity = east_entity(county)
    check = ExitCheck.objects.create(
        entity=entity,
        unit=county.east,
        found_on=D(2026, 3, 3),
        found_by=county.east_officer,
        circumstances="吊销后仍在营业",
    )
    case = lead(county, exit_check=check, kind="unlicensed")
    check.refresh_from_db()
    assert (check.status, case.entity) == ("escalated", entity)


def test_a_case_from_an_unlicensed_operator_names_the_operator_as_party(county: County) -> None:
    operator = UnlicensedOperator.objects.create(
        name="路边修车摊",
        operator="张某",
        address="城东路 1 号",
        business="机动车维修",
        region_code="654002",
        unit=county.east,
        found_on=D(2026, 3, 3),
        found_by=county.east_officer,
    )
    case = lead(county, unlicensed_operator=operator, kind="unlicensed")
    operator.refresh_from_db()
    assert operator.status == "escalated"
    assert (case.party, case.entity) == ("路边修车摊（张某）", None)


def test_a_case_from_a_failed_sample_escalates_its_follow_up(county: County) -> None:
    entity = east_entity(county, name="某农资有限公司")
    sample = failed_sample(county, entity)
    case = lead(county, sample=sample, kind="quality")
    follow_up = SampleFollowUp.objects.get(sample=sample)
    assert follow_up.status == "escalated"
    assert (case.sample, case.entity, case.party) == (sample, entity, "某农资有限公司")


def test_a_case_from_an_inspection_links_it(county: County) -> None:
    entity = east_entity(county)
    inspection = failed_inspection(county, entity)
    case = lead(county, inspection=inspection)
    assert (case.inspection, case.entity) == (inspection, entity)


def test_a_source_already_escalated_is_refused_and_nothing_is_written(county: County) -> None:
    finding = finding_of(county, east_entity(county))
    lead(county, finding=finding)
    with pytest.raises(Conflict) as refused:
        lead(county, finding=finding)
    assert refused.value.message == "检查发现状态为“已转立案”，不能改为“已转立案”"
    assert Case.objects.count() == 1


def test_two_sources_at_once_are_refused(county: County) -> None:
    entity = east_entity(county)
    finding = finding_of(county, entity)
    inspection = finding.inspection
    with pytest.raises(InvalidInput) as refused:
        lead(county, finding=finding, inspection=inspection)
    assert refused.value.errors[0].field == "source"
    finding.refresh_from_db()
    assert finding.status == "open" and not Case.objects.exists()


def test_a_source_of_another_station_is_refused(county: County) -> None:
    finding = finding_of(county, east_entity(county))
    with pytest.raises(NotPermitted):
        lead(county, actor=county.west_officer, finding=finding)
    finding.refresh_from_db()
    assert finding.status == "open" and not Case.objects.exists()


def test_a_draft_inspection_is_no_source(county: County) -> None:
    draft = make_inspection(
        entity=east_entity(county), officers=[county.east_officer], signed=False
    )
    with pytest.raises(InvalidInput) as refused:
        lead(county, inspection=draft)
    assert refused.value.errors[0].message == "只能依据已签名的检查记录立案"


def test_a_sample_without_its_follow_up_is_no_source(county: County) -> None:
    sample = failed_sample(county, follow_up=False)
    with pytest.raises(InvalidInput) as refused:
        lead(county, sample=sample)
    assert refused.value.errors[0].message == "该抽样批次还没有不合格后处理记录"
    assert not Case.objects.exists()


def test_a_lead_cannot_be_received_before_its_source(county: County) -> None:
    finding = finding_of(county, east_entity(county))  # found 2026-03-02
    with pytest.raises(InvalidInput) as refused:
        lead(county, finding=finding, received_on=D(2026, 3, 1))
    assert refused.value.errors[0].message == (
        "线索登记日期不能早于线索来源的日期 2026-03-02：2026-03-01"
    )
    finding.refresh_from_db()
    assert finding.status == "open"


# Bad input --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"title": " "}, "title", "请填写案由"),
        ({"kind": "piracy"}, "kind", "未知的案件类别：piracy"),
        ({"party": ""}, "party", "请填写当事人"),
        ({"received_on": None}, "received_on", "请填写线索登记日期（YYYY-MM-DD）"),
        ({"case_value": "-5"}, "case_value", "案值不能为负数：-5"),
        ({"case_value": "12,3a"}, "case_value", "案值格式不正确：12,3a"),
        ({"case_value": "1.234"}, "case_value", "案值最多 2 位小数：1.234"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(
    county: County, values: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        lead(county, **values)
    assert (refused.value.errors[0].field, refused.value.errors[0].message) == (field, message)
    assert not Case.objects.exists()


def test_a_lead_received_in_the_future_is_refused(county: County) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(InvalidInput) as refused:
        lead(county, party="甲", received_on=tomorrow)
    assert refused.value.errors[0].message == f"线索登记日期不能晚于今天：{tomorrow}"
    assert not Case.objects.exists()


def test_the_entity_of_another_station_is_refused(county: County) -> None:
    with pytest.raises(NotPermitted):
        lead(county, entity=west_entity(county))
    assert not Case.objects.exists()


def test_a_bureau_leader_does_not_handle_cases(county: County) -> None:
    with pytest.raises(NotPermitted):
        lead(county, actor=county.leader, party="甲")


def test_the_handler_must_be_within_the_users_scope(county: County) -> None:
    with pytest.raises(InvalidInput) as refused:
        lead(county, party="甲", handler=county.west_officer)
    assert refused.value.errors[0].field == "handler"
