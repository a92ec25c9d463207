"""The allowed status moves of follow-up records: findings, rectification orders, exit checks
and unlicensed operators (STYLE.md: state machines). Each service that moves a status calls
``<TABLE>.move(record, to)`` and saves; opening a case moves them to escalated."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from xiaoneng.core.states import Transitions
from xiaoneng.inspections.followup.models import (
    ExitCheck,
    Finding,
    Rectification,
    UnlicensedOperator,
)

F = Finding.Status
FINDING = Transitions(
    {
        F.OPEN: {F.RECTIFYING, F.RESOLVED, F.ESCALATED},
        F.RECTIFYING: {F.RESOLVED, F.ESCALATED},
        F.RESOLVED: set(),
        F.ESCALATED: set(),
    },
    subject=_("检查发现"),
)

R = Rectification.Status
RECTIFICATION = Transitions(
    {
        R.OPEN: {R.WARNED, R.RECTIFIED, R.ESCALATED},
        R.WARNED: {R.RECTIFIED, R.ESCALATED},
        R.RECTIFIED: set(),
        R.ESCALATED: set(),
    },
    subject=_("责令整改"),
)

E = ExitCheck.Status
EXIT_CHECK = Transitions(
    {E.OPEN: {E.CEASED, E.ESCALATED}, E.CEASED: set(), E.ESCALATED: set()},
    subject=_("退出督查"),
)

U = UnlicensedOperator.Status
UNLICENSED = Transitions(
    {
        U.FOUND: {U.GUIDED, U.CEASED, U.ESCALATED},
        U.GUIDED: {U.LICENSED, U.CEASED, U.ESCALATED},
        U.LICENSED: set(),
        U.CEASED: set(),
        U.ESCALATED: set(),
    },
    subject=_("无照经营"),
)
