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
it. Warnings are written with plain bulk statements and recorded in the trace with
``audit.record_many``. Running it twice on the same day changes nothing the second time.

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
from django.db.models import CharField, Max, Value
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import audit, bulk
from xiaoneng.core.audit_context import current_context
from xiaoneng.core.calendar import WorkingCalendar
from xiaoneng.core.models import AuditEvent
from xiaoneng.timeliness.clocks import compute
from xiaoneng.timeliness.clocks.models import (
    ClearReason,
    Clock,
    ClockKind,
    Escalation,
    Level,
    Warning,
    WarningPolicy,
)

DATES = ("started_on", "suspended_since", "due_on")
CHUNK = 5000  # ids per IN (...) list: well under SQLite's limit on parameters
# The open clocks' columns as read in one statement into a numpy record array: dates as text
# ("NaT" for none) which numpy parses far faster than Python builds date objects.
ROW = np.dtype(
    [
        ("id", "i8"),
        ("limit_days", "i4"),
        ("extended_days", "i4"),
        ("suspended_days", "i4"),
        ("due_provisional", "?"),
        ("level", "U6"),
        ("escalation", "i1"),
        ("started_on", "M8[D]"),
        ("suspended_since", "M8[D]"),
        ("due_on", "M8[D]"),
    ]
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


# Labels for the trace's names, in the server's language (``str(Warning)``, ``str(Clock)``).
LEVEL_LABELS = _labels(Level.choices)
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


@dataclass
class _Read:
    ids: np.ndarray
    clocks: compute.OpenClocks
    due_on: np.ndarray
    provisional: np.ndarray
    level: np.ndarray
    escalation: np.ndarray


def _text(name: str) -> Coalesce:
    return Coalesce(Cast(name, CharField()), Value("NaT"))


def _read(clock_ids: Iterable[int] | None) -> _Read:
    """The open clocks (all, or those of ``clock_ids``) as columns, read in one statement."""
    queryset = Clock.objects.filter(stopped_on__isnull=True).order_by()
    if clock_ids is not None:
        queryset = queryset.filter(pk__in=list(clock_ids))
    names = [name for name in ROW.names or () if name not in DATES]
    query = queryset.annotate(**{f"{d}_text": _text(d) for d in DATES}).values_list(
        *names, *(f"{d}_text" for d in DATES)
    )
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = np.array(cursor.fetchall(), dtype=ROW)
    levels = np.zeros(len(rows), dtype=np.int8)
    for code, value in enumerate(compute.LEVELS):
        if value:
            levels[rows["level"] == value] = code
    return _Read(
        ids=rows["id"],
        clocks=compute.OpenClocks(
            started_on=rows["started_on"],
            limit_days=rows["limit_days"].astype(np.int64) + rows["extended_days"],
            suspended_days=rows["suspended_days"].astype(np.int64),
            suspended_since=rows["suspended_since"],
        ),
        due_on=rows["due_on"],
        provisional=rows["due_provisional"],
        level=levels,
        escalation=rows["escalation"].astype(np.int64),
    )


@dataclass
class _Open:
    """The open (uncleared) warnings of the clocks read, by clock."""

    yellow: dict[int, int] = field(default_factory=dict)  # clock → warning id
    red: dict[int, tuple[int, int, dt.date | None, bool]] = field(default_factory=dict)
    stopped: list[tuple[int, int, str]] = field(default_factory=list)  # of stopped clocks


def _open_warnings(clock_ids: list[int] | None, open_clocks: dict[int, int]) -> _Open:
    """The uncleared warnings (of ``clock_ids``, or all), read in one statement; a warning
    whose clock is not among ``open_clocks`` belongs to a clock that stopped."""
    found = _Open()
    queryset = Warning.objects.filter(cleared_at__isnull=True).order_by()
    if clock_ids is not None:
        queryset = queryset.filter(clock_id__in=clock_ids)
    query = queryset.values_list("id", "clock_id", "level", "escalation", "handle_by", "handled_at")
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    for pk, clock_id, level, escalation, handle_by, handled_at in rows:
        if clock_id not in open_clocks:
            found.stopped.append((pk, clock_id, level))
        elif level == Level.RED:
            if isinstance(handle_by, str):
                handle_by = dt.date.fromisoformat(handle_by[:10])
            found.red[clock_id] = (pk, escalation, handle_by, handled_at is not None)
        else:
            found.yellow[clock_id] = pk
    return found


def _suppressed(clock_ids: list[int] | None) -> set[tuple[int, str]]:
    """(clock, level) pairs whose latest warning was cleared by hand: not raised again."""
    manual = Warning.objects.filter(
        clear_reason=ClearReason.MANUAL, clock__stopped_on__isnull=True
    ).order_by()
    if clock_ids is not None:
        manual = manual.filter(clock_id__in=clock_ids)
    cleared = {
        pk: (clock_id, level)
        for pk, clock_id, level in manual.values_list("id", "clock_id", "level")
    }
    if not cleared:
        return set()
    clocks = sorted({clock_id for clock_id, _level in cleared.values()})
    latest: set[int] = set()
    for start in range(0, len(clocks), CHUNK):
        latest.update(
            Warning.objects.filter(clock_id__in=clocks[start : start + CHUNK])
            .order_by()
            .values("clock_id")
            .annotate(top=Max("id"))
            .values_list("top", flat=True)
        )
    return {pair for pk, pair in cleared.items() if pk in latest}


def _chunks(ids: Sequence[int]) -> Iterable[list[int]]:
    ids = list(ids)
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _subjects(clock_ids: Iterable[int]) -> dict[int, tuple[str, int, int | None]]:
    """Subject, unit and officer of the clocks named (only those a warning is written for)."""
    found: dict[int, tuple[str, int, int | None]] = {}
    for chunk in _chunks(sorted(set(clock_ids))):
        rows = Clock.objects.filter(pk__in=chunk).values_list("id", "subject", "unit", "officer")
        found.update((pk, (subject, unit, officer)) for pk, subject, unit, officer in rows)
    return found


def recompute(
    *,
    today: dt.date | None = None,
    clock_ids: Iterable[int] | None = None,
    calendar: WorkingCalendar | None = None,
    now: dt.datetime | None = None,
) -> Summary:
    """Recompute the level of the open clocks (all, or ``clock_ids``) on ``today`` and write
    what changed: clocks, warnings raised, escalated and cleared (module docstring)."""
    from xiaoneng.timeliness.clocks import services

    day = today or services.today()
    moment = now or timezone.now()
    calendar = calendar or WorkingCalendar.load()
    settings = policy()
    ids_asked = None if clock_ids is None else sorted(set(clock_ids))
    summary = Summary()
    timer = _Timer(summary)
    with transaction.atomic():
        read = _read(ids_asked)
        timer.lap("read")
        evaluation = compute.evaluate(read.clocks, day, calendar, settings.yellow_share)
        timer.lap("compute")
        summary.clocks = len(read.ids)
        _write(read, evaluation, day, moment, calendar, settings, ids_asked, summary)
        timer.lap("write")
    return summary


class _Timer:
    def __init__(self, summary: Summary) -> None:
        self.summary = summary
        self.last = timezone.now()

    def lap(self, name: str) -> None:
        now = timezone.now()
        self.summary.seconds[name] = (now - self.last).total_seconds()
        self.last = now


def _write(
    read: _Read,
    evaluation: compute.Evaluation,
    day: dt.date,
    moment: dt.datetime,
    calendar: WorkingCalendar,
    settings: WarningPolicy,
    ids_asked: list[int] | None,
    summary: Summary,
) -> None:
    lookup = dict(zip(read.ids.tolist(), range(len(read.ids)), strict=True))
    warnings = _open_warnings(ids_asked, lookup)
    suppressed = _suppressed(ids_asked)
    handle_by = calendar.add_working_days(day, settings.handle_days)
    level = evaluation.level
    # Only clocks that warn now or have an open warning need looking at one by one.
    looked = set(np.flatnonzero(level != compute.NONE).tolist())
    looked.update(lookup[c] for c in (*warnings.yellow, *warnings.red) if c in lookup)
    new: list[tuple[int, int]] = []  # (clock position, level code)
    clears: dict[str, list[tuple[int, int, str]]] = {}  # reason → [(warning, clock, level)]
    escalations: list[tuple[int, int, int]] = []  # (warning, clock, new escalation)
    escalation = np.full(len(read.ids), Escalation.OFFICER, dtype=np.int64)
    for i in sorted(looked):
        clock_id, code = int(read.ids[i]), int(level[i])
        yellow = warnings.yellow.get(clock_id)
        red = warnings.red.get(clock_id)
        if yellow is not None and code != compute.YELLOW:
            if code == compute.RED:
                reason = ClearReason.RAISED
            elif evaluation.suspended[i]:
                reason = ClearReason.SUSPENDED
            else:
                reason = ClearReason.RECOMPUTED
            clears.setdefault(reason, []).append((yellow, clock_id, Level.YELLOW))
        if red is not None and code != compute.RED:
            clears.setdefault(ClearReason.RECOMPUTED, []).append((red[0], clock_id, Level.RED))
            red = None
        if code == compute.YELLOW and yellow is None and (clock_id, Level.YELLOW) not in suppressed:
            new.append((i, code))
        if code == compute.RED and red is None and (clock_id, Level.RED) not in suppressed:
            new.append((i, code))
        elif code == compute.RED and red is not None:
            pk, level_now, due, handled = red
            if not handled and due is not None and due < day and level_now < Escalation.DIVISION:
                level_now += 1
                escalations.append((pk, clock_id, level_now))
            escalation[i] = level_now
    if warnings.stopped:
        clears.setdefault(ClearReason.STOPPED, []).extend(warnings.stopped)
    subjects = _subjects(
        [int(read.ids[i]) for i, _c in new]
        + [c for rows in clears.values() for _w, c, _l in rows]
        + [c for _w, c, _e in escalations]
    )
    _raise(new, read, evaluation, day, moment, handle_by, subjects, summary)
    _clear(clears, moment, subjects, summary)
    _escalate(escalations, moment, handle_by, subjects, summary)
    _update_clocks(read, evaluation, escalation, calendar, moment, summary)


def _update(model: type[Any], columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """``UPDATE table SET columns… WHERE id = …`` for each row ``(values…, id)``, in one
    ``executemany`` per batch (a grouped ORM update compiles its IN list far slower)."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    sets = ", ".join(f"{connection.ops.quote_name(c)} = %s" for c in columns)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            cursor.executemany(
                f"UPDATE {table} SET {sets} WHERE id = %s", rows[start : start + CHUNK]
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


def _named(level: str, clock_id: int, subjects: dict[int, tuple[str, int, int | None]]) -> str:
    """A warning as ``str(Warning)`` names it: its level and its clock's subject."""
    return f"{LEVEL_LABELS[level]} {subjects[clock_id][0]}"


def _raise(
    new: list[tuple[int, int]],
    read: _Read,
    evaluation: compute.Evaluation,
    day: dt.date,
    moment: dt.datetime,
    handle_by: dt.date,
    subjects: dict[int, tuple[str, int, int | None]],
    summary: Summary,
) -> None:
    if not new:
        return
    positions = [i for i, _c in new]
    levels = [compute.LEVELS[c] for _i, c in new]
    clock_ids = read.ids[positions].tolist()
    columns: dict[str, list[Any]] = {
        "clock_id": clock_ids,
        "level": levels,
        "unit_id": [subjects[c][1] for c in clock_ids],
        "officer_id": [subjects[c][2] for c in clock_ids],
        "raised_on": [day] * len(new),
        "raised_at": [moment] * len(new),
        "due_on": evaluation.due_on[positions].astype(object).tolist(),
        "used_days": evaluation.used[positions].tolist(),
        "limit_days": read.clocks.limit_days[positions].tolist(),
        "handle_by": [handle_by if lv == Level.RED else None for lv in levels],
        "escalation": [Escalation.OFFICER] * len(new),
    }
    ids = bulk.insert(Warning, columns, len(new), now=moment)
    _trace(
        Warning,
        ids,
        [_named(lv, c, subjects) for lv, c in zip(levels, clock_ids, strict=True)],
        audit.changes_from_columns(Warning, columns, len(new)),
        AuditEvent.Action.CREATE,
        _("预警重算"),
        moment,
    )
    summary.yellow += levels.count(Level.YELLOW)
    summary.red += levels.count(Level.RED)


def _clear(
    clears: dict[str, list[tuple[int, int, str]]],
    moment: dt.datetime,
    subjects: dict[int, tuple[str, int, int | None]],
    summary: Summary,
) -> None:
    at = connection.ops.adapt_datetimefield_value(moment)
    for reason, rows in clears.items():
        _update(Warning, ("cleared_at", "clear_reason"), [(at, reason, w) for w, _c, _l in rows])
        change = {"cleared_at": [None, moment.isoformat()], "clear_reason": ["", reason]}
        _trace(
            Warning,
            [w for w, _c, _l in rows],
            [_named(level, c, subjects) for _w, c, level in rows],
            [change] * len(rows),
            AuditEvent.Action.UPDATE,
            str(ClearReason(reason).label),
            moment,
        )
        summary.cleared += len(rows)


def _escalate(
    escalations: list[tuple[int, int, int]],
    moment: dt.datetime,
    handle_by: dt.date,
    subjects: dict[int, tuple[str, int, int | None]],
    summary: Summary,
) -> None:
    at = connection.ops.adapt_datetimefield_value(moment)
    by = connection.ops.adapt_datefield_value(handle_by)
    _update(
        Warning,
        ("escalation", "escalated_at", "handle_by"),
        [(level, at, by, pk) for pk, _c, level in escalations],
    )
    _trace(
        Warning,
        [pk for pk, _c, _l in escalations],
        [_named(Level.RED, c, subjects) for _pk, c, _l in escalations],
        [
            {
                "escalation": [level - 1, level],
                "escalated_at": [None, moment.isoformat()],
                "handle_by": [None, handle_by.isoformat()],
            }
            for _pk, _c, level in escalations
        ],
        AuditEvent.Action.UPDATE,
        _("红色预警逾期未处理，逐级上报"),
        moment,
    )
    summary.escalated += len(escalations)


def _update_clocks(
    read: _Read,
    evaluation: compute.Evaluation,
    escalation: np.ndarray,
    calendar: WorkingCalendar,
    moment: dt.datetime,
    summary: Summary,
) -> None:
    """Level and escalation of every clock that changed (not traced: ``Clock`` excludes them),
    and the due date of running clocks whose date moved (a year loaded), traced."""
    provisional = compute.provisional(evaluation.due_on, calendar)
    running = ~evaluation.suspended
    due_moved = running & ((evaluation.due_on != read.due_on) | (provisional != read.provisional))
    state_moved = (evaluation.level != read.level) | (escalation != read.escalation)
    moved = np.flatnonzero(state_moved)
    _update(
        Clock,
        ("level", "escalation"),
        list(
            zip(
                [compute.LEVELS[c] for c in evaluation.level[moved].tolist()],
                escalation[moved].tolist(),
                read.ids[moved].tolist(),
                strict=True,
            )
        ),
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
    for chunk in _chunks(ids):
        found.extend(
            (row[0], row[1:]) for row in model.objects.filter(pk__in=chunk).values_list(*names)
        )
    return found
