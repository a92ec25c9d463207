"""Reallocation of officers (篇5): the fewest whole-officer moves within the tolerance."""

from __future__ import annotations

from xiaoneng.org.models import Unit
from xiaoneng.planning.analysis import reallocation


def stations(*figures: tuple[str, float, int]) -> list[reallocation.StationLoad]:
    return [
        reallocation.StationLoad(Unit(pk=i + 1, code=name, name=name), 0, hours, officers)
        for i, (name, hours, officers) in enumerate(figures)
    ]


def moves(result: reallocation.Reallocation) -> list[tuple[str, str, int]]:
    return [(m.source.station.name, m.target.station.name, m.count) for m in result.moves]


def test_reallocation_moves_the_fewest_officers_from_least_to_most_loaded() -> None:
    # 6,000 h over 15 officers: 400 h each on average; ± 20 % is 320–480.
    loads = stations(("A", 1000, 5), ("B", 3000, 5), ("C", 2000, 5))
    result = reallocation.reallocate(loads, 0.2)
    assert result.feasible and moves(result) == [("A", "B", 2)]
    assert [s.suggested for s in loads] == [3, 7, 5]
    assert [round(s.per_officer_after or 0, 1) for s in loads] == [333.3, 428.6, 400.0]


def test_reallocation_finds_extra_donors_when_shortfall_exceeds_surplus() -> None:
    # 3,600 h over 10: 360 each; ± 20 %: A needs 3–4, B 4–5, C exactly 3.
    loads = stations(("A", 1200, 5), ("B", 1500, 3), ("C", 900, 2))
    result = reallocation.reallocate(loads, 0.2)
    assert moves(result) == [("A", "B", 1), ("A", "C", 1)]
    assert result.officers_moved == 2
    average = 360
    assert all(abs((s.per_officer_after or 0) - average) <= 0.2 * average for s in loads)


def test_reallocation_leaves_a_balanced_county_alone() -> None:
    loads = stations(("A", 1000, 5), ("B", 1100, 5))
    result = reallocation.reallocate(loads, 0.1)
    assert result.feasible and result.moves == []


def test_reallocation_says_why_whole_officers_cannot_balance() -> None:
    loads = stations(("A", 1000, 5), ("B", 3000, 5), ("C", 2000, 5))
    result = reallocation.reallocate(loads, 0.1)
    assert not result.feasible and result.moves == []
    assert result.reason == "以整人调配无法使A在 ±10% 以内（需 2.27–2.78 人）：请放宽容差"


def test_reallocation_staffs_a_station_without_officers() -> None:
    loads = stations(("A", 1000, 4), ("B", 1000, 0))
    result = reallocation.reallocate(loads, 0.2)
    assert moves(result) == [("A", "B", 2)]
