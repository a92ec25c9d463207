"""The allowed status moves of every stateful record of inspections (STYLE.md: state machines).

Each service that moves a status calls ``<TABLE>.move(record, to)`` and saves; nothing else
assigns a status.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from xiaoneng.core.states import Transitions
from xiaoneng.inspections.models import (
    ExitCheck,
    Finding,
    Inspection,
    Rectification,
    Sample,
    SampleFollowUp,
    TraceFlag,
    UnlicensedOperator,
)

IS = Inspection.Status
# Signed is final: a correction is a new record that amends it.
INSPECTION = Transitions({IS.DRAFT: {IS.SIGNED}, IS.SIGNED: set()}, subject=_("检查记录"))

T = TraceFlag.Status
TRACE_FLAG = Transitions(
    {T.OPEN: {T.CLEARED, T.CONFIRMED}, T.CLEARED: set(), T.CONFIRMED: set()},
    subject=_("痕迹疑点"),
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

P = Sample.Result
SAMPLE = Transitions(
    {P.PENDING: {P.PASS, P.FAIL}, P.PASS: set(), P.FAIL: set()},
    subject=_("抽样批次"),
    field="result",
)

FU = SampleFollowUp.Status
SAMPLE_FOLLOW_UP = Transitions(
    {
        FU.OPEN: {FU.RECTIFYING, FU.CLOSED, FU.ESCALATED},
        FU.RECTIFYING: {FU.REINSPECTED, FU.ESCALATED},
        FU.REINSPECTED: {FU.CLOSED, FU.ESCALATED},
        FU.CLOSED: set(),
        FU.ESCALATED: set(),
    },
    subject=_("不合格后处理"),
)
