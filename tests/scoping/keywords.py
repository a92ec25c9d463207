"""The keyword library's records for the generic scoping test: the library is county-wide, so
its rule and version belong to no station (``World.shared``)."""

from __future__ import annotations

from typing import Any

from tests.conftest import County
from tests.keywords.factories import load
from xiaoneng.keywords.models import KeywordRule


def records(county: County) -> dict[str, Any]:
    """A loaded library: one of its rules and its version, keyed by FILLS' names."""
    loaded = load()
    return {
        "keyword_rule": KeywordRule.objects.get(code="ABS-001"),
        "keyword_version": loaded.version,
    }
