"""Period report: the figures of cases in the seed's own words (篇2): the headline, the period
and unit counted, cases by kind and confiscated goods."""

from __future__ import annotations

from decimal import Decimal

from tests.conftest import County
from tests.reports.helpers import HEADLINE, D, collect, make_case, report, seed_cases
from xiaoneng.cases.models import Case, CaseKind, ConfiscatedGoods, Target, TargetMetric
from xiaoneng.reports.text import sentences, wan

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
