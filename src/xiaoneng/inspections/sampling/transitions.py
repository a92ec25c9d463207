"""The allowed status moves of sampled batches and their follow-ups (STYLE.md: state
machines). Each service that moves a status calls ``<TABLE>.move(record, to)`` and saves."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from xiaoneng.core.states import Transitions
from xiaoneng.inspections.sampling.models import Sample, SampleFollowUp

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
