"""The allowed status moves of a supervision item (STYLE.md: state machines)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from xiaoneng.core.states import Transitions
from xiaoneng.oversight.supervision.models import SupervisionItem

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
