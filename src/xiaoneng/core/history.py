"""Trace events made readable: field labels, choice labels and related records by name."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from xiaoneng.core.models import AuditEvent


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class ReadableEvent:
    event: AuditEvent
    changes: list[Change]


def _display(field: models.Field | None, value: Any, names: dict[tuple[Any, str], str]) -> str:
    if value is None or value == "":
        return "—"
    if field is None:
        return str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return _("是") if value else _("否")
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        moment = parse_datetime(value)
        if moment is not None:
            return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"
    if field.is_relation and field.related_model is not None:
        return names.get((field.related_model, str(value)), str(value))
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if isinstance(value, float):
        return f"{value:.6f}".rstrip("0").rstrip(".")
    if isinstance(value, dict):
        return _geometry_summary(value)
    return str(value)


def _count_positions(coordinates: Any) -> int:
    if isinstance(coordinates, list) and coordinates and isinstance(coordinates[0], int | float):
        return 1
    if isinstance(coordinates, list):
        return sum(_count_positions(c) for c in coordinates)
    return 0


def _geometry_summary(value: dict[str, Any]) -> str:
    """A GeoJSON geometry as its type and size, not pages of coordinates."""
    if value.get("type") in {"Polygon", "MultiPolygon"}:
        vertices = _count_positions(value.get("coordinates"))
        return _("%(type)s，%(n)d 个顶点") % {"type": value["type"], "n": vertices}
    return json.dumps(value, ensure_ascii=False)[:200]


def readable(events: Iterable[AuditEvent], model: type[models.Model]) -> list[ReadableEvent]:
    """Each event with its changes labelled; related ids are looked up in one query per model."""
    events = list(events)
    fields = {f.name: f for f in model._meta.get_fields() if isinstance(f, models.Field)}
    wanted: dict[Any, set[str]] = {}
    for event in events:
        for name, pair in event.changes.items():
            field = fields.get(name)
            if field is not None and field.is_relation and field.related_model is not None:
                values = pair if isinstance(pair, list) else []
                for value in values:
                    for item in value if isinstance(value, list) else [value]:
                        if item not in (None, ""):
                            wanted.setdefault(field.related_model, set()).add(str(item))
    names: dict[tuple[Any, str], str] = {}
    for related, keys in wanted.items():
        for obj in related._default_manager.filter(pk__in=keys):
            names[(related, str(obj.pk))] = str(obj)
    result = []
    for event in events:
        changes = []
        for name, pair in event.changes.items():
            field = fields.get(name)
            label = str(field.verbose_name) if field is not None else name
            old, new = pair if isinstance(pair, list) and len(pair) == 2 else (None, pair)
            if isinstance(field, models.ManyToManyField):
                old_text = (
                    "、".join(names.get((field.related_model, str(v)), str(v)) for v in old or [])
                    or "—"
                )
                new_text = (
                    "、".join(names.get((field.related_model, str(v)), str(v)) for v in new or [])
                    or "—"
                )
            else:
                old_text, new_text = _display(field, old, names), _display(field, new, names)
            changes.append(Change(label, old_text, new_text))
        result.append(ReadableEvent(event, changes))
    return result
