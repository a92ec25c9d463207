"""Normalisation against evasion, on whole strings, with a map back to the original offsets.

Each original character maps to a fixed string (a table built once from Unicode NFKC, lower
casing, opencc's character-level t2s and our variant map); traditional characters are in
addition converted phrase by phrase with ``opencc.OpenCC("t2s")`` in a small window around
them. The table is a numpy array over all code points, so a batch of text is normalised with
one lookup and a few vector operations; when no character expands (almost always), the origin
map is the identity and is never materialised.

An entry is the normalised code point with flags in the top bits (separator, traditional;
or the value EXPANDS: see ``Tables.expand``). A scanner's tables (``alphabet``) are 64-bit:
the same 32 bits in the upper half and, below them, the character as its automaton reads it
(so the flags are found with one comparison of whole entries, and the haystack is their
truncation).

The second pass removes separators (spaces, symbols, zero-width characters) that evaders put
between characters; clause punctuation (，。；：！？、) and line breaks stay, they are real
boundaries and joining across them makes false hits ("入口，交费").
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

# The character that joins records in a batch: no term contains it, nothing maps to it.
JOINER = "\x00"
UNICODE_SIZE = 0x110000
SEPARATOR = 1 << 31
TRADITIONAL = 1 << 30
EXPANDS = 1 << 29  # the whole entry: the character maps to a string of length ≠ 1
JOINED = 1 << 28  # the JOINER's flag: a batch's record boundaries come with the other flags
FLAGGED = JOINED  # a (32-bit) entry ≥ this: it has a flag
POINT = 0x1FFFFF
OPENCC_WINDOW = 6  # characters of context either side for phrase-level t2s

# What converters miss: the financial numerals and letters borrowed from other scripts.
VARIANTS: dict[str, str] = {
    **dict(zip("壹贰叁肆伍陆柒捌玖拾佰仟", "一二三四五六七八九十百千", strict=True)),
    **dict(zip("аеорсухіјѕԁһкмтвο", "aeopcyxijsdhkmtbo", strict=True)),
}
# Removed in the second pass. Not: clause punctuation, line breaks, %, digits, letters.
SEPARATORS = frozenset(
    " \t\x0b\x0c\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u202f\u205f\u3000"
    "\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff\u00ad\u034f\u180e"
    "*-_·|/\\~^=+#@&'\"`.()[]{}<>$"
    "・•‧∙⋅●○◆◇■□▲△▼▽★☆♥♡❤✿❀♦♠♣※→←↑↓¤§¦‖"
    "–—―‐‑‒…‥“”‘’「」『』【】〔〕〖〗〈〉《》〜～゛゜"
)


def _entry(char: str) -> int:
    return ord(char) | (SEPARATOR if char in SEPARATORS else 0)


@dataclass(frozen=True)
class Tables:
    """The per-code-point entries of the first pass; ``expand`` holds what EXPANDS stands for.

    ``code`` includes character-level t2s (and flags TRADITIONAL what it changed); ``plain``
    does not, for text that opencc already converted phrase by phrase.
    """

    code: npt.NDArray[np.uint32]
    plain: npt.NDArray[np.uint32]
    expand: dict[int, str]


def _per_char(chars: list[str], convert: Callable[[str], str]) -> list[str]:
    parts = convert("\x00".join(chars)).split("\x00")
    if len(parts) != len(chars):  # pragma: no cover - a converter that ate the joiner
        return [convert(c) for c in chars]
    return parts


def _opencc() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def _fill(table: npt.NDArray[np.uint32], expand: dict[int, str], point: int, text: str) -> None:
    text = "".join(VARIANTS.get(c, c) for c in text)
    if len(text) == 1:
        table[point] = _entry(text)
    else:
        table[point] = EXPANDS
        expand[point] = text


@lru_cache(maxsize=1)
def tables() -> Tables:
    """Build (once per process, about a second) the character tables of the first pass."""
    converter = _opencc()
    points = [p for p in range(1, UNICODE_SIZE) if not 0xD800 <= p < 0xE000]
    chars = [chr(p) for p in points]
    lower = _per_char(_per_char(chars, lambda s: unicodedata.normalize("NFKC", s)), str.lower)
    simplified = _per_char(lower, converter.convert)
    code = np.arange(UNICODE_SIZE, dtype=np.uint32)
    plain = code.copy()
    expand: dict[int, str] = {}
    special = set(VARIANTS) | SEPARATORS
    for i in [i for i, c in enumerate(chars) if c != simplified[i] or c in special]:
        point, low, simple = points[i], lower[i], simplified[i]
        if len(simple) != len(low):
            simple = low
        _fill(code, expand, point, simple)
        _fill(plain, expand, point, low)
        if simple != low and code[point] != EXPANDS:
            code[point] |= np.uint32(TRADITIONAL)
    code[ord(JOINER)] = plain[ord(JOINER)] = ord(JOINER) | JOINED
    return Tables(code, plain, expand)


@dataclass(frozen=True)
class Normalised:
    """Normalised text and, for each of its characters, its index in the original text."""

    text: str
    origin: npt.NDArray[np.int64]


Entries = npt.NDArray[Any]  # uint32 (base tables) or uint64 (a scanner's)


@dataclass(frozen=True)
class Passes:
    """One string normalised: its entries, flags kept.

    ``origin``: the original index of each character (None: the identity). ``separators``:
    the indices of the characters the second pass removes. ``joiners``: the original indices
    of the JOINERs (a batch's record boundaries).
    """

    entries: Entries
    origin: npt.NDArray[np.int64] | None
    separators: npt.NDArray[np.int64]
    joiners: npt.NDArray[np.int64]

    @property
    def first(self) -> str:
        return decode(self.entries)

    @property
    def second(self) -> str:
        return decode(np.delete(self.entries, self.separators))


def _points(text: str) -> npt.NDArray[np.uint32]:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


def low_bits(entries: Entries) -> npt.NDArray[np.uint32]:
    """The normalised code points and flags (a view: the upper half of 64-bit entries)."""
    if entries.dtype == np.uint64:
        return entries.view(np.uint32)[1::2]
    return entries


def _flagged(entries: Entries) -> npt.NDArray[np.int64]:
    """The indices of the entries with a flag."""
    if entries.dtype == np.uint64:
        return np.flatnonzero(entries >= np.uint64(FLAGGED << 32))
    return np.flatnonzero(entries >= FLAGGED)


def decode(entries: Entries) -> str:
    """Entries (flags allowed) back to a string."""
    points = (low_bits(entries) & POINT).astype(np.uint32)
    return points.tobytes().decode("utf-32-le")


def _windows(positions: npt.NDArray[np.int64], size: int) -> list[tuple[int, int]]:
    """Windows around the traditional characters, merged when they come close."""
    breaks = np.flatnonzero(np.diff(positions) > 2 * OPENCC_WINDOW) + 1
    starts = positions[np.concatenate(([0], breaks))] - OPENCC_WINDOW
    ends = positions[np.concatenate((breaks - 1, [len(positions) - 1]))] + OPENCC_WINDOW + 1
    return list(zip(np.maximum(starts, 0).tolist(), np.minimum(ends, size).tolist(), strict=True))


def _phrases(text: str, positions: npt.NDArray[np.int64], mapped: Entries, plain: Entries) -> None:
    """Redo traditional characters phrase by phrase with opencc in windows around them.

    All windows go through opencc in one call, joined by line breaks (no phrase spans one).
    """
    windows = _windows(positions, len(mapped))
    pieces = [text[low:high] for low, high in windows]
    joined = "\n".join(pieces)
    converted = _opencc_cached().convert(joined)
    if len(converted) != len(joined):  # a phrase changed length: window by window
        for (low, high), piece in zip(windows, pieces, strict=True):
            _convert(piece, low, high, mapped, plain)
        return
    bounds = np.array(windows, dtype=np.int64).reshape(-1, 2)
    lengths = bounds[:, 1] - bounds[:, 0]
    # The k-th character of the windows taken together, in the i-th window, is at
    # k - (the characters of the windows before it) + its start in the text and, after the i
    # line breaks before it, at k + i in ``converted``.
    steps = np.arange(int(lengths.sum()))
    inside = steps - np.repeat(np.cumsum(lengths) - lengths - bounds[:, 0], lengths)
    again = plain[_points(converted)[steps + np.repeat(np.arange(len(lengths)), lengths)]]
    if (low_bits(again) == EXPANDS).any():
        for (low, high), piece in zip(windows, pieces, strict=True):
            _convert(piece, low, high, mapped, plain)
        return
    mapped[inside] = again


def _convert(piece: str, low: int, high: int, mapped: Entries, plain: Entries) -> None:
    converted = _opencc_cached().convert(piece)
    if len(converted) == len(piece):
        again = plain[_points(converted)]
        if not (low_bits(again) == EXPANDS).any():
            mapped[low:high] = again


@lru_cache(maxsize=1)
def _opencc_cached() -> Any:
    return _opencc()


def _expand(
    mapped: Entries, points: npt.NDArray[np.uint32], where: npt.NDArray[np.int64], code: Entries
) -> tuple[Entries, npt.NDArray[np.int64]]:
    """The slow path: some characters become several (㈠ → (一)) or none."""
    table = tables()
    lengths = np.ones(len(mapped), dtype=np.int64)
    pieces = [table.expand[int(points[i])] for i in where]
    lengths[where] = [len(p) for p in pieces]
    origin = np.repeat(np.arange(len(mapped), dtype=np.int64), lengths)
    starts = np.cumsum(lengths) - lengths
    out = np.empty(int(lengths.sum()), dtype=mapped.dtype)
    single = lengths == 1
    single[where] = False
    out[starts[single]] = mapped[single]
    for i, piece in zip(where, pieces, strict=True):
        entries = code[[ord(c) for c in piece]]
        # A character of the expansion that would expand again stands for itself.
        entries[low_bits(entries) == EXPANDS] = code[ord("\ufffd")]
        out[starts[i] : starts[i] + len(piece)] = entries
    return out, origin


def passes(text: str, code: Entries | None = None, plain: Entries | None = None) -> Passes:
    """Normalise ``text`` with the base tables or a scanner's (``code``, ``plain``)."""
    if code is None or plain is None:
        code, plain = tables().code, tables().plain
    points = _points(text)
    mapped = code[points]
    low = low_bits(mapped)
    flagged = _flagged(mapped)
    flags = low[flagged]
    joiners = flagged[flags == JOINED]
    traditional = flagged[(flags & TRADITIONAL) != 0]
    if len(traditional):
        _phrases(text, traditional, mapped, plain)
        flags = low[flagged]
    origin: npt.NDArray[np.int64] | None = None
    expands = flagged[flags == EXPANDS]
    if len(expands):
        mapped, origin = _expand(mapped, points, expands, code)
        low = low_bits(mapped)
        flagged = _flagged(mapped)
        flags = low[flagged]
    return Passes(mapped, origin, flagged[(flags & SEPARATOR) != 0], joiners)


def normalise(text: str) -> Normalised:
    """The first-pass normalised text and the original index of each of its characters."""
    result = passes(text)
    origin = result.origin
    if origin is None:
        origin = np.arange(len(text), dtype=np.int64)
    return Normalised(result.first, origin)


def is_separator(char: str) -> bool:
    return char in SEPARATORS


def normalise_term(term: str) -> str:
    """A library term as the automaton holds it: normalised, separators at its ends removed."""
    text = normalise(term.replace(JOINER, "")).text
    return text.strip("".join(SEPARATORS) + "\n\r")


def compact(term: str) -> str:
    """A normalised term with its separators removed (its second-pass form)."""
    return "".join(c for c in term if c not in SEPARATORS)
