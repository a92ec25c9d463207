"""The allowed status moves of a service case (STYLE.md: state machines).

收件 → 受理 | 不予受理 | 撤回; 受理 → 审查 | 核准 (一审一核: one officer both) | 撤回;
审查 → 核准 | 撤回; 核准 → 办结 | 撤回. 办结, 不予受理 and 撤回 are final. The status names the
last stage done; each move is a service in ``permits.services``.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from xiaoneng.core.states import Transitions
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
    subject=_("办件"),
)

# Accepted and not yet finished: the clock runs (unless suspended).
IN_PROGRESS = (S.ACCEPTED, S.REVIEWING, S.APPROVING)
OPEN = (S.RECEIVED, *IN_PROGRESS)
FINAL = (S.COMPLETED, S.REJECTED, S.WITHDRAWN)
