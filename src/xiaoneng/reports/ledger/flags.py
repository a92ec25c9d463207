"""What the efficiency page flags: entries over their kind's quota (定额, 篇5: 严格按定额执行)
and campaign-style enforcement (运动式执法, 篇5: 投入成本高，获取效益低).

运动式执法, exactly: among the listed entries of one kind — campaign, draw or other work, the
kinds that send many people at once; routine patrol days and cases are not judged so — with at
least ``MIN_ENTRIES`` entries, an entry whose person-hours are at or above the kind's upper
quartile AND whose inspections per person-hour are at or below the kind's lower quartile.
Quartiles are nearest-rank: the ``ceil(p·n)``-th smallest of the ``n`` values.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoneng.reports.ledger.efficiency import ratio
from xiaoneng.reports.ledger.models import ActivityKind, Quota
from xiaoneng.reports.ledger.outputs import Outputs
from xiaoneng.reports.ledger.rows import Entry

MIN_ENTRIES = 4
UPPER, LOWER = 0.75, 0.25
CAMPAIGN_STYLE_KINDS = (ActivityKind.CAMPAIGN, ActivityKind.DRAW, ActivityKind.OTHER)
LIMIT_LABELS = {
    "hours_per_inspection": gettext_lazy("每户次工时"),
    "money_per_inspection": gettext_lazy("每户次经费"),
    "kilometres_per_inspection": gettext_lazy("每户次里程"),
    "money_per_activity": gettext_lazy("每项工作经费"),
}


@dataclass(frozen=True)
class Overspend:
    """An entry over one of its quotas: which, the limit, what it used, by how much."""

    entry: Entry
    limit_name: str
    label: str
    limit: Decimal
    actual: Decimal | None  # None: inputs spent on no inspection at all
    over_percent: int | None


def quotas_for(entries: Sequence[Entry]) -> dict[tuple[int, str, str], Quota]:
    """The quotas of the entries' years, by (year, kind, unit kind or "")."""
    years = {e.started_on.year for e in entries}
    return {(q.year, q.kind, q.unit_kind): q for q in Quota.objects.filter(year__in=years)}


def quota_of(entry: Entry, quotas: dict[tuple[int, str, str], Quota]) -> Quota | None:
    """The quota an entry is held to: its unit kind's for its start year, else every kind's."""
    year = entry.started_on.year
    return quotas.get((year, entry.kind, entry.unit.kind)) or quotas.get((year, entry.kind, ""))


def _percent(actual: Decimal, limit: Decimal) -> int:
    over = (actual - limit) * 100 / limit
    return int(over.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def overspends(entries: Sequence[Entry], found: dict[int, Outputs]) -> list[Overspend]:
    """Every quota each entry exceeds. A per-inspection quota compares the input over the
    entry's inspections; inputs spent on no inspection exceed it with no percentage."""
    quotas = quotas_for(entries)
    labels = {name: str(label) for name, label in LIMIT_LABELS.items()}  # translated once
    flagged = []
    for entry in entries:
        quota = quota_of(entry, quotas)
        if quota is None:
            continue
        inspections = found.get(entry.pk, Outputs()).inspections
        used = {
            "hours_per_inspection": entry.person_hours,
            "money_per_inspection": entry.money,
            "kilometres_per_inspection": entry.kilometres,
        }
        for name, amount in used.items():
            limit = getattr(quota, name)
            if limit is None or not amount:
                continue
            actual = ratio(amount, inspections)
            if actual is None:
                flagged.append(Overspend(entry, name, labels[name], limit, None, None))
            elif actual > limit:
                flagged.append(
                    Overspend(entry, name, labels[name], limit, actual, _percent(actual, limit))
                )
        limit = quota.money_per_activity
        if limit is not None and entry.money > limit:
            name = "money_per_activity"
            flagged.append(
                Overspend(
                    entry,
                    name,
                    labels[name],
                    limit,
                    entry.money,
                    _percent(entry.money, limit),
                )
            )
    return flagged


def nearest_rank(values: Sequence[Decimal], p: float) -> Decimal:
    """The ``ceil(p·n)``-th smallest of ``values`` (at least the first)."""
    ordered = sorted(values)
    return ordered[max(math.ceil(p * len(ordered)), 1) - 1]


@dataclass(frozen=True)
class CampaignStyle:
    """An entry listed as campaign-style enforcement, and why."""

    entry: Entry
    person_hours: Decimal
    hours_upper: Decimal
    per_hour: Decimal
    per_hour_lower: Decimal

    @property
    def reason(self) -> str:
        return _(
            "投入工时 %(h)s，不低于同类第三四分位数 %(hq)s；每工时检查 %(r)s 户次，"
            "不高于同类第一四分位数 %(rq)s"
        ) % {"h": self.person_hours, "hq": self.hours_upper, "r": self.per_hour,
             "rq": self.per_hour_lower}  # fmt: skip


def campaign_style(entries: Sequence[Entry], found: dict[int, Outputs]) -> list[CampaignStyle]:
    """The entries of large inputs and small outputs (the rule in the module's docstring)."""
    by_kind: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        if entry.kind in CAMPAIGN_STYLE_KINDS:
            by_kind[entry.kind].append(entry)
    listed = []
    for rows in by_kind.values():
        if len(rows) < MIN_ENTRIES:
            continue
        per_hour = {
            e.pk: ratio(found.get(e.pk, Outputs()).inspections, e.person_hours) or Decimal(0)
            for e in rows
        }
        upper = nearest_rank([e.person_hours for e in rows], UPPER)
        lower = nearest_rank(list(per_hour.values()), LOWER)
        for e in rows:
            if e.person_hours >= upper and per_hour[e.pk] <= lower:
                listed.append(CampaignStyle(e, e.person_hours, upper, per_hour[e.pk], lower))
    return sorted(listed, key=lambda c: (-c.person_hours, c.entry.pk))
