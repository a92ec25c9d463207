"""The import command with organisation files: every error printed, exit status 2, the trace
named after the user."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.conftest import County
from tests.org.factories import REGION
from tests.org.io.helpers import UNIT_HEADER, counts, import_file, write_csv
from xiaoneng.core.audit import history
from xiaoneng.core.models import AuditEvent
from xiaoneng.org.models import Unit


def test_import_command_prints_every_error_and_exits_with_status_2(
    county: County, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "units.csv",
        UNIT_HEADER[:5],
        [["X", "某所", "所", "ZZ", REGION], ["S-E", "城东所", "所", "B", "65400"]],
    )
    before, err = counts(), StringIO()

    with pytest.raises(CommandError) as raised:
        call_command("import", "units", str(path), stderr=err)

    assert raised.value.returncode == 2
    assert str(raised.value) == "导入失败：发现 3 处错误，未写入任何数据。"
    assert err.getvalue().splitlines() == [
        "row 2, 上级单位代码: 未知的上级单位代码：ZZ",
        "row 3, 行政区划代码: 应为 6 位数字：65400",
        "row 3, 单位代码: 单位代码已存在；更新请选择更新模式（--update）",
    ]
    assert counts() == before


def test_import_command_refuses_a_missing_file_and_an_unknown_user(
    county: County, tmp_path: Path
) -> None:
    missing = tmp_path / "missing.csv"
    with pytest.raises(CommandError) as raised:
        call_command("import", "units", str(missing))
    assert (raised.value.returncode, str(raised.value)) == (2, f"no such file: {missing}")

    path = write_csv(
        tmp_path / "units.csv", UNIT_HEADER[:5], [["S-N", "城北所", "所", "B", REGION]]
    )
    with pytest.raises(CommandError) as raised:
        call_command("import", "units", str(path), "--user", "nobody")
    assert (raised.value.returncode, str(raised.value)) == (2, "unknown user: nobody")
    assert not Unit.objects.filter(code="S-N").exists()


def test_import_command_attributes_the_trace_to_the_named_user(
    county: County, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "units.csv", UNIT_HEADER[:5], [["S-N", "城北所", "所", "B", REGION]]
    )
    assert (
        import_file("units", path, "--user", "admin")
        == "imported units: created 1, updated 0, unchanged 0"
    )

    [event] = history(Unit.objects.get(code="S-N"))
    assert (event.actor, event.source) == (county.admin, AuditEvent.Source.CLI)
