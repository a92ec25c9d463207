"""What accountability adds to the pages of its sources (ADR 0012): the actions already taken
on a red warning, an unsatisfied callback, a callback problem or a confirmed trace flag, and
"问责" for those who may decide one about the officer concerned.

Registered from ``TimelinessConfig.ready()``.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from xiaoneng.core import panels
from xiaoneng.inspections.records.models import TraceFlag
from xiaoneng.timeliness.accountability.models import AccountabilityAction
from xiaoneng.timeliness.accountability.queries import visible_actions
from xiaoneng.timeliness.accountability.services import may_decide
from xiaoneng.timeliness.callbacks.models import Answer, Callback, CallbackProblem
from xiaoneng.timeliness.clocks.models import Level, Warning

# The source's query parameter on the form, and its field on the action.
SOURCES: dict[type[Any], tuple[str, str]] = {
    Warning: ("warning", "warning"),
    Callback: ("callback", "callback"),
    CallbackProblem: ("problem", "callback_problem"),
    TraceFlag: ("flag", "trace_flag"),
}


def _concerned_unit(source: Any) -> int | None:
    """The unit of the officer the source is about; None when it can lead to no action."""
    if isinstance(source, Warning):
        return source.officer.unit_id if source.level == Level.RED and source.officer else None
    if isinstance(source, Callback):
        unsatisfied = source.overall == Answer.UNSATISFIED
        return source.officer.unit_id if unsatisfied and source.officer else None
    if isinstance(source, CallbackProblem):
        return source.owner.unit_id
    if source.status == TraceFlag.Status.CONFIRMED:
        return source.inspection.unit_id
    return None


@panels.register
class DecideAccountability(panels.Panel):
    """The actions on this source, and a link to decide one."""

    models = (
        "timeliness.warning",
        "timeliness.callback",
        "timeliness.callbackproblem",
        "inspections.traceflag",
    )

    def buttons(self) -> str:
        parameter, field = SOURCES[type(self.object)]
        actions: list[AccountabilityAction] = list(
            visible_actions(self.user)
            .filter(**{field: self.object}, revoked_at__isnull=True)
            .select_related("officer")
        )
        unit_id = _concerned_unit(self.object)
        url = ""
        if unit_id is not None and may_decide(self.user, unit_id):
            url = f"{reverse('timeliness:accountability_create')}?{parameter}={self.object.pk}"
        if not (actions or url):
            return ""
        return self.render(
            "timeliness/accountability/panels/decide.html", {"actions": actions, "url": url}
        )
