"""Entries as plain rows for the efficiency figures: a hundred thousand entries read as tuples
and made into small objects cost a fraction of what as many model instances do. A row answers
what the figures read of an entry (``outputs``, ``efficiency``, ``flags``) by the same names as
``LedgerEntry``, so either can be given to them (``Entry``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from xiaoneng.org.models import Unit
from xiaoneng.reports.ledger.models import ActivityKind, LedgerEntry


@dataclass(frozen=True, slots=True)
class UnitRef:
    """What the figures read of an entry's unit."""

    pk: int
    code: str
    name: str
    kind: str


@dataclass(slots=True)
class EntryRow:
    """An entry's unit, activity and inputs."""

    pk: int
    unit: UnitRef
    kind: str
    officer_id: int | None
    campaign_id: int | None
    case_id: int | None
    draw_id: int | None
    title: str
    started_on: dt.date
    ended_on: dt.date
    officers: int
    person_hours: Decimal
    vehicles: int
    kilometres: Decimal
    money: Decimal

    @property
    def unit_id(self) -> int:
        return self.unit.pk

    def get_kind_display(self) -> str:
        return str(ActivityKind(self.kind).label)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_on:%Y-%m-%d} {self.title}".strip()


Entry = LedgerEntry | EntryRow

COLUMNS = (
    "pk", "unit_id", "kind", "officer_id", "campaign_id", "case_id", "draw_id", "title",
    "started_on", "ended_on", "officers", "person_hours", "vehicles", "kilometres", "money",
)  # fmt: skip


def rows_of(entries: QuerySet[LedgerEntry]) -> list[EntryRow]:
    """The entries as rows, their units read once."""
    units = {
        pk: UnitRef(pk, code, name, kind)
        for pk, code, name, kind in Unit.objects.values_list("pk", "code", "name", "kind")
    }
    return [
        EntryRow(pk, units[unit], *rest)
        for pk, unit, *rest in entries.values_list(*COLUMNS).iterator(chunk_size=10_000)
    ]
