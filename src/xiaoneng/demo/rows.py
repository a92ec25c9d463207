"""Demo rows written in bulk (``core.bulk``) with their trace: created by the system, as demo
data (``REASON``), at the moment the demo says they were made."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import models

from xiaoneng.core import audit, bulk
from xiaoneng.core.models import AuditEvent

REASON = "演示数据"


def trace_created(
    model: type[models.Model],
    ids: Sequence[int],
    reprs: Sequence[str],
    columns: Mapping[str, Sequence[Any]],
    *,
    at: dt.datetime | Sequence[dt.datetime],
) -> None:
    """Trace events for new rows written in bulk: created by the system, as demo data."""
    n = len(ids)
    if not n:
        return
    events = audit.event_columns(
        model,
        object_ids=list(ids),
        reprs=list(reprs),
        changes=audit.changes_from_columns(model, columns, n),
        action=AuditEvent.Action.CREATE,
        at=list(at) if isinstance(at, list | tuple) else at,
        actor=None,
        source=AuditEvent.Source.SYSTEM,
        reason=REASON,
    )
    bulk.insert(AuditEvent, events, n)


def insert_traced(
    model: type[models.Model],
    columns: Mapping[str, Sequence[Any]],
    reprs: Sequence[str],
    *,
    at: dt.datetime | Sequence[dt.datetime],
) -> list[int]:
    """Insert rows given as columns and their trace; their ids."""
    count = len(reprs)
    ids = bulk.insert(model, columns, count)
    if audit.is_traced(model):
        trace_created(model, ids, reprs, columns, at=at)
    return ids


class Rows:
    """Rows gathered one at a time, written as columns (``core.bulk``), each with its moment."""

    def __init__(self, names: str) -> None:
        """Rows of the columns ``names`` (separated by spaces)."""
        self.columns: dict[str, list[Any]] = {name: [] for name in names.split()}
        self.at: list[dt.datetime] = []

    def add(self, at: dt.datetime, **values: Any) -> None:
        """One row: the value of each column (None where not given), created ``at``."""
        unknown = set(values) - set(self.columns)
        assert not unknown, unknown
        for name, column in self.columns.items():
            column.append(values.get(name))
        self.at.append(at)

    def __len__(self) -> int:
        return len(self.at)

    def write(self, model: type[models.Model], reprs: Sequence[str]) -> list[int]:
        """Insert the rows and their trace; their ids."""
        return insert_traced(model, self.columns, reprs, at=self.at)
