"""The unified social credit code (统一社会信用代码, GB 32100-2015): check and make.

One copy of the alphabet and weights for the fast check of imports and for generating valid
codes on arrays (the demo county, benchmarks); python-stdnum remains the reference and
explains a code that fails.
"""

from __future__ import annotations

import re

import numpy as np

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUE = {c: i for i, c in enumerate(ALPHABET)}
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# Eight digits (registration authority, kind, region), then ten characters of the alphabet.
SHAPE = re.compile(r"^\d{8}[0-9A-HJ-NPQRTUWXY]{10}$")


def check_character(first17: str) -> str:
    """The 18th character of a code beginning with these 17 (as stdnum computes it)."""
    total = sum(VALUE[c] * w for c, w in zip(first17, WEIGHTS, strict=False))
    return ALPHABET[(31 - total) % 31]


def is_valid(code: str) -> bool:
    """Whether ``code`` (already upper case, no spaces) is a valid USCC."""
    return bool(SHAPE.match(code)) and check_character(code[:17]) == code[17]


def make_codes(kind_digits: np.ndarray, region_code: str, serials: np.ndarray) -> list[str]:
    """Valid codes "9" + kind digit + region + "MA" + 7 characters from ``serials`` + check.

    ``serials`` are integers below 31**7; distinct serials give distinct codes.
    """
    count = kind_digits.size
    index = np.zeros((count, 17), dtype=np.int64)
    index[:, 0] = 9
    index[:, 1] = kind_digits
    index[:, 2:8] = [int(c) for c in region_code]
    index[:, 8:10] = [VALUE["M"], VALUE["A"]]
    for position in range(7):
        index[:, 16 - position] = (serials // 31**position) % 31
    check = (31 - (index * np.asarray(WEIGHTS)).sum(axis=1) % 31) % 31
    alphabet = np.frombuffer(ALPHABET.encode(), dtype=np.uint8)
    characters = np.ascontiguousarray(alphabet[np.column_stack([index, check])])
    return [code.decode() for code in characters.view("S18").ravel()]
