"""Writing the flags a trace check (``inspections.trace``) raised: new ones only, in bulk.

An existing (inspection, kind) pair stays as it is, so a cleared flag is never raised again.
Each new flag is written with its trace (an ``AuditEvent`` from the system).
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import audit, bulk
from xiaoneng.core.models import AuditEvent
from xiaoneng.inspections.records.models import TraceFlag
from xiaoneng.inspections.trace.records import CHUNK, Records, chunks
from xiaoneng.inspections.trace.rules import Found

K = TraceFlag.Kind
# The kinds in a fixed order: a flag's key in the arrays is inspection id × 8 + position.
KINDS: list[str] = [
    K.FAR_CHECKIN,
    K.TOO_SHORT,
    K.TOO_MANY,
    K.DUPLICATE_PHOTO,
    K.LATE_RECORD,
    K.UNIFORM_RUN,
]
# PostgreSQL: concurrent checks (two signings at once) raise their flags one after the other.
LOCK_KEY = 0x5452414345  # "TRACE"


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def _existing(ids: np.ndarray) -> np.ndarray:
    """Keys (inspection id × 8 + kind) of the flags already raised on ``ids``."""
    position = {kind: i for i, kind in enumerate(KINDS)}
    unique = np.unique(ids).tolist()
    raised = TraceFlag.objects.filter(kind__in=KINDS).order_by()  # not latesync (records.sync)
    if len(unique) > 5 * CHUNK:
        selections = [raised]  # many: reading every flag once beats many lists of ids
    else:
        selections = [raised.filter(inspection_id__in=chunk) for chunk in chunks(unique)]
    keys = [
        pk * 8 + position[kind]
        for selection in selections
        for pk, kind in selection.values_list("inspection_id", "kind")
    ]
    return np.array(keys, dtype=np.int64)


def write(*, records: Records, found: list[Found]) -> dict[str, int]:
    """Insert the flags of ``found`` not raised before, with their trace; new flags by kind."""
    _lock()
    rows = np.concatenate([f.rows for f in found]).astype(np.int64)
    kinds = np.concatenate([np.full(f.rows.size, KINDS.index(f.kind)) for f in found]).astype(
        np.int64
    )
    details = list(itertools.chain.from_iterable(f.details for f in found))
    ids = records.id[rows]
    new = ~np.isin(ids * 8 + kinds, _existing(ids))
    chosen = np.flatnonzero(new)
    count = int(chosen.size)
    raised = {kind: int(np.count_nonzero(kinds[chosen] == i)) for i, kind in enumerate(KINDS)}
    if not count:
        return {k: n for k, n in raised.items() if n}
    now = timezone.now()
    columns: dict[str, list[Any]] = {
        "inspection_id": ids[chosen].tolist(),
        "unit_id": records.unit[rows[chosen]].tolist(),
        "kind": [KINDS[k] for k in kinds[chosen].tolist()],
        "detail": [details[i] for i in chosen.tolist()],
        "status": [TraceFlag.Status.OPEN] * count,
        "raised_at": [now] * count,
    }
    flag_ids = bulk.insert(TraceFlag, columns, count, now=now)
    labels = {kind: str(label) for kind, label in K.choices}
    # Raised by the system, not by whoever's signing set the check off.
    events = audit.event_columns(
        TraceFlag,
        object_ids=flag_ids,
        reprs=[
            f"#{pk}: {labels[kind]}"
            for pk, kind in zip(columns["inspection_id"], columns["kind"], strict=True)
        ],
        changes=audit.changes_from_columns(TraceFlag, columns, count),
        action=AuditEvent.Action.CREATE,
        at=now,
        actor=None,
        source=AuditEvent.Source.SYSTEM,
        reason=_("痕迹监控自动发现"),
    )
    bulk.insert(AuditEvent, events, count, now=now)
    return {k: n for k, n in raised.items() if n}
