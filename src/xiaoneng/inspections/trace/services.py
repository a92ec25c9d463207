"""Trace checks (痕迹监控, 篇7 虚假检查): six doubts about signed inspections, on arrays.

A signed inspection is flagged (``TraceFlag``, with a sentence giving the figures) when

- far: the on-site check-in lies farther from the entity's registered position than
  ``max_distance_m`` (haversine);
- short: the on-site visit lasted less than ``min_minutes``;
- many: its lead officer signed more than ``max_visits_per_day`` on-site visits that day
  (every record of that officer-day is flagged);
- photo: a photo with the same SHA-256 is attached to another inspection (each is flagged);
- late: it was signed more than ``max_delay_hours`` after the visit ended (the end of the
  visit day when no end time was recorded);
- uniform: it belongs to a run of at least ``uniform_run`` consecutive records (one lead
  officer, by signing time) with every item marked alike and no note.

Thresholds come from ``settings.TRACE_CHECKS``. An amendment (更正记录) is not a new visit: it
is left out of "many", "late" and "uniform", and a photo it shares with the record it corrects
is no duplicate.

The records are read in bulk — one statement, numbers only, converted to numpy arrays — and
every rule is computed on the arrays (sorting, ``np.unique``, ``cumsum``); only the flags raised
are written, in bulk, with their trace (benchmarks/bench_trace.py: a million records). Running
again adds only new flags: an existing (inspection, kind) pair stays as it is, so a cleared
flag is never raised again.

Here: the run and its summary. Reading the records: ``trace_records``; which records a run
reads: ``trace_scope``; the rules: ``trace_rules``; writing the flags: ``trace_write``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.db import transaction

from xiaoneng.core import bulk
from xiaoneng.inspections.records.models import TraceFlag
from xiaoneng.inspections.trace.rules import (
    EARTH_RADIUS_M as EARTH_RADIUS_M,  # re-exported: benchmarks/bench_trace.py reads it here
)
from xiaoneng.inspections.trace.rules import (
    busy_days,
    duplicate_photos,
    far_checkins,
    late_records,
    short_visits,
    uniform_runs,
)
from xiaoneng.inspections.trace.scope import neighbourhood, whole
from xiaoneng.inspections.trace.write import KINDS, write

K = TraceFlag.Kind


@dataclass(frozen=True)
class TraceSummary:
    """What one run of the checks did: records checked and new flags by kind."""

    checked: int
    raised: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.raised.values())

    def labelled(self) -> list[tuple[str, str, int]]:
        """``(kind, label, new flags)`` for every kind, in the fixed order."""
        labels = dict(K.choices)
        return [(kind, str(labels[kind]), self.raised.get(kind, 0)) for kind in KINDS]


def check(
    *, inspection_ids: Sequence[int] | None = None, since: dt.date | None = None
) -> TraceSummary:
    """Run the six checks and write the new flags; returns what was raised.

    With neither argument every signed record is checked. ``inspection_ids`` (right after
    signing) or ``since`` (records signed on or after that day) check those records, reading
    what the rules need around them: the rest of each officer-day, each officer's current run
    of uniform records, and the records sharing a photo with them — whose flags are raised too.
    """
    if inspection_ids is not None and not len(inspection_ids):
        return TraceSummary(checked=0)
    with bulk.paused_gc():
        if inspection_ids is None and since is None:
            scope = whole()
        else:
            scope = neighbourhood(inspection_ids, since)
        limits = settings.TRACE_CHECKS
        r = scope.records
        found = [
            far_checkins(r, scope.rows, float(limits["max_distance_m"])),
            short_visits(r, scope.rows, float(limits["min_minutes"])),
            busy_days(r, scope.busy, int(limits["max_visits_per_day"])),
            duplicate_photos(r, scope.links),
            late_records(r, scope.rows, float(limits["max_delay_hours"])),
            uniform_runs(r, scope.runs, int(limits["uniform_run"])),
        ]
        with transaction.atomic():
            raised = write(records=r, found=found)
    return TraceSummary(checked=int(np.count_nonzero(scope.rows)), raised=raised)


def check_signed(inspection_ids: list[int]) -> int:
    """Check records just signed (the signing service calls this); the number of new flags."""
    return check(inspection_ids=inspection_ids).total
