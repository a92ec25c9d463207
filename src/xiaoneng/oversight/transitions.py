"""The allowed status moves of director reviews and supervision items (STYLE.md: state machines)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from xiaoneng.core.states import Transitions
from xiaoneng.oversight.models import DirectorReview, SupervisionItem

D = DirectorReview.Status
DIRECTOR_REVIEW = Transitions(
    {D.PENDING: {D.CONFIRMED, D.PROBLEM}, D.CONFIRMED: set(), D.PROBLEM: set()},
    subject=_("所长抽查"),
)

S = SupervisionItem.Status
SUPERVISION = Transitions(
    {
        S.OPEN: {S.ANSWERED},
        S.ANSWERED: {S.CLOSED, S.RETURNED},
        S.RETURNED: {S.ANSWERED},
        S.CLOSED: set(),
    },
    subject=_("督办事项"),
)
