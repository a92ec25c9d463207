"""The demo county's three-level oversight (篇2) of its year of inspections.

- The trace checks' flags are dated when the records were signed, and the station directors
  have dealt with the older ones: most cleared with the reason, a few confirmed.
- Each month each station's director was put a random sample of every officer's signed
  records (所长抽查, rate ``DIRECTOR_REVIEW_RATE``, seed kept); last month's sample is still
  waiting, the earlier ones are reviewed (a few problems found).
- The divisions put two to four matters a month to the stations (督办); most are closed, a
  couple are open past their deadline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np
from django.db import transaction

from xiaoneng.core import bulk
from xiaoneng.demo.inspections.context import context
from xiaoneng.demo.org import Organisation
from xiaoneng.demo.oversight.flags import resolve_flags
from xiaoneng.demo.oversight.reviews import review_rounds
from xiaoneng.demo.oversight.supervision import supervision_items


def build_oversight(
    rng: np.random.Generator,
    organisation: Organisation,
    *,
    now: dt.datetime,
    progress: Callable[[str], None] = print,
) -> None:
    """Resolve the older trace flags, draw and review each month's samples, and the year's
    supervision items."""
    ctx = context(rng, organisation, now=now, progress=progress, checklists=False)
    if not len(ctx.population):
        return
    with bulk.paused_gc(), transaction.atomic():
        flags = resolve_flags(ctx)
        rounds, reviews = review_rounds(ctx)
        items = supervision_items(ctx)
    progress(
        f"三级监管 oversight: {flags} 痕迹疑点已核实 flags resolved, {rounds} 所长抽查批次 "
        f"({reviews} records), {items} 督办事项 supervision items"
    )
