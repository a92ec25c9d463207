"""The register's scoring reads and write in bulk: the same values as row by row, exactly.

``core.arrays`` reads an unordered query of numbers on PostgreSQL as one binary array per
column; ``set_risk_scores`` updates the scores in place and deletes those of entities no
longer scored. Both are checked here against plain ``values_list`` on either database.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
from django.db import connection

from tests.conftest import County
from tests.registry.factories import make_entity
from xiaoneng.core import arrays
from xiaoneng.registry.models import Entity, RiskScore
from xiaoneng.registry.risk_scores import set_risk_scores

DAY = dt.date(2026, 11, 2)


def _stored() -> dict[int, tuple[float, int, dt.date]]:
    rows = RiskScore.objects.values_list("entity_id", "score", "model_version", "scored_on")
    return {e: (s, v, d) for e, s, v, d in rows}


def test_scores_are_replaced_every_bit_kept_and_the_unscored_gone(county: County) -> None:
    a, b, c, d = (make_entity().pk for _ in range(4))
    third = 1 / 3  # every bit of a float is kept
    assert set_risk_scores(scores={a: 0.1, b: 0.2, c: third}, version=1, on=DAY) == 3
    assert _stored() == {a: (0.1, 1, DAY), b: (0.2, 1, DAY), c: (third, 1, DAY)}
    later = DAY + dt.timedelta(days=1)
    assert set_risk_scores(scores={c: 0.5, d: math.nextafter(0.5, 1)}, version=2, on=later) == 2
    assert _stored() == {c: (0.5, 2, later), d: (math.nextafter(0.5, 1), 2, later)}
    # the same version on the same day again
    assert set_risk_scores(scores={a: 0.7, c: 0.5}, version=2, on=later) == 2
    assert _stored() == {a: (0.7, 2, later), c: (0.5, 2, later)}
    # none at all empty the table
    assert set_risk_scores(scores={}, version=3, on=later) == 0
    assert not RiskScore.objects.exists()


def test_a_score_cannot_lose_its_entity_without_a_database_constraint(county: County) -> None:
    """The table has no foreign-key constraint (the refill would check a million keys): its
    rows come from the entity table, and an entity is never deleted, only archived."""
    entity = make_entity()
    set_risk_scores(scores={entity.pk: 0.3}, version=1, on=DAY)
    with pytest.raises(PermissionError, match="never deleted"):
        entity.delete()
    assert RiskScore.objects.get().entity == entity


def _entities(county: County) -> None:
    make_entity(latitude=31.25, longitude=121.5, established=dt.date(2001, 2, 3))
    make_entity(latitude=None, longitude=None, established=None)
    make_entity(latitude=-0.0, longitude=1e-300)


def test_numbers_read_as_arrays_equal_the_rows(county: County) -> None:
    _entities(county)
    query = Entity.objects.order_by().values_list("id", "latitude", "longitude", "unit_id")
    expected = sorted(query)
    matrix = arrays.float_rows(query, 4)
    got = sorted(tuple(None if math.isnan(v) else v for v in row) for row in matrix.tolist())
    assert [tuple(float(v) if v is not None else None for v in row) for row in expected] == got
    stored = {row[0]: row[1] for row in expected}
    for row in matrix.tolist():  # a -0.0 the database keeps is read as -0.0
        if stored[int(row[0])] is not None:
            assert math.copysign(1, row[1]) == math.copysign(1, stored[int(row[0])])
    ints = arrays.int_rows(Entity.objects.order_by().values_list("id", "unit_id"), 2)
    assert ints.dtype == np.int64 and sorted(map(tuple, ints.tolist())) == sorted(
        Entity.objects.values_list("id", "unit_id")
    )
    numbers, (industries,) = arrays.float_and_text_rows(
        Entity.objects.order_by().values_list("id", "industry_id"), 1, 1
    )
    assert sorted(zip(numbers[:, 0].astype(int).tolist(), industries, strict=True)) == sorted(
        Entity.objects.values_list("id", "industry_id")
    )


def test_ordered_empty_and_impossible_queries_read_as_before(county: County) -> None:
    _entities(county)
    ordered = Entity.objects.order_by("-id").values_list("id", "latitude")
    assert arrays.float_rows(ordered, 2)[:, 0].tolist() == [
        float(i) for i in Entity.objects.order_by("-id").values_list("id", flat=True)
    ]
    none = Entity.objects.filter(pk=-1).order_by().values_list("id", "latitude")
    assert arrays.float_rows(none, 2).shape == (0, 2)
    assert arrays.int_rows(none.values_list("id"), 1).shape == (0, 1)
    impossible = Entity.objects.filter(pk__in=[]).order_by().values_list("id")
    assert arrays.int_rows(impossible, 1).shape == (0, 1)
    numbers, texts = arrays.float_and_text_rows(none.values_list("id", "industry_id"), 1, 1)
    assert numbers.shape == (0, 1) and texts == [[]]


def test_postgresql_reads_unordered_numbers_as_binary_arrays(county: County) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    _entities(county)
    query = Entity.objects.order_by().values_list("id", "latitude")
    assert arrays._aggregated(query, 2, 0, "f") is not None
    # an ordered query, and a column that is not a number, take the rows instead
    assert arrays._aggregated(query.order_by("id"), 2, 0, "f") is None
    assert arrays._aggregated(query.values_list("id", "name"), 2, 0, "f") is None
    with pytest.raises(TypeError, match="NULL"):  # as fromiter of a None would
        arrays.int_rows(query.values_list("id", "grid_id").filter(grid__isnull=True), 2)
