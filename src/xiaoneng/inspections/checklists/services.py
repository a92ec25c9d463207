"""Inspection checklists (监管检查项目清单, 篇8): which version applies to an entity, which
versions may still change, and what changed between versions.

A version is immutable once an inspection has used it: a change is a new version (N+1) with an
effective date, on which the previous version is retired. Each inspection keeps its version.
New versions from a file, export and the starter set live in ``checklist_files``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core.audit import attributed
from xiaoneng.core.errors import Conflict, DomainError, FieldError, InvalidInput
from xiaoneng.inspections.checklists.files import COLUMNS, check_values, read_severity
from xiaoneng.inspections.checklists.models import Checklist, ChecklistItem, InspectionKind
from xiaoneng.inspections.records.models import Inspection
from xiaoneng.org import access
from xiaoneng.org.models import Officer
from xiaoneng.registry.models import Entity

# The any-trade checklist of each kind: what applies when no industry prefix matches.
FALLBACK_CODES: dict[str, str] = {
    InspectionKind.ONSITE: "general-trade",
    InspectionKind.DOCUMENTARY: "documentary",
}
# An entity whose industry matches no checklist but which holds one of these licences (a
# general store F5299 with a pesticide licence) is checked against the licence's checklist.
LICENCE_CODES = (
    ("hazardous_chemicals", "hazardous-chemicals"),
    ("refined_oil", "hazardous-chemicals"),
    ("drug_retail", "pharmacy"),
    ("pesticide", "agricultural-supplies"),
    ("seed", "agricultural-supplies"),
    ("food_business", "food-retail"),
)
COMPARED = ("title", "method", "legal_basis", "severity")


class ChecklistUnknown(DomainError):
    """No checklist of the kind asked for is in force."""


# Which version applies ---------------------------------------------------------------------


def in_force(on: dt.date) -> QuerySet[Checklist]:
    """The versions in force on ``on``: effective on or before it, and not retired on or before
    it (a new version retires the one before on its own effective date). The one rule;
    ``state_of`` says the same of one version."""
    return Checklist.objects.filter(effective_on__lte=on).filter(
        Q(retired_on__isnull=True) | Q(retired_on__gt=on)
    )


def current_versions(*, on: dt.date | None = None, kind: str | None = None) -> list[Checklist]:
    """The version in force of each checklist on ``on`` (default today), ordered by code."""
    versions = in_force(on or timezone.localdate())
    if kind:
        versions = versions.filter(kind=kind)
    best: dict[str, Checklist] = {}
    for checklist in versions.order_by("code", "-version"):
        best.setdefault(checklist.code, checklist)
    return list(best.values())


def prefixes(checklist: Checklist) -> list[str]:
    """The GB/T 4754 code prefixes a checklist applies to; empty for any trade."""
    return checklist.industry_prefixes.split()


def checklist_for(*, entity: Entity, kind: str, on: dt.date | None = None) -> Checklist:
    """The checklist in force for ``entity`` and ``kind`` (onsite / documentary).

    The longest industry prefix matching the entity's GB/T 4754 code wins; with none, the
    checklist of a licence the entity holds (``LICENCE_CODES``); else the any-trade checklist
    of the kind (``general-trade``, ``documentary``).
    """
    if kind not in InspectionKind.values:
        raise InvalidInput.single(
            "kind", _("检查方式应为 onsite 或 documentary：%(v)s") % {"v": kind}
        )
    on = on or timezone.localdate()
    candidates = current_versions(on=on, kind=kind)
    chosen = pick(candidates, kind=kind, industry=entity.industry_id, held=lambda: licences(entity))
    if chosen is None:
        raise ChecklistUnknown(
            _("%(date)s 没有施行中的“%(kind)s”检查清单")
            % {"date": on, "kind": InspectionKind(kind).label}
        )
    return chosen


def licences(entity: Entity) -> set[str]:
    return set(entity.licences.values_list("kind", flat=True))


def pick(
    candidates: Sequence[Checklist], *, kind: str, industry: str, held: Callable[[], set[str]]
) -> Checklist | None:
    """The rule of ``checklist_for`` over the versions in force: the longest industry prefix
    matching ``industry``, else the checklist of a licence ``held()`` names (asked only
    then), else the any-trade one of ``kind``; None when there is none."""
    best, best_length = None, 0
    for checklist in candidates:
        for prefix in prefixes(checklist):
            if industry.startswith(prefix) and len(prefix) > best_length:
                best, best_length = checklist, len(prefix)
    if best is not None:
        return best
    by_code = {c.code: c for c in candidates}
    kinds = held()
    for licence, code in LICENCE_CODES:
        if licence in kinds and code in by_code:
            return by_code[code]
    any_trade = [c for c in candidates if not prefixes(c)]
    any_trade.sort(key=lambda c: (c.code != FALLBACK_CODES.get(kind), c.code))
    return any_trade[0] if any_trade else None


def state_of(checklist: Checklist, on: dt.date | None = None) -> str:
    """``pending`` before its effective date, ``retired`` from its retirement, else ``current``:
    ``current`` exactly when ``in_force`` (default today) lists the version."""
    on = on or timezone.localdate()
    if checklist.effective_on > on:
        return "pending"
    if checklist.retired_on is not None and checklist.retired_on <= on:
        return "retired"
    return "current"


# Immutability once used --------------------------------------------------------------------


def is_used(checklist: Checklist) -> bool:
    """Whether any inspection (draft or signed) was filled against this version."""
    return Inspection.objects.filter(checklist=checklist).exists()


def ensure_editable(checklist: Checklist) -> None:
    """Refuse any change to a version an inspection has used: a change is a new version."""
    if is_used(checklist):
        raise Conflict(
            _("清单 %(code)s 第 %(version)d 版已被检查记录使用，不能修改；请导入新版本。")
            % {"code": checklist.code, "version": checklist.version}
        )


def edit_item(*, item: ChecklistItem, actor: Officer | None, **changes: str) -> ChecklistItem:
    """Correct an item of a version no inspection has used yet (title, method, legal_basis,
    severity), with the same checks as an import."""
    if actor is not None:
        access.require(actor, access.MANAGE_CHECKLISTS)
    unknown = sorted(set(changes) - set(COMPARED))
    if unknown:
        raise InvalidInput.single(unknown[0], _("不能修改该字段"))
    values = {name: getattr(item, name) for name in COMPARED} | {"number": item.number}
    values.update(changes)
    errors = check_values(values, {c.name: c.label for c in COLUMNS})
    if errors:
        first = errors[0]
        raise InvalidInput(
            f"{first.field}: {first.message}",
            errors=[FieldError(e.field, e.message) for e in errors],
        )
    with transaction.atomic(), attributed(actor):
        ensure_editable(item.checklist)
        for name, value in changes.items():
            setattr(item, name, read_severity(value) if name == "severity" else value.strip())
        item.save()
    return item


# What changed between versions -------------------------------------------------------------


@dataclass(frozen=True)
class ItemChange:
    """An item present in both versions (by 序号) whose content differs."""

    before: ChecklistItem
    after: ChecklistItem
    fields: list[str]


@dataclass
class VersionDiff:
    """What changed from one version to the next, matching items by their number (序号)."""

    added: list[ChecklistItem] = field(default_factory=list)
    removed: list[ChecklistItem] = field(default_factory=list)
    changed: list[ItemChange] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def diff_versions(before: Checklist | None, after: Checklist) -> VersionDiff:
    """Items added, removed and changed (title, method, legal basis, severity) since ``before``."""
    new = {i.number: i for i in after.items.order_by("position")}
    if before is None:
        return VersionDiff(added=list(new.values()))
    old = {i.number: i for i in before.items.order_by("position")}
    diff = VersionDiff(
        added=[i for n, i in new.items() if n not in old],
        removed=[i for n, i in old.items() if n not in new],
    )
    for number, item in new.items():
        if number in old:
            fields = [f for f in COMPARED if getattr(old[number], f) != getattr(item, f)]
            if fields:
                diff.changed.append(ItemChange(old[number], item, fields))
    return diff


def history(code: str) -> list[tuple[Checklist, VersionDiff]]:
    """Every version of ``code``, newest first, each with its changes since the one before."""
    versions = list(Checklist.objects.filter(code=code).order_by("version"))
    pairs = [
        (version, diff_versions(versions[i - 1] if i else None, version))
        for i, version in enumerate(versions)
    ]
    return pairs[::-1]
