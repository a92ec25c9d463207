"""The checklists in force as the demo reads them, and matching a violation's text to the
checklist item it is about."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from django.core.management.base import CommandError

from xiaoneng.inspections.models import Checklist, ChecklistItem, InspectionKind

GENERAL_CHECKLIST = "general-trade"
DOCUMENTARY_CHECKLIST = "documentary"


@dataclass
class ChecklistItemRow:
    """What the demo needs of a checklist item."""

    id: int
    number: str
    title: str
    severity: str
    words: frozenset[str]


@dataclass
class Checklists:
    """The checklists in force (latest version of each code) and their items."""

    onsite: list[tuple[str, int]]  # (industry prefix, checklist id), longest prefix first
    general: int
    documentary: int | None
    items: dict[int, list[ChecklistItemRow]] = field(default_factory=dict)

    @cached_property
    def titles(self) -> dict[int, str]:
        """Each item's title by id."""
        return {i.id: i.title for items in self.items.values() for i in items}

    @cached_property
    def severities(self) -> dict[int, str]:
        """Each item's severity by id."""
        return {i.id: i.severity for items in self.items.values() for i in items}

    def title(self, item_id: int) -> str:
        """An item's title ('' for an item not in these checklists)."""
        return self.titles.get(item_id, "")

    @classmethod
    def load(cls) -> Checklists:
        """The migrated checklists; refuses (the demo cannot record inspections) when none."""
        latest: dict[str, Checklist] = {}
        for checklist in Checklist.objects.filter(retired_on__isnull=True).order_by(
            "code", "-version"
        ):
            latest.setdefault(checklist.code, checklist)
        onsite = [c for c in latest.values() if c.kind == InspectionKind.ONSITE]
        if not onsite:
            raise CommandError(
                "没有在用的现场检查清单，无法生成检查记录：请先运行 xiaoneng manage migrate"
                "（载入标准检查清单）。 No onsite checklist in force: run migrations first.",
                returncode=2,
            )
        general = latest.get(GENERAL_CHECKLIST) or next(
            (c for c in onsite if not c.industry_prefixes.strip()), onsite[0]
        )
        documentary = latest.get(DOCUMENTARY_CHECKLIST) or next(
            (
                c
                for c in latest.values()
                if c.kind == InspectionKind.DOCUMENTARY and not c.industry_prefixes.strip()
            ),
            None,
        )
        prefixes = sorted(
            (
                (prefix, c.pk)
                for c in onsite
                for prefix in re.split(r"[\s,，;；]+", c.industry_prefixes.strip())
                if prefix
            ),
            key=lambda p: (-len(p[0]), p[0]),
        )
        table = cls(
            onsite=prefixes,
            general=general.pk,
            documentary=documentary.pk if documentary else None,
        )
        used = (
            {pk for _p, pk in prefixes}
            | {general.pk}
            | ({documentary.pk} if documentary else set())
        )
        for checklist_id, pk, number, title, method, severity in (
            ChecklistItem.objects.filter(checklist_id__in=used)
            .order_by("checklist_id", "position")
            .values_list("checklist_id", "pk", "number", "title", "method", "severity")
        ):
            table.items.setdefault(checklist_id, []).append(
                ChecklistItemRow(pk, number, title, severity, bigrams(title + title + method))
            )
        if not table.items.get(general.pk):
            raise CommandError(
                f"检查清单 {general.code} 没有检查事项，无法生成检查记录。", returncode=2
            )
        return table

    def for_industries(self, industries: np.ndarray) -> np.ndarray:
        """The onsite checklist of each industry code: the longest matching prefix, else the
        general one."""
        chosen: dict[str, int] = {}
        for code in np.unique(industries).tolist():
            chosen[code] = next(
                (
                    pk
                    for prefix, pk in self.onsite
                    if code.startswith(prefix) and self.items.get(pk)
                ),
                self.general,
            )
        return np.array([chosen[c] for c in industries.tolist()], dtype=np.int64)


def bigrams(text: str) -> frozenset[str]:
    """The pairs of neighbouring characters of ``text`` (to match a violation to an item)."""
    cleaned = re.sub(r"[\s，。、；：（）“”《》,.;:()]", "", text)
    return frozenset(cleaned[i : i + 2] for i in range(len(cleaned) - 1))


def best_item(
    rng: np.random.Generator, text: str, items: list[ChecklistItemRow], taken: set[int]
) -> tuple[ChecklistItemRow, int]:
    """The item of ``items`` that ``text`` most likely describes (random among equals), and
    how many character pairs they share."""
    words = bigrams(text)
    free = [item for item in items if item.id not in taken] or items
    scores = np.array([len(words & item.words) for item in free], dtype=np.int64)
    best = np.flatnonzero(scores == scores.max())
    chosen = int(best[int(rng.integers(best.size))])
    return free[chosen], int(scores[chosen])
