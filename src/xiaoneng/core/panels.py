"""Panels: what a later domain adds to an earlier domain's pages (ADR 0012).

Modelled on NetBox's ``PluginTemplateExtension``. An earlier template carries one tag per
slot — ``{% panels "right" task %}`` — and never names a later domain's URL, model or status.
A later domain subclasses ``Panel`` for the earlier model, decides inside it, with its own
access checks, whether anything shows, and registers it from its ``AppConfig.ready()``.

A ``Column`` does the same for a table of an earlier model's rows (NetBox's
``register_table_column``): its values come in one query for the whole table. A link
(``register_link``) says where a later domain's action leads for an earlier record, for an
API that must name it (the case form of a failed sample).

The registry lives in ``core``, the lowest layer, so that every domain may import it; the
template tags are in ``core/templatetags/panels.py``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.contrib.auth.models import AnonymousUser
from django.db.models import Model
from django.http import HttpRequest
from django.template.loader import render_to_string

# The places of a page a panel may fill. A page need not offer every slot.
SLOTS = (
    "alerts",  # notices above the page's heading
    "buttons",  # actions beside the page's (or a row's) own buttons
    "stats",  # figures beside the page's own figures
    "left",  # cards of the left column
    "right",  # cards of the right column
    "full",  # full-width cards under the page
)


class Panel:
    """Content a later domain adds to the pages of one or more earlier models.

    Subclasses name the models (``models = ("planning.task",)``) and override the slots they
    fill; each slot returns HTML, usually through ``self.render``, or "" for nothing.
    """

    models: ClassVar[tuple[str, ...]] = ()

    def __init__(self, obj: Model, request: HttpRequest | None) -> None:
        self.object = obj
        self.request = request

    @property
    def user(self) -> Any:
        """The user the page is rendered for (anonymous without a request)."""
        return getattr(self.request, "user", None) or AnonymousUser()

    def render(self, template_name: str, extra_context: Mapping[str, Any] | None = None) -> str:
        """``template_name`` with ``object`` and ``extra_context``, rendered for the request
        (so that ``csrf_token`` and the user are there, as on the page itself)."""
        context = {"object": self.object, **(extra_context or {})}
        # Stripped: the panel sits inside the page's own markup, as if written there.
        return render_to_string(template_name, context, request=self.request).strip()

    def alerts(self) -> str:
        return ""

    def buttons(self) -> str:
        return ""

    def stats(self) -> str:
        return ""

    def left(self) -> str:
        return ""

    def right(self) -> str:
        return ""

    def full(self) -> str:
        return ""


class Column(ABC):
    """A column a later domain adds to an earlier domain's tables of ``models`` rows.

    ``values`` answers for every row at once (one query for the table, never one per row);
    ``link`` is where a cell leads ("" for plain text).
    """

    models: ClassVar[tuple[str, ...]] = ()
    name: ClassVar[str] = ""  # the value's key, e.g. in an API's properties
    header: ClassVar[Any] = ""  # the column's title (lazily translated)
    # What kind of figure it is, for a map that colours rows by it (the grid map):
    # "count": a number of the row's entities (coloured as a share of them);
    # "rate": a proportion from 0 to 1, higher is worse (coloured as it is);
    # "score": a score from 0 to 100, lower is worse (coloured in fixed bands).
    scale: ClassVar[str] = "count"

    def applies(self) -> bool:
        """Whether the column shows at all (a later domain with nothing to say yet: False)."""
        return True

    @abstractmethod
    def values(self, rows: Sequence[Model]) -> Mapping[Any, Any]:
        """Each row's value, by primary key."""

    def link(self, row: Model) -> str:
        """Where the row's cell leads; "" for none."""
        return ""


@dataclass
class FilledColumn:
    """A registered column with its values for one table's rows."""

    column: Column
    values: Mapping[Any, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.column.name

    @property
    def header(self) -> Any:
        return self.column.header

    @property
    def scale(self) -> str:
        return self.column.scale

    def value(self, row: Model) -> Any:
        """The row's value: for a row the column has no value for, 0 entities of a count, and
        None ("no data", never 0) for a rate or a score."""
        return self.values.get(row.pk, 0 if self.column.scale == "count" else None)

    def link(self, row: Model) -> str:
        return self.column.link(row)


_panels: dict[str, list[type[Panel]]] = {}
_columns: dict[str, list[type[Column]]] = {}
_links: dict[tuple[str, str], Callable[[Any], str]] = {}


def register(extension: type[Panel] | type[Column]) -> Any:
    """Register a ``Panel`` or ``Column`` class for its models (usable as a decorator).

    Registering the same class twice changes nothing, so a ``ready()`` run again is harmless.
    """
    if not extension.models:
        raise ValueError(f"{extension.__name__} names no models")
    registry: dict[str, list[Any]] = _panels if issubclass(extension, Panel) else _columns
    for label in extension.models:
        if label != label.lower() or label.count(".") != 1:
            raise ValueError(f"{extension.__name__}: not a model label: {label!r}")
        found = registry.setdefault(label, [])
        if extension not in found:
            found.append(extension)
    return extension


def unregister(extension: type[Panel] | type[Column]) -> None:
    """Take a class out of the registry again (tests register their own)."""
    registry: dict[str, list[Any]] = _panels if issubclass(extension, Panel) else _columns
    for found in registry.values():
        if extension in found:
            found.remove(extension)


def label_of(obj: Model | type[Model]) -> str:
    """The registry key of a model or record: its lower-case label, e.g. ``planning.task``."""
    return obj._meta.label_lower


def panels_for(label: str) -> list[type[Panel]]:
    """The panel classes registered for the model ``label``, in registration order."""
    return list(_panels.get(label, ()))


def render_slot(slot: str, obj: Any, request: HttpRequest | None) -> str:
    """What every panel registered for ``obj``'s model puts in ``slot``, joined."""
    if slot not in SLOTS:
        raise ValueError(f"unknown panel slot {slot!r}; the slots are {', '.join(SLOTS)}")
    if not isinstance(obj, Model):
        return ""  # a missing template variable comes as "": nothing to add to
    parts = (getattr(panel(obj, request), slot)() for panel in panels_for(label_of(obj)))
    return "".join(part for part in parts if part)


def columns_for(label: str, rows: Iterable[Model]) -> list[FilledColumn]:
    """The columns registered for the model ``label``, each with its values for ``rows``."""
    classes = _columns.get(label, ())
    if not classes:
        return []
    rows = list(rows)
    filled = []
    for column_class in classes:
        column = column_class()
        if column.applies():
            filled.append(FilledColumn(column, column.values(rows) if rows else {}))
    return filled


def register_link(label: str, name: str, url: Callable[[Any], str]) -> None:
    """Say where the action ``name`` (e.g. ``open_case``) leads for a record of ``label``."""
    _links[(label, name)] = url


def link(obj: Model, name: str) -> str:
    """Where a later domain's action ``name`` leads for ``obj``; "" when none offers it."""
    url = _links.get((label_of(obj), name))
    return url(obj) if url is not None else ""
