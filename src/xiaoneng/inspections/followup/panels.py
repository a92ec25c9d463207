"""What follow-up adds to the pages of inspection records (ADR 0012): a signed record's
findings, each with the order to rectify it (and the buttons later domains add to it).

Registered from ``InspectionsConfig.ready()``.
"""

from __future__ import annotations

from xiaoneng.core import panels
from xiaoneng.inspections.followup.models import Finding
from xiaoneng.inspections.records.models import Inspection
from xiaoneng.org import access


@panels.register
class InspectionFindings(panels.Panel):
    """检查发现 of a record; an officer who may inspect orders an open one rectified."""

    models = ("inspections.inspection",)

    def right(self) -> str:
        inspection = self.object
        assert isinstance(inspection, Inspection)
        findings = list(Finding.objects.filter(inspection=inspection).select_related("item"))
        if not findings:
            return ""
        signed = inspection.status != Inspection.Status.DRAFT
        return self.render(
            "inspections/panels/inspection_findings.html",
            {
                "inspection": inspection,
                "findings": findings,
                "may_rectify": signed and access.can(self.user, access.INSPECT),
            },
        )
