"""Context exceptions: a hit of a rule is passed when one of the rule's context regexes matches
near it (a source cited before or after a sales claim, an awarding body named beside 国家级).

They are checked after matching, and only for the hits of rules that have them (a handful per
MB), so a library without them costs one array test per batch. The regex is searched in the
**normalised** text (NFKC, lower case, simplified characters, the variant map; separators kept,
as a pattern's regex sees it), in the window from ``before`` characters before the hit to
``after`` characters after it, cut at the hit's record. The window is searched as a string of
its own: ``^`` and ``$`` mark its edges (with ``after: 0``, ``$`` is the end of the hit). Only
a non-empty match counts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from xiaoneng.textscan.compiler import ContextCheck
from xiaoneng.textscan.normalisation import JOINER, decode

if TYPE_CHECKING:
    from xiaoneng.textscan.matching import Batch, Ints


def _normalised(batch: Batch, start: Ints, end: Ints) -> tuple[Ints, Ints]:
    """Original spans [start, end) of the batch as spans of its normalised text."""
    if batch.origin is None:
        return start, end
    return np.searchsorted(batch.origin, start), np.searchsorted(batch.origin, end)


def _found(checks: tuple[ContextCheck, ...], text: str, start: int, end: int) -> bool:
    """Whether a context matches around ``text[start:end]`` (``text`` is the widest window)."""
    left = text.rfind(JOINER, 0, start) + 1
    right = text.find(JOINER, end)
    right = len(text) if right < 0 else right
    for regex, before, after in checks:
        window = text[max(left, start - before) : min(right, end + after)]
        found = regex.search(window)
        if found is None:
            continue
        if found.end() > found.start() or any(f.end() > f.start() for f in regex.finditer(window)):
            return True
    return False


def passed(contexts: dict[int, tuple[ContextCheck, ...]], batch: Batch, rows: Ints) -> Ints:
    """The rows (record, start, end, rule) without the hits that a context of their rule
    excuses."""
    if not contexts or not len(rows):
        return rows
    numbers = np.flatnonzero(np.isin(rows[:, 3], list(contexts)))
    if not len(numbers):
        return rows
    rules = rows[numbers, 3].tolist()
    reach = {
        rule: (max(c[1] for c in checks), max(c[2] for c in checks))
        for rule, checks in contexts.items()
    }
    low, high = _normalised(batch, rows[numbers, 1], rows[numbers, 2])
    size = len(batch.entries)
    first = np.maximum(0, low - np.array([reach[r][0] for r in rules], dtype=np.int64))
    last = np.minimum(size, high + np.array([reach[r][1] for r in rules], dtype=np.int64))
    # Every window decoded at once: one string, sliced per hit.
    widths = last - first
    offsets = np.cumsum(widths) - widths
    index = np.repeat(first - offsets, widths) + np.arange(int(widths.sum()))
    text = decode(batch.entries[index])
    keep = np.ones(len(rows), dtype=bool)
    for number, rule, offset, width, start, end in zip(
        numbers.tolist(),
        rules,
        offsets.tolist(),
        widths.tolist(),
        (low - first).tolist(),
        (high - first).tolist(),
        strict=True,
    ):
        if _found(contexts[rule], text[offset : offset + width], start, end):
            keep[number] = False
    return rows[keep]
