"""Trace (痕迹): every create, change, archive and delete of a business record is kept.

A model joins the trace with the ``@traced()`` class decorator. Saves and deletes from any
path (page, API, CLI, admin) are then recorded from Django's model signals: recording is
infrastructure, like a database trigger, not a business rule (see docs/decisions/0002).
Bulk writes (imports, the demo) bypass signals and record with ``record_many``.

Who acted comes from the request (web, API, admin: set by ``AuditContextMiddleware``) or from
``acting_as`` (CLI commands, background jobs).
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar, cast

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.utils import timezone

from xiaoneng.core import bulk
from xiaoneng.core.actors import Actor
from xiaoneng.core.audit_context import AuditContext, current_context
from xiaoneng.core.audit_context import acting_as as acting_as  # callers say audit.acting_as
from xiaoneng.core.audit_context import attributed as attributed  # and audit.attributed
from xiaoneng.core.models import AuditEvent

M = TypeVar("M", bound=type[models.Model])

# Fields whose values are never written into the trace (only that they changed).
SECRET_FIELDS = frozenset({"password"})
HIDDEN = "******"


def jsonable(value: Any) -> Any:
    """A field value as it is kept in the trace's JSON."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    return value


_traced: dict[type[models.Model], tuple[models.Field, ...]] = {}


def traced_fields(model: type[models.Model]) -> tuple[models.Field, ...]:
    return _traced[model]


def is_traced(model: type[models.Model]) -> bool:
    return model in _traced


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The traced field values of an instance, keyed by field name."""
    return {f.name: jsonable(getattr(instance, f.attname)) for f in _traced[type(instance)]}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for each field whose value differs; secrets are masked."""
    changes: dict[str, list[Any]] = {}
    for name, new in after.items():
        old = before.get(name)
        if old != new:
            changes[name] = [HIDDEN, HIDDEN] if name in SECRET_FIELDS else [old, new]
    return changes


def _event(
    instance: models.Model,
    action: str,
    changes: dict[str, Any],
    reason: str = "",
    context: AuditContext | None = None,
    at: dt.datetime | None = None,
) -> AuditEvent:
    context = context or current_context()
    actor = context.resolve_actor()
    return AuditEvent(
        at=at or timezone.now(),
        # The column is AUTH_USER_MODEL: org's Officer, which core may not name (core.actors).
        actor=cast(Any, actor),
        actor_name=_actor_name(actor),
        source=context.source,
        content_type=ContentType.objects.get_for_model(type(instance), for_concrete_model=False),
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        action=action,
        changes=changes,
        reason=reason,
    )


def _actor_name(actor: Actor | None) -> str:
    if actor is None:
        return ""
    name = getattr(actor, "name", "") or actor.get_username()
    return str(name)[:150]


def record(
    instance: models.Model,
    *,
    action: str,
    changes: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    """Record one event for ``instance`` now, attributed to the current actor."""
    event = _event(instance, action, changes or {}, reason)
    event.save()
    return event


def record_many(
    items: Iterable[tuple[models.Model, str, dict[str, Any]]],
    *,
    reason: str = "",
    source: str | None = None,
    at: dt.datetime | None = None,
) -> int:
    """Record ``(instance, action, changes)`` events in bulk (imports, batch jobs).

    Written with plain INSERTs (core.bulk), one statement per batch per model.
    """
    context = current_context()
    actor = context.resolve_actor()
    source = source or context.source
    when = at or timezone.now()
    groups: dict[type[models.Model], list[tuple[models.Model, str, dict[str, Any]]]] = {}
    for item in items:
        groups.setdefault(type(item[0]), []).append(item)
    for model, events in groups.items():
        columns = event_columns(
            model,
            object_ids=[obj.pk for obj, _a, _c in events],
            reprs=[str(obj) for obj, _a, _c in events],
            changes=[changes for _o, _a, changes in events],
            action=[action for _o, action, _c in events],
            at=when,
            actor=actor,
            source=source,
            reason=reason,
        )
        bulk.insert(AuditEvent, columns, len(events))
    return sum(len(events) for events in groups.values())


def event_columns(
    model: type[models.Model],
    *,
    object_ids: Sequence[Any],
    reprs: Sequence[str],
    changes: Sequence[dict[str, Any]],
    action: str | Sequence[str],
    at: dt.datetime | Sequence[dt.datetime],
    actor: Actor | None,
    source: str,
    reason: str | Sequence[str] = "",
    actor_ids: Sequence[int | None] | None = None,
    actor_names: Sequence[str] | None = None,
) -> dict[str, list[Any]]:
    """The columns of trace events for ``core.bulk.insert``; scalars apply to every row.

    ``actor_ids`` and ``actor_names`` give each row its own actor (historic events).
    """
    count = len(object_ids)

    def column(value: Any) -> list[Any]:
        return list(value) if isinstance(value, list | tuple) else [value] * count

    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    return {
        "at": column(at),
        "actor_id": list(actor_ids)
        if actor_ids is not None
        else column(getattr(actor, "pk", None)),
        "actor_name": list(actor_names) if actor_names is not None else column(_actor_name(actor)),
        "source": column(source),
        "content_type_id": column(content_type.pk),
        "object_id": [str(pk) for pk in object_ids],
        "object_repr": [text[:200] for text in reprs],
        "action": column(action),
        "changes": list(changes),
        "reason": column(reason),
    }


def changes_from_columns(
    model: type[models.Model], columns: Mapping[str, Sequence[Any]], count: int
) -> list[dict[str, list[Any]]]:
    """``created_changes`` of ``count`` new rows given as columns ``{attname: values}``."""
    present = []
    for field in _traced[model]:
        values = columns.get(field.attname)
        if values is None:
            continue
        if field.name in SECRET_FIELDS:
            values = [HIDDEN] * count
        elif any(not isinstance(v, str | int | float | None) for v in values):
            values = [jsonable(v) for v in values]
        present.append((field.name, values))
    names = [name for name, _values in present]
    rows: list[dict[str, Any]] = (
        [
            {
                # (old, new) as a tuple: stored as the same JSON array, built far cheaper.
                name: (None, value)
                for name, value in zip(names, row, strict=True)
                if value is not None and value != ""
            }
            for row in zip(*(values for _name, values in present), strict=True)
        ]
        if present
        else [{} for _ in range(count)]
    )
    return rows


def created_changes(instance: models.Model) -> dict[str, list[Any]]:
    """The ``{field: [None, value]}`` record of a new instance's non-empty values."""
    return diff({}, {k: v for k, v in snapshot(instance).items() if v not in (None, "")})


def history(instance: models.Model) -> models.QuerySet[AuditEvent]:
    """The trace of one record, newest first."""
    content_type = ContentType.objects.get_for_model(type(instance), for_concrete_model=False)
    return AuditEvent.objects.filter(
        content_type=content_type, object_id=str(instance.pk)
    ).select_related("actor")


def set_reason(instance: models.Model, reason: str, action: str | None = None) -> None:
    """Attach a reason (and optionally an action such as archive) to the instance's next save."""
    instance._audit_reason = reason  # type: ignore[attr-defined]
    if action:
        instance._audit_action = action  # type: ignore[attr-defined]


def _before_save(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if instance._state.adding or instance.pk is None or kwargs.get("raw"):
        instance._audit_before = None  # type: ignore[attr-defined]
        return
    names = [f.attname for f in _traced[sender]]
    row = sender._base_manager.filter(pk=instance.pk).values(*names).first()
    if row is None:
        instance._audit_before = None  # type: ignore[attr-defined]
        return
    by_attname = {f.attname: f.name for f in _traced[sender]}
    instance._audit_before = {by_attname[k]: jsonable(v) for k, v in row.items()}  # type: ignore[attr-defined]


def _after_save(
    sender: type[models.Model], instance: models.Model, created: bool, **kwargs: Any
) -> None:
    if kwargs.get("raw"):
        return
    before = getattr(instance, "_audit_before", None)
    if created or before is None:
        action, changes = AuditEvent.Action.CREATE, created_changes(instance)
    else:
        action, changes = AuditEvent.Action.UPDATE, diff(before, snapshot(instance))
    action = getattr(instance, "_audit_action", None) or action
    reason = getattr(instance, "_audit_reason", "")
    if changes or reason:
        record(instance, action=action, changes=changes, reason=reason)
    for attribute in ("_audit_before", "_audit_action", "_audit_reason"):
        instance.__dict__.pop(attribute, None)


def _after_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    changes = {
        name: [HIDDEN if name in SECRET_FIELDS else old, None]
        for name, old in snapshot(instance).items()
        if old not in (None, "")
    }
    record(
        instance,
        action=AuditEvent.Action.DELETE,
        changes=changes,
        reason=getattr(instance, "_audit_reason", ""),
    )


def _m2m_values(instance: models.Model, field_name: str) -> list[str]:
    return sorted(str(pk) for pk in getattr(instance, field_name).values_list("pk", flat=True))


def _connect_m2m(model: type[models.Model], field: models.ManyToManyField) -> None:
    through = field.remote_field.through

    def changed(sender: Any, instance: models.Model, action: str, reverse: bool, **kw: Any) -> None:
        if reverse or not isinstance(instance, model):
            return
        if action in {"pre_add", "pre_remove", "pre_clear"}:
            instance.__dict__[f"_audit_m2m_{field.name}"] = _m2m_values(instance, field.name)
        elif action in {"post_add", "post_remove", "post_clear"}:
            before = instance.__dict__.pop(f"_audit_m2m_{field.name}", [])
            after = _m2m_values(instance, field.name)
            if before != after:
                record(
                    instance, action=AuditEvent.Action.UPDATE, changes={field.name: [before, after]}
                )

    m2m_changed.connect(changed, sender=through, weak=False, dispatch_uid=f"audit-m2m-{through}")


def traced(*, exclude: Iterable[str] = ()) -> Callable[[M], M]:
    """Class decorator: record every save and delete of this model in the trace."""
    excluded = set(exclude)

    def register(model: M) -> M:
        fields = tuple(
            f
            for f in model._meta.concrete_fields
            if not f.primary_key and f.name not in excluded and not getattr(f, "auto_now", False)
        )
        _traced[model] = fields
        uid = f"audit-{model._meta.label_lower}"
        pre_save.connect(_before_save, sender=model, weak=False, dispatch_uid=f"{uid}-pre")
        post_save.connect(_after_save, sender=model, weak=False, dispatch_uid=f"{uid}-post")
        post_delete.connect(_after_delete, sender=model, weak=False, dispatch_uid=f"{uid}-del")
        for m2m in model._meta.local_many_to_many:
            if m2m.name not in excluded:
                _connect_m2m(model, m2m)
        return model

    return register
