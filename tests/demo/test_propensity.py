"""The demo's hidden propensity to break the rules, which its failure draws follow."""

from __future__ import annotations

import numpy as np
import pytest

from tests.registry.factories import make_entity
from xiaoneng.demo.planning import propensity as p


def test_the_hidden_key_is_the_uscc_not_the_row_id() -> None:
    # the same seed builds the same county on PostgreSQL, whose ids go on after a reset
    assert p._key("92654002MA009JKHRH") == p._key("92654002MA009JKHRH")
    assert p._key("92654002MA009JKHRH") != p._key("92654002MA009JKHRJ")


def test_hidden_factor_is_the_same_for_an_id_and_averages_one() -> None:
    ids = np.arange(1, 200_001, dtype=np.int64)
    hidden = p._hidden(ids)
    assert np.array_equal(hidden, p._hidden(ids))
    assert abs(hidden.mean() - 1.0) < 0.02
    assert abs(np.log(hidden).std() - p.HIDDEN_SPREAD) < 0.02
    assert not np.array_equal(hidden[:1000], p._hidden(ids[:1000] + 1))


def test_failures_keep_the_rate_and_follow_the_weight() -> None:
    rng = np.random.default_rng(0)
    n = 200_000
    weight = np.where(np.arange(n) % 2 == 0, 3.0, 1.0)
    found = p.draw_failures(rng.random(n), 0.1, weight)
    assert abs(found.mean() - 0.1) < 0.005
    prone, ordinary = found[::2].mean(), found[1::2].mean()
    assert prone / ordinary == pytest.approx(3.0, rel=0.1)


def test_an_entity_that_failed_fails_more_often_again() -> None:
    rng = np.random.default_rng(1)
    entities, visits = 20_000, 6
    entity = np.repeat(np.arange(entities), visits)
    day = np.tile(np.arange(visits) * 60, entities)
    found = p.draw_failures(rng.random(entity.size), 0.1, np.ones(entity.size), entity, day)
    assert abs(found.mean() - 0.1) < 0.02
    table = found.reshape(entities, visits)
    failed_before = table[:, :-1].any(axis=1)
    last = table[:, -1]
    assert last[failed_before].mean() > 1.5 * last[~failed_before].mean()


def test_serious_findings_grow_with_the_propensity() -> None:
    chance = p.critical_chance(np.array([0.3, 1.0, 3.0]))
    assert np.all(np.diff(chance) > 0)
    assert 0 < chance[0] < 0.5 < chance[2] < 1


@pytest.mark.django_db
@pytest.mark.usefixtures("county")
def test_class_grade_and_trade_raise_the_propensity() -> None:
    risky = make_entity(industry="H6210", credit_grade="D")
    plain = make_entity(industry="F5137", credit_grade="A")  # clothes wholesale
    assert (risky.risk_class, plain.risk_class) == ("I", "III")
    ids = np.array([risky.pk, plain.pk], dtype=np.int64)
    keys = np.array([p._key(risky.uscc), p._key(plain.uscc)], dtype=np.uint64)
    shown = p.propensity(ids) / p._hidden(keys)  # without the hidden factor of each
    assert shown[0] == pytest.approx(
        p.CLASS_FACTOR["I"] * p.GRADE_FACTOR["D"] * dict(p.TRADE_FACTOR)["H62"]
    )
    assert shown[1] == pytest.approx(p.CLASS_FACTOR["III"] * p.GRADE_FACTOR["A"])
