"""`xiaoneng report period`: Markdown and XLSX files, exit status 2 and no file on bad input."""

from __future__ import annotations

import io
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from tests.conftest import County
from tests.reports.helpers import HEADLINE, collect, make_case, seed_cases
from xiaoneng.cases.models import Target, TargetMetric


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "xiaoneng.cli", *args], capture_output=True, text=True, timeout=60
    )


def report(*args: str) -> str:
    out = io.StringIO()
    call_command("report", "period", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def half_year(county: County) -> County:
    seed_cases(county)
    Target.objects.create(
        unit=county.bureau,
        year=2026,
        metric=TargetMetric.FINES_COLLECTED,
        value=Decimal("1205000.00"),
    )
    return county


@pytest.mark.slow
def test_help_explains_the_command_and_its_options() -> None:
    result = run("manage", "report", "period", "--help")
    assert result.returncode == 0, result.stderr
    for option in ("--from", "--to", "--unit", "--format", "-o"):
        assert option in result.stdout
    assert "Period reports" in run("manage", "report", "--help").stdout


def test_markdown_has_the_title_the_sentences_and_pipe_tables(
    half_year: County, tmp_path: Path
) -> None:
    target = tmp_path / "report.md"
    out = report("--from", "2026-01-01", "--to", "2026-06-30", "--format", "md", "-o", str(target))
    assert str(target) in out
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# 示范县市场监督管理局2026年上半年工作情况\n")
    assert HEADLINE in text.splitlines()
    assert "## 案件" in text
    assert "| 案件类别 | 立案（起） | 大要案（起） | 案值（万元） | 罚没款入库（万元） |" in text
    assert "| 合计 | 124 | 48 | 1009.11 | 154.22 |" in text
    assert "| 罚没款入库 | 2026 | 120.50万元 | 154.22万元 | 128% |" in text


def test_markdown_to_standard_output(half_year: County) -> None:
    out = report("--from", "2026-01-01", "--to", "2026-06-30", "-o", "-")  # md implied
    assert HEADLINE in out


def test_xlsx_has_a_sheet_of_sentences_and_a_sheet_per_table(
    half_year: County, tmp_path: Path
) -> None:
    target = tmp_path / "report.xlsx"
    report("--from", "2026-01-01", "--to", "2026-06-30", "-o", str(target))  # format from suffix
    book = load_workbook(target)
    assert book.sheetnames[:4] == ["报告", "案件", "罚没物品", "目标任务"]
    sheet = book["报告"]
    assert sheet["A1"].value == "示范县市场监督管理局2026年上半年工作情况"
    assert sheet["A3"].value == HEADLINE
    cases = book["案件"]
    assert [c.value for c in cases[1]] == [
        "案件类别",
        "立案（起）",
        "大要案（起）",
        "案值（万元）",
        "罚没款入库（万元）",
    ]
    total = [c.value for c in cases[cases.max_row]]
    assert total[:3] == ["合计", 124, 48]
    assert Decimal(str(total[3])) == Decimal("1009.11")
    assert Decimal(str(total[4])) == Decimal("154.22")


def test_unit_narrows_the_report_to_its_subtree(county: County, tmp_path: Path) -> None:
    collect(make_case(county.east, county.east_officer, value="10000"), "1000")
    make_case(county.west, county.west_officer, value="30000")
    target = tmp_path / "east.md"
    report("--from", "2026-01-01", "--to", "2026-06-30", "--unit", "S-E", "-o", str(target))
    text = target.read_text(encoding="utf-8")
    assert "# 城东所2026年上半年工作情况" in text
    assert "立案查处各类案件1起，案值达1.00万元，罚没款入库0.10万元。" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2026-13-01", "--to", "2026-06-30"], "--from: 开始日期应为 YYYY-MM-DD 格式"),
        (["--from", "2026-07-01", "--to", "2026-06-30"], "--to: 结束日期 2026-06-30 早于开始日期"),
        (["--from", "2020-01-01", "--to", "2026-06-30"], "--to: 报告期间不能超过 3 年"),
        (
            ["--from", "2026-01-01", "--to", "2026-06-30", "--unit", "NOPE"],
            "--unit: 未知的单位代码：NOPE",
        ),
        (
            ["--from", "2026-01-01", "--to", "2026-06-30", "--format", "pdf"],
            "--format: 应为 xlsx 或 md",
        ),
    ],
)
def test_bad_input_exits_2_and_writes_no_file(
    county: County, tmp_path: Path, args: list[str], message: str
) -> None:
    target = tmp_path / "report.md"
    with pytest.raises(CommandError) as caught:
        report(*args, "-o", str(target))
    assert caught.value.returncode == 2
    assert message in str(caught.value)
    assert not target.exists()


def test_an_unknown_suffix_without_format_is_refused(county: County, tmp_path: Path) -> None:
    with pytest.raises(CommandError) as caught:
        report("--from", "2026-01-01", "--to", "2026-06-30", "-o", str(tmp_path / "r.pdf"))
    assert caught.value.returncode == 2
    assert "--format: 应为 xlsx 或 md" in str(caught.value)


@pytest.mark.slow
def test_the_command_line_exits_with_status_2(tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    result = run(
        "report", "period", "--from", "2026/01/01", "--to", "2026-06-30", "-o", str(target)
    )
    assert result.returncode == 2
    assert "--from: 开始日期应为 YYYY-MM-DD 格式的日期：2026/01/01" in result.stderr
    assert not target.exists()
