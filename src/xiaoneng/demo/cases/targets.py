"""This year's targets of the demo county's bureau and stations.

Targets were set at the start of the year at 0.75–1.45 times the pace each unit has kept
since, so that completion stands at about 60–130 % of the year's share by now.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from xiaoneng.cases.models import Target, TargetMetric
from xiaoneng.cases.targets.services import achieved, elapsed_share
from xiaoneng.demo.days import local_moment
from xiaoneng.demo.inspections.context import Context
from xiaoneng.demo.rows import Rows

CENT = Decimal("0.01")
METRICS = (
    TargetMetric.CASES,
    TargetMetric.MAJOR_CASES,
    TargetMetric.CASE_VALUE,
    TargetMetric.FINES_COLLECTED,
    TargetMetric.INSPECTIONS,
)
# A unit that has achieved nothing yet still has a target.
DEFAULTS = {
    TargetMetric.CASES: Decimal(5),
    TargetMetric.MAJOR_CASES: Decimal(1),
    TargetMetric.CASE_VALUE: Decimal(100000),
    TargetMetric.FINES_COLLECTED: Decimal(50000),
    TargetMetric.INSPECTIONS: Decimal(500),
    TargetMetric.SAMPLES: Decimal(50),
}


def build_targets(ctx: Context) -> int:
    """This year's targets of the bureau (with the spot-check batches) and of each station."""
    year = ctx.today.year
    elapsed = min(max(float(elapsed_share(year, ctx.today)) / 100, 0.08), 1.0)
    bureau = ctx.people.bureau
    labels = dict(TargetMetric.choices)
    set_on = local_moment(dt.date(year, 1, 10), 10)
    rows = Rows("unit_id year metric value note")
    reprs = []
    for unit in [bureau, *ctx.people.stations]:
        figures = achieved(unit, year)
        for metric in METRICS + ((TargetMetric.SAMPLES,) if unit == bureau else ()):
            done = figures[metric]
            pace = float(done) / elapsed * ctx.rng.uniform(0.75, 1.45)
            value = Decimal(str(pace)) if done > 0 else DEFAULTS[metric]
            rows.add(
                set_on,
                unit_id=unit.pk,
                year=year,
                metric=metric,
                value=_round_target(metric, value),
                note="州局下达年度目标" if unit == bureau else "县局年初下达",
            )
            reprs.append(f"{unit.name} {year} {labels[metric]}")
    rows.write(Target, reprs)
    return len(rows)


def _round_target(metric: str, value: Decimal) -> Decimal:
    """Whole cases and records; money in round figures (whole 万元 from 10 万元 up)."""
    if metric in (TargetMetric.CASE_VALUE, TargetMetric.FINES_COLLECTED):
        step = Decimal(10000 if value >= 100000 else 1000 if value >= 10000 else 100)
        return max(step, (value / step).quantize(Decimal(1)) * step).quantize(CENT)
    return max(Decimal(1), value.quantize(Decimal(1))).quantize(CENT)
