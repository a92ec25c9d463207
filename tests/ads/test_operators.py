"""Ad operators and the annual qualification check: services and bad input."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.ads.factories import DAY, east_entity, make_operator, west_entity
from tests.conftest import County
from xiaoneng.ads.operators import services
from xiaoneng.ads.operators.models import AdOperator, QualificationCheck
from xiaoneng.cases.models import Case
from xiaoneng.core.errors import Conflict, InvalidInput, NotPermitted
from xiaoneng.inspections.checklists.models import Checklist
from xiaoneng.inspections.records.models import Inspection

pytestmark = pytest.mark.django_db
S = QualificationCheck.Status


def test_an_entity_is_registered_as_an_operator_in_its_unit(county: County) -> None:
    operator = make_operator(county)
    assert operator.unit == county.east
    assert operator.role == "operator" and operator.active


def test_a_medium_needs_its_kind_and_reviewers(county: County) -> None:
    entity = east_entity(county, name="示范县广播电视台")
    with pytest.raises(InvalidInput) as error:
        make_operator(county, entity=entity, role="medium")
    assert error.value.by_field == {
        "medium": "媒体须注明媒介类型",
    }
    with pytest.raises(InvalidInput) as error:
        make_operator(county, entity=entity, role="medium", medium="tv")
    assert error.value.by_field == {"reviewers": "媒体须登记广告审查员"}
    medium = make_operator(
        county, entity=entity, role="medium", medium="tv", outlet="综合频道", reviewers="王芳、李强"
    )
    assert medium.reviewer_names == ["王芳", "李强"]
    assert AdOperator.objects.count() == 1


def test_bad_operator_input_names_each_field_and_writes_nothing(county: County) -> None:
    entity = east_entity(county)
    with pytest.raises(InvalidInput) as error:
        make_operator(county, entity=entity, role="agency", since=dt.date(2025, 1, 1))
    assert error.value.by_field == {
        "role": "广告主体类型无效：agency",
        "since": "登记日期不能早于入册日期 2026-01-05：2025-01-01",
    }
    with pytest.raises(InvalidInput) as error:
        make_operator(county, entity=None, since=None)
    assert error.value.by_field == {"entity": "请选择市场主体（统一社会信用代码）"}
    with pytest.raises(InvalidInput) as error:
        make_operator(county, entity=entity, since=dt.date(2099, 1, 1))
    assert error.value.by_field == {"since": "登记日期不能晚于今天：2099-01-01"}
    assert not AdOperator.objects.exists()


def test_an_operator_is_registered_once_per_role(county: County) -> None:
    operator = make_operator(county)
    with pytest.raises(Conflict, match="已登记为广告经营者"):
        make_operator(county, entity=operator.entity)
    assert AdOperator.objects.count() == 1


def test_another_stations_entity_is_refused(county: County) -> None:
    with pytest.raises(NotPermitted):
        make_operator(county, entity=west_entity(county))
    with pytest.raises(NotPermitted):
        make_operator(county, actor=county.leader)  # bureau leaders read only


def test_the_check_opens_an_inspection_with_the_qualification_checklist(county: County) -> None:
    operator = make_operator(county)
    check = services.start_check(
        operator=operator, actor=county.east_officer, year=2026, checked_on=DAY
    )
    assert check.status == S.CHECKING and services.in_first_quarter(check)
    inspection = check.inspection
    assert inspection.entity == operator.entity and inspection.status == Inspection.Status.DRAFT
    # The advertising-operator checklist of the starter set: no checklist of its own.
    assert inspection.checklist.code == "advertising"
    assert inspection.checklist.title == "广告经营者监督检查清单"
    assert inspection.results.count() == 13
    assert Checklist.objects.filter(code="advertising").count() == 1


def test_without_the_checklist_in_force_the_check_is_refused(county: County) -> None:
    from xiaoneng.inspections.checklists.services import ChecklistUnknown

    operator = make_operator(county)
    Checklist.objects.filter(code="advertising").update(retired_on=dt.date(2026, 1, 1))
    with pytest.raises(ChecklistUnknown, match="没有施行中的广告经营者监督检查清单"):
        services.start_check(
            operator=operator, actor=county.east_officer, year=2026, checked_on=DAY
        )
    assert not operator.checks.exists()


def test_one_check_a_year_and_its_dates_checked(county: County) -> None:
    operator = make_operator(county)
    with pytest.raises(InvalidInput) as error:
        services.start_check(
            operator=operator, actor=county.east_officer, year=2025, checked_on=DAY
        )
    assert error.value.by_field == {"year": "年度应为检查日期所在年度 2026：2025"}
    with pytest.raises(InvalidInput) as error:
        services.start_check(
            operator=operator, actor=county.east_officer, year=2026, checked_on=dt.date(2026, 1, 2)
        )
    assert error.value.by_field == {
        "checked_on": "检查日期不能早于登记为广告主体日期 2026-01-10：2026-01-02"
    }
    with pytest.raises(InvalidInput) as error:
        services.start_check(
            operator=operator, actor=county.east_officer, year=None, checked_on=None
        )
    assert error.value.by_field == {"checked_on": "请填写检查日期（YYYY-MM-DD）"}
    services.start_check(operator=operator, actor=county.east_officer, year=2026, checked_on=DAY)
    with pytest.raises(Conflict, match="2026 年度资格检查已登记"):
        services.start_check(
            operator=operator, actor=county.east_officer, year=2026, checked_on=DAY
        )
    assert QualificationCheck.objects.count() == 1


def start(county: County) -> QualificationCheck:
    return services.start_check(
        operator=make_operator(county), actor=county.east_officer, year=2026, checked_on=DAY
    )


def test_rectify_needs_a_deadline_after_the_decision(county: County) -> None:
    check = start(county)
    decide = dict(check=check, actor=county.east_officer, outcome="rectify", on=DAY)
    with pytest.raises(InvalidInput) as error:
        services.decide_check(**decide, note="台账不全")
    assert error.value.by_field == {"deadline": "限期整改须填写整改期限（YYYY-MM-DD）"}
    with pytest.raises(InvalidInput) as error:
        services.decide_check(**decide, deadline=DAY, note="台账不全")
    assert error.value.by_field == {"deadline": "整改期限应晚于结论日期 2026-03-10：2026-03-10"}
    with pytest.raises(InvalidInput) as error:
        services.decide_check(**decide, deadline=dt.date(2026, 4, 10), note="")
    assert error.value.by_field == {"note": "请填写说明"}
    check.refresh_from_db()
    assert check.status == S.CHECKING
    services.decide_check(**decide, deadline=dt.date(2026, 4, 10), note="承接登记台账不全")
    assert (check.status, check.deadline) == (S.RECTIFY, dt.date(2026, 4, 10))
    with pytest.raises(Conflict, match="年度资格检查状态为“限期整改”，不能改为“合格”"):
        services.decide_check(check=check, actor=county.east_officer, outcome="qualified", on=DAY)


def test_unknown_outcome_and_early_decision_are_refused(county: County) -> None:
    check = start(county)
    with pytest.raises(InvalidInput) as error:
        services.decide_check(
            check=check, actor=county.east_officer, outcome="passed", on=dt.date(2026, 3, 1)
        )
    assert error.value.by_field == {
        "outcome": "检查结论无效：passed",
        "decided_on": "结论日期不能早于检查日期 2026-03-10：2026-03-01",
        "note": "请填写说明",
    }


def test_deregister_takes_the_operator_off_the_register(county: County) -> None:
    check = start(county)
    services.decide_check(
        check=check, actor=county.east_officer, outcome="deregister", on=DAY, note="已停止经营"
    )
    check.operator.refresh_from_db()
    assert not check.operator.active
    with pytest.raises(Conflict, match="已注销"):
        services.start_check(
            operator=check.operator, actor=county.east_officer, year=2027, checked_on=DAY
        )


def test_investigate_opens_an_advertising_case(county: County) -> None:
    check = start(county)
    services.decide_check(
        check=check, actor=county.east_officer, outcome="investigate", on=DAY, note="发布违法广告"
    )
    case = Case.objects.get()
    assert check.case == case and case.kind == "advertising"
    assert (case.status, case.filed_on) == ("filed", DAY)
    assert case.entity == check.operator.entity
    qualified = services.start_check(
        operator=make_operator(county, entity=east_entity(county, name="丙")),
        actor=county.east_officer,
        year=2026,
        checked_on=DAY,
    )
    services.decide_check(check=qualified, actor=county.east_officer, outcome="qualified", on=DAY)
    assert qualified.status == S.QUALIFIED and qualified.case is None
