"""The USCC module agrees with python-stdnum, the reference implementation."""

from __future__ import annotations

import numpy as np
from stdnum.cn import uscc as reference

from xiaoneng.registry import uscc


def test_made_codes_are_valid_and_distinct() -> None:
    serials = np.arange(0, 31**7, 31**7 // 500)[:500]
    codes = uscc.make_codes(np.full(500, 2), "654002", serials)
    assert len(set(codes)) == 500
    assert all(reference.is_valid(code) and uscc.is_valid(code) for code in codes)
    assert codes[0].startswith("92654002MA")


def test_the_fast_check_agrees_with_stdnum_on_every_wrong_character() -> None:
    code = "91110000600037341L"
    assert uscc.is_valid(code) and reference.is_valid(code)
    for position in range(18):
        for character in "0A9YIZ":
            changed = code[:position] + character + code[position + 1 :]
            assert uscc.is_valid(changed) == reference.is_valid(changed), changed
