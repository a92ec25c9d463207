"""效能驾驶舱: the figures of one month at a glance, for whoever looks.

- A bureau leader, division staff or administrator sees the organisation: the bureau's own
  figures (the station assessment's whole row: each indicator measured over the whole
  subtree), the stations' totals over the last twelve months, and each station's score on each
  indicator.
- A station director sees the station: its own figures, its trend, and its officers' totals.
- A grid officer sees "my month": their own result, its indicators and trend.

Every figure is a stored assessment's (``services.compute``): nothing is counted here. Every
card and chart point links to the result or to the records behind the indicator.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoneng.org import access
from xiaoneng.org.models import Officer, Role
from xiaoneng.oversight.leader.queries import oversight
from xiaoneng.planning.patrol import queries as plan_queries
from xiaoneng.reports.assessment import catalogue, queries
from xiaoneng.reports.assessment.catalogue import OFFICER, STATION
from xiaoneng.reports.assessment.models import Assessment, Result, ResultItem
from xiaoneng.reports.ledger import queries as ledger_queries
from xiaoneng.reports.scope import report_scope

MONTHS = 12


@dataclass
class Card:
    label: str
    value: Decimal | None
    unit: str
    score: Decimal | None
    detail: str
    url: str


@dataclass
class Cockpit:
    """What the page shows; ``focus`` is the result the cards describe (None: nothing yet)."""

    assessment: Assessment | None
    focus: Result | None
    focus_name: str
    cards: list[Card] = field(default_factory=list)
    trend: dict[str, Any] = field(default_factory=dict)
    grid: dict[str, Any] = field(default_factory=dict)
    others: list[tuple[Result, str]] = field(default_factory=list)  # officers of a station
    extras: list[Card] = field(default_factory=list)  # the ledger's efficiency, open flags


def _latest_months(kind: str, upto: str | None) -> list[Assessment]:
    """The latest assessment of each of the last ``MONTHS`` months computed (oldest first),
    up to the month ``upto`` if given."""
    rows = Assessment.objects.filter(subject_kind=kind, period_kind="month")
    if upto:
        rows = rows.filter(period__lte=upto)
    by_period: dict[str, Assessment] = {}
    for assessment in rows.order_by("-start", "-computed_at", "-id"):
        by_period.setdefault(assessment.period, assessment)
        if len(by_period) >= MONTHS:
            break
    return sorted(by_period.values(), key=lambda a: a.start)


def _cards(result: Result) -> list[Card]:
    cards = []
    for line in queries.lines(result):
        cards.append(
            Card(
                label=line.label,
                value=line.item.value,
                unit=line.unit,
                score=line.item.score,
                detail=line.item.detail,
                url=reverse("assessment:records", args=[result.pk, line.item.indicator]),
            )
        )
    return cards


def _trend(months: list[Assessment], keep: Any) -> dict[str, Any]:
    """Totals by month of the results ``keep`` selects, and each indicator's value by month:
    ECharts' x axis, one series each, with the link of every point (the result for a total,
    the records behind the indicator for a value)."""
    known = catalogue.load()
    names: dict[str, str] = {}
    values: dict[str, dict[str, list[Any]]] = {}
    links: dict[str, dict[str, list[str]]] = {}
    shown: dict[str, None] = {}  # the indicators met, in the schemes' order
    for k, assessment in enumerate(months):
        kept = [r for r in assessment.results.select_related("officer", "unit") if keep(r)]
        items: dict[int, list[ResultItem]] = {}
        for item in ResultItem.objects.filter(result__in=kept).order_by("result_id", "id"):
            items.setdefault(item.result_id, []).append(item)
        for result in kept:
            key = f"{result.officer_id or ''}/{result.unit_id}/{int(result.whole)}"
            names[key] = queries.subject_name(result)
            series = values.setdefault(key, {})
            where = links.setdefault(key, {})
            series.setdefault("total", [None] * len(months))[k] = _float(result.total)
            where.setdefault("total", [""] * len(months))[k] = reverse(
                "assessment:result", args=[result.pk]
            )
            for item in items.get(result.pk, []):
                if item.indicator not in known:
                    continue
                shown.setdefault(item.indicator)
                series.setdefault(item.indicator, [None] * len(months))[k] = _float(item.value)
                where.setdefault(item.indicator, [""] * len(months))[k] = reverse(
                    "assessment:records", args=[result.pk, item.indicator]
                )
    return {
        "months": [a.period for a in months],
        "measures": [{"code": "total", "label": _("总分"), "unit": _("分")}]
        + [
            {"code": code, "label": str(known[code].label), "unit": str(known[code].unit)}
            for code in shown
        ],
        "series": [
            {"name": names[key], "values": values[key], "links": links[key]}
            for key in sorted(names, key=lambda k: names[k])
        ],
    }


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _grid(assessment: Assessment, rows: list[Result]) -> dict[str, Any]:
    """Each row's score on each indicator of the scheme: a heat map's cells with their links."""
    known = catalogue.load()
    weighting = [w for w in assessment.scheme.items.all() if w.indicator in known]
    items = {
        (item.result_id, item.indicator): item
        for item in ResultItem.objects.filter(result__in=rows)
    }
    cells = []
    for y, result in enumerate(rows):
        for x, weight in enumerate(weighting):
            item = items.get((result.pk, weight.indicator))
            score = None if item is None or item.score is None else float(item.score)
            url = reverse("assessment:records", args=[result.pk, weight.indicator])
            cells.append({"value": [x, y, score], "url": url})
    return {
        "indicators": [str(known[w.indicator].label) for w in weighting],
        "rows": [queries.subject_name(r) for r in rows],
        "cells": cells,
    }


def _extras(user: Officer, assessment: Assessment) -> list[Card]:
    """Beside the indicators: the month's enforcement efficiency from the resource ledger
    (docs/ledger.md: inspections per person-hour of the entries started in the month, from the
    summed inputs and outputs)."""
    scope = report_scope(unit=None, user=user)
    whole = ledger_queries.by_unit(scope, assessment.start, assessment.end).total
    query = urlencode({"from": assessment.start.isoformat(), "to": assessment.end.isoformat()})
    cards = [
        Card(
            label=_("执法效能（每工时检查户次）"),
            value=whole.ratios.inspections_per_hour,
            unit=_("户次/工时"),
            score=None,
            detail=_("登记资源消耗%(n)s项，投入%(hours)s工时，检查%(done)s户次")
            % {
                "n": whole.inputs.entries,
                "hours": whole.inputs.person_hours,
                "done": whole.outputs.inspections,
            },
            url=f"{reverse('ledger:efficiency')}?{query}",
        )
    ]
    return cards


# The counts of the 督查总览 (oversight.leader) the cockpit shows for today, with their units.
TODAY_ITEMS = {
    "rectifications_overdue": gettext_lazy("份"),
    "trace_open": gettext_lazy("条"),
    "cases_overdue": gettext_lazy("件"),
    "supervision_overdue": gettext_lazy("件"),
}


def _by_unit(counts: dict[int, int], names: dict[int, str]) -> str:
    """``城东所 3、城西所 2``: the units with the most first."""
    ranked = sorted(counts.items(), key=lambda p: (-p[1], names.get(p[0], "")))
    return "、".join(f"{names.get(u, '')} {n}" for u, n in ranked)


def today_cards(user: Officer, today: dt.date | None = None) -> list[Card]:
    """What is overdue or waiting on ``today`` in the user's scope, each leading to its list,
    counted by the list's own rule so that a card and its list agree: the entities overdue for
    patrol (the due list: a grid officer's grids, a station's staff their station, others the
    whole scope), and, for those who may see the 督查总览, its counts of rectifications past
    their deadline, trace flags waiting to be checked, cases past their time limit and
    supervision items past their deadline. Counted live, so the page loads them after it shows
    the stored figures."""
    today = today or timezone.localdate()
    params = plan_queries.default_due_selection(user)
    selection = plan_queries.due_selection(user, **params)
    overdue = len(plan_queries.due_list(selection, only_overdue=True, on=today))
    cards = [
        Card(
            label=_("逾期未查"),
            value=Decimal(overdue),
            unit=_("户"),
            score=None,
            detail=_("已过应查日期仍未检查的主体（%(who)s）") % {"who": selection.label},
            url=f"{reverse('planning:due_list')}?{urlencode({**params, 'overdue': '1'})}",
        )
    ]
    if not access.can(user, access.VIEW_OVERSIGHT):
        return cards
    view = oversight(user=user, today=today)
    names = dict(view.units)
    for key, unit in TODAY_ITEMS.items():
        item = view.item(key)
        cards.append(
            Card(
                label=item.label,
                value=Decimal(item.count),
                unit=str(unit),
                score=None,
                detail=_by_unit(item.by_unit, names),
                url=item.link or reverse("oversight:leader_view"),
            )
        )
    return cards


def cockpit(user: Officer, month: str | None = None) -> Cockpit:
    """The cockpit of ``user``'s scope for ``month`` (default: the latest month computed)."""
    root = access.scope_root(user)
    bureau_wide = root is None or root.parent_id is None
    if user.has_role(Role.GRID_OFFICER) and not user.has_role(Role.STATION_DIRECTOR):
        months = _latest_months(OFFICER, month)
        if not months:
            return Cockpit(None, None, str(user))
        assessment = months[-1]
        mine = assessment.results.filter(officer=user).first()
        found = Cockpit(assessment, mine, str(user), cards=_cards(mine) if mine else [])
        found.trend = _trend(months, lambda r: r.officer_id == user.pk)
        return found
    months = _latest_months(STATION, month)
    if not months:
        return Cockpit(None, None, root.name if root else "")
    assessment = months[-1]
    if bureau_wide:
        focus = assessment.results.filter(whole=True).select_related("unit").first()
        stations = list(
            assessment.results.filter(whole=False).select_related("unit").order_by("unit__code")
        )
        found = Cockpit(assessment, focus, focus.unit.name if focus else "")
        found.trend = _trend(months, lambda r: not r.whole)
        found.grid = _grid(assessment, stations)
    else:
        assert root is not None
        focus = assessment.results.filter(unit=root, whole=False).select_related("unit").first()
        found = Cockpit(assessment, focus, root.name)
        found.trend = _trend(months, lambda r: r.unit_id == root.pk and not r.whole)
        officers = (
            Assessment.objects.filter(subject_kind=OFFICER, period=assessment.period)
            .order_by("-computed_at", "-id")
            .first()
        )
        if officers is not None:
            found.others = [
                (r, queries.subject_name(r))
                for r in officers.results.filter(unit=root)
                .select_related("officer", "unit")
                .order_by(queries.RANK_ORDER, "id")
            ]
    found.cards = _cards(focus) if focus else []
    found.extras = _extras(user, assessment)
    return found
