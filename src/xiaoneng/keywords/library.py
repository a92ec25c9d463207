"""Between the database and the engine: a ``KeywordRule`` as a ``textscan.Rule`` and back, the
library in force, and what changed between two sets of rules (a version's diff)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from xiaoneng import textscan
from xiaoneng.keywords.models import KeywordRule, LibraryVersion


def rule_of(row: KeywordRule) -> textscan.Rule:
    """The engine's rule for one database row."""
    return textscan.Rule(
        id=row.code,
        category=row.category,
        law=row.law,
        severity=row.severity,
        terms=tuple(row.terms or ()),
        exceptions=tuple(row.exceptions or ()),
        patterns=tuple(
            textscan.Pattern(
                anchors=tuple(p.get("anchors") or ()),
                regex=str(p.get("regex", "")),
                window=int(p.get("window", 24)),
            )
            for p in row.patterns or ()
        ),
        contexts=tuple(
            textscan.Context(
                regex=str(c.get("regex", "")),
                before=int(c.get("before", 0)),
                after=int(c.get("after", 0)),
            )
            for c in row.contexts or ()
        ),
        targets=tuple(row.targets or ()),
        kinds=tuple(row.kinds or ()),
        not_kinds=tuple(row.not_kinds or ()),
        note=row.note,
    )


def fields_of(rule: textscan.Rule) -> dict[str, Any]:
    """The database fields (except the code) of one engine rule."""
    return {
        "category": rule.category,
        "law": rule.law,
        "severity": rule.severity,
        "terms": list(rule.terms),
        "terms_text": "\n".join(rule.terms),
        "exceptions": list(rule.exceptions),
        "patterns": [
            {"anchors": list(p.anchors), "regex": p.regex, "window": p.window}
            for p in rule.patterns
        ],
        "contexts": [
            {"regex": c.regex, "before": c.before, "after": c.after} for c in rule.contexts
        ],
        "targets": list(rule.targets),
        "kinds": list(rule.kinds),
        "not_kinds": list(rule.not_kinds),
        "note": rule.note,
    }


def active_rules() -> dict[str, textscan.Rule]:
    """The active rules in the database, by code."""
    return {row.code: rule_of(row) for row in KeywordRule.objects.filter(active=True)}


def library_of(rules: Iterable[textscan.Rule], number: int) -> textscan.Library:
    return textscan.Library(
        version=str(number), rules=tuple(sorted(rules, key=lambda r: r.id)), name="关键词特征库"
    )


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def rules_of_version(version: LibraryVersion) -> dict[str, textscan.Rule]:
    """The rules a version holds, read back from its YAML snapshot."""
    if not version.yaml.strip():
        return {}
    return {rule.id: rule for rule in textscan.load_yaml(version.yaml).rules}


@dataclass
class RuleChange:
    """How one rule differs between two versions."""

    code: str
    fields: list[str] = field(default_factory=list)
    terms_added: list[str] = field(default_factory=list)
    terms_removed: list[str] = field(default_factory=list)


@dataclass
class Diff:
    """Rules added, removed (or deactivated) and changed from one set of rules to another."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[RuleChange] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


COMPARED = (
    "category",
    "law",
    "severity",
    "terms",
    "exceptions",
    "patterns",
    "contexts",
    "targets",
)
COMPARED_MORE = ("kinds", "not_kinds", "note")


def diff(before: Mapping[str, textscan.Rule], after: Mapping[str, textscan.Rule]) -> Diff:
    """What changed from ``before`` to ``after`` (rule codes sorted)."""
    result = Diff(added=sorted(set(after) - set(before)), removed=sorted(set(before) - set(after)))
    for code in sorted(set(before) & set(after)):
        old, new = before[code], after[code]
        if old == new:
            continue
        names = [n for n in (*COMPARED, *COMPARED_MORE) if getattr(old, n) != getattr(new, n)]
        result.changed.append(
            RuleChange(
                code=code,
                fields=names,
                terms_added=[t for t in new.terms if t not in old.terms],
                terms_removed=[t for t in old.terms if t not in new.terms],
            )
        )
    return result
