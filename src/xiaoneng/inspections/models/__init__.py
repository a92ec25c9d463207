"""Inspections: checklists, records, trace flags, follow-up, oversight and product sampling."""

from xiaoneng.inspections.models.checklists import (
    Checklist,
    ChecklistItem,
    InspectionKind,
    Severity,
)
from xiaoneng.inspections.models.followup import (
    ExitCheck,
    Finding,
    Rectification,
    UnlicensedOperator,
)
from xiaoneng.inspections.models.oversight import DirectorReview, ReviewRound, SupervisionItem
from xiaoneng.inspections.models.records import (
    Attachment,
    Inspection,
    InspectionOfficer,
    ItemResult,
    TraceFlag,
)
from xiaoneng.inspections.models.sampling import Sample, SampleFollowUp, SamplingPlan

__all__ = [
    "Attachment",
    "Checklist",
    "ChecklistItem",
    "DirectorReview",
    "ExitCheck",
    "Finding",
    "Inspection",
    "InspectionKind",
    "InspectionOfficer",
    "ItemResult",
    "Rectification",
    "ReviewRound",
    "Sample",
    "SampleFollowUp",
    "SamplingPlan",
    "Severity",
    "SupervisionItem",
    "TraceFlag",
    "UnlicensedOperator",
]
