"""Double-random draws: the avoidance rules, the ratio rule, seeds, and the state machine."""

from __future__ import annotations

import hashlib
from collections import Counter
from decimal import Decimal

import pytest

from tests.conftest import County
from tests.org.factories import OfficerFactory
from tests.planning.draws.factories import AT, make_draw, populate, run, teams
from xiaoneng.planning.draws import conflicts as draw_conflicts
from xiaoneng.planning.draws import engine, snapshots
from xiaoneng.planning.draws import inputs as draw_inputs
from xiaoneng.planning.draws.models import DrawSelection, RandomDraw
from xiaoneng.registry.models import Entity

SEEDS = ["甲", "seed-2", "3", "四号种子", "e5"]


def _certificates(county: County, *names: str) -> set[str]:
    return {getattr(county, name).certificate_number for name in names}


@pytest.mark.parametrize("seed", SEEDS)
def test_draw_never_puts_an_officer_on_an_entity_of_their_own_grid(
    county: County, seed: str
) -> None:
    entities = populate(county)
    draw = run(make_draw(county, seed=seed, ratios="A=1,B=1,C=1,D=1"), county, seed=seed)
    by_uscc = {e.uscc: e for e in entities}
    drawn = teams(draw)
    assert len(drawn) == len(entities)
    for uscc, team in drawn.items():
        holder = by_uscc[uscc].grid.officer.certificate_number
        assert holder not in team, f"{uscc} drawn to its own grid's officer"
        assert len(set(team)) == 2


def test_draw_never_puts_an_officer_on_an_entity_they_declared_a_conflict_with(
    county: County,
) -> None:
    entities = populate(county)
    for entity in entities[:6]:
        draw_conflicts.declare_conflict(
            officer=county.leader, entity=entity, reason="亲属经营", actor=county.leader, at=AT
        )
    draw = run(make_draw(county, ratios="A=1,B=1,C=1,D=1"), county)
    for entity in entities[:6]:
        assert county.leader.certificate_number not in teams(draw)[entity.uscc]
    assert draw.conflicts_digest == snapshots.digest(
        snapshots.pairs_canonical((county.leader.certificate_number, e.uscc) for e in entities[:6])
    )


def test_draw_never_sends_the_previous_draws_inspectors_to_the_same_entity(
    county: County,
) -> None:
    populate(county)
    first = run(make_draw(county, ratios="A=1,B=1,C=1,D=1", seed="第一次"), county, seed="第一次")
    second = run(make_draw(county, ratios="A=1,B=1,C=1,D=1", seed="第二次"), county, seed="第二次")
    before, after = teams(first), teams(second)
    assert set(before) == set(after)
    for uscc, team in after.items():
        assert not set(team) & set(before[uscc]), uscc


def test_draw_respects_the_workload_cap(county: County) -> None:
    populate(county)
    free = make_draw(county, ratios="A=1,B=1,C=1,D=1", workload_cap=48, seed="上限")
    capped = make_draw(county, ratios="A=1,B=1,C=1,D=1", workload_cap=10, seed="上限")
    load_free = Counter(c for t in teams(run(free, county, seed="上限")).values() for c in t)
    load = Counter(c for t in teams(run(capped, county, seed="上限")).values() for c in t)
    assert max(load_free.values()) > 10
    assert max(load.values()) == 10
    assert sum(load.values()) == 48


def test_same_seed_gives_the_same_draw_and_another_seed_another(county: County) -> None:
    populate(county, east=30, west=30)
    one, two, other = (make_draw(county, seed=s) for s in ("同一个种子", "同一个种子", "另一个"))
    for draw, seed in ((one, "同一个种子"), (two, "同一个种子"), (other, "另一个")):
        run(draw, county, seed=seed)
    assert one.population_digest == two.population_digest == other.population_digest
    assert list(teams(one).items()) == list(teams(two).items())
    assert one.result_digest == two.result_digest
    assert list(teams(one)) != list(teams(other))


def test_the_committed_seed_hash_is_the_sha256_of_the_seed_revealed_by_the_run(
    county: County,
) -> None:
    populate(county)
    draw = make_draw(county)
    assert draw.seed == "" and len(draw.seed_sha256) == 64
    committed = draw.seed_sha256
    run(draw, county)
    draw.refresh_from_db()
    assert draw.seed and draw.held_seed == ""
    assert hashlib.sha256(draw.seed.encode()).hexdigest() == committed


def test_stratum_counts_follow_round_half_up_of_ratio_times_size(county: County) -> None:
    populate(county, east=10, west=10)  # per grade: A 8, B 8, C 2, D 2 (of 20)
    draw = run(make_draw(county, ratios="A=0.3125,B=0.25,C=0.25,D=0"), county)
    # A: 8 × 0.3125 = 2.5 → 3; B: 8 × 0.25 = 2; C: 2 × 0.25 = 0.5 → 1; D: 0
    assert draw.strata == {"A": [8, 3], "B": [8, 2], "C": [2, 1], "D": [2, 0]}
    grades = dict(Entity.objects.values_list("uscc", "credit_grade"))
    assert Counter(grades[u] for u in teams(draw)) == {"A": 3, "B": 2, "C": 1}
    assert draw.selected_count == draw.planned_count == 6


def test_policy_ratios_apply_per_class_and_grade(county: County) -> None:
    populate(county, east=20, west=20)  # class Ⅰ restaurants: A 16, B 12, C 6, D 6
    draw = run(make_draw(county, selection="policy", ratios=None), county)
    # Default policy, class Ⅰ: A 0.05, B 0.15, C 0.40, D 0.80
    assert draw.strata == {"I-A": [16, 1], "I-B": [12, 2], "I-C": [6, 2], "I-D": [6, 5]}
    assert draw.ratios["I-D"] == "0.8" and draw.policy.version == 1
    assert draw.selected_count == 10


def test_a_draw_by_count_takes_that_many_in_rank_order(county: County) -> None:
    entities = populate(county)
    draw = run(
        make_draw(county, selection="count", count=5, ratios=None, seed="s"), county, seed="s"
    )
    order = engine.rank_order("s", sorted(e.uscc for e in entities))
    expected = [sorted(e.uscc for e in entities)[i] for i in order[:5]]
    assert list(teams(draw)) == expected


def test_the_population_keeps_to_the_filter_and_the_items_industries(county: County) -> None:
    populate(county, east=4, west=4)
    shop = populate(
        county, east=3, west=0, first=600_000, industry="F5281"
    )  # hardware: not a food business
    draw = make_draw(county, population_filter={"grid": "G-E"})
    assert draw.population_filter == {"grid": ["G-E"], "industry": ["F512", "F521", "F522", "H62"]}
    assert draw.population_count == 4
    assert shop[0].uscc.encode() not in draw_inputs.snapshot_text(draw, "population")


def test_status_changes_only_through_the_services(county: County) -> None:
    populate(county)
    draw = make_draw(county)
    with pytest.raises(AttributeError):
        draw.status = RandomDraw.Status.PUBLISHED
    run(draw, county)
    draw.refresh_from_db()
    assert draw.status == RandomDraw.Status.DRAWN


def test_drawn_results_cannot_be_changed_through_the_orm(county: County) -> None:
    populate(county)
    draw = run(make_draw(county), county)
    row = DrawSelection.objects.filter(draw=draw).first()
    assert row is not None
    row.uscc = "X"
    with pytest.raises(PermissionError):
        row.save()
    with pytest.raises(PermissionError):
        row.delete()


def test_officers_outside_the_pool_units_or_without_certificate_are_never_drawn(
    county: County,
) -> None:
    populate(county)
    retired = OfficerFactory(username="retired", unit=county.east)
    retired.is_active = False
    retired.save()
    draw = run(make_draw(county, pool_units=[county.east, county.west]), county)
    drawn = {c for team in teams(draw).values() for c in team}
    assert drawn <= _certificates(
        county, "east_director", "east_officer", "west_director", "west_officer"
    )
    assert draw.pool_count == 4


def test_the_rank_is_the_sha256_of_seed_and_uscc() -> None:
    usccs = ["91654002MA0000001X", "91654002MA0000002Y", "91654002MA0000003Z"]
    keys = [hashlib.sha256(f"种子:{u}".encode()).digest() for u in usccs]
    assert [usccs[i] for i in engine.rank_order("种子", usccs)] == [
        u for _k, u in sorted(zip(keys, usccs, strict=True))
    ]
    assert engine.round_half_up(Decimal("2.5")) == 3 and engine.round_half_up(Decimal("0.49")) == 0
