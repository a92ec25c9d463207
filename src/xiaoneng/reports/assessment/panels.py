"""What the assessment adds to the organisation's pages (ADR 0012): each grid's score, the
total of its responsible officer (责任人) in the latest monthly officer assessment — a column
of the grid tables and of the grid API, by which the grid map (and the cockpit's map) can
colour the grids. docs/assessment.md defines it.

Registered from ``AssessmentConfig.ready()``. The grids are already scoped to the user, and a
user may see the results of every unit whose grids they see (``queries.visible_results``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xiaoneng.core import panels
from xiaoneng.reports.assessment import queries
from xiaoneng.reports.assessment.catalogue import OFFICER


@panels.register
class GridScore(panels.Column):
    """责任人考核得分 of each grid, leading to that officer's result."""

    models = ("org.grid",)
    name = "score"
    header = _("责任人考核得分")
    scale = "score"

    def __init__(self) -> None:
        self.assessment = queries.latest_month(OFFICER)
        self.results: dict[int, int] = {}  # officer → their result, once values() has run

    def applies(self) -> bool:
        return self.assessment is not None

    def values(self, rows: Sequence[Any]) -> Mapping[Any, Any]:
        if self.assessment is None:
            return {}
        officers = {row.pk: row.officer_id for row in rows if row.officer_id is not None}
        found = self.assessment.results.filter(
            officer_id__in=set(officers.values()), whole=False
        ).values_list("officer_id", "pk", "total")
        totals = {}
        for officer, result, total in found:
            self.results[officer] = result
            if total is not None:
                totals[officer] = float(total)
        return {grid: totals[o] for grid, o in officers.items() if o in totals}

    def link(self, row: Any) -> str:
        result = self.results.get(row.officer_id)
        return reverse("assessment:result", args=[result]) if result is not None else ""
