"""The ledger's reads, shared by the pages and the API: the entries of a period, kind and unit
in the user's scope, and the tables made of them (entries with a cross-footing total row;
efficiency by unit, campaign or kind with the overspend and 运动式执法 lists)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from xiaoneng.core.errors import FieldError, InvalidInput
from xiaoneng.core.scoping import get_scoped, scoped, visible_unit_ids
from xiaoneng.org.models import Officer, Unit
from xiaoneng.planning.draws.models import RandomDraw
from xiaoneng.planning.patrol.models import Campaign, Task
from xiaoneng.reports.ledger.efficiency import GROUPINGS, Inputs, Line, entry_lines, grouped, total
from xiaoneng.reports.ledger.flags import CampaignStyle, Overspend, campaign_style, overspends
from xiaoneng.reports.ledger.models import ActivityKind, LedgerEntry
from xiaoneng.reports.ledger.outputs import Outputs, outputs
from xiaoneng.reports.ledger.rows import EntryRow, rows_of
from xiaoneng.reports.scope import Scope, parse_request


@dataclass(frozen=True)
class Filters:
    """A period, and optionally a unit (its subtree) and a kind."""

    start: dt.date
    end: dt.date
    unit: Unit | None = None
    kind: str = ""


def parse_filters(
    *, start: str | None, end: str | None, unit: str | None, kind: str | None, user: Officer
) -> Filters:
    """The filters as a page or the API gives them; the period and unit checked as the period
    report checks them (``reports.scope.parse_request``), the kind here."""
    kind = (kind or "").strip()
    try:
        first, last, found = parse_request(start=start, end=end, unit_code=unit, user=user)
    except InvalidInput as error:
        if kind and kind not in ActivityKind.values:
            error.errors.append(FieldError("kind", _("未知的工作类型：%(v)s") % {"v": kind}))
        raise
    if kind and kind not in ActivityKind.values:
        raise InvalidInput.single("kind", _("未知的工作类型：%(v)s") % {"v": kind})
    return Filters(first, last, found, kind)


def visible(user: Officer) -> QuerySet[LedgerEntry]:
    """The entries of the user's scope."""
    return scoped(
        LedgerEntry.objects.select_related("unit", "officer", "campaign", "case", "draw"), user
    )


def entry_for(user: Officer, pk: int) -> LedgerEntry:
    """One entry in the user's scope; 404 otherwise."""
    return get_scoped(visible(user), user, pk=pk)


def _filtered(rows: QuerySet[LedgerEntry], filters: Filters) -> QuerySet[LedgerEntry]:
    rows = rows.filter(started_on__range=(filters.start, filters.end))
    if filters.unit is not None:
        rows = rows.filter(unit__in=Unit.objects.subtree(filters.unit).values("id"))
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    return rows.order_by("-started_on", "-id")


def entry_rows(user: Officer, filters: Filters) -> list[EntryRow]:
    """The filtered entries as plain rows, for the efficiency figures (``rows``)."""
    return rows_of(_filtered(scoped(LedgerEntry.objects.all(), user), filters))


def entries(user: Officer, filters: Filters) -> list[LedgerEntry]:
    """The entries started in the period, of the unit's subtree and the kind when given."""
    return list(_filtered(visible(user), filters))


@dataclass
class LedgerTable:
    """The ledger list: a line per entry and the total row (computed from the sums)."""

    lines: list[Line]
    total: Line


def ledger_table(user: Officer, filters: Filters) -> LedgerTable:
    rows = entries(user, filters)
    lines = entry_lines(rows, outputs(rows))
    return LedgerTable(lines, total(lines, _("合计")))


@dataclass
class Efficiency:
    """The efficiency page: lines by the grouping, the total, and what is flagged."""

    by: str
    lines: list[Line]
    total: Line
    overspends: list[Overspend] = field(default_factory=list)
    campaign_style: list[CampaignStyle] = field(default_factory=list)


def efficiency(user: Officer, filters: Filters, by: str) -> Efficiency:
    """Efficiency by ``by`` (unit, campaign, kind) over the filtered entries."""
    if by not in GROUPINGS:
        raise InvalidInput.single("by", _("未知的分组方式：%(v)s") % {"v": by})
    rows = entry_rows(user, filters)
    found = outputs(rows)
    lines = grouped(rows, found, by)
    return Efficiency(
        by=by,
        lines=lines,
        total=total(lines, _("合计")),
        overspends=overspends(rows, found),
        campaign_style=campaign_style(rows, found),
    )


def entry_lines_inputs(entry: LedgerEntry) -> Inputs:
    """One entry's inputs, as a line holds them."""
    inputs = Inputs()
    inputs.add(entry)
    return inputs


def choosable_campaigns(user: Officer) -> QuerySet[Campaign]:
    """Campaigns an entry of the user may name: organised in their scope, or with tasks there."""
    ids = visible_unit_ids(user)
    rows = Campaign.objects.all()
    if ids is None:
        return rows
    took_part = Task.objects.filter(unit__in=ids).values("plan_id")
    return rows.filter(Q(unit__in=ids) | Q(plan_id__in=took_part))


def choosable_draws(user: Officer) -> QuerySet[RandomDraw]:
    """Draws an entry of the user may name: run in their scope, or drawing from its people."""
    ids = visible_unit_ids(user)
    rows = RandomDraw.objects.all()
    if ids is None:
        return rows
    pooled = RandomDraw.pool_units.through.objects.filter(unit_id__in=ids).values("randomdraw_id")
    return rows.filter(Q(unit__in=ids) | Q(pk__in=pooled))


@dataclass
class ByUnit:
    """A scope's entries started in a period, their outputs, a line per unit and the total."""

    rows: list[EntryRow]
    found: dict[int, Outputs]
    lines: list[Line]
    total: Line


def by_unit(scope: Scope, start: dt.date, end: dt.date) -> ByUnit:
    """The entries of ``scope`` started from ``start`` to ``end``, by unit, with the total row
    (summed inputs and outputs). For readers without a user (the bulletin's CLI) as with one
    (the cockpit)."""
    entries = scope.filter(LedgerEntry.objects.filter(started_on__range=(start, end)))
    rows = rows_of(entries.order_by("-started_on", "-id"))
    found = outputs(rows)
    lines = grouped(rows, found, "unit")
    return ByUnit(rows, found, lines, total(lines, _("合计")))
