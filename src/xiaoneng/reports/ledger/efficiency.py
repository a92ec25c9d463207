"""Efficiency (执法效能 = 执法收益 / 执法成本, 篇5): each ratio defined once, here.

Cost is the money spent (经费支出, yuan). Person-hours and kilometres are shown beside it and
have ratios of their own, but are not priced: the bureau has set no price of an hour or a
kilometre, and a made-up one would decide the ranking (docs/ledger.md). A ratio whose
denominator is zero is "no data" (None), never 0 or infinity.

A group's ratio (a unit, a campaign, a kind, a total row) is computed from its summed inputs
and outputs, never as a mean of its entries' ratios.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from xiaoneng.planning.patrol.models import Campaign
from xiaoneng.reports.ledger.outputs import Outputs
from xiaoneng.reports.ledger.rows import Entry

PLACES = Decimal("0.01")


def ratio(numerator: Decimal | int, denominator: Decimal | int) -> Decimal | None:
    """``numerator / denominator`` to two places, half up; None ("no data") over zero."""
    if not denominator:
        return None
    value = Decimal(numerator) / Decimal(denominator)
    return value.quantize(PLACES, rounding=ROUND_HALF_UP)


@dataclass
class Inputs:
    """What a group of entries registered, summed."""

    entries: int = 0
    officers: int = 0
    person_hours: Decimal = Decimal("0.0")
    vehicles: int = 0
    kilometres: Decimal = Decimal("0.0")
    money: Decimal = Decimal("0.00")

    def add(self, entry: Entry) -> None:
        self.entries += 1
        self.officers += entry.officers
        self.person_hours += entry.person_hours
        self.vehicles += entry.vehicles
        self.kilometres += entry.kilometres
        self.money += entry.money


@dataclass(frozen=True)
class Ratios:
    """The efficiency ratios of inputs and outputs (None: no data)."""

    inspections_per_hour: Decimal | None  # 每工时检查户次 = inspections / person-hours
    findings_per_hour: Decimal | None  # 每工时发现问题 = findings / person-hours
    fines_per_yuan: Decimal | None  # 每元经费罚没款入库 = fines collected / money
    cost_per_inspection: Decimal | None  # 每户次经费 = money / inspections
    cost_per_finding: Decimal | None  # 每个问题经费 = money / findings


def ratios(inputs: Inputs, outputs: Outputs) -> Ratios:
    """The one definition of every ratio."""
    return Ratios(
        inspections_per_hour=ratio(outputs.inspections, inputs.person_hours),
        findings_per_hour=ratio(outputs.findings, inputs.person_hours),
        fines_per_yuan=ratio(outputs.fines, inputs.money),
        cost_per_inspection=ratio(inputs.money, outputs.inspections),
        cost_per_finding=ratio(inputs.money, outputs.findings),
    )


@dataclass
class Line:
    """One row of a table: an entry or a group, its summed inputs and outputs, its ratios."""

    key: str
    label: str
    inputs: Inputs = field(default_factory=Inputs)
    outputs: Outputs = field(default_factory=Outputs)
    entry: Entry | None = None

    @property
    def ratios(self) -> Ratios:
        return ratios(self.inputs, self.outputs)


def line(key: str, label: str, entries: Iterable[Entry], found: dict[int, Outputs]) -> Line:
    """The line of ``entries``: their inputs and outputs summed."""
    result = Line(key, label)
    for entry in entries:
        result.inputs.add(entry)
        result.outputs.add(found.get(entry.pk, Outputs()))
    return result


def entry_lines(entries: Sequence[Entry], found: dict[int, Outputs]) -> list[Line]:
    """One line per entry."""
    return [
        Line(str(e.pk), str(e), _single(e), found.get(e.pk, Outputs()), entry=e) for e in entries
    ]


def _single(entry: Entry) -> Inputs:
    inputs = Inputs()
    inputs.add(entry)
    return inputs


def _unit(entry: Entry) -> tuple[str, str]:
    return entry.unit.code, entry.unit.name


def _kind(entry: Entry) -> tuple[str, str]:
    return entry.kind, str(entry.get_kind_display())


def _campaign(entry: Entry) -> tuple[str, str] | None:
    if entry.campaign_id is None:
        return None
    return str(entry.campaign_id), ""


GROUPINGS: dict[str, Callable[[Entry], tuple[str, str] | None]] = {
    "unit": _unit,
    "kind": _kind,
    "campaign": _campaign,
}


def grouped(entries: Sequence[Entry], found: dict[int, Outputs], by: str) -> list[Line]:
    """Lines by unit, kind or campaign (entries of no campaign are left out of that one), by
    key (unit code, kind, campaign id); each line's ratios from its sums."""
    key_of = GROUPINGS[by]
    titles: dict[int, str] = {}
    if by == "campaign":
        ids = {e.campaign_id for e in entries if e.campaign_id is not None}
        titles = dict(Campaign.objects.filter(pk__in=ids).values_list("pk", "title"))
    groups: dict[str, tuple[str, list[Entry]]] = {}
    for entry in entries:
        key = key_of(entry)
        if key is not None and by == "campaign":
            key = (key[0], titles.get(int(key[0]), ""))
        if key is not None:
            groups.setdefault(key[0], (key[1], []))[1].append(entry)
    return [line(key, label, rows, found) for key, (label, rows) in sorted(groups.items())]


def total(lines: Iterable[Line], label: str) -> Line:
    """The total row: the lines' inputs and outputs summed, its ratios from those sums."""
    result = Line("total", label)
    for row in lines:
        for name in ("entries", "officers", "person_hours", "vehicles", "kilometres", "money"):
            setattr(result.inputs, name, getattr(result.inputs, name) + getattr(row.inputs, name))
        result.outputs.add(row.outputs)
    return result
