"""Entity list filters, shared by the list page, the API and exports."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from typing import Any

from django.db.models import Q, QuerySet

from xiaoneng.registry.models import CreditGrade, Entity, RiskClass

USCC_LIKE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{6,18}$")


@dataclass
class EntityFilter:
    """What a user can filter the register by; empty values do not filter."""

    q: str = ""
    grid: str = ""
    industry: str = ""
    risk_class: str = ""
    credit_grade: str = ""
    status: str = ""
    unit: str = ""
    hot_industry: bool | None = None
    include_archived: bool = False

    @classmethod
    def from_params(cls, params: Any) -> EntityFilter:
        """Build from a QueryDict or dict of strings, dropping values that cannot filter."""
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = params.get(f.name)
            if raw in (None, ""):
                continue
            if f.name in {"hot_industry", "include_archived"}:
                values[f.name] = str(raw).lower() in {"1", "true", "yes", "on"}
            else:
                values[f.name] = str(raw).strip()
        return cls(**values)

    def apply(self, queryset: QuerySet[Entity]) -> QuerySet[Entity]:
        if not self.include_archived:
            queryset = queryset.filter(archived_at__isnull=True)
        if self.q:
            text = self.q.strip()
            if USCC_LIKE.match(text.upper()):
                queryset = queryset.filter(
                    Q(uscc__startswith=text.upper()) | Q(name__contains=text)
                )
            else:
                queryset = queryset.filter(name__contains=text)
        if self.grid:
            queryset = queryset.filter(grid__code=self.grid)
        if self.industry:
            queryset = queryset.filter(industry__code__startswith=self.industry.upper())
        if self.risk_class in RiskClass.values:
            queryset = queryset.filter(risk_class=self.risk_class)
        if self.credit_grade in CreditGrade.values:
            queryset = queryset.filter(credit_grade=self.credit_grade)
        if self.status in Entity.Status.values:
            queryset = queryset.filter(status=self.status)
        if self.unit:
            queryset = queryset.filter(unit__code=self.unit)
        if self.hot_industry is not None:
            queryset = queryset.filter(hot_industry=self.hot_industry)
        return queryset

    def active(self) -> dict[str, Any]:
        """The filters in use, for links that keep them (pagination, export)."""
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if getattr(self, f.name) not in ("", None, False)
        }
