"""The allowed moves of an annual qualification check: 检查中 → one outcome, which is final."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from xiaoneng.ads.operators.models import QualificationCheck
from xiaoneng.core.states import Transitions

S = QualificationCheck.Status
CHECK = Transitions(
    {
        S.CHECKING: {S.QUALIFIED, S.RECTIFY, S.DEREGISTER, S.INVESTIGATE},
        S.QUALIFIED: set(),
        S.RECTIFY: set(),
        S.DEREGISTER: set(),
        S.INVESTIGATE: set(),
    },
    subject=_("年度资格检查"),
)
