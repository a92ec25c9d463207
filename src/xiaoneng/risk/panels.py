"""What the risk model adds to the entity dossier (ADR 0012): the entity's violation risk, the
version and day that gave it, and the few reasons behind it in words.

Registered from ``RiskConfig.ready()``. The dossier is already scoped to the user's units, so
whoever sees the entity sees its risk; nothing shows until a model is trained. One entity is
explained (``services.explain_entities``), which reads only its own and its neighbours' records.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from xiaoneng.core import panels
from xiaoneng.core.errors import DomainError
from xiaoneng.registry.models import Entity, Industry
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
    if entity.risk_score is not None:
        return EntityRiskView(
            probability=f"{entity.risk_score:.1%}",
            version=entity.risk_model_version,
            scored_on=entity.risk_scored_on,
            reasons=words,
            reasons_version=latest.version,
            live=False,
        )
    return EntityRiskView(f"{score:.1%}", latest.version, None, words, latest.version, live=True)


@panels.register
class EntityRisk(panels.Panel):
    """违法风险 of the entity: its probability, the model version and day, the top reasons."""

    models = ("registry.entity",)

    def full(self) -> str:
        entity = self.object
        assert isinstance(entity, Entity)
        try:
            shown = entity_risk(entity)
        except (DomainError, TargetingError) as error:
            # The dossier must open even when the stored model cannot be used.
            logger.warning("risk panel of entity %s: %s", entity.pk, error)
            return self.render("risk/panels/entity_risk.html", {"failed": True})
        if shown is None:
            return ""
        return self.render("risk/panels/entity_risk.html", {"risk": shown})
