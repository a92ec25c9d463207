"""xiaoneng online import FILE."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.conftest import County
from tests.online.conftest import jsonl, listing
from xiaoneng.online.models import Batch


def test_import_prints_the_figures(county: County, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "listings.jsonl"
    path.write_bytes(jsonl([listing(1, title="最好"), listing(2)]))
    call_command("online", "import", str(path), "--unit", "S-E")
    out = capsys.readouterr().out
    assert "导入 imported 2" in out and "命中 with hits 1" in out
    assert Batch.objects.get().unit == county.east


def test_a_bad_line_exits_with_status_2(county: County, tmp_path: Path) -> None:
    path = tmp_path / "listings.jsonl"
    path.write_bytes(jsonl([listing(1)]) + b"\nnope")
    with pytest.raises(CommandError) as refused:
        call_command("online", "import", str(path))
    assert refused.value.returncode == 2 and "第 2 行" in str(refused.value)
    assert not Batch.objects.exists()
