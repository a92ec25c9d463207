"""What double-random draws add to the entity dossier (ADR 0012): the draws it was drawn in.

Registered from ``PlanningConfig.ready()``. Which draws show is the draws' own rule
(``queries.visible_draws``): of the user's units, or assigning his staff or his entities.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xiaoneng.core import panels
from xiaoneng.planning.draws.models import DrawInspector, DrawSelection, RandomDraw
from xiaoneng.planning.draws.queries import visible_draws
from xiaoneng.registry.panels import DossierPanel, HistoryCard, HistoryRow, newest


@panels.register
class EntityDraws(DossierPanel):
    """双随机抽查: the draws that chose the entity, newest first, with its team."""

    models = ("registry.entity",)

    def card(self) -> HistoryCard | None:
        entity = self.entity()
        draws = visible_draws(RandomDraw.objects.all(), self.user)
        chosen = DrawSelection.objects.filter(uscc=entity.uscc, entity=entity, draw__in=draws)
        found, total = newest(chosen.select_related("draw"), "-draw__drawn_at", "-draw_id")
        teams: dict[int, list[str]] = {}
        members = DrawInspector.objects.filter(selection__in=[s.pk for s in found])
        for selection_id, officer in (
            members.order_by("selection_id", "position")
            .select_related("officer")
            .values_list("selection_id", "officer__name")
        ):
            teams.setdefault(selection_id, []).append(officer)
        rows = [
            HistoryRow(
                day=s.draw.drawn_at,
                text=s.draw.name,
                url=reverse("planning:draw_detail", args=[s.draw_id]),
                note=str(_("第 %(n)d 户，检查组 %(team)s"))
                % {"n": s.order, "team": "、".join(teams.get(s.pk, []))},
                status=s.draw.get_status_display(),
            )
            for s in found
        ]
        return HistoryCard("draws", str(_("双随机抽查")), rows, total)
