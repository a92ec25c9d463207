"""The allowed status moves of a service case (STYLE.md: state machines).

收件 → 受理 | 不予受理 | 撤回; 受理 → 审查 | 核准 (一审一核: one officer both) | 撤回;
审查 → 核准 | 撤回; 核准 → 办结 | 撤回. 办结, 不予受理 and 撤回 are final. The status names the
last stage done; each move is a service in ``permits.services``, which asks ``check_stage``
first (and so does the page before it offers a step: ``permits.steps``).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoneng.core.errors import Conflict
from xiaoneng.core.states import Transitions
from xiaoneng.org.models import Officer
from xiaoneng.timeliness.permits.models import ServiceCase

S = ServiceCase.Status

SERVICE_CASE = Transitions(
    {
        S.RECEIVED: {S.ACCEPTED, S.REJECTED, S.WITHDRAWN},
        S.ACCEPTED: {S.REVIEWING, S.APPROVING, S.WITHDRAWN},
        S.REVIEWING: {S.APPROVING, S.WITHDRAWN},
        S.APPROVING: {S.COMPLETED, S.WITHDRAWN},
        S.COMPLETED: set(),
        S.REJECTED: set(),
        S.WITHDRAWN: set(),
    },
    subject=gettext_lazy("办件"),
)

# Accepted and not yet finished: the clock runs (unless suspended).
IN_PROGRESS = (S.ACCEPTED, S.REVIEWING, S.APPROVING)
OPEN = (S.RECEIVED, *IN_PROGRESS)
FINAL = (S.COMPLETED, S.REJECTED, S.WITHDRAWN)


def reviewer_of(case: ServiceCase) -> int | None:
    """The officer who did the 审查 stage."""
    return (
        case.stages.filter(stage=S.REVIEWING)
        .order_by("-done_at")
        .values_list("officer_id", flat=True)
        .first()
    )


def check_stage(case: ServiceCase, to: str, *, actor: Officer) -> None:
    """Refuse unless ``actor`` may take the case to the stage ``to`` now: the stages in order
    (``SERVICE_CASE``), 一审一核 (篇5: one officer reviews and approves in one step, so an
    accepted case goes straight to 核准) and 审核分离 (the reviewer does not approve)."""
    single = case.item.single_review
    if to == S.REVIEWING and single and case.status == S.ACCEPTED:
        raise Conflict(_("该事项实行“一审一核”，由同一人审查并核准，请直接核准"))
    if to == S.APPROVING and case.status == S.ACCEPTED and not single:
        raise Conflict(_("办件尚未审查，不能核准"))
    if to == S.COMPLETED:
        if case.accepted_on is None:
            raise Conflict(_("办件尚未受理，不能办结"))
        if case.status in IN_PROGRESS and case.status != S.APPROVING:
            raise Conflict(_("办件尚未核准，不能办结"))
    SERVICE_CASE.check(case, to)
    if to == S.APPROVING and not single and reviewer_of(case) == actor.pk:
        raise Conflict(_("该事项实行审核分离：审查人不能同时核准，请由另一名工作人员核准"))
