"""Recompute the warnings of every open clock (hourly, and on every change of a clock).

``recompute`` reads the open clocks in bulk, evaluates them on arrays (``clocks.compute``) and
writes only what changed:

- the clock's level, escalation and (for a running clock) due date;
- a new yellow warning when a clock turns yellow; when it turns red the yellow one is cleared
  (``RAISED``) and a red one raised, to be handled within ``WarningPolicy.handle_days``
  working days (``handle_by``);
- a red warning nobody handled by its ``handle_by`` goes one level up: officer → director
  (所（科）负责人) → division (区局科室), with a new ``handle_by``; the clock mirrors it;
- the warnings of a clock that stopped are cleared (``STOPPED``), those of a clock that is
  suspended (yellow) or no longer warns after an extension (``RECOMPUTED``) too.

A level whose latest warning was cleared by hand is not raised again while the clock stays at
it.

The hourly run reads only the clocks whose level can have moved: each recompute puts on every
clock it reads the first day that can change it without an event (``Clock.recheck_on``: the day
it turns yellow or red, or its red warning may go up; ``compute.recheck``), every change of a
clock recomputes that clock at once (``clocks.services``; inside ``deferred()`` it empties the
date instead), and a run for a day before the latest one evaluated reads every clock. A new
calendar year or a new policy recomputes every open clock (``everything=True``).

The open clocks and warnings are read as integer columns (``clocks.reading``); what changed is
written set-based, with its trace events, by ``clocks.staging``. Running it twice on the same
day changes nothing the second time.

The stored due date of a suspended clock stays as the services last set it (it would move
every working day); its level is judged on the due date as of today.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import audit, bulk
from xiaoneng.core.audit_context import current_context
from xiaoneng.core.calendar import WorkingCalendar
from xiaoneng.core.models import AuditEvent
from xiaoneng.timeliness.clocks import changes, compute, reading, staging
from xiaoneng.timeliness.clocks.models import (
    Clock,
    ClockKind,
    Level,
    Warning,
    WarningPolicy,
)

_DEFERRED: ContextVar[bool] = ContextVar("warnings_deferred", default=False)


@contextmanager
def deferred() -> Iterator[None]:
    """Within it, the clock services do not recompute on each change: a bulk writer (the demo,
    an import) recomputes once at the end (``recompute``)."""
    token = _DEFERRED.set(True)
    try:
        yield
    finally:
        _DEFERRED.reset(token)


def is_deferred() -> bool:
    return _DEFERRED.get()


def _labels(choices: Any) -> dict[str, str]:
    return {value: str(label) for value, label in choices}


# Labels for the trace's names, in the server's language (``str(Clock)``).
KIND_LABELS = _labels(ClockKind.choices)


def policy() -> WarningPolicy:
    """The bureau's warning settings: its one row, made with the defaults if missing."""
    found = WarningPolicy.objects.order_by("pk").first()
    return found or WarningPolicy.objects.create()


@dataclass
class Summary:
    """What one recompute did: clocks read and changed, warnings raised, escalated, cleared."""

    clocks: int = 0
    changed: int = 0
    yellow: int = 0
    red: int = 0
    escalated: int = 0
    cleared: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        return {
            "clocks": self.clocks,
            "changed": self.changed,
            "yellow": self.yellow,
            "red": self.red,
            "escalated": self.escalated,
            "cleared": self.cleared,
        }


def recompute(
    *,
    today: dt.date | None = None,
    clock_ids: Iterable[int] | None = None,
    calendar: WorkingCalendar | None = None,
    now: dt.datetime | None = None,
    everything: bool = False,
) -> Summary:
    """Recompute the level of the open clocks on ``today`` — those of ``clock_ids``; else every
    one when ``everything``; else those due for a recheck — and write what changed: clocks,
    warnings raised, escalated and cleared (module docstring)."""
    from xiaoneng.timeliness.clocks import services

    day = today or services.today()
    moment = now or timezone.now()
    calendar = calendar or WorkingCalendar.load()
    summary = Summary()
    timer = _Timer(summary)
    with transaction.atomic():
        _one_at_a_time()
        settings = policy()
        through = settings.evaluated_through
        if clock_ids is not None:
            selection = reading.Selection(ids=sorted(set(clock_ids)))
        elif everything or (through is not None and day < through):
            selection = reading.Selection()
        else:
            selection = reading.Selection(due=day)
        read = reading.open_clocks(selection)
        timer.lap("read")
        evaluation = compute.evaluate(read.clocks, day, calendar, settings.yellow_share)
        timer.lap("compute")
        summary.clocks = len(read.ids)
        _write(read, evaluation, day, moment, calendar, settings, selection, summary)
        staging.set_aside_stopped(selection, reading.FAR)
        if through is None or day > through:
            WarningPolicy.objects.filter(pk=settings.pk).update(evaluated_through=day)
        timer.lap("write")
    return summary


# Any number, the same in every process: the key of the recompute's advisory lock.
LOCK_KEY = 0x58_4E_57_41  # "XNWA"


def _one_at_a_time() -> None:
    """Two recomputes (the hourly job and a clock's change) must not both raise the same
    warning: on PostgreSQL the second waits for the first's transaction to end. SQLite has one
    writer at a time already (transactions begin IMMEDIATE)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


class _Timer:
    def __init__(self, summary: Summary) -> None:
        self.summary = summary
        self.last = timezone.now()

    def lap(self, name: str) -> None:
        now = timezone.now()
        self.summary.seconds[name] = (now - self.last).total_seconds()
        self.last = now


def _write(
    read: reading.OpenRead,
    evaluation: compute.Evaluation,
    day: dt.date,
    moment: dt.datetime,
    calendar: WorkingCalendar,
    settings: WarningPolicy,
    selection: reading.Selection,
    summary: Summary,
) -> None:
    handle_by = calendar.add_working_days(day, settings.handle_days)
    found = changes.decide(
        read.ids,
        evaluation.level,
        evaluation.suspended,
        reading.open_warnings(selection),
        reading.suppressed(selection),
        (day - reading.EPOCH).days,
        (handle_by - reading.EPOCH).days,
    )
    trace = staging.Trace.now(moment)
    for code, positions in ((compute.YELLOW, found.new_yellow), (compute.RED, found.new_red)):
        _raise(positions, compute.LEVELS[code], read, evaluation, day, handle_by, trace)
    summary.yellow, summary.red = len(found.new_yellow), len(found.new_red)
    staging.clear_warnings(found.cleared, trace=trace)
    summary.cleared = len(found.cleared)
    staging.escalate_warnings(
        found.escalated, handle_by=handle_by, reason=_("红色预警逾期未处理，逐级上报"), trace=trace
    )
    summary.escalated = len(found.escalated)
    recheck = _recheck_days(read, evaluation, found.watch, day, calendar, settings)
    _update_clocks(read, evaluation, found.escalation, recheck, calendar, moment, summary)


FAR_DAY = (reading.FAR - reading.EPOCH).days


def _recheck_days(
    read: reading.OpenRead,
    evaluation: compute.Evaluation,
    watch: np.ndarray,
    day: dt.date,
    calendar: WorkingCalendar,
    settings: WarningPolicy,
) -> np.ndarray:
    """Each clock's ``recheck_on`` after the run, in day numbers (``reading.FAR``: none)."""
    turns = compute.recheck(read.clocks, evaluation, day, calendar, settings.yellow_share)
    days = np.where(np.isnat(turns), FAR_DAY, turns.astype(np.int64))
    watched = watch != reading.NONE_DAY
    return np.where(watched, np.minimum(days, watch + 1), days)


def _raise(
    positions: np.ndarray,
    level: str,
    read: reading.OpenRead,
    evaluation: compute.Evaluation,
    day: dt.date,
    handle_by: dt.date,
    trace: staging.Trace,
) -> None:
    if not len(positions):
        return
    ids = bulk.reserve_ids(Warning, len(positions))
    rows = zip(
        ids,
        read.ids[positions].tolist(),
        np.datetime_as_string(evaluation.due_on[positions], unit="D").tolist(),
        evaluation.used[positions].tolist(),
        read.clocks.limit_days[positions].tolist(),
        strict=True,
    )
    staging.raise_warnings(
        list(rows),
        level=level,
        day=day,
        handle_by=handle_by if level == Level.RED else None,
        reason=_("预警重算"),
        trace=trace,
    )


def _update(model: type[Any], columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """``UPDATE table SET columns… WHERE id = …`` for each row ``(values…, id)``, in one
    ``executemany`` per batch (a grouped ORM update compiles its IN list far slower)."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    sets = ", ".join(f"{connection.ops.quote_name(c)} = %s" for c in columns)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), reading.CHUNK):
            cursor.executemany(
                f"UPDATE {table} SET {sets} WHERE id = %s", rows[start : start + reading.CHUNK]
            )


def _trace(
    model: type[Any],
    ids: Sequence[int],
    reprs: Sequence[str],
    changes: Sequence[dict[str, Any]],
    action: str,
    reason: str,
    at: dt.datetime,
) -> None:
    """What ``audit.record_many`` writes, for rows named without building their instances."""
    if not ids:
        return
    context = current_context()
    columns = audit.event_columns(
        model,
        object_ids=ids,
        reprs=reprs,
        changes=changes,
        action=action,
        at=at,
        actor=context.resolve_actor(),
        source=context.source,
        reason=reason,
    )
    bulk.insert(AuditEvent, columns, len(ids))


def _update_clocks(
    read: reading.OpenRead,
    evaluation: compute.Evaluation,
    escalation: np.ndarray,
    recheck: np.ndarray,
    calendar: WorkingCalendar,
    moment: dt.datetime,
    summary: Summary,
) -> None:
    """Level, escalation and recheck day of every clock that changed (not traced: ``Clock``
    excludes them), and the due date of running clocks whose date moved (a year loaded),
    traced."""
    provisional = compute.provisional(evaluation.due_on, calendar)
    running = ~evaluation.suspended
    due_moved = running & ((evaluation.due_on != read.due_on) | (provisional != read.provisional))
    state_moved = (evaluation.level != read.level) | (escalation != read.escalation)
    moved = np.flatnonzero(state_moved | (recheck != read.recheck_on))
    staging.update_levels(
        list(
            zip(
                read.ids[moved].tolist(),
                [compute.LEVELS[c] for c in evaluation.level[moved].tolist()],
                escalation[moved].tolist(),
                np.datetime_as_string(recheck[moved].astype("datetime64[D]"), unit="D").tolist(),
                strict=True,
            )
        )
    )
    dated = np.flatnonzero(due_moved)
    if len(dated):
        ids = read.ids[dated].tolist()
        before = zip(
            read.due_on[dated].astype(object).tolist(),
            read.provisional[dated].tolist(),
            strict=True,
        )
        after = list(
            zip(
                evaluation.due_on[dated].astype(object).tolist(),
                provisional[dated].tolist(),
                strict=True,
            )
        )
        _update(
            Clock,
            ("due_on", "due_provisional"),
            [
                (connection.ops.adapt_datefield_value(d), bool(p), pk)
                for (d, p), pk in zip(after, ids, strict=True)
            ],
        )
        changes = []
        for (old_due, old_p), (new_due, new_p) in zip(before, after, strict=True):
            change: dict[str, list[Any]] = {}
            if old_due != new_due:
                change["due_on"] = [audit.jsonable(old_due), audit.jsonable(new_due)]
            if bool(old_p) != bool(new_p):
                change["due_provisional"] = [bool(old_p), bool(new_p)]
            changes.append(change)
        names = dict(_chunked_values(Clock, ids, ("id", "kind", "subject")))
        _trace(
            Clock,
            ids,
            [f"{KIND_LABELS.get(names[pk][0], '')} {names[pk][1]}" for pk in ids],
            changes,
            AuditEvent.Action.UPDATE,
            _("预警重算：到期日期重新计算"),
            moment,
        )
    summary.changed = int(np.count_nonzero(state_moved | due_moved))


def _chunked_values(
    model: type[Any], ids: list[int], names: tuple[str, ...]
) -> list[tuple[int, tuple[Any, ...]]]:
    found: list[tuple[int, tuple[Any, ...]]] = []
    for chunk in reading.chunks(ids):
        found.extend(
            (row[0], row[1:]) for row in model.objects.filter(pk__in=chunk).values_list(*names)
        )
    return found
