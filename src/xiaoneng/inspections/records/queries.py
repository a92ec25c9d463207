"""Lists of inspection records: the filters the page and the API share."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from xiaoneng.core.pages import parse_day
from xiaoneng.inspections.checklists.models import InspectionKind
from xiaoneng.inspections.records.models import Inspection, InspectionOfficer, TraceFlag
from xiaoneng.org.models import Officer, Unit
from xiaoneng.registry.models import Entity
from xiaoneng.registry.queries import search_condition


def with_member(queryset: QuerySet[Inspection], officer: Officer) -> QuerySet[Inspection]:
    """The records of ``queryset`` whose team holds ``officer``."""
    team = InspectionOfficer.objects.filter(inspection=OuterRef("pk"), officer_id=officer.pk)
    return queryset.filter(Exists(team))


@dataclass
class InspectionFilter:
    """What a list of inspections is filtered by (page and API); empty values do not filter."""

    unit: str = ""  # a unit's code: its whole subtree
    officer: str = ""  # a username: records whose team holds them
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    origin: str = ""
    kind: str = ""
    status: str = ""
    failed: bool = False  # signed with at least one failed item
    q: str = ""  # the entity's USCC (or its beginning) or a part of its name

    @classmethod
    def from_params(cls, params: Any) -> InspectionFilter:
        """Build from a QueryDict of strings; a value that cannot filter is dropped."""
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = str(params.get(f.name) or "").strip()
            if not raw:
                continue
            if f.name in {"date_from", "date_to"}:
                values[f.name] = parse_day(raw)
            elif f.name == "failed":
                values[f.name] = raw.lower() in {"1", "true", "on", "yes"}
            else:
                values[f.name] = raw
        return cls(**values)

    def apply(self, queryset: QuerySet[Inspection]) -> QuerySet[Inspection]:
        """``queryset`` narrowed by every filter that is set."""
        if self.unit:
            unit = Unit.objects.filter(code=self.unit).first()
            ids = Unit.objects.subtree(unit) if unit else Unit.objects.none()
            queryset = queryset.filter(unit_id__in=ids.values("id"))
        if self.officer:
            team = InspectionOfficer.objects.filter(
                inspection=OuterRef("pk"), officer__username=self.officer
            )
            queryset = queryset.filter(Exists(team))
        if self.date_from:
            queryset = queryset.filter(visited_on__gte=self.date_from)
        if self.date_to:
            queryset = queryset.filter(visited_on__lte=self.date_to)
        for name, choices in (
            ("origin", Inspection.Origin.values),
            ("kind", InspectionKind.values),
            ("status", Inspection.Status.values),
        ):
            value = getattr(self, name)
            if value in choices:
                queryset = queryset.filter(**{name: value})
        if self.failed:
            queryset = queryset.filter(items_failed__gt=0)
        if self.q:
            entities = Entity.objects.filter(search_condition(self.q)).values("id")
            queryset = queryset.filter(entity_id__in=entities)
        return queryset

    def active(self) -> dict[str, Any]:
        """The filters in use, for links that keep them (pagination)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}


def inspection_content(inspection: Inspection) -> dict[str, Any]:
    """What a reviewer reads of a record: its team, results, photos and flags."""
    return {
        "inspection": inspection,
        "team": inspection.team.select_related("officer").order_by("id"),
        "results": inspection.results.select_related("item").order_by("item__position"),
        "attachments": inspection.attachments.order_by("id"),
        "record_flags": TraceFlag.objects.filter(inspection=inspection).order_by("kind"),
    }
