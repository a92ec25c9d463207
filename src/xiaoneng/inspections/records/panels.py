"""What inspection records add to earlier pages (ADR 0012): the task page's inspection record.

Registered from ``InspectionsConfig.ready()``.
"""

from __future__ import annotations

from xiaoneng.core import panels
from xiaoneng.inspections.records.models import Inspection
from xiaoneng.planning.patrol.models import Task
from xiaoneng.planning.patrol.tasks import may_record, not_open_yet, register_record_keeper

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
