"""The models of inspections, one module per sub-domain (checklists, records and trace flags,
follow-up, product sampling), gathered here for Django."""

from xiaoneng.inspections.checklists.models import (
    Checklist,
    ChecklistItem,
    InspectionKind,
    Severity,
)
from xiaoneng.inspections.followup.models import (
    ExitCheck,
    Finding,
    Rectification,
    UnlicensedOperator,
)
from xiaoneng.inspections.records.models import (
    Attachment,
    Inspection,
    InspectionOfficer,
    ItemResult,
    PartySignature,
    TraceFlag,
)
from xiaoneng.inspections.records.sync_models import SyncReceipt
from xiaoneng.inspections.sampling.models import Sample, SampleFollowUp, SamplingPlan

__all__ = [
    "Attachment",
    "Checklist",
    "ChecklistItem",
    "ExitCheck",
    "Finding",
    "Inspection",
    "InspectionKind",
    "InspectionOfficer",
    "ItemResult",
    "PartySignature",
    "Rectification",
    "Sample",
    "SampleFollowUp",
    "SamplingPlan",
    "Severity",
    "SyncReceipt",
    "TraceFlag",
    "UnlicensedOperator",
]
