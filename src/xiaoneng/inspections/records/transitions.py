"""The allowed status moves of inspection records and their trace flags (STYLE.md: state
machines). Each service that moves a status calls ``<TABLE>.move(record, to)`` and saves."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from xiaoneng.core.states import Transitions
from xiaoneng.inspections.records.models import Inspection, TraceFlag

IS = Inspection.Status
# Signed is final: a correction is a new record that amends it.
INSPECTION = Transitions({IS.DRAFT: {IS.SIGNED}, IS.SIGNED: set()}, subject=_("检查记录"))

T = TraceFlag.Status
TRACE_FLAG = Transitions(
    {T.OPEN: {T.CLEARED, T.CONFIRMED}, T.CLEARED: set(), T.CONFIRMED: set()},
    subject=_("痕迹疑点"),
)
