"""Canonical snapshots of a draw's inputs: the exact bytes whose SHA-256 digests are shown.

UTF-8 text, one record a line, each line ended by "\n", lines sorted by their text; fields
separated by "," and lists inside a field by ";" (docs/draws.md, *The four snapshots*).
"""

from __future__ import annotations

import bisect
import hashlib
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from operator import itemgetter
from typing import Any

from xiaoneng.core.bulk import paused_gc


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def seed_digest(seed: str) -> str:
    return digest(seed.encode("utf-8"))


def compress(data: bytes) -> bytes:
    # Level 1: a million-line population compresses to a third in a fifth of a second.
    return zlib.compress(data, 1)


def decompress(data: bytes) -> bytes:
    return zlib.decompress(data)


def _check(value: str, what: str) -> str:
    if any(ch in value for ch in ",;\n"):
        raise ValueError(f"{what} contains a separator: {value!r}")
    return value


def _lines(lines: Iterable[str]) -> bytes:
    with paused_gc():
        ordered = sorted(lines)
    return ("\n".join(ordered) + "\n").encode("utf-8") if ordered else b""


class Population:
    """The entities a draw chooses from: their canonical lines, and columns when asked for.

    Built from database rows at commit (which also keeps the sorted lines and the count per
    grade × class, so that nothing needs parsing), or parsed from the snapshot at the run.
    """

    def __init__(
        self,
        text: bytes,
        lines: list[str] | None = None,
        counts: Mapping[tuple[str, str], int] | None = None,
    ) -> None:
        self.text = text
        self.lines = lines
        self.counts = counts

    @classmethod
    def from_rows(
        cls, rows: Sequence[tuple[str, str, str, object]], grid_codes: Mapping[object, str]
    ) -> Population:
        """From ``(uscc, grade, class, grid)`` rows in any order; ``grid_codes`` names the grids
        (a grid it does not know, such as None, is "outside every grid")."""
        for code in grid_codes.values():
            _check(code, "grid code")
        code_of = grid_codes.get
        with paused_gc():
            lines = sorted([f"{u},{g},{c},{code_of(d, '')}" for u, g, c, d in rows])
            counts = Counter(map(itemgetter(1, 2), rows))
        text = ("\n".join(lines) + "\n").encode("utf-8") if lines else b""
        return cls(text, lines, counts)

    @classmethod
    def parse(cls, data: bytes) -> Population:
        return cls(data)

    def canonical(self) -> bytes:
        """``uscc,grade,class,grid`` lines in USCC order (the USCC is unique, so line order)."""
        return self.text

    @cached_property
    def raw(self) -> tuple[list[bytes], list[bytes], list[bytes], list[bytes]]:
        """The four columns as bytes (what the rule needs, without decoding a million rows)."""
        with paused_gc():
            flat = self.text.replace(b"\n", b",").split(b",")
        flat.pop()  # after the last "\n"
        return flat[0::4], flat[1::4], flat[2::4], flat[3::4]

    @cached_property
    def columns(self) -> tuple[list[str], list[str], list[str], list[str]]:
        with paused_gc():
            flat = self.text.decode("utf-8").replace("\n", ",").split(",")
        flat.pop()  # after the last "\n"
        return flat[0::4], flat[1::4], flat[2::4], flat[3::4]

    @property
    def usccs(self) -> list[str]:
        return self.columns[0]

    @property
    def grades(self) -> list[str]:
        return self.columns[1]

    @property
    def classes(self) -> list[str]:
        return self.columns[2]

    @property
    def grids(self) -> list[str]:
        return self.columns[3]

    def __contains__(self, uscc: object) -> bool:
        return isinstance(uscc, str) and self.grid_of(uscc) is not None

    def __len__(self) -> int:
        if self.lines is not None:
            return len(self.lines)
        return len(self.raw[0])

    def grid_of(self, uscc: str) -> str | None:
        """The grid code of ``uscc`` ("" outside every grid), None if it is not in the list."""
        if self.lines is not None:
            at = bisect.bisect_left(self.lines, uscc + ",")
            found = self.lines[at] if at < len(self.lines) else ""
            return found.rsplit(",", 1)[1] if found.startswith(uscc + ",") else None
        at = bisect.bisect_left(self.usccs, uscc)
        if at < len(self.usccs) and self.usccs[at] == uscc:
            return self.grids[at]
        return None


@dataclass
class Pool:
    """The certified officers a draw assigns, sorted by certificate number, and their grids."""

    certificates: list[str]
    grids: list[frozenset[str]]

    def __len__(self) -> int:
        return len(self.certificates)

    @classmethod
    def from_rows(cls, rows: Mapping[str, Iterable[str]]) -> Pool:
        certificates = sorted(rows)
        return cls(certificates, [frozenset(rows[c]) for c in certificates])

    def canonical(self) -> bytes:
        return _lines(
            f"{_check(c, 'certificate number')},{';'.join(sorted(g))}"
            for c, g in zip(self.certificates, self.grids, strict=True)
        )

    @classmethod
    def parse(cls, data: bytes) -> Pool:
        rows: dict[str, list[str]] = {}
        for line in data.decode("utf-8").splitlines():
            certificate, grids = line.split(",")
            rows[certificate] = grids.split(";") if grids else []
        return cls.from_rows(rows)


def pairs_canonical(pairs: Iterable[tuple[str, str]]) -> bytes:
    """Conflicts: ``certificate,uscc`` lines."""
    return _lines(f"{_check(c, 'certificate number')},{u}" for c, u in set(pairs))


def pairs_parse(data: bytes) -> set[tuple[str, str]]:
    return {
        (certificate, uscc)
        for certificate, uscc in (line.split(",") for line in data.decode("utf-8").splitlines())
    }


def teams_canonical(teams: Mapping[str, Iterable[str]]) -> bytes:
    """Previous inspectors: ``uscc,cert;cert`` lines, certificates sorted."""
    return _lines(f"{u},{';'.join(sorted(certs))}" for u, certs in teams.items())


class Teams(Mapping[str, frozenset[str]]):
    """Previous inspectors by USCC, read from their snapshot line by line as they are asked for."""

    def __init__(self, raw: dict[str, str]) -> None:
        self.raw = raw

    def __getitem__(self, uscc: str) -> frozenset[str]:
        certificates = self.raw[uscc]
        return frozenset(certificates.split(";")) if certificates else frozenset()

    def __iter__(self) -> Iterator[str]:
        return iter(self.raw)

    def __len__(self) -> int:
        return len(self.raw)

    def __contains__(self, uscc: object) -> bool:
        return uscc in self.raw

    def get(self, uscc: str, default: Any = None) -> Any:
        certificates = self.raw.get(uscc)
        if certificates is None:
            return default
        return frozenset(certificates.split(";")) if certificates else frozenset()


def teams_parse(data: bytes) -> Teams:
    with paused_gc():
        lines = data.decode("utf-8").split("\n")
        lines.pop()
        return Teams(dict(line.split(",") for line in lines))
