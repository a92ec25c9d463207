"""The automaton's alphabet: the characters of a library's keys, numbered, and everything else
one "other" character (it can never be part of a match).

The automaton (``ahocorasick_rs.BytesAhoCorasick``) reads bytes: each character is written in
a fixed number of bytes (two while the keys use fewer than 16,384 distinct characters, else
three), the first byte with its high bit set and the others without, so a match can only
start on a character boundary and byte offset // width is the character index. This avoids
the str API's byte-to-character map of the whole text per call and makes the haystack a third
shorter than UTF-8 for Chinese.

The scanner's normalisation tables carry the alphabet code in their lower 32 bits (the
normalised character and its flags above), so one table lookup per character both normalises
it and encodes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import numpy as np
import numpy.typing as npt

from xiaoneng.textscan.normalisation import POINT, UNICODE_SIZE, tables

TWO_BYTES = 1 << 14
BITMAP_BITS = 1 << 26  # up to 8 MB: the key bigrams as a bitmap, else a sorted array


def _encoded(numbers: Any, width: int) -> Any:
    """Numbers as ``width`` bytes, little-endian in a uint32: 0x80 | high part, then 7 bits each."""
    numbers = np.asarray(numbers, dtype=np.uint32)
    if width == 2:
        encoded = (0x80 | (numbers >> 7)) | ((numbers & 0x7F) << 8)
    else:
        encoded = (
            (0x80 | (numbers >> 14)) | (((numbers >> 7) & 0x7F) << 8) | ((numbers & 0x7F) << 16)
        )
    return encoded.astype(np.uint32)


@dataclass(frozen=True)
class Alphabet:
    """A library's alphabet and the normalisation tables that write it."""

    width: int
    numbers: npt.NDArray[np.uint32]  # normalised code point → its number (0: other)
    codes: npt.NDArray[np.uint32]  # normalised code point → encoded character
    code: npt.NDArray[np.uint64]
    plain: npt.NDArray[np.uint64]
    pairs: npt.NDArray[np.int64]  # sorted: first << 21 | second for adjacent characters of keys
    bitmap: npt.NDArray[np.uint8] | None  # the same pairs as bits (first * size + second)
    size: int  # characters numbered, "other" included

    @classmethod
    def build(cls, keys: list[str]) -> Alphabet:
        chars = sorted({ord(c) for key in keys for c in key})
        width = 2 if len(chars) < TWO_BYTES - 1 else 3
        numbers = np.zeros(UNICODE_SIZE, dtype=np.uint32)
        numbers[chars] = np.arange(1, len(chars) + 1, dtype=np.uint32)
        codes = _encoded(numbers, width)
        base = tables()
        pairs = {
            (int(numbers[ord(a)]) << 21) | int(numbers[ord(b)])
            for key in keys
            for a, b in pairwise(key)
        }
        ordered = np.array(sorted(pairs), dtype=np.int64)
        size = len(chars) + 1
        bitmap = None
        if size * size <= BITMAP_BITS:
            flat = (ordered >> 21) * size + (ordered & ((1 << 21) - 1))
            bits = np.zeros(size * size, dtype=bool)
            bits[flat] = True
            bitmap = np.packbits(bits, bitorder="little")
        return cls(
            width,
            numbers,
            codes,
            cls._combine(base.code, codes),
            cls._combine(base.plain, codes),
            ordered,
            bitmap,
            size,
        )

    @staticmethod
    def _combine(entries: npt.NDArray[np.uint32], codes: npt.NDArray[np.uint32]) -> Any:
        lower = codes[entries & POINT].astype(np.uint64)
        return (entries.astype(np.uint64) << np.uint64(32)) | lower

    def encode(self, entries: npt.NDArray[np.uint64]) -> memoryview:
        """Entries (64-bit) as the haystack (the automaton reads the buffer: no copy to bytes)."""
        if self.width == 2:
            return entries.astype(np.uint16).view(np.uint8).data
        entries = np.ascontiguousarray(entries)
        wide = np.ascontiguousarray(entries.view(np.uint8).reshape(-1, 8)[:, : self.width])
        return wide.reshape(-1).data

    def joined(self, before: Any, after: Any) -> Any:
        """Whether some key has normalised character ``before`` followed by ``after``."""
        if not len(self.pairs):
            return np.zeros(len(before), dtype=bool)
        if self.bitmap is not None:
            flat = self.numbers[before].astype(np.int64) * self.size + self.numbers[after]
            return ((self.bitmap[flat >> 3] >> (flat & 7).astype(np.uint8)) & 1).astype(bool)
        pairs = (self.numbers[before].astype(np.int64) << 21) | self.numbers[after]
        found = np.searchsorted(self.pairs, pairs)
        found[found == len(self.pairs)] = 0
        return (self.pairs[found] == pairs) & (self.numbers[before] > 0)

    def encode_text(self, text: str) -> bytes:
        """A string as it stands (keys, or raw text for the bare pass) as the haystack."""
        points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        encoded = self.codes[points]
        if self.width == 2:
            return encoded.astype(np.uint16).tobytes()
        return encoded.view(np.uint8).reshape(-1, 4)[:, : self.width].tobytes()
