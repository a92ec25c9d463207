"""A library compiled into one automaton: every distinct key (term, exception phrase, pattern
anchor, normalised) and what a hit on it reports.

Leftmost-longest matching lets the longest key at a position claim its span, so a lawful
phrase (最近) hides the term inside it (最). A key may still report terms of *other* rules that
lie inside it (an exception shields only the rules whose term it contains): those are worked
out here once, so a scan does a dictionary-free table lookup per hit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import ahocorasick_rs

from xiaoneng.textscan.alphabet import Alphabet
from xiaoneng.textscan.model import Library, Rule
from xiaoneng.textscan.normalisation import compact, normalise_term

# (rule index, start in key, end in key, pattern index or -1 for a plain term)
Emit = tuple[int, int, int, int]
# A compiled context exception: (regex, characters before the hit, characters after it)
ContextCheck = tuple[re.Pattern[str], int, int]


@dataclass
class Key:
    """What one normalised string is to each rule."""

    terms: set[int] = field(default_factory=set)
    exceptions: set[int] = field(default_factory=set)
    anchors: set[tuple[int, int]] = field(default_factory=set)


@dataclass(frozen=True)
class Compiled:
    """The automaton and, per key index, its emits and the rules it shields."""

    keys: list[str]
    emits: list[tuple[Emit, ...]]
    shields: list[frozenset[int]]
    automaton: ahocorasick_rs.BytesAhoCorasick | None
    alphabet: Alphabet
    longest: int
    patterns: dict[tuple[int, int], tuple[re.Pattern[str], int]]
    # rule index → its context exceptions (rules without any are absent)
    contexts: dict[int, tuple[ContextCheck, ...]] = field(default_factory=dict)


def _forms(text: str) -> list[str]:
    """The key itself and, when it contains separators, its second-pass form."""
    key = normalise_term(text)
    if not key:
        return []
    short = compact(key)
    # A form made only of digits would match any number ("1.00" → "100"): not added.
    if short and short != key and not short.isdigit():
        return [key, short]
    return [key]


def _collect(rules: tuple[Rule, ...]) -> dict[str, Key]:
    keys: dict[str, Key] = {}
    for index, rule in enumerate(rules):
        for term in rule.terms:
            for form in _forms(term):
                keys.setdefault(form, Key()).terms.add(index)
        for exception in rule.exceptions:
            for form in _forms(exception):
                keys.setdefault(form, Key()).exceptions.add(index)
        for number, pattern in enumerate(rule.patterns):
            for anchor in pattern.anchors:
                for form in _forms(anchor):
                    keys.setdefault(form, Key()).anchors.add((index, number))
    return keys


def _leftmost_longest(spans: list[Emit]) -> list[Emit]:
    chosen: list[Emit] = []
    end = -1
    for emit in sorted(spans, key=lambda e: (e[1], -(e[2] - e[1]))):
        if emit[1] >= end:
            chosen.append(emit)
            end = emit[2]
    return chosen


def _inside(
    key: str, info: Key, names: list[str], table: dict[str, Key], helper: ahocorasick_rs.AhoCorasick
) -> list[Emit]:
    """Terms and anchors of other rules found inside ``key`` and not shielded there."""
    found: dict[int, list[Emit]] = {}
    shielded: dict[int, list[tuple[int, int]]] = {}
    for number, start, end in helper.find_matches_as_indexes(key, overlapping=True):
        if (start, end) == (0, len(key)):
            continue
        other = table[names[number]]
        for rule in other.exceptions:
            shielded.setdefault(rule, []).append((start, end))
        for rule in other.terms - info.terms - info.exceptions:
            found.setdefault(rule, []).append((rule, start, end, -1))
        for rule, pattern in other.anchors - info.anchors:
            if rule not in info.exceptions:
                found.setdefault(rule, []).append((rule, start, end, pattern))
    emits: list[Emit] = []
    for rule, spans in found.items():
        covers = shielded.get(rule, [])
        spans = [e for e in spans if not any(s <= e[1] and e[2] <= t for s, t in covers)]
        emits += _leftmost_longest(spans)
    return emits


def compile_library(library: Library) -> Compiled:
    """Compile ``library`` (assumed valid) into one leftmost-longest automaton."""
    table = _collect(library.rules)
    keys = list(table)
    patterns = {
        (index, number): (re.compile(pattern.regex), pattern.window)
        for index, rule in enumerate(library.rules)
        for number, pattern in enumerate(rule.patterns)
    }
    contexts = {
        index: tuple((re.compile(c.regex), c.before, c.after) for c in rule.contexts)
        for index, rule in enumerate(library.rules)
        if rule.contexts
    }
    if not keys:
        return Compiled([], [], [], None, Alphabet.build([]), 0, patterns, contexts)
    helper = ahocorasick_rs.AhoCorasick(keys, matchkind=ahocorasick_rs.MatchKind.Standard)
    emits: list[tuple[Emit, ...]] = []
    shields: list[frozenset[int]] = []
    for key in keys:
        info = table[key]
        direct = [(rule, 0, len(key), -1) for rule in sorted(info.terms)]
        direct += [(rule, 0, len(key), pattern) for rule, pattern in sorted(info.anchors)]
        inside = _inside(key, info, keys, table, helper) if len(key) > 1 else []
        emits.append(tuple(direct + inside))
        shields.append(frozenset(info.exceptions))
    # The keys in the library's own alphabet (see alphabet.py); the DFA is the fastest of the
    # crate's automata on them.
    alphabet = Alphabet.build(keys)
    automaton = ahocorasick_rs.BytesAhoCorasick(
        [alphabet.encode_text(key) for key in keys],
        matchkind=ahocorasick_rs.MatchKind.LeftmostLongest,
        implementation=ahocorasick_rs.Implementation.DFA,
    )
    longest = max(map(len, keys))
    return Compiled(keys, emits, shields, automaton, alphabet, longest, patterns, contexts)
