"""Set-based writes of a warnings recompute (clocks.warnings).

The rows that change are staged in a temporary table — a few integers and dates per row,
copied in with ``COPY`` on PostgreSQL and one ``executemany`` on SQLite — and written with one
``INSERT … SELECT`` or ``UPDATE … FROM`` per kind of change. Their trace events are built in the
same way, by the database's JSON functions (``json_object`` on SQLite, ``json_build_object`` on
PostgreSQL), so no Python object is made per warning or per event.

The events are those ``audit.record_many`` would write: a new warning's ``changes`` list its
non-empty fields in the model's field order (``audit.changes_from_columns``), an update's the
fields it changed, each as ``[old, new]``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.backends.utils import CursorWrapper

from xiaoneng.core import audit
from xiaoneng.core.audit_context import current_context
from xiaoneng.core.models import AuditEvent
from xiaoneng.timeliness.clocks.models import ClearReason, Clock, Escalation, Level, Warning
from xiaoneng.timeliness.clocks.reading import Selection, chunks


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def _name(model: type[Any]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _text() -> str:
    """A text parameter (typed, so PostgreSQL's JSON functions know it)."""
    return "CAST(%s AS TEXT)"


def _json_object(pairs: Sequence[tuple[str, str]]) -> str:
    function = "json_build_object" if _postgres() else "json_object"
    arguments = ", ".join(f"'{key}', {expression}" for key, expression in pairs)
    built = f"{function}({arguments})"
    return f"({built})::jsonb" if _postgres() else built


def _json_array(*expressions: str) -> str:
    function = "json_build_array" if _postgres() else "json_array"
    return f"{function}({', '.join(expressions)})"


@contextmanager
def staged(
    name: str, columns: Sequence[tuple[str, str]], rows: Sequence[tuple[Any, ...]]
) -> Iterator[str]:
    """A temporary table ``name`` of ``columns`` ((name, SQL type)) holding ``rows``;
    dropped on leaving."""
    table = f"xn_stage_{name}"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
        definition = ", ".join(f"{column} {kind}" for column, kind in columns)
        cursor.execute(f"CREATE TEMPORARY TABLE {table} ({definition})")
        names = ", ".join(column for column, _kind in columns)
        if _postgres():
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            # A temporary table has no statistics until analysed: without them the planner
            # guesses its size and may loop over the big table once per guessed row.
            cursor.execute(f"ANALYZE {table}")
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", list(rows))
        try:
            yield table
        finally:
            cursor.execute(f"DROP TABLE IF EXISTS {table}")


@dataclass(frozen=True)
class Trace:
    """Who and when for the trace events of one recompute."""

    at: Any  # as the database takes it
    at_text: str  # as the events' changes show it
    actor_id: int | None
    actor_name: str
    source: str

    @classmethod
    def now(cls, moment: dt.datetime) -> Trace:
        context = current_context()
        columns = audit.event_columns(
            Warning,
            object_ids=[0],
            reprs=[""],
            changes=[{}],
            action=AuditEvent.Action.CREATE,
            at=moment,
            actor=context.resolve_actor(),
            source=context.source,
        )
        return cls(
            at=connection.ops.adapt_datetimefield_value(moment),
            at_text=moment.isoformat(),
            actor_id=columns["actor_id"][0],
            actor_name=columns["actor_name"][0],
            source=columns["source"][0],
        )

    def insert(
        self,
        cursor: CursorWrapper,
        model: type[Any],
        *,
        source: str,
        name: tuple[str, list[Any]],
        changes: tuple[str, list[Any]],
        action: str,
        reason: str,
        where: tuple[str, list[Any]] = ("", []),
    ) -> None:
        """One trace event per row of ``source`` (a FROM clause naming the staged row ``s``
        with its warning id ``s.wid``): ``name`` and ``changes`` are SQL with their
        parameters, ``where`` filters the rows."""
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        fields = {f.attname: f for f in AuditEvent._meta.concrete_fields}
        heads = ("at", "actor_id", "actor_name", "source", "content_type_id")
        cursor.execute(
            f"INSERT INTO {_name(AuditEvent)} ({', '.join(heads)}, object_id, object_repr, "
            "action, changes, reason) "
            f"SELECT {', '.join(_typed(fields[h]) for h in heads)}, CAST(s.wid AS TEXT), "
            f"SUBSTR({name[0]}, 1, 200), {_typed(fields['action'])}, {changes[0]}, "
            f"{_typed(fields['reason'])} FROM {source} {where[0]}",
            [
                self.at,
                self.actor_id,
                self.actor_name,
                self.source,
                content_type.pk,
                *name[1],
                action,
                *changes[1],
                reason,
                *where[1],
            ],
        )


def _typed(field: Any) -> str:
    """A parameter for ``field``'s column in a SELECT list: PostgreSQL is told its type (an
    untyped parameter there would be read as text)."""
    if _postgres():
        return f"CAST(%s AS {field.db_type(connection)})"
    return "%s"


def _level_name(column: str) -> str:
    """``str(Warning)``'s first word: the level's label, in SQL."""
    cases = " ".join(f"WHEN '{value}' THEN '{label}'" for value, label in Level.choices)
    return f"CASE {column} {cases} END"


# The fields of a new warning that ``raise_warnings`` fills, as SQL over the staged row ``s``
# and its clock ``c``; any other field takes its default.
RAISED = {
    "id": "s.wid",
    "clock_id": "s.clock_id",
    "level": "%s",
    "unit_id": "c.unit_id",
    "officer_id": "c.officer_id",
    "raised_on": "%s",
    "raised_at": "%s",
    "due_on": "s.due_on",
    "used_days": "s.used",
    "limit_days": "s.lim",
    "handle_by": "%s",
    "escalation": str(int(Escalation.OFFICER)),
}


def raise_warnings(
    rows: Sequence[tuple[int, int, str, int, int]],
    *,
    level: str,
    day: dt.date,
    handle_by: dt.date | None,
    reason: str,
    trace: Trace,
) -> None:
    """New warnings of ``level``, one per row (warning id, clock id, due date as
    ``YYYY-MM-DD``, used days, limit days), and their trace events."""
    if not rows:
        return
    values = {
        "level": level,
        "raised_on": connection.ops.adapt_datefield_value(day),
        "raised_at": trace.at,
        "handle_by": connection.ops.adapt_datefield_value(handle_by),
    }
    defaults = [
        (f.column, f.get_db_prep_save(f.get_default(), connection))
        for f in Warning._meta.concrete_fields
        if f.attname not in RAISED
    ]
    fields = {f.attname: f for f in Warning._meta.concrete_fields}
    columns = [*RAISED, *(column for column, _value in defaults)]
    selects = [_typed(fields[name]) if sql == "%s" else sql for name, sql in RAISED.items()] + [
        _typed(fields[column]) for column, _value in defaults
    ]
    params = [values[name] for name, sql in RAISED.items() if sql == "%s"]
    params += [value for _column, value in defaults]
    source = f"{{stage}} s JOIN {_name(Clock)} c ON c.id = s.clock_id"
    shape = [
        ("wid", "bigint"),
        ("clock_id", "bigint"),
        ("due_on", "date"),
        ("used", "integer"),
        ("lim", "integer"),
    ]
    with staged("raised", shape, rows) as stage, connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_name(Warning)} ({', '.join(map(connection.ops.quote_name, columns))}) "
            f"SELECT {', '.join(selects)} FROM {source.format(stage=stage)}",
            params,
        )
        # The officer is left out of the changes when the clock has none, like any empty field.
        for with_officer in (True, False):
            changes, change_params = _raised_changes(level, day, handle_by, trace, with_officer)
            trace.insert(
                cursor,
                Warning,
                source=source.format(stage=stage),
                name=(f"{_text()} || ' ' || c.subject", [str(Level(level).label)]),
                changes=(changes, change_params),
                action=AuditEvent.Action.CREATE,
                reason=reason,
                where=(f"WHERE c.officer_id IS {'NOT ' if with_officer else ''}NULL", []),
            )


def _raised_changes(
    level: str, day: dt.date, handle_by: dt.date | None, trace: Trace, with_officer: bool
) -> tuple[str, list[Any]]:
    """The ``changes`` JSON of new warnings as SQL (``{field: [null, value]}``), and its
    parameters."""
    present = {
        "clock": ("s.clock_id", None),
        "level": (_text(), level),
        "unit": ("c.unit_id", None),
        "officer": ("c.officer_id", None) if with_officer else None,
        "raised_on": (_text(), day.isoformat()),
        "raised_at": (_text(), trace.at_text),
        "due_on": ("CAST(s.due_on AS TEXT)", None),
        "used_days": ("s.used", None),
        "limit_days": ("s.lim", None),
        "handle_by": (_text(), handle_by.isoformat()) if handle_by else None,
        "escalation": (str(int(Escalation.OFFICER)), None),
    }
    pairs, params = [], []
    for field in audit.traced_fields(Warning):
        entry = present.get(field.name)
        if entry is None:
            continue
        expression, param = entry
        pairs.append((field.name, _json_array("NULL", expression)))
        if expression == _text():
            params.append(param)
    return _json_object(pairs), params


def clear_warnings(rows: Sequence[tuple[int, str]], *, trace: Trace) -> None:
    """Clear warnings (warning id, ``ClearReason``), each traced with its reason's label."""
    if not rows:
        return
    changes = _json_object(
        [
            ("cleared_at", _json_array("NULL", _text())),
            ("clear_reason", _json_array("''", "s.reason")),
        ]
    )
    with (
        staged("cleared", [("wid", "bigint"), ("reason", "text")], rows) as stage,
        connection.cursor() as cursor,
    ):
        cursor.execute(
            f"UPDATE {_name(Warning)} SET cleared_at = %s, clear_reason = s.reason "
            f"FROM {stage} s WHERE {_name(Warning)}.id = s.wid",
            [trace.at],
        )
        source = (
            f"{stage} s JOIN {_name(Warning)} w ON w.id = s.wid "
            f"JOIN {_name(Clock)} c ON c.id = w.clock_id"
        )
        for reason in sorted({reason for _wid, reason in rows}):
            trace.insert(
                cursor,
                Warning,
                source=source,
                name=(f"{_level_name('w.level')} || ' ' || c.subject", []),
                changes=(changes, [trace.at_text]),
                action=AuditEvent.Action.UPDATE,
                reason=str(ClearReason(reason).label),
                where=("WHERE s.reason = %s", [reason]),
            )


def escalate_warnings(
    rows: Sequence[tuple[int, int]], *, handle_by: dt.date, reason: str, trace: Trace
) -> None:
    """Red warnings gone up a level (warning id, new escalation), with a new deadline."""
    if not rows:
        return
    changes = _json_object(
        [
            ("escalation", _json_array("s.escalation - 1", "s.escalation")),
            ("escalated_at", _json_array("NULL", _text())),
            ("handle_by", _json_array("NULL", _text())),
        ]
    )
    by = connection.ops.adapt_datefield_value(handle_by)
    with (
        staged("escalated", [("wid", "bigint"), ("escalation", "integer")], rows) as stage,
        connection.cursor() as cursor,
    ):
        cursor.execute(
            f"UPDATE {_name(Warning)} SET escalation = s.escalation, escalated_at = %s, "
            f"handle_by = %s FROM {stage} s WHERE {_name(Warning)}.id = s.wid",
            [trace.at, by],
        )
        trace.insert(
            cursor,
            Warning,
            source=f"{stage} s JOIN {_name(Warning)} w ON w.id = s.wid "
            f"JOIN {_name(Clock)} c ON c.id = w.clock_id",
            name=(f"{_text()} || ' ' || c.subject", [str(Level.RED.label)]),
            changes=(changes, [trace.at_text, handle_by.isoformat()]),
            action=AuditEvent.Action.UPDATE,
            reason=reason,
        )


def update_levels(rows: Sequence[tuple[int, str, int, str]]) -> None:
    """The level, escalation and recheck day of clocks (clock id, level, escalation,
    ``YYYY-MM-DD``); not traced (``Clock`` excludes them from its trace: they follow from its
    dates and its warnings)."""
    if not rows:
        return
    shape = [("id", "bigint"), ("level", "text"), ("escalation", "integer"), ("recheck", "date")]
    with staged("levels", shape, rows) as stage, connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_name(Clock)} SET level = s.level, escalation = s.escalation, "
            f"recheck_on = s.recheck FROM {stage} s WHERE {_name(Clock)}.id = s.id"
        )


def set_aside_stopped(selection: Selection, far: dt.date) -> None:
    """The stopped clocks of ``selection`` are not read again: their warnings were cleared by
    this run, and nothing changes a stopped clock's level."""
    due, params = selection.recheck(_name(Clock))
    where = f"stopped_on IS NOT NULL AND {due} AND (recheck_on IS NULL OR recheck_on < %s)"
    far_value = connection.ops.adapt_datefield_value(far)
    params = [far_value, *params, far_value]
    with connection.cursor() as cursor:
        for chunk in chunks(selection.ids):
            sql = f"UPDATE {_name(Clock)} SET recheck_on = %s WHERE {where}"
            if chunk is not None:
                sql += f" AND id IN ({', '.join(['%s'] * len(chunk))})"
            cursor.execute(sql, [*params, *(chunk or ())])
