"""The figures of complaints and reports (docs/timeliness/complaints.md defines each once);
the stats page, its XLSX, the API and the bulletin all call ``complaint_figures``.

Every figure counts the complaints and reports *received* in the period (``received_on`` in
[start, end]) among those given (already scoped to the user's units).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, QuerySet, Sum

from xiaoneng.timeliness.clocks.models import Clock, ClockKind, SubjectType
from xiaoneng.timeliness.complaints.models import Channel, Complaint, Topic
from xiaoneng.timeliness.complaints.repeated import FOUNDED

S = Complaint.Status
TOP_ENTITIES = 10


@dataclass(frozen=True)
class Row:
    """One line of a breakdown: its key (a code), its label and its count."""

    key: str
    label: str
    count: int


@dataclass
class Figures:
    start: dt.date
    end: dt.date
    total: int = 0
    complaints: int = 0
    reports: int = 0
    by_kind: list[Row] = field(default_factory=list)
    by_channel: list[Row] = field(default_factory=list)
    by_topic: list[Row] = field(default_factory=list)
    by_unit: list[Row] = field(default_factory=list)
    top_entities: list[Row] = field(default_factory=list)
    # 投诉 decided (accepted or refused), and of those decided within the 7 working days.
    decided: int = 0
    decided_in_time: int = 0
    accepted: int = 0
    refused: int = 0
    agreed: int = 0
    terminated: int = 0
    amount_recovered: Decimal = Decimal("0.00")
    founded: int = 0
    reports_decided: int = 0
    reports_filed: int = 0

    @property
    def in_time_rate(self) -> Decimal | None:
        """按时受理率 = decided within 7 working days / decided (None when none decided)."""
        return _rate(self.decided_in_time, self.decided)

    @property
    def mediation_rate(self) -> Decimal | None:
        """调解成功率 = agreed / (agreed + terminated)."""
        return _rate(self.agreed, self.agreed + self.terminated)


def _rate(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def _rows(rows: QuerySet[Any], key: str, labels: dict[str, Any]) -> list[Row]:
    found = [Row(r[key] or "", str(labels.get(r[key], r[key] or "—")), r["n"]) for r in rows]
    return sorted(found, key=lambda r: (-r.count, r.key))


def complaint_figures(complaints: QuerySet[Complaint], start: dt.date, end: dt.date) -> Figures:
    """The figures of the complaints and reports of ``complaints`` received in [start, end]."""
    period = complaints.filter(received_on__gte=start, received_on__lte=end).order_by()
    figures = Figures(start=start, end=end)
    figures.by_kind = _rows(
        period.values("kind").annotate(n=Count("id")), "kind", dict(Complaint.Kind.choices)
    )
    kinds = {r.key: r.count for r in figures.by_kind}
    figures.complaints = kinds.get(Complaint.Kind.COMPLAINT, 0)
    figures.reports = kinds.get(Complaint.Kind.REPORT, 0)
    figures.total = figures.complaints + figures.reports
    figures.by_channel = _rows(
        period.values("channel").annotate(n=Count("id")), "channel", dict(Channel.choices)
    )
    figures.by_topic = _rows(
        period.values("topic").annotate(n=Count("id")), "topic", dict(Topic.choices)
    )
    units = period.values("unit__code", "unit__name").annotate(n=Count("id"))
    figures.by_unit = sorted(
        (Row(u["unit__code"], u["unit__name"], u["n"]) for u in units),
        key=lambda r: (-r.count, r.key),
    )
    entities = (
        period.filter(entity__isnull=False)
        .values("entity__uscc", "entity__name")
        .annotate(n=Count("id"))
        .order_by("-n", "entity__uscc")[:TOP_ENTITIES]
    )
    figures.top_entities = [Row(e["entity__uscc"], e["entity__name"], e["n"]) for e in entities]
    own = period.filter(kind=Complaint.Kind.COMPLAINT)
    in_time = Clock.objects.filter(
        subject_type=SubjectType.COMPLAINT,
        subject_id=OuterRef("pk"),
        kind=ClockKind.COMPLAINT_ACCEPT,
        stopped_on__isnull=False,
        stopped_on__lte=F("due_on"),
    )
    decided = own.filter(accepted_on__isnull=False)
    figures.decided = decided.count()
    figures.decided_in_time = decided.filter(Exists(in_time)).count()
    figures.refused = own.filter(status=S.REFUSED).count()
    figures.accepted = figures.decided - figures.refused
    figures.agreed = own.filter(status=S.AGREED).count()
    figures.terminated = own.filter(
        ended_on__isnull=False, status__in=(S.TERMINATED, S.CLOSED)
    ).count()
    total = period.aggregate(total=Sum("amount_recovered"))["total"]
    figures.amount_recovered = (total or Decimal(0)).quantize(Decimal("0.01"))
    figures.founded = period.filter(founded__in=FOUNDED).count()
    reports = period.filter(kind=Complaint.Kind.REPORT, ended_on__isnull=False)
    figures.reports_decided = reports.count()
    figures.reports_filed = reports.filter(case__isnull=False).count()
    return figures
