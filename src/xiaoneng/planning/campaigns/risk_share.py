"""Targeted spot checks (定向抽查): a campaign that takes the highest-risk share of its population.

Issue 12 ("use in planning"): a targeted check may go where the risk model (``RiskScore.score``,
the calibrated probability that the next inspection finds a serious problem) expects problems,
so a campaign given a risk share takes the ⌈share × n⌉ highest-scored of its n entities, ties
to the smaller entity id. Entities without a score (entered since the last scoring) cannot be
ranked and are left out; the campaign records how many. Double-random draws (planning/draws)
never come here: the law requires them purely random (国办发〔2015〕58号).
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

import numpy as np
from django.db.models import Max, QuerySet
from django.utils.translation import gettext as _

from xiaoneng.core.errors import InvalidInput
from xiaoneng.planning.patrol.models import Campaign
from xiaoneng.planning.patrol.risk_order import risk_scores
from xiaoneng.planning.patrol.schedule import Register
from xiaoneng.registry.models import Entity


def take_highest_risk(
    *, register: Register, share: Decimal, population: QuerySet[Entity]
) -> tuple[Register, dict[str, Any]]:
    """The highest-risk ``share`` percent of ``register`` (sorted by id, as it came), and the
    record of the choice that ``Campaign.population`` keeps under ``risk_share``."""
    scores = risk_scores(register.entity_id)
    scored = np.flatnonzero(~np.isnan(scores))
    if not scored.size:
        raise InvalidInput.single(
            "risk_share", _("尚未计算风险评分：请先训练并评分（xiaoneng targeting score）")
        )
    wanted = math.ceil(share * len(register) / 100)
    ranked = scored[np.lexsort((register.entity_id[scored], -scores[scored]))]
    taken = np.sort(ranked[:wanted])
    used = population.exclude(risk=None).aggregate(
        version=Max("risk__model_version"), day=Max("risk__scored_on")
    )
    record = {
        "share": int(share) if share == share.to_integral_value() else float(share),
        "model_version": used["version"],
        "scored_on": used["day"].isoformat() if used["day"] else None,
        "population": len(register),
        "unscored": len(register) - int(scored.size),
        "taken": int(taken.size),
    }
    return register.take(taken), record


def task_order(register: Register) -> np.ndarray:
    """Positions of ``register`` in the order a campaign places its tasks: the scored entities
    first, highest risk first; then (and among the unscored) risk class Ⅰ before Ⅲ, the worse
    credit grade first, the smaller entity id first."""
    scores = risk_scores(register.entity_id)
    unscored = np.isnan(scores)
    return np.lexsort(
        (
            register.entity_id,
            -register.grade_index,
            register.class_index,
            -np.nan_to_num(scores),
            unscored,
        )
    )  # the last key is the primary one


def risk_share_used(campaign: Campaign) -> dict[str, Any] | None:
    """What a targeted campaign was chosen by (share, model version, scoring day, counts), or
    None for a campaign over its whole population."""
    used = (campaign.population or {}).get("risk_share")
    return used if isinstance(used, dict) else None


def unscored_note(used: dict[str, Any]) -> str:
    """What the pages say of the entities a targeted campaign left out for want of a score."""
    return _(
        "对象范围 %(population)d 户中有 %(unscored)d 户尚无风险评分（评分后新登记等），"
        "未纳入按风险抽取"
    ) % {"population": used["population"], "unscored": used["unscored"]}
