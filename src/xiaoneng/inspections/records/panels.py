"""What inspection records add to earlier pages (ADR 0012): the task page's inspection record;
the entity dossier's inspections with their results.

Registered from ``InspectionsConfig.ready()``.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xiaoneng.core import panels
from xiaoneng.core.scoping import scoped
from xiaoneng.inspections.records.models import Inspection
from xiaoneng.planning.patrol.models import Task
from xiaoneng.planning.patrol.tasks import may_record, not_open_yet, register_record_keeper
from xiaoneng.registry.panels import DossierPanel, HistoryCard, HistoryRow, newest

OPEN_TASK = (Task.Status.PLANNED, Task.Status.OVERFLOW)


@panels.register
class TaskRecordPanel(panels.Panel):
    """The inspection record of a task: start it, continue the draft, or view it.

    Who may start or continue is the rule ``open_inspection`` applies to a task
    (``may_record``: the task's officer, its joint visit's team, the unit's director), and
    only while the task is open; anyone who sees the task sees its record's link.
    """

    models = ("planning.task",)

    def right(self) -> str:
        task = self.object
        assert isinstance(task, Task)
        record = task.inspections.first()
        may = task.status in OPEN_TASK and may_record(self.user, task)
        if record is None and not may:
            return ""
        return self.render(
            "inspections/panels/task_record.html",
            {
                "task": task,
                "record": record,
                "may_continue": record is not None
                and record.status == Inspection.Status.DRAFT
                and may,
                "not_open_yet": not_open_yet(task) if record is None else None,
            },
        )


def task_has_record(task: Task) -> bool:
    """Whether ``task`` has an inspection record (draft or signed)."""
    return task.inspections.exists()


register_record_keeper(task_has_record)


@panels.register
class EntityInspections(DossierPanel):
    """检查记录 of the entity that the user's units hold, newest first, with their results."""

    models = ("registry.entity",)

    def card(self) -> HistoryCard | None:
        entity = self.entity()
        records = scoped(Inspection.objects.filter(entity=entity), self.user)
        found, total = newest(records.select_related("lead_officer"), "-visited_on", "-id")
        return HistoryCard(
            "inspections",
            str(_("检查记录")),
            [_inspection_row(record) for record in found],
            total,
            more_url=f"{reverse('inspections:inspection_list')}?q={entity.uscc}" if total else "",
        )


def _inspection_row(record: Inspection) -> HistoryRow:
    if record.status == Inspection.Status.DRAFT:
        status, tone = record.get_status_display(), "secondary"
    elif record.items_failed:
        status = str(_("%(n)d 项不合格")) % {"n": record.items_failed}
        tone = "danger"
    else:
        status, tone = str(_("合格")), "success"
    return HistoryRow(
        day=record.visited_on,
        text=f"{record.get_origin_display()} · {record.get_kind_display()}",
        url=reverse("inspections:inspection_detail", args=[record.pk]),
        note=str(record.lead_officer or ""),
        status=status,
        tone=tone,
    )
