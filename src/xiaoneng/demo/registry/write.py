"""Writing the planned register: entities, licences and classification changes in batches of
plain INSERTs, one transaction a batch, each row with its trace."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import numpy as np
from django.db import connection, transaction

from xiaoneng.core import audit, bulk
from xiaoneng.core.models import AuditEvent
from xiaoneng.demo.registry.classification import CHANGE_KEYS
from xiaoneng.demo.registry.plan import Register
from xiaoneng.demo.rows import trace_created
from xiaoneng.org.models import Officer
from xiaoneng.registry.models import ClassificationChange, Entity, Licence, LicenceKind

BATCH = 10000


def write_register(
    register: Register,
    *,
    now: dt.datetime,
    progress: Callable[[str], None] = print,
    batch: int = BATCH,
) -> None:
    """Write entities, licences, classification changes and trace, one transaction a batch."""
    count = len(register.columns["uscc"])
    if connection.vendor == "sqlite":
        # The indexes of a million entities and their trace outgrow the default page cache.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -262144")
    actor_names = dict(Officer.objects.values_list("pk", "name"))
    report_every = max(batch, (count // 20) // batch * batch)
    for start in range(0, count, batch):
        stop = min(count, start + batch)
        with transaction.atomic():
            columns = {name: values[start:stop] for name, values in register.columns.items()}
            ids = bulk.insert(Entity, columns, stop - start, now=now)
            trace_created(Entity, ids, columns["name"], columns, at=now)
            _write_licences(register.licences, ids, start, now)
            _write_changes(register.changes, ids, start, columns["name"], actor_names)
        if stop % report_every == 0 or stop == count:
            progress(f"市场主体 entities: {stop:,} / {count:,}")


def _part(table: dict[str, np.ndarray], start: int, stop: int) -> tuple[slice, int]:
    first, last = np.searchsorted(table["entity"], [start, stop])
    return slice(int(first), int(last)), int(last - first)


def _write_licences(
    table: dict[str, np.ndarray], entity_ids: list[int], start: int, now: dt.datetime
) -> None:
    part, n = _part(table, start, start + len(entity_ids))
    columns = {
        "entity_id": [entity_ids[e - start] for e in table["entity"][part].tolist()],
        "kind": table["kind"][part].tolist(),
        "number": table["number"][part].tolist(),
        "issued": table["issued"][part].tolist(),
        "expires": table["expires"][part].tolist(),
    }
    ids = bulk.insert(Licence, columns, n, now=now)
    label = {kind: str(kind.label) for kind in LicenceKind}
    reprs = [
        f"{label[k]} {number}" for k, number in zip(columns["kind"], columns["number"], strict=True)
    ]  # Licence.__str__
    trace_created(Licence, ids, reprs, columns, at=now)


def _write_changes(
    table: dict[str, np.ndarray],
    entity_ids: list[int],
    start: int,
    names: list[str],
    actor_names: dict[int, str],
) -> None:
    """History rows, and for each later change the entity's update event at its own time."""
    part, n = _part(table, start, start + len(entity_ids))
    rows = {key: table[key][part].tolist() for key in (*CHANGE_KEYS, "actor")}
    rows["actor"] = [a or None for a in rows["actor"]]
    columns = {
        "entity_id": [entity_ids[e - start] for e in rows["entity"]],
        "field": rows["field"],
        "old_value": rows["old"],
        "new_value": rows["new"],
        "reason": rows["reason"],
        "changed_by_id": rows["actor"],
        "changed_at": rows["at"],
    }
    bulk.insert(ClassificationChange, columns, n)
    later = [i for i in range(n) if rows["old"][i]]

    def pick(values: list[Any]) -> list[Any]:
        return [values[i] for i in later]

    trace = audit.event_columns(
        Entity,
        object_ids=pick(columns["entity_id"]),
        reprs=[names[e - start] for e in pick(rows["entity"])],
        changes=[{rows["field"][i]: [rows["old"][i], rows["new"][i]]} for i in later],
        action=AuditEvent.Action.UPDATE,
        at=pick(rows["at"]),
        actor=None,
        actor_ids=pick(rows["actor"]),
        actor_names=[actor_names.get(a, "") for a in pick(rows["actor"])],
        source=AuditEvent.Source.SYSTEM,
        reason=pick(rows["reason"]),
    )
    bulk.insert(AuditEvent, trace, len(later))
