"""Export of the entity register (CSV, XLSX) with the same columns the import reads."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from xiaoneng.core.tabular import write_csv, write_xlsx
from xiaoneng.registry.fields import (
    COLUMNS,
    KIND_WORDS,
    RISK_WORDS,
    STATUS_WORDS,
    LicenceValue,
    licence_text,
)
from xiaoneng.registry.import_checks import chunks
from xiaoneng.registry.models import ClassificationChange, Entity, Licence, RiskClass


def entity_rows(queryset: QuerySet[Entity]) -> Iterator[list[Any]]:
    """Rows in ``COLUMNS`` order, streamed in chunks (licences and reasons fetched per chunk)."""
    ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    for chunk in chunks(ids):
        entities = Entity.objects.filter(pk__in=chunk).select_related("grid").order_by("pk")
        licences: dict[int, list[LicenceValue]] = {}
        for lic in Licence.objects.filter(entity_id__in=chunk).order_by("kind", "number"):
            licences.setdefault(lic.entity_id, []).append(
                LicenceValue(lic.kind, lic.number, lic.issued, lic.expires)
            )
        reasons = {}
        for change in ClassificationChange.objects.filter(
            entity_id__in=chunk, field="risk_class"
        ).order_by("changed_at", "pk"):
            reasons[change.entity_id] = change.reason
        for e in entities:
            yield [
                e.uscc,
                e.name,
                KIND_WORDS[Entity.Kind(e.kind)],
                e.industry_id,
                e.address,
                e.longitude,
                e.latitude,
                e.region_code,
                e.legal_representative,
                e.registered_capital,
                e.established,
                STATUS_WORDS[Entity.Status(e.status)],
                licence_text(licences.get(e.pk, [])),
                RISK_WORDS[RiskClass(e.risk_class)],
                reasons.get(e.pk, "") if e.risk_class_overridden else "",
                e.credit_grade,
                e.hot_industry,
                e.hot_industry_note,
                e.grid.code if e.grid else "",
                e.registered_on,
            ]


def export_entities(queryset: QuerySet[Entity], target: Any, *, fmt: str) -> int:
    """Write the entities of ``queryset`` as CSV (to a text stream) or XLSX; returns the count."""
    if fmt == "csv":
        return write_csv(target, COLUMNS, entity_rows(queryset))
    return write_xlsx(target, COLUMNS, entity_rows(queryset), title=_("市场主体"))
