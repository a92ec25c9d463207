"""The demo county's accountability actions (问责, 篇9) over its year: a dozen decisions, mostly
诫勉谈话 and 通报批评, a couple deducting an allowance (扣发补助), each taken a few days after the
red warning escalated past its officer, the callback answered 不满意 or the trace flag found
true that it came from, against the officer that source concerns.

Runs after the builders of warnings, callbacks and trace flags, reading what they made; decided
through ``services.decide_action`` by a bureau leader, so every rule of the page holds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import numpy as np
from django.utils import timezone

from xiaoneng.demo.org import Organisation
from xiaoneng.inspections.records.models import TraceFlag
from xiaoneng.org.models import Officer, Role
from xiaoneng.timeliness.accountability import services
from xiaoneng.timeliness.accountability.models import ActionKind
from xiaoneng.timeliness.callbacks.models import Answer, Callback
from xiaoneng.timeliness.clocks.models import Escalation, Warning

ACTIONS = 13
# Kinds and their weights: 篇9 names 通报批评 and 调整工作岗位; 诫勉谈话 is the lightest and
# most common.
KINDS = (
    (ActionKind.ADMONITION, 0.45),
    (ActionKind.CRITICISM, 0.35),
    (ActionKind.WRITTEN_APOLOGY, 0.15),
    (ActionKind.REASSIGNMENT, 0.05),
)
DEDUCTIONS = (Decimal("200.00"), Decimal("500.00"), Decimal("300.00"))
ARTICLES = {
    "warning": "第五条（不按规定时限办结）",
    "callback": "第六条（服务态度差、群众不满意）",
    "trace_flag": "第七条（虚假检查、弄虚作假）",
}


def _deciders(organisation: Organisation) -> list[Officer]:
    leaders = Officer.objects.filter(
        roles__code=Role.BUREAU_LEADER, unit=organisation.bureau, is_active=True
    ).order_by("pk")
    return list(leaders)


def _sources(now: dt.datetime) -> list[tuple[str, Any, Officer, dt.date]]:
    """What an action may come from, with the officer it concerns and the day it happened:
    red warnings escalated past their officer, callbacks answered 不满意, confirmed flags."""
    last = timezone.localdate(now) - dt.timedelta(days=3)
    found: list[tuple[str, Any, Officer, dt.date]] = []
    warnings = Warning.objects.filter(
        level="red",
        escalation__gte=Escalation.DIRECTOR,
        officer__isnull=False,
        officer__unit__isnull=False,
        raised_on__lte=last,
    ).select_related("officer", "clock")
    found += [
        ("warning", w, w.officer, w.raised_on) for w in warnings.order_by("pk")[:200] if w.officer
    ]
    callbacks = Callback.objects.filter(
        status=Callback.Status.DONE,
        overall=Answer.UNSATISFIED,
        officer__isnull=False,
        officer__unit__isnull=False,
        called_on__lte=last,
    ).select_related("officer")
    found += [
        ("callback", c, c.officer, c.called_on)
        for c in callbacks.order_by("pk")[:200]
        if c.officer and c.called_on
    ]
    flags = TraceFlag.objects.filter(
        status=TraceFlag.Status.CONFIRMED,
        inspection__lead_officer__isnull=False,
        inspection__lead_officer__unit__isnull=False,
        raised_at__lte=now - dt.timedelta(days=3),
    ).select_related("inspection__lead_officer", "inspection__entity")
    found += [
        ("trace_flag", f, f.inspection.lead_officer, timezone.localdate(f.raised_at))
        for f in flags.order_by("pk")[:200]
    ]
    return found


def _facts(name: str, source: Any) -> str:
    if name == "warning":
        return (
            f"承办的“{source.clock.subject}”超过承诺时限未办结，红色预警发出后未在处理期限内"
            f"处理，经逐级督办至{source.get_escalation_display()}。"
        )
    if name == "callback":
        return (
            f"{source.called_on:%Y年%m月%d日}回访中，服务对象{source.party}对“{source.subject}”"
            "的办理总体评价为不满意，反映工作人员服务态度生硬、办事拖沓。"
        )
    entity = source.inspection.entity
    return (
        f"对{entity.name}的检查记录存在痕迹疑点（{source.get_kind_display()}），"
        "经所长核实属实，检查记录与实际不符。"
    )


def _chosen(
    rng: np.random.Generator, sources: list[tuple[str, Any, Officer, dt.date]]
) -> list[tuple[str, Any, Officer, dt.date]]:
    """Up to ``ACTIONS`` sources, taken in turn from warnings, callbacks and flags (each kind
    shuffled), so that each kind of source gives its share."""
    groups: dict[str, list[tuple[str, Any, Officer, dt.date]]] = {}
    for source in sources:
        groups.setdefault(source[0], []).append(source)
    for name, found in groups.items():
        groups[name] = [found[int(i)] for i in rng.permutation(len(found))]
    chosen: list[tuple[str, Any, Officer, dt.date]] = []
    while len(chosen) < ACTIONS and any(groups.values()):
        for name in sorted(groups):
            if groups[name] and len(chosen) < ACTIONS:
                chosen.append(groups[name].pop())
    return chosen


def build_accountability(
    rng: np.random.Generator,
    organisation: Organisation,
    *,
    now: dt.datetime,
    progress: Callable[[str], None] = print,
) -> None:
    """About a dozen accountability actions in the year, each after its source."""
    deciders = _deciders(organisation)
    sources = _sources(now)
    if not deciders or not sources:
        progress("问责：没有可问责的预警、回访或痕迹疑点")
        return
    today = timezone.localdate(now)
    chosen = _chosen(rng, sources)
    kinds = [kind for kind, _w in KINDS]
    weights = np.array([w for _k, w in KINDS])
    deducting = set(rng.permutation(len(chosen))[: min(2, len(chosen))].tolist())
    made = 0
    for index, (name, source, officer, day) in enumerate(chosen):
        decided_on = min(day + dt.timedelta(days=int(rng.integers(3, 16))), today)
        kind = kinds[int(rng.choice(len(kinds), p=weights))]
        deduction = DEDUCTIONS[index % len(DEDUCTIONS)] if index in deducting else Decimal("0")
        services.decide_action(
            officer=officer,
            kind=kind,
            facts=_facts(name, source),
            rule=f"《{organisation.bureau.name}行政问责办法》{ARTICLES[name]}",
            deduction=deduction,
            decided_on=decided_on,
            actor=deciders[int(rng.integers(len(deciders)))],
            **{name: source},
        )
        made += 1
    progress(f"问责：{made} 人次")
