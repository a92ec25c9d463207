"""The two automaton passes over a normalised batch, and the hits they report.

A hit is a row (record, original start, original end, rule index). The first pass reports
what the automaton finds in the normalised text: plain terms in bulk with numpy, keys that
report more than one rule or a pattern one by one. The second pass looks at the windows
around removed separators only and keeps matches with a separator inside; they replace the
first-pass hits of the same rule inside their span, and a lawful phrase found there removes
the first-pass hits of the rules it shields.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import chain
from typing import Any

import numpy as np
import numpy.typing as npt

from xiaoneng.textscan.alphabet import Alphabet
from xiaoneng.textscan.compiler import Compiled
from xiaoneng.textscan.contexts import passed
from xiaoneng.textscan.normalisation import JOINER, POINT, SEPARATOR, decode, low_bits

Ints = npt.NDArray[np.int64]
Entries = npt.NDArray[np.uint64]
Window = Callable[[int, int], str]
NO_EMIT, SEVERAL = -1, -2
EMPTY = np.empty((0, 4), dtype=np.int64)
SEPARATOR_ENTRY = np.uint64(SEPARATOR << 32)


@dataclass(frozen=True)
class Batch:
    """A normalised batch and, per record, where it starts and which rules apply to it."""

    entries: Entries
    origin: Ints | None
    separators: Ints
    starts: Ints  # original offset of each record
    kinds: Ints  # per record: index into ``allowed``
    allowed: npt.NDArray[np.bool_]  # (kinds, rules)

    def original(self, low: Ints, high: Ints) -> tuple[Ints, Ints]:
        """Normalised spans [low, high) as original spans."""
        if self.origin is None:
            return low, high
        return self.origin[low], self.origin[high - 1] + 1

    def records(self, offsets: Ints) -> Ints:
        return np.searchsorted(self.starts, offsets, side="right") - 1


def _reach(separators: Ints, before: Ints, edge: Ints, count: int, size: int) -> Ints:
    """The offset ``count`` non-separator characters from ``edge`` (backwards when < 0).

    ``before``: for each separator, the non-separators before it. Forwards, the end of the
    ``count``-th non-separator from ``edge`` on; backwards, the ``-count``-th before ``edge``.
    The non-separator of rank k lies at k + the number of separators with at most k
    non-separators before them.
    """
    rank = edge - np.searchsorted(separators, edge) + count - (count > 0)
    reach = rank + np.searchsorted(before, rank, side="right") + (count > 0)
    return np.asarray(np.clip(reach, 0, size))


def windows(batch: Batch, alphabet: Alphabet, longest: int) -> tuple[Ints, Ints]:
    """Merged windows [start, end) of the first pass where a second-pass match can lie.

    Only a run of separators between two characters that follow each other in some key can
    be inside a match (the others sit between words). A match over such a run has at most
    ``longest`` - 1 characters (separators not counted) either side of it; the window reaches
    ``longest`` characters further back, so a key that would claim that match's span in a
    whole-text scan is seen too.
    """
    separators, size = batch.separators, len(batch.entries)
    breaks = np.flatnonzero(np.diff(separators) > 1) + 1
    first = separators[np.concatenate(([0], breaks))]
    last = separators[np.concatenate((breaks - 1, [len(separators) - 1]))]
    inner = (first > 0) & (last + 1 < size)
    first, last = first[inner], last[inner]
    points = low_bits(batch.entries)
    candidate = alphabet.joined(points[first - 1] & POINT, points[last + 1] & POINT)
    first, last = first[candidate], last[candidate]
    if not len(first):
        return first, last
    before = separators - np.arange(len(separators))
    starts = _reach(separators, before, first, -2 * longest, size)
    ends = _reach(separators, before, last + 1, longest, size)
    merged = np.flatnonzero(starts[1:] > ends[:-1]) + 1
    keep_first = np.concatenate(([0], merged))
    keep_last = np.concatenate((merged - 1, [len(ends) - 1]))
    return starts[keep_first], ends[keep_last]


def _unique(rows: Ints) -> Ints:
    """The rows sorted (record, start, end, rule), without duplicates: ``np.unique(rows,
    axis=0)`` at a fraction of its cost."""
    rows = rows[np.lexsort(rows.T[::-1])]
    keep = np.ones(len(rows), dtype=bool)
    keep[1:] = (rows[1:] != rows[:-1]).any(axis=1)
    return rows[keep]


def _outermost(rows: Ints) -> Ints:
    """Of the hits of one rule in one record, those inside another are dropped (a term that
    is also a pattern's anchor: 有效率 inside 有效率高达98%)."""
    group = rows[:, 0] * (int(rows[:, 3].max()) + 1) + rows[:, 3]
    values, counts = np.unique(group, return_counts=True)
    several = np.flatnonzero(np.isin(group, values[counts > 1]))
    if not len(several):
        return rows
    keep = np.ones(len(rows), dtype=bool)
    spans: dict[int, list[tuple[int, int, int]]] = {}
    for number, key, start, end in zip(
        several.tolist(), group[several].tolist(), *rows[several, 1:3].T.tolist(), strict=True
    ):
        spans.setdefault(key, []).append((number, start, end))
    for members in spans.values():
        for number, start, end in members:
            if any(
                other != number and low <= start and end <= high and (low, high) != (start, end)
                for other, low, high in members
            ):
                keep[number] = False
    return rows[keep]


class Matcher:
    """Runs the compiled automaton over batches."""

    def __init__(self, compiled: Compiled) -> None:
        self.compiled = compiled
        simple = []
        for emits in compiled.emits:
            if not emits:
                simple.append(NO_EMIT)
            elif len(emits) == 1 and emits[0][1] == 0 and emits[0][3] < 0:
                simple.append(emits[0][0])
            else:
                simple.append(SEVERAL)
        self.simple = np.array([*simple, NO_EMIT], dtype=np.int64)
        shields = [bool(s) for s in compiled.shields] + [False]
        self.shielding = np.array(shields, dtype=bool)
        self.useful = (self.simple != NO_EMIT) | self.shielding

    def search(self, haystack: bytes | memoryview) -> Ints:
        automaton = self.compiled.automaton
        if automaton is None or not haystack:
            return np.empty((0, 3), dtype=np.int64)
        raw = automaton.find_matches_as_indexes(haystack)
        found = np.fromiter(chain.from_iterable(raw), dtype=np.int64, count=3 * len(raw))
        found = found.reshape(-1, 3)
        found[:, 1:] //= self.compiled.alphabet.width
        return found

    def hits(self, batch: Batch) -> Ints:
        """The rows (record, start, end, rule) of the batch, sorted, without duplicates, the
        hits excused by a context of their rule left out (see ``contexts``)."""
        rows = self._first_pass(batch)
        if len(batch.separators) and self.compiled.automaton is not None:
            rows = self._second_pass(batch, rows)
        if not len(rows):
            return EMPTY
        return passed(self.compiled.contexts, batch, _outermost(_unique(rows)))

    def emit(self, window: Window, size: int, key: int, start: int, rules: Any) -> list[Ints]:
        """(rule, start, end) for each rule that a hit on ``key`` at ``start`` reports."""
        found = []
        for rule, low, high, pattern in self.compiled.emits[key]:
            if not rules[rule]:
                continue
            if pattern < 0:
                found.append((rule, start + low, start + high))
                continue
            span = self._pattern(window, size, (rule, pattern), start + low, start + high)
            if span is not None:
                found.append((rule, *span))
        return found  # type: ignore[return-value]

    def _pattern(
        self, window: Window, size: int, key: tuple[int, int], start: int, end: int
    ) -> tuple[int, int] | None:
        """The regex match overlapping the anchor at [start, end), within its window."""
        regex, width = self.compiled.patterns[key]
        low, high = max(0, start - width), min(size, end + width)
        text = window(low, high)
        left = text.rfind(JOINER, 0, start - low) + 1
        right = text.find(JOINER, end - low)
        for found in regex.finditer(text, left, len(text) if right < 0 else right):
            if found.start() < end - low and found.end() > start - low and found.group():
                return low + found.start(), low + found.end()
        return None

    def _first_pass(self, batch: Batch) -> Ints:
        entries = batch.entries
        matches = self.search(self.compiled.alphabet.encode(entries))
        simple = self.simple[matches[:, 0]]
        plain = matches[simple >= 0]
        low, high = batch.original(plain[:, 1], plain[:, 2])
        records = batch.records(low)
        rules = simple[simple >= 0]
        ok = batch.allowed[batch.kinds[records], rules]
        rows = [np.column_stack((records[ok], low[ok], high[ok], rules[ok]))]
        several = matches[simple == SEVERAL]
        if len(several):
            rows.append(self._several(batch, several))
        return np.concatenate(rows)

    def _several(self, batch: Batch, matches: Ints) -> Ints:
        entries = batch.entries

        def window(low: int, high: int) -> str:
            return decode(entries[low:high])

        records = batch.records(batch.original(matches[:, 1], matches[:, 1] + 1)[0])
        rows = []
        for (key, start, _), record in zip(matches.tolist(), records.tolist(), strict=True):
            rules = batch.allowed[batch.kinds[record]]
            for rule, low, high in self.emit(window, len(entries), key, start, rules):
                span = batch.original(np.array([low]), np.array([high]))
                rows.append((record, int(span[0][0]), int(span[1][0]), rule))
        return np.array(rows, dtype=np.int64).reshape(-1, 4)

    def _second_pass(self, batch: Batch, rows: Ints) -> Ints:
        """Matches over removed separators, in windows around them, separators dropped."""
        alphabet = self.compiled.alphabet
        low, high = windows(batch, alphabet, self.compiled.longest)
        if not len(low):
            return rows
        widths = high - low + 1  # each window and a joiner after it
        offsets = np.cumsum(widths) - widths
        index = np.repeat(low - offsets, widths) + np.arange(int(widths.sum()))
        index[offsets + widths - 1] = -1
        haystack = batch.entries[index]
        haystack[index < 0] = alphabet.code[ord(JOINER)]
        kept = haystack < SEPARATOR_ENTRY  # the separator flag is an entry's top bit
        index, haystack = index[kept], haystack[kept]
        matches = self.search(alphabet.encode(haystack))
        # Keep only matches with a separator removed inside them.
        spread = index[matches[:, 2] - 1] - index[matches[:, 1]] + 1
        matches = matches[(spread > matches[:, 2] - matches[:, 1]) & self.useful[matches[:, 0]]]
        if not len(matches):
            return rows
        return _Second(self, batch, index, haystack, rows).apply(matches)


class _Second:
    """The second pass's hits merged into the first pass's rows.

    A hit found here is added unless the first pass has the same row, and removes the
    first-pass hits of its rule inside its span; a lawful phrase removes those of the rules
    it shields. Removing touches first-pass rows only, so the hits are collected first and
    the removals done at once.
    """

    def __init__(
        self, matcher: Matcher, batch: Batch, index: Ints, haystack: Entries, rows: Ints
    ) -> None:
        self.matcher, self.batch, self.index, self.haystack = matcher, batch, index, haystack
        self.rows = rows
        self.drop = np.zeros(len(rows), dtype=bool)

    def original(self, low: int, high: int) -> tuple[int, int]:
        start, end = int(self.index[low]), int(self.index[high - 1]) + 1
        origin = self.batch.origin
        if origin is None:
            return start, end
        return int(origin[start]), int(origin[end - 1]) + 1

    def window(self, low: int, high: int) -> str:
        return decode(self.haystack[low:high])

    def apply(self, matches: Ints) -> Ints:
        index, batch, matcher = self.index, self.batch, self.matcher
        first = index[matches[:, 1]]
        records = batch.records(batch.original(first, first + 1)[0])
        # Spans of whole matches in original offsets, at once (what most keys report).
        low, high = batch.original(first, index[matches[:, 2] - 1] + 1)
        simple = matcher.simple[matches[:, 0]]
        # One rule, the whole match (a separator is inside: checked), in bulk.
        plain = np.flatnonzero(simple >= 0)
        plain = plain[batch.allowed[batch.kinds[records[plain]], simple[plain]]]
        found = [np.column_stack((records[plain], low[plain], high[plain], simple[plain]))]
        several = np.flatnonzero(simple == SEVERAL)
        if len(several):
            found.append(self._several(matches[several], records[several]))
        shielding = np.flatnonzero(matcher.shielding[matches[:, 0]])
        if len(shielding):
            self._shield(matches[shielding, 0], records[shielding], low[shielding], high[shielding])
        added = self._new(np.concatenate(found))
        if len(added):
            self._drop_inside(added)
        return np.concatenate((self.rows[~self.drop], added))

    def _several(self, matches: Ints, records: Ints) -> Ints:
        """The rows of the keys that report more than the whole match, one by one."""
        index, batch = self.index, self.batch
        found = []
        for (key, start, _), record in zip(matches.tolist(), records.tolist(), strict=True):
            rules = batch.allowed[batch.kinds[record]]
            for rule, low, high in self.matcher.emit(
                self.window, len(self.haystack), key, start, rules
            ):
                if int(index[high - 1]) - int(index[low]) + 1 == high - low:
                    continue  # no separator removed inside this part
                found.append((record, *self.original(low, high), rule))
        return np.array(found, dtype=np.int64).reshape(-1, 4)

    def _shield(self, keys: Ints, records: Ints, low: Ints, high: Ints) -> None:
        """First-pass hits inside a lawful phrase found here, of the rules it shields."""
        rows, shields = self.rows, self.matcher.compiled.shields
        for key, record, start, end in zip(
            keys.tolist(), records.tolist(), low.tolist(), high.tolist(), strict=True
        ):
            inside = (rows[:, 0] == record) & (rows[:, 1] >= start) & (rows[:, 2] <= end)
            for number in np.flatnonzero(inside).tolist():
                if int(rows[number, 3]) in shields[key]:
                    self.drop[number] = True

    def _new(self, found: Ints) -> Ints:
        """The rows found here, without duplicates, that the first pass does not have."""
        if not len(found):
            return found
        found = _unique(found)
        touched = self.rows[np.isin(self.rows[:, 0], found[:, 0])]
        known = set(map(tuple, touched.tolist()))
        fresh = [n for n, row in enumerate(map(tuple, found.tolist())) if row not in known]
        return found[fresh]

    def _drop_inside(self, added: Ints) -> None:
        """First-pass hits inside an added hit of the same rule and record."""
        rows, rules = self.rows, self.batch.allowed.shape[1]
        keys = rows[:, 0] * rules + rows[:, 3]
        near = np.flatnonzero(np.isin(keys, added[:, 0] * rules + added[:, 3]))
        if not len(near):
            return
        some, other = rows[near][:, None, :], added[None, :, :]
        inside = (
            (some[..., 0] == other[..., 0])
            & (some[..., 3] == other[..., 3])
            & (other[..., 1] <= some[..., 1])
            & (some[..., 2] <= other[..., 2])
        )
        self.drop[near[inside.any(axis=1)]] = True
