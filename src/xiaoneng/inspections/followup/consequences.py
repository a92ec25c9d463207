"""What follows from a signed inspection: findings from failed items, and what they set off.

``after_signing`` is called once by the signing service, inside its transaction, when the
last officer of the team has signed.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from xiaoneng.inspections.checklists.models import Severity
from xiaoneng.inspections.followup.exits import exit_from_inspection
from xiaoneng.inspections.followup.models import Finding
from xiaoneng.inspections.followup.services import inspection_url, reinspected
from xiaoneng.inspections.records.models import Inspection, ItemResult
from xiaoneng.inspections.trace.services import check_signed
from xiaoneng.org.models import Officer
from xiaoneng.registry.credit.services import credit_event
from xiaoneng.registry.models import CreditProposal, CreditTrigger, Entity

# The worst severity first: one event per inspection, for its worst finding.
CREDIT_TRIGGERS = (
    (Severity.CRITICAL, CreditTrigger.FINDING_CRITICAL),
    (Severity.MAJOR, CreditTrigger.FINDING_MAJOR),
)


def corrected_records(inspection: Inspection) -> list[int]:
    """Ids of ``inspection`` and of every record it corrects, newest first."""
    ids = [inspection.pk]
    parent = inspection.amends_id
    while parent is not None and parent not in ids:
        ids.append(parent)
        parent = Inspection.objects.filter(pk=parent).values_list("amends_id", flat=True).first()
    return ids


def record_findings(*, inspection: Inspection) -> list[Finding]:
    """A finding for each failed item of ``inspection`` (idempotent).

    An amendment corrects the same visit: an item already found failing in a record it
    corrects keeps that finding (and its follow-up) rather than getting a second one.
    """
    failed = (
        ItemResult.objects.filter(inspection=inspection, result=ItemResult.Result.FAIL)
        .select_related("item")
        .order_by("item__position")
    )
    existing = set(
        Finding.objects.filter(inspection_id__in=corrected_records(inspection)).values_list(
            "item_id", flat=True
        )
    )
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


def report_findings(
    *, inspection: Inspection, findings: list[Finding], actor: Officer
) -> CreditProposal | None:
    """Tell the credit feedback of the worst major or critical finding among ``findings``.

    A critical finding proposes the critical rule's grade; only when that gives nothing (no
    active rule, the grade already as low) does a major finding try the major rule.
    """
    for severity, trigger in CREDIT_TRIGGERS:
        worst = next((f for f in findings if f.severity == severity), None)
        if worst is None:
            continue
        proposal = credit_event(
            entity=Entity.objects.get(pk=inspection.entity_id),
            trigger=trigger,
            source=_("检查记录 #%(id)s 第%(number)s项（%(severity)s）：%(title)s")
            % {
                "id": inspection.pk,
                "number": worst.item.number,
                "severity": worst.get_severity_display(),
                "title": worst.item.title,
            },
            source_url=inspection_url(inspection.pk),
            actor=actor,
        )
        if proposal is not None:
            return proposal
    return None


def after_signing(*, inspection: Inspection, actor: Officer) -> None:
    """Everything a newly signed inspection sets off: findings and their credit feedback, an
    exit check for a deregistered entity found operating, and the close of the order a
    re-inspection was made for."""
    findings = record_findings(inspection=inspection)
    report_findings(inspection=inspection, findings=findings, actor=actor)
    exit_from_inspection(inspection=inspection, actor=actor)
    reinspected(inspection=inspection, actor=actor)
    # Trace checks (篇7 虚假检查) of the record and its neighbourhood: the officer's day and
    # run, other records with the same photo.
    check_signed([inspection.pk])
