"""`xiaoneng checklist list|show|import|export|load`: output, exit status 2 on bad input."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.conftest import County
from xiaoneng.inspections.models import Checklist


def checklist(*args: str) -> str:
    out = io.StringIO()
    call_command("checklist", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def refused(*args: str) -> tuple[str, str]:
    err = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("checklist", *args, stdout=io.StringIO(), stderr=err)
    assert error.value.returncode == 2
    return str(error.value), err.getvalue()


@pytest.mark.slow
def test_help_names_every_verb() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "xiaoneng.cli", "checklist", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    for verb in ("list", "show", "import", "export", "load"):
        assert verb in result.stdout


def test_list_prints_the_versions_in_force(db: Any) -> None:
    lines = checklist("list", "--on", "2026-03-02").splitlines()
    assert len(lines) == 8
    assert lines[4].split()[:4] == ["food-retail", "v1", "onsite", "14"]
    assert checklist("list", "--on", "2025-12-31") == ""


def test_show_prints_items_with_their_legal_basis(db: Any) -> None:
    text = checklist("show", "pharmacy")
    assert text.startswith("药品零售监督检查清单 — pharmacy v1 (current), onsite")
    assert "1. [严重] 依法取得药品经营许可证" in text
    assert "依据：《中华人民共和国药品管理法》第五十一条第一款" in text


def test_import_then_export_round_trips(county: County, tmp_path: Path) -> None:
    exported = tmp_path / "catering.xlsx"
    assert "catering v1: 13 items" in checklist("export", "catering", "-o", str(exported))
    text = checklist("import", "catering", str(exported), "--effective", "2026-04-01")
    assert text.strip() == "catering v2: 13 items, effective 2026-04-01"
    assert Checklist.objects.get(code="catering", version=1).retired_on.isoformat() == (
        "2026-04-01"
    )
    again = tmp_path / "catering-v2.csv"
    checklist("export", "catering", "-o", str(again))
    first = tmp_path / "catering-v1.csv"
    checklist("export", "catering", "--version", "1", "-o", str(first))
    assert again.read_text(encoding="utf-8") == first.read_text(encoding="utf-8")


def test_a_bad_file_exits_2_with_every_row_error_and_writes_nothing(
    db: Any, tmp_path: Path
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "序号,检查事项,检查内容与方法,法律依据,严重程度\n"
        "1,许可,查看,《中华人民共和国食品安全法》第三十五条,很严重\n",
        encoding="utf-8",
    )
    message, stderr = refused("import", "food-retail", str(path), "--effective", "2026-05-01")
    assert message == "导入失败：发现 1 处错误，未写入任何数据。"
    assert "row 2, 严重程度: 应为“一般”“较重”或“严重”：很严重" in stderr
    assert Checklist.objects.filter(code="food-retail").count() == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", "nothing"], "no checklist nothing"),
        (["show", "catering", "--version", "9"], "no checklist catering version 9"),
        (["export", "catering", "-o", "x.pdf"], "-o x.pdf: the file must end in .csv or .xlsx"),
        (["import", "catering", "missing.csv"], "no such file: missing.csv"),
        (["list", "--on", "2026/03/02"], "--on 2026/03/02: expected YYYY-MM-DD"),
    ],
)
def test_bad_arguments_exit_2(db: Any, args: list[str], message: str) -> None:
    assert refused(*args)[0] == message


def test_import_as_a_grid_officer_is_refused(county: County, tmp_path: Path) -> None:
    path = tmp_path / "catering.csv"
    checklist("export", "catering", "-o", str(path))
    message, _ = refused(
        "import", "catering", str(path), "--effective", "2026-04-01", "--user", "east_officer"
    )
    assert message == "您的角色无权执行此操作。"
    assert Checklist.objects.filter(code="catering").count() == 1


def test_the_effective_date_must_be_a_date(db: Any, tmp_path: Path) -> None:
    path = tmp_path / "catering.csv"
    checklist("export", "catering", "-o", str(path))
    assert refused("import", "catering", str(path), "--effective", "1 April")[0] == (
        "--effective 1 April: expected YYYY-MM-DD"
    )


def test_load_adds_only_missing_starter_checklists(db: Any) -> None:
    assert checklist("load").strip() == "every starter checklist is present"
    Checklist.objects.get(code="documentary").delete()
    assert checklist("load").strip() == "documentary v1 loaded"


def test_export_into_a_missing_folder_is_a_command_error(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "nowhere" / "x.csv"
    with pytest.raises(CommandError) as refused:
        call_command("checklist", "export", "food-retail", "-o", str(target))
    assert refused.value.returncode == 2
    assert str(refused.value) == f"-o {target}: no such folder {target.parent}"
    assert not target.parent.exists()
