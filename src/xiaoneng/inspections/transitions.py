"""The allowed status moves of every stateful record of inspections (STYLE.md: state machines),
gathered for the domains above (cases opens a case from a finding, order, exit check,
unlicensed operator or failed sample). Each table lives beside its models, in its sub-package.

Each service that moves a status calls ``<TABLE>.move(record, to)`` and saves; nothing else
assigns a status.
"""

from xiaoneng.inspections.followup.transitions import (
    EXIT_CHECK,
    FINDING,
    RECTIFICATION,
    UNLICENSED,
)
from xiaoneng.inspections.records.transitions import INSPECTION, TRACE_FLAG
from xiaoneng.inspections.sampling.transitions import SAMPLE, SAMPLE_FOLLOW_UP

__all__ = [
    "EXIT_CHECK",
    "FINDING",
    "INSPECTION",
    "RECTIFICATION",
    "SAMPLE",
    "SAMPLE_FOLLOW_UP",
    "TRACE_FLAG",
    "UNLICENSED",
]
