"""Reads of the keyword library shared by its pages and its API."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from xiaoneng.keywords.models import KeywordRule


def filter_rules(
    rows: QuerySet[KeywordRule], *, category: str, severity: str, target: str, q: str
) -> QuerySet[KeywordRule]:
    """The rules of a category, severity and target whose terms or code contain ``q``."""
    if category:
        rows = rows.filter(category=category)
    if severity:
        rows = rows.filter(severity=severity)
    if target:
        rows = rows.filter(Q(targets__icontains=f'"{target}"') | Q(targets=[]))
    if q.strip():
        rows = rows.filter(Q(terms_text__icontains=q.strip()) | Q(code__icontains=q.strip()))
    return rows
