"""What follow-up adds to the pages of inspection records (ADR 0012): a signed record's
findings, each with the order to rectify it (and the buttons later domains add to it); the
entity dossier's rectification orders.

Registered from ``InspectionsConfig.ready()``.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xiaoneng.core import panels
from xiaoneng.core.scoping import scoped
from xiaoneng.core.templatetags.calendar_tags import last_known_year_for, provisional_suffix
from xiaoneng.inspections.followup.models import Finding, Rectification
from xiaoneng.inspections.records.models import Inspection
from xiaoneng.org import access
from xiaoneng.registry.panels import DossierPanel, HistoryCard, HistoryRow, newest


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


RECTIFICATION_TONES = {
    Rectification.Status.OPEN: "warning",
    Rectification.Status.RECTIFIED: "success",
}


@panels.register
class EntityRectifications(DossierPanel):
    """责令整改 of the entity that the user's units issued, newest first."""

    models = ("registry.entity",)

    def card(self) -> HistoryCard | None:
        orders = scoped(Rectification.objects.filter(entity=self.entity()), self.user)
        found, total = newest(orders, "-issued_on", "-id")
        last_year = last_known_year_for(self.request)
        rows = [
            HistoryRow(
                day=order.issued_on,
                text=order.number,
                url=reverse("inspections:rectification_detail", args=[order.pk]),
                note=str(_("整改期限 %(day)s"))
                % {
                    "day": order.deadline.isoformat()
                    + provisional_suffix(order.deadline, last_year)
                },
                status=order.get_status_display(),
                tone=RECTIFICATION_TONES.get(order.status, "danger"),
            )
            for order in found
        ]
        return HistoryCard("rectifications", str(_("责令整改")), rows, total)
