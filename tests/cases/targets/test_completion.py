"""Targets: completion computed from the records of a unit's subtree, and setting a target."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.cases.factories import east_entity, make_case, make_collection, make_target
from tests.conftest import County
from tests.inspections.factories import make_inspection
from tests.org.factories import UnitFactory
from xiaoneng.cases.models import Case, Target
from xiaoneng.cases.targets import services as targets
from xiaoneng.core.audit import history
from xiaoneng.core.errors import InvalidInput, NotPermitted
from xiaoneng.org.models import Unit

D = dt.date
S = Case.Status
M = "fines_collected"


MIDYEAR = D(2026, 7, 2)


def progress(unit: Unit, today: dt.date = MIDYEAR) -> dict[str, targets.TargetProgress]:
    return {p.metric: p for p in targets.completion(unit=unit, year=2026, today=today)}


def test_fines_collected_against_the_target_give_the_seeds_128_percent(county: County) -> None:
    # 篇2: 罚没款入库154.22万元，完成全年目标的128%.
    make_target(county.bureau, M, "1205000")
    east = make_case(unit=county.east, status=S.EXECUTING, fine="1000000", confiscation="200000")
    west = make_case(unit=county.west, status=S.DECIDED, fine="400000")
    make_collection(east, "600000", collected_on=D(2026, 5, 6))
    make_collection(east, "142200", kind="confiscation", collected_on=D(2026, 5, 7))
    make_collection(west, "400000", collected_on=D(2026, 6, 1))
    make_collection(west, "800000", collected_on=D(2025, 12, 31))  # last year: not counted
    row = progress(county.bureau)[M]
    assert (row.achieved, row.value, row.rate) == (
        Decimal("1142200.00"),
        Decimal("1205000.00"),
        Decimal("94.8"),
    )
    make_collection(east, "400000", collected_on=D(2026, 6, 30))
    row = progress(county.bureau)[M]
    assert (row.achieved, row.rate) == (Decimal("1542200.00"), Decimal("128.0"))
    assert row.sentence == "罚没款入库154.22万元，完成全年目标的128.0%"
    assert row.bar == Decimal("100")


def test_a_station_counts_only_its_own_subtree(county: County) -> None:
    make_target(county.east, M, "100000")
    east = make_case(unit=county.east, status=S.DECIDED, fine="50000")
    west = make_case(unit=county.west, status=S.DECIDED, fine="50000")
    make_collection(east, "25000", collected_on=D(2026, 5, 1))
    make_collection(west, "50000", collected_on=D(2026, 5, 1))
    assert progress(county.east)[M].rate == Decimal("25.0")


def test_another_bureaus_records_never_count(county: County) -> None:
    other = UnitFactory(code="B2", name="另一局", kind="bureau")
    station = UnitFactory(code="B2-S", name="另一所", parent=other)
    make_target(county.bureau, M, "100000")
    case = make_case(unit=station, status=S.DECIDED, fine="50000", handler=county.admin)
    make_collection(case, "50000", collected_on=D(2026, 5, 1))
    assert progress(county.bureau)[M].achieved == Decimal("0.00")


def test_cases_count_by_the_year_they_were_filed_and_not_when_withdrawn(county: County) -> None:
    for metric, value in (("cases", 4), ("major_cases", 2), ("case_value", 1000000)):
        make_target(county.bureau, metric, value)
    make_case(unit=county.east, status=S.FILED, filed_on=D(2026, 2, 1), case_value="300000")
    make_case(
        unit=county.west, status=S.CLOSED, filed_on=D(2026, 3, 1), case_value="701100", major=True
    )
    # 撤销: filed, then withdrawn — not 立案查处, as the period report counts it.
    make_case(
        unit=county.east,
        status=S.WITHDRAWN,
        filed_on=D(2026, 4, 1),
        major=True,
        case_value="500000",
    )
    make_case(unit=county.east, status=S.FILED, filed_on=D(2025, 12, 1), case_value="999")
    make_case(unit=county.east, status=S.LEAD, received_on=D(2026, 5, 1), case_value="999")
    rows = progress(county.bureau)
    assert (rows["cases"].achieved, rows["cases"].rate) == (Decimal("2"), Decimal("50.0"))
    assert (rows["major_cases"].achieved, rows["major_cases"].rate) == (
        Decimal("1"),
        Decimal("50.0"),
    )
    assert rows["case_value"].achieved == Decimal("1001100.00")
    assert rows["cases"].sentence == "立案数2起，完成全年目标的50.0%"
    assert rows["case_value"].achieved_text == "100.11万元"


def test_inspections_count_signed_records_and_not_their_amendments(county: County) -> None:
    make_target(county.east, "inspections", 10)
    entity = east_entity(county)
    team = [county.east_officer, county.east_director]
    signed = make_inspection(entity=entity, officers=team, visited_on=D(2026, 3, 2))
    make_inspection(entity=entity, officers=team, visited_on=D(2026, 3, 3))
    make_inspection(entity=entity, officers=team, visited_on=D(2026, 3, 4), signed=False)
    make_inspection(
        entity=entity,
        officers=team,
        visited_on=D(2026, 3, 2),
        amends=signed,
        amendment_reason="笔误",
    )
    assert progress(county.east)["inspections"].achieved == Decimal("2")


def test_the_share_of_the_year_passed_is_set_beside_the_rate(county: County) -> None:
    make_target(county.east, "cases", 10)
    make_case(unit=county.east, status=S.FILED, filed_on=D(2026, 2, 1))
    row = progress(county.east, today=D(2026, 7, 2))["cases"]
    assert (row.rate, row.elapsed, row.behind) == (Decimal("10.0"), Decimal("50.1"), True)
    assert targets.elapsed_share(2026, D(2027, 1, 1)) == Decimal("100.0")
    assert targets.elapsed_share(2026, D(2025, 12, 31)) == Decimal("0.0")


def test_a_unit_without_targets_has_no_completion(county: County) -> None:
    assert targets.completion(unit=county.east, year=2026) == []


# Setting a target -------------------------------------------------------------------------------


def test_a_leader_sets_a_target_and_changing_it_keeps_the_old_value_in_the_trace(
    county: County,
) -> None:
    first = targets.set_target(
        actor=county.leader, unit=county.bureau, year=2026, metric=M, value="1205000"
    )
    second = targets.set_target(
        actor=county.leader, unit=county.bureau, year="2026", metric=M, value="1300000.5"
    )
    assert first.pk == second.pk
    assert Target.objects.get().value == Decimal("1300000.50")
    changes = [e.changes for e in history(second) if e.action == "update"]
    assert changes == [{"value": ["1205000.00", "1300000.50"]}]


def test_a_grid_officer_cannot_set_targets(county: County) -> None:
    with pytest.raises(NotPermitted):
        targets.set_target(
            actor=county.east_officer, unit=county.east, year=2026, metric=M, value="1000"
        )
    assert not Target.objects.exists()


def test_a_leader_cannot_set_another_bureaus_target(county: County) -> None:
    other = UnitFactory(code="B2", name="另一局", kind="bureau")
    with pytest.raises(NotPermitted):
        targets.set_target(actor=county.leader, unit=other, year=2026, metric=M, value="1000")


@pytest.mark.parametrize(
    ("year", "metric", "value", "field", "message"),
    [
        (2026, M, "0", "value", "目标值应大于 0：0"),
        (2026, M, "-5", "value", "目标值不能为负数：-5"),
        (2026, M, "很多", "value", "目标值格式不正确：很多"),
        (2026, "cases", "12.5", "value", "立案数（起）的目标应为整数：12.5"),
        (
            2026,
            "arrests",
            "10",
            "metric",
            "指标应为 cases、major_cases、case_value、fines_collected、inspections、samples 之一：arrests",
        ),
        ("20x6", M, "10", "year", "年度应为 2000 至 2100 之间的整数：20x6"),
    ],
)
def test_a_bad_target_is_refused_naming_the_field(
    county: County, year: object, metric: str, value: str, field: str, message: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        targets.set_target(
            actor=county.leader, unit=county.bureau, year=year, metric=metric, value=value
        )
    assert (refused.value.errors[0].field, refused.value.errors[0].message) == (field, message)
    assert not Target.objects.exists()
