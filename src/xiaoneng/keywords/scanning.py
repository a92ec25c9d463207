"""Scanning with the library in force: the compiled ``textscan.Scanner`` of the newest
``LibraryVersion``, kept per process and replaced when a newer version appears.

Each call costs one indexed query (the newest version's number and digest); the YAML is read
and compiled only when they are not the cached ones. Before any library is loaded, version 0 is an
empty library that finds nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

from xiaoneng import textscan
from xiaoneng.keywords.models import LibraryVersion


@dataclass(frozen=True)
class ScanResult:
    """The violations found in one text and the library version that found them."""

    version: int
    violations: list[textscan.Violation]


_lock = threading.Lock()
# The key is the number and the SHA-256: a rolled-back test database reuses numbers.
_cache: dict[str, tuple[tuple[int, str], textscan.Scanner]] = {}


def _compile(number: int) -> textscan.Scanner:
    if number == 0:
        return textscan.Scanner.compile(textscan.Library(version="0", rules=()))
    text = LibraryVersion.objects.values_list("yaml", flat=True).get(number=number)
    return textscan.Scanner.compile(textscan.load_yaml(text))


def current_scanner() -> tuple[int, textscan.Scanner]:
    """The number of the version in force and its compiled scanner."""
    key = LibraryVersion.objects.order_by("-number").values_list("number", "sha256").first()
    key = key or (0, "")
    cached = _cache.get("current")
    if cached is None or cached[0] != key:
        with _lock:
            cached = _cache.get("current")
            if cached is None or cached[0] != key:
                cached = (key, _compile(key[0]))
                _cache["current"] = cached
    return key[0], cached[1]


def scan_text(text: str, *, target: str, kind: str | None = None) -> ScanResult:
    """The violations of one ad (``target="ad"``) or listing (``"listing"``) text."""
    number, scanner = current_scanner()
    return ScanResult(version=number, violations=scanner.scan(text, target=target, kind=kind))


def scan_texts(
    items: Sequence[tuple[str, str | None]], *, target: str
) -> tuple[int, list[list[textscan.Violation]]]:
    """The violations of each ``(text, kind)`` in order, with the version used."""
    number, scanner = current_scanner()
    if not items:
        return number, []
    return number, scanner.scan_many(items, target=target)
