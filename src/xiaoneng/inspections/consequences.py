"""What follows from a signed inspection: findings from failed items, and what they set off.

``after_signing`` is called once by the signing service, inside its transaction, when the
last officer of the team has signed.
"""

from __future__ import annotations

from typing import Any

from xiaoneng.inspections.models import Finding, Inspection, ItemResult


def record_findings(inspection: Inspection) -> list[Finding]:
    """A finding for each failed item of ``inspection`` (idempotent)."""
    failed = (
        ItemResult.objects.filter(inspection=inspection, result=ItemResult.Result.FAIL)
        .select_related("item")
        .order_by("item__position")
    )
    existing = set(Finding.objects.filter(inspection=inspection).values_list("item_id", flat=True))
    created = [
        Finding(
            inspection=inspection,
            item=row.item,
            entity_id=inspection.entity_id,
            unit_id=inspection.unit_id,
            severity=row.item.severity,
            description=row.note or row.item.title,
            found_on=inspection.visited_on,
        )
        for row in failed
        if row.item_id not in existing
    ]
    for finding in created:
        finding.save()
    return created


def after_signing(inspection: Inspection, actor: Any) -> None:
    """Everything a newly signed inspection sets off."""
    record_findings(inspection)
