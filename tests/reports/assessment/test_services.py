"""Schemes, scoring, totals and ranks, and computing a period (on made-up indicators)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from tests.conftest import County
from tests.reports.assessment.fake import STATION_VALUES, VALUES
from xiaoneng.core.errors import InvalidInput, Missing, NotPermitted
from xiaoneng.reports.assessment import catalogue, services
from xiaoneng.reports.assessment.catalogue import HIGHER, LOWER
from xiaoneng.reports.assessment.models import Assessment, Result, Scheme
from xiaoneng.reports.assessment.periods import parse_period
from xiaoneng.reports.assessment.services import Item

pytestmark = pytest.mark.usefixtures("fake_catalogue")


def items(*rows: tuple[str, str, str, str]) -> list[Item]:
    return [Item(code, D(w), D(t), D(f)) for code, w, t, f in rows]


GOOD = items(("rate", "0.6", "100", "50"), ("warnings", "0.4", "0", "10"))


# Scoring ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "direction", "expected"),
    [
        (D(100), HIGHER, D("100.00")),
        (D(120), HIGHER, D("100.00")),  # better than the target: still 100
        (D(75), HIGHER, D("50.00")),  # (75 − 50) / (100 − 50) × 100
        (D(50), HIGHER, D("0.00")),
        (D(10), HIGHER, D("0.00")),
        (D("93.33"), HIGHER, D("86.66")),  # 43.33 / 50 × 100
        (None, HIGHER, None),  # no data is no score, neither 0 nor 100
    ],
)
def test_score_is_linear_between_floor_and_target(value, direction, expected) -> None:  # type: ignore[no-untyped-def]
    assert catalogue.score(value, target=D(100), floor=D(50), direction=direction) == expected


def test_score_of_an_indicator_where_lower_is_better() -> None:
    # target 0 warnings per hundred, floor 10: 2.5 → (10 − 2.5) / 10 × 100 = 75
    assert catalogue.score(D("2.5"), target=D(0), floor=D(10), direction=LOWER) == D("75.00")
    assert catalogue.score(D(0), target=D(0), floor=D(10), direction=LOWER) == D("100.00")
    assert catalogue.score(D(12), target=D(0), floor=D(10), direction=LOWER) == D("0.00")


def test_total_leaves_out_the_indicators_without_data() -> None:
    # (0.5 × 80 + 0.2 × 50) ÷ (0.5 + 0.2) = 50 ÷ 0.7 = 71.428… → 71.43; 0.3 had no data
    total, weight = services.total_of([(D("0.5"), D(80)), (D("0.3"), None), (D("0.2"), D(50))])
    assert (total, weight) == (D("71.43"), D("0.7"))
    assert services.total_of([(D("1"), None)]) == (None, D(0))


def test_ranks_share_a_place_on_equal_totals() -> None:
    assert services.ranks([D(90), D(80), D(80), None, D(70)]) == [1, 2, 2, None, 4]


# Schemes ---------------------------------------------------------------------------------


def save(county: County, given: list[Item], kind: str = "officer", year: int = 2026) -> Scheme:
    return services.save_scheme(
        kind=kind, year=year, name="2026年方案", items=given, actor=county.leader
    )


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ([], "至少选择一项指标"),
        (items(("rate", "0.6", "100", "50"), ("warnings", "0.3", "0", "10")),
         "各指标权重之和应为 1，现为 0.9"),
        (items(("rate", "1.2", "100", "50"), ("warnings", "-0.2", "0", "10")),
         "“完成率”的权重应大于 0、不超过 1，至多四位小数：1.2"),
        (items(("rate", "0.00001", "100", "50"), ("warnings", "0.99999", "0", "10")),
         "“完成率”的权重应大于 0、不超过 1，至多四位小数：0.00001"),
        (items(("nope", "1", "100", "50")), "未知的指标：nope"),
        (items(("rate", "0.5", "100", "50"), ("rate", "0.5", "100", "50")), "指标重复：完成率"),
        (items(("stations_only", "1", "100", "70")), "指标“应检尽检率”不适用于执法人员"),
        (items(("rate", "1", "80", "80")), "“完成率”的满分值与零分值不能相同"),
        (items(("rate", "1", "50", "100")), "“完成率”越高越好，满分值应高于零分值"),
        (items(("warnings", "1", "10", "0")), "“预警”越低越好，满分值应低于零分值"),
    ],
)  # fmt: skip
def test_a_scheme_that_cannot_be_used_is_refused_and_nothing_written(
    county: County, given: list[Item], message: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        save(county, given)
    assert refused.value.by_field == {"items": message}
    assert not Scheme.objects.exists()


@pytest.mark.parametrize(
    ("field", "kwargs", "message"),
    [
        ("year", {"year": 1999}, "年度应在 2000 至 2100 之间：1999"),
        ("name", {"name": "  "}, "请填写方案名称（不超过 100 字）"),
        ("name", {"name": "长" * 101}, "请填写方案名称（不超过 100 字）"),
        ("subject_kind", {"kind": "division"}, "考核对象应为执法人员或基层所：division"),
    ],
)
def test_bad_year_name_or_kind_are_refused(county: County, field, kwargs, message) -> None:  # type: ignore[no-untyped-def]
    given = {"kind": "officer", "year": 2026, "name": "方案", "items": GOOD, "actor": county.leader}
    with pytest.raises(InvalidInput) as refused:
        services.save_scheme(**(given | kwargs))
    assert refused.value.by_field == {field: message}
    assert not Scheme.objects.exists()


def test_a_station_role_may_not_weight_the_indicators(county: County) -> None:
    with pytest.raises(NotPermitted):
        services.save_scheme(
            kind="officer", year=2026, name="方案", items=GOOD, actor=county.east_director
        )
    assert not Scheme.objects.exists()


def test_a_new_weighting_is_a_new_version_and_the_latest_applies(county: County) -> None:
    first = save(county, GOOD)
    second = save(county, items(("rate", "1", "100", "60")))
    assert (first.version, second.version) == (1, 2)
    assert first.items.count() == 2  # the first version is kept as it was
    assert services.scheme_for("officer", parse_period("2026-11")) == second
    assert services.scheme_for("officer", parse_period("2027Q1")) == second
    assert services.scheme_for("officer", parse_period("2025")) is None
    assert services.scheme_for("station", parse_period("2026-11")) is None


# Computing ---------------------------------------------------------------------------------


def test_computing_without_a_scheme_says_so(county: County) -> None:
    with pytest.raises(Missing, match="尚无2026年适用的执法人员考核方案"):
        services.compute(kind="officer", period=parse_period("2026-11"), actor=None)
    assert not Assessment.objects.exists()


def test_a_station_role_may_not_compute(county: County) -> None:
    save(county, GOOD)
    with pytest.raises(NotPermitted):
        services.compute(kind="officer", period=parse_period("2026-11"), actor=county.east_officer)


def test_compute_scores_ranks_and_stores_every_officer_of_the_stations(county: County) -> None:
    save(county, GOOD)
    east, west = county.east_officer.pk, county.west_officer.pk
    director = county.east_director.pk
    VALUES["rate"].update({east: D(90), west: D(100), director: None})
    VALUES["warnings"].update({east: D(0), west: D(5), director: None})
    assessment = services.compute(
        kind="officer", period=parse_period("2026-11"), actor=county.division_staff
    )
    assert (assessment.period, assessment.period_kind) == ("2026-11", "month")
    assert (assessment.start, assessment.end) == (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    by_officer = {r.officer_id: r for r in assessment.results.all()}
    # the leader, division staff and administrator are not station officers: not assessed
    assert set(by_officer) == {east, west, director, county.west_director.pk}
    # east: rate 90 → (90−50)/50 = 80; warnings 0 → 100; 0.6×80 + 0.4×100 = 88
    # west: rate 100 → 100; warnings 5 → 50; 0.6×100 + 0.4×50 = 80
    assert (by_officer[east].total, by_officer[east].rank) == (D("88.00"), 1)
    assert (by_officer[west].total, by_officer[west].rank) == (D("80.00"), 2)
    # no data at all: no total, no rank (never 0)
    assert (by_officer[director].total, by_officer[director].rank) == (None, None)
    assert by_officer[director].weight_with_data == 0
    item = by_officer[west].items.get(indicator="warnings")
    assert (item.value, item.score, item.weight, item.detail) == (
        D(5),
        D(50),
        D("0.4"),
        "warnings 5",
    )
    assert by_officer[east].unit == county.east


def test_recomputing_keeps_the_earlier_assessment_and_shows_the_latest(county: County) -> None:
    save(county, GOOD)
    period = parse_period("2026Q4")
    VALUES["rate"][county.east_officer.pk] = D(60)
    first = services.compute(kind="officer", period=period, actor=None)
    VALUES["rate"][county.east_officer.pk] = D(100)
    second = services.compute(kind="officer", period=period, actor=None)
    assert services.latest("officer", period) == second
    totals = Result.objects.filter(officer=county.east_officer).order_by("assessment_id")
    # only "rate" has data: 60 → 20; 100 → 100
    assert [r.total for r in totals] == [D("20.00"), D("100.00")]
    assert first.pk != second.pk


def test_stations_are_assessed_with_their_own_scheme(county: County) -> None:
    save(county, items(("stations_only", "0.5", "100", "70"), ("rate", "0.5", "100", "50")),
         kind="station")  # fmt: skip
    STATION_VALUES["stations_only"].update({county.east.pk: D(85), county.west.pk: D(100)})
    STATION_VALUES["rate"].update({county.east.pk: D(100)})
    assessment = services.compute(kind="station", period=parse_period("2026"), actor=None)
    by_unit = {r.unit_id: r for r in assessment.results.filter(whole=False)}
    assert set(by_unit) == {county.east.pk, county.west.pk}  # stations only, not the division
    # the bureau's own figures (the cockpit's) are measured too, never ranked
    bureau = assessment.results.get(whole=True)
    assert (bureau.unit, bureau.rank) == (county.bureau, None)
    # east: (85−70)/30 = 50; rate 100; (0.5×50 + 0.5×100) / 1 = 75
    # west: 100; rate no data → 100 over the weight with data 0.5
    assert by_unit[county.east.pk].total == D("75.00")
    assert (by_unit[county.west.pk].total, by_unit[county.west.pk].rank) == (D("100.00"), 1)
    assert by_unit[county.west.pk].weight_with_data == D("0.5")


def test_a_subject_with_data_on_less_than_half_the_weight_is_not_ranked(county: County) -> None:
    save(county, GOOD)
    VALUES["rate"][county.east_officer.pk] = D(80)  # weight 0.6: ranked
    VALUES["warnings"][county.west_officer.pk] = D(0)  # weight 0.4 only: total, no rank
    assessment = services.compute(kind="officer", period=parse_period("2026-11"), actor=None)
    east = assessment.results.get(officer=county.east_officer)
    west = assessment.results.get(officer=county.west_officer)
    assert (east.total, east.rank) == (D("60.00"), 1)  # (80 − 50) / 50 × 100
    assert (west.total, west.weight_with_data, west.rank) == (D("100.00"), D("0.4"), None)


# Schemes per role ------------------------------------------------------------------------


def test_a_directors_scheme_scores_the_directors_and_the_kinds_scheme_the_rest(
    county: County,
) -> None:
    general = save(county, GOOD)
    directors = services.save_scheme(
        kind="officer",
        role="station_director",
        year=2026,
        name="所长方案",
        items=items(("warnings", "1", "0", "10")),
        actor=county.leader,
    )
    # its own version line: the kind's next version is still 2
    assert (directors.version, directors.role) == (1, "station_director")
    assert save(county, GOOD).version == 2
    east, director = county.east_officer.pk, county.east_director.pk
    VALUES["rate"].update({east: D(90), director: D(60)})
    VALUES["warnings"].update({east: D(0), director: D(4)})
    assessment = services.compute(kind="officer", period=parse_period("2026-11"), actor=None)
    by_officer = {r.officer_id: r for r in assessment.results.all()}
    # the officer by the kind's latest scheme: 0.6×80 + 0.4×100 = 88
    assert by_officer[east].total == D("88.00")
    assert by_officer[east].scheme != directors and by_officer[east].scheme.version == 2
    # the director by the directors' scheme alone: warnings 4 → 60 (the rate is not weighed)
    assert (by_officer[director].total, by_officer[director].scheme) == (D("60.00"), directors)
    assert [i.indicator for i in by_officer[director].items.all()] == ["warnings"]
    # one ranking over all the officers
    assert (by_officer[east].rank, by_officer[director].rank) == (1, 2)
    # the assessment names the kind's scheme in force
    assert (assessment.scheme.role, assessment.scheme.version) == ("", 2) != (general.version,)


@pytest.mark.parametrize(
    ("kind", "role", "message"),
    [
        ("station", "station_director", "只有执法人员的考核方案可以按角色制定"),
        ("officer", "bureau_leader", "适用角色应为责任区干部或所长：bureau_leader"),
    ],
)
def test_a_scheme_for_a_role_is_an_officers_scheme_for_a_station_role(
    county: County, kind: str, role: str, message: str
) -> None:
    given = items(("rate", "1", "100", "50"))
    with pytest.raises(InvalidInput) as refused:
        services.save_scheme(
            kind=kind, role=role, year=2026, name="方案", items=given, actor=county.leader
        )
    assert refused.value.by_field == {"role": message}
    assert not Scheme.objects.exists()
