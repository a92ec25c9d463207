"""Scanning: many records joined into one string, normalised at once, one automaton pass over
the whole batch and one over the windows around removed separators (see ``matching``), hits
split back to records with ``numpy.searchsorted``."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import islice, repeat
from operator import itemgetter

import numpy as np

from xiaoneng.textscan.compiler import compile_library
from xiaoneng.textscan.matching import Batch, Ints, Matcher
from xiaoneng.textscan.model import Library, LibraryError, Violation, validate_rule
from xiaoneng.textscan.normalisation import JOINER, passes

_TEXT, _KIND = itemgetter(0), itemgetter(1)
BATCH_CHARS = 1 << 20  # characters per batch: large enough to amortise, small enough for cache


@contextmanager
def _collector_paused() -> Iterator[None]:
    """A batch allocates many small objects and frees none: the cyclic collector only costs."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class Scanner:
    """A compiled library, ready to scan texts (see ``docs/textscan.md``)."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self.version = library.version
        self.rule_count = len(library.rules)
        self.term_count = sum(len(rule.terms) for rule in library.rules)
        self._matcher = Matcher(compile_library(library))
        self._meta = [(r.id, r.category, r.law, r.severity) for r in library.rules]
        self._allowed: dict[tuple[str | None, str | None], list[bool]] = {}

    @classmethod
    def compile(cls, library: Library) -> Scanner:
        """Validate and compile ``library``; raises LibraryError when a rule is unsound."""
        messages = [m for rule in library.rules for m in validate_rule(rule)]
        seen: set[str] = set()
        for rule in library.rules:
            if rule.id in seen:
                messages.append(f"规则「{rule.id}」：编号重复")
            seen.add(rule.id)
        if messages:
            raise LibraryError(messages)
        return cls(library)

    def allowed(self, target: str | None, kind: str | None) -> list[bool]:
        """Per rule, whether it applies to a text of ``target`` and ad ``kind``."""
        key = (target, kind)
        if key not in self._allowed:
            self._allowed[key] = [r.applies(target, kind) for r in self.library.rules]
        return self._allowed[key]

    def scan(
        self, text: str, *, target: str | None = None, kind: str | None = None
    ) -> list[Violation]:
        """The violations in ``text``, at their spans in ``text``."""
        return self.scan_many([(text, kind)], target=target)[0]

    def scan_many(
        self, items: Iterable[tuple[str, str | None]], *, target: str | None = None
    ) -> list[list[Violation]]:
        """The violations of each (text, kind), in order; batched for throughput."""
        out: list[list[Violation]] = []
        # The collector stays paused over the whole call, not batch by batch: else it walks
        # the growing results again after each batch.
        with _collector_paused():
            for results in self._batches(items, target):
                out += results
        return out

    def iter_scan(
        self, items: Iterable[tuple[str, str | None]], *, target: str | None = None
    ) -> Iterator[list[Violation]]:
        """Like ``scan_many``, lazily."""
        for results in self._batches(items, target):
            yield from results

    def _batches(
        self, items: Iterable[tuple[str, str | None]], target: str | None
    ) -> Iterator[list[list[Violation]]]:
        """The results batch by batch (about BATCH_CHARS characters each)."""
        iterator = iter(items)
        count = 1024
        while batch := list(islice(iterator, count)):
            texts, kinds = tuple(map(_TEXT, batch)), tuple(map(_KIND, batch))
            with _collector_paused():
                results, size = self._scan_batch(texts, kinds, target)
            yield results
            count = max(16, min(count * 4, count * BATCH_CHARS // max(size, 1)))

    def _scan_batch(
        self, texts: tuple[str, ...], kinds: tuple[str | None, ...], target: str | None
    ) -> tuple[list[list[Violation]], int]:
        # One kind for the whole batch (the usual case) is told by one C-level count.
        distinct = [kinds[0]] if kinds.count(kinds[0]) == len(kinds) else list(dict.fromkeys(kinds))
        if len(distinct) == 1:
            kind_index = np.zeros(len(texts), dtype=np.int64)
        else:
            number = {kind: n for n, kind in enumerate(distinct)}
            kind_index = np.fromiter(map(number.__getitem__, kinds), np.int64, len(kinds))
        allowed = np.array([self.allowed(target, kind) for kind in distinct], dtype=bool)
        alphabet = self._matcher.compiled.alphabet
        joined = JOINER.join(texts)
        state = passes(joined, alphabet.code, alphabet.plain)
        if len(state.joiners) != len(texts) - 1:  # a text holds the joiner: blank it
            joined = JOINER.join(text.replace(JOINER, " ") for text in texts)
            state = passes(joined, alphabet.code, alphabet.plain)
        starts = np.concatenate((np.zeros(1, dtype=np.int64), state.joiners + 1))
        batch = Batch(
            state.entries,
            state.origin,
            state.separators,
            starts,
            kind_index,
            allowed.reshape(len(distinct), len(self._meta)),
        )
        return self._violations(texts, starts, self._matcher.hits(batch)), len(joined)

    def _violations(
        self, texts: tuple[str, ...], starts: Ints, rows: Ints
    ) -> list[list[Violation]]:
        empty: list[Violation] = []
        out = list(map(list.copy, repeat(empty, len(texts))))  # fresh lists, at half the cost
        meta = self._meta
        new, assign = object.__new__, object.__setattr__
        records = rows[:, 0]
        spans = rows[:, 1:3] - starts[records, None]
        for record, start, end, rule in zip(
            records.tolist(), *spans.T.tolist(), rows[:, 3].tolist(), strict=True
        ):
            rule_id, category, law, severity = meta[rule]
            # A frozen dataclass's __init__ sets each field through object.__setattr__; one
            # call setting its __dict__ builds the same object at a third of the cost.
            violation = new(Violation)
            assign(
                violation,
                "__dict__",
                {
                    "rule": rule_id,
                    "category": category,
                    "law": law,
                    "severity": severity,
                    "match": texts[record][start:end],
                    "start": start,
                    "end": end,
                },
            )
            out[record].append(violation)
        return out
