"""The text of a trial scan cut into plain and highlighted segments for the page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from xiaoneng import textscan


@dataclass(frozen=True)
class Segment:
    """A piece of the text; ``hits`` the 1-based numbers of the violations covering it."""

    text: str
    hits: tuple[int, ...] = ()


def segments(text: str, violations: Sequence[textscan.Violation]) -> list[Segment]:
    """``text`` cut at every start and end of a violation (overlaps allowed)."""
    cuts = sorted({0, len(text), *(v.start for v in violations), *(v.end for v in violations)})
    found = []
    for start, end in pairwise(cuts):
        if start >= end:
            continue
        covering = tuple(
            n for n, v in enumerate(violations, start=1) if v.start <= start and end <= v.end
        )
        found.append(Segment(text[start:end], covering))
    return found
