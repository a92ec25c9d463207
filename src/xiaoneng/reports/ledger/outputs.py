"""What each ledger entry yielded, computed from the records (篇5: 与获取的收益进行比对): never
typed in. ``outputs(entries)`` answers every entry at once with a few queries, whatever their
number; ``attribute(entries)`` names the inspections and cases behind each figure.

Which records are an entry's (docs/ledger.md, "Outputs"):

- patrol day: the signed inspections (not amendments) the officer led on that day in the
  entry unit's subtree, other than campaign and draw visits (those are their activities');
- campaign, draw: the signed inspections of the activity — a campaign's are those of its
  plan's tasks; a draw's, the draw visits of its drawn entities from the day it was drawn to
  its end — each given to one entry of that activity: the deepest whose unit's subtree holds
  the inspection's unit, else the entry of the unit that organised the activity;
- case: the case itself.

Then for the inspections: their findings, the rectification orders of those findings now
rectified, and the cases filed (not withdrawn) on them, on their findings or orders. A case
with its own case entry counts there — with its fines collected (罚没款入库) and its lines of
confiscated goods — and not again for the inspection it arose from, so no figure is counted
twice in a total.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, OuterRef, QuerySet, Subquery, Sum
from django.utils import timezone

from xiaoneng.cases.models import Case, Collection, ConfiscatedGoods
from xiaoneng.core.bulk import of_ids
from xiaoneng.inspections.models import Finding, Inspection, Rectification
from xiaoneng.org.models import Unit
from xiaoneng.planning.draws.models import DrawSelection, RandomDraw
from xiaoneng.planning.patrol.models import Campaign
from xiaoneng.reports.ledger.models import ActivityKind, LedgerEntry
from xiaoneng.reports.ledger.rows import Entry

ZERO = Decimal("0.00")
ACTIVITY_ORIGINS = (Inspection.Origin.CAMPAIGN, Inspection.Origin.DRAW)


@dataclass
class Outputs:
    """What an entry (or a group of entries) yielded."""

    inspections: int = 0
    findings: int = 0
    rectified: int = 0
    cases: int = 0
    fines: Decimal = ZERO
    goods: int = 0  # lines of confiscated goods (each with its own measure, never added up)

    def add(self, other: Outputs) -> None:
        self.inspections += other.inspections
        self.findings += other.findings
        self.rectified += other.rectified
        self.cases += other.cases
        self.fines += other.fines
        self.goods += other.goods


@dataclass
class Attribution:
    """The inspections and cases behind each entry's figures, by entry id."""

    inspections: dict[int, list[int]] = field(default_factory=dict)
    cases: dict[int, list[int]] = field(default_factory=dict)
    owner: dict[int, int] = field(default_factory=dict)  # inspection → entry


def _signed() -> QuerySet[Inspection]:
    return Inspection.objects.filter(status=Inspection.Status.SIGNED, amends__isnull=True)


def _inside(paths: dict[int, str], unit_id: int, record_unit_id: int) -> bool:
    """Whether the record's unit lies in the subtree of ``unit_id``."""
    return paths.get(record_unit_id, "").startswith(paths.get(unit_id, "\0"))


def _patrol(entries: Sequence[Entry], paths: dict[int, str]) -> dict[int, list[int]]:
    """Each patrol day's inspections. The database pairs each visit with the patrol day of its
    officer and date (the unique index of ``ledger_patrol_day_once``), so only ids travel."""
    found: dict[int, list[int]] = defaultdict(list)
    if not entries:
        return found
    units = {e.pk: e.unit_id for e in entries}
    officers = {e.officer_id for e in entries if e.officer_id is not None}
    days = [e.started_on for e in entries]
    day = LedgerEntry.objects.filter(
        kind=ActivityKind.PATROL_DAY,
        officer_id=OuterRef("lead_officer_id"),
        started_on=OuterRef("visited_on"),
    ).values("pk")[:1]
    rows = (
        of_ids(
            _signed().filter(visited_on__range=(min(days), max(days))), "lead_officer_id", officers
        )
        .exclude(origin__in=ACTIVITY_ORIGINS)
        .annotate(entry=Subquery(day))
        .filter(entry__isnull=False)
        .values_list("id", "entry", "unit_id")
    )
    for pk, entry, unit in rows:
        if entry in units and _inside(paths, units[entry], unit):
            found[entry].append(pk)
    return found


def _share(
    inspections: Iterable[tuple[int, int, int]],
    entries: dict[int, list[tuple[int, int]]],
    organisers: dict[int, int],
    paths: dict[int, str],
) -> dict[int, list[int]]:
    """Each ``(inspection, activity, unit)`` given to one entry of its activity: the deepest
    whose unit's subtree holds the unit, else the organising unit's entry."""
    found: dict[int, list[int]] = defaultdict(list)
    for pk, activity, unit in inspections:
        candidates = entries.get(activity, [])
        holding = [(len(paths.get(u, "")), e) for u, e in candidates if _inside(paths, u, unit)]
        if holding:
            found[max(holding)[1]].append(pk)
            continue
        organiser = next((e for u, e in candidates if u == organisers.get(activity)), None)
        if organiser is not None:
            found[organiser].append(pk)
    return found


def _activity_entries(kind: str, ids: set[int]) -> dict[int, list[tuple[int, int]]]:
    """Every entry of these activities (not only those asked about), so that a filtered list
    shares the inspections as the whole ledger does."""
    entries: dict[int, list[tuple[int, int]]] = defaultdict(list)
    rows = LedgerEntry.objects.filter(kind=kind, **{f"{kind}_id__in": ids})
    for activity, unit, pk in rows.values_list(f"{kind}_id", "unit_id", "id"):
        entries[activity].append((unit, pk))
    return entries


def _campaigns(entries: Sequence[Entry], paths: dict[int, str]) -> dict[int, list[int]]:
    ids = {e.campaign_id for e in entries if e.campaign_id is not None}
    if not ids:
        return {}
    campaigns = Campaign.objects.filter(id__in=ids).values_list("id", "plan_id", "unit_id")
    plan_of = {plan: pk for pk, plan, _unit in campaigns}
    organisers = {pk: unit for pk, _plan, unit in campaigns}
    rows = (
        _signed()
        .filter(task__plan_id__in=list(plan_of))
        .values_list("id", "task__plan_id", "unit_id")
    )
    visits = ((pk, plan_of[plan], unit) for pk, plan, unit in rows)
    return _share(visits, _activity_entries(ActivityKind.CAMPAIGN, ids), organisers, paths)


def _draws(entries: Sequence[Entry], paths: dict[int, str]) -> dict[int, list[int]]:
    ids = {e.draw_id for e in entries if e.draw_id is not None}
    if not ids:
        return {}
    windows: dict[int, tuple[dt.date, dt.date]] = {}
    organisers: dict[int, int] = {}
    for pk, unit, drawn_at, end in RandomDraw.objects.filter(
        id__in=ids, drawn_at__isnull=False
    ).values_list("id", "unit_id", "drawn_at", "inspections_end"):
        windows[pk] = (timezone.localdate(drawn_at), end)
        organisers[pk] = unit
    if not windows:
        return {}
    drawn: dict[int, list[int]] = defaultdict(list)  # entity → draws
    for draw, entity in DrawSelection.objects.filter(draw_id__in=list(windows)).values_list(
        "draw_id", "entity_id"
    ):
        drawn[entity].append(draw)
    first = min(w[0] for w in windows.values())
    last = max(w[1] for w in windows.values())
    rows = of_ids(
        _signed().filter(origin=Inspection.Origin.DRAW, visited_on__range=(first, last)),
        "entity_id",
        set(drawn),
    ).values_list("id", "entity_id", "visited_on", "unit_id")
    visits = [
        (pk, draw, unit)
        for pk, entity, day, unit in rows
        for draw in drawn.get(entity, [])
        if windows[draw][0] <= day <= windows[draw][1]
    ]
    return _share(visits, _activity_entries(ActivityKind.DRAW, ids), organisers, paths)


def _case_owners(case_ids: set[int]) -> dict[int, int]:
    """Case → the case entry its figures go to: the one of the case's own unit, else the
    earliest registered."""
    owners: dict[int, tuple[bool, int]] = {}
    rows = of_ids(LedgerEntry.objects.filter(kind=ActivityKind.CASE), "case_id", case_ids)
    for case, unit, case_unit, pk in rows.values_list("case_id", "unit_id", "case__unit_id", "id"):
        if case not in case_ids:
            continue
        rank = (unit != case_unit, pk)
        if case not in owners or rank < owners[case]:
            owners[case] = rank
    return {case: rank[1] for case, rank in owners.items()}


def _arising(inspection_ids: set[int]) -> dict[int, int]:
    """Cases filed (not withdrawn) on these inspections, their findings or orders: case →
    the inspection it arose from."""
    if not inspection_ids:
        return {}
    filed = Case.objects.filter(filed_on__isnull=False).exclude(status=Case.Status.WITHDRAWN)
    found: dict[int, int] = {}
    for path in ("inspection_id", "finding__inspection_id", "rectification__inspection_id"):
        rows = of_ids(filed.filter(**{f"{path}__isnull": False}), path, inspection_ids)
        for case, inspection in rows.values_list("id", path):
            if inspection in inspection_ids:
                found.setdefault(case, inspection)
    return found


def attribute(entries: Sequence[Entry]) -> Attribution:
    """The inspections and the cases each entry's figures are made of."""
    paths = dict(Unit.objects.values_list("id", "path"))
    by_kind: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        by_kind[entry.kind].append(entry)
    inspections = _patrol(by_kind[ActivityKind.PATROL_DAY], paths)
    asked = {e.pk for e in entries}
    for shared in (
        _campaigns(by_kind[ActivityKind.CAMPAIGN], paths),
        _draws(by_kind[ActivityKind.DRAW], paths),
    ):
        inspections.update((pk, ids) for pk, ids in shared.items() if pk in asked)
    owner_of = {i: pk for pk, ids in inspections.items() for i in ids}
    arising = _arising(set(owner_of))
    own_cases = {e.case_id for e in by_kind[ActivityKind.CASE] if e.case_id is not None}
    owners = _case_owners(own_cases | set(arising))
    cases: dict[int, list[int]] = defaultdict(list)
    for case, inspection in arising.items():
        if case not in owners:
            cases[owner_of[inspection]].append(case)
    for case, pk in owners.items():
        if pk in asked:
            cases[pk].append(case)
    return Attribution(dict(inspections), dict(cases), owner_of)


def outputs(entries: Sequence[Entry]) -> dict[int, Outputs]:
    """Each entry's outputs, by entry id, from a handful of queries in all."""
    found = attribute(entries)
    owner_of = found.owner
    result = {e.pk: Outputs() for e in entries}
    for pk, ids in found.inspections.items():
        result[pk].inspections = len(ids)
    rows = of_ids(Finding.objects.all(), "inspection_id", set(owner_of)).values_list(
        "inspection_id", "rectification_id"
    )
    rectified_orders: dict[int, set[int]] = defaultdict(set)
    orders: set[int] = set()
    for inspection, order in rows:
        if inspection in owner_of:
            result[owner_of[inspection]].findings += 1
            if order is not None:
                orders.add(order)
                rectified_orders[owner_of[inspection]].add(order)
    done = set(
        of_ids(
            Rectification.objects.filter(status=Rectification.Status.RECTIFIED), "id", orders
        ).values_list("id", flat=True)
    )
    for pk, chosen in rectified_orders.items():
        result[pk].rectified = len(chosen & done)
    case_owner = {c: pk for pk, ids in found.cases.items() for c in ids}
    _case_figures(result, case_owner)
    return result


def _case_figures(result: dict[int, Outputs], case_owner: dict[int, int]) -> None:
    """Cases counted (filed, not withdrawn), fines collected and lines of goods, per entry."""
    if not case_owner:
        return
    ids = set(case_owner)
    counted = of_ids(
        Case.objects.filter(filed_on__isnull=False).exclude(status=Case.Status.WITHDRAWN),
        "id",
        ids,
    ).values_list("id", flat=True)
    for case in counted:
        if case in case_owner:
            result[case_owner[case]].cases += 1
    paid = of_ids(Collection.objects.all(), "case_id", ids).order_by().values("case_id")
    for row in paid.annotate(total=Sum("amount")):
        if row["case_id"] in case_owner:
            result[case_owner[row["case_id"]]].fines += Decimal(row["total"] or 0)
    goods = of_ids(ConfiscatedGoods.objects.all(), "case_id", ids).order_by().values("case_id")
    for row in goods.annotate(n=Count("id")):
        if row["case_id"] in case_owner:
            result[case_owner[row["case_id"]]].goods += row["n"]
