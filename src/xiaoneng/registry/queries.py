"""Reads of the register: entity list filters (shared by the list page, the API and exports),
the claim deadline and the entities waiting for a person to claim or place them."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, fields
from typing import Any

from django.conf import settings
from django.db.models import Q

from xiaoneng.core.calendar import WorkingCalendar
from xiaoneng.org.models import Grid, Unit
from xiaoneng.registry.models import CreditGrade, Entity, EntityQuerySet, Industry, RiskClass

# Six or more characters of the USCC alphabet with a digit among them: a name never looks so.
USCC_LIKE = re.compile(r"^(?=.*\d)[0-9A-HJ-NPQRTUWXY]{6,18}$")


def search_condition(text: str) -> Q:
    """A USCC (or its beginning) by range on the unique index, anything else by name."""
    text = text.strip()
    if USCC_LIKE.match(text.upper()):
        prefix = text.upper()
        return Q(uscc__gte=prefix, uscc__lt=_after(prefix))
    return Q(name__contains=text)


def _after(prefix: str) -> str:
    """The first alphanumeric string after every string starting with ``prefix``.

    Only digits and capital letters are compared, which sort the same under the C collation
    and under a language collation (where punctuation such as "~" would be ignored).
    """
    head, last = prefix[:-1], prefix[-1]
    if last == "Z":
        return _after(head) if head else "~"
    return head + ("A" if last == "9" else chr(ord(last) + 1))


def industry_codes(prefix: str) -> list[str]:
    """The GB/T 4754 classes an industry filter (a class or a prefix such as H62) stands for."""
    prefix = prefix.strip().upper()
    return list(
        Industry.objects.filter(level=4, code__startswith=prefix).values_list("code", flat=True)
    )


def _id_of(model: Any, code: str) -> int:
    """The id of the record with this code, or 0 (which matches nothing)."""
    return model.objects.filter(code=code).values_list("pk", flat=True).first() or 0


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

    def apply(self, queryset: EntityQuerySet) -> EntityQuerySet:
        """Filter so that each condition can be answered from an index of ``Entity``.

        Codes are turned into ids first (no join), an industry prefix into the list of its
        classes (a LIKE could not use the index on SQLite), a USCC into a range on the unique
        index; only a name fragment needs a scan.
        """
        if not self.include_archived:
            queryset = queryset.active()
        if self.q:
            queryset = queryset.filter(search_condition(self.q))
        if self.grid:
            queryset = queryset.filter(grid_id=_id_of(Grid, self.grid))
        if self.industry:
            queryset = queryset.filter(industry_id__in=industry_codes(self.industry))
        if self.risk_class in RiskClass.values:
            queryset = queryset.filter(risk_class=self.risk_class)
        if self.credit_grade in CreditGrade.values:
            queryset = queryset.filter(credit_grade=self.credit_grade)
        if self.status in Entity.Status.values:
            queryset = queryset.filter(status=self.status)
        if self.unit:
            queryset = queryset.filter(unit_id=_id_of(Unit, self.unit))
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


def claim_cutoff(today: dt.date, calendar: WorkingCalendar | None = None) -> dt.date:
    """Entities registered on or before this date and still unclaimed are overdue today."""
    calendar = calendar or WorkingCalendar.load()
    return calendar.latest_start_due_before(today, settings.CLAIM_DEADLINE_WORKING_DAYS)


def unclaimed(queryset: EntityQuerySet) -> EntityQuerySet:
    """Active entities that no officer has claimed (认领) yet."""
    return queryset.active().filter(claimed_at__isnull=True)


def overdue_claims(queryset: EntityQuerySet, today: dt.date) -> EntityQuerySet:
    """Unclaimed entities older than the claim deadline (3 working days)."""
    return unclaimed(queryset).filter(registered_on__lte=claim_cutoff(today))


def outside_grids(queryset: EntityQuerySet) -> EntityQuerySet:
    """Active entities that no grid holds, waiting for a person to place them."""
    return queryset.active().filter(grid__isnull=True)
