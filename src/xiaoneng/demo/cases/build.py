"""The demo county's cases of the past year, their money and goods, this year's targets, and
the credit feedback of everything the year recorded.

About a hundred cases a year for 20,000 entities (篇2: 124 in half a year for a city bureau)
of the seed's kinds. Escalated rectification orders, findings, exit checks, unlicensed
operators and failed samples each became a case; the others came from complaints, referrals
and monitoring. Each case went along the state machine (cases.transitions) within the stage
limits of cases.limits — decided within 90 days of filing, after the five working days of the
statement period — and stopped where today finds it; two leads and a filed case are overdue.
Fines were paid within 15 days or collected in execution (罚没款入库); goods confiscated.
Targets are set so that the units stand at 60–130 % of them by now.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np
from django.db import transaction

from xiaoneng.core import bulk
from xiaoneng.demo.cases.cases import write_cases
from xiaoneng.demo.cases.credit import build_credit
from xiaoneng.demo.cases.leads import complaint_leads, escalated_leads, other_leads
from xiaoneng.demo.cases.targets import build_targets
from xiaoneng.demo.inspections.context import context
from xiaoneng.demo.org import Organisation


def build_cases(
    rng: np.random.Generator,
    organisation: Organisation,
    *,
    now: dt.datetime,
    progress: Callable[[str], None] = print,
) -> None:
    """The year's cases with money and goods, and the credit feedback (the targets come last,
    ``build_case_targets``, once every module has opened its cases)."""
    ctx = context(rng, organisation, now=now, progress=progress, checklists=False)
    if not len(ctx.population):
        return
    with bulk.paused_gc(), transaction.atomic():
        leads = escalated_leads(ctx) + complaint_leads(ctx)
        leads += other_leads(ctx, len(leads))
        written = write_cases(ctx, sorted(leads, key=lambda lead: (lead.received, lead.party)))
        proposals = build_credit(ctx)
    progress(
        f"案件 cases: {written['cases']} ({written['major']} 大要案), 罚没款入库 "
        f"{written['collected'] / 10000:,.2f} 万元; {proposals} 信用等级调整建议"
    )


def build_case_targets(
    rng: np.random.Generator,
    organisation: Organisation,
    *,
    now: dt.datetime,
    progress: Callable[[str], None] = print,
) -> None:
    """This year's targets, at a pace set against what every unit has achieved by now: run
    after the last builder that opens cases (reports filed as cases, ``demo/timeliness``)."""
    ctx = context(rng, organisation, now=now, progress=progress, checklists=False)
    if not len(ctx.population):
        return
    with transaction.atomic():
        targets = build_targets(ctx)
    progress(f"目标任务 targets: {targets}")
