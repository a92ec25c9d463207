"""The register's history is read beside the entities, on a connection of its own, where that
connection sees the same rows; the scores' inputs are the same either way."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.db import connection, transaction

from tests.risk import history
from xiaoneng.core import arrays
from xiaoneng.registry.models import Entity
from xiaoneng.risk import records
from xiaoneng.risk.chicago import import_chicago


def _thread_of_read() -> tuple[int, int]:
    return threading.get_ident(), Entity.objects.count()


@pytest.mark.django_db
def test_inside_a_transaction_the_read_runs_here_and_now() -> None:
    """Another connection would not see this transaction's rows: the read is not moved."""
    done: list[str] = []

    def read() -> int:
        done.append("read")
        return len(done)

    wait = arrays.beside(read)
    assert done == ["read"]  # already run, before anyone waits
    assert wait() == 1 and wait() == 1
    assert arrays.beside(_thread_of_read)()[0] == threading.get_ident()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_outside_a_transaction_the_read_has_a_thread_and_connection_of_its_own() -> None:
    here = threading.get_ident()
    ident, count = arrays.beside(_thread_of_read)()
    assert count == Entity.objects.count()
    in_place = connection.vendor != "postgresql"  # SQLite reads under the GIL: no thread
    assert (ident == here) is in_place

    def fail() -> None:
        raise LookupError("the read's own error")

    wait = arrays.beside(fail)
    with pytest.raises(LookupError, match="the read's own error"):
        wait()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_register_read_beside_equals_the_read_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_chicago(source=str(history.write(tmp_path / "h.csv", history.rows(days=120))))
    assert not connection.in_atomic_block
    day = dt.date(2012, 5, 1)
    beside = records.read_register(day)

    def in_place(read: Any) -> Any:
        value = read()
        return lambda: value

    monkeypatch.setattr(arrays, "beside", in_place)
    here = records.read_register(day)
    assert np.array_equal(beside.entity, here.entity) and len(here.entity) > 100
    assert beside.numeric.keys() == here.numeric.keys()
    for name, column in here.numeric.items():
        assert np.array_equal(beside.numeric[name], column, equal_nan=True), name
    assert beside.categorical == here.categorical
    assert np.nansum(here.numeric["past_inspections"]) > 0  # the history was read
    with transaction.atomic():  # and inside a transaction, the same again
        monkeypatch.undo()
        again = records.read_register(day)
    assert np.array_equal(again.numeric["past_inspections"], here.numeric["past_inspections"])
