"""The allowed status moves of a callback and of a problem raised on one (STYLE.md: state
machines): 待回访 → 已回访 | 无法联系 (tried again later); a problem 待整改 → 已整改 → 已反馈."""

from __future__ import annotations

from django.utils.translation import gettext as _

from xiaoneng.core.states import Transitions
from xiaoneng.timeliness.callbacks.models import Callback, CallbackProblem

C = Callback.Status
P = CallbackProblem.Status
CALLBACK = Transitions(
    {C.PENDING: {C.DONE, C.UNREACHABLE}, C.UNREACHABLE: {C.DONE, C.UNREACHABLE}, C.DONE: set()},
    subject=_("回访"),
)
PROBLEM = Transitions(
    {P.OPEN: {P.RECTIFIED}, P.RECTIFIED: {P.FED_BACK}, P.FED_BACK: set()},
    subject=_("回访问题"),
)
