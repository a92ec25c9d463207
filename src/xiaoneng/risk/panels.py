"""What the risk model adds to earlier pages (ADR 0012): on the entity dossier, the entity's
violation risk, the version and day that gave it, and the few reasons behind it in words; in a
plan's task table, each task's risk and its main reason (the plan places tasks by that score:
planning/patrol/risk_order.py).

Registered from ``RiskConfig.ready()``. The dossier is already scoped to the user's units, so
whoever sees the entity sees its risk; nothing shows until a model is trained. One entity is
explained (``services.explain_entities``), which reads only its own and its neighbours' records.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Model
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoneng.core import panels
from xiaoneng.core.errors import DomainError
from xiaoneng.planning.patrol.models import Task
from xiaoneng.registry.models import Entity, Industry, RiskScore
from xiaoneng.registry.panels import entity_list_url
from xiaoneng.risk import services
from xiaoneng.risk.words import reason_text
from xiaoneng.targeting.errors import TargetingError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class EntityRiskView:
    """What the panel shows: the probability, where it came from, and the reasons."""

    probability: str
    version: int | None
    scored_on: object  # a date, or None for a score computed for the page
    reasons: list[str]
    reasons_version: int  # the latest version, which gives the reasons
    live: bool  # not yet scored by a run: computed now with the latest version


def entity_risk(entity: Entity) -> EntityRiskView | None:
    """The risk of one entity as the dossier shows it; None when no model is trained."""
    latest = services.latest()
    if latest is None:
        return None
    explained = services.explain_entities([entity.pk]).get(entity.pk)
    if explained is None:
        return None
    score, reasons, values = explained
    industry = Industry.objects.filter(pk=entity.industry_id).values_list("name", flat=True)
    words = [reason_text(r, values, industry=industry.first() or "") for r in reasons]
    stored = RiskScore.objects.filter(entity_id=entity.pk).first()
    if stored is not None:
        return EntityRiskView(
            probability=f"{stored.score:.1%}",
            version=stored.model_version,
            scored_on=stored.scored_on,
            reasons=words,
            reasons_version=latest.version,
            live=False,
        )
    return EntityRiskView(f"{score:.1%}", latest.version, None, words, latest.version, live=True)


def entity_risk_card(entity: Entity, request: Any) -> str:
    """The dossier's risk card of ``entity`` ("" when no model explains it)."""
    try:
        shown = entity_risk(entity)
    except (DomainError, TargetingError) as error:
        # The dossier must open even when the stored model cannot be used.
        logger.warning("risk panel of entity %s: %s", entity.pk, error)
        context: dict[str, Any] = {"failed": True}
    else:
        if shown is None:
            return ""
        context = {"risk": shown}
    return render_to_string("risk/panels/entity_risk.html", context, request=request)


@panels.register
class EntityRisk(panels.Panel):
    """违法风险 of the entity: its probability, the model version and day, the top reasons.

    Explaining one entity reads its own and its neighbours' records (about 40 % of a busy
    entity's dossier), so the page carries a placeholder that fetches the card once shown
    (``risk:entity_risk_card``): the dossier answers without waiting for the model."""

    models = ("registry.entity",)

    def full(self) -> str:
        entity = self.object
        assert isinstance(entity, Entity)
        if services.latest() is None:
            return ""
        url = reverse("risk:entity_risk_card", args=[entity.uscc])
        return self.render("risk/panels/entity_risk_lazy.html", {"url": url})


@panels.register
class TaskRisk(panels.Column):
    """违法风险 of each task's entity in a plan's table: the stored score (the one the plan was
    ordered by) and the reason that moves it most. Shown once a model is trained."""

    models = ("planning.task",)
    name = "risk"
    header = gettext_lazy("违法风险")

    def applies(self) -> bool:
        return services.latest() is not None

    def values(self, rows: Sequence[Model]) -> Mapping[Any, Any]:
        tasks = [row for row in rows if isinstance(row, Task)]
        entity_ids = sorted({task.entity_id for task in tasks})
        entities = {
            pk: (score, industry)
            for pk, score, industry in Entity.objects.filter(id__in=entity_ids).values_list(
                "id", "risk__score", "industry__name"
            )
        }
        try:
            explained = services.explain_entities(entity_ids, top=1)
        except (DomainError, TargetingError) as error:
            logger.warning("risk column of a plan: %s", error)
            explained = {}
        out = {}
        for row in tasks:
            entity = row.entity_id
            score, industry = entities.get(entity, (None, ""))
            if score is None:
                out[row.pk] = _("未评分")
                continue
            text = f"{score:.0%}"
            found = explained.get(entity)
            if found is not None and found[1]:
                reason = reason_text(found[1][0], found[2], industry=industry or "")
                text = f"{text} · {reason}"
            out[row.pk] = text
        return out


@panels.register
class GridRisk(panels.Column):
    """平均违法风险 of each grid: the mean stored risk score of its scored entities (those in
    business at the last scoring), by which the grid map can colour the grids; defined in
    docs/targeting.md. Shown once the register has been scored."""

    models = ("org.grid",)
    name = "risk"
    header = gettext_lazy("平均违法风险")
    scale = "rate"

    def applies(self) -> bool:
        return RiskScore.objects.exists()

    def values(self, rows: Sequence[Model]) -> Mapping[Any, Any]:
        found = (
            RiskScore.objects.filter(entity__grid_id__in=[row.pk for row in rows])
            .order_by()
            .values_list("entity__grid")
            .annotate(mean=Avg("score"))
        )
        return {grid: round(mean, 4) for grid, mean in found}

    def link(self, row: Model) -> str:
        return entity_list_url(grid=getattr(row, "code", ""))
