"""The warning figures (docs/timeliness/clocks.md), defined once: the page, the API and the
monthly bulletin all call them.

For a period [start, end] (days, inclusive; times in local time):

- raised (黄色 / 红色): warnings whose ``raised_on`` falls in the period, by level;
- escalated (逐级上报): red warnings raised in the period that went beyond the officer;
- handled (已处理): warnings whose ``handled_at`` falls in the period;
- cleared (已解除): warnings whose ``cleared_at`` falls in the period, any reason; of them
  cleared by hand (人工解除);
- open at the end (期末未解除): raised on or before ``end`` and not cleared by its end.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from xiaoneng.timeliness.clocks.models import ClearReason, Escalation, Level, Warning


@dataclass(frozen=True)
class WarningFigures:
    yellow: int
    red: int
    escalated: int
    handled: int
    cleared: int
    cleared_by_hand: int
    open_at_end: int

    @property
    def raised(self) -> int:
        return self.yellow + self.red


def _counts(start: dt.date, end: dt.date) -> dict[str, Any]:
    raised = Q(raised_on__gte=start, raised_on__lte=end)
    cleared = Q(cleared_at__date__gte=start, cleared_at__date__lte=end)
    return {
        "yellow": Count("id", filter=raised & Q(level=Level.YELLOW)),
        "red": Count("id", filter=raised & Q(level=Level.RED)),
        "escalated": Count(
            "id", filter=raised & Q(level=Level.RED, escalation__gt=Escalation.OFFICER)
        ),
        "handled": Count("id", filter=Q(handled_at__date__gte=start, handled_at__date__lte=end)),
        "cleared": Count("id", filter=cleared),
        "cleared_by_hand": Count("id", filter=cleared & Q(clear_reason=ClearReason.MANUAL)),
        "open_at_end": Count(
            "id",
            filter=Q(raised_on__lte=end)
            & (Q(cleared_at__isnull=True) | Q(cleared_at__date__gt=end)),
        ),
    }


def warning_figures(warnings: QuerySet[Warning], start: dt.date, end: dt.date) -> WarningFigures:
    """The figures of ``warnings`` (already scoped) for the period."""
    return WarningFigures(**warnings.order_by().aggregate(**_counts(start, end)))


def warning_figures_by(
    warnings: QuerySet[Warning], start: dt.date, end: dt.date, by: str = "unit"
) -> list[tuple[Any, WarningFigures]]:
    """The same figures by unit (``by="unit"``: its code and name) or by officer
    (``by="officer"``: username and name), for the rows that have any."""
    keys = ("unit__code", "unit__name") if by == "unit" else ("officer__username", "officer__name")
    rows = warnings.order_by().values(*keys).annotate(**_counts(start, end)).order_by(*keys)
    found = []
    for row in rows:
        figures = WarningFigures(**{k: row[k] for k in WarningFigures.__dataclass_fields__})
        if figures.raised or figures.handled or figures.cleared or figures.open_at_end:
            found.append(((row[keys[0]], row[keys[1]]), figures))
    return found
