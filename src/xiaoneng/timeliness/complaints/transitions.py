"""The allowed status moves of a complaint or report (STYLE.md: state machines).

投诉: 登记 → 已受理调解中 → 调解成功 | 终止调解 → 已办结 (终止调解后告知双方); 登记 → 不予受理.
举报: 核查中 → 已立案 | 不予立案 → 已办结 (实名举报人已告知).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from xiaoneng.core.states import Transitions
from xiaoneng.timeliness.complaints.models import Complaint

S = Complaint.Status
COMPLAINT = Transitions(
    {
        S.RECEIVED: {S.MEDIATING, S.REFUSED},
        S.MEDIATING: {S.AGREED, S.TERMINATED},
        S.TERMINATED: {S.CLOSED},
        S.VERIFYING: {S.FILED, S.NOT_FILED},
        S.FILED: {S.CLOSED},
        S.NOT_FILED: {S.CLOSED},
        S.REFUSED: set(),
        S.AGREED: set(),
        S.CLOSED: set(),
    },
    subject=_("投诉举报"),
)
