"""What patrol planning adds to the pages of the organisation (ADR 0012): each grid's
entities overdue for patrol (the grid API's ``overdue``, the grid map's choropleth); and to
the entity dossier: its next due date and its patrol tasks.

Registered from ``PlanningConfig.ready()``. Overdue is the one due rule,
``schedule.due_in_period``, as the overdue list applies it: due by yesterday.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoneng.core import panels
from xiaoneng.core.scoping import scoped
from xiaoneng.planning.patrol import schedule
from xiaoneng.planning.patrol.models import Task
from xiaoneng.registry.models import Entity
from xiaoneng.registry.panels import DossierPanel, HistoryCard, HistoryRow, newest


def overdue_by_grid(grid_ids: Sequence[int], *, on: dt.date) -> dict[int, int]:
    """Entities of each grid overdue for patrol on ``on`` (due by the day before)."""
    due = schedule.due_in_period(
        unit=None,
        start=on,
        end=on - dt.timedelta(days=1),
        entities=Entity.objects.filter(grid_id__in=list(grid_ids)),
    )
    grids, counts = np.unique(due.dates.register.grid_id[due.positions], return_counts=True)
    return dict(zip(grids.tolist(), counts.tolist(), strict=True))


@panels.register
class GridOverdue(panels.Column):
    """逾期未查 of each grid, leading to the grid's overdue list."""

    models = ("org.grid",)
    name = "overdue"
    header = _("逾期未查")

    def values(self, rows: Sequence[Any]) -> Mapping[Any, Any]:
        return overdue_by_grid([row.pk for row in rows], on=timezone.localdate())

    def link(self, row: Any) -> str:
        return f"{reverse('planning:due_list')}?grid={row.code}&overdue=1"


# The entity dossier (ADR 0012): its next due date by the one due rule, and its tasks.


def next_due(entity: Entity, *, on: dt.date) -> schedule.DueDates | None:
    """The due rule (``schedule.due_dates``, as ``due_in_period`` reads it) for one entity;
    None when it is not in the patrol (not operating, or archived)."""
    dates = schedule.due_dates(Entity.objects.operating().filter(pk=entity.pk), on=on)
    return dates if len(dates.register) else None


def _due_summary(entity: Entity, today: dt.date) -> str:
    dates = next_due(entity, on=today)
    if dates is None:
        return str(_("不在日常巡查范围（非在营或已归档）"))
    due = schedule.to_date(dates.due[0])
    last = dates.last[0]
    values = {
        "due": due.isoformat(),
        "last": schedule.to_date(last).isoformat() if last != schedule.NEVER else _("尚无"),
        "interval": int(dates.interval[0]),
    }
    if due < today:
        values["days"] = (today - due).days
        text = _(
            "下次应查 %(due)s，已逾期 %(days)d 天；上次检查 %(last)s；巡查间隔 %(interval)d 天"
        )
    else:
        text = _("下次应查 %(due)s；上次检查 %(last)s；巡查间隔 %(interval)d 天")
    return str(text) % values


TASK_TONES = {
    Task.Status.DONE: "success",
    Task.Status.PLANNED: "primary",
    Task.Status.OVERFLOW: "warning",
}


@panels.register
class EntityPatrol(DossierPanel):
    """巡查: the entity's next due date and its patrol tasks (those of the user's units)."""

    models = ("registry.entity",)

    def card(self) -> HistoryCard | None:
        entity = self.entity()
        today = timezone.localdate()
        tasks = scoped(Task.objects.filter(entity=entity), self.user).select_related(
            "plan", "officer"
        )
        found, total = newest(tasks, "-period", "-due_on", "-id")
        rows = [
            HistoryRow(
                day=task.done_on or task.scheduled_on or task.due_on,
                text=task.plan.title,
                url=reverse("planning:task_detail", args=[task.pk]),
                note=str(task.officer or ""),
                status=task.get_status_display(),
                tone=TASK_TONES.get(task.status, "light"),
            )
            for task in found
        ]
        return HistoryCard(
            "patrol", str(_("巡查任务")), rows, total, summary=_due_summary(entity, today)
        )
