"""What the party ladder adds to the entity dossier (ADR 0012): the entity's latest ladder
events and how many steps are waiting for a decision, linked to its ladder page.

Registered from ``AdGovernanceConfig.ready()``.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from xiaoneng.ads.governance import services
from xiaoneng.ads.governance.ladder import PARTY
from xiaoneng.ads.governance.models import Ladder, LadderEvent
from xiaoneng.core import panels
from xiaoneng.core.scoping import scoped
from xiaoneng.registry.panels import DossierPanel, HistoryCard, HistoryRow, newest


@panels.register
class EntityLadder(DossierPanel):
    """广告责任追究 of the entity as advertiser, operator or publisher (篇1)."""

    models = ("registry.entity",)

    def card(self) -> HistoryCard | None:
        entity = self.entity()
        events = scoped(LadderEvent.objects.filter(party=entity, ladder=Ladder.PARTY), self.user)
        found, total = newest(events, "-occurred_on", "-id")
        url = reverse("ad_governance:party_ladder", args=[entity.pk])
        rows = [
            HistoryRow(
                day=event.occurred_on,
                text=f"{PARTY.events.get(event.kind, event.kind)}：{event.facts[:40]}",
                url=url,
                note=event.source_document,
            )
            for event in found
        ]
        may_record = services.may_record(self.user, entity.unit_id)
        if not rows and not may_record:
            return None
        pending = len(services.history(services.Subject(party=entity)).proposals) if rows else 0
        summary = _("待决定的提议 %(n)d 项") % {"n": pending} if pending else ""
        empty = _("尚无广告责任追究记录。") if may_record else ""
        return HistoryCard(
            "ad-ladder", _("广告责任追究"), rows, total, more_url=url, summary=summary, empty=empty
        )
